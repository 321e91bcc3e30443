#!/bin/sh
# Crash consistency of O_DIRECT overwrites (issue 24). ext4 and xfs on a
# null_blk disk with a volatile write cache (so FUA and flushes matter),
# made and written through dm-log-writes. crash-writer overwrites 4K and
# 16K records of a preallocated file with O_DSYNC (pwritev2 RWF_DSYNC, an
# O_DSYNC descriptor, io_uring RWF_DSYNC at QD4) and without it, ending in
# fdatasync; a dm mark follows every acknowledged write and every
# fdatasync. For a seeded sample of those marks dlw-check replays onto a
# fresh disk only what flush and FUA semantics make durable at the mark;
# then every acknowledged write must be on the image (or a newer one), the
# file system must mount, and e2fsck -fn / xfs_repair -n must be clean.
# A dm-flakey drop_writes cut mid-stream, then a power cycle of the disk
# (null_blk drops its cache; docs/testing.md says what that does not
# catch), must keep the same. Every module state gives the
# same verdicts. The replay with FUA ignored must lose acknowledged writes
# (the check can fail), and dlw-check refuses bad logs.
#
# SDIO_ARGS: words; "long" (more writes and marks), ops=N (writes per
# phase), samples=N (marks replayed per file system and state, 0 = every
# mark), states=S+S (of none, 0, 1; default all three: 0 is the module
# loaded with simple_write=0, 1 the simple write path), seed=N.
. /sdio/tests/lib.sh
ops=24 samples=4 states="none 0 1" seed=24
for w in ${SDIO_ARGS:-}; do
	case "$w" in
	long) ops=200 samples=24 ;;
	ops=*) ops=${w#ops=} ;;
	samples=*) samples=${w#samples=} ;;
	states=*) states=$(echo "${w#states=}" | tr '+' ' ') ;;
	seed=*) seed=${w#seed=} ;;
	*) die "unknown argument '$w'" ;;
	esac
done
modprobe dm-mod && modprobe dm-log-writes && modprobe dm-flakey || die "dm modules"
DISK_MB=320 CACHE_MB=16 FILE_SIZE=4M
mkdir -p /mnt/cc /mnt/rp
info "crash-consistency: $ops writes a phase, $samples marks sampled (seed $seed), states: $states"

# mkfs_fs FSTYPE DEV: a file system that writes no discards and little
# else: every replay starts by redoing mkfs, whose footprint was 37 MB
# (ext4) and 65 MB (xfs, its 64 MB log minimum) with the defaults, now
# 4.6 and 6.4 MB. mkfs.xfs allows a log under 64 MB when it sees fstests'
# variables.
mkfs_fs() {
	case "$1" in
	ext4) mkfs.ext4 -q -F -b 4096 -N 1024 -J size=4 \
		-E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$2" >/dev/null ;;
	xfs) TEST_DIR=/tmp TEST_DEV=$2 QA_CHECK_FS=xfs mkfs.xfs -q -f -K -l size=6m "$2" >/dev/null ;;
	esac
}

# fsck_fs FSTYPE DEV: read-only check; prints its output on failure.
fsck_fs() {
	case "$1" in
	ext4) e2fsck -fn "$2" >/tmp/fsck.out 2>&1 ;;
	xfs) xfs_repair -n "$2" >/tmp/fsck.out 2>&1 ;;
	esac || { tail -n 5 /tmp/fsck.out; return 1; }
}

# write_phases FILE JOURNAL DMDEV: every engine, 4K and 16K records.
write_phases() {
	wp_file=$1 wp_j=$2 wp_dm=$3
	for phase in "pwritev2 4096" "odsync 16384" "uring 4096 --qd 4" "fdatasync 4096 --batch 8" \
		"uring 16384 --qd 4" "pwritev2 16384" "odsync 4096"; do
		# shellcheck disable=SC2086 # options split on purpose
		set -- $phase
		wp_engine=$1 wp_rec=$2
		shift 2
		crash-writer run "$wp_file" "$wp_j" --engine "$wp_engine" --rec "$wp_rec" --ops "$ops" \
			--seed "$seed" --dm "$wp_dm" "$@" || return 1
	done
}

