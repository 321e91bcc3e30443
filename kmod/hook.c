// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks: which kernel functions run ours instead, installed and
 * removed as the knobs change, and the wait that makes unloading safe.
 *
 * Each hook is an ftrace direct call from the traced function's
 * __fentry__ site to a trampoline (hook_tramp.S). A hook that is not
 * installed is the kernel's own 5-byte nop. Which hooks a state needs:
 *
 *  - 6.1, 6.12, 7.2: iomap_dio_rw(), while simple_read or simple_write
 *    is 1. With both 0 nothing of ours runs on a read or write.
 *  - 7.3, whose ext4 and xfs offer reads of up to one block to the
 *    kernel's own simple path first: with simple_read=1 that path runs
 *    untouched, and iomap_dio_rw() is hooked only while max_bytes asks for
 *    more than the kernel takes (reads above a block) or simple_write is
 *    1. With simple_read=0, kiocb_write_and_wait(), to turn the kernel's
 *    path off before it maps (kernel_simple.c).
 *
 * Unload: once a hook is removed no new call reaches its trampoline; a
 * task still in a trampoline or before our function's first counted
 * instruction is waited for by synchronize_rcu_tasks() (a task must
 * switch voluntarily to pass it, which it cannot do there), as ftrace and
 * BPF wait before freeing a trampoline. Our function counts entry and exit
 * per CPU, so a task asleep inside it (a sync read, the fs's mapping, the
 * kernel path below us) is waited for by the counts, and a final
 * synchronize_rcu_tasks() covers the instructions after the exit count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/iomap.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/rcupdate_wait.h>
#include "simple_dio.h"
#include "compat.h"

#ifndef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
#error "simple-dio needs CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS"
#endif

struct sdio_hook {
	const char		*name;
	unsigned long		func;	/* the traced function */
	unsigned long		tramp;
	void			(*get)(void);	/* before install */
	void			(*put)(void);	/* after removal */
	bool			installed;
	bool			filtered;	/* ops has a filter to free */
	struct ftrace_ops	ops;
};

enum { SDIO_HOOK_DIO_RW, SDIO_HOOK_INLINE_BYPASS, SDIO_NR_HOOKS };

static struct sdio_hook sdio_hooks[SDIO_NR_HOOKS] = {
	[SDIO_HOOK_DIO_RW] = {
		.name	= "iomap_dio_rw",
		.func	= (unsigned long)iomap_dio_rw,
		.tramp	= (unsigned long)sdio_tramp_iomap_dio_rw,
	},
#ifdef SDIO_HAVE_KERNEL_SIMPLE_READ
	[SDIO_HOOK_INLINE_BYPASS] = {
		.name	= "kiocb_write_and_wait",
		.func	= (unsigned long)kiocb_write_and_wait,
		.tramp	= (unsigned long)sdio_tramp_kiocb_write_and_wait,
		.get	= sdio_inline_callers_get,
		.put	= sdio_inline_callers_put,
	},
#endif
};

/* Serialises knob changes with the hooks they install. */
DEFINE_MUTEX(sdio_knob_lock);

static int sdio_hook_install(struct sdio_hook *h)
{
	int ret;

	if (h->get)
		h->get();
	/*
	 * The filter is set anew (reset) on every install and freed only at
	 * exit: ftrace_free_filter() leaves the ops pointing at the freed
	 * hash on some kernels (6.12), so a later set would free it again.
	 */
	ret = ftrace_set_filter_ip(&h->ops, h->func, 0, 1);
	if (ret)
		goto out_err;
	h->filtered = true;
	ret = sdio_register_ftrace_direct(&h->ops, h->tramp);
	if (ret)
		goto out_err;
	h->installed = true;
	return 0;

out_err:
	if (h->put)
		h->put();
	pr_err("cannot hook %s: %d\n", h->name, ret);
	return ret;
}

