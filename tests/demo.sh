#!/bin/bash
# make demo: boot the guest in icount mode, load the module, run fio 4K
# random reads (io_uring, QD32) on ext4 and xfs with simple_read 0 and 1,
# and print a table. IOPS are guest IOPS under instruction counting:
# compare the ratio, not the absolute numbers.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mode=${MODE:-icount}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "booting the guest ($mode mode); this takes about a minute..."
"$top/tests/vm/run.sh" --mode "$mode" --timeout 900 --name demo --args "${DEMO_ARGS:-demo,1}" bench | tee "$out"
rc=${PIPESTATUS[0]}
"$top/tests/bench/table.sh" <"$out"
exit "$rc"
