/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct-call trampolines (x86-64). ftrace patches the traced function's
 * __fentry__ call into a call to one of these, so on entry the stack holds
 * the return address into the traced function, then the one into its
 * caller, then (iomap_dio_rw's seventh argument) the caller's stack
 * arguments; the argument registers are untouched and %rax is free, as at
 * any function's entry.
 */
#include <linux/errno.h>
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/unwind_hints.h>

/*
 * ENDBR as a function whose address is taken: SYM_FUNC_START adds it up
 * to 6.x, not from 7.x on, so say it here, once on every kernel.
 */
.macro SDIO_TRAMP_START name
SYM_START(\name, SYM_L_GLOBAL, SYM_A_ALIGN)
	ENDBR
.endm

/*
 * Replace the traced function: dropping the first return address leaves
 * exactly the stack it was entered with, and a jump to our function with
 * the same signature runs ours instead, the technique of the BPF
 * trampoline's BPF_TRAMP_F_SKIP_FRAME: two instructions, no saved
 * registers. No call depth accounting: the __fentry__ call is never
 * returned from, and our function returns for the caller's call into the
 * traced one.
 */
.macro SDIO_SKIP_FRAME_TRAMP name target
SDIO_TRAMP_START \name
	addq	$8, %rsp
	/* The stack is now the traced function's at entry: a function's. */
	UNWIND_HINT_FUNC
	jmp	\target
SYM_FUNC_END(\name)
.endm

SDIO_SKIP_FRAME_TRAMP sdio_tramp_iomap_dio_rw sdio_iomap_dio_rw

#ifdef SDIO_HAVE_KERNEL_SIMPLE_READ
/*
 * 7.3, simple_read=0: make the kernel's own simple path decline a read
 * before the file system maps it (kernel_simple.c says why here).
 * kiocb_write_and_wait() called from ext4's or xfs's text (the inline
 * iomap_dio_read_simple(), their only call of it) returns -ENOTBLK
 * without running, counted; any other caller continues into the traced
 * function, as from any ftrace trampoline that returns. Each caller range
 * is {start, size}; an empty one matches nothing.
 */
SDIO_TRAMP_START sdio_tramp_kiocb_write_and_wait
	movq	8(%rsp), %rax
	subq	sdio_inline_callers(%rip), %rax
	cmpq	sdio_inline_callers+8(%rip), %rax
	jb	.Lsdio_decline
	movq	8(%rsp), %rax
	subq	sdio_inline_callers+16(%rip), %rax
	cmpq	sdio_inline_callers+24(%rip), %rax
	jb	.Lsdio_decline
	/* Returned to through the __fentry__ call: account for it. */
	CALL_DEPTH_ACCOUNT
	RET
.Lsdio_decline:
	/* Return for the caller's call into kiocb_write_and_wait(). */
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	incq	PER_CPU_VAR(sdio_counters)	/* SDIO_STAT_BYPASSED */
	movq	$-ENOTBLK, %rax
	RET
SYM_FUNC_END(sdio_tramp_kiocb_write_and_wait)
#endif
