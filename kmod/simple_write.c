// SPDX-License-Identifier: GPL-2.0
/*
 * The simple write path (simple_write=1): an O_DIRECT overwrite of one
 * written extent inside i_size that fits one bio is issued as a single bio
 * from our bioset (request.h), without a struct iomap_dio or the iomap
 * iterator. What the kernel's own path does for such a pure overwrite is
 * done here in the same order and with the same answers: page cache
 * invalidation before and after, inode_dio_begin/end, REQ_FUA for O_DSYNC
 * exactly where the kernel uses it and generic_write_sync() in task
 * context where it does not, the file system's ->end_io with the kernel's
 * arguments in the context the kernel calls it from, IOCB_NOWAIT and
 * polling per kernel. Whatever the mapping shows not to be a pure
 * overwrite goes to the kernel's path, counted by reason.
 *
 * An async write holds two references, the submitter's and the bio's,
 * as iomap_dio_rw() holds dio->ref: a bio that completes before
 * submit_bio() returns (a synchronous driver, null_blk's default) is
 * finished by the submitter, which returns the byte count; otherwise the
 * completion finishes it. Per kernel (Debian's 6.1, 6.12, 7.2, 7.3), where
 * the completion finishes an async pure overwrite and whether it is polled:
 *
 *  - 6.1: in the file system's dio workqueue; polled all the same
 *    (bio_set_polled(), the completion queues the work).
 *  - 6.6 on (6.12): in the dio workqueue; never polled, IOCB_HIPRI is
 *    cleared (only inline or caller completions may be polled there).
 *    6.12's xfs ->end_io takes i_flags_lock, which is not irq safe.
 *  - 7.x (7.2, 7.3): from ->bi_end_io, ->end_io included, unless the write
 *    needs a sync after it (no FUA), page cache appeared over the file by
 *    completion, or it failed: then the dio workqueue. Polled when the
 *    inline completion is possible at submission.
 *
 * O_DSYNC without O_SYNC is written through with REQ_FUA when the mapping
 * is not IOMAP_F_DIRTY (the fs has no metadata to sync) and the device has
 * FUA (6.1), or has FUA or no volatile write cache (6.6 on).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/errseq.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/pagemap.h>
#include <linux/task_io_accounting_ops.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include "simple_dio.h"
#include "compat.h"
#include "fallback.h"
#include "request.h"
#include "trace.h"
#include "write_streak.h"

/* The kernel versions these follow are Kbuild's (SDIO_IOMAP_*). */
#ifdef SDIO_IOMAP_7
#define SDIO_WRITE_INLINE_COMP	true	/* 7.x: from ->bi_end_io */
#else
#define SDIO_WRITE_INLINE_COMP	false	/* 6.x: the dio workqueue */
#endif
#ifdef SDIO_IOMAP_6_6
#define SDIO_WRITE_POLLED_ALWAYS false	/* only what completes inline */
#define SDIO_FUA_WITHOUT_CACHE	true	/* no volatile cache: as FUA */
#else
#define SDIO_WRITE_POLLED_ALWAYS true	/* 6.1 */
#define SDIO_FUA_WITHOUT_CACHE	false
#endif

/*
 * Before a direct write: write back and drop the page cache over the
 * range, with the kernel path's answers: -EAGAIN for IOCB_NOWAIT with
 * cached pages; -ENOTBLK (fall back to buffered) when the cache cannot be
 * dropped; on 6.1 a writeback error as it is, on 6.12 and later -ENOTBLK
 * for that too.
 */
static int sdio_invalidate_before_write(struct kiocb *iocb, size_t count)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	int ret;

	/*
	 * No page cache at all and no writeback error to report: the kernel's
	 * calls below would start with the same checks and return 0, after
	 * about 170 instructions (6.12: the NOWAIT page lookup, the zeroed
	 * arrays of invalidate_inode_pages2_range()). A file used for
	 * O_DIRECT usually has none.
	 */
	if (mapping_empty(mapping) && !test_bit(AS_EIO, &mapping->flags) &&
	    !test_bit(AS_ENOSPC, &mapping->flags))
		return 0;
#ifdef SDIO_HAVE_KIOCB_INVALIDATE_PAGES
	ret = kiocb_invalidate_pages(iocb, count);
	if (ret && ret != -EAGAIN)
		ret = -ENOTBLK;
	return ret;
