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

#include <linux/bio.h>
#include <linux/bits.h>
#include <linux/cache.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/workqueue.h>
#include "simple_dio.h"

#define SDIO_REQ_USER_BACKED	BIT(0)	/* read: pages pinned from user space */
#define SDIO_REQ_POLLED		BIT(1)	/* bio published in iocb->private */
#define SDIO_REQ_NEED_SYNC	BIT(2)	/* write: generic_write_sync() after */
#define SDIO_REQ_INLINE_COMP	BIT(3)	/* write: may complete from bi_end_io */

struct sdio_request {
	struct kiocb		*iocb;
	size_t			size;
	const struct iomap_dio_ops *dops;	/* write: the fs's ->end_io */
	unsigned int		flags;
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

#endif /* _SIMPLE_DIO_REQUEST_H */
