#!/bin/bash
# make bench-write: O_DIRECT overwrites (issue 24), icount mode. One guest
# per kernel and null_blk logical block size (tests/guest/write-bench.sh):
# ext4 and xfs, without and with a volatile write cache, in the states no
# module, module loaded (simple_write 0) and simple_write=1, on the lean
# ruler (diobench randwrite QD32 4K), fio io_uring QD32, O_DSYNC QD1, and
# hole-filling writes as the ineligible control. Writes
# bench/results/KVER-write.{md,json} and KVER-write-targets.json
# (tests/bench/write.py).
#   write-bench.sh [--runtime S] [--reps N] [--lbs "512 4096"] [--states "nomodule loaded write1"]
#                  [--guest-opts OPTS] [--jobs N] [--out DIR] [KVER...]
# --states write1 writes /sys/kernel/iomap/simple_write=1 in the guest and
# fails if it cannot. --guest-opts adds write-bench.sh options (e.g.
# matrix, reps1=3, caches=none). --jobs: guests at once (icount figures do
# not depend on the host's load). KVER: default the picked kernel.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runtime=1 reps=5 outdir=$top/bench/results lbss="512 4096" states="nomodule loaded write1" extra='' jobs=2
kvers=() args=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
	case "$1" in
	--runtime) runtime=$2; shift ;;
	--reps) reps=$2; shift ;;
	--lbs) lbss=$2; shift ;;
	--states) states=$2; shift ;;
	--guest-opts) extra=,$2; shift ;;
	--jobs) jobs=$2; shift ;;
	--out) outdir=$2; shift ;;
	-*) echo "write-bench: unknown option $1" >&2; exit 2 ;;
	*) kvers+=("$1") ;;
	esac
	shift
done
for v in "$runtime" "$reps" "$jobs"; do
	[[ $v =~ ^[0-9]+$ && $v -gt 0 ]] || { echo "write-bench: --runtime, --reps and --jobs take a positive integer, got '$v'" >&2; exit 2; }
done
for l in $lbss; do
	case "$l" in 512 | 4096) ;; *) echo "write-bench: --lbs takes 512 and/or 4096, got '$l'" >&2; exit 2 ;; esac
done
for s in $states; do
	case "$s" in nomodule | loaded | write1) ;; *) echo "write-bench: unknown state '$s' (nomodule, loaded, write1)" >&2; exit 2 ;; esac
done
[ ${#kvers[@]} -gt 0 ] || kvers=("${KVER:-$("$top/scripts/pick-kernel.sh")}")
mkdir -p "$outdir" "$top/build/bench"
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
mcommit=$(git -C "$top" log -1 --format=%h -- kmod 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD -- kmod 2>/dev/null || mcommit=$mcommit-dirty
gstates=$(echo "$states" | tr -s ' ' '+')
logs=() names=() pids=() rc=0
start=$(date +%s)
for k in "${kvers[@]}"; do
	for lbs in $lbss; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
		name=write-$k-$lbs
		names+=("$name")
		logs+=("${VMDIR:-$top/build/vm}/logs/$name.icount.log")
		echo "bench-write: $k, null_blk $lbs, ${runtime}s per point, $reps runs of kernel-path points, states $states"
		KVER=$k MEM=3072 "$top/tests/vm/run.sh" --mode icount --timeout 14400 --name "$name" \
			--args "$runtime,$reps,$lbs,states=$gstates$extra" write-bench >"$top/build/bench/$name.out" 2>&1 &
		pids+=($!)
	done
done
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || { rc=1; echo "bench-write: ${names[$i]} failed:"; grep -E 'FAIL|not ok' "$top/build/bench/${names[$i]}.out" | head; }
done
echo "bench-write: guests done in $(($(date +%s) - start))s"
python3 "$top/tests/bench/write.py" --module-commit "$mcommit" --rev "$rev" \
	--mode "qemu-system-x86_64 -accel tcg,thread=single -icount shift=0,sleep=off -smp 1" \
	--command "tests/bench/write-bench.sh$args" \
	--command "tests/vm/run.sh --mode icount --args $runtime,$reps,{$(echo "$lbss" | tr ' ' ',')},states=$gstates$extra write-bench" \
	--out "$outdir" "${logs[@]}" || rc=1
echo "bench-write: $(($(date +%s) - start))s; wrote $outdir/KVER-write.{md,json} and KVER-write-targets.json for ${kvers[*]}"
exit $rc
