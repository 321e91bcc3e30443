#!/bin/bash
# Host test of dlw-check's replay model (tests/guest/src/dlw-check.c) on a
# hand-made dm-log-writes log: which sectors a plain and a durable replay
# write at each mark, FUA ignored or not, and its refusals of bad logs and
# bad arguments. Prints "ok - ..." / "not ok - ..." lines (run-all.sh's
# run_tap). No device and no module: logs and targets are plain files.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dlw-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failed=1; }

gcc -O2 -Wall -Wextra -Werror -o "$tmp/dlw-check" "$top/tests/guest/src/dlw-check.c" ||
	{ not_ok "dlw-check builds"; exit 1; }
dlw=$tmp/dlw-check

# The log: 512-byte sectors; sector N of the target gets letter data.
#  0 write s0=A   1 FUA s1=B   2 mark m1   3 flush   4 flush+data s2=C
#  5 mark m2      6 write s3=D 7 discard s2 8 flush  9 mark m3
python3 - "$tmp/t.log" <<'EOF'
import struct, sys
SS = 512
FLUSH, FUA, DISCARD, MARK = 1, 2, 4, 8
def entry(sector, n, flags, data=b"", mark=b""):
    return (struct.pack("<QQQQ", sector, n, flags, len(mark)) + mark).ljust(SS, b"\0") + data
log = [entry(0, 1, 0, b"A" * SS), entry(1, 1, FUA, b"B" * SS), entry(0, 0, MARK, mark=b"m1"),
       entry(0, 0, FLUSH), entry(2, 1, FLUSH, b"C" * SS), entry(0, 0, MARK, mark=b"m2"),
       entry(3, 1, 0, b"D" * SS), entry(2, 1, DISCARD), entry(0, 0, FLUSH), entry(0, 0, MARK, mark=b"m3")]
super_block = struct.pack("<QQQI", 0x6a736677736872, 1, len(log), SS).ljust(SS, b"\0")
open(sys.argv[1], "wb").write(super_block + b"".join(log))
EOF

# image LOG ARGS...: replay onto a fresh 4-sector target of '.' bytes;
# prints one character per sector (its first byte, '0' for a zero byte).
image() {
	local log=$1
	shift
	python3 -c 'import sys; open(sys.argv[1], "wb").write(b"." * 2048)' "$tmp/img"
	"$dlw" replay "$log" "$tmp/img" "$@" >/dev/null || return 1
	python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print("".join("0" if d[i] == 0 else chr(d[i]) for i in range(0, 2048, 512)))' "$tmp/img"
}

expect() { # expect WHAT WANT ARGS...
	local what=$1 want=$2 got
	shift 2
	got=$(image "$tmp/t.log" "$@")
	if [ "$got" = "$want" ]; then ok "$what: $got"; else not_ok "$what: expected $want, got $got"; fi
}
expect "plain replay to m1: the write before the flush is there" "AB.." --end-mark m1
expect "durable replay to m1: only the FUA write" ".B.." --end-mark m1 --durable
expect "durable replay to m1 ignoring FUA: nothing" "...." --end-mark m1 --durable --ignore-fua
expect "plain replay to m2: the flush's own data too" "ABC." --end-mark m2
expect "durable replay to m2: a PREFLUSH write without FUA is not durable yet" "AB.." --end-mark m2 --durable
expect "durable replay to m3: the discard zeroes, the write before the flush is there" "AB0D" --end-mark m3 --durable
expect "replay to entry 1" "AB.." --end-entry 1

list=$("$dlw" list "$tmp/t.log" | tail -n 1)
case "$list" in
"# 10 entries, sector size 512: 4 data writes, 3 flush, 1 fua, 1 discard, 0 metadata, 3 marks")
	ok "list counts the entries: $list" ;;
*) not_ok "list summary: $list" ;;
esac
marks=$("$dlw" marks "$tmp/t.log" | tr '\n' ' ')
if [ "$marks" = "2 m1 5 m2 9 m3 " ]; then ok "marks: $marks"; else not_ok "marks: $marks"; fi

# refuse WHAT WORD LOG ARGS...: exit 2, one line naming WORD, target kept.
refuse() {
	local what=$1 word=$2 log=$3 out rc sum
	shift 3
	printf 'untouched' >"$tmp/img"
	sum=$(md5sum <"$tmp/img")
	out=$("$dlw" replay "$log" "$tmp/img" "$@" 2>&1)
	rc=$?
	if [ $rc = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "$word" &&
		[ "$(md5sum <"$tmp/img")" = "$sum" ]; then
		ok "refuses $what: $out"
	else
		not_ok "$what: exit $rc: $out"
	fi
}
cp "$tmp/t.log" "$tmp/magic.log" && printf 'X' | dd of="$tmp/magic.log" bs=1 seek=0 conv=notrunc 2>/dev/null
cp "$tmp/t.log" "$tmp/version.log" && printf '\002' | dd of="$tmp/version.log" bs=1 seek=8 conv=notrunc 2>/dev/null
head -c 6000 "$tmp/t.log" >"$tmp/short.log"
cp "$tmp/t.log" "$tmp/flags.log" && printf '\200' | dd of="$tmp/flags.log" bs=1 seek=$((512 + 16)) conv=notrunc 2>/dev/null
refuse "a bad magic" "magic" "$tmp/magic.log" --end-mark m1
refuse "another version" "version 2" "$tmp/version.log" --end-mark m1
refuse "a truncated log" "truncated" "$tmp/short.log" --end-mark m1
refuse "unknown entry flags" "unknown flags" "$tmp/flags.log" --end-mark m1
refuse "a missing mark" "no mark named" "$tmp/t.log" --end-mark nope
refuse "an entry past the end" "past the last entry" "$tmp/t.log" --end-entry 10
refuse "--ignore-fua without --durable" "only changes --durable" "$tmp/t.log" --ignore-fua
refuse "a target too small" "writes up to byte" "$tmp/t.log" --end-mark m3
exit $failed
