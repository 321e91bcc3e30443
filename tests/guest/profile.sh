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
# e.g. --fixedbufs --registerfiles --register-ring as t/io_uring -B1 -F1 -X1.
# "write": random O_DIRECT overwrites of the preallocated, written file, and
# the windows switch simple_write instead of simple_read; "hole": sequential
# writes that each fill a hole of a fresh sparse file (made before the
# window opens), the write path's ineligible case; "dsync": with RWF_DSYNC.
. /sdio/tests/lib.sh
set -- $SDIO_ARGS
fs=${1:-ext4} engine=${2:-io_uring} ios=${3:-50000} bs=${4:-4k}
shift $(($# < 4 ? $# : 4))
lbs=512 maxb=0 batch=8 flags= disk=null_blk rw=read knob=simple_read dsync=0
for w in "$@"; do
	case "$w" in
	write | hole) rw=$w knob=simple_write ;;
	dsync) dsync=1 ;;
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
	if [ "$rw" = read ]; then
		dio-check prep /mnt/p/f 64M 1 || die "prep"
	else
		diobench prep /mnt/p/f --size 64M --preallocate >/dev/null || die "prep"
	fi
	target=/mnt/p/f
fi
[ "$rw" = read ] || [ "$fs" != raw ] || die "profile: $rw needs a file system"
case "$rw:$engine" in hole:fio-*) die "profile: hole runs diobench only" ;; esac
if [ $dsync = 1 ]; then
	[ "$rw" != read ] || die "profile: dsync is for writes"
	case "$engine" in fio-*) flags="$flags --sync=dsync" ;; *) flags="$flags --dsync" ;; esac
fi
dbrw=read
[ "$rw" = write ] && dbrw=randwrite
[ "$rw" = hole ] && dbrw=write
# hole_file IOS: a fresh sparse file of IOS blocks, the old one's blocks
# freed and committed, so that every write of the window fills a hole.
hole_file() {
	[ "$rw" = hole ] || return 0
	rm -f /mnt/p/h && sync && truncate -s $(($1 * 4096)) /mnt/p/h || die "hole file"
	target=/mnt/p/h
}
reads() { # IOS
	case "$engine" in fio-*) fio_reads "$1"; return ;; esac
	diobench run "$target" --engine "$engine" --rw "$dbrw" --bs "$bs" --iodepth 32 \
		--submit-batch "$batch" --complete-batch "$batch" --number-ios "$1" --seed 7 \
		$flags --json >/tmp/run.json 2>&1 || not_ok "diobench: $(head -c 200 /tmp/run.json)"
}
# fio as tests/guest/bench.sh runs it, for a fixed number of reads.
fio_reads() { # IOS
	hipri=0
	[ "$engine" = fio-io_uring-poll ] && hipri=1
	fio --name=p --filename="$target" --rw=rand$rw --bs="$bs" --direct=1 \
		--ioengine=io_uring --hipri=$hipri --iodepth=32 --iodepth_batch_submit=8 \
		--iodepth_batch_complete_min=1 --size=64M --io_size=1T --number_ios="$1" \
		--norandommap --randrepeat=1 $flags $FIO_STEADY --minimal >/tmp/run.txt 2>&1 ||
		not_ok "fio: $(head -c 200 /tmp/run.txt)"
}
settle || die "crypto self-tests still running"
# window IOS: warm up, then IOS I/Os between two marks.
window() {
	hole_file 20000
	reads 20000		# warm caches, the extent tree, the page tables
	hole_file "$1"
	sdio-mark
	reads "$1"
	sdio-mark
}
window "$ios"
sdio_load || die "load"
echo "$maxb" >"$SDIO_SYS/max_bytes" || die "max_bytes $maxb"
echo 0 >"$SDIO_SYS/$knob"
window "$ios"
echo 1 >"$SDIO_SYS/$knob" || die "$knob 1"
window "$ios"
# The runner's own start and exit (exec, ring and buffer setup, page
# faults, teardown) is in every window above, the same in each. A run of a
# few reads, in a window of its own, lets the host subtract it.
hole_file 32
sdio-mark
reads 32
sdio-mark
grep -E '^(hits|write_hits|write_fallback_[a-z_]+|alloc_percpu_cache|fallback_disabled) ' "$SDIO_SYS/stats" |
	sed 's/^/@@SDIO INFO stats: /'
# Symbols for the host: text symbols, compressed, between two markers.
echo "@@SDIO KALLSYMS-BEGIN"
grep -E ' [tT] ' /proc/kallsyms | gzip -c | base64
echo "@@SDIO KALLSYMS-END"
sdio_unload || not_ok "unload"
dmesg_check profile
finish
