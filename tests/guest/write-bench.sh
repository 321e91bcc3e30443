#!/bin/sh
# make bench-write, guest side (icount mode; not a test): O_DIRECT overwrites
# of a preallocated, fully written file (issue 24), on ext4 and xfs on a
# null_blk with LBS-byte logical blocks, without and with a volatile write
# cache (null_blk cache_size: FUA and flushes then cost what they cost), in
# the states
#   nomodule  no module loaded
#   loaded    the module loaded, simple_write untouched (0)
#   write1    simple_write=1: writing the knob must work, or the bench fails
# Rulers (RUNNER-ENGINE[-dsync]-qdN-BS; "hole-" before it for the control):
#   diobench-io_uring-qd32-4k        the lean ruler: diobench run --rw
#                                    randwrite with t/io_uring's options
#   fio-io_uring-qd32-4k             fio-jobs/randwrite-io_uring.fio
#   fio-io_uring-dsync-qd1-4k        O_DSYNC QD1 (randwrite-io_uring-dsync.fio)
#   diobench-io_uring-dsync-qd1-4k   the same on diobench (--dsync: RWF_DSYNC)
#   hole-diobench-io_uring-qd32-4k   the ineligible control: sequential
#                                    writes into a fresh sparse file (every
#                                    write fills a hole), 16384 4K writes
#                                    per run (diobench, 4k only)
# "matrix" adds issue 24's fio matrix: 4k/8k/16k x io_uring QD1/32/64 and
# libaio QD64, with and without O_DSYNC. "max_bytes=N" writes N to
# max_bytes in state write1 only (the other states keep the default, one
# block: on 7.3 a non-zero max_bytes also hooks iomap_dio_rw() for reads,
# which is not what "simple_write 0" costs); "matrix" implies 16384, so
# that its 8k and 16k writes are eligible.
# Points through the kernel's own path (nomodule, loaded, and the control
# in every state) run REPS times, write1's eligible points REPS1 times:
#   @@SDIO RESULT write LBS CACHE FS RULER STATE MEDIAN MIN MAX N
# CACHE is "none" or "wcN" (N MiB of null_blk cache).
# SDIO_ARGS: RUNTIME,REPS,LBS[,states=A+B][,reps1=N][,wc=MIB][,caches=none+wc]
#            [,fs=ext4+xfs][,rulers=A+B][,matrix][,max_bytes=N]
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
runtime=${1:-1} reps=${2:-5} lbs=${3:-4096}
shift $(($# < 3 ? $# : 3))
states="nomodule loaded write1" reps1=2 wc=16 caches="none wc" fss="ext4 xfs"
max_bytes=
rulers="diobench-io_uring-qd32-4k fio-io_uring-qd32-4k fio-io_uring-dsync-qd1-4k diobench-io_uring-dsync-qd1-4k hole-diobench-io_uring-qd32-4k"
for opt in "$@"; do
	case "$opt" in
	states=*) states=$(echo "${opt#states=}" | tr '+' ' ') ;;
	reps1=*) reps1=${opt#reps1=} ;;
	wc=*) wc=${opt#wc=} ;;
	caches=*) caches=$(echo "${opt#caches=}" | tr '+' ' ') ;;
	fs=*) fss=$(echo "${opt#fs=}" | tr '+' ' ') ;;
	rulers=*) rulers=$(echo "${opt#rulers=}" | tr '+' ' ') ;;
	max_bytes=*)
		max_bytes=${opt#max_bytes=}
		case "$max_bytes" in '' | *[!0-9]*) die "write-bench: max_bytes takes a number of bytes, got '$max_bytes'" ;; esac ;;
	matrix)
		: "${max_bytes:=16384}" # an explicit max_bytes=N, before or after, wins
		for bs in 4k 8k 16k; do
			for ds in "" -dsync; do
				for eq in io_uring-qd1 io_uring-qd32 io_uring-qd64 libaio-qd64; do
					r=fio-${eq%-qd*}$ds-${eq##*-}-$bs
					case " $rulers " in *" $r "*) ;; *) rulers="$rulers $r" ;; esac
				done
			done
		done ;;
	*) die "write-bench: unknown option $opt" ;;
	esac
