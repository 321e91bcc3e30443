#!/bin/bash
# Boot the guest kernel under QEMU TCG and run guest tests in it.
#
#   run.sh [--mode functional|mttcg|icount] [--timeout S] [--results FILE]
#          [--name LABEL] [--args a,b] TEST[:a,b]...  run tests/guest/TEST.sh
#   run.sh --shell                                   interactive guest shell
#
# Environment: KVER (kernel release), VMDIR (where vmlinux and the initramfs
# are, default build/vm), ACCEL=kvm for users whose KVM works, MEM (MiB),
# QEMU_EXTRA (more QEMU arguments, split on spaces; tests/perf uses it),
# MITIGATIONS=auto to boot with the kernel's default CPU vulnerability
# mitigations (default: off, the figure of the bare code paths).
#
# TEST:a,b gives that test its own arguments (its SDIO_ARGS, "a b"), so
# several tests with different arguments share one boot.
#
# A run fails, with the console log kept under $VMDIR/logs/, on a test's
# "not ok" line or non-zero exit, a guest panic, a timeout, or any BUG,
# WARNING, Oops, hung task or general protection line in the kernel log.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${KVER:-$("$top/scripts/pick-kernel.sh")}
vmdir=${VMDIR:-$top/build/vm}
mode=functional timeout=600 results= shell=0 name= gargs= verbose=${V:-0}
tests=() targs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--mode) mode=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--results) results=$2; shift ;;
	--name) name=$2; shift ;;
	--args) gargs=$2; shift ;;
	--shell) shell=1 ;;
	-v) verbose=1 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*:*) tests+=("${1%%:*}") targs+=("${1%%:*}=${1#*:}") ;;
	*) tests+=("$1") ;;
	esac
	shift
done
[ "$shell" = 1 ] || [ ${#tests[@]} -gt 0 ] || { echo "run.sh: no test named" >&2; exit 2; }
for t in "${tests[@]}"; do
	[ -f "$top/tests/guest/$t.sh" ] || { echo "run.sh: no test tests/guest/$t.sh" >&2; exit 2; }
done
vmlinux=$vmdir/vmlinux-$kver initrd=$vmdir/initramfs-$kver.cpio
for f in "$vmlinux" "$initrd"; do
	[ -r "$f" ] || { echo "run.sh: missing $f (run make vm first)" >&2; exit 2; }
done

case "$mode" in
# Two vCPUs run round-robin on one host thread: the guest is SMP, and code
# the kernel patches (livepatch, ftrace, jump labels) is seen coherently.
# Multi-threaded TCG can execute a stale int3 after such patching; we saw
# it oops even on idle load/unload, so it is opt-in: --mode mttcg.
functional) accel=(-accel tcg,thread=single -smp 2) ;;
mttcg) accel=(-accel tcg,thread=multi -smp 2) ;;
# Guest time advances with executed instructions: IOPS become a
# deterministic instruction-cost figure.
icount) accel=(-accel tcg,thread=single -icount shift=0,sleep=off -smp 1) ;;
*) echo "run.sh: mode must be functional, mttcg or icount" >&2; exit 2 ;;
esac
[ "${ACCEL:-}" = kvm ] && accel=(-accel kvm -cpu host -smp 2)

# no_timer_check: on a loaded host the emulated guest can fail the boot-time
# IO-APIC timer check and panic ("IO-APIC + timer doesn't work").
cmdline="console=ttyS0 panic=-1 quiet loglevel=4 nokaslr no_timer_check"
case "${MITIGATIONS:-off}" in
off) cmdline+=" mitigations=off" ;;
auto) ;;
*) echo "run.sh: MITIGATIONS must be off or auto" >&2; exit 2 ;;
esac
cmdline+=" sdio.tests=$(IFS=,; echo "${tests[*]}")"
[ -n "$gargs" ] && cmdline+=" sdio.args=$gargs"
for a in "${targs[@]}"; do cmdline+=" sdio.args.$a"; done
# The debug kernel (tests/run-debug.sh): a KASAN report panics the guest,
# so no test can read past one; caches stay unmerged, so failslab can
# target the bio caches alone (fault-inject.sh). Everything runs several
# times slower there: the timeout scales.
case "$kver" in
*-debug)
	cmdline+=" kasan.fault=panic slab_nomerge"
	timeout=$((timeout * ${DEBUG_TIMEOUT_SCALE:-2})) ;;
esac
[ "$shell" = 1 ] && cmdline+=" sdio.shell=1"

qemu=(qemu-system-x86_64 "${accel[@]}" -cpu max -m "${MEM:-3072}"
	-machine q35 -nodefaults -no-reboot -display none -serial stdio
	-kernel "$vmlinux" -initrd "$initrd" -append "$cmdline")
# shellcheck disable=SC2206 # split on purpose
[ -n "${QEMU_EXTRA:-}" ] && qemu+=($QEMU_EXTRA)

if [ "$shell" = 1 ]; then
	exec "${qemu[@]}"
fi

mkdir -p "$vmdir/logs"
label=${name:-$(IFS=+; echo "${tests[*]}")}
log=$vmdir/logs/$label.$mode.log
start=$(date +%s.%N)
if [ "$verbose" = 1 ]; then
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$log"
	qrc=${PIPESTATUS[0]}
else
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$log" 2>&1
	qrc=$?
fi
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

# Tally: every "ok"/"not ok" line a test prints is one result; a test that
# exits non-zero without saying "not ok" is one failure; then one result for
# the run itself (finished, no panic) and one for a clean dmesg.
"$top/tests/vm/tally.sh" "$log" "$label" "$qrc" "$timeout" "$elapsed" "$results"
