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
#include <linux/blk_types.h>

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

/*
 * Bio flags for an IOCB_NOWAIT read. On 6.1 and 6.12 the kernel's iomap
 * path makes only the mapping non-blocking (IOMAP_NOWAIT) and never marks
 * its bios REQ_NOWAIT; doing so here would fail reads on devices without
 * nowait support (device mapper: -EOPNOTSUPP) and return -EAGAIN where the
 * kernel's path blocks. The upstream 7.x series sets REQ_NOWAIT because
 * its iomap does: return REQ_NOWAIT for IOCB_NOWAIT there.
 */
static inline blk_opf_t sdio_nowait_bio_opf(const struct kiocb *iocb)
{
	return 0;
}

/* NULL when the simple path can run on this kernel, else why not. */
static inline const char *sdio_compat_unsupported(void)
{
	return NULL;
}

#endif /* _SIMPLE_DIO_COMPAT_H */
