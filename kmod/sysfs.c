// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/iomap: the run-time knobs and the stats file, named as in
 * the upstream series so scripts work against either.
 *
 * Every knob accepts exactly its documented values; anything else is
 * -EINVAL and leaves the value unchanged.
 */
#include <linux/kobject.h>
#include <linux/kernfs.h>
#include <linux/sysfs.h>
#include <linux/string.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include "simple_dio.h"

bool sdio_knob_simple_read = true;
bool sdio_knob_alloc_cache = true;
unsigned int sdio_knob_max_bytes;
bool sdio_knob_simple_write;

static struct kobject *sdio_kobj;

/* "0" or "1", optionally newline-terminated, and nothing else. */
static int sdio_parse_flag(const char *buf, size_t count, bool *val)
{
	if (count && buf[count - 1] == '\n')
		count--;
	if (count != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*val = buf[0] == '1';
	return 0;
}

static ssize_t simple_read_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sdio_knob_simple_read));
}

/*
 * simple_read and simple_write decide which hooks are in: set the knob
 * once the new state's hooks are in place (hook.c), so a call that sees
 * the new value is hooked; calls already in our function finish on the
 * path they started on.
 */
static ssize_t sdio_store_hook_knob(bool *knob, const char *buf, size_t count)
{
	bool val;
	int ret = sdio_parse_flag(buf, count, &val);

	if (ret)
		return ret;
	mutex_lock(&sdio_knob_lock);
	ret = sdio_hooks_apply(knob == &sdio_knob_simple_read ? val :
			       READ_ONCE(sdio_knob_simple_read),
			       READ_ONCE(sdio_knob_max_bytes),
			       knob == &sdio_knob_simple_write ? val :
			       READ_ONCE(sdio_knob_simple_write));
	if (!ret)
		WRITE_ONCE(*knob, val);
	mutex_unlock(&sdio_knob_lock);
	return ret ? ret : count;
}

static ssize_t simple_read_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	return sdio_store_hook_knob(&sdio_knob_simple_read, buf, count);
}

static ssize_t simple_write_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sdio_knob_simple_write));
}

/* Opt-in (default 0). */
static ssize_t simple_write_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return sdio_store_hook_knob(&sdio_knob_simple_write, buf, count);
}

static ssize_t alloc_cache_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sdio_knob_alloc_cache));
}

static ssize_t alloc_cache_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	bool val;
	int ret = sdio_parse_flag(buf, count, &val);

	if (ret)
		return ret;
	WRITE_ONCE(sdio_knob_alloc_cache, val);
	return count;
}

static ssize_t max_bytes_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(sdio_knob_max_bytes));
}

/* 0 (one file-system block) or a power of two from 512 B to 1 MiB. */
static ssize_t max_bytes_store(struct kobject *kobj,
			       struct kobj_attribute *attr,
			       const char *buf, size_t count)
{
	char digits[16];
	size_t len = count;
	unsigned int val;
	int ret;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(digits) || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	memcpy(digits, buf, len);
	digits[len] = '\0';
	if (kstrtouint(digits, 10, &val))
		return -EINVAL;
	if (val && (!is_power_of_2(val) || val < SZ_512 || val > SZ_1M))
		return -EINVAL;
	/* On 7.3 max_bytes decides whether iomap_dio_rw() is hooked. */
	mutex_lock(&sdio_knob_lock);
	ret = sdio_hooks_apply(READ_ONCE(sdio_knob_simple_read), val,
			       READ_ONCE(sdio_knob_simple_write));
	if (!ret)
		WRITE_ONCE(sdio_knob_max_bytes, val);
	mutex_unlock(&sdio_knob_lock);
	return ret ? ret : count;
}

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sdio_stats_show(buf);
}

static ssize_t stats_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	if (!sysfs_streq(buf, "reset"))
		return -EINVAL;
	sdio_stats_reset();
	return count;
}

static struct kobj_attribute simple_read_attr = __ATTR_RW(simple_read);
static struct kobj_attribute alloc_cache_attr = __ATTR_RW(alloc_cache);
static struct kobj_attribute max_bytes_attr = __ATTR_RW(max_bytes);
static struct kobj_attribute simple_write_attr = __ATTR_RW(simple_write);
static struct kobj_attribute stats_attr = __ATTR_RW(stats);

static struct attribute *sdio_attrs[] = {
	&simple_read_attr.attr,
	&alloc_cache_attr.attr,
	&max_bytes_attr.attr,
	&simple_write_attr.attr,
	&stats_attr.attr,
	NULL,
};

static const struct attribute_group sdio_attr_group = {
	.attrs = sdio_attrs,
};

/*
 * A kernel with the simple path built in registers /sys/kernel/iomap
 * itself. Look before creating, so we never trip sysfs's duplicate-name
 * warning.
 */
bool sdio_iomap_kobj_exists(void)
{
	struct kernfs_node *kn = kernfs_find_and_get(kernel_kobj->sd, "iomap");

	kernfs_put(kn);
	return kn;
}

int sdio_sysfs_init(void)
{
	int ret;

	sdio_kobj = kobject_create_and_add("iomap", kernel_kobj);
	if (!sdio_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(sdio_kobj, &sdio_attr_group);
	if (ret) {
		kobject_put(sdio_kobj);
		sdio_kobj = NULL;
	}
	return ret;
}

void sdio_sysfs_exit(void)
{
	sysfs_remove_group(sdio_kobj, &sdio_attr_group);
	kobject_put(sdio_kobj);
}
