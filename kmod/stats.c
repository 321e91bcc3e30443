// SPDX-License-Identifier: GPL-2.0
/*
 * Counters for /sys/kernel/iomap/stats. Per-CPU so the hot path never
 * bounces a shared cacheline; readers sum over CPUs and may see a value
 * that is a few increments stale, which is fine for statistics.
 */
#include <linux/percpu.h>
#include <linux/sysfs.h>
#include <linux/cpumask.h>
#include "simple_dio.h"

DEFINE_PER_CPU(struct sdio_counters, sdio_counters);

static const char * const sdio_stat_names[SDIO_STAT_FALLBACK] = {
	[SDIO_STAT_BYPASSED]		= "kernel_simple_bypassed",
	[SDIO_STAT_HITS]		= "hits",
	[SDIO_STAT_ABORTED]		= "aborted",
	[SDIO_STAT_HITS_SYNC]		= "hits_sync",
	[SDIO_STAT_HITS_POLLED]		= "hits_polled",
	[SDIO_STAT_ALLOC_PERCPU]	= "alloc_percpu_cache",
	[SDIO_STAT_ALLOC_SLAB]		= "alloc_mempool",
	[SDIO_STAT_ERRORS]		= "errors",
	[SDIO_STAT_PASSED_ON]		= "passed_on",
	[SDIO_STAT_W_HITS]		= "write_hits",
	[SDIO_STAT_W_HITS_SYNC]		= "write_hits_sync",
	[SDIO_STAT_W_HITS_POLLED]	= "write_hits_polled",
	[SDIO_STAT_W_HITS_FUA]		= "write_hits_fua",
	[SDIO_STAT_W_HITS_SYNCED]	= "write_hits_synced",
	[SDIO_STAT_W_ABORTED]		= "write_aborted",
	[SDIO_STAT_W_ERRORS]		= "write_errors",
};

static const char * const sdio_reason_names[SDIO_NR_REASONS] = {
	[SDIO_FB_WRITE]		= "write",
	[SDIO_FB_EMPTY]		= "empty",
	[SDIO_FB_TOO_LARGE]	= "too_large",
	[SDIO_FB_DOPS]		= "dops",
	[SDIO_FB_DONE_BEFORE]	= "done_before",
	[SDIO_FB_FLAGS]		= "flags",
	[SDIO_FB_BEYOND_EOF]	= "beyond_eof",
	[SDIO_FB_ENCRYPTED]	= "encrypted",
	[SDIO_FB_HOLE]		= "hole",
	[SDIO_FB_UNWRITTEN]	= "unwritten",
	[SDIO_FB_NOT_MAPPED]	= "not_mapped",
	[SDIO_FB_MULTI_EXTENT]	= "multi_extent",
	[SDIO_FB_INTEGRITY]	= "integrity",
	[SDIO_FB_MISALIGNED]	= "misaligned",
	[SDIO_FB_SPLIT]		= "split",
	[SDIO_FB_UNSUPPORTED]	= "unsupported",
	[SDIO_FB_READ_OFF]	= "read_off",
};

static const char * const sdio_wreason_names[SDIO_NR_WREASONS] = {
	[SDIO_WFB_EMPTY]		= "empty",
	[SDIO_WFB_TOO_LARGE]		= "too_large",
	[SDIO_WFB_DOPS]			= "dops",
	[SDIO_WFB_DONE_BEFORE]		= "done_before",
	[SDIO_WFB_FLAGS]		= "flags",
	[SDIO_WFB_APPEND]		= "append",
	[SDIO_WFB_ATOMIC]		= "atomic",
	[SDIO_WFB_BEYOND_EOF]		= "beyond_eof",
	[SDIO_WFB_ENCRYPTED]		= "encrypted",
	[SDIO_WFB_NO_DIO_WQ]		= "no_dio_wq",
	[SDIO_WFB_NOT_OVERWRITE]	= "not_overwrite",
	[SDIO_WFB_FS]			= "fs",
	[SDIO_WFB_MAP_FAILED]		= "map_failed",
	[SDIO_WFB_HOLE]			= "hole",
	[SDIO_WFB_UNWRITTEN]		= "unwritten",
	[SDIO_WFB_NEW]			= "new",
	[SDIO_WFB_SHARED]		= "shared",
	[SDIO_WFB_NOT_MAPPED]		= "not_mapped",
	[SDIO_WFB_MULTI_EXTENT]		= "multi_extent",
	[SDIO_WFB_INTEGRITY]		= "integrity",
	[SDIO_WFB_MISALIGNED]		= "misaligned",
	[SDIO_WFB_SPLIT]		= "split",
	[SDIO_WFB_UNSUPPORTED]		= "unsupported",
	[SDIO_WFB_STREAK]		= "streak",
};

