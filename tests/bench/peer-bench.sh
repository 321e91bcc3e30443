#!/bin/bash
# make bench-peer: the module beside the kernel's own path on Debian's 7.2
# and 7.3 (where upstream merged the simple path), icount mode. Each kernel
# boots once per logical block size (the guests run side by side: icount
# figures do not depend on the host's load) and measures its prefilled raw
# null_blk, its stock path, and the module with simple_read 0 and 1
# (tests/guest/peer-bench.sh). Writes bench/results/peer.{md,json} and
# peer-targets.json (tests/bench/peer.py).
#   peer-bench.sh [--runtime S] [--reps N] [--lbs "512 4096"] [--merge peer.json]
#                 [--mitigations off|auto] [--out DIR] KVER...
# --merge keeps the points of an earlier run that this one does not measure.
# --mitigations auto boots the guests with the kernel's default CPU
# vulnerability mitigations instead of mitigations=off.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runtime=1 reps=5 outdir=$top/bench/results kvers=() lbss="512 4096" merge=() mit=off
while [ $# -gt 0 ]; do
	case "$1" in
	--runtime) runtime=$2; shift ;;
	--reps) reps=$2; shift ;;
	--out) outdir=$2; shift ;;
	--lbs) lbss=$2; shift ;;
	--merge) merge=(--merge "$2"); shift ;;
	--mitigations) mit=$2; shift ;;
	-*) echo "peer-bench: unknown option $1" >&2; exit 2 ;;
	*) kvers+=("$1") ;;
	esac
	shift
done
case "$mit" in off | auto) ;; *) echo "peer-bench: --mitigations must be off or auto" >&2; exit 2 ;; esac
[ ${#kvers[@]} -gt 0 ] || { echo "peer-bench: name the kernels (make bench-peer does)" >&2; exit 2; }
mkdir -p "$outdir" "$top/build/bench"
mcommit=$(git -C "$top" log -1 --format=%h -- kmod 2>/dev/null || echo unknown)
git -C "$top" diff --quiet HEAD -- kmod 2>/dev/null || mcommit=$mcommit-dirty
tio=$(cat "$top/build/guest-bin/t-io_uring.version" 2>/dev/null || echo "t/io_uring: unknown")
logs=() pids=() rc=0
start=$(date +%s)
for k in "${kvers[@]}"; do
	for lbs in $lbss; do
		name=peer-$k-$lbs-mitigations-$mit
		log=$top/build/bench/$name.log
		logs+=("$top/build/vm/logs/$name.icount.log")
		KVER=$k MEM=3072 MITIGATIONS=$mit "$top/tests/vm/run.sh" --mode icount --timeout 7200 \
			--name "$name" --args "$runtime,$reps,$lbs" peer-bench >"$log" 2>&1 &
		pids+=($!)
	done
done
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || { rc=1; echo "peer-bench: ${logs[$i]} failed:"; grep -E 'FAIL|not ok' "${logs[$i]}" | head; }
done
echo "peer-bench: guests done in $(($(date +%s) - start))s"
python3 "$top/tests/bench/peer.py" --module-commit "$mcommit" --tio "$tio" \
	--runtime "$runtime" --reps "$reps" --out "$outdir" "${merge[@]}" "${logs[@]}" || rc=1
exit $rc
