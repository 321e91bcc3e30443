/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, in one place. Each names the kernels it covers.
 * Kbuild probes the headers for the features (SDIO_HAVE_*), so distro
 * kernels with backports get the right side.
 *
 * Mapping to the upstream series (7.x), for users on newer test kernels:
 *  - bio_iov_iter_get_pages(bio, iter, align) takes an alignment mask
 *    there; 6.x checks alignment up front with bdev_iter_is_aligned().
 *  - IOMAP_DIO_BOUNCE and IOMAP_F_INTEGRITY exist there; a read that
 *    needs either must fall back. 6.x has neither.
 *  - fserror_report_io() reports failed reads there; 6.x has no fserror.
 *
 * Known limit, no shim possible: 6.1's tracing core does not create trace
 * events for TAINT_LIVEPATCH modules ("module has bad taint"); 6.12 does.
 */
#ifndef _SIMPLE_DIO_COMPAT_H
#define _SIMPLE_DIO_COMPAT_H

#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/blk_types.h>
#include <linux/bio.h>

/*
 * block/blk.h's BIO_INLINE_VECS (private; 4 from 5.x through 6.12): the
 * per-CPU bio cache only serves bios with at most this many vecs.
 */
#define SDIO_BIO_INLINE_VECS	4

/*
 * Write back dirty page cache over a direct read's range first; for
 * IOCB_NOWAIT only report -EAGAIN if that would be needed.
 * kiocb_write_and_wait(): 6.6 and later. Before (6.1): what 6.1's
 * __iomap_dio_rw() does for reads, open coded.
 */
#ifdef SDIO_HAVE_KIOCB_WRITE_AND_WAIT
static inline int sdio_write_and_wait(struct kiocb *iocb, size_t count)
{
	return kiocb_write_and_wait(iocb, count);
}
#else
static inline int sdio_write_and_wait(struct kiocb *iocb, size_t count)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	loff_t end = iocb->ki_pos + count - 1;

	if (iocb->ki_flags & IOCB_NOWAIT) {
		if (filemap_range_needs_writeback(mapping, iocb->ki_pos, end))
			return -EAGAIN;
		return 0;
	}
	return filemap_write_and_wait_range(mapping, iocb->ki_pos, end);
}
#endif

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

/*
 * May this read's bio come from the bioset's per-CPU cache? Until the bio
 * caches became irq safe (6.3) bio_put() may return a cached bio only in
 * task context and warns otherwise. There (6.1), io_uring marks kiocbs it
 * completes by polling with IOCB_ALLOC_CACHE, which blkdev_direct_IO()
 * relies on the same way, and a sync read puts its bio in the caller.
 */
#ifdef SDIO_HAVE_IRQ_SAFE_BIO_CACHE
static inline bool sdio_bio_cache_allowed(struct kiocb *iocb)
{
	return true;
}
#else
static inline bool sdio_bio_cache_allowed(struct kiocb *iocb)
{
	return is_sync_kiocb(iocb) || (iocb->ki_flags & IOCB_ALLOC_CACHE);
}
#endif

/*
 * Mark a bio polled the way the kernel's own iomap path does. Up to 6.5
 * (6.1) that is bio_set_polled(), which also makes every async polled bio
 * REQ_NOWAIT, so a device without nowait support (device mapper) fails it
 * with -EOPNOTSUPP on either path; 6.6 and later (6.12) set REQ_POLLED only.
 */
#ifdef SDIO_HAVE_BIO_SET_POLLED
static inline void sdio_set_polled(struct bio *bio, struct kiocb *iocb)
{
	bio_set_polled(bio, iocb);
}
#else
static inline void sdio_set_polled(struct bio *bio, struct kiocb *iocb)
{
	bio->bi_opf |= REQ_POLLED;
}
#endif

/* NULL when the simple path can run on this kernel, else why not. */
static inline const char *sdio_compat_unsupported(void)
{
	return NULL;
}

#endif /* _SIMPLE_DIO_COMPAT_H */