static void sdio_hook_remove(struct sdio_hook *h)
{
	int ret = sdio_unregister_ftrace_direct(&h->ops, h->tramp);

	/*
	 * Only a programming error can make this fail. On a toggle, pin the
	 * module so no rmmod frees the text the hook still points at; from
	 * the exit nothing can stop the unload any more (see the note on
	 * issue 21).
	 */
	if (WARN(ret, "cannot unhook %s: %d\n", h->name, ret)) {
		__module_get(THIS_MODULE);
		return;
	}
	h->installed = false;
	if (h->put)
		h->put();
}

/* See the top of the file. */
static bool sdio_hook_wanted(int hook, bool simple_read,
			     unsigned int max_bytes, bool simple_write)
{
	if (!sdio_hooks[hook].func)
		return false;	/* not on this kernel */
	if (hook == SDIO_HOOK_INLINE_BYPASS)
		return !simple_read;
	return simple_write ||
	       (simple_read && (!SDIO_KERNEL_SIMPLE_PATH || max_bytes));
}

/**
 * sdio_hooks_apply - install and remove hooks for the knobs' values
 * @simple_read: the value about to be in force
 * @max_bytes: the value about to be in force
 * @simple_write: the value about to be in force
 *
 * Called with sdio_knob_lock held. Returns once the hooks of the new state
 * are in place, so a read issued after it takes the new state's path;
 * reads already in our functions finish there. On failure the hooks of
 * the old state are back and the error is returned.
 */
int sdio_hooks_apply(bool simple_read, unsigned int max_bytes,
		     bool simple_write)
{
	bool added[SDIO_NR_HOOKS] = { };
	int i, ret;

	lockdep_assert_held(&sdio_knob_lock);
	for (i = 0; i < SDIO_NR_HOOKS; i++) {
		if (sdio_hook_wanted(i, simple_read, max_bytes,
				     simple_write) &&
		    !sdio_hooks[i].installed) {
			ret = sdio_hook_install(&sdio_hooks[i]);
			if (ret)
				goto out_undo;
			added[i] = true;
		}
	}
	for (i = 0; i < SDIO_NR_HOOKS; i++)
		if (!sdio_hook_wanted(i, simple_read, max_bytes,
				      simple_write) &&
		    sdio_hooks[i].installed)
			sdio_hook_remove(&sdio_hooks[i]);
	return 0;

out_undo:
	for (i = 0; i < SDIO_NR_HOOKS; i++)
		if (added[i])
			sdio_hook_remove(&sdio_hooks[i]);
	return ret;
}

/* The hooks of the knob values the module loads with. */
int sdio_hooks_init(void)
{
	int ret;

	mutex_lock(&sdio_knob_lock);
	ret = sdio_hooks_apply(READ_ONCE(sdio_knob_simple_read),
			       READ_ONCE(sdio_knob_max_bytes),
			       READ_ONCE(sdio_knob_simple_write));
	mutex_unlock(&sdio_knob_lock);
	return ret;
}

/*
 * Remove every hook and wait until no task runs, or will return into, our
 * hooked functions. Bios still in flight are sdio_simple_drain()'s.
 */
void sdio_hooks_exit(void)
{
	u64 entered;
	int i;

	mutex_lock(&sdio_knob_lock);
	for (i = 0; i < SDIO_NR_HOOKS; i++) {
		if (sdio_hooks[i].installed)
			sdio_hook_remove(&sdio_hooks[i]);
		if (sdio_hooks[i].filtered && !sdio_hooks[i].installed)
			ftrace_free_filter(&sdio_hooks[i].ops);
	}
	mutex_unlock(&sdio_knob_lock);

	/* Every task in a trampoline or a prologue has counted its entry. */
	synchronize_rcu_tasks();
	entered = sdio_stat_sum(SDIO_STAT_ENTERED);
	while (sdio_stat_sum(SDIO_STAT_LEFT) != entered)
		usleep_range(1000, 2000);
	/* ... and is past the instructions after its exit count. */
	synchronize_rcu_tasks();
}
