/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, in one place. Each names the kernels it covers
 * (Debian 6.1, 6.12, 7.2, 7.3). Kbuild probes the headers for the features
 * (SDIO_HAVE_*), so distro kernels with backports get the right side.
 */
#ifndef _SIMPLE_DIO_COMPAT_H
#define _SIMPLE_DIO_COMPAT_H

#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/pagemap.h>
#include <linux/blk_types.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/iomap.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#ifdef SDIO_HAVE_FSERROR
#include <linux/fserror.h>
#endif

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

/*
 * Memory alignment and pinning. 6.1 and 6.12: bdev_iter_is_aligned() up
 * front, then bio_iov_iter_get_pages(). 7.2 and 7.3 dropped the former and
 * no longer export the latter; iov_iter_extract_bvecs() is what the
 * kernel's own path builds on there, and it checks the memory alignment
 * itself (-EINVAL, before pinning anything). Bvec iterators (io_uring's
 * registered buffers, loop) are used in place, as the kernel does.
 * Returns 0, -EINVAL for a misaligned buffer (the caller falls back; the
 * kernel's path gives the answer), or another error with nothing pinned.
 */
#ifdef SDIO_HAVE_IOV_ITER_EXTRACT_BVECS
static inline bool sdio_iter_aligned(struct block_device *bdev,
				     struct iov_iter *iter)
{
	return true;	/* checked while pinning, see sdio_bio_get_pages() */
}

static inline void sdio_bvec_iter_set_offset(struct bvec_iter *bi,
					     unsigned int offset)
{
#ifdef SDIO_HAVE_BVEC_ITER_BI_OFFSET
	bi->bi_offset = offset;		/* 7.3 */
#else
	bi->bi_bvec_done = offset;	/* 7.2 */
#endif
}

static inline int sdio_bio_get_pages(struct bio *bio, struct iov_iter *iter)
{
	unsigned int mem_align_mask = bdev_dma_alignment(bio->bi_bdev);
	size_t count = iov_iter_count(iter);
	ssize_t ret;

	if (iov_iter_is_bvec(iter)) {
		/* Only the first segment's offset is the user's to choose. */
		if ((iter->bvec->bv_offset + iter->iov_offset) & mem_align_mask)
			return -EINVAL;
		bio->bi_io_vec = (struct bio_vec *)iter->bvec;
		bio->bi_iter.bi_idx = 0;
		sdio_bvec_iter_set_offset(&bio->bi_iter, iter->iov_offset);
		bio->bi_iter.bi_size = count;
		bio_set_flag(bio, BIO_CLONED);
		iov_iter_advance(iter, count);
		return 0;
	}
	if (iov_iter_extract_will_pin(iter))
		bio_set_flag(bio, BIO_PAGE_PINNED);
	ret = iov_iter_extract_bvecs(iter, bio->bi_io_vec, count, &bio->bi_vcnt,
				     bio->bi_max_vecs, mem_align_mask, 0);
	if (ret <= 0)
		return ret ? ret : -EFAULT;
	bio->bi_iter.bi_size = ret;
	return 0;
}
#else
static inline bool sdio_iter_aligned(struct block_device *bdev,
				     struct iov_iter *iter)
{
	return bdev_iter_is_aligned(bdev, iter);
}

static inline int sdio_bio_get_pages(struct bio *bio, struct iov_iter *iter)
{
	return bio_iov_iter_get_pages(bio, iter);
}
#endif

/*
 * Mappings whose bios need integrity metadata (IOMAP_F_INTEGRITY, 7.x)
 * are the kernel path's to build.
 */
static inline bool sdio_mapping_needs_integrity(const struct iomap *iomap)
{
#ifdef IOMAP_F_INTEGRITY
	return iomap->flags & IOMAP_F_INTEGRITY;
#else
	return false;
#endif
}

/*
 * IOMAP_DIO_* flags the simple path does not implement: the caller wants
 * to wait, a partial result, fs-block aligned bios (7.x) or bounce
 * buffers (7.x).
 */
