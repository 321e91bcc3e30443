// SPDX-License-Identifier: GPL-2.0
/*
 * The simple read path: a read that maps to one extent and fits one bio is
 * issued as a single bio from a dedicated bioset whose front_pad holds the
 * per-request state, so an I/O costs one allocation (served by the
 * bioset's per-CPU cache) and no struct iomap_dio. Successful async reads
 * complete inline from ->bi_end_io; errors, and user pages that must be
 * dirtied from a sleeping context, go through our workqueue.
 * The request, its bioset and the accounting that makes unload safe:
 * request.h.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include "simple_dio.h"
#include "compat.h"
#include "fallback.h"
#include "request.h"
#include "trace.h"

/*
 * The kernel's path uses bio_check_pages_dirty(), which may hand the bio
 * to a core work item that frees it later, into our bioset, possibly
 * after we are gone. Check here instead and do any dirtying ourselves.
 */
static bool sdio_pages_need_dirtying(struct sdio_request *sr)
{
	struct folio_iter fi;

	if (!(sr->flags & SDIO_REQ_USER_BACKED))
		return false;
	bio_for_each_folio_all(fi, &sr->bio) {
		if (!folio_test_dirty(fi.folio))
			return true;
	}
	return false;
}

/*
 * bio_set_pages_dirty() locks and marks every folio on every read. For an
 * anonymous folio marking is only setting PG_dirty, and a user buffer that
 * has been read into before is already dirty: skip those. Completion
 * re-checks (sdio_pages_need_dirtying()), as the kernel's path does, so a
 * folio cleaned in between is dirtied again there.
 */
static void sdio_set_pages_dirty(struct bio *bio)
{
	struct folio_iter fi;

	bio_for_each_folio_all(fi, bio) {
		if (folio_test_anon(fi.folio) && folio_test_dirty(fi.folio))
			continue;
		folio_lock(fi.folio);
		folio_mark_dirty(fi.folio);
		folio_unlock(fi.folio);
	}
}

/* Finish the request; may sleep only if @may_sleep. Frees the bio. */
static ssize_t sdio_finish(struct sdio_request *sr, bool may_sleep)
{
	struct bio *bio = &sr->bio;
	struct kiocb *iocb = sr->iocb;
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	if (unlikely(bio->bi_status)) {
		ret = blk_status_to_errno(bio->bi_status);
		sdio_count(SDIO_STAT_ERRORS);
		if (may_sleep)
			sdio_report_read_error(inode, iocb->ki_pos, sr->size,
					       ret);
	} else {
		ret = sr->size;
		iocb->ki_pos += ret;
	}

	bio_release_pages(bio, may_sleep && sdio_pages_need_dirtying(sr));
	bio_put(bio);
	inode_dio_end(inode);
	trace_sdio_complete(inode, iocb->ki_pos, ret);
	return ret;
}

static void sdio_complete_async(struct sdio_request *sr, bool may_sleep)
{
	struct kiocb *iocb = sr->iocb;

	if (sr->flags & SDIO_REQ_POLLED)
		WRITE_ONCE(iocb->private, NULL);
	iocb->ki_complete(iocb, sdio_finish(sr, may_sleep));
	sdio_mark_completed();
}

static void sdio_complete_work(struct work_struct *work)
{
	sdio_complete_async(container_of(work, struct sdio_request, work),
			    true);
}

static void sdio_end_io(struct bio *bio)
{
	struct sdio_request *sr = container_of(bio, struct sdio_request, bio);

	/*
	 * Errors go to process context like the kernel's own path: they are
	 * rare and must not be handled with interrupts off.
	 */
	if (unlikely(bio->bi_status) || sdio_pages_need_dirtying(sr)) {
		INIT_WORK(&sr->work, sdio_complete_work);
		queue_work(sdio_wq, &sr->work);
		return;
	}
	sdio_complete_async(sr, false);
}

static enum sdio_reason sdio_mapping_reason(const struct iomap *iomap,
					    loff_t pos, size_t count)
{
	switch (iomap->type) {
	case IOMAP_MAPPED:
		break;
	case IOMAP_HOLE:
		return SDIO_FB_HOLE;
	case IOMAP_UNWRITTEN:
		return SDIO_FB_UNWRITTEN;
	default:
		return SDIO_FB_NOT_MAPPED;
	}
	if (iomap->offset > pos || iomap->offset + iomap->length < pos + count)
		return SDIO_FB_MULTI_EXTENT;
	if (sdio_mapping_needs_integrity(iomap))
		return SDIO_FB_INTEGRITY;
	return SDIO_NR_REASONS;
}

/*
 * Issue the read of a range the file system has mapped (@iomi; the caller
 * did inode_dio_begin()) as one bio. Returns -EIOCBQUEUED for a queued
 * async read, the byte count or an error for a sync one, or an error where
 * the kernel's path would return the same one before any I/O. If the
 * mapping or the buffer makes the read ineligible, nothing is issued,
 * *@reason says why and the caller falls back. Either way the mapping is
 * finished (@ops; NULL where the kernel's caller owns it) and, unless a
 * bio is in flight, inode_dio_end() is done.
 *
 * IOCB_NOWAIT as on the full iomap path the read would otherwise take (6.1
 * through 7.3): only the mapping is non-blocking (IOMAP_NOWAIT), the bio
 * is not REQ_NOWAIT and its allocation may wait on the mempool. REQ_NOWAIT
 * would fail reads on devices without nowait support (device mapper:
 * -EOPNOTSUPP) and return -EAGAIN where the kernel's path blocks.
 */