#else
	loff_t pos = iocb->ki_pos, end = pos + count - 1;

	if ((iocb->ki_flags & IOCB_NOWAIT) &&
	    filemap_range_has_page(mapping, pos, end))
		return -EAGAIN;
	ret = filemap_write_and_wait_range(mapping, pos, end);
	if (ret)
		return ret;
	if (invalidate_inode_pages2_range(mapping, pos >> PAGE_SHIFT,
					  end >> PAGE_SHIFT))
		return -ENOTBLK;
	return 0;
#endif
}

/*
 * After it: drop pages cached meanwhile (a racing buffered read, a fault
 * on an mmap of the file being the source); if that fails the write still
 * worked, and the kernel marks the mapping's writeback error and says so.
 */
static void sdio_invalidate_after_write(struct kiocb *iocb, size_t count)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	loff_t pos = iocb->ki_pos;

	if (!mapping->nrpages ||
	    !invalidate_inode_pages2_range(mapping, pos >> PAGE_SHIFT,
					   (pos + count - 1) >> PAGE_SHIFT))
		return;
	errseq_set(&mapping->wb_err, -EIO);
	pr_crit_ratelimited("page cache invalidation failed after a direct write to %pD4\n",
			    iocb->ki_filp);
}

/*
 * Finish a write as iomap_dio_complete() does: the file system's ->end_io
 * (flags 0: no unwritten or shared extent was written), the page cache,
 * inode_dio_end(), the position and, if it was not written through, the
 * O_[D]SYNC sync. Frees the bio. Task context unless @inline_ok.
 */
static ssize_t sdio_write_finish(struct sdio_request *sr, bool inline_ok)
{
	const struct iomap_dio_ops *dops = sr->dops;
	struct kiocb *iocb = sr->iocb;
	struct inode *inode = file_inode(iocb->ki_filp);
	int error = blk_status_to_errno(sr->bio.bi_status);
	unsigned int flags = sr->flags;
	size_t size = sr->size;
	ssize_t ret = error;

	bio_release_pages(&sr->bio, false);
	bio_put(&sr->bio);
	if (unlikely(error)) {
		sdio_count(SDIO_STAT_W_ERRORS);
		sdio_report_write_error(inode, iocb->ki_pos, size, error);
	}
	if (dops && dops->end_io)
		ret = dops->end_io(iocb, size, error, 0);
	if (!ret)
		ret = size;
	if (!error && !inline_ok)
		sdio_invalidate_after_write(iocb, size);
	inode_dio_end(inode);
	if (ret > 0) {
		iocb->ki_pos += ret;
		if (flags & SDIO_REQ_NEED_SYNC)
			ret = generic_write_sync(iocb, ret);
	}
	trace_sdio_write_complete(inode, iocb->ki_pos, ret);
	return ret;
}

static void sdio_write_complete_work(struct work_struct *work)
{
	struct sdio_request *sr = container_of(work, struct sdio_request, work);
	struct kiocb *iocb = sr->iocb;

	iocb->ki_complete(iocb, sdio_write_finish(sr, false));
	sdio_mark_completed();
}

static void sdio_write_end_io(struct bio *bio)
{
	struct sdio_request *sr = container_of(bio, struct sdio_request, bio);
	struct kiocb *iocb = sr->iocb;

	/* The bio is about to be freed: no poller may look at it from now. */
	if (sr->flags & SDIO_REQ_POLLED)
		WRITE_ONCE(iocb->private, NULL);
	/* Still in submission: the submitter finishes the write. */
	if (!atomic_dec_and_test(&sr->ref))
		return;
	/*
	 * 7.x completes here unless page cache must be dropped first (then,
	 * like errors, in the workqueue); it may not sleep here either way.
	 */
	if ((sr->flags & SDIO_REQ_INLINE_COMP) && likely(!bio->bi_status) &&
	    !iocb->ki_filp->f_mapping->nrpages) {
		iocb->ki_complete(iocb, sdio_write_finish(sr, true));
		sdio_mark_completed();
		return;
	}
	INIT_WORK(&sr->work, sdio_write_complete_work);
	queue_work(file_inode(iocb->ki_filp)->i_sb->s_dio_done_wq, &sr->work);
}

static void sdio_write_sync_end_io(struct bio *bio)
{
	complete(bio->bi_private);
}

