# simple-dio: top-level build. `make help` lists the targets.
#
# KVER selects the Debian kernel (default: the newest 6.12 with headers);
# KDIR builds the module against any other kernel build tree instead.
SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build

ifeq ($(origin KVER),undefined)
KVER := $(shell $(TOP)/scripts/pick-kernel.sh 2>/dev/null)
endif
# make demo boots one kernel: it neither asks the archive for trixie's and
# the 7.x releases nor builds for the other kernels of the matrix.
ifeq ($(MAKECMDGOALS),demo)
KVER_TRIXIE :=
KVER_7X :=
KVER_EXTRA :=
endif
KDIR ?= /usr/src/linux-headers-$(KVER)
# The machine's Debian release (12 or 13): KVER is its own 6.12 build.
DEBIAN_RELEASE := $(shell . /etc/os-release 2>/dev/null && echo $$VERSION_ID)
# The kernels Debian 12 does not install: fetched into build/kernels and
# built for in a tree of their own suite (scripts/fetch-kernel.sh,
# suite-root.sh). Debian 13 trixie's 6.12 (trixie or trixie-security,
# built by trixie's gcc-14), and Debian's 7.x (sid, experimental).
KSERIES_7X ?= 7.2 7.3
ifeq ($(DEBIAN_RELEASE),13)
# On Debian 13 trixie's 6.12 is KVER itself, installed like Debian 12's
# (pick-kernel.sh), and the archive has no 6.1.
KSERIES_EXTRA ?=
KSERIES_TRIXIE ?=
else
# The second kernel of the matrix: the newest Debian 6.1.
KSERIES_EXTRA ?= 6.1
KSERIES_TRIXIE ?= 6.12+deb13
endif
ifeq ($(origin KVER_TRIXIE),undefined)
KVER_TRIXIE := $(foreach s,$(KSERIES_TRIXIE),$(shell $(TOP)/scripts/fetch-kernel.sh pick $(s) 2>/dev/null))
endif
ifeq ($(origin KVER_7X),undefined)
KVER_7X := $(foreach s,$(KSERIES_7X),$(shell $(TOP)/scripts/fetch-kernel.sh pick $(s) 2>/dev/null))
endif
KVER_FETCHED := $(KVER_TRIXIE) $(KVER_7X)
# Debian 13's PREEMPT_RT flavour of the same 6.12: make check, check-all and
# rt-kernel fetch it, build for it in the trixie tree and boot it (make
# build and the demo do not ask the archive for it).
KSERIES_RT ?= 6.12+deb13-rt
ifneq ($(filter check check-all rt-kernel,$(MAKECMDGOALS)),)
ifeq ($(origin KVER_RT),undefined)
KVER_RT := $(foreach s,$(KSERIES_RT),$(shell $(TOP)/scripts/fetch-kernel.sh pick $(s) 2>/dev/null))
endif
endif
ifeq ($(origin KVER_EXTRA),undefined)
KVER_EXTRA := $(foreach s,$(KSERIES_EXTRA),$(shell KSERIES=$(s) KVER= $(TOP)/scripts/pick-kernel.sh 2>/dev/null)) $(KVER_FETCHED)
endif
# A Debian 12 kernel is installed; a fetched one lives under build/kernels
# (trixie's vmlinuz in boot/, 7.x's beside its modules).
VMLINUZ := $(firstword $(wildcard /boot/vmlinuz-$(KVER) $(BUILD)/kernels/$(KVER)/boot/vmlinuz-$(KVER)) \
	$(BUILD)/kernels/$(KVER)/usr/lib/modules/$(KVER)/vmlinuz)
