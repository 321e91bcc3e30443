// SPDX-License-Identifier: GPL-2.0
/*
 * simple-dio: route iomap_dio_rw() through a cheaper path for small
 * O_DIRECT reads and (opt-in) overwrites.
 *
 * iomap is built into vmlinux, so the module hooks iomap_dio_rw() with an
 * ftrace direct call (hook.c): every file system that calls it (ext4, xfs,
 * and loop devices backed by their files) comes through us while
 * simple_read is 1, and nothing of ours runs while it is 0. On 7.3, whose
 * own simple path serves reads of up to a block, simple_read switches that
 * path instead (kernel_simple.c). A plain rmmod unloads: the exit removes the hooks and
 * waits for every task and bio still in our code.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include "simple_dio.h"

static int __init sdio_init(void)
{
	int ret;

	if (sdio_iomap_kobj_exists()) {
		pr_err("/sys/kernel/iomap exists: this kernel already has a simple dio path, not loading\n");
		return -EEXIST;
	}
	ret = sdio_simple_init();
	if (ret)
		return ret;
	ret = sdio_hooks_init();
	if (ret)
		goto out_simple;
	ret = sdio_sysfs_init();
	if (ret)
		goto out_hooks;
	if (sdio_unsupported_why)
		pr_warn("simple path unavailable on this kernel (%s): every call falls back\n",
			sdio_unsupported_why);
	pr_info("loaded (simple_read=%d simple_write=%d)\n",
		sdio_knob_simple_read, sdio_knob_simple_write);
	return 0;

out_hooks:
	sdio_hooks_exit();
	sdio_simple_drain();
out_simple:
	sdio_simple_exit();
	return ret;
}

/* No knob can change any more once sysfs is gone; then the hooks go. */
static void __exit sdio_exit(void)
{
	sdio_sysfs_exit();
	sdio_hooks_exit();
	sdio_simple_drain();
	sdio_write_ops_exit();
	sdio_simple_exit();
	pr_info("unloaded\n");
}

module_init(sdio_init);
module_exit(sdio_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simple direct I/O read path for iomap (ftrace direct calls)");
