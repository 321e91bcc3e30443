# Shared helpers for guest tests (POSIX sh, busybox). Source it.
# Results: one "ok - what" or "not ok - what" line per check (TAP style);
# the host counts them. Informational lines start with "@@SDIO INFO ".
SDIO_KO=/sdio/simple_dio.ko
SDIO_SYS=/sys/kernel/iomap
SDIO_LP=/sys/kernel/livepatch/simple_dio
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

sdio_load() {
	insmod "$SDIO_KO" "$@" || return 1
	i=0
	while [ "$(cat "$SDIO_LP/transition" 2>/dev/null)" != 0 ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "livepatch transition stuck" >&2; return 1; }
		sleep 0.1
	done
}

sdio_unload() { simple-dio-unload 60; }

# mk_nullb NAME SIZE_MB [attr=value...]: a configfs null_blk disk, memory
# backed, with a poll queue so polled I/O works. Prints /dev/NAME.
mk_nullb() {
	name=$1 size=$2
	shift 2
	grep -q '^null_blk ' /proc/modules || modprobe null_blk nr_devices=0 poll_queues=2 || return 1
	d=/sys/kernel/config/nullb/$name
	mkdir "$d" || return 1
	echo "$size" >"$d/size"
	echo 1 >"$d/memory_backed"
	echo 1 >"$d/poll_queues"
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

# mk_fs FSTYPE DEV MNT: make and mount a file system.
mk_fs() {
	fstype=$1 dev=$2 mnt=$3
	modprobe "$fstype" || return 1
	case "$fstype" in
	ext4) mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 "$dev" >/dev/null || return 1 ;;
	xfs) mkfs.xfs -q -f -b size=4096 "$dev" >/dev/null || return 1 ;;
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

# diobench run options for upstream's t/io_uring -B1 -F1 -X1 (registered
# buffers, files and ring) at QD32, submitting and reaping 8 at a time.
T_IO_URING_OPTS="--iodepth 32 --submit-batch 8 --complete-batch 8 --fixedbufs --registerfiles --register-ring"

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
