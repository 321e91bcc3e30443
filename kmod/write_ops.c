// SPDX-License-Identifier: GPL-2.0
/*
 * Which file systems' mapping calls the simple write path may make.
 *
 * The write path must see the mapping before it knows a write is a pure
 * overwrite, but a write mapping call may allocate blocks, and a write
 * that then falls back would be mapped (and allocated for) twice. So it
 * maps only through ops whose call is known to have no such side effect
 * when asked with IOMAP_OVERWRITE_ONLY, the kernel's own "only pure
 * overwrites allowed" flag, and recognises them by the name of their
 * mapping function:
 *
 *  - xfs_direct_write_iomap_begin/_next: honours IOMAP_OVERWRITE_ONLY and
 *    returns -EAGAIN where it would allocate. On an inode with shared
 *    (reflinked) extents it still reserves the copy-on-write blocks the
 *    kernel's path reserves next anyway; the mapping says IOMAP_F_SHARED
 *    and the write falls back.
 *  - ext4_iomap_overwrite_begin (6.1, 6.12): ext4 passes these ops exactly
 *    for the writes it found to be overwrites; they only look up.
 *    ext4_iomap_begin then means ext4 found the write not to be one: it
 *    falls back unmapped.
 *  - ext4_iomap_begin/_next (7.2, 7.3, which dropped the overwrite ops):
 *    inside i_size it only looks up written and unwritten extents; a hole
 *    gets allocated (unwritten, as the kernel's path would allocate it)
 *    and the write falls back onto that extent.
 *
 * Anything else falls back unmapped. The verdict is cached per ops
 * pointer; the file system module holding the ops is pinned while its
 * entry exists (until unload), so the pointer cannot come to name other
 * ops.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "simple_dio.h"

struct sdio_wops_entry {
	const struct iomap_ops		*ops;
	struct module			*owner;	/* pinned; NULL: built in */
	enum sdio_write_ops_verdict	verdict;
};

enum { SDIO_NR_WOPS = 8 };	/* ext4 and xfs use two or three */
static struct sdio_wops_entry sdio_wops[SDIO_NR_WOPS];
static unsigned int sdio_nr_wops;	/* published with release */
static DEFINE_SPINLOCK(sdio_wops_lock);

static const struct {
	const char			*name;
	enum sdio_write_ops_verdict	verdict;
} sdio_wops_names[] = {
	{ "xfs_direct_write_iomap_begin",	SDIO_WOPS_PROBE },
	{ "xfs_direct_write_iomap_next",	SDIO_WOPS_PROBE },
	{ "ext4_iomap_overwrite_begin",		SDIO_WOPS_PROBE },
#ifdef SDIO_IOMAP_7	/* Kbuild: ext4 without overwrite ops */
	{ "ext4_iomap_begin",			SDIO_WOPS_PROBE },
	{ "ext4_iomap_next",			SDIO_WOPS_PROBE },
#else
	{ "ext4_iomap_begin",			SDIO_WOPS_NOT_OVERWRITE },
#endif
};

static unsigned long sdio_ops_mapping_fn(const struct iomap_ops *ops)
{
#ifdef SDIO_HAVE_IOMAP_NEXT
	if (ops->iomap_next)
		return (unsigned long)ops->iomap_next;
#endif
	return (unsigned long)ops->iomap_begin;
}

static enum sdio_write_ops_verdict sdio_classify(const struct iomap_ops *ops)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t len;
	int i;

	sprint_symbol_no_offset(sym, sdio_ops_mapping_fn(ops));
	len = strcspn(sym, " ");	/* "name [module]" */
	for (i = 0; i < ARRAY_SIZE(sdio_wops_names); i++)
		if (strlen(sdio_wops_names[i].name) == len &&
		    !strncmp(sym, sdio_wops_names[i].name, len))
			return sdio_wops_names[i].verdict;
	return SDIO_WOPS_UNKNOWN;
}

/*
 * The first write through new ops classifies them (a symbol lookup), later
 * ones find the cached verdict. Called in task context, where the caller's
 * open file keeps the file system's module loaded.
 */
enum sdio_write_ops_verdict sdio_write_ops_verdict(struct inode *inode,
						   const struct iomap_ops *ops)
{
	struct module *owner = inode->i_sb->s_type->owner;
	enum sdio_write_ops_verdict verdict;
	/* Pairs with the release below: entries before the count are whole. */
	unsigned int i, n = smp_load_acquire(&sdio_nr_wops);

	for (i = 0; i < n; i++)
		if (sdio_wops[i].ops == ops)
			return sdio_wops[i].verdict;

	/* Only ops inside the file system's own module can be pinned. */
	if (owner && !within_module((unsigned long)ops, owner))
		return SDIO_WOPS_UNKNOWN;
	verdict = sdio_classify(ops);

	spin_lock(&sdio_wops_lock);
	n = sdio_nr_wops;
	for (i = 0; i < n; i++)
		if (sdio_wops[i].ops == ops)
			goto out_unlock;	/* another task was first */
	if (n == SDIO_NR_WOPS || (owner && !try_module_get(owner)))
		goto out_unlock;		/* classified again next time */
	sdio_wops[n].ops = ops;
	sdio_wops[n].owner = owner;
	sdio_wops[n].verdict = verdict;
	/* Publish the entry before lockless readers can count it. */
	smp_store_release(&sdio_nr_wops, n + 1);
	if (verdict == SDIO_WOPS_PROBE)
		pr_info("writes of %s map through %ps\n", inode->i_sb->s_type->name,
			(void *)sdio_ops_mapping_fn(ops));
out_unlock:
	spin_unlock(&sdio_wops_lock);
	return verdict;
}

/* At unload, once no task can be in the write path any more. */
void sdio_write_ops_exit(void)
{
	unsigned int i;

	for (i = 0; i < sdio_nr_wops; i++)
		if (sdio_wops[i].owner)
			module_put(sdio_wops[i].owner);
	sdio_nr_wops = 0;
}
