#!/bin/sh
# One run of dio-fsx and of dio-fsx race under a low-probability fault mix
# (the debug kernel, issue 22): failslab (1%) and fail_make_request (2%),
# both task-filtered, on the threads that read and only while they read
# (dio-fsx --inject-faults), simple_read=1 with max_bytes 16 KiB. A read
# may fail with EIO, ENOMEM or EAGAIN, as the kernel's path would; a read
# that returns bytes must return the right ones (fsx's model, race's old
# or new content), fsx's final whole-file check and race's end-of-round
# check read unmarked and accept no error, no run may hang (timeout),
# nothing stays in flight, the module unloads.
# Stack filters keep the faults on the read paths: failslab only fails
# allocations under the file system's O_DIRECT read function (the one that
# calls iomap_dio_rw, require-start/end), so the kernel's path and ours
# are hit, io_uring's and aio's own set-up (requests, io-wq workers: a
# failed worker stack is a vmalloc failure report) are not. An O_DIRECT
# read first writes back dirty page cache of its range, in the reader's
# context: a write or an allocation failed there would lose data (xfs
# logged a writeback error) and look like wrong bytes, so both injectors
# reject any stack through do_writepages (reject-start/end).
# No io_uring IOPOLL: an EIO on 6.12's own polled path reads a freed bio
# (KASAN in bio_poll, no module needed; docs/testing.md, "The debug
# kernel"), so neither fsx nor race polls here.
# The counters that must move: failslab's and fail_make_request's times
# (failures injected), the reads dio-fsx saw fail, the simple path's hits
# and errors.
# SDIO_ARGS: "FSX_OPS RACE_ROUNDS" (default 5000 and 3; make check-debug
# and check-all run the defaults, make check does not run it).
. /sdio/tests/lib.sh
DBG=/sys/kernel/debug
set -- ${SDIO_ARGS:-}
fsx_ops=${1:-5000} rounds=${2:-3}
cases="hole-dio hole-buffered extend extend-dio extend-buffered truncate punch unwritten buffered mmap"
engines=pread,preadv2-nowait,preadv2-hipri,libaio,io_uring
[ -d "$DBG/fail_make_request" ] && [ -d "$DBG/failslab" ] ||
	die "no fail_make_request/failslab in debugfs: this test needs the debug kernel"

# text_of FUNCTION: its text, "0xSTART 0xEND" (up to the next symbol).
text_of() {
	sort /proc/kallsyms | awk -v f="$1" '$3 == f { s = $1; next }
		s != "" && $1 != s { print "0x" s, "0x" $1; exit }'
}
writeback=$(text_of do_writepages)
[ -n "$writeback" ] || die "do_writepages not in /proc/kallsyms"

# dio_read_text FS: the text of FS's function that calls iomap_dio_rw and
# stays on the stack (not a tail call), once FS is loaded; 6.12 inlines
# ext4_dio_read_iter into ext4_file_read_iter.
dio_read_text() {
	case "$1" in
	ext4) fns="ext4_dio_read_iter ext4_file_read_iter" ;;
	xfs) fns="xfs_file_dio_read xfs_file_read_iter" ;;
	esac
	for fn in $fns; do
		t=$(text_of "$fn")
		[ -n "$t" ] && { echo "$fn $t"; return 0; }
	done
	return 1
}

# mix_on FS PERCENT_SLAB PERCENT_REQ / mix_off: the two injectors, task
# filtered, silent, with the stack filters above.
mix_on() {
	fs_read=$(dio_read_text "$1") || die "$1: no O_DIRECT read function in /proc/kallsyms"
	p_slab=$2 p_req=$3
	set -- $fs_read
	echo "$2" >"$DBG/failslab/require-start" && echo "$3" >"$DBG/failslab/require-end" ||
		die "failslab: cannot require $fs_read"
	set -- $writeback
	for a in failslab fail_make_request; do
		d=$DBG/$a
		echo "$1" >"$d/reject-start" && echo "$2" >"$d/reject-end" &&
			echo Y >"$d/task-filter" && echo 0 >"$d/verbose" && echo 1 >"$d/interval" &&
			echo 1000000 >"$d/times" || die "$a: cannot set it up"
	done
	echo N >"$DBG/failslab/ignore-gfp-wait"
	echo N >"$DBG/failslab/cache-filter"
	echo "$p_slab" >"$DBG/failslab/probability"
	echo "$p_req" >"$DBG/fail_make_request/probability"
}
mix_off() {
	for a in failslab fail_make_request; do
		echo 0 >"$DBG/$a/probability"
		echo N >"$DBG/$a/task-filter"
		echo 0 >"$DBG/$a/reject-start"
		echo 0 >"$DBG/$a/reject-end"
	done
	echo 0 >"$DBG/failslab/require-start"
	echo 0xffffffffffffffff >"$DBG/failslab/require-end"
}
# injected ATTR: failures ATTR injected since mix_on.
injected() { echo $((1000000 - $(cat "$DBG/$1/times"))); }

