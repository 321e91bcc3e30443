/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct-call trampolines (x86-64). ftrace patches the traced function's
 * __fentry__ call into a call to one of these, so on entry the stack holds
 * the return address into the traced function, then the one into its
 * caller, then (iomap_dio_rw's seventh argument) the caller's stack
 * arguments; the argument registers are untouched. Dropping the first
 * return address leaves exactly the stack the traced function was entered
 * with, and a jump to our function with the same signature replaces it:
 * the technique of the BPF trampoline's BPF_TRAMP_F_SKIP_FRAME, two
 * instructions and no saved registers. No call depth accounting: the
 * __fentry__ call is never returned from, and our function returns for the
 * caller's call into the traced one.
 */
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/unwind_hints.h>

/*
 * ENDBR as a function whose address is taken: SYM_FUNC_START adds it up
 * to 6.x, not from 7.x on, so say it here, once on every kernel.
 */
.macro SDIO_SKIP_FRAME_TRAMP name target
SYM_START(\name, SYM_L_GLOBAL, SYM_A_ALIGN)
	ENDBR
	addq	$8, %rsp
	/* The stack is now the traced function's at entry: a function's. */
	UNWIND_HINT_FUNC
	jmp	\target
SYM_FUNC_END(\name)
.endm

SDIO_SKIP_FRAME_TRAMP sdio_tramp_iomap_dio_rw sdio_iomap_dio_rw
#ifdef SDIO_HAVE_KERNEL_SIMPLE_READ
SDIO_SKIP_FRAME_TRAMP sdio_tramp_iomap_dio_read_simple sdio_iomap_dio_read_simple
#endif
