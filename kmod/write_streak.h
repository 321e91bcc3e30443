/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs of writes that fall back on their mapping (write_streak.c). The
 * check that a write continues none is inline in the dispatch and takes
 * no preempt_disable(): every eligible write pays it.
 */
#ifndef _SIMPLE_DIO_WRITE_STREAK_H
#define _SIMPLE_DIO_WRITE_STREAK_H

#include <linux/fs.h>
#include <linux/percpu.h>
#include "simple_dio.h"

struct sdio_write_streak {
	const struct inode	*inode;
	u32			generation;
	unsigned int		skipped;
	loff_t			next;	/* where the run continues */
};

DECLARE_PER_CPU(struct sdio_write_streak, sdio_write_streak);

bool sdio_write_streak_step(const struct kiocb *iocb,
			    const struct inode *inode, loff_t pos,
			    size_t count);
void sdio_write_streak_note(const struct inode *inode, loff_t end);
bool sdio_wreason_is_mapping(enum sdio_wreason reason);

/*
 * Whether the write continues this CPU's run of fallbacks (then it falls
 * back unmapped). This CPU's run is almost always another inode's or none;
 * a racy read only decides whether to look closer, under get_cpu_ptr().
 */
static __always_inline bool
sdio_write_continues_streak(const struct kiocb *iocb,
			    const struct inode *inode, loff_t pos,
			    size_t count)
{
	if (likely(this_cpu_read(sdio_write_streak.inode) != inode))
		return false;
	return sdio_write_streak_step(iocb, inode, pos, count);
}

#endif /* _SIMPLE_DIO_WRITE_STREAK_H */