u64 sdio_stat_sum(enum sdio_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(sdio_counters.v[stat], cpu);
	return sum;
}

/*
 * Best effort against concurrent increments: a count that races with the
 * reset may survive it. submitted/completed are never reset, so in_flight
 * stays exact.
 */
void sdio_stats_reset(void)
{
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < SDIO_STAT_RESETTABLE_END; i++)
			WRITE_ONCE(per_cpu(sdio_counters.v[i], cpu), 0);
}

int sdio_stats_show(char *buf)
{
	u64 submitted, completed, calls = 0;
	int i, len = 0;

	/*
	 * Each call ends as exactly one of these; no counter per call. A
	 * write with simple_write=0 is a read fallback ("write"), one with 1
	 * a write hit, abort or write fallback.
	 */
	calls = sdio_stat_sum(SDIO_STAT_HITS) + sdio_stat_sum(SDIO_STAT_ABORTED) +
		sdio_stat_sum(SDIO_STAT_W_HITS) +
		sdio_stat_sum(SDIO_STAT_W_ABORTED);
	for (i = 0; i < SDIO_NR_REASONS; i++)
		calls += sdio_stat_sum(SDIO_STAT_FALLBACK + i);
	for (i = 0; i < SDIO_NR_WREASONS; i++)
		calls += sdio_stat_sum(SDIO_STAT_W_FALLBACK + i);
	len += sysfs_emit_at(buf, len, "calls %llu\n", calls);
	for (i = 0; i < SDIO_STAT_FALLBACK; i++)
		len += sysfs_emit_at(buf, len, "%s %llu\n", sdio_stat_names[i],
				     sdio_stat_sum(i));
	for (i = 0; i < SDIO_NR_REASONS; i++)
		len += sysfs_emit_at(buf, len, "fallback_%s %llu\n",
				     sdio_reason_names[i],
				     sdio_stat_sum(SDIO_STAT_FALLBACK + i));
	for (i = 0; i < SDIO_NR_WREASONS; i++)
		len += sysfs_emit_at(buf, len, "write_fallback_%s %llu\n",
				     sdio_wreason_names[i],
				     sdio_stat_sum(SDIO_STAT_W_FALLBACK + i));
	/* Read completions first so a racing I/O cannot make this negative. */
	completed = sdio_stat_sum(SDIO_STAT_COMPLETED);
	submitted = sdio_stat_sum(SDIO_STAT_SUBMITTED);
	len += sysfs_emit_at(buf, len, "submitted %llu\n", submitted);
	len += sysfs_emit_at(buf, len, "completed %llu\n", completed);
	len += sysfs_emit_at(buf, len, "in_flight %llu\n",
			     submitted > completed ? submitted - completed : 0);
	/* Calls into our hooked functions and returns (for unload). */
	len += sysfs_emit_at(buf, len, "entered %llu\n",
			     sdio_stat_sum(SDIO_STAT_ENTERED));
	len += sysfs_emit_at(buf, len, "left %llu\n",
			     sdio_stat_sum(SDIO_STAT_LEFT));
	len += sysfs_emit_at(buf, len, "supported %d\n", !sdio_unsupported_why);
	/*
	 * 1 where simple_read switches the kernel's own simple path (7.3).
	 * The reads it serves run nothing of ours and are not counted
	 * (kernel_simple_counted 0); the kernel keeps no count of them.
	 */
	len += sysfs_emit_at(buf, len, "kernel_simple_path %d\n",
			     SDIO_KERNEL_SIMPLE_PATH);
	len += sysfs_emit_at(buf, len, "kernel_simple_counted 0\n");
	return len;
}
