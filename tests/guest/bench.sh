#!/bin/sh
# Guest benchmark (not a test): 4K random reads, IOPS per configuration.
# Meant for icount mode, where IOPS are a deterministic instruction-cost
# figure. SDIO_ARGS: SET,RUNTIME[,options]. SET "demo" (ext4/xfs,
# simple_read 0/1, fio io_uring QD32 and t/io_uring -p0), "simple" (make
# bench-simple: raw, ext4 and xfs x no module, simple_read 0, simple_read 1
# with alloc_cache 0 and 1, on every ruler below) or "runner" (diobench vs
# fio, raw).
# Rulers (simple set), all QD32 unless named:
#   io_uring, io_uring_poll  fio's io_uring engine, batches of 8
#   io_uring-qd64            fio io_uring QD64 (the fs/raw target's ruler)
#   t-io_uring-p0, -p1       fio's t/io_uring -d32 -s32 -c32 -b4096 -F1 -B1
#                            -R1 -X1 -n1 -P0, -p0 / -p1
#   diobench-p0, -p1         diobench run with exactly those options
# Prints lines
#   @@SDIO RESULT target ruler config MEDIAN MIN MAX RUNS
# Points through the kernel's own path (no module, simple_read=0) and the
# raw limit run REPS times (default 5), the simple path's points twice (they
# repeat within 0.01%), alloc_cache=0 once. The raw device is written in full before it is
# measured (an unwritten memory-backed null_blk reads ~10% faster).
# Options after SET,RUNTIME: "fixed" (fio with registered buffers and
# files), "lbs=N" (null_blk logical block size, default 512), "reps=N",
# "rulers=A+B+..." (a subset of the simple set's rulers), "steady=N"
# (t/io_uring's steady seconds, default RUNTIME + 1), "lean" (no
# alloc_cache=0 config, raw only without the module, one simple_read=1 run).
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
set_=${1:-demo} runtime=${2:-1} extra= lbs=512 reps=5 only= steady= lean=0
shift $(($# < 2 ? $# : 2))
for opt in "$@"; do
	case "$opt" in
	fixed) extra="--fixedbufs=1 --registerfiles=1" ;;
	lbs=*) lbs=${opt#lbs=} ;;
	reps=*) reps=${opt#reps=} ;;
	rulers=*) only=$(echo "${opt#rulers=}" | tr '+' ' ') ;;
	steady=*) steady=${opt#steady=} ;;
	lean) lean=1 ;;
	*) die "bench: unknown option $opt" ;;
	esac
done
fio_iops() { # target ruler
	hipri=0 qd=32
	[ "$2" = io_uring_poll ] && hipri=1
	[ "$2" = io_uring-qd64 ] && qd=64
	out=$(fio --name=b --filename="$1" --rw=randread --bs=4k --direct=1 \
		--ioengine=io_uring --hipri=$hipri --iodepth=$qd --iodepth_batch_submit=8 \
		--iodepth_batch_complete_min=1 $extra --norandommap --randrepeat=1 \
		--ramp_time=0.2 --runtime="$runtime" --time_based $FIO_STEADY --minimal 2>&1)
	echo "$out" | awk -F';' 'NF > 8 { print int($8) }'
}
iops() { # target ruler
	case "$2" in
	t-io_uring-p*) tio_iops "$1" "${2#t-io_uring-p}" 4096 "${steady:-$((runtime + 1))}" ;;
	diobench-p0) diobench_iops "$1" $T_IO_URING_OPTS --ramp 0.2 --runtime "$runtime" ;;
	diobench-p1) diobench_iops "$1" $T_IO_URING_OPTS --hipri --ramp 0.2 --runtime "$runtime" ;;
	*) fio_iops "$@" ;;
	esac
}
result() { echo "@@SDIO RESULT $*"; }
info "null_blk logical block size $lbs; queue: $NULLB_QUEUE"

# Every device the same size and queue settings (mk_nullb).
dev=$(mk_nullb bench 1024 blocksize="$lbs") || die "null_blk"
settle || die "crypto self-tests still running"

# Runner efficiency: diobench run vs fio's io_uring engine, same device,
# depth 32, submit batch 8, block size 4K. Then done.
if [ "$set_" = runner ]; then
	prefill "$dev" || die "prefill raw"
	for v in plain poll poll-fixed; do
		set -- $(runner_iops "$dev" $v 0.2 "$runtime")
		result "raw runner-$v fio $1 $1 $1 1"
		result "raw runner-$v diobench $2 $2 $2 1"
	done
	dmesg_check bench
	finish
fi
targets=
for fs in ext4 xfs; do
	part=$(mk_nullb "b$fs" 1024 blocksize="$lbs") || die "null_blk"
	mk_fs "$fs" "$part" "/mnt/$fs" || die "mkfs $fs"
	dio-check prep "/mnt/$fs/f" 64M 1 || die "prep"
	targets="$targets $fs=/mnt/$fs/f"
done
rulers="io_uring t-io_uring-p0"
if [ "$set_" = simple ]; then
	prefill "$dev" || die "prefill raw"
	ok "raw limit device written in full before measuring"
	rulers="io_uring io_uring_poll io_uring-qd64 t-io_uring-p0 t-io_uring-p1 diobench-p0 diobench-p1"
	[ -n "$only" ] && rulers=$only
	info "rulers: $rulers; $reps runs of kernel-path points; lean=$lean"
fi

# point TARGET RULER CONFIG RUNS: one result line; a runner that reports
# nothing fails the bench.
point() {
	if r=$(repeat_iops "$4" iops "${1#*=}" "$2"); then
		result "${1%%=*} $2 $3 $r"
	else
		not_ok "bench: ${1%%=*} $2 $3 reported no IOPS"
	fi
}
# run_all CONFIG RUNS [raw]: every ruler on the file systems (and raw).
# fio QD64 is only the fs/raw target's ruler: no module and simple_read=1.
run_all() {
	tl=$targets
	[ "${3:-}" = raw ] && tl="raw=$dev $tl"
	for t in $tl; do
		for e in $rulers; do
			case "$e:$1" in io_uring-qd64:simple0|io_uring-qd64:simple1_nocache) continue ;; esac
			point "$t" "$e" "$1" "$2"
		done
	done
}
# One discarded run per target first: the first run after prep measured
# ~3% low on ext4 (cold caches), which skewed whichever config ran first.
for t in $targets; do fio_iops "${t#*=}" io_uring >/dev/null; done
if [ "$set_" = simple ]; then
	fio_iops "$dev" io_uring >/dev/null
	tio_iops "$dev" 0 4096 1 >/dev/null || not_ok "t/io_uring runs on the raw device"
	run_all nomodule "$reps" raw
fi
sdio_load || die "load"
echo 0 >"$SDIO_SYS/simple_read"
run_all simple0 "$reps"
echo 1 >"$SDIO_SYS/simple_read"
if [ "$set_" = simple ]; then
	if [ $lean = 1 ]; then
		run_all simple1 1
	else
		echo 0 >"$SDIO_SYS/alloc_cache"; run_all simple1_nocache 1
		echo 1 >"$SDIO_SYS/alloc_cache"
		run_all simple1 2 raw
	fi
else
	run_all simple1 1
fi
grep -E '^(hits|hits_polled|alloc_percpu_cache|alloc_mempool|fallback_disabled) ' "$SDIO_SYS/stats" |
	sed 's/^/@@SDIO INFO stats: /'
sdio_unload || not_ok "unload"
dmesg_check bench
finish
