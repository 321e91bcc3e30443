// SPDX-License-Identifier: GPL-2.0
/*
 * The bioset and workqueue the simple read and write paths share, and the
 * wait that makes unloading safe with their bios in flight.
 */
#include <linux/bio.h>
#include <linux/delay.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/workqueue.h>
#include "simple_dio.h"
#include "compat.h"
#include "request.h"

static struct bio_set sdio_bioset;
#if SDIO_NEED_NOCACHE_BIOSET
/* alloc_cache=0 on kernels that use a bioset's cache unasked (compat.h). */
static struct bio_set sdio_bioset_nocache;
#endif
struct workqueue_struct *sdio_wq;

/* Set when this kernel cannot run the simple path; everything falls back. */
const char *sdio_unsupported_why;

struct bio_set *sdio_pick_bioset(unsigned short nr_vecs, struct kiocb *iocb,
				 blk_opf_t *opf)
{
	if (READ_ONCE(sdio_knob_alloc_cache) &&
	    nr_vecs <= SDIO_BIO_INLINE_VECS && sdio_bio_cache_allowed(iocb)) {
		*opf |= REQ_ALLOC_CACHE;
		sdio_count(SDIO_STAT_ALLOC_PERCPU);
		return &sdio_bioset;
	}
	sdio_count(SDIO_STAT_ALLOC_SLAB);
#if SDIO_NEED_NOCACHE_BIOSET
	return &sdio_bioset_nocache;
#else
	return &sdio_bioset;
#endif
}

int sdio_simple_init(void)
{
	int ret;

	sdio_unsupported_why = sdio_compat_unsupported();
	ret = bioset_init(&sdio_bioset, 4, offsetof(struct sdio_request, bio),
			  BIOSET_NEED_BVECS | BIOSET_PERCPU_CACHE);
	if (ret)
		return ret;
#if SDIO_NEED_NOCACHE_BIOSET
	ret = bioset_init(&sdio_bioset_nocache, 4,
			  offsetof(struct sdio_request, bio), BIOSET_NEED_BVECS);
	if (ret)
		goto out_bioset;
#endif
	/* Completion may be needed to make progress under memory pressure. */
	sdio_wq = alloc_workqueue("simple_dio", WQ_MEM_RECLAIM | SDIO_WQ_PERCPU,
				  0);
	if (!sdio_wq) {
		ret = -ENOMEM;
		goto out_nocache;
	}
	return 0;

out_nocache:
#if SDIO_NEED_NOCACHE_BIOSET
	bioset_exit(&sdio_bioset_nocache);
out_bioset:
#endif
	bioset_exit(&sdio_bioset);
	return ret;
}

/*
 * Called once no task can be in our hooked functions any more
 * (sdio_hooks_exit()), so submitted is final. Wait until every issued bio
 * has counted itself completed (per-CPU values only grow, so a sum read
 * while they change can be low but never reaches submitted early), then
 * for the tails of those completions still executing our text: irq-context
 * ones are covered by synchronize_rcu(), task-context ones (polled
 * completions, our workqueue, the file systems' dio workqueues that run
 * write completions) by synchronize_rcu_tasks(), as ftrace does before it
 * frees a trampoline.
 */
void sdio_simple_drain(void)
{
	u64 submitted = sdio_stat_sum(SDIO_STAT_SUBMITTED);

	while (sdio_stat_sum(SDIO_STAT_COMPLETED) != submitted)
		usleep_range(1000, 2000);
	synchronize_rcu();
	synchronize_rcu_tasks();
	flush_workqueue(sdio_wq);
}

void sdio_simple_exit(void)
{
	destroy_workqueue(sdio_wq);
#if SDIO_NEED_NOCACHE_BIOSET
	bioset_exit(&sdio_bioset_nocache);
#endif
	bioset_exit(&sdio_bioset);
}
