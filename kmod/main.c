// SPDX-License-Identifier: GPL-2.0
/*
 * simple-dio: route iomap_dio_rw() through a cheaper path for small
 * O_DIRECT reads.
 *
 * The module is a livepatch: iomap is built into vmlinux, so every file
 * system that calls iomap_dio_rw() (ext4, xfs, and loop devices backed by
 * their files) comes through sdio_iomap_dio_rw() while it is enabled.
 *
 * Unloading takes the livepatch's three steps (disable, wait for the
 * transition, rmmod); scripts/simple-dio-unload does them. Once the
 * patch is disabled no new call reaches us, and the post_unpatch callback
 * waits for every bio we issued before the module may go.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include "simple_dio.h"

static void sdio_post_unpatch(struct klp_object *obj)
{
	sdio_simple_drain();
}

static struct klp_func sdio_funcs[] = {
	{
		.old_name = "iomap_dio_rw",
		.new_func = sdio_iomap_dio_rw,
	},
#ifdef SDIO_HAVE_KERNEL_SIMPLE_READ
	{
		/* 7.3: the kernel's own simple path, under our switch. */
		.old_name = "__iomap_dio_read_simple",
		.new_func = sdio_iomap_dio_read_simple,
	},
#endif
	{ }
};

static struct klp_object sdio_objs[] = {
	{
		/* NULL name: the function lives in vmlinux. */
		.funcs = sdio_funcs,
		.callbacks = {
			.post_unpatch = sdio_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch sdio_patch = {
	.mod = THIS_MODULE,
	.objs = sdio_objs,
};

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
	ret = sdio_sysfs_init();
	if (ret)
		goto out_simple;
	ret = klp_enable_patch(&sdio_patch);
	if (ret)
		goto out_sysfs;
	if (sdio_unsupported_why)
		pr_warn("simple path unavailable on this kernel (%s): every call falls back\n",
			sdio_unsupported_why);
	pr_info("iomap_dio_rw routed through simple-dio (simple_read=%d)\n",
		sdio_knob_simple_read);
	return 0;

out_sysfs:
	sdio_sysfs_exit();
out_simple:
	sdio_simple_exit();
	return ret;
}

/* Only reachable after the patch was disabled and sdio_post_unpatch ran. */
static void __exit sdio_exit(void)
{
	sdio_sysfs_exit();
	sdio_simple_exit();
	pr_info("unloaded\n");
}

module_init(sdio_init);
module_exit(sdio_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Simple direct I/O read path for iomap (livepatch)");
MODULE_INFO(livepatch, "Y");