# Names of the marks that follow acknowledged writes and fdatasyncs.
ack_marks() { dlw-check marks "$1" | awk '$2 ~ /^[as][0-9]+$/ { print $2 }'; }

# sample N: N of the marks on stdin chosen with the seed, in log order,
# always with the last of each kind (a: O_DSYNC write, s: fdatasync);
# N = 0: all of them.
sample() {
	awk -v n="$1" -v seed="$seed" '{ m[NR] = $1; last[substr($1, 1, 1)] = NR }
	END {
		srand(seed)
		if (n == 0 || n >= NR) { for (i = 1; i <= NR; i++) print m[i]; exit }
		k = 0
		for (c in last) { pick[last[c]] = 1; k++ }
		for (; k < n; ) { i = int(rand() * NR) + 1; if (!(i in pick)) { pick[i] = 1; k++ } }
		for (i = 1; i <= NR; i++) if (i in pick) print m[i]
	}'
}

# replay_check FSTYPE LOG JOURNAL MARK [REPLAY_OPTS]: replay onto a fresh
# disk, mount, verify the file against the journal; prints verify's line.
# Returns 1 if the data check failed, 2 if the replay, mount or fsck did.
replay_check() {
	rc_fs=$1 rc_log=$2 rc_j=$3 rc_mark=$4
	shift 4
	rm_nullb ccscratch
	rc_dev=$(mk_nullb ccscratch "$DISK_MB") || { echo "scratch disk"; return 2; }
	rc_out=$(dlw-check replay "$rc_log" "$rc_dev" --end-mark "$rc_mark" --durable "$@" 2>&1) ||
		{ echo "replay: $rc_out"; return 2; }
	mount -t "$rc_fs" "$rc_dev" /mnt/rp 2>/tmp/mount.out || { echo "mount: $(cat /tmp/mount.out)"; return 2; }
	crash-writer verify /mnt/rp/f "$rc_j" --mark "$rc_mark" >/tmp/verify.out 2>&1
	rc_v=$?
	tr '\n' ' ' </tmp/verify.out
	umount /mnt/rp || return 2
	[ "$rc_v" = 0 ] || return 1
	fsck_fs "$rc_fs" "$rc_dev" || return 2
}