static enum sdio_wreason sdio_write_mapping_reason(const struct iomap *iomap,
						   loff_t pos, size_t count)
{
	switch (iomap->type) {
	case IOMAP_MAPPED:
		break;
	case IOMAP_HOLE:
		return SDIO_WFB_HOLE;
	case IOMAP_UNWRITTEN:
		return SDIO_WFB_UNWRITTEN;
	default:
		return SDIO_WFB_NOT_MAPPED;
	}
	if (iomap->flags & IOMAP_F_NEW)
		return SDIO_WFB_NEW;
	if (iomap->flags & IOMAP_F_SHARED)
		return SDIO_WFB_SHARED;
	if (sdio_mapping_needs_integrity(iomap))
		return SDIO_WFB_INTEGRITY;
	/* Zone append, fs-assigned blocks, atomic bios, tail zeroing. */
	if (iomap->flags & SDIO_IOMAP_F_WRITE_UNSUPPORTED)
		return SDIO_WFB_NOT_MAPPED;
	if (iomap->offset > pos || iomap->offset + iomap->length < pos + count)
		return SDIO_WFB_MULTI_EXTENT;
	return SDIO_NR_WREASONS;
}

/* REQ_FUA for O_DSYNC, as iomap_dio_bio_iter() decides it (see the top). */
static bool sdio_write_through(struct kiocb *iocb, const struct iomap *iomap)
{
	struct block_device *bdev = iomap->bdev;

	if (!iocb_is_dsync(iocb) || (iocb->ki_flags & IOCB_SYNC) ||
	    (iomap->flags & IOMAP_F_DIRTY))
		return false;
	if (SDIO_FUA_WITHOUT_CACHE && !bdev_write_cache(bdev))
		return true;
	return bdev_fua(bdev);
}

/*
 * Issue a mapped overwrite (@iomi; the caller did inode_dio_begin()) as
 * one bio: -EIOCBQUEUED for a queued async write, the byte count or an
 * error for a sync one, or an error where the kernel's path returns the
 * same one before any I/O. If the mapping or the buffer makes the write
 * ineligible, nothing is issued and *@reason says why. Either way the
 * mapping is finished and, unless a bio is in flight, inode_dio_end() is
 * done.
 */
static __always_inline ssize_t sdio_write_mapped(struct kiocb *iocb,
						 struct iov_iter *iter,
						 const struct iomap_ops *ops,
						 const struct iomap_dio_ops *dops,
						 struct iomap_iter *iomi,
						 enum sdio_wreason *reason)
{
	struct inode *inode = iomi->inode;
	size_t count = iomi->len;
	loff_t pos = iomi->pos;
	DECLARE_COMPLETION_ONSTACK(done);
	struct sdio_request *sr;
	struct bio *bio;
	ssize_t ret = 0;

	*reason = sdio_write_mapping_reason(&iomi->iomap, pos, count);
	if (*reason != SDIO_NR_WREASONS)
		goto out_unwind;
	sr = sdio_request_get(iocb, iter, iomi,
			      REQ_OP_WRITE | REQ_SYNC | REQ_IDLE);
	if (IS_ERR(sr)) {
		ret = PTR_ERR(sr);
		if (ret == -EINVAL || ret == -E2BIG) {
			*reason = ret == -EINVAL ? SDIO_WFB_MISALIGNED :
						   SDIO_WFB_SPLIT;
			ret = 0;
			goto out_unwind;
		}
		goto out_aborted;
	}
	bio = &sr->bio;
	sr->dops = dops;
	sdio_bio_set_write_hint(bio, inode);

	if (sdio_write_through(iocb, &iomi->iomap)) {
		bio->bi_opf |= REQ_FUA;
		sdio_count(SDIO_STAT_W_HITS_FUA);
	} else if (iocb_is_dsync(iocb)) {
		sr->flags |= SDIO_REQ_NEED_SYNC;
		sdio_count(SDIO_STAT_W_HITS_SYNCED);
	}
	task_io_account_write(count);
	sdio_count(SDIO_STAT_W_HITS);
	sdio_count(SDIO_STAT_SUBMITTED);
	trace_sdio_write_submit(inode, pos, count, iocb->ki_flags);

	if (is_sync_kiocb(iocb)) {
		/* The kernel's order: submit, end the mapping, then wait. */
		sdio_count(SDIO_STAT_W_HITS_SYNC);
		bio->bi_private = &done;
		bio->bi_end_io = sdio_write_sync_end_io;
		submit_bio(bio);
		sdio_iomap_end(ops, iomi, count);
		wait_for_completion_io(&done);
		ret = sdio_write_finish(sr, false);
		sdio_mark_completed();
		return ret;
	}

