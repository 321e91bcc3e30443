#!/bin/bash
# Where the instructions go: boot the icount guest with the insn-profile
# QEMU plugin, run tests/guest/profile.sh (the same diobench reads with no
# module, simple_read=0 and simple_read=1), then print instructions per I/O
# per kernel function for each state.
#
#   profile.sh [FS] [ENGINE] [IOS] [BS] [lbs=N] [maxb=N] [batch=N] [brd] [write|hole] [dsync]
#              [DIOBENCH FLAGS...]
#   ENGINE io_uring or io_uring-poll runs diobench; fio-io_uring or
#   fio-io_uring-poll runs fio as tests/guest/bench.sh does
#   defaults: ext4 io_uring 50000 4k, null_blk logical block 512; e.g.
#   --fixedbufs --registerfiles --register-ring for upstream's t/io_uring
#   -B1 -F1 -X1; "write" profiles O_DIRECT overwrites with simple_write
#   0/1 instead of reads, "hole" writes that fill holes (ineligible), "dsync"
#   adds RWF_DSYNC (tests/guest/profile.sh)
#
# Needs the build (make) and build/perf/insn-profile.so (make profile).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
fs=${1:-ext4} engine=${2:-io_uring} ios=${3:-50000} bs=${4:-4k}
shift $(($# < 4 ? $# : 4))
flags=("$@")
for f in "${flags[@]}"; do
	[[ "$f" =~ ^(--[a-z-]+|lbs=(512|1024|2048|4096)|maxb=[0-9]+|batch=[1-9][0-9]*|brd|write|hole|dsync)$ ]] ||
		{ echo "profile.sh: '$f' is not lbs=512..4096, maxb=N, batch=N, brd, write, hole, dsync or a diobench --flag" >&2; exit 2; }
done
tag=$fs-$engine-$bs$(printf '%s' "${flags[@]}" | tr -d '=-' | sed 's/^./-&/')
case "$fs" in ext4|xfs|raw) ;; *) echo "profile.sh: FS must be ext4, xfs or raw" >&2; exit 2 ;; esac
case "$engine" in io_uring|io_uring-poll|fio-io_uring|fio-io_uring-poll) ;; *) echo "profile.sh: ENGINE must be [fio-]io_uring or [fio-]io_uring-poll" >&2; exit 2 ;; esac
[[ "$ios" =~ ^[1-9][0-9]*$ ]] || { echo "profile.sh: IOS must be a positive number" >&2; exit 2; }
plugin=$top/build/perf/insn-profile.so
[ -r "$plugin" ] || { echo "profile.sh: missing $plugin (make profile builds it)" >&2; exit 2; }
mark=$(nm "$top/build/guest-bin/sdio-mark" | awk '$3 == "sdio_mark" { print "0x" $1 }')
[ -n "$mark" ] || { echo "profile.sh: no sdio_mark symbol in build/guest-bin/sdio-mark" >&2; exit 2; }
out=$top/build/perf/$tag
mkdir -p "$out"
QEMU_EXTRA="-plugin $plugin,out=$out/windows.txt,mark=$mark" \
	"$top/tests/vm/run.sh" --mode icount --timeout 1800 --name "profile-$tag" \
	--args "$(IFS=,; echo "$fs,$engine,$ios,$bs${flags[*]:+,${flags[*]}}")" profile
cp "${VMDIR:-$top/build/vm}/logs/profile-$tag.icount.log" "$out/console.log"
# A raw device's three windows must agree (the module never touches it).
check=()
[ "$fs" = raw ] && check=(--raw-check)
knob=simple_read
[[ " ${flags[*]} " =~ \ (write|hole)\  ]] && knob=simple_write
"$top/tests/perf/insn-report.py" "$out/windows.txt" "$out/console.log" "$ios" --knob "$knob" \
	--json "$out/report.json" "${check[@]}" | tee "$out/report.txt"
