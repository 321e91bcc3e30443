#!/bin/bash
# make bench / make bench-quick: boot the guest in icount mode, run
# tests/guest/sweep-bench.sh, print its progress, and turn the log into
# results (tests/bench/collect.py). The full run writes bench/results/
# (committed); --quick writes build/bench/.
#   run-bench.sh [--quick] [--runtime SECONDS] [--reps N]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${KVER:-$("$top/scripts/pick-kernel.sh")}
set_=full runtime=1 reps=5 outdir=$top/bench/results
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) set_=quick outdir=$top/build/bench ;;
	--runtime) runtime=$2; shift ;;
	--reps) reps=$2; shift ;;
	*) echo "run-bench: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
# The module measured: the last commit of kmod/ (make bench builds it
# first), -dirty if kmod/ has changes, and the .ko's hash.
# SDIO_MODULE_COMMIT and SDIO_KO name another build (with VMDIR for its image).
if [ -z "${SDIO_MODULE_COMMIT:-}" ]; then
	SDIO_MODULE_COMMIT=$(git -C "$top" log -1 --format=%h -- kmod 2>/dev/null || echo unknown)
	git -C "$top" diff --quiet HEAD -- kmod 2>/dev/null || SDIO_MODULE_COMMIT=$SDIO_MODULE_COMMIT-dirty
fi
mcommit="$SDIO_MODULE_COMMIT (simple_dio.ko sha256 $(sha256sum "${SDIO_KO:-$top/build/kmod/$kver/simple_dio.ko}" | cut -c1-12))"
tio=$(cat "$top/build/guest-bin/t-io_uring.version" 2>/dev/null || echo "t/io_uring: unknown")
start=$(date +%s)
echo "bench ($set_): $kver, icount mode, ${runtime}s per point; progress below"
V=1 "$top/tests/vm/run.sh" --mode icount --timeout 10800 --name "bench-$set_" \
	--args "$set_,$runtime,reps=$reps" sweep-bench >"$top/build/bench-$set_.out" 2>&1 &
pid=$!
log=${VMDIR:-$top/build/vm}/logs/bench-$set_.icount.log
while kill -0 $pid 2>/dev/null; do
	sleep 5
	[ -r "$log" ] || continue
	line=$(grep -a '^@@SDIO INFO \[' "$log" 2>/dev/null | tail -n 1 | sed 's/^@@SDIO INFO //')
	[ -n "$line" ] && [ "$line" != "${last:-}" ] && echo "  $line, host $(( $(date +%s) - start ))s" && last=$line
done
wait $pid
rc=$?
tail -n 3 "$top/build/bench-$set_.out"
python3 "$top/tests/bench/collect.py" "$log" "$outdir" "$kver" --mode \
	"qemu-system-x86_64 -accel tcg,thread=single -icount shift=0,sleep=off -smp 1" \
	--rev "$rev" --module-commit "$mcommit" --tio "$tio" \
	--command "make bench$([ $set_ = quick ] && echo -quick)" \
	--command "tests/vm/run.sh --mode icount --args $set_,$runtime,reps=$reps sweep-bench"
crc=$?
echo "bench: $(( $(date +%s) - start ))s; results in $outdir/$kver.{json,md,svg} and $kver-targets.json"
[ $rc -eq 0 ] && [ $crc -eq 0 ]
