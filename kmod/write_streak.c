// SPDX-License-Identifier: GPL-2.0
/*
 * Runs of writes that fall back on their mapping (simple_write=1).
 *
 * A write its mapping shows ineligible is mapped twice, by the probe and
 * by the kernel's path, and its page cache is checked twice: on 7.3 ext4
 * about 1,700 instructions, 6% of a write that fills a hole. Such writes
 * come in runs (a log written into fallocated or sparse space, a file
 * being filled), so each CPU remembers where the last write that fell
 * back on its mapping ended. The next write to that inode starting there
 * falls back unmapped, counted as streak, except every
 * SDIO_STREAK_REPROBE-th, which forgets the run and maps again: a run that
 * reaches written blocks is back on the simple path within that many
 * writes. The inode is known by address and i_generation, only compared,
 * never followed: a stale entry costs at most that many fallbacks, once.
 */
#include <linux/fs.h>
#include <linux/percpu.h>
#include "write_streak.h"

#define SDIO_STREAK_REPROBE	16

DEFINE_PER_CPU(struct sdio_write_streak, sdio_write_streak);

/*
 * The write is to the inode of this CPU's run (write_streak.h): whether
 * it continues the run; then it is skipped, and the run moves on. io_uring
 * tries each write IOCB_NOWAIT first, up to its queue depth of them, and
 * again blocking where the kernel's path must allocate (-EAGAIN); only the
 * blocking tries move the run on. So a NOWAIT write continues a run when
 * it starts within SDIO_STREAK_AHEAD writes of where the run is, and does
 * not move it.
 */
#define SDIO_STREAK_AHEAD	64

bool sdio_write_streak_step(const struct kiocb *iocb,
			    const struct inode *inode, loff_t pos, size_t count)
{
	struct sdio_write_streak *st = get_cpu_ptr(&sdio_write_streak);
	bool skip = false;

	if (st->inode != inode || st->generation != inode->i_generation)
		goto out;
	if (iocb->ki_flags & IOCB_NOWAIT) {
		skip = pos >= st->next &&
		       pos - st->next < (loff_t)count * SDIO_STREAK_AHEAD;
	} else if (pos == st->next) {
		skip = ++st->skipped % SDIO_STREAK_REPROBE;
		if (skip)
			st->next = pos + count;
		else
			st->inode = NULL;	/* map this one */
	}
out:
	put_cpu_ptr(&sdio_write_streak);
	return skip;
}

/* A write fell back on what its mapping said: a run starts or goes on. */
void sdio_write_streak_note(const struct inode *inode, loff_t end)
{
	struct sdio_write_streak *st = get_cpu_ptr(&sdio_write_streak);

	if (st->inode != inode)
		st->skipped = 0;
	st->inode = inode;
	st->generation = inode->i_generation;
	st->next = end;
	put_cpu_ptr(&sdio_write_streak);
}

bool sdio_wreason_is_mapping(enum sdio_wreason reason)
{
	switch (reason) {
	case SDIO_WFB_MAP_FAILED:
	case SDIO_WFB_HOLE:
	case SDIO_WFB_UNWRITTEN:
	case SDIO_WFB_NEW:
	case SDIO_WFB_SHARED:
	case SDIO_WFB_NOT_MAPPED:
		return true;
	default:
		return false;
	}
}
