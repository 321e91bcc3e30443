#!/bin/sh
# diobench in the guest: run --verify on ext4 through the module, compare
# flips simple_read and restores it (also on SIGINT), and its stats deltas
# show simple-path hits only in state 1. Compare's 95% interval is printed
# (JSON and text) and agrees with its verdict; 2 rounds warn, 1 is refused.
# Reads are SDIO_MAX_LEN bytes: on 7.3 the kernel serves one-block reads on
# its own simple path, so ours (max_bytes widened) gets 16 KiB ones.
. /sdio/tests/lib.sh
check "module loads" sdio_load
sdio_widen
dev=$(mk_nullb dbx 512) || die "null_blk"
mk_fs ext4 "$dev" /mnt/db || die "mkfs"
check "diobench prep" diobench prep /mnt/db/f --size 64M
out=$(diobench run /mnt/db/f --bs "$SDIO_MAX_LEN" --runtime 1 --verify --json 2>&1)
rc=$?
iops=$(echo "$out" | iops_from_json)
if [ $rc -eq 0 ] && [ "${iops:-0}" -gt 0 ]; then ok "run --verify on ext4: $iops IOPS, verified"; else not_ok "run --verify: rc $rc: $(echo $out | head -c 300)"; fi

# top KEY FILE: a top-level value of compare's JSON (dumped with indent 2),
# strings with their quotes.
top() { sed -n "s/^  \"$1\": \(.*\)\$/\1/p" "$2" | sed 's/,$//' | head -n 1; }
# interval_ok FILE: gain, 95% interval and verdict of compare's JSON agree:
# low <= gain <= high, and the verdict says "inconclusive: the 95% interval
# includes 0" with the interval exactly when low <= 0 <= high.
interval_ok() {
	lo=$(top ci95_low_pct "$1") hi=$(top ci95_high_pct "$1") g=$(top gain_pct "$1") v=$(top verdict "$1")
	info "compare: gain $g% 95% CI $lo..$hi% verdict $v"
	case "$lo $hi $g" in *null* | *" " | " "*) not_ok "compare JSON has no interval: lo '$lo' hi '$hi' gain '$g'"; return ;; esac
	where=$(awk -v l="$lo" -v h="$hi" -v g="$g" 'BEGIN { l += 0; h += 0; g += 0
		if (!(l <= g && g <= h)) print "outside"; else if (l <= 0 && h >= 0) print "includes0"; else print "excludes0" }')
	case "$where:$v" in
	'includes0:"inconclusive: the 95% interval includes 0 (gain of state 1 over state 0: 95% CI '*'..'*'%)"')
		ok "compare: interval $lo..$hi% includes 0 and the verdict says inconclusive with it" ;;
	'excludes0:"state '[01]' is faster by '*'% (95% CI '*'..'*'%)"')
		ok "compare: interval $lo..$hi% excludes 0 and the verdict names the faster state" ;;
	*) not_ok "compare: interval $lo..$hi% (gain $g%, $where) disagrees with verdict $v" ;;
	esac
}

# hits_in STATE FILE: the stats_delta hits of that state in compare's JSON.
hits_in() { awk -v s="\"$1\"" '/"state":/ { cur = $2; gsub(/,/, "", cur) } /"hits":/ && cur == s { gsub(/,/, "", $2); print $2; exit }' "$2"; }
for orig in 1 0; do
	echo $orig >"$SDIO_SYS/simple_read"
	diobench compare --rounds 2 --json -- run /mnt/db/f --bs "$SDIO_MAX_LEN" --runtime 0.5 >/tmp/cmp.json 2>/tmp/cmp.err
	rc=$?
	expect_eq "compare exits 0 (knob was $orig)" 0 $rc
	expect_eq "compare restores simple_read=$orig" $orig "$(cat $SDIO_SYS/simple_read)"
	h0=$(hits_in 0 /tmp/cmp.json) h1=$(hits_in 1 /tmp/cmp.json)
	if [ "${h0:-x}" = 0 ] && [ "${h1:-0}" -gt 0 ]; then ok "compare: hits only in state 1 (state 0: $h0, state 1: $h1)"
	else not_ok "compare: hits state 0 '$h0', state 1 '$h1': $(head -c 300 /tmp/cmp.err)"; fi
	interval_ok /tmp/cmp.json
	# 2 rounds per state: Welch df 1..2, so a warning on stderr and in the JSON.
	if grep -q '^diobench: warning: only 2 rounds per state' /tmp/cmp.err && grep -q '"warning: only 2 rounds' /tmp/cmp.json
	then ok "compare --rounds 2 warns (stderr and JSON)"; else not_ok "compare --rounds 2: no warning: $(head -c 300 /tmp/cmp.err)"; fi
done

# Text report: the gain line carries the interval, the verdict follows it.
diobench compare --rounds 2 -- run /mnt/db/f --bs "$SDIO_MAX_LEN" --runtime 0.5 >/tmp/cmp.txt 2>/dev/null
rc=$?
grep -E '^(gain|warning|verdict)' /tmp/cmp.txt | sed 's/^/@@SDIO INFO compare text: /'
if [ $rc -eq 0 ] && grep -qE '^gain of state 1 over state 0: [+-][0-9.]+% \(95% CI [+-][0-9.]+%\.\.[+-][0-9.]+%, Welch df=' /tmp/cmp.txt &&
	grep -qE '^verdict: (inconclusive: the 95% interval includes 0 \(gain of state 1 over state 0: 95% CI |state [01] is faster by )' /tmp/cmp.txt
then ok "compare text report prints the interval and a verdict"; else not_ok "compare text report (rc $rc): $(tr '\n' ' ' </tmp/cmp.txt | head -c 400)"; fi

# Fewer than 2 rounds give no interval: refused as a usage error, knob untouched.
out=$(diobench compare --rounds 1 -- run /mnt/db/f --bs "$SDIO_MAX_LEN" --runtime 0.5 2>&1)
rc=$?
case "$rc:$out" in
"2:diobench: --rounds: compare needs at least 2 rounds per state"*) ok "compare --rounds 1 is refused (exit 2)" ;;
*) not_ok "compare --rounds 1: rc $rc: $out" ;;
esac

echo 1 >"$SDIO_SYS/simple_read"
diobench compare --rounds 50 -- run /mnt/db/f --bs "$SDIO_MAX_LEN" --runtime 1 >/tmp/int.out 2>&1 &
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
