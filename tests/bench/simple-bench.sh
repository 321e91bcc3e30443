#!/bin/bash
# make bench-simple: the simple path's own benchmark (issues 3 and 14),
# icount mode. 4K random reads, QD32, on raw null_blk (written in full
# first: the limit), ext4 and xfs: no module, module with simple_read=0,
# simple_read=1 with alloc_cache 0 and 1; rulers: fio's io_uring engine
# (plain, polled, and QD64 for the fs/raw target), fio's t/io_uring -p0/-p1
# with the upstream series' options, and diobench with exactly those
# options. Once on a 512-byte and once on a 4096-byte logical block
# null_blk: the emulated device's own work (a radix-tree lookup and a copy
# per logical block) is CPU time a DMA device does not cost, and the second
# run has 8x less of it. The two guests run side by side (icount figures do
# not depend on the host's load). Writes bench/results/KVER-simple.{md,json}
# and KVER-simple-targets.json (tests/bench/collect.py --simple).
#   simple-bench.sh [--runtime SECONDS] [--reps N] [--guest-opts OPTS] [--out DIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${KVER:-$("$top/scripts/pick-kernel.sh")}
runtime=1 reps=5 outdir=$top/bench/results extra= args=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
	case "$1" in
	--runtime) runtime=$2; shift ;;
	--reps) reps=$2; shift ;;
	# e.g. --guest-opts lean,steady=1,rulers=io_uring+t-io_uring-p0 (tests/guest/bench.sh)
	--guest-opts) extra=,$2; shift ;;
	--out) outdir=$2; shift ;;
	*) echo "simple-bench: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$outdir" "$top/build/bench"
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
# SDIO_MODULE_COMMIT and SDIO_KO name another build (with VMDIR for its image).
if [ -z "${SDIO_MODULE_COMMIT:-}" ]; then
	SDIO_MODULE_COMMIT=$(git -C "$top" log -1 --format=%h -- kmod 2>/dev/null || echo unknown)
	git -C "$top" diff --quiet HEAD -- kmod 2>/dev/null || SDIO_MODULE_COMMIT=$SDIO_MODULE_COMMIT-dirty
fi
mcommit="$SDIO_MODULE_COMMIT (simple_dio.ko sha256 $(sha256sum "${SDIO_KO:-$top/build/kmod/$kver/simple_dio.ko}" | cut -c1-12))"
tio=$(cat "$top/build/guest-bin/t-io_uring.version" 2>/dev/null || echo "t/io_uring: unknown")
rc=0 pids=()
start=$(date +%s)
for lbs in 512 4096; do
	echo "bench-simple: null_blk logical block $lbs, ${runtime}s per point, $reps runs of kernel-path points"
	"$top/tests/vm/run.sh" --mode icount --timeout 10800 --name "bench-simple-lbs$lbs" \
		--args "simple,$runtime,lbs=$lbs,reps=$reps$extra" bench >"$top/build/bench/simple-lbs$lbs.out" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || rc=1; done
for lbs in 512 4096; do
	echo "== null_blk $lbs: $(tail -n 1 "$top/build/bench/simple-lbs$lbs.out")"
	grep -E 'FAIL|not ok' "$top/build/bench/simple-lbs$lbs.out" | head -n 5
	"$top/tests/bench/table.sh" <"$top/build/bench/simple-lbs$lbs.out" || rc=1
done
logs=${VMDIR:-$top/build/vm}/logs
python3 "$top/tests/bench/collect.py" --simple "$logs/bench-simple-lbs512.icount.log" \
	"$logs/bench-simple-lbs4096.icount.log" "$outdir" "$kver" \
	--mode "qemu-system-x86_64 -accel tcg,thread=single -icount shift=0,sleep=off -smp 1" \
	--rev "$rev" --module-commit "$mcommit" --tio "$tio" --command "tests/bench/simple-bench.sh$args" \
	--command "tests/vm/run.sh --mode icount --args simple,$runtime,lbs={512,4096},reps=$reps$extra bench" || rc=1
echo "bench-simple: $(( $(date +%s) - start ))s; wrote $outdir/$kver-simple.{md,json} and $kver-simple-targets.json"
exit $rc