#define SDIO_DIO_FLAGS_UNSUPPORTED_BASE	(IOMAP_DIO_FORCE_WAIT | IOMAP_DIO_PARTIAL)
#ifdef IOMAP_DIO_FSBLOCK_ALIGNED
#define SDIO_DIO_FLAG_FSBLOCK_ALIGNED	IOMAP_DIO_FSBLOCK_ALIGNED
#else
#define SDIO_DIO_FLAG_FSBLOCK_ALIGNED	0
#endif
#ifdef IOMAP_DIO_BOUNCE
#define SDIO_DIO_FLAG_BOUNCE		IOMAP_DIO_BOUNCE
#else
#define SDIO_DIO_FLAG_BOUNCE		0
#endif
#define SDIO_DIO_FLAGS_UNSUPPORTED	(SDIO_DIO_FLAGS_UNSUPPORTED_BASE | \
					 SDIO_DIO_FLAG_FSBLOCK_ALIGNED | \
					 SDIO_DIO_FLAG_BOUNCE)

/*
 * A failed read is reported to fserror (fsnotify) on 7.x, as the kernel's
 * iomap_dio_complete() does; 6.x has no fserror.
 */
static inline void sdio_report_read_error(struct inode *inode, loff_t pos,
					  size_t count, int error)
{
#ifdef SDIO_HAVE_FSERROR
	if (error != -EAGAIN && error != -ENOTBLK)
		fserror_report_io(inode, FSERR_DIRECTIO_READ, pos, count, error,
				  GFP_NOFS);
#endif
}

/* A failed write, reported like a failed read (7.x). */
static inline void sdio_report_write_error(struct inode *inode, loff_t pos,
					   size_t count, int error)
{
#ifdef SDIO_HAVE_FSERROR
	if (error != -EAGAIN && error != -ENOTBLK)
		fserror_report_io(inode, FSERR_DIRECTIO_WRITE, pos, count,
				  error, GFP_NOFS);
#endif
}

/* IOCB_ATOMIC: torn-write protection, 6.11 on (6.12, 7.x). */
static inline bool sdio_iocb_atomic(struct kiocb *iocb)
{
#ifdef IOCB_ATOMIC
	return iocb->ki_flags & IOCB_ATOMIC;
#else
	return false;
#endif
}

/* The inode's write hint on the bio: 6.9 on (6.12, 7.x). */
static inline void sdio_bio_set_write_hint(struct bio *bio,
					   struct inode *inode)
{
#ifdef SDIO_HAVE_BIO_WRITE_HINT
	bio->bi_write_hint = inode->i_write_hint;
#endif
}

/*
 * Mapping flags whose writes the kernel's path builds differently: zone
 * append (6.1), blocks the fs assigns at submission, atomic bios and tail
 * zeroing (7.x).
 */
#ifdef IOMAP_F_ZONE_APPEND
#define SDIO_IOMAP_F_ZONE_APPEND	IOMAP_F_ZONE_APPEND
#else
#define SDIO_IOMAP_F_ZONE_APPEND	0
#endif
#ifdef IOMAP_F_ANON_WRITE
#define SDIO_IOMAP_F_ANON_WRITE		IOMAP_F_ANON_WRITE
#else
#define SDIO_IOMAP_F_ANON_WRITE		0
#endif
#ifdef IOMAP_F_ATOMIC_BIO
#define SDIO_IOMAP_F_ATOMIC_BIO		IOMAP_F_ATOMIC_BIO
#else
#define SDIO_IOMAP_F_ATOMIC_BIO		0
#endif
#ifdef IOMAP_F_ZERO_TAIL
#define SDIO_IOMAP_F_ZERO_TAIL		IOMAP_F_ZERO_TAIL
#else
#define SDIO_IOMAP_F_ZERO_TAIL		0
#endif
#define SDIO_IOMAP_F_WRITE_UNSUPPORTED	(SDIO_IOMAP_F_ZONE_APPEND | \
					 SDIO_IOMAP_F_ANON_WRITE | \
					 SDIO_IOMAP_F_ATOMIC_BIO | \
					 SDIO_IOMAP_F_ZERO_TAIL)