# bad_log LOG: dlw-check refuses a log with a wrong magic or version, a
# truncated one, and a replay past its target's end, with one line and
# exit 2, the target untouched.
bad_log() {
	dd if="$1" of=/tmp/short.log bs=1M count=4 2>/dev/null
	dd if=/dev/urandom of=/tmp/target bs=1M count=1 2>/dev/null
	sum=$(md5sum </tmp/target)
	for case in "magic:0:magic" "version:8:version" "truncated::truncated" "target too small::writes up to byte"; do
		what=${case%%:*} rest=${case#*:}
		at=${rest%%:*} word=${rest#*:}
		log=/tmp/short.log
		case "$what" in
		target*) log=$1 ;;
		*) cp /tmp/short.log /tmp/bad.log && log=/tmp/bad.log ;;
		esac
		[ -n "$at" ] && printf 'Z' | dd of=/tmp/bad.log bs=1 seek="$at" conv=notrunc 2>/dev/null
		out=$(dlw-check replay "$log" /tmp/target --end-mark prepped 2>&1)
		rc=$?
		kept=changed
		[ "$(md5sum </tmp/target)" = "$sum" ] && kept=kept
		if [ $rc = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "$word" && [ $kept = kept ]; then
			ok "dlw-check refuses a bad log ($what): $out"
		else
			not_ok "dlw-check, bad log ($what): exit $rc, target $kept: $out"
		fi
	done
	rm -f /tmp/short.log /tmp/bad.log /tmp/target
}

# logged_run FSTYPE STATE: the dm-log-writes run; sets verdict_log.
logged_run() {
	fs=$1 st=$2 t0=$(date +%s)
	verdict_log="failed to run"
	data=$(mk_nullb ccdata "$DISK_MB" cache_size="$CACHE_MB") || { not_ok "$fs/$st: data disk"; return; }
	log=$(mk_nullb cclog 512) || { not_ok "$fs/$st: log disk"; return; }
	dmsetup create cclw --table "0 $(blockdev --getsz "$data") log-writes $data $log" &&
		dmsetup mknodes cclw || { not_ok "$fs/$st: dmsetup create log-writes"; return; }
	j=/tmp/journal-$fs-$st
	rm -f "$j"
	if ! { mkfs_fs "$fs" /dev/mapper/cclw && dmsetup message cclw 0 mark mkfs &&
		mount -t "$fs" /dev/mapper/cclw /mnt/cc && crash-writer prep /mnt/cc/f "$FILE_SIZE" &&
		dmsetup message cclw 0 mark prepped; }; then
		not_ok "$fs/$st: mkfs, mount and prep through dm-log-writes"
		umount /mnt/cc 2>/dev/null; dmsetup remove cclw; return
	fi
	check "$fs/$st: writes through dm-log-writes, a mark after each durable point" \
		write_phases /mnt/cc/f "$j" cclw
	umount /mnt/cc
	dmsetup remove cclw || not_ok "$fs/$st: dmsetup remove"
	summary=$(dlw-check list "$log" | tail -n 1)
	info "$fs/$st: log $summary"
	case "$summary" in
	*" 0 flush"* | *" 0 fua"*) not_ok "$fs/$st: the log holds flushes and FUA writes: $summary" ;;
	*) ok "$fs/$st: the log holds flushes and FUA writes" ;;
	esac
	[ "$fs" = ext4 ] && [ "$st" = "$first_state" ] && bad_log "$log"

	ack_marks "$log" >/tmp/marks
	nmarks=$(wc -l </tmp/marks)
	sample "$samples" </tmp/marks >/tmp/sampled
	nsampled=$(wc -l </tmp/sampled)
	expect_eq "$fs/$st: every writer mark is in the log" "$(grep -c '^m [as]' "$j")" "$nmarks"
	info "$fs/$st: replaying $nsampled of $nmarks marks (seed $seed)"
	good=0 bad=
	while read -r mark; do
		out=$(replay_check "$fs" "$log" "$j" "$mark")
		case $? in
		0) good=$((good + 1)); info "$fs/$st: $out" ;;
		*) bad="$bad $mark"; not_ok "$fs/$st: durable replay to mark $mark: $out" ;;
		esac
	done </tmp/sampled
	[ -z "$bad" ] && ok "$fs/$st: $good of $nsampled sampled marks: every acknowledged write on the durable replay, mounts, fsck clean"
	verdict_log=clean
	[ -n "$bad" ] && verdict_log="lost or unclean"

	# The check can fail: with FUA ignored, the last marks of the O_DSYNC
	# phases (FUA writes not yet followed by a flush) lose writes.
	if [ "$st" = "$first_state" ]; then
		lost=0
		for mark in $(awk '/^a/' /tmp/marks | sample 3); do
			replay_check "$fs" "$log" "$j" "$mark" --ignore-fua >/dev/null
			[ $? = 1 ] && lost=$((lost + 1))
		done
		if [ $lost -gt 0 ]; then ok "$fs/$st: a replay that ignores FUA loses acknowledged writes ($lost of 3 marks)"
		else not_ok "$fs/$st: a replay that ignores FUA lost nothing at 3 marks: the check cannot fail"; fi
	fi
	rm_nullb ccscratch
	rm_nullb cclog
	rm_nullb ccdata
	info "$fs/$st: dm-log-writes run $(($(date +%s) - t0)) s"
}

