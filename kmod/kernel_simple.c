// SPDX-License-Identifier: GPL-2.0
/*
 * 7.3: simple_read=0 turns the kernel's own simple path off.
 *
 * ext4 and xfs call the inline iomap_dio_read_simple() before
 * iomap_dio_rw(); for a read of up to one block it calls
 * kiocb_write_and_wait(), then the file system's iomap begin, and only
 * then asks __iomap_dio_read_simple(). Declining there, as the module did
 * before, maps the read twice (the full path maps it again) and costs more
 * than a kernel without the simple path. kiocb_write_and_wait() is the one
 * call before the mapping, so with simple_read=0 it is hooked (hook.c): a
 * call from ext4's or xfs's module text returns -ENOTBLK, the inline hands
 * the read to iomap_dio_rw() unmapped, and the read costs what it costs on
 * a kernel without the path plus the inline's size checks and the
 * trampoline. Neither module calls kiocb_write_and_wait() elsewhere; the
 * kernel's other callers (the full iomap path, filemap, block devices) are
 * vmlinux text and pass through.
 *
 * While the hook is in, each file system's module is pinned (its text
 * range must stay its own); loading the hook loads a file system module
 * that is not loaded yet. A built-in ext4 or xfs has no range of its own
 * here: its reads keep the kernel's simple path with simple_read=0, said
 * once in the log.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include "simple_dio.h"

static const char * const sdio_inline_fs_names[SDIO_NR_INLINE_CALLERS] = {
	"ext4", "xfs",
};

/* Read by sdio_tramp_kiocb_write_and_wait (hook_tramp.S). */
struct sdio_text_range sdio_inline_callers[SDIO_NR_INLINE_CALLERS];
static struct file_system_type *sdio_inline_fs[SDIO_NR_INLINE_CALLERS];

/* Before the hook goes in: the callers' text ranges, their modules held. */
void sdio_inline_callers_get(void)
{
	struct file_system_type *fs;
	struct module *owner;
	int i;

	BUILD_BUG_ON(SDIO_STAT_BYPASSED != 0);	/* the trampoline's counter */
	for (i = 0; i < SDIO_NR_INLINE_CALLERS; i++) {
		fs = get_fs_type(sdio_inline_fs_names[i]);
		if (!fs)
			continue;	/* not in this kernel */
		owner = fs->owner;
		if (!owner) {
			pr_warn_once("%s is built in: simple_read=0 cannot turn the kernel's simple path off for it\n",
				     fs->name);
			continue;
		}
		sdio_inline_fs[i] = fs;
		WRITE_ONCE(sdio_inline_callers[i].start,
			   (unsigned long)owner->mem[MOD_TEXT].base);
		WRITE_ONCE(sdio_inline_callers[i].size,
			   owner->mem[MOD_TEXT].size);
	}
}

/*
 * After the hook is out. A task still in the trampoline may see a range
 * go empty and let one read map twice; the module it runs from stays, as
 * the reader's open file holds it.
 */
void sdio_inline_callers_put(void)
{
	int i;

	for (i = 0; i < SDIO_NR_INLINE_CALLERS; i++) {
		if (!sdio_inline_fs[i])
			continue;
		WRITE_ONCE(sdio_inline_callers[i].size, 0);
		WRITE_ONCE(sdio_inline_callers[i].start, 0);
		module_put(sdio_inline_fs[i]->owner);
		sdio_inline_fs[i] = NULL;
	}
}
