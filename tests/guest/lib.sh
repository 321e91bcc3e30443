# Shared helpers for guest tests (POSIX sh, busybox). Source it.
# Results: one "ok - what" or "not ok - what" line per check (TAP style);
# the host counts them. Informational lines start with "@@SDIO INFO ".
SDIO_KO=/sdio/simple_dio.ko
SDIO_SYS=/sys/kernel/iomap
SDIO_FAILED=0
# For every fio run that measures: fio's ETA and disk-util threads wake on
# timers and, under icount, moved polled fio results by up to 0.5% between
# identical runs; without them repeat runs agree to 0.05%.
FIO_STEADY="--eta=never --disk_util=0"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; SDIO_FAILED=1; }
info() { echo "@@SDIO INFO $*"; }
die() { not_ok "$*"; exit 1; }

# check WHAT CMD...: run CMD, ok if it succeeds.
check() {
	what=$1
	shift
	if out=$("$@" 2>&1); then ok "$what"; else not_ok "$what: $(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: expected '$2', got '$3'"; fi
}

finish() { exit "$SDIO_FAILED"; }

# counter NAME: one counter from /sys/kernel/iomap/stats.
counter() { awk -v k="$1" '$1 == k { print $2 }' "$SDIO_SYS/stats"; }

# positive WHAT COUNTER: the counter is > 0.
positive() {
	v=$(counter "$2")
	if [ "${v:-0}" -gt 0 ]; then ok "$1: $2 $v"; else not_ok "$1: $2 is ${v:-missing}"; fi
}

# Loaded means hooked: insmod returns once the hooks are in place.
sdio_load() { insmod "$SDIO_KO" "$@"; }

# 7.3's ext4 and xfs serve reads of up to a block on the kernel's own
# simple path; ours takes larger ones, up to max_bytes. Tests that need
# our path under random reads read up to SDIO_MAX_LEN bytes and, once the
# module is loaded, sdio_widen sets max_bytes to match; those that need
# every read to be ours read at least SDIO_OURS_MIN_LEN (dio-check
# --min-len: past a 4 KiB block there, its default elsewhere).
if grep -qw __iomap_dio_read_simple /proc/kallsyms; then
	SDIO_KERNEL_SIMPLE=1 SDIO_MAX_LEN=16384 SDIO_OURS_MIN_LEN=4608
else
	SDIO_KERNEL_SIMPLE=0 SDIO_MAX_LEN=4096 SDIO_OURS_MIN_LEN=512
fi
# The debug kernels (KASAN, lockdep):
# - their own io_uring IOPOLL paths read freed bios, with no module loaded
#   (KASAN: bio_poll on 6.12's polled reads and 7.3's polled writes,
#   dm_poll_bio; docs/testing.md): SDIO_IOPOLL 0, tests leave IOPOLL out;
# - a race case runs 2-5 times slower there (7.3's xfs hole-dio took over
#   300 s in either state): SDIO_HANG_S, the seconds after which a race
#   run is taken for hung, grows with them.
case "$(uname -r)" in
*-debug) SDIO_IOPOLL=0 SDIO_HANG_S=900 ;;
*) SDIO_IOPOLL=1 SDIO_HANG_S=300 ;;
esac
# exit_words RC: a `timeout S CMD` exit status in words. Busybox's timeout
# exits 143 (its own SIGTERM) where coreutils' exits 124.
exit_words() {
	case "$1" in
	124 | 143) echo "hung (no end within its timeout)" ;;
	*) echo "failed (exit $1)" ;;
	esac
}
sdio_widen() {
	[ "$SDIO_KERNEL_SIMPLE" = 0 ] || echo "$SDIO_MAX_LEN" >"$SDIO_SYS/max_bytes"
}

sdio_unload() { simple-dio-unload 60; }

# mk_nullb NAME SIZE_MB [attr=value...]: a configfs null_blk disk, memory
# backed, with a poll queue so polled I/O works. Prints /dev/NAME.
# Every disk gets the same queue settings (256 tags): with null_blk's 64,
# t/io_uring's batches of 32 lost 4.9% on ext4 and -p1 -d128 stalled.
NULLB_QUEUE="hw_queue_depth=256 submit_queues=1 poll_queues=1"
mk_nullb() {
	name=$1 size=$2
	shift 2
	grep -q '^null_blk ' /proc/modules || modprobe null_blk nr_devices=0 poll_queues=2 || return 1
	d=/sys/kernel/config/nullb/$name
	mkdir "$d" || return 1
	echo "$size" >"$d/size"
	echo 1 >"$d/memory_backed"
	for kv in $NULLB_QUEUE; do echo "${kv#*=}" >"$d/${kv%%=*}" || return 1; done
	for kv in "$@"; do echo "${kv#*=}" >"$d/${kv%%=*}" || return 1; done
	echo 1 >"$d/power" || return 1
	i=0
	while [ ! -b "/dev/$name" ]; do
		i=$((i + 1)); [ $i -gt 50 ] && return 1; sleep 0.1
	done
	echo "/dev/$name"
}

