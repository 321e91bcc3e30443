/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, in one place. Each names the kernels it covers.
 *
 * Mapping to the upstream series (7.x), for users on newer test kernels:
 *  - bio_iov_iter_get_pages(bio, iter, align) takes an alignment mask
 *    there; 6.x checks alignment up front with bdev_iter_is_aligned().
 *  - IOMAP_DIO_BOUNCE and IOMAP_F_INTEGRITY exist there; a read that
 *    needs either must fall back. 6.x has neither.
 *  - fserror_report_io() reports failed reads there; 6.x has no fserror.
 */
#ifndef _SIMPLE_DIO_COMPAT_H
#define _SIMPLE_DIO_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/pagemap.h>

/*
 * block/blk.h's BIO_INLINE_VECS (private; 4 from 5.x through 6.12): the
 * per-CPU bio cache only serves bios with at most this many vecs.
 */
#define SDIO_BIO_INLINE_VECS	4

/* kiocb_write_and_wait(): 6.6 and later. */
static inline int sdio_write_and_wait(struct kiocb *iocb, size_t count)
{
	return kiocb_write_and_wait(iocb, count);
}

/* NULL when the simple path can run on this kernel, else why not. */
static inline const char *sdio_compat_unsupported(void)
{
	return NULL;
}

#endif /* _SIMPLE_DIO_COMPAT_H */
