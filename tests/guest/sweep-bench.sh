#!/bin/sh
# make bench, guest side (icount mode): the upstream QD sweep and the parts
# around it. Every measurement is also an "@@SDIO RESULT" line; the sweep
# JSON files come back as "@@F name: line" lines (tests/bench/collect.py).
# Points through the kernel's own path (no module, simple_read=0,
# max_bytes=0 for reads over a block, ineligible I/O) run REPS times and
# report "MEDIAN MIN MAX RUNS": they land on two levels up to ~1% apart
# from one run to the next. The raw limit device is written in full first.
# SDIO_ARGS: full|quick,RUNTIME[,reps=N]
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
set_=${1:-quick} runtime=${2:-1} ramp=0.2 reps=5
case "${3:-}" in reps=*) reps=${3#reps=} ;; esac
# fio reads over a page alternate between two costs (see below): an even
# number of runs puts the median between them.
preps=$((reps + reps % 2))
jobs=/sdio/fio-jobs
start=$(cut -d. -f1 /proc/uptime)
if [ "$set_" = full ]; then
	qds=1,64,128,256 engines=libaio,io_uring,io_uring_poll fss="ext4 xfs"
	total=$((3 * 3 * 4 + 16 + 8 + 7 + 4 + 20 + 6 + 1 + 8))
else
	qds=64,128 engines=io_uring,io_uring_poll fss=ext4
	total=$((2 * 2 * 2 + 6 + 4 + 3 + 2 + 8 + 6 + 1 + 8))
fi
# Steps: the sweep, hook and ineligible points, the diobench-runner sweep,
# alloc_cache, max_bytes with fio, t/io_uring and diobench, compare, the
# repeat point, runner efficiency.
n=0
progress() { n=$((n + ${2:-1})); echo "@@SDIO INFO [$n/$total] $1 (guest ${start}s+$(($(cut -d. -f1 /proc/uptime) - start))s)"; }
result() { echo "@@SDIO RESULT $*"; }
send_file() { sed "s|^|@@F $1: |" "$2"; }

# fio_job JOB FILENAME IODEPTH BS [extra fio args]: IOPS of one run.
# Reads of more than a page through fio's unregistered buffers alternate
# between two costs from one fio process to the next (64K: 20,050 /
# 20,600, 16K: 51,050 / 51,640; likely the user pages' physical order, and
# so the bvecs they merge into, flipping each time the buffers are freed
# and taken again: a huge-page buffer does not do it), so any one run is on
# one side; such points run an even number of times. 4K reads, and
# diobench, which touches its buffers up front, repeat within 0.05%.
fio_job() {
	job=$1 file=$2 qd=$3 bs=$4
	shift 4
	FILENAME=$file IODEPTH=$qd BS=$bs RUNTIME=$runtime RAMP=$ramp \
		fio --minimal $FIO_STEADY "$@" "$jobs/randread-$job.fio" 2>&1 |
		awk -F';' 'NF > 50 { r += $8; w += $49 } END { print int(r + w) }'
}

# rep N CMD...: "MEDIAN MIN MAX N" of N runs. Called in $(...), so a
# failure is reported on stderr (the console; the host counts it).
rep() {
	repeat_iops "$@" || { not_ok "bench: no IOPS from: $*" >&2; echo "0 0 0 0"; }
}

# fio_write FILENAME: IOPS of 4K random O_DIRECT writes, io_uring QD32.
fio_write() {
	fio --name=w --filename="$1" --rw=randwrite --bs=4k --direct=1 --ioengine=io_uring \
		--iodepth=32 --norandommap --randrepeat=1 --ramp_time=$ramp --runtime="$runtime" \
		--time_based $FIO_STEADY --minimal 2>&1 | awk -F';' 'NF > 50 { print int($49) }'
}

# Every null_blk with the same size and queue settings (mk_nullb).
raw=$(mk_nullb braw 1024) || die "null_blk"
prefill "$raw" || die "prefill raw"
ok "raw limit device written in full before measuring"
targets="--target raw=$raw"
for fs in $fss; do
	dev=$(mk_nullb "b$fs" 1024) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	dio-check prep "/mnt/$fs/f" 256M 1 || die "prep"
	targets="$targets --target $fs=/mnt/$fs/f"
	fio_job io_uring "/mnt/$fs/f" 32 4k >/dev/null	# warm-ups, discarded
	fio_job io_uring "/mnt/$fs/f" 32 64k >/dev/null
done
fio_job io_uring "$raw" 32 4k >/dev/null
settle || die "crypto self-tests still running"

# Hook cost and ineligible I/O without the module first.
for fs in $fss; do
	for p in "io_uring 64" "io_uring_poll 128"; do
		set -- $p
		result "hook $fs $1 $2 nomodule $(rep "$reps" fio_job "$1" "/mnt/$fs/f" "$2" 4k)"; progress "hook $fs $1 qd$2 no module"
	done
	result "ineligible $fs read64k 32 nomodule $(rep "$preps" fio_job io_uring "/mnt/$fs/f" 32 64k)"; progress "ineligible $fs 64K no module"
	if [ "$set_" = full ]; then
		result "ineligible $fs write4k 32 nomodule $(rep "$reps" fio_write "/mnt/$fs/f")"; progress "ineligible $fs 4K write no module"
	fi
done

sdio_load || die "load"
echo 0 >"$SDIO_SYS/simple_read"
for fs in $fss; do
	for p in "io_uring 64" "io_uring_poll 128"; do
		set -- $p
		result "hook $fs $1 $2 simple0 $(rep "$reps" fio_job "$1" "/mnt/$fs/f" "$2" 4k)"; progress "hook $fs $1 qd$2 simple_read=0"
	done
done
echo 1 >"$SDIO_SYS/simple_read"
for fs in $fss; do
	result "ineligible $fs read64k 32 simple1 $(rep "$preps" fio_job io_uring "/mnt/$fs/f" 32 64k)"; progress "ineligible $fs 64K module"
	if [ "$set_" = full ]; then
		result "ineligible $fs write4k 32 simple1 $(rep "$reps" fio_write "/mnt/$fs/f")"; progress "ineligible $fs 4K write module"
	fi
done

# 1. + 2. The sweep, raw included for the fs/raw limit.
npts=$(( $(echo $engines | tr ',' ' ' | wc -w) * $(echo $qds | tr ',' ' ' | wc -w) * (1 + $(echo $fss | wc -w)) ))
progress "sweep: $npts points x 2 states starting" 0
diobench sweep --use-fio --fio-jobs "$jobs" $targets --engines "$engines" --qds "$qds" \
	--rounds 1 --runtime "$runtime" --ramp "$ramp" --json /tmp/sweep.json \
	>/tmp/sweep.out 2>&1 || not_ok "diobench sweep failed: $(tail -n 3 /tmp/sweep.out)"
progress "sweep done" "$npts"
sed -n '/^fs /,$p' /tmp/sweep.out | sed 's/^/@@SDIO INFO /'
send_file sweep.json /tmp/sweep.json

atargets=
for fs in $fss; do atargets="$atargets --target $fs=/mnt/$fs/f"; done

# The same A/B with diobench as the runner: its userspace is leaner than
# fio's (like upstream's t/io_uring), so the kernel's saving is a larger
# share of each I/O.
diobench sweep $atargets --engines io_uring,io_uring_poll --qds 32,128 --rounds 1 \
	--runtime "$runtime" --ramp "$ramp" --json /tmp/dsweep.json >/tmp/dsweep.out 2>&1 ||
	not_ok "diobench-runner sweep failed: $(tail -n 2 /tmp/dsweep.out)"
sed -n '/^fs /,$p' /tmp/dsweep.out | sed 's/^/@@SDIO INFO diobench runner: /'
send_file diobench-sweep.json /tmp/dsweep.json
progress "diobench-runner sweep done" $(( 4 * $(echo $fss | wc -w) ))

# 3. alloc_cache 0 vs 1 with simple_read=1.
diobench sweep --use-fio --fio-jobs "$jobs" $atargets --knob "$SDIO_SYS/alloc_cache" \
	--engines io_uring,io_uring_poll --qds 64,128 --rounds 1 --runtime "$runtime" \
	--ramp "$ramp" --json /tmp/alloc.json >/tmp/alloc.out 2>&1 || not_ok "alloc_cache sweep failed"
progress "alloc_cache sweep done" $(( 4 * $(echo $fss | wc -w) - 1 ))
send_file alloc_cache.json /tmp/alloc.json

# max_bytes 0 vs 16 KiB for database-page reads, io_uring QD32. Results:
#   @@SDIO RESULT maxbytes RULER FS BS MAX_BYTES MEDIAN MIN MAX RUNS
# maxbytes_ab RULER FS MEASURE FILE: 8K and 16K reads at max_bytes 0 (the
# kernel's path: REPS runs) and 16384 (the simple path: one run; fio: two,
# see fio_job); MEASURE FILE BS prints the IOPS.
maxbytes_ab() {
	for bs in 8k 16k; do
		for mb in 0 16384; do
			echo "$mb" >"$SDIO_SYS/max_bytes"
			k=1
			[ "$mb" = 0 ] && k=$reps
			case "$1" in fio-*) k=$((k + k % 2)) ;; esac
			result "maxbytes $1 $2 $bs $mb $(rep "$k" "$3" "$4" "$bs")"
		done
		progress "max_bytes $1 $2 $bs"
	done
	echo 0 >"$SDIO_SYS/max_bytes"
}

