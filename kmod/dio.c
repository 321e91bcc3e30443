// SPDX-License-Identifier: GPL-2.0
/*
 * Our iomap_dio_rw(): decide whether a call may take a simple path and
 * fall back to the kernel's own __iomap_dio_rw() + iomap_dio_complete()
 * otherwise. The cheap checks that need no mapping are done here, the
 * rest once ->iomap_begin has answered, in simple_read.c and
 * simple_write.c.
 */
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/iomap.h>
#include <linux/uio.h>
#include "simple_dio.h"
#include "compat.h"
#include "fallback.h"
#include "write_streak.h"

static enum sdio_reason sdio_check_read(struct kiocb *iocb,
					struct iov_iter *iter,
					const struct iomap_dio_ops *dops,
					unsigned int dio_flags,
					size_t done_before)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);
	unsigned int max_bytes = READ_ONCE(sdio_knob_max_bytes);

	if (!READ_ONCE(sdio_knob_simple_read))
		return SDIO_FB_READ_OFF;
	if (!count)
		return SDIO_FB_EMPTY;
	/* Large reads are the common reason to miss; filter them first. */
	if (count > (max_bytes ? max_bytes : i_blocksize(inode)))
		return SDIO_FB_TOO_LARGE;
	/*
	 * dops means the file system wants its ->end_io or ->submit_io run,
	 * or its own bio_set with its own front_pad: not ours to bypass.
	 */
	if (dops)
		return SDIO_FB_DOPS;
	/* A caller's earlier partial progress cannot ride one bio. */
	if (done_before)
		return SDIO_FB_DONE_BEFORE;
	if (dio_flags & SDIO_DIO_FLAGS_UNSUPPORTED)
		return SDIO_FB_FLAGS;
	/* Short reads at EOF need the kernel's i_size trimming. */
	if (iocb->ki_pos + count > i_size_read(inode))
		return SDIO_FB_BEYOND_EOF;
	if (IS_ENCRYPTED(inode))
		return SDIO_FB_ENCRYPTED;
	if (unlikely(sdio_unsupported_why))
		return SDIO_FB_UNSUPPORTED;
	return SDIO_NR_REASONS;
}

/*
 * A write the simple write path may take once its mapping is known: an
 * overwrite inside i_size (no size change, no append), of at most
 * max_bytes, that the file system completes through ->end_io alone (a fs
 * with its own ->submit_io or bio_set builds its bios itself), with no
 * IOMAP_DIO_* flag (ext4 and xfs pass none for an aligned overwrite; the
 * others ask to wait, for partial results, for overwrite-only retries,
 * for no sync, for block-aligned or bounced bios).
 */
static enum sdio_wreason sdio_check_write(struct kiocb *iocb,
					  struct iov_iter *iter,
					  const struct iomap_dio_ops *dops,
					  unsigned int dio_flags,
					  size_t done_before)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);
	unsigned int max_bytes = READ_ONCE(sdio_knob_max_bytes);

	if (!count)
		return SDIO_WFB_EMPTY;
	if (count > (max_bytes ? max_bytes : i_blocksize(inode)))
		return SDIO_WFB_TOO_LARGE;
	if (dops && (dops->submit_io || dops->bio_set))
		return SDIO_WFB_DOPS;
	if (done_before)
		return SDIO_WFB_DONE_BEFORE;
	/* Before the flags: ext4 asks extending writes to wait. */
	if (iocb->ki_flags & IOCB_APPEND)
		return SDIO_WFB_APPEND;
	if (iocb->ki_pos + count > i_size_read(inode))
		return SDIO_WFB_BEYOND_EOF;
	if (sdio_iocb_atomic(iocb))
		return SDIO_WFB_ATOMIC;
	if (dio_flags)
		return SDIO_WFB_FLAGS;
	if (IS_ENCRYPTED(inode))
		return SDIO_WFB_ENCRYPTED;
	if (unlikely(sdio_unsupported_why))
		return SDIO_WFB_UNSUPPORTED;
	/*
	 * Async completions that must sleep run in the file system's dio
	 * workqueue, which only the kernel's path creates.
	 */
	if (!is_sync_kiocb(iocb) && !inode->i_sb->s_dio_done_wq)
		return SDIO_WFB_NO_DIO_WQ;
	return SDIO_NR_WREASONS;
}

