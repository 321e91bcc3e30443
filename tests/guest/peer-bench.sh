#!/bin/sh
# The peer table, guest side (icount mode): one kernel's stock path, and the
# module with simple_read 0 and 1, on ext4 and xfs, against the kernel's
# own prefilled raw device; fio io_uring QD64, fio io_uring_poll QD128 and
# fio's t/io_uring -p0 and -p1 (QD32, batches of 32), 4K random reads, on
# null_blk with 512- and 4096-byte blocks. The host runs it on 7.2 and 7.3
# and puts the two side by side (tests/bench/peer-bench.sh).
# Points through the kernel's own path (stock and simple_read=0; on 7.3,
# where simple_read=1 with max_bytes 0 is the kernel's own simple path, all
# three) run REPS times: "MEDIAN MIN MAX N".
# Prints "@@SDIO RESULT peer LBS TARGET RULER STATE MEDIAN MIN MAX N", and
# as info the mitigations the kernel chose for the guest CPU (QEMU's "max"
# model; tests/vm/run.sh boots with mitigations=off unless MITIGATIONS=auto).
# SDIO_ARGS: RUNTIME,REPS,LBS... (default 1,5,512,4096)
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
runtime=${1:-1} reps=${2:-5}
shift $(($# < 2 ? $# : 2))
lbss=${*:-512 4096}
jobs=/sdio/fio-jobs
rulers="fio-io_uring-qd64 fio-io_uring_poll-qd128 t-io_uring-p0 t-io_uring-p1"
info "kernel $(uname -r), rulers: $rulers, runtime ${runtime}s, $reps runs per kernel-path point"
case " $(cat /proc/cmdline) " in
*" mitigations=off "*) info "mitigations: off" ;;
*) info "mitigations: auto" ;;
esac
for v in /sys/devices/system/cpu/vulnerabilities/*; do
	info "vulnerability ${v##*/}: $(cat "$v")"
done

# point TARGET RULER: one run's IOPS.
point() {
	case $2 in
	fio-io_uring-qd64) fio_point "$1" io_uring 64 ;;
	fio-io_uring_poll-qd128) fio_point "$1" io_uring_poll 128 ;;
	t-io_uring-p0) tio_iops "$1" 0 4096 "$runtime" ;;
	t-io_uring-p1) tio_iops "$1" 1 4096 "$runtime" ;;
	esac
}
fio_point() {
	FILENAME=$1 IODEPTH=$3 BS=4k RUNTIME=$runtime RAMP=0.2 \
		fio --minimal $FIO_STEADY "$jobs/randread-$2.fio" 2>&1 |
		awk -F';' 'NF > 50 { print int($8) }'
}
# measure LBS TARGET_NAME PATH STATE RUNS
measure() {
	for r in $rulers; do
		v=$(repeat_iops "$5" point "$3" "$r") || { not_ok "peer: no IOPS for $2 $r $4"; continue; }
		echo "@@SDIO RESULT peer $1 $2 $r $4 $v"
	done
}

settle || die "crypto self-tests"
for lbs in $lbss; do
	raw=$(mk_nullb "praw$lbs" 512 blocksize="$lbs") || die "null_blk"
	prefill "$raw" || die "prefill raw"
	measure "$lbs" raw "$raw" stock "$reps"
	for fs in ext4 xfs; do
		dev=$(mk_nullb "p$fs$lbs" 512 blocksize="$lbs") || die "null_blk"
		mk_fs "$fs" "$dev" "/mnt/p$fs" || die "mkfs $fs"
		dio-check prep "/mnt/p$fs/f" 256M 1 || die "prep"
	done
	for fs in ext4 xfs; do measure "$lbs" "$fs" "/mnt/p$fs/f" stock "$reps"; done
	check "module loads ($lbs)" sdio_load
	# 7.3: simple_read=1 (max_bytes 0) is upstream's path, nothing of ours.
	in_tree=$(counter kernel_simple_path)
	[ "$in_tree" = 1 ] && reps1=$reps || reps1=1
	info "kernel simple path in tree: ${in_tree:-0}"
	echo 0 >"$SDIO_SYS/simple_read"
	echo reset >"$SDIO_SYS/stats"
	entered0=$(counter entered)
	for fs in ext4 xfs; do measure "$lbs" "$fs" "/mnt/p$fs/f" simple0 "$reps"; done
	if [ "$in_tree" = 1 ]; then
		positive "simple_read=0: reads bypassed the kernel's simple path" kernel_simple_bypassed
	else
		expect_eq "simple_read=0: nothing of ours entered" "$entered0" "$(counter entered)"
	fi
	echo 1 >"$SDIO_SYS/simple_read"
	echo reset >"$SDIO_SYS/stats"
	entered0=$(counter entered)
	for fs in ext4 xfs; do measure "$lbs" "$fs" "/mnt/p$fs/f" simple1 "$reps1"; done
	hits=$(counter hits) calls=$(counter calls)
	if [ "$in_tree" = 1 ]; then
		expect_eq "simple_read=1: the kernel's own path, nothing of ours entered" \
			"$entered0" "$(counter entered)"
	else
		[ "$hits" -gt 0 ] && [ "$hits" = "$calls" ] && ok "simple_read=1: every read a hit ($hits)" ||
			not_ok "simple_read=1: hits $hits of $calls calls"
	fi
	grep -v ' 0$' "$SDIO_SYS/stats" | sed 's/^/@@SDIO INFO   /'
	check "module unloads ($lbs)" sdio_unload
	for fs in ext4 xfs; do umount "/mnt/p$fs"; rm_nullb "p$fs$lbs"; done
	rm_nullb "praw$lbs"
done
dmesg_check peer-bench
finish
