/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-request state of the simple read and write paths: one bio from
 * our bioset, whose front_pad holds this struct, so a request costs one
 * allocation (served by the bioset's per-CPU cache) and no struct
 * iomap_dio. Every bio issued from here is counted submitted before
 * submit_bio() and completed as its completion's last act, so unload can
 * wait for all of them (sdio_requests_drain()).
 */
#ifndef _SIMPLE_DIO_REQUEST_H
#define _SIMPLE_DIO_REQUEST_H

#include <linux/atomic.h>
#include <linux/bio.h>
#include <linux/bits.h>
#include <linux/blkdev.h>
#include <linux/cache.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/workqueue.h>
#include "simple_dio.h"
#include "compat.h"

#define SDIO_REQ_USER_BACKED	BIT(0)	/* read: pages pinned from user space */
#define SDIO_REQ_POLLED		BIT(1)	/* bio published in iocb->private */
#define SDIO_REQ_NEED_SYNC	BIT(2)	/* write: generic_write_sync() after */
#define SDIO_REQ_INLINE_COMP	BIT(3)	/* write: may complete from bi_end_io */

struct sdio_request {
	struct kiocb		*iocb;
	size_t			size;
	const struct iomap_dio_ops *dops;	/* write: the fs's ->end_io */
	unsigned int		flags;
	atomic_t		ref;	/* write: the submitter's and the bio's */
	struct work_struct	work;
	/*
	 * front_pad is offsetof(struct sdio_request, bio) and the bio slab is
	 * cacheline aligned, so the bio starts a cacheline: the fields the
	 * block layer touches on submit and completion share one line.
	 */
	struct bio		bio ____cacheline_aligned_in_smp;
};

/* Our own workqueue, for read completions that must sleep. */
extern struct workqueue_struct *sdio_wq;

struct bio_set *sdio_pick_bioset(unsigned short nr_vecs, struct kiocb *iocb,
				 blk_opf_t *opf);

/* The last thing a completion does with our state. */
static inline void sdio_mark_completed(void)
{
	sdio_count(SDIO_STAT_COMPLETED);
}

/**
 * sdio_request_get - a request for the mapped range, with @iter's pages
 * @iocb: the caller's kiocb
 * @iter: the data; advanced by iomi->len on success
 * @iomi: the mapping of [pos, pos + len), one extent
 * @opf: the bio's operation and flags
 *
 * One bio for the whole range, from the per-CPU cache where allowed. The
 * position and memory alignment are checked here, as both paths need them.
 * Returns the request (iocb, size set; flags and dops 0), or an ERR_PTR:
 * -EINVAL misaligned, -E2BIG the pages do not fit one bio (nothing is left
 * pinned and @iter is as it was: the caller falls back); -EAGAIN or another
 * error where the kernel's path fails the same way before any I/O.
 */
static __always_inline struct sdio_request *
sdio_request_get(struct kiocb *iocb, struct iov_iter *iter,
		 const struct iomap_iter *iomi, blk_opf_t opf)
{
	struct block_device *bdev = iomi->iomap.bdev;
	size_t count = iomi->len;
	struct sdio_request *sr;
	unsigned short nr_vecs;
	struct bio_set *bs;
	struct bio *bio;
	int ret;

	if (((iomi->pos | count) & (bdev_logical_block_size(bdev) - 1)) ||
	    !sdio_iter_aligned(bdev, iter))
		return ERR_PTR(-EINVAL);
	nr_vecs = bio_iov_vecs_to_alloc(iter, BIO_MAX_VECS);
	bs = sdio_pick_bioset(nr_vecs, iocb, &opf);
	bio = bio_alloc_bioset(bdev, nr_vecs, opf, GFP_KERNEL, bs);
	/* The mempool waits rather than fail; -EAGAIN if it did. */
	if (unlikely(!bio))
		return ERR_PTR(-EAGAIN);
	sr = container_of(bio, struct sdio_request, bio);
	sr->iocb = iocb;
	sr->size = count;
	sr->dops = NULL;
	sr->flags = 0;
	bio->bi_iter.bi_sector = iomap_sector(&iomi->iomap, iomi->pos);
	bio->bi_ioprio = iocb->ki_ioprio;

	ret = sdio_bio_get_pages(bio, iter);
	if (unlikely(ret)) {
		bio_put(bio);
		return ERR_PTR(ret);
	}
	if (bio->bi_iter.bi_size != count) {
		iov_iter_revert(iter, bio->bi_iter.bi_size);
		bio_release_pages(bio, false);
		bio_put(bio);
		return ERR_PTR(-E2BIG);
	}
	return sr;
}

#endif /* _SIMPLE_DIO_REQUEST_H */