static ssize_t sdio_dio_write(struct kiocb *iocb, struct iov_iter *iter,
			      const struct iomap_ops *ops,
			      const struct iomap_dio_ops *dops,
			      unsigned int dio_flags, void *private,
			      size_t done_before)
{
	enum sdio_wreason wreason;

	if (!READ_ONCE(sdio_knob_simple_write)) {
		sdio_note_fallback(iocb, iter, SDIO_FB_WRITE);
		goto fallback;
	}
	/* First: a write that continues a run of fallbacks costs least here. */
	if (sdio_write_continues_streak(iocb, file_inode(iocb->ki_filp),
					iocb->ki_pos, iov_iter_count(iter)))
		wreason = SDIO_WFB_STREAK;
	else
		wreason = sdio_check_write(iocb, iter, dops, dio_flags,
					   done_before);
	if (wreason == SDIO_NR_WREASONS)
		return sdio_simple_write(iocb, iter, ops, dops, dio_flags,
					 private);
	sdio_note_write_fallback(iocb, iter, wreason);
fallback:
	return sdio_kernel_dio_rw(iocb, iter, ops, dops, dio_flags, private,
				  done_before);
}

/*
 * 7.3: ext4 and xfs offer every read of up to one block that lies inside
 * i_size of an unencrypted file to the kernel's own simple path before
 * they call iomap_dio_rw(). Such a read arriving here was declined there
 * (a hole, several extents, ...) or bypassed by simple_read=0 turning it
 * off: it takes the kernel's path, counted as passed_on, not mapped again
 * by us. The rest (larger than a block, up to max_bytes) are ours.
 */
#ifdef SDIO_HAVE_KERNEL_SIMPLE_READ
static __always_inline bool sdio_passed_on(struct kiocb *iocb,
					   struct iov_iter *iter,
					   const struct iomap_dio_ops *dops)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);

	return !dops && count <= i_blocksize(inode) &&
	       iocb->ki_pos + count <= i_size_read(inode) &&
	       !IS_ENCRYPTED(inode);
}
#else
static __always_inline bool sdio_passed_on(struct kiocb *iocb,
					   struct iov_iter *iter,
					   const struct iomap_dio_ops *dops)
{
	return false;
}
#endif

/*
 * Entered from the hook's trampoline in place of iomap_dio_rw(): a simple
 * read or write, or the kernel's path with the reason counted. The hook
 * is in only while simple_read or simple_write is 1; a call that raced
 * with its removal still takes the path it started on. The first and last
 * thing it does is count, for unload (hook.c). notrace: no __fentry__ nop
 * on every call.
 */
notrace ssize_t sdio_iomap_dio_rw(struct kiocb *iocb, struct iov_iter *iter,
				  const struct iomap_ops *ops,
				  const struct iomap_dio_ops *dops,
				  unsigned int dio_flags, void *private,
				  size_t done_before)
{
	enum sdio_reason reason;
	ssize_t ret;

	sdio_count(SDIO_STAT_ENTERED);
	if (iov_iter_rw(iter) != READ) {
		ret = sdio_dio_write(iocb, iter, ops, dops, dio_flags, private,
				     done_before);
		goto out;
	}
	if (sdio_passed_on(iocb, iter, dops)) {
		sdio_count(SDIO_STAT_PASSED_ON);
		ret = sdio_kernel_dio_rw(iocb, iter, ops, dops, dio_flags,
					 private, done_before);
		goto out;
	}
	reason = sdio_check_read(iocb, iter, dops, dio_flags, done_before);
	if (reason == SDIO_NR_REASONS) {
		ret = sdio_simple_read(iocb, iter, ops, dio_flags, private);
	} else {
		sdio_note_fallback(iocb, iter, reason);
		ret = sdio_kernel_dio_rw(iocb, iter, ops, dops, dio_flags,
					 private, done_before);
	}
out:
	sdio_count(SDIO_STAT_LEFT);
	return ret;
}