done
for s in $states; do
	case "$s" in nomodule | loaded | write1) ;; *) die "write-bench: unknown state $s" ;; esac
done
for c in $caches; do
	case "$c" in none | wc) ;; *) die "write-bench: unknown cache $c (none or wc)" ;; esac
done
jobs=/sdio/fio-jobs
# The control writes this many blocks per run into a fresh sparse file of
# exactly that size, sequentially: no write ever finds a written block.
hole_ios=16384
info "kernel $(uname -r), null_blk $lbs, caches: $caches (wc: cache_size ${wc} MiB), states: $states"
info "states: $states"
info "max_bytes in state write1: ${max_bytes:-the default (one block)}"
info "rulers: $rulers; runtime ${runtime}s; $reps runs per kernel-path point, $reps1 per simple_write=1 point"

# ruler_fields RULER: sets hole, runner, engine, dsync (0/1), qd, bs.
ruler_fields() {
	rf=$1 hole=0 dsync=0
	case "$rf" in hole-*) hole=1 rf=${rf#hole-} ;; esac
	runner=${rf%%-*} rf=${rf#*-}
	bs=${rf##*-} rf=${rf%-*}
	qd=${rf##*-qd} rf=${rf%-qd*}
	case "$rf" in *-dsync) dsync=1 rf=${rf%-dsync} ;; esac
	engine=$rf
	case "$runner:$engine:$qd:$bs" in
	diobench:io_uring:[0-9]*:*k | diobench:libaio:[0-9]*:*k | fio:io_uring:[0-9]*:*k | fio:libaio:[0-9]*:*k) ;;
	*) return 1 ;;
	esac
	[ $hole = 0 ] || [ "$runner:$bs" = diobench:4k ]
}
for r in $rulers; do ruler_fields "$r" || die "write-bench: bad ruler $r"; done

# one_run FILE RULER: one run's write IOPS.
one_run() {
	ruler_fields "$2"
	ds=
	[ $dsync = 1 ] && ds=-dsync
	if [ "$runner" = fio ]; then
		FILENAME=$1 IODEPTH=$qd BS=$bs RUNTIME=$runtime RAMP=0.2 \
			fio --minimal $FIO_STEADY "$jobs/randwrite-$engine$ds.fio" 2>&1 |
			awk -F';' 'NF > 50 { print int($49) }'
		return
	fi
	set -- "$1" --engine "$engine" --iodepth "$qd" --bs "$bs"
	[ $dsync = 1 ] && set -- "$@" --dsync
	b=$((qd < 32 ? qd : 32))
	[ "$engine" = io_uring ] && set -- "$@" --submit-batch $b --complete-batch $b \
		--fixedbufs --registerfiles --register-ring
	if [ $hole = 1 ]; then
		# A fresh sparse file; the old one's blocks freed and committed.
		rm -f "$1" && sync && truncate -s $((hole_ios * 4096)) "$1" || return 1
		diobench_iops "$@" --rw write --number-ios $hole_ios
	else
		diobench_iops "$@" --rw randwrite --ramp 0.2 --runtime "$runtime"
	fi
}

# stats_delta NAME BEFORE: how much a counter moved (0 when it does not exist).
stats_delta() {
	sd=$(counter "$1")
	echo $((${sd:-0} - ${2:-0}))
}

