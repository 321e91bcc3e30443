#!/bin/bash
# make bench-simple: the simple path's own benchmark (issue 3), icount mode.
# 4K random reads, QD32, on raw null_blk, ext4 and xfs: no module, module
# with simple_read=0, simple_read=1 with alloc_cache 0 and 1; fio
# (io_uring, io_uring_poll) and diobench in upstream's t/io_uring setup
# (t-io_uring, t-io_uring-poll: registered buffers, files and ring). Once
# on a 512-byte and once on a 4096-byte logical block null_blk: the
# emulated device's own work (a radix-tree lookup and a copy per logical
# block) is CPU time a DMA device does not cost, and the second run has 8x
# less of it. Writes bench/results/KVER-simple.md.
#   simple-bench.sh [--runtime SECONDS] [--out DIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${KVER:-$("$top/scripts/pick-kernel.sh")}
runtime=1 outdir=$top/bench/results
while [ $# -gt 0 ]; do
	case "$1" in
	--runtime) runtime=$2; shift ;;
	--out) outdir=$2; shift ;;
	*) echo "simple-bench: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$outdir" "$top/build/bench"
md=$outdir/$kver-simple.md
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
rc=0
{
	echo "# simple path benchmark, $kver"
	echo
	echo "icount mode (\`-accel tcg,thread=single -icount shift=0,sleep=off -smp 1\`): guest"
	echo "IOPS are 10^9 / instructions per I/O. Commit $rev; \`make bench-simple\`."
	echo "Columns: no module, module with simple_read=0, simple_read=1 with alloc_cache=0,"
	echo "simple_read=1; gain = simple_read 1 over 0."
} >"$md"
for lbs in 512 4096; do
	out=$top/build/bench/simple-lbs$lbs.out
	echo "bench-simple: null_blk logical block $lbs, ${runtime}s per point"
	"$top/tests/vm/run.sh" --mode icount --timeout 1800 --name "bench-simple-lbs$lbs" \
		--args "simple,$runtime,lbs=$lbs" bench >"$out" 2>&1 || rc=1
	table=$("$top/tests/bench/table.sh" <"$out") || rc=1
	echo "$table"
	hook=$(echo "$table" | awk 'NR > 1 && $3 ~ /^[0-9,]+$/ && $4 ~ /^[0-9,]+$/ {
		gsub(/,/, "", $3); gsub(/,/, "", $4)
		printf "%s %s simple_read=0 / no module: %.4f\n", $1, $2, $4 / $3 }')
	echo "$hook"
	{
		echo
		echo "## null_blk logical block size $lbs"
		echo
		echo "\`tests/vm/run.sh --mode icount --args simple,$runtime,lbs=$lbs bench\`"
		echo
		echo '```'
		echo "$table"
		echo
		echo "$hook"
		echo '```'
	} >>"$md"
done
echo "bench-simple: wrote $md"
exit $rc