# fio on the sweep's null_blk files (512-byte blocks).
fio_qd32() { fio_job io_uring "$1" 32 "$2"; }
for fs in $fss; do
	maxbytes_ab fio-nullb "$fs" fio_qd32 "/mnt/$fs/f"
done

# fio's t/io_uring (-p0, -b8192/-b16384) and diobench with its options on
# three devices. An emulated device's own work is CPU time a DMA device does
# not cost, and it grows with the read size while the simple path's saving
# does not. null_blk (4096-byte blocks, memory backed): blk-mq, a radix-tree
# lookup and a memcpy per block. brd: bio-based, a `rep movsq` per page. xfs
# realtime on a null_blk with memory_backed=0: file data lives on the
# realtime device, which does blk-mq work and copies nothing, as DMA would;
# reads return no data, fine for timing.
tio_bs() { # file bs: one steady second per run, as long as fio's and diobench's
	tio_iops "$1" 0 $(($(echo "$2" | tr -d k) * 1024)) "$runtime"
}
dio_bs() { # file bs
	diobench_iops "$1" --bs "$2" $T_IO_URING_OPTS --ramp "$ramp" --runtime "$runtime"
}
tio_ab() { # device fs file
	dio_bs "$3" 8k >/dev/null	# warm-up, discarded
	maxbytes_ab "t-io_uring-$1" "$2" tio_bs "$3"
	maxbytes_ab "diobench-$1" "$2" dio_bs "$3"
}
modprobe brd rd_nr=2 rd_size=524288 || die "brd"
i=0
for fs in $fss; do
	dev=$(mk_nullb "m$fs" 512 blocksize=4096) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/m$fs" && dio-check prep "/mnt/m$fs/f" 64M 1 || die "mkfs $fs"
	tio_ab nullb4k "$fs" "/mnt/m$fs/f"
	umount "/mnt/m$fs" && rm_nullb "m$fs"
	mk_fs "$fs" "/dev/ram$i" "/mnt/r$fs" && dio-check prep "/mnt/r$fs/f" 64M 1 || die "mkfs $fs on brd"
	tio_ab brd "$fs" "/mnt/r$fs/f"
	umount "/mnt/r$fs"
	i=$((i + 1))