# measure STATE: every target and ruler in this state.
measure() {
	for t in $targets; do
		for r in $rulers; do
			n=$reps
			case "$1:$r" in write1:hole-*) ;; write1:*) n=$reps1 ;; esac
			file=${t#*=}
			case "$r" in hole-*) file=${file%/*}/hole ;; esac
			[ "$1" = nomodule ] || hits0=$(counter write_hits)
			v=$(repeat_iops "$n" one_run "$file" "$r") || { not_ok "write-bench: no IOPS for ${t%%=*} $r $1"; continue; }
			tn=${t%%=*}
			echo "@@SDIO RESULT write $lbs ${tn%%:*} ${tn#*:} $r $1 $v"
			[ "$1" = nomodule ] && continue
			hits=$(stats_delta write_hits "$hits0")
			case "$1:$r" in
			loaded:*) [ "$hits" = 0 ] || not_ok "loaded (simple_write 0): $t $r: $hits write hits" ;;
			write1:hole-*) [ "$hits" = 0 ] || not_ok "simple_write=1: $t $r (holes): $hits write hits" ;;
			write1:*) [ "$hits" -gt 0 ] && ok "simple_write=1: $t $r: $hits write hits" ||
				not_ok "simple_write=1: $t $r: no write hits" ;;
			esac
		done
	done
}

settle || die "crypto self-tests"
targets=
for c in $caches; do
	for fs in $fss; do
		set --
		cname=none
		[ "$c" = wc ] && set -- cache_size="$wc" && cname=wc$wc
		dev=$(mk_nullb "w$fs$c" 320 blocksize="$lbs" "$@") || die "null_blk $fs $c"
		# Every sector backed before mkfs: a memory-backed null_blk
		# allocates a page on a sector's first write, which made the
		# control's first runs (fresh blocks) up to 35% slower than
		# later ones (blocks freed and reused).
		prefill "$dev" || die "prefill $fs $c"
		mk_fs "$fs" "$dev" "/mnt/w$fs$c" || die "mkfs $fs $c"
		diobench prep "/mnt/w$fs$c/w" --size 64M --preallocate >/dev/null || die "prep $fs $c"
		extents=$(filefrag "/mnt/w$fs$c/w" 2>/dev/null | awk '{ print $2 }')
		info "$fs cache $cname: /mnt/w$fs$c/w written in full, $extents extent(s); $(cat "/sys/block/w$fs$c/queue/write_cache") write cache, fua $(cat "/sys/block/w$fs$c/queue/fua" 2>/dev/null)"
		targets="$targets $cname:$fs=/mnt/w$fs$c/w"
	done
done
# A discarded run per target first (cold caches after prep), and of the
# control (the file system's first allocations).
for t in $targets; do
	f=${t#*=}
	one_run "$f" fio-io_uring-qd32-4k >/dev/null
	case " $rulers " in *" hole-"*) one_run "${f%/*}/hole" hole-diobench-io_uring-qd32-4k >/dev/null ;; esac
done
loaded=0
for s in $states; do
	case "$s" in
	nomodule)
		[ $loaded = 0 ] || die "write-bench: state nomodule must come first" ;;
	loaded)
		[ $loaded = 1 ] || { sdio_load || die "module loads"; loaded=1; }
		[ ! -e "$SDIO_SYS/simple_write" ] || echo 0 >"$SDIO_SYS/simple_write" ||
			die "state loaded: cannot write 0 to simple_write"
		[ -z "$max_bytes" ] || echo 0 >"$SDIO_SYS/max_bytes" ||
			die "state loaded: cannot write 0 to max_bytes" ;;
	write1)
		[ $loaded = 1 ] || { sdio_load || die "module loads"; loaded=1; }
		echo 1 >"$SDIO_SYS/simple_write" || die "state write1: cannot write 1 to $SDIO_SYS/simple_write"
		expect_eq "simple_write reads back 1" 1 "$(cat "$SDIO_SYS/simple_write")"
		if [ -n "$max_bytes" ]; then
			echo "$max_bytes" >"$SDIO_SYS/max_bytes" || die "state write1: cannot write $max_bytes to max_bytes"
			expect_eq "max_bytes reads back $max_bytes" "$max_bytes" "$(cat "$SDIO_SYS/max_bytes")"
		fi ;;
	esac
	[ $loaded = 1 ] && echo reset >"$SDIO_SYS/stats"
	measure "$s"
	[ $loaded = 1 ] && grep -v ' 0$' "$SDIO_SYS/stats" | sed "s/^/@@SDIO INFO stats after $s: /"
done
[ $loaded = 1 ] && check "module unloads" sdio_unload
for t in $targets; do
	m=${t#*=}
	umount "${m%/*}" || not_ok "umount ${m%/*}"
done
dmesg_check write-bench
finish
