#!/bin/sh
# diobench in the guest: run --verify on ext4 through the module, compare
# flips simple_read and restores it (also on SIGINT), and its stats deltas
# show simple-path hits only in state 1.
. /sdio/tests/lib.sh
check "module loads" sdio_load
dev=$(mk_nullb dbx 512) || die "null_blk"
mk_fs ext4 "$dev" /mnt/db || die "mkfs"
check "diobench prep" diobench prep /mnt/db/f --size 64M
out=$(diobench run /mnt/db/f --runtime 1 --verify --json 2>&1)
rc=$?
iops=$(echo "$out" | iops_from_json)
if [ $rc -eq 0 ] && [ "${iops:-0}" -gt 0 ]; then ok "run --verify on ext4: $iops IOPS, verified"; else not_ok "run --verify: rc $rc: $(echo $out | head -c 300)"; fi

# hits_in STATE FILE: the stats_delta hits of that state in compare's JSON.
hits_in() { awk -v s="\"$1\"" '/"state":/ { cur = $2; gsub(/,/, "", cur) } /"hits":/ && cur == s { gsub(/,/, "", $2); print $2; exit }' "$2"; }
for orig in 1 0; do
	echo $orig >"$SDIO_SYS/simple_read"
	diobench compare --rounds 2 --json -- run /mnt/db/f --runtime 0.5 >/tmp/cmp.json 2>/tmp/cmp.err
	rc=$?
	expect_eq "compare exits 0 (knob was $orig)" 0 $rc
	expect_eq "compare restores simple_read=$orig" $orig "$(cat $SDIO_SYS/simple_read)"
	h0=$(hits_in 0 /tmp/cmp.json) h1=$(hits_in 1 /tmp/cmp.json)
	if [ "${h0:-x}" = 0 ] && [ "${h1:-0}" -gt 0 ]; then ok "compare: hits only in state 1 (state 0: $h0, state 1: $h1)"
	else not_ok "compare: hits state 0 '$h0', state 1 '$h1': $(head -c 300 /tmp/cmp.err)"; fi
done
grep -E '"(gain_pct|verdict)"' /tmp/cmp.json | sed 's/^ */@@SDIO INFO compare: /'

echo 1 >"$SDIO_SYS/simple_read"
diobench compare --rounds 50 -- run /mnt/db/f --runtime 1 >/tmp/int.out 2>&1 &
pid=$!
sleep 2
kill -INT $pid
wait $pid
rc=$?
expect_eq "compare interrupted by SIGINT exits 130" 130 $rc
expect_eq "compare restores simple_read after SIGINT" 1 "$(cat $SDIO_SYS/simple_read)"

out=$(diobench stats 2>&1)
case "$out" in *hits*) ok "diobench stats prints the module's stats" ;; *) not_ok "diobench stats: $out" ;; esac
check "diobench stats --reset" diobench stats --reset
expect_eq "stats reset through diobench" 0 "$(counter hits)"
check "module unloads" sdio_unload
dmesg_check diobench
finish
