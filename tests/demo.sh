#!/bin/bash
# make demo: boot the guest in icount mode, load the module, run 4K random
# reads on ext4 and xfs (4096-byte null_blk) with simple_read 0 and 1 on
# fio's io_uring engine (QD32) and fio's t/io_uring -p0 (QD32, batches of
# 32, registered files, buffers and ring), and print a table. IOPS are guest
# IOPS under instruction counting: compare the ratio, not the absolute
# numbers. simple_read=0 (the kernel's own path, which lands on two levels
# about 1% apart) is the median of 3 runs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mode=${MODE:-icount}
# 900 s is three to six times what the guest needs on an idle 2-core
# machine; a machine shared with other guests may need DEMO_TIMEOUT.
timeout=${DEMO_TIMEOUT:-900}
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || { echo "demo: DEMO_TIMEOUT must be seconds, not '$timeout'" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "booting the guest ($mode mode); this takes two to three minutes..."
"$top/tests/vm/run.sh" --mode "$mode" --timeout "$timeout" --name demo \
	--args "${DEMO_ARGS:-demo,1,lbs=4096,reps=3}" bench | tee "$out"
rc=${PIPESTATUS[0]}
echo
echo "4K random reads, guest IOPS under instruction counting (icount): each"
echo "figure is 10^9 / instructions per read, so compare the gain, not the IOPS."
"$top/tests/bench/table.sh" <"$out"
exit "$rc"