rm_nullb() {
	d=/sys/kernel/config/nullb/$1
	[ -d "$d" ] || return 0
	echo 0 >"$d/power"
	rmdir "$d"
}

# mk_fs FSTYPE DEV MNT [MKFS_OPTION...]: make and mount a file system, with
# blocks of SDIO_FS_BLOCK bytes (default 4096); more mkfs options after MNT
# (e.g. -m reflink=1).
mk_fs() {
	fstype=$1 dev=$2 mnt=$3 bs=${SDIO_FS_BLOCK:-4096}
	shift 3
	modprobe "$fstype" || return 1
	case "$fstype" in
	ext4) mkfs.ext4 -q -F -b "$bs" -E lazy_itable_init=0,lazy_journal_init=0 "$@" "$dev" >/dev/null || return 1 ;;
	xfs) mkfs.xfs -q -f -b size="$bs" "$@" "$dev" >/dev/null || return 1 ;;
	*) echo "mk_fs: unknown fs $fstype" >&2; return 1 ;;
	esac
	mkdir -p "$mnt" && mount -t "$fstype" "$dev" "$mnt"
}

# iops_from_json: the "iops" of diobench run's JSON report on stdin.
iops_from_json() { awk -F'[:,]' '/"iops"/ { gsub(/ /, "", $2); print int($2); exit }'; }

# diobench_iops TARGET [diobench run options...]: IOPS of one run.
diobench_iops() {
	target=$1
	shift
	diobench run "$target" "$@" --json 2>&1 | iops_from_json
}

# fio's t/io_uring as the upstream series ran it for its headline number
# (QD32, batches of 32, registered files, buffers and ring, random reads,
# one thread); tio_iops adds -b, -p and -r.
T_IO_URING_ARGS="-d32 -s32 -c32 -F1 -B1 -R1 -X1 -n1 -P0"
# diobench run with exactly those options, where it stands for t/io_uring.
T_IO_URING_OPTS="--iodepth 32 --submit-batch 32 --complete-batch 32 --fixedbufs --registerfiles --register-ring"

# tio_parse: the median of t/io_uring's per-second "IOPS=" lines on stdin,
# as an integer. The first line is partial (it holds the thread's set-up)
# and is skipped; "Maximum IOPS=" is not a per-second line. Fails, saying
# why on stderr, without a steady line, on an I/O error, or when a second
# fell below a tenth of the median (a stalled run).
tio_parse() {
	awk '
	/ IO errors/ { err = err $0 " " }
	/^IOPS=/ {
		v = $0; sub(/^IOPS=/, "", v); sub(/,.*/, "", v)
		m = 1
		if (v ~ /K$/) m = 1000; else if (v ~ /M$/) m = 1000000
		sub(/[KM]$/, "", v)
		if (v !~ /^[0-9]+(\.[0-9]+)?$/) { bad = bad $0 " "; next }
		if (++lines == 1) next
		x[++n] = v * m
	}
	END {
		if (err != "") { print "t/io_uring: " err > "/dev/stderr"; exit 1 }
		if (bad != "") { print "t/io_uring: unparsed: " bad > "/dev/stderr"; exit 1 }
		if (n == 0) { print "t/io_uring: no steady IOPS line (" lines + 0 " lines)" > "/dev/stderr"; exit 1 }
		for (i = 2; i <= n; i++) { t = x[i]; for (j = i - 1; j > 0 && x[j] > t; j--) x[j + 1] = x[j]; x[j + 1] = t }
		med = n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		if (x[1] < med / 10) { print "t/io_uring: stalled: a second at " x[1] ", median " med > "/dev/stderr"; exit 1 }
		printf "%.0f\n", med
	}'
}

# tio_iops TARGET POLL(0|1) BS STEADY_SECONDS: fio's t/io_uring on TARGET;
# prints the median IOPS of its steady seconds. It prints a line per second
# and none for the last, so -r is STEADY_SECONDS + 2 (one partial, one
# unprinted). A hung run is killed rather than left to the guest timeout.
tio_iops() {
	tio_r=$(($4 + 2))
	tio_out=$(timeout $((tio_r * 4 + 30)) t-io_uring $T_IO_URING_ARGS -b"$3" -p"$2" -r"$tio_r" "$1" 2>&1)
	tio_rc=$?
	tio_v=$(echo "$tio_out" | tio_parse) && [ $tio_rc = 0 ] && { echo "$tio_v"; return 0; }
	echo "t/io_uring $1 -p$2 -b$3 exit $tio_rc: $(echo "$tio_out" | tail -n 4 | tr '\n' ' ')" >&2
	return 1
}

