// SPDX-License-Identifier: GPL-2.0
/*
 * sdio-mark: run one function that sits at a fixed user address, so the
 * insn-profile QEMU plugin can see where a measured window starts and ends.
 * Linked static with .sdio_mark at SDIO_MARK_VADDR (see tests/perf/Makefile
 * rules in the top Makefile); nothing else in the guest maps code there.
 */
__attribute__((section(".sdio_mark"), noinline, used)) void sdio_mark(void)
{
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	sdio_mark();
	return 0;
}
