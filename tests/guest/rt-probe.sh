#!/bin/sh
# Not a test: where the simple path's async bios complete (the task and
# context flags of each sdio_complete event: null_blk completing inline,
# from its timer, and polled) and what a simple_read flip costs, idle and
# beside readers, to compare a PREEMPT_RT kernel with its non-RT build:
#   KVER=6.12.118+deb13-rt-amd64 tests/vm/run.sh rt-probe
# (docs/design.md#preempt_rt has what it printed).
. /sdio/tests/lib.sh
T=/sys/kernel/tracing
check "module loads" sdio_load
[ -e $T/trace ] || mount -t tracefs nodev $T
info "kernel: $(uname -v)"
dev=$(mk_nullb pr1 256) || die "null_blk"
{ mk_fs ext4 "$dev" /mnt/p1 && dio-check prep /mnt/p1/f 16M 41; } || die "prep"
dev=$(mk_nullb pr2 256 irqmode=2 completion_nsec=50000) || die "null_blk"
{ mk_fs ext4 "$dev" /mnt/p2 && dio-check prep /mnt/p2/f 16M 41; } || die "prep"
# contexts LABEL FILE ENGINE: task and flags of each sdio_complete, counted.
contexts() {
	echo >$T/trace
	echo 1 >$T/events/simple_dio/sdio_complete/enable
	dio-check diff "$2" --ops 400 --states -- --pattern-seed 41 --engine "$3" >/dev/null || not_ok "$1 reads"
	echo 0 >$T/events/simple_dio/sdio_complete/enable
	grep -m 2 'sdio_complete:' $T/trace | sed "s/^/@@SDIO INFO $1: /"
	grep 'sdio_complete:' $T/trace | awk -v l="$1" '{ c = $1; sub(/-[0-9]+$/, "", c); sub(/[0-9]+$/, "N", c); n[c " " $3]++ }
		END { for (k in n) print "@@SDIO INFO " l " count: " n[k] " " k }'
}
contexts "inline irqmode=1 io_uring" /mnt/p1/f io_uring
contexts "timer irqmode=2 io_uring" /mnt/p2/f io_uring
contexts "timer irqmode=2 libaio" /mnt/p2/f libaio
contexts "polled io_uring-poll" /mnt/p1/f io_uring-poll
now() { cut -d' ' -f1 /proc/uptime; }
# flips N: N writes of simple_read (each installs or removes the hook).
flips() {
	t0=$(now) n=0
	while [ $n -lt "$1" ]; do echo $((n % 2)) >"$SDIO_SYS/simple_read"; n=$((n + 1)); done
	echo 1 >"$SDIO_SYS/simple_read"
	awk -v a="$t0" -v b="$(now)" -v n="$1" 'BEGIN { printf "%.3f s per flip", (b - a) / n }'
}
info "20 flips idle: $(flips 20)"
dio-check diff /mnt/p2/f --ops 200000 --states -- --pattern-seed 41 --engine io_uring >/dev/null &
r1=$!
dio-check diff /mnt/p1/f --ops 200000 --states -- --pattern-seed 41 --engine pread >/dev/null &
r2=$!
sleep 2
info "20 flips beside an io_uring and a pread reader: $(flips 20)"
kill $r1 $r2 2>/dev/null
wait
expect_eq "nothing in flight" 0 "$(counter in_flight)"
check "module unloads" sdio_unload
finish
