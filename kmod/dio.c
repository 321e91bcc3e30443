// SPDX-License-Identifier: GPL-2.0
/*
 * Our iomap_dio_rw(): decide whether a call may take the simple path and
 * fall back to the kernel's own __iomap_dio_rw() + iomap_dio_complete()
 * otherwise. The cheap checks that need no mapping are done here, the
 * rest once ->iomap_begin has answered, in simple_read.c.
 */
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/iomap.h>
#include <linux/uio.h>
#include "simple_dio.h"
#include "fallback.h"

static enum sdio_reason sdio_check_call(struct kiocb *iocb,
					struct iov_iter *iter,
					const struct iomap_dio_ops *dops,
					unsigned int dio_flags,
					size_t done_before)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(iter);
	unsigned int max_bytes = READ_ONCE(sdio_knob_max_bytes);

	if (iov_iter_rw(iter) != READ)
		return SDIO_FB_WRITE;
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
	if (dio_flags & (IOMAP_DIO_FORCE_WAIT | IOMAP_DIO_PARTIAL))
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

/* The enabled path: a simple read, or a fallback counted by its reason. */
static noinline ssize_t sdio_try_simple(struct kiocb *iocb,
					struct iov_iter *iter,
					const struct iomap_ops *ops,
					const struct iomap_dio_ops *dops,
					unsigned int dio_flags, void *private,
					size_t done_before)
{
	enum sdio_reason reason;

	reason = sdio_check_call(iocb, iter, dops, dio_flags, done_before);
	if (reason == SDIO_NR_REASONS)
		return sdio_simple_read(iocb, iter, ops, dio_flags, private);
	sdio_note_fallback(iocb, iter, reason);
	return sdio_kernel_dio_rw(iocb, iter, ops, dops, dio_flags, private,
				  done_before);
}

ssize_t sdio_iomap_dio_rw(struct kiocb *iocb, struct iov_iter *iter,
			  const struct iomap_ops *ops,
			  const struct iomap_dio_ops *dops,
			  unsigned int dio_flags, void *private,
			  size_t done_before)
{
	ssize_t ret;

	if (READ_ONCE(sdio_knob_simple_read)) {
		ret = sdio_try_simple(iocb, iter, ops, dops, dio_flags,
				      private, done_before);
	} else {
		/*
		 * Counted but not traced: with nothing to keep across the
		 * call, this path needs no saved registers and stays close
		 * to the kernel's own iomap_dio_rw() in cost.
		 */
		sdio_count(SDIO_STAT_FALLBACK + SDIO_FB_DISABLED);
		ret = sdio_kernel_dio_rw(iocb, iter, ops, dops, dio_flags,
					 private, done_before);
	}
	/*
	 * No tail jump into our own code: livepatch sees a task inside the
	 * module only by this function's frame on its stack, and
	 * sdio_simple_drain() relies on the transition having waited for
	 * every such task.
	 */
	prevent_tail_call_optimization();
	return ret;
}
