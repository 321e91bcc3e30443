#!/bin/sh
# Instruction profile windows (not a test): run by tests/perf/profile.sh in
# icount mode with the insn-profile QEMU plugin. sdio-mark separates the
# windows; each window runs the same fixed number of reads with diobench:
#   window 1: no module, window 3: simple_read=0, window 5: simple_read=1,
#   window 7: 32 reads only, the runner's fixed start-up and exit cost
# SDIO_ARGS: FS (ext4|xfs|raw) ENGINE (io_uring|io_uring-poll, or
# fio-io_uring|fio-io_uring-poll for fio's engine as make bench runs it) IOS BS
# [lbs=N] [maxb=N] [batch=N] [brd] [diobench flags...]: null_blk logical block size
# (default 512), max_bytes while the module is loaded (default 0), diobench's
# submit and complete batch (default 8; 32 is t/io_uring's -s32 -c32), a brd
# ramdisk instead of null_blk (bio-based: no blk-mq, no polling);
# e.g. --fixedbufs --registerfiles --register-ring as t/io_uring -B1 -F1 -X1
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
fs=${1:-ext4} engine=${2:-io_uring} ios=${3:-50000} bs=${4:-4k}
shift $(($# < 4 ? $# : 4))
lbs=512 maxb=0 batch=8 flags= disk=null_blk
for w in "$@"; do
	case "$w" in
	lbs=*) lbs=${w#lbs=} ;;
	batch=*) batch=${w#batch=} ;;
	maxb=*) maxb=${w#maxb=} ;;
	brd) disk=brd ;;
	*) flags="$flags $w" ;;
	esac
done
if [ "$disk" = brd ]; then
	modprobe brd rd_nr=1 rd_size=1048576 || die "brd"
	dev=/dev/ram0
else
	dev=$(mk_nullb prof 1024 hw_queue_depth=256 blocksize="$lbs") || die "null_blk"
fi
target=$dev
# A raw device is written in full first: unwritten null_blk sectors are
# answered with a memset instead of the copy written blocks cost.
[ "$fs" = raw ] && { prefill "$dev" || die "prefill"; }
if [ "$fs" != raw ]; then
	mk_fs "$fs" "$dev" /mnt/p || die "mkfs $fs"
	dio-check prep /mnt/p/f 64M 1 || die "prep"
	target=/mnt/p/f
fi
reads() { # IOS
	case "$engine" in fio-*) fio_reads "$1"; return ;; esac
	diobench run "$target" --engine "$engine" --bs "$bs" --iodepth 32 \
		--submit-batch "$batch" --complete-batch "$batch" --number-ios "$1" --seed 7 \
		$flags --json >/tmp/run.json 2>&1 || not_ok "diobench: $(head -c 200 /tmp/run.json)"
}
# fio as tests/guest/bench.sh runs it, for a fixed number of reads.
fio_reads() { # IOS
	hipri=0
	[ "$engine" = fio-io_uring-poll ] && hipri=1
	fio --name=p --filename="$target" --rw=randread --bs="$bs" --direct=1 \
		--ioengine=io_uring --hipri=$hipri --iodepth=32 --iodepth_batch_submit=8 \
		--iodepth_batch_complete_min=1 --size=64M --io_size=1T --number_ios="$1" \
		--norandommap --randrepeat=1 $flags $FIO_STEADY --minimal >/tmp/run.txt 2>&1 ||
		not_ok "fio: $(head -c 200 /tmp/run.txt)"
}
settle || die "crypto self-tests still running"
reads 20000			# warm caches, the extent tree, the page tables
sdio-mark
reads "$ios"
sdio-mark
sdio_load || die "load"
echo "$maxb" >"$SDIO_SYS/max_bytes" || die "max_bytes $maxb"
echo 0 >"$SDIO_SYS/simple_read"
reads 20000
sdio-mark
reads "$ios"
sdio-mark
echo 1 >"$SDIO_SYS/simple_read"
reads 20000
sdio-mark
reads "$ios"
sdio-mark
# The runner's own start and exit (exec, ring and buffer setup, page
# faults, teardown) is in every window above, the same in each. A run of a
# few reads, in a window of its own, lets the host subtract it.
sdio-mark
reads 32
sdio-mark
grep -E '^(hits|alloc_percpu_cache|fallback_disabled) ' "$SDIO_SYS/stats" |
	sed 's/^/@@SDIO INFO stats: /'
# Symbols for the host: text symbols, compressed, between two markers.
echo "@@SDIO KALLSYMS-BEGIN"
grep -E ' [tT] ' /proc/kallsyms | gzip -c | base64
echo "@@SDIO KALLSYMS-END"
sdio_unload || not_ok "unload"
dmesg_check profile
finish
