/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simple-dio: a cheaper path for small O_DIRECT reads through iomap.
 *
 * Declarations shared by the module's files. The module replaces
 * iomap_dio_rw() through an ftrace direct call (hook.c); reads that map
 * to one extent and fit one bio take the simple read path, overwrites of
 * one written extent the simple write path (opt-in), everything else
 * falls back to the kernel's own __iomap_dio_rw().
 */
#ifndef _SIMPLE_DIO_H
#define _SIMPLE_DIO_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/mutex.h>

/* 7.3: the kernel's own simple path is under our switch. */
#ifdef SDIO_HAVE_KERNEL_SIMPLE_READ
#define SDIO_KERNEL_SIMPLE_PATH	1
#else
#define SDIO_KERNEL_SIMPLE_PATH	0
#endif

/* Why a call did not take the simple path; order is the stats file's. */
enum sdio_reason {
	SDIO_FB_WRITE,		/* a write, simple_write=0 */
	SDIO_FB_EMPTY,		/* zero-length read */
	SDIO_FB_TOO_LARGE,	/* count > max_bytes */
	SDIO_FB_DOPS,		/* the file system passed iomap_dio_ops */
	SDIO_FB_DONE_BEFORE,
	SDIO_FB_FLAGS,		/* IOMAP_DIO_* flags the path lacks */
	SDIO_FB_BEYOND_EOF,
	SDIO_FB_ENCRYPTED,
	SDIO_FB_HOLE,
	SDIO_FB_UNWRITTEN,
	SDIO_FB_NOT_MAPPED,	/* inline, delalloc or another type */
	SDIO_FB_MULTI_EXTENT,	/* the mapping ends before the read does */
	SDIO_FB_INTEGRITY,	/* 7.x: an IOMAP_F_INTEGRITY mapping */
	SDIO_FB_MISALIGNED,
	SDIO_FB_SPLIT,		/* the pages do not fit one bio */
	SDIO_FB_UNSUPPORTED,	/* this kernel cannot do the simple path */
	SDIO_FB_READ_OFF,	/* a read, simple_read=0 (hooked for writes) */
	SDIO_NR_REASONS,
};

/* Why a write did not take the simple write path; the stats file's order. */
enum sdio_wreason {
	SDIO_WFB_EMPTY,
	SDIO_WFB_TOO_LARGE,	/* count > max_bytes */
	SDIO_WFB_DOPS,		/* the fs submits its own bios or bioset */
	SDIO_WFB_DONE_BEFORE,
	SDIO_WFB_FLAGS,		/* IOMAP_DIO_* flags the path lacks */
	SDIO_WFB_APPEND,	/* IOCB_APPEND */
	SDIO_WFB_ATOMIC,	/* IOCB_ATOMIC */
	SDIO_WFB_BEYOND_EOF,	/* pos + count > i_size: a size change */
	SDIO_WFB_ENCRYPTED,
	SDIO_WFB_NO_DIO_WQ,	/* async, and the sb has no dio workqueue yet */
	SDIO_WFB_NOT_OVERWRITE,	/* the fs decided it is no pure overwrite */
	SDIO_WFB_FS,		/* a mapping call we cannot call side-effect free */
	SDIO_WFB_MAP_FAILED,	/* the overwrite-only mapping said no */
	SDIO_WFB_HOLE,
	SDIO_WFB_UNWRITTEN,
	SDIO_WFB_NEW,		/* IOMAP_F_NEW: blocks just allocated */
	SDIO_WFB_SHARED,	/* IOMAP_F_SHARED: reflinked, copy on write */
	SDIO_WFB_NOT_MAPPED,	/* inline, delalloc, zone append, atomic, ... */
	SDIO_WFB_MULTI_EXTENT,
	SDIO_WFB_INTEGRITY,
	SDIO_WFB_MISALIGNED,
	SDIO_WFB_SPLIT,
	SDIO_WFB_UNSUPPORTED,
	SDIO_WFB_STREAK,	/* continues a run of the above: not mapped */
	SDIO_NR_WREASONS,
};

/*
 * Per-CPU counters; those before SDIO_STAT_RESETTABLE_END are zeroed by
 * reset. Every call through us counts exactly once as a hit, an abort or
 * a fallback; "calls" in the stats file is their sum.
 */