# repeat_iops N CMD...: run CMD (which prints one IOPS figure) N times;
# prints "MEDIAN MIN MAX N". Points through the kernel's own path land on
# two levels up to ~1% apart from one run to the next, so one run is not
# enough. Fails if any run printed no positive figure.
repeat_iops() {
	rp_n=$1 rp_i=0 rp_all=
	shift
	while [ $rp_i -lt "$rp_n" ]; do
		rp_v=$("$@") || return 1
		[ -n "$rp_v" ] && [ "$rp_v" -gt 0 ] 2>/dev/null ||
			{ echo "repeat_iops: '$*' printed '$rp_v'" >&2; return 1; }
		rp_all="$rp_all $rp_v"
		rp_i=$((rp_i + 1))
	done
	echo $rp_all | tr ' ' '\n' | sort -n | awk '{ x[NR] = $1 }
		END { m = NR % 2 ? x[(NR + 1) / 2] : int((x[NR / 2] + x[NR / 2 + 1]) / 2); print m, x[1], x[NR], NR }'
}

# settle: wait for the crypto self-tests the kernel runs in the background
# after boot (cryptomgr_test threads). Debian's 6.12 tests DH for about a
# guest second after init starts; its modular exponentiations (mpihelp_*,
# ~70M instructions) landed inside the first measurements.
settle() {
	st_i=0
	while grep -qx cryptomgr_test /proc/[0-9]*/comm 2>/dev/null; do
		st_i=$((st_i + 1))
		[ $st_i -gt 600 ] && { echo "settle: crypto self-tests still running after 60 s" >&2; return 1; }
		sleep 0.1
	done
}

# prefill DEV: write every block of DEV (O_DIRECT, fio's random buffer
# contents) so reads of it cost what reads of written file blocks cost: a
# memory-backed null_blk answers unwritten sectors with a memset, not a
# copy, which made the raw limit ~10% too fast. Fails unless fio wrote the
# whole device.
prefill() {
	pf_sz=$(blockdev --getsize64 "$1") || return 1
	pf_kb=$(fio --name=fill --filename="$1" --rw=write --bs=1M --direct=1 --ioengine=libaio \
		--iodepth=4 --size="$pf_sz" $FIO_STEADY --minimal 2>&1 | awk -F';' 'NF > 50 { print $47 }')
	[ "$pf_kb" = $((pf_sz / 1024)) ] ||
		{ echo "prefill $1: wrote '$pf_kb' KiB of $((pf_sz / 1024))" >&2; return 1; }
}

# runner_iops DEV plain|poll|poll-fixed RAMP RUNTIME: fio's io_uring engine
# and diobench run on the same job (4K random reads, QD32, batches of 8);
# prints "FIO_IOPS DIOBENCH_IOPS", 0 for a run that reported nothing.
runner_iops() {
	fopt='' dopt=''
	case $2 in
	poll) fopt="--hipri=1" dopt="--hipri" ;;
	poll-fixed) fopt="--hipri=1 --fixedbufs=1 --registerfiles=1"
		dopt="--hipri --fixedbufs --registerfiles --register-ring" ;;
	esac
	f=$(fio --name=b --filename="$1" --rw=randread --bs=4k --direct=1 \
		--ioengine=io_uring $fopt --iodepth=32 --iodepth_batch_submit=8 \
		--iodepth_batch_complete_min=1 --iodepth_batch_complete_max=8 \
		--norandommap --randrepeat=1 --ramp_time="$3" --runtime="$4" \
		--time_based $FIO_STEADY --minimal 2>&1 | awk -F';' 'NF > 8 { print int($8) }')
	d=$(diobench_iops "$1" --iodepth 32 --submit-batch 8 --complete-batch 8 $dopt \
		--ramp "$3" --runtime "$4")
	echo "${f:-0} ${d:-0}"
}

# dmesg_check WHAT: fail on any kernel BUG/WARNING/Oops/hung task so far.
dmesg_check() {
	bad=$(dmesg | grep -E 'BUG:|WARNING:|Oops|general protection|hung_task|blocked for more than|kernel BUG' | head -n 3)
	if [ -z "$bad" ]; then ok "dmesg clean: $1"; else not_ok "dmesg clean: $1: $bad"; fi
}
