/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Leaving for the kernel's path: count the read's or write's reason, trace
 * it, and run the kernel's own iomap_dio_rw(). Inline: every ineligible
 * read or write runs it, and the calls stay inside our hooked function's
 * entry and exit counts (hook.c).
 */
#ifndef _SIMPLE_DIO_FALLBACK_H
#define _SIMPLE_DIO_FALLBACK_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/uio.h>
#include "simple_dio.h"
#include "trace.h"

static inline void sdio_note_fallback(struct kiocb *iocb,
				      struct iov_iter *iter,
				      enum sdio_reason reason)
{
	sdio_count(SDIO_STAT_FALLBACK + reason);
	trace_sdio_fallback(file_inode(iocb->ki_filp), iocb->ki_pos,
			    iov_iter_count(iter), reason);
}

static inline void sdio_note_write_fallback(struct kiocb *iocb,
					    struct iov_iter *iter,
					    enum sdio_wreason reason)
{
	sdio_count(SDIO_STAT_W_FALLBACK + reason);
	trace_sdio_write_fallback(file_inode(iocb->ki_filp), iocb->ki_pos,
				  iov_iter_count(iter), reason);
}

static inline ssize_t sdio_kernel_dio_rw(struct kiocb *iocb,
					 struct iov_iter *iter,
					 const struct iomap_ops *ops,
					 const struct iomap_dio_ops *dops,
					 unsigned int dio_flags, void *private,
					 size_t done_before)
{
	struct iomap_dio *dio;

	dio = __iomap_dio_rw(iocb, iter, ops, dops, dio_flags, private,
			     done_before);
	if (IS_ERR_OR_NULL(dio))
		return PTR_ERR_OR_ZERO(dio);
	return iomap_dio_complete(dio);
}

#endif /* _SIMPLE_DIO_FALLBACK_H */