# cut_run FSTYPE STATE: writes through dm-flakey, switched to drop_writes
# mid-stream (io_uring writes in flight), then the disk loses its cache;
# sets verdict_cut.
cut_run() {
	fs=$1 st=$2 t0=$(date +%s)
	verdict_cut="failed to run"
	data=$(mk_nullb ccdata "$DISK_MB" cache_size="$CACHE_MB") || { not_ok "$fs/$st: data disk"; return; }
	size=$(blockdev --getsz "$data")
	dmsetup create ccfl --table "0 $size linear $data 0" && dmsetup mknodes ccfl ||
		{ not_ok "$fs/$st: dmsetup create"; return; }
	j=/tmp/journal-cut-$fs-$st
	rm -f "$j"
	mkfs_fs "$fs" /dev/mapper/ccfl && mount -t "$fs" /dev/mapper/ccfl /mnt/cc &&
		crash-writer prep /mnt/cc/f "$FILE_SIZE" || { not_ok "$fs/$st: mkfs and prep"; return; }
	cut="dmsetup suspend --nolockfs --noflush ccfl && dmsetup load ccfl --table '0 $size flakey $data 0 0 1 1 drop_writes' && dmsetup resume ccfl"
	check "$fs/$st: fdatasync phase before the cut" crash-writer run /mnt/cc/f "$j" --engine fdatasync \
		--ops "$ops" --batch 4 --seed "$seed"
	check "$fs/$st: io_uring O_DSYNC writes, drop_writes from mark $((ops / 8 + ops / 2)) on" \
		crash-writer run /mnt/cc/f "$j" --engine uring --qd 4 --rec 16384 --ops "$ops" --seed "$seed" \
		--cut-at $((ops / 8 + ops / 2)) --cut-cmd "$cut"
	umount /mnt/cc
	dmsetup remove ccfl
	# Power cycle: null_blk drops what is still in its cache.
	echo 0 >/sys/kernel/config/nullb/ccdata/power && echo 1 >/sys/kernel/config/nullb/ccdata/power
	i=0
	while [ ! -b "$data" ] && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	mark=$(awk '$1 == "c" { print $2 }' "$j")
	if [ -z "$mark" ]; then
		not_ok "$fs/$st: the cut never ran"
	elif ! mount -t "$fs" "$data" /mnt/rp 2>/tmp/mount.out; then
		not_ok "$fs/$st: mount after the cut: $(cat /tmp/mount.out)"
	else
		out=$(crash-writer verify /mnt/rp/f "$j" --mark "$mark" 2>&1)
		rc=$?
		umount /mnt/rp
		if [ $rc = 0 ] && out2=$(fsck_fs "$fs" "$data"); then
			ok "$fs/$st: after the cut at $mark and a power cycle every acknowledged write is there, fsck clean: $out"
			verdict_cut=clean
		else
			not_ok "$fs/$st: after the cut at $mark: $out ${out2:-}"
			verdict_cut="lost or unclean"
		fi
	fi
	rm_nullb ccdata
	info "$fs/$st: drop_writes run $(($(date +%s) - t0)) s"
}

first_state=${states%% *}
: >/tmp/verdicts
for st in $states; do
	case "$st" in
	none) grep -q '^simple_dio ' /proc/modules && sdio_unload ;;
	0 | 1)
		grep -q '^simple_dio ' /proc/modules || check "module loads" sdio_load
		if ! echo "$st" >"$SDIO_SYS/simple_write" 2>/dev/null && [ "$st" = 1 ]; then
			not_ok "state 1: cannot set $SDIO_SYS/simple_write to 1"
			continue
		fi
		echo reset >"$SDIO_SYS/stats" ;;
	*) die "unknown state '$st'" ;;
	esac
	for fs in ext4 xfs; do
		logged_run "$fs" "$st"
		cut_run "$fs" "$st"
		echo "$fs $st $verdict_log/$verdict_cut" >>/tmp/verdicts
	done
	[ "$st" = 1 ] && positive "state 1: the simple write path served writes" write_hits
done
# verdict FSTYPE STATE: the two runs' verdicts in that state.
verdict() { awk -v f="$1" -v s="$2" '$1 == f && $2 == s { $1 = $2 = ""; print substr($0, 3) }' /tmp/verdicts; }
for st in $states; do
	[ "$st" = "$first_state" ] && continue
	for fs in ext4 xfs; do
		expect_eq "$fs: state $st gives the verdicts of state $first_state" \
			"$(verdict "$fs" "$first_state")" "$(verdict "$fs" "$st")"
	done
done
grep -q '^simple_dio ' /proc/modules && check "module unloads" sdio_unload
dmesg_check crash-consistency
finish