	if (SDIO_WRITE_INLINE_COMP && !(sr->flags & SDIO_REQ_NEED_SYNC))
		sr->flags |= SDIO_REQ_INLINE_COMP;
	bio->bi_end_io = sdio_write_end_io;
	if ((iocb->ki_flags & IOCB_HIPRI) &&
	    (SDIO_WRITE_POLLED_ALWAYS || (sr->flags & SDIO_REQ_INLINE_COMP))) {
		sdio_count(SDIO_STAT_W_HITS_POLLED);
		sdio_set_polled(bio, iocb);
		sr->flags |= SDIO_REQ_POLLED;
		WRITE_ONCE(iocb->private, bio);
	} else {
		iocb->ki_flags &= ~IOCB_HIPRI;
	}
	atomic_set(&sr->ref, 2);
	submit_bio(bio);
	sdio_iomap_end(ops, iomi, count);
	/*
	 * Dropping the submitter's reference hands the write to the
	 * completion, and the iocb may be gone then; the last reference
	 * means it completed in submission: finish it here, in task context,
	 * as iomap_dio_rw() does, rather than pay a workqueue round trip.
	 */
	if (!atomic_dec_and_test(&sr->ref))
		return -EIOCBQUEUED;
	ret = sdio_write_finish(sr, false);
	sdio_mark_completed();
	return ret;

out_aborted:
	sdio_count(SDIO_STAT_W_ABORTED);
out_unwind:
	sdio_iomap_end(ops, iomi, 0);
	inode_dio_end(inode);
	return ret;
}

/**
 * sdio_simple_write - map an eligible overwrite and issue it as one bio
 * @iocb: the caller's kiocb; ki_pos is advanced on success
 * @iter: source of the write
 * @ops: the file system's iomap_ops
 * @dops: the file system's iomap_dio_ops (->end_io only; see dio.c)
 * @dio_flags: the caller's IOMAP_DIO_* flags, for a fallback (none here)
 * @private: the file system's iomap_iter.private
 *
 * The caller checked everything that needs no mapping (dio.c). A write
 * whose mapping makes it ineligible is handed to the kernel's path here.
 */
ssize_t sdio_simple_write(struct kiocb *iocb, struct iov_iter *iter,
			  const struct iomap_ops *ops,
			  const struct iomap_dio_ops *dops,
			  unsigned int dio_flags, void *private)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);
	struct iomap_iter iomi = {
		.inode		= inode,
		.pos		= iocb->ki_pos,
		.len		= count,
		.flags		= IOMAP_DIRECT | IOMAP_WRITE | IOMAP_OVERWRITE_ONLY,
		.private	= private,
	};
	enum sdio_wreason reason;
	ssize_t ret;

	switch (sdio_write_ops_verdict(inode, ops)) {
	case SDIO_WOPS_PROBE:
		break;
	case SDIO_WOPS_NOT_OVERWRITE:
		reason = SDIO_WFB_NOT_OVERWRITE;
		goto fallback;
	default:
		reason = SDIO_WFB_FS;
		goto fallback;
	}
	if (iocb->ki_flags & IOCB_NOWAIT)
		iomi.flags |= IOMAP_NOWAIT;

	ret = sdio_invalidate_before_write(iocb, count);
	if (ret) {
		sdio_count(SDIO_STAT_W_ABORTED);
		return ret;
	}

	inode_dio_begin(inode);
	/*
	 * Any error, -EAGAIN included (IOMAP_OVERWRITE_ONLY makes more of
	 * them than the kernel's own mapping call), is the kernel path's to
	 * answer: it maps again without the flag.
	 */
	if (sdio_iomap_begin(ops, &iomi)) {
		inode_dio_end(inode);
		reason = SDIO_WFB_MAP_FAILED;
		/* Under IOMAP_NOWAIT it may be a lock, not the extents. */
		if (iomi.flags & IOMAP_NOWAIT)
			goto fallback;
		goto map_fallback;
	}
	ret = sdio_write_mapped(iocb, iter, ops, dops, &iomi, &reason);
	if (reason == SDIO_NR_WREASONS)
		return ret;
map_fallback:
	if (sdio_wreason_is_mapping(reason))
		sdio_write_streak_note(inode, iomi.pos + count);
fallback:
	sdio_note_write_fallback(iocb, iter, reason);
	return sdio_kernel_dio_rw(iocb, iter, ops, dops, dio_flags, private, 0);
}