# moved WHAT: the counters a run under the mix must move.
moved() {
	for a in failslab fail_make_request; do
		n=$(injected "$a")
		[ "$n" -gt 0 ] && ok "$1: $a injected $n failures" || not_ok "$1: $a injected nothing"
	done
	positive "$1: the simple path took part" hits
	positive "$1: the simple path saw injected I/O errors" errors
	expect_eq "$1: nothing in flight" 0 "$(counter in_flight)"
	expect_eq "$1: submitted = completed" "$(counter submitted)" "$(counter completed)"
}

# reads_failed OUTPUT: the reads dio-fsx saw fail under the mix.
reads_failed() { echo "$1" | sed -n 's/^# injected faults: \([0-9]*\) reads failed.*/\1/p'; }

check "module loads" sdio_load
echo 1 >"$SDIO_SYS/simple_read"
echo 16384 >"$SDIO_SYS/max_bytes"
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	name=fm$i
	dev=$(mk_nullb "$name" 512) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	# No atime updates: a read would otherwise start journal work.
	mount -o remount,noatime "/mnt/$fs" || die "remount noatime"
	echo 1 >"/sys/block/$name/make-it-fail" || die "make-it-fail"

	# fsx: one seed, the model checks every byte read.
	opts=--no-poll
	[ "$fs" = xfs ] && opts="$opts --eio-past-eof"
	echo reset >"$SDIO_SYS/stats"
	mix_on "$fs" 1 2
	info "$fs: failslab requires $fs_read; both reject do_writepages $writeback"
	t0=$(cut -d' ' -f1 /proc/uptime)
	out=$(timeout 1200 dio-fsx run "/mnt/$fs/fsx" --seed 22 --ops "$fsx_ops" $opts --inject-faults \
		--log /tmp/fsx.mix.log 2>&1)
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$out" | sed 's/^/# /'
	if [ $rc -eq 0 ] && echo "$out" | grep -q '^model size '; then
		ok "$fs fsx: $fsx_ops ops under the fault mix, every read that returned bytes matches the model ($(awk "BEGIN { print $t1 - $t0 }")s)"
	else
		what=$(exit_words $rc)
		not_ok "$fs fsx under the fault mix: $what; replay: dio-fsx run FILE --replay /tmp/fsx.mix.log"
	fi
	n=$(reads_failed "$out")
	[ "${n:-0}" -gt 0 ] && ok "$fs fsx: $n reads failed with an injected error" ||
		not_ok "$fs fsx: no read failed under the fault mix"
	moved "$fs fsx"
	mix_off

	# race: every case, readers under the mix, the mutator not.
	for c in $cases; do
		# 6.12 xfs, without the module too: reads straddling EOF while
		# appends alternate fail with EIO (races.sh), which the mix
		# would count as injected.
		[ "$fs:$c" = xfs:extend ] && continue
		echo reset >"$SDIO_SYS/stats"
		mix_on "$fs" 1 2
		out=$(timeout 600 dio-fsx race "/mnt/$fs/race" --case "$c" --rounds "$rounds" --seed "$i" \
			--engines "$engines" --no-poll --inject-faults 2>&1)
		rc=$?
		echo "$out" | sed 's/^/# /'
		if [ $rc -eq 0 ]; then
			ok "$fs race $c: every read that returned bytes old or new data, $(reads_failed "$out") reads failed with an injected error"
		else
			what=$(exit_words $rc)
			not_ok "$fs race $c under the fault mix: $what"
		fi
		for a in failslab fail_make_request; do
			eval "sum_$a=\$((\${sum_$a:-0} + \$(injected $a)))"
		done
		eval "sum_reads=\$((\${sum_reads:-0} + $(reads_failed "$out" | grep . || echo 0)))"
		eval "sum_hits=\$((\${sum_hits:-0} + $(counter hits)))"
		eval "sum_errors=\$((\${sum_errors:-0} + $(counter errors)))"
		expect_eq "$fs race $c: nothing in flight" 0 "$(counter in_flight)"
		mix_off
	done
	# Counted over the cases: one short case may inject nothing.
	for v in failslab fail_make_request reads hits errors; do
		eval "n=\${sum_$v:-0}"
		[ "$n" -gt 0 ] && ok "$fs races: $v $n over the cases" ||
			not_ok "$fs races: $v did not move over the cases"
		eval "sum_$v=0"
	done

	echo 0 >"/sys/block/$name/make-it-fail"
	umount "/mnt/$fs"
	rm_nullb "$name"
done
echo 0 >"$SDIO_SYS/max_bytes"
check "module unloads after the fault mix" sdio_unload
dmesg_check fault-mix
finish