/*
 * The file system's mapping for [iomi->pos, +iomi->len). 7.x file systems
 * may provide only ->iomap_next (7.3's ext4 and xfs do), which the kernel
 * prefers when set: called on an iomap_iter with no mapping yet, it
 * produces the first one and returns 1.
 */
static inline int sdio_iomap_begin(const struct iomap_ops *ops,
				   struct iomap_iter *iomi)
{
#ifdef SDIO_HAVE_IOMAP_NEXT
	if (ops->iomap_next) {
		int ret;

		iomi->iter_start_pos = iomi->pos;
		ret = ops->iomap_next(iomi, &iomi->iomap, &iomi->srcmap);
		return ret < 0 ? ret : 0;
	}
#endif
	return ops->iomap_begin(iomi->inode, iomi->pos, iomi->len, iomi->flags,
				&iomi->iomap, &iomi->srcmap);
}

/*
 * Finish the mapping with @written bytes done: ->iomap_end, or on an
 * ->iomap_next file system one more ->iomap_next with the iterator
 * advanced, which ends the mapping and, the range being consumed (or not
 * advanced at all), asks for no other. @ops is NULL where the kernel's
 * caller owns the mapping (7.3's simple path: begin only, never ended).
 */
static inline void sdio_iomap_end(const struct iomap_ops *ops,
				  struct iomap_iter *iomi, ssize_t written)
{
	if (!ops)
		return;
#ifdef SDIO_HAVE_IOMAP_NEXT
	if (ops->iomap_next) {
		iomi->pos += written;
		iomi->len -= written;
		ops->iomap_next(iomi, &iomi->iomap, &iomi->srcmap);
		return;
	}
#endif
	if (ops->iomap_end)
		ops->iomap_end(iomi->inode, iomi->pos, iomi->len, written,
			       iomi->flags, &iomi->iomap);
}

/*
 * 7.x needs an explicit WQ_PERCPU or WQ_UNBOUND (and warns at allocation
 * without one); before, per-CPU was the default.
 */
#ifdef SDIO_HAVE_WQ_PERCPU
#define SDIO_WQ_PERCPU	WQ_PERCPU
#else
#define SDIO_WQ_PERCPU	0
#endif

/*
 * From 7.x on bio_alloc_bioset() takes every small bio of a bioset with a
 * per-CPU cache from that cache, REQ_ALLOC_CACHE or not; before, only the
 * bios that asked. There the alloc_cache=0 state allocates from a second
 * bioset without a cache.
 */
#ifdef SDIO_HAVE_IMPLICIT_BIO_CACHE
#define SDIO_NEED_NOCACHE_BIOSET	1
#else
#define SDIO_NEED_NOCACHE_BIOSET	0
#endif

/*
 * ftrace direct calls by ftrace_ops: the _multi functions up to 6.2
 * (6.1, whose plain ones take an ip); from 6.3 the plain names, and
 * unregistering can free the filter (hook.c frees it once, at exit).
 */
#ifdef SDIO_HAVE_FTRACE_DIRECT_MULTI
static inline int sdio_register_ftrace_direct(struct ftrace_ops *ops,
					      unsigned long addr)
{
	return register_ftrace_direct_multi(ops, addr);
}

static inline int sdio_unregister_ftrace_direct(struct ftrace_ops *ops,
						unsigned long addr)
{
	return unregister_ftrace_direct_multi(ops, addr);
}
#else
static inline int sdio_register_ftrace_direct(struct ftrace_ops *ops,
					      unsigned long addr)
{
	return register_ftrace_direct(ops, addr);
}

static inline int sdio_unregister_ftrace_direct(struct ftrace_ops *ops,
						unsigned long addr)
{
	return unregister_ftrace_direct(ops, addr, false);
}
#endif

/* NULL when the simple path can run on this kernel, else why not. */
static inline const char *sdio_compat_unsupported(void)
{
	return NULL;
}

#endif /* _SIMPLE_DIO_COMPAT_H */
