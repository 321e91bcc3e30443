#!/bin/sh
# The kernel path's IOPS levels (a probe for docs/benchmarks.md, not a
# test): icount mode, one boot, ROUNDS rounds of RUNS t/io_uring runs
# (-p0 and -p1, t/io_uring's options) with no module, then RUNS with the
# module loaded at simple_read=0, unloaded again before the next round.
# Prints every run and, per state and ruler, each IOPS figure seen with how
# often: a state that only lands on another level reads as a cost in a
# median of five, a cost per read shows as the same shift at every level.
#   tests/vm/run.sh --mode icount --args FS,LBS,ROUNDS,RUNS hook-levels
#   defaults ext4,4096,3,5
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
fs=${1:-ext4} lbs=${2:-4096} rounds=${3:-3} runs=${4:-5}
case "$fs" in ext4|xfs) ;; *) die "FS must be ext4 or xfs, not '$fs'" ;; esac
for n in "$lbs" "$rounds" "$runs"; do
	case "$n" in '' | *[!0-9]*) die "LBS, ROUNDS and RUNS must be numbers, not '$n'" ;; esac
done
dev=$(mk_nullb levels 1024 blocksize="$lbs") || die "null_blk"
settle || die "crypto self-tests still running"
mk_fs "$fs" "$dev" /mnt/l || die "mkfs $fs"
dio-check prep /mnt/l/f 64M 1 || die "prep"
fio_iops /mnt/l/f io_uring >/dev/null	# the first run after prep reads low
seen=/tmp/levels
: >"$seen"
# run_state STATE ROUND: RUNS runs of each ruler; every figure goes to $seen.
run_state() {
	i=0
	while [ $i -lt "$runs" ]; do
		p0=$(tio_iops /mnt/l/f 0 4096 1) || not_ok "t/io_uring -p0 ($1)"
		p1=$(tio_iops /mnt/l/f 1 4096 1) || not_ok "t/io_uring -p1 ($1)"
		info "$1 round $2: -p0 $p0 -p1 $p1"
		echo "$1 -p0 $p0" >>"$seen"
		echo "$1 -p1 $p1" >>"$seen"
		i=$((i + 1))
	done
}
r=1
while [ $r -le "$rounds" ]; do
	run_state nomodule $r
	sdio_load || die "load"
	echo 0 >"$SDIO_SYS/simple_read"
	run_state simple0 $r
	sdio_unload || die "unload"
	r=$((r + 1))
done
sort "$seen" | uniq -c | awk '{ printf "@@SDIO INFO levels: %s %s %s IOPS x%d\n", $2, $3, $4, $1 }'
ok "$fs, $lbs-byte null_blk: $rounds rounds of $runs runs per state"
dmesg_check hook-levels
finish
