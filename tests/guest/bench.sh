#!/bin/sh
# Guest benchmark (not a test): fio 4K random reads, IOPS per configuration.
# Meant for icount mode, where IOPS are a deterministic instruction-cost
# figure. SDIO_ARGS: "demo" (ext4/xfs, simple_read 0/1, io_uring QD32) or
# "simple" (raw/ext4/xfs x io_uring and polled QD32 x no module,
# simple_read 0, simple_read 1 with alloc_cache 0/1; fio and diobench in
# upstream's t/io_uring setup). Prints lines
#   @@SDIO RESULT target engine config iops
# Options after SET,RUNTIME: "fixed" (fio with registered buffers and
# files) and "lbs=N" (null_blk logical block size, default 512).
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
set_=${1:-demo} runtime=${2:-1} extra= lbs=512
shift $(($# < 2 ? $# : 2))
for opt in "$@"; do
	case "$opt" in
	fixed) extra="--fixedbufs=1 --registerfiles=1" ;;
	lbs=*) lbs=${opt#lbs=} ;;
	*) die "bench: unknown option $opt" ;;
	esac
done
fio_iops() { # target engine
	hipri=0
	[ "$2" = io_uring_poll ] && hipri=1
	out=$(fio --name=b --filename="$1" --rw=randread --bs=4k --direct=1 \
		--ioengine=io_uring --hipri=$hipri --iodepth=32 --iodepth_batch_submit=8 \
		--iodepth_batch_complete_min=1 $extra --size=64M --norandommap --randrepeat=1 \
		--ramp_time=0.2 --runtime="$runtime" --time_based $FIO_STEADY --minimal 2>&1)
	echo "$out" | awk -F';' 'NF > 8 { print int($8) }'
}
# dio_iops target engine: diobench as upstream ran t/io_uring (-B1 -F1
# -X1: registered buffers, files and ring), QD32, batches of 8.
dio_iops() {
	poll=
	[ "$2" = t-io_uring-poll ] && poll=--hipri
	diobench_iops "$1" $T_IO_URING_OPTS $poll --ramp 0.2 --runtime "$runtime"
}
iops() { # target engine
	case "$2" in
	t-*) dio_iops "$@" ;;
	*) fio_iops "$@" ;;
	esac
}
result() { echo "@@SDIO RESULT $*"; }
info "null_blk logical block size $lbs"

dev=$(mk_nullb bench 1024 hw_queue_depth=256 blocksize="$lbs") || die "null_blk"

# Runner efficiency: diobench run vs fio's io_uring engine, same device,
# depth 32, submit batch 8, block size 4K. Then done.
if [ "$set_" = runner ]; then
	for v in plain poll poll-fixed; do
		set -- $(runner_iops "$dev" $v 0.2 "$runtime")
		result "raw runner-$v fio $1"
		result "raw runner-$v diobench $2"
	done
	dmesg_check bench
	finish
fi
targets=
for fs in ext4 xfs; do
	part=$(mk_nullb "b$fs" 512 blocksize="$lbs") || die "null_blk"
	mk_fs "$fs" "$part" "/mnt/$fs" || die "mkfs $fs"
	dio-check prep "/mnt/$fs/f" 64M 1 || die "prep"
	targets="$targets $fs=/mnt/$fs/f"
done
engines="io_uring"
if [ "$set_" = simple ]; then
	targets="raw=$dev $targets"
	engines="io_uring io_uring_poll t-io_uring t-io_uring-poll"
fi

run_all() { # config
	for t in $targets; do
		for e in $engines; do
			result "${t%%=*} $e $1 $(iops "${t#*=}" "$e")"
		done
	done
}
# One discarded run per target first: the first run after prep measured
# ~3% low on ext4 (cold caches), which skewed whichever config ran first.
for t in $targets; do fio_iops "${t#*=}" io_uring >/dev/null; done
if [ "$set_" = simple ]; then run_all nomodule; fi
sdio_load || die "load"
echo 0 >"$SDIO_SYS/simple_read"; run_all simple0
echo 1 >"$SDIO_SYS/simple_read"
if [ "$set_" = simple ]; then
	echo 0 >"$SDIO_SYS/alloc_cache"; run_all simple1_nocache
	echo 1 >"$SDIO_SYS/alloc_cache"
fi
run_all simple1
grep -E '^(hits|hits_polled|alloc_percpu_cache|alloc_mempool|fallback_disabled) ' "$SDIO_SYS/stats" |
	sed 's/^/@@SDIO INFO stats: /'
sdio_unload || not_ok "unload"
dmesg_check bench
finish