enum sdio_stat {
	/*
	 * 7.3, simple_read=0: reads the kernel's own simple path declined
	 * before mapping (kernel_simple.c). First: the trampoline counts it.
	 */
	SDIO_STAT_BYPASSED,
	SDIO_STAT_HITS,			/* reads served by the simple path */
	SDIO_STAT_ABORTED,		/* errors before any I/O, e.g. -EAGAIN */
	SDIO_STAT_HITS_SYNC,
	SDIO_STAT_HITS_POLLED,
	SDIO_STAT_ALLOC_PERCPU,		/* bio asked from the per-CPU cache */
	SDIO_STAT_ALLOC_SLAB,		/* bio from the bioset's mempool */
	SDIO_STAT_ERRORS,		/* simple-path bios that failed */
	/*
	 * 7.3: reads of up to one block that reach iomap_dio_rw() after the
	 * kernel's own simple path declined them: the kernel's path takes
	 * them, and they are not calls.
	 */
	SDIO_STAT_PASSED_ON,
	SDIO_STAT_W_HITS,		/* writes served by the simple path */
	SDIO_STAT_W_HITS_SYNC,
	SDIO_STAT_W_HITS_POLLED,
	SDIO_STAT_W_HITS_FUA,		/* O_DSYNC written through with REQ_FUA */
	SDIO_STAT_W_HITS_SYNCED,	/* O_[D]SYNC: generic_write_sync() after */
	SDIO_STAT_W_ABORTED,		/* errors before any I/O */
	SDIO_STAT_W_ERRORS,		/* simple-path write bios that failed */
	SDIO_STAT_FALLBACK,		/* SDIO_NR_REASONS counters follow */
	SDIO_STAT_W_FALLBACK = SDIO_STAT_FALLBACK + SDIO_NR_REASONS,
	SDIO_STAT_RESETTABLE_END = SDIO_STAT_W_FALLBACK + SDIO_NR_WREASONS,
	/* Never reset: unload waits for completed to catch up with submitted. */
	SDIO_STAT_SUBMITTED = SDIO_STAT_RESETTABLE_END,
	SDIO_STAT_COMPLETED,
	/* Never reset: unload waits for left to catch up with entered. */
	SDIO_STAT_ENTERED,		/* calls into our hooked functions */
	SDIO_STAT_LEFT,			/* ... and returns from them */
	SDIO_NR_STATS,
};

struct sdio_counters {
	u64 v[SDIO_NR_STATS];
};

DECLARE_PER_CPU(struct sdio_counters, sdio_counters);

static inline void sdio_count(enum sdio_stat stat)
{
	this_cpu_inc(sdio_counters.v[stat]);
}

/* stats.c */
u64 sdio_stat_sum(enum sdio_stat stat);
void sdio_stats_reset(void);
int sdio_stats_show(char *buf);

/* Run-time knobs: plain flags, read once per call. */
extern bool sdio_knob_simple_read;
extern bool sdio_knob_alloc_cache;
extern unsigned int sdio_knob_max_bytes;	/* 0: the inode's block size */
extern bool sdio_knob_simple_write;

/* hook_tramp.S: entered from __fentry__ sites, never called from C */
void sdio_tramp_iomap_dio_rw(void);
void sdio_tramp_kiocb_write_and_wait(void);

/* hook.c */
extern struct mutex sdio_knob_lock;
int sdio_hooks_init(void);
int sdio_hooks_apply(bool simple_read, unsigned int max_bytes,
		     bool simple_write);
void sdio_hooks_exit(void);

/* kernel_simple.c (7.3): the callers the bypass trampoline declines */
struct sdio_text_range {
	unsigned long start;
	unsigned long size;
};

enum { SDIO_NR_INLINE_CALLERS = 2 };	/* the trampoline checks two */
extern struct sdio_text_range sdio_inline_callers[SDIO_NR_INLINE_CALLERS];
void sdio_inline_callers_get(void);
void sdio_inline_callers_put(void);

/* sysfs.c */
int sdio_sysfs_init(void);
void sdio_sysfs_exit(void);
bool sdio_iomap_kobj_exists(void);

/* dio.c: our iomap_dio_rw() */
ssize_t sdio_iomap_dio_rw(struct kiocb *iocb, struct iov_iter *iter,
			  const struct iomap_ops *ops,
			  const struct iomap_dio_ops *dops,
			  unsigned int dio_flags, void *private,
			  size_t done_before);

/* request.c */
int sdio_simple_init(void);
void sdio_simple_drain(void);
void sdio_simple_exit(void);
extern const char *sdio_unsupported_why;

/* simple_read.c */
ssize_t sdio_simple_read(struct kiocb *iocb, struct iov_iter *iter,
			 const struct iomap_ops *ops, unsigned int dio_flags,
			 void *private);

/* simple_write.c */
ssize_t sdio_simple_write(struct kiocb *iocb, struct iov_iter *iter,
			  const struct iomap_ops *ops,
			  const struct iomap_dio_ops *dops,
			  unsigned int dio_flags, void *private);

/* write_ops.c: may the write path map through these ops? */
enum sdio_write_ops_verdict {
	SDIO_WOPS_UNKNOWN,
	SDIO_WOPS_PROBE,	/* overwrite-only mapping has no side effect */
	SDIO_WOPS_NOT_OVERWRITE, /* the fs chose these for a non-overwrite */
};

enum sdio_write_ops_verdict sdio_write_ops_verdict(struct inode *inode,
						   const struct iomap_ops *ops);
void sdio_write_ops_exit(void);

#endif /* _SIMPLE_DIO_H */