static __always_inline ssize_t sdio_read_mapped(struct kiocb *iocb,
						struct iov_iter *iter,
						const struct iomap_ops *ops,
						struct iomap_iter *iomi,
						enum sdio_reason *reason)
{
	struct inode *inode = iomi->inode;
	size_t count = iomi->len;
	loff_t pos = iomi->pos;
	blk_opf_t opf = REQ_OP_READ;
	struct sdio_request *sr;
	struct block_device *bdev;
	struct bio_set *bs;
	unsigned short nr_vecs;
	struct bio *bio;
	ssize_t ret = 0;

	*reason = sdio_mapping_reason(&iomi->iomap, pos, count);
	if (*reason != SDIO_NR_REASONS)
		goto out_unwind;
	bdev = iomi->iomap.bdev;
	if (((pos | count) & (bdev_logical_block_size(bdev) - 1)) ||
	    !sdio_iter_aligned(bdev, iter)) {
		*reason = SDIO_FB_MISALIGNED;
		goto out_unwind;
	}

	nr_vecs = bio_iov_vecs_to_alloc(iter, BIO_MAX_VECS);
	bs = sdio_pick_bioset(nr_vecs, iocb, &opf);
	bio = bio_alloc_bioset(bdev, nr_vecs, opf, GFP_KERNEL, bs);
	if (unlikely(!bio)) {
		/* The mempool waits rather than fail; -EAGAIN if it did. */
		ret = -EAGAIN;
		goto out_aborted;
	}
	sr = container_of(bio, struct sdio_request, bio);
	sr->iocb = iocb;
	sr->size = count;
	sr->flags = 0;
	bio->bi_iter.bi_sector = iomap_sector(&iomi->iomap, pos);
	bio->bi_ioprio = iocb->ki_ioprio;

	ret = sdio_bio_get_pages(bio, iter);
	if (unlikely(ret)) {
		bio_put(bio);
		/* A misaligned buffer: the kernel's path gives the answer. */
		if (ret == -EINVAL) {
			*reason = SDIO_FB_MISALIGNED;
			ret = 0;
			goto out_unwind;
		}
		/* Same result as the kernel's path: nothing was issued. */
		goto out_aborted;
	}
	if (bio->bi_iter.bi_size != count) {
		iov_iter_revert(iter, bio->bi_iter.bi_size);
		bio_release_pages(bio, false);
		bio_put(bio);
		*reason = SDIO_FB_SPLIT;
		goto out_unwind;
	}
	if (user_backed_iter(iter)) {
		sr->flags |= SDIO_REQ_USER_BACKED;
		sdio_set_pages_dirty(bio);
	}

	sdio_count(SDIO_STAT_HITS);
	sdio_count(SDIO_STAT_SUBMITTED);
	trace_sdio_submit(inode, pos, count, iocb->ki_flags);

	if (is_sync_kiocb(iocb)) {
		/* Sync kiocbs cannot be polled reliably; the kernel agrees. */
		sdio_count(SDIO_STAT_HITS_SYNC);
		submit_bio_wait(bio);
		sdio_iomap_end(ops, iomi, count);
		ret = sdio_finish(sr, true);
		sdio_mark_completed();
		return ret;
	}

	bio->bi_end_io = sdio_end_io;
	if (iocb->ki_flags & IOCB_HIPRI) {
		sdio_count(SDIO_STAT_HITS_POLLED);
		sdio_set_polled(bio, iocb);
		sr->flags |= SDIO_REQ_POLLED;
		WRITE_ONCE(iocb->private, bio);
	}
	submit_bio(bio);
	/* The iocb may be gone now; the inode is pinned by the open file. */
	sdio_iomap_end(ops, iomi, count);
	return -EIOCBQUEUED;

out_aborted:
	sdio_count(SDIO_STAT_ABORTED);
out_unwind:
	sdio_iomap_end(ops, iomi, 0);
	inode_dio_end(inode);
	return ret;
}

/**
 * sdio_simple_read - map an eligible read and issue it as a single bio
 * @iocb: the caller's kiocb; ki_pos is advanced on success
 * @iter: destination of the read
 * @ops: the file system's iomap_ops
 * @dio_flags: the caller's IOMAP_DIO_* flags, for a fallback
 * @private: the file system's iomap_iter.private
 *
 * The caller checked everything that needs no mapping (see dio.c). Returns
 * what sdio_read_mapped() does; a read that the mapping makes ineligible
 * is handed to the kernel's path from here.
 */
ssize_t sdio_simple_read(struct kiocb *iocb, struct iov_iter *iter,
			 const struct iomap_ops *ops, unsigned int dio_flags,
			 void *private)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);
	/*
	 * A real iomap_iter, not a bare struct iomap: ->iomap_begin may reach
	 * iter->private through container_of(iomap, struct iomap_iter, iomap).
	 */
	struct iomap_iter iomi = {
		.inode		= inode,
		.pos		= iocb->ki_pos,
		.len		= count,
		.flags		= IOMAP_DIRECT,
		.private	= private,
	};
	enum sdio_reason reason;
	ssize_t ret;

	if (iocb->ki_flags & IOCB_NOWAIT)
		iomi.flags |= IOMAP_NOWAIT;

	/* Dirty page cache over the range must reach the disk first. */
	ret = sdio_write_and_wait(iocb, count);
	if (ret)
		goto out_aborted;

	inode_dio_begin(inode);
	ret = sdio_iomap_begin(ops, &iomi);
	if (ret) {
		inode_dio_end(inode);
		goto out_aborted;
	}

	ret = sdio_read_mapped(iocb, iter, ops, &iomi, &reason);
	if (reason != SDIO_NR_REASONS) {
		sdio_note_fallback(iocb, iter, reason);
		return sdio_kernel_dio_rw(iocb, iter, ops, NULL, dio_flags,
					  private, 0);
	}
	return ret;

out_aborted:
	sdio_count(SDIO_STAT_ABORTED);
	return ret;
}