# Where a kernel that is not installed keeps lib/modules: the fetched
# kernels' unpacked tree; the debug kernel's modules_install (check-debug).
MODROOT ?= $(if $(wildcard /boot/vmlinuz-$(KVER)),,$(BUILD)/kernels/$(KVER)/usr)
KMOD_BUILD := $(BUILD)/kmod/$(KVER)
KO := $(KMOD_BUILD)/simple_dio.ko
VMDIR := $(BUILD)/vm
VMLINUX := $(VMDIR)/vmlinux-$(KVER)
INITRAMFS := $(VMDIR)/initramfs-$(KVER).cpio
GUEST_BIN := $(BUILD)/guest-bin
KMOD_SRC := $(wildcard kmod/*.c kmod/*.h kmod/*.S) kmod/Kbuild kmod/Makefile

.PHONY: all deps build build-extra build-rt rt-kernel module tools guest-bin vm check check-all demo \
	bench bench-quick bench-simple bench-peer bench-write bench-write-matrix profile shell guest-test unload install test-install dkms-check deb \
	kconfig-check debug-kernel check-debug clean help

all: deps
	@$(MAKE) --no-print-directory build

help:
	@echo "make            install deps, build module + tools + guest image"
	@echo "make demo       boot 6.12 in the guest: fio and t/io_uring on ext4/xfs, simple_read 0 vs 1"
	@echo "make check      all tests (host + guest); ends with 'N passed, N failed'"
	@echo "make check-all  the full guest suite on every kernel (6.12 and 6.1, trixie's 6.12 and its -rt, 7.x)"
	@echo "make rt-kernel  fetch trixie's PREEMPT_RT 6.12, build the module and guest image for it"
	@echo "make debug-kernel [DEBUG_SERIES=7.3]  the KASAN/lockdep/kmemleak/fault-injection guest kernel (6.12)"
	@echo "make check-debug [DEBUG_SERIES=7.3]   the guest suite on it; ends with 'N passed, N failed'"
	@echo "make bench      the QD sweep in the icount guest; writes bench/results/"
	@echo "make bench-quick  a handful of points, under 5 minutes"
	@echo "make bench-peer   7.2 and 7.3 (and 6.x) stock vs the module (bench/results/peer.md)"
	@echo "make bench-simple the simple path's QD32 table (fio and t/io_uring-style)"
	@echo "make bench-write  O_DIRECT overwrites: no module / loaded / simple_write=1 (bench/results/KVER-write.md)"
	@echo "make bench-write-matrix  issue 24's fio matrix, 4k/8k/16k (bench/results/write-matrix/)"
	@echo "make profile [PROFILE='ext4 io_uring 50000 4k']  instructions per I/O per function"
	@echo "make install [KVER=..] [INSTALL_MOD_PATH=..]   modules_install + depmod"
	@echo "make deb        simple-dio-dkms and diobench .debs into build/deb/"
	@echo "make shell      interactive guest shell, everything loaded"
	@echo "make guest-test T=name [MODE=icount]   one guest test"
	@echo "make module KDIR=/lib/modules/\$$(uname -r)/build   build for your kernel"

deps:
	@KSERIES_EXTRA="$(KSERIES_EXTRA)" $(TOP)/scripts/install-deps.sh
	@for k in $(KVER_FETCHED) $(KVER_RT); do $(TOP)/scripts/fetch-kernel.sh fetch $$k || exit 1; done
	@$(if $(strip $(KVER_TRIXIE) $(KVER_RT)),$(TOP)/scripts/suite-root.sh ensure trixie $(KVER_TRIXIE) $(KVER_RT))
	@$(if $(strip $(KVER_7X)),$(TOP)/scripts/suite-root.sh ensure sid $(KVER_7X))

build: module tools guest-bin vm build-extra

# Module and guest image for the other kernels of the matrix.
build-extra: guest-bin
	@for k in $(KVER_EXTRA); do \
		$(MAKE) --no-print-directory KVER=$$k KDIR=/usr/src/linux-headers-$$k KVER_EXTRA= module vm || exit 1; \
	done

# Module and guest image for trixie's PREEMPT_RT 6.12 (make check, check-all
# and rt-kernel name it in KVER_RT; empty otherwise).
build-rt: guest-bin
	@for k in $(KVER_RT); do \
		$(MAKE) --no-print-directory KVER=$$k KDIR=/usr/src/linux-headers-$$k KVER_EXTRA= module vm || exit 1; \
	done

rt-kernel: deps
	@$(if $(strip $(KVER_RT)),,echo "no $(KSERIES_RT) kernel: fetch-kernel.sh pick $(KSERIES_RT) found none" >&2; exit 1)
	@$(MAKE) --no-print-directory KVER_RT="$(KVER_RT)" build-rt

# Built in a copy per kernel, so the source tree stays clean and several
# kernels can be built side by side. W=1 must print no warning.
module: $(KO)
$(KO): $(KMOD_SRC)
	@test -n "$(KVER)" -o "$(origin KDIR)" != file || { echo "no kernel: run make deps" >&2; exit 1; }
	@mkdir -p $(KMOD_BUILD)
	@cp kmod/*.c kmod/*.h kmod/*.S kmod/Kbuild kmod/Makefile $(KMOD_BUILD)/
	KDIR=$(KDIR) $(TOP)/scripts/kbuild.sh $(KVER) $(KMOD_BUILD) W=1 modules 2>&1 | tee $(KMOD_BUILD)/build.log
	@! grep -E 'warning:|error:|Error [0-9]' $(KMOD_BUILD)/build.log

tools:
	@cmake -S tools -B $(BUILD)/tools -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD)/tools -j2

guest-bin: $(GUEST_BIN)/dio-check $(GUEST_BIN)/sdio-mark $(GUEST_BIN)/t-io_uring
$(GUEST_BIN)/dio-check: tests/guest/src/dio-check.c tests/guest/src/guest-util.h tests/guest/src/pattern.h
	@mkdir -p $(GUEST_BIN)
	gcc -O2 -Wall -Wextra -Werror -o $@ $< -luring -laio

# O_DIRECT overwrites on every engine, for the simple write path (issue 24).
guest-bin: $(GUEST_BIN)/dio-write
$(INITRAMFS): $(GUEST_BIN)/dio-write
$(GUEST_BIN)/dio-write: tests/guest/src/dio-write.c tests/guest/src/guest-util.h tests/guest/src/pattern.h
	@mkdir -p $(GUEST_BIN)
	gcc -O2 -Wall -Wextra -Werror -o $@ $< -luring -laio

# The op-mix model checker, the race cases and the NOWAIT probe (issue 15);
# a guest binary like dio-check, so the image is rebuilt when it changes.
guest-bin: $(GUEST_BIN)/dio-fsx
$(INITRAMFS): $(GUEST_BIN)/dio-fsx
$(GUEST_BIN)/dio-fsx: tests/guest/src/dio-fsx.c tests/guest/src/guest-util.h
	@mkdir -p $(GUEST_BIN)
	gcc -O2 -Wall -Wextra -Werror -o $@ $< -luring -laio -lpthread

# The crash-consistency test's tools (issue 24): the dm-log-writes log
# reader and replayer, and the O_DSYNC writer and its checker.
guest-bin: $(GUEST_BIN)/dlw-check $(GUEST_BIN)/crash-writer
$(INITRAMFS): $(GUEST_BIN)/dlw-check $(GUEST_BIN)/crash-writer
$(GUEST_BIN)/dlw-check: tests/guest/src/dlw-check.c tests/guest/src/guest-util.h
	@mkdir -p $(GUEST_BIN)
	gcc -O2 -Wall -Wextra -Werror -o $@ $<
$(GUEST_BIN)/crash-writer: tests/guest/src/crash-writer.c tests/guest/src/guest-util.h
	@mkdir -p $(GUEST_BIN)
	gcc -O2 -Wall -Wextra -Werror -o $@ $< -luring

# The profile windows' marker: its one function at a fixed user address.
$(GUEST_BIN)/sdio-mark: tests/perf/sdio-mark.c
	@mkdir -p $(GUEST_BIN)
	gcc -O2 -Wall -Wextra -Werror -static -Wl,--section-start=.sdio_mark=0x5d10000 -o $@ $<

# fio's t/io_uring, the upstream series' ruler, built from Debian's fio
# source package (fetched through a private apt configuration).
$(GUEST_BIN)/t-io_uring: scripts/build-t-io_uring.sh
	$(TOP)/scripts/build-t-io_uring.sh $@

$(BUILD)/perf/insn-profile.so: tests/perf/insn-profile.c tests/perf/qemu-plugin-api.h
	@mkdir -p $(BUILD)/perf
	gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $<

$(VMLINUX):
	@mkdir -p $(VMDIR)
	$(TOP)/tests/vm/extract-vmlinux.sh $(VMLINUZ) $@

vm: $(VMLINUX) $(INITRAMFS)
$(INITRAMFS): $(KO) $(GUEST_BIN)/dio-check $(GUEST_BIN)/sdio-mark $(GUEST_BIN)/t-io_uring $(wildcard $(BUILD)/tools/diobench) $(wildcard tests/guest/*) \
		tests/vm/init tests/vm/build-initramfs.sh scripts/simple-dio-unload
	@mkdir -p $(GUEST_BIN)/tools
	@cp $(BUILD)/tools/diobench $(GUEST_BIN)/tools/ 2>/dev/null || true
	MODROOT=$(MODROOT) \
		$(TOP)/tests/vm/build-initramfs.sh $(KVER) $@ $(KO) $(GUEST_BIN) $(GUEST_BIN)/tools

# A build failure is reported by run-all.sh as a failed check, so the run
# still ends with its "N passed, N failed" line.
check: deps
	-@$(MAKE) -k --no-print-directory KVER_RT="$(KVER_RT)" build build-rt
	@KVER=$(KVER) KVER_EXTRA="$(KVER_EXTRA)" KVER_RT="$(KVER_RT)" $(TOP)/tests/run-all.sh

check-all: deps
	-@$(MAKE) -k --no-print-directory KVER_RT="$(KVER_RT)" build build-rt
	@KVER=$(KVER) KVER_EXTRA="$(KVER_EXTRA)" KVER_RT="$(KVER_RT)" EXTRA_SUITE=full $(TOP)/tests/run-all.sh

# The debug guest kernel (issue 22): Debian's linux-source-$(DEBUG_SERIES)
# with KASAN, lockdep, kmemleak, fault injection and more, built once per
# machine into /var/cache/simple-dio (scripts/build-debug-kernel.sh).
DEBUG_SERIES ?= 6.12
debug-kernel:
	@$(TOP)/scripts/build-debug-kernel.sh build $(DEBUG_SERIES)

# The guest suite on the debug kernel, with its reports armed.
check-debug: deps
	-@$(MAKE) -k --no-print-directory guest-bin tools
	@DEBUG_SERIES=$(DEBUG_SERIES) $(TOP)/tests/run-debug.sh

# Only what the demo boots: Debian 12's 6.12, its module, the guest
# binaries and image (no diobench, no other kernel).
demo:
	@DEPS=demo $(TOP)/scripts/install-deps.sh
	@$(MAKE) --no-print-directory KVER_TRIXIE= KVER_7X= KVER_EXTRA= module guest-bin vm
	@$(TOP)/tests/demo.sh

# The QD sweep and its parts in the deterministic guest (under 45 minutes);
# results are committed under bench/results/. bench-quick: a few points.
bench: deps
	@$(MAKE) --no-print-directory build
	@KVER=$(KVER) $(TOP)/tests/bench/run-bench.sh

# The simple path's own table (QD32, fio and t/io_uring-style diobench,
# 512 and 4096-byte null_blk): bench/results/KVER-simple.md.
bench-simple: deps
	@$(MAKE) --no-print-directory build
	@KVER=$(KVER) $(TOP)/tests/bench/simple-bench.sh

# The peer table (bench/results/peer.md): 7.2 and 7.3, stock and with the
# module, 512 and 4096-byte blocks; Debian 12's 6.x kernels for the off
# state's cost; 7.2 and 7.3 again with the kernel's default mitigations.
bench-peer: deps
	@$(MAKE) --no-print-directory build
	@$(TOP)/tests/bench/peer-bench.sh $(KVER_7X)
	@$(TOP)/tests/bench/peer-bench.sh --lbs 4096 --merge $(TOP)/bench/results/peer.json \
		$(KVER) $(filter-out $(KVER) $(KVER_FETCHED),$(KVER_EXTRA))
	@$(TOP)/tests/bench/peer-bench.sh --lbs 4096 --mitigations auto \
		--merge $(TOP)/bench/results/peer.json $(KVER_7X)

# O_DIRECT overwrites (issue 24): ext4 and xfs on 512- and 4096-byte
# null_blk, with and without a volatile write cache; no module, module
# loaded, simple_write=1: bench/results/KVER-write.md, on 6.12 and the 7.x
# kernels (WRITE_KVERS). WRITE_STATES="nomodule loaded" runs without
# simple_write.
WRITE_STATES ?= nomodule loaded write1
WRITE_KVERS ?= $(KVER) $(KVER_7X)
bench-write: deps
	@$(MAKE) --no-print-directory build
	@$(TOP)/tests/bench/write-bench.sh --states "$(WRITE_STATES)" $(WRITE_KVERS)

# Issue 24's fio matrix: 4k/8k/16k x io_uring QD1/32/64 and libaio QD64,
# with and without O_DSYNC, module loaded vs simple_write=1 with
# max_bytes 16384, 4096-byte null_blk without a write cache, one guest at
# a time (~30 min of one core per kernel): bench/results/write-matrix/.
bench-write-matrix: deps
	@$(MAKE) --no-print-directory build
	@$(TOP)/tests/bench/write-bench.sh --lbs 4096 --reps 5 --states "loaded write1" \
		--guest-opts matrix,caches=none --jobs 1 --out $(TOP)/bench/results/write-matrix $(WRITE_KVERS)

bench-quick: deps
	@$(MAKE) --no-print-directory build
	@KVER=$(KVER) $(TOP)/tests/bench/run-bench.sh --quick

# Instructions per I/O per kernel function, no module / simple_read 0 / 1:
# make profile [PROFILE="ext4 io_uring 50000 4k"]
profile: deps
	@$(MAKE) --no-print-directory build $(BUILD)/perf/insn-profile.so
	@KVER=$(KVER) $(TOP)/tests/perf/profile.sh $(PROFILE)

shell: all
	@$(TOP)/tests/vm/run.sh --shell

guest-test: all
	@$(TOP)/tests/vm/run.sh -v --mode $(or $(MODE),functional) $(T)

unload:
	@$(TOP)/scripts/simple-dio-unload

# make install [KVER=...] [INSTALL_MOD_PATH=/staging]: modules_install + depmod
install: module
	KDIR=$(KDIR) $(TOP)/scripts/install-module.sh $(KVER) $(KO)

test-install:
	@KVERS="$(KVER) $(KVER_EXTRA)" $(TOP)/scripts/test-install.sh

dkms-check:
	@$(TOP)/scripts/test-dkms.sh

# simple-dio-dkms_VERSION_all.deb and diobench_VERSION_ARCH.deb, built in a
# copy of the tree (scripts/test-deb.sh tests them; VERSION: dkms.conf).
deb:
	@OUT=$(BUILD)/deb $(TOP)/scripts/build-deb.sh

kconfig-check:
	@$(TOP)/scripts/check-kconfig.sh

clean:
	rm -rf $(BUILD)