done
rmmod brd
if echo "$fss" | grep -qw xfs; then
	meta=$(mk_nullb mrtmeta 512 blocksize=4096) || die "null_blk"
	rt=$(mk_nullb mrt 1024 blocksize=4096 memory_backed=0) || die "null_blk"
	mkfs.xfs -q -f -b size=4096 -r rtdev="$rt" -d rtinherit=1 "$meta" >/dev/null &&
		mkdir -p /mnt/rt && mount -t xfs -o rtdev="$rt" "$meta" /mnt/rt &&
		dio-check prep /mnt/rt/f 64M 1 || die "xfs realtime"
	before=$(awk '{ print $1 }' /sys/block/mrt/stat)
	tio_ab nullb-nocopy xfs /mnt/rt/f
	reads=$(( $(awk '{ print $1 }' /sys/block/mrt/stat) - before ))
	# Each run is over 100,000 reads; fewer means they missed the device.
	[ "$reads" -gt 1000000 ] || not_ok "xfs realtime reads reached the no-copy device: only $reads"
	umount /mnt/rt && rm_nullb mrt && rm_nullb mrtmeta
fi

# A compare as users run it, for the README (human-readable output).
diobench compare --rounds 3 -- run "/mnt/${fss%% *}/f" --runtime "$runtime" 2>&1 |
	sed 's/^/@@SDIO INFO compare: /'
progress "compare example" 6

# Determinism: repeat one sweep point; the host compares it to the sweep.
fs1=${fss%% *}
result "repeat $fs1 io_uring 64 simple1 $(fio_job io_uring "/mnt/$fs1/f" 64 4k)"; progress "repeat point"

# 5. Runner efficiency on the raw device (diobench vs fio, same job), and
# diobench vs fio's t/io_uring with t/io_uring's options, plain and polled.
for v in plain poll; do
	set -- $(runner_iops "$raw" $v "$ramp" "$runtime")
	result "runner raw $v 32 fio $1"
	result "runner raw $v 32 diobench $2"
	progress "runner $v" 2
done
for p in 0 1; do
	hp=
	[ $p = 1 ] && hp=--hipri
	result "runner raw t-io_uring-p$p 32 t-io_uring $(rep 1 tio_iops "$raw" $p 4096 "$runtime" | cut -d' ' -f1)"
	result "runner raw t-io_uring-p$p 32 diobench $(rep 1 diobench_iops "$raw" $T_IO_URING_OPTS $hp --ramp "$ramp" --runtime "$runtime" | cut -d' ' -f1)"
	progress "runner t/io_uring -p$p" 2
done
[ "$n" -gt 0 ] && ok "bench ran $n of $total steps"
sdio_unload || not_ok "unload"
dmesg_check bench
finish
