/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: events/simple_dio/{sdio_submit,sdio_complete,sdio_fallback}
 * for reads, sdio_write_{submit,complete,fallback} for writes.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM simple_dio

#if !defined(_SIMPLE_DIO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SIMPLE_DIO_TRACE_H

#include <linux/tracepoint.h>
#include <linux/fs.h>
#include "simple_dio.h"

/*
 * A read or write of a range: submitted on the simple path (val: the kiocb's
 * ki_flags), or falling back (val: enum sdio_reason, printed by name).
 */
DECLARE_EVENT_CLASS(sdio_range_class,
		    TP_PROTO(struct inode *inode, loff_t pos, size_t count,
			     int val),
		    TP_ARGS(inode, pos, count, val),
		    TP_STRUCT__entry(__field(dev_t, dev)
				     __field(ino_t, ino)
				     __field(loff_t, pos)
				     __field(size_t, count)
				     __field(int, val)),
		    TP_fast_assign(__entry->dev = inode->i_sb->s_dev;
				   __entry->ino = inode->i_ino;
				   __entry->pos = pos;
				   __entry->count = count;
				   __entry->val = val;),
		    TP_printk("dev %d:%d ino 0x%lx pos 0x%llx count %zu ki_flags 0x%x",
			      MAJOR(__entry->dev), MINOR(__entry->dev),
			      __entry->ino, __entry->pos, __entry->count,
			      __entry->val)
);

DEFINE_EVENT(sdio_range_class, sdio_submit,
	     TP_PROTO(struct inode *inode, loff_t pos, size_t count, int val),
	     TP_ARGS(inode, pos, count, val)
);

DEFINE_EVENT(sdio_range_class, sdio_write_submit,
	     TP_PROTO(struct inode *inode, loff_t pos, size_t count, int val),
	     TP_ARGS(inode, pos, count, val)
);

DECLARE_EVENT_CLASS(sdio_complete_class,
		    TP_PROTO(struct inode *inode, loff_t pos, ssize_t ret),
		    TP_ARGS(inode, pos, ret),
		    TP_STRUCT__entry(__field(dev_t, dev)
				     __field(ino_t, ino)
				     __field(loff_t, pos)
				     __field(ssize_t, ret)),
		    TP_fast_assign(__entry->dev = inode->i_sb->s_dev;
				   __entry->ino = inode->i_ino;
				   __entry->pos = pos;
				   __entry->ret = ret;),
		    TP_printk("dev %d:%d ino 0x%lx pos 0x%llx ret %zd",
			      MAJOR(__entry->dev), MINOR(__entry->dev),
			      __entry->ino, __entry->pos, __entry->ret)
);

DEFINE_EVENT(sdio_complete_class, sdio_complete,
	     TP_PROTO(struct inode *inode, loff_t pos, ssize_t ret),
	     TP_ARGS(inode, pos, ret)
);

DEFINE_EVENT(sdio_complete_class, sdio_write_complete,
	     TP_PROTO(struct inode *inode, loff_t pos, ssize_t ret),
	     TP_ARGS(inode, pos, ret)
);

DEFINE_EVENT_PRINT(sdio_range_class, sdio_fallback,
		   TP_PROTO(struct inode *inode, loff_t pos, size_t count,
			    int val),
		   TP_ARGS(inode, pos, count, val),
		   TP_printk("dev %d:%d ino 0x%lx pos 0x%llx count %zu reason %s",
			     MAJOR(__entry->dev), MINOR(__entry->dev),
			     __entry->ino, __entry->pos, __entry->count,
			     __print_symbolic(__entry->val,
					      { SDIO_FB_WRITE, "write" },
					      { SDIO_FB_EMPTY, "empty" },
					      { SDIO_FB_TOO_LARGE, "too_large" },
					      { SDIO_FB_DOPS, "dops" },
					      { SDIO_FB_DONE_BEFORE, "done_before" },
					      { SDIO_FB_FLAGS, "flags" },
					      { SDIO_FB_BEYOND_EOF, "beyond_eof" },
					      { SDIO_FB_ENCRYPTED, "encrypted" },
					      { SDIO_FB_HOLE, "hole" },
					      { SDIO_FB_UNWRITTEN, "unwritten" },
					      { SDIO_FB_NOT_MAPPED, "not_mapped" },
					      { SDIO_FB_MULTI_EXTENT, "multi_extent" },
					      { SDIO_FB_INTEGRITY, "integrity" },
					      { SDIO_FB_MISALIGNED, "misaligned" },
					      { SDIO_FB_SPLIT, "split" },
					      { SDIO_FB_UNSUPPORTED, "unsupported" },
					      { SDIO_FB_READ_OFF, "read_off" }))
);

DEFINE_EVENT_PRINT(sdio_range_class, sdio_write_fallback,
		   TP_PROTO(struct inode *inode, loff_t pos, size_t count,
			    int val),
		   TP_ARGS(inode, pos, count, val),
		   TP_printk("dev %d:%d ino 0x%lx pos 0x%llx count %zu reason %s",
			     MAJOR(__entry->dev), MINOR(__entry->dev),
			     __entry->ino, __entry->pos, __entry->count,
			     __print_symbolic(__entry->val,
					      { SDIO_WFB_EMPTY, "empty" },
					      { SDIO_WFB_TOO_LARGE, "too_large" },
					      { SDIO_WFB_DOPS, "dops" },
					      { SDIO_WFB_DONE_BEFORE, "done_before" },
					      { SDIO_WFB_FLAGS, "flags" },
					      { SDIO_WFB_APPEND, "append" },
					      { SDIO_WFB_ATOMIC, "atomic" },
					      { SDIO_WFB_BEYOND_EOF, "beyond_eof" },
					      { SDIO_WFB_ENCRYPTED, "encrypted" },
					      { SDIO_WFB_NO_DIO_WQ, "no_dio_wq" },
					      { SDIO_WFB_NOT_OVERWRITE, "not_overwrite" },
					      { SDIO_WFB_FS, "fs" },
					      { SDIO_WFB_MAP_FAILED, "map_failed" },
					      { SDIO_WFB_HOLE, "hole" },
					      { SDIO_WFB_UNWRITTEN, "unwritten" },
					      { SDIO_WFB_NEW, "new" },
					      { SDIO_WFB_SHARED, "shared" },
					      { SDIO_WFB_NOT_MAPPED, "not_mapped" },
					      { SDIO_WFB_MULTI_EXTENT, "multi_extent" },
					      { SDIO_WFB_INTEGRITY, "integrity" },
					      { SDIO_WFB_MISALIGNED, "misaligned" },
					      { SDIO_WFB_SPLIT, "split" },
					      { SDIO_WFB_UNSUPPORTED, "unsupported" },
					      { SDIO_WFB_STREAK, "streak" }))
);

#endif /* _SIMPLE_DIO_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
