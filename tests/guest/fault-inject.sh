#!/bin/sh
# Fault injection that reaches our code (the debug kernel, issue 22). On a
# file of ext4 and of xfs, mounted read-only once written (no metadata I/O
# to fail), every engine reads through:
#  - null_blk requeue_inject: requests bounced back to the block layer
#    still complete whole and right;
#  - null_blk timeout_inject: exactly the injected requests time out,
#    each once (-ETIMEDOUT to its reader, no double completion, no hang);
#  - fail_make_request on the disk: every read is EIO in both states, the
#    simple path counts the errors (its completion punted to the workqueue),
#    nothing stays in flight;
#  - failslab on the bio caches alone (ours and the kernel's): the mempools
#    carry every failed allocation, blocking and RWF_NOWAIT reads alike,
#    so no reader sees an error and both states agree, with the per-CPU
#    bio cache on and off (every engine but io_uring IOPOLL: see below);
#  - failslab on every allocation of the reading task (task-filter,
#    /proc/thread-self/make-it-fail, sync engines): the kernel's path may
#    fail reads with ENOMEM, the simple path fails none;
#  - fail_page_alloc on every page allocation of the reading task (all of
#    them fail), the same way: KASAN's quarantine keeps the slabs asking
#    for new pages, so the kernel's path may fail reads with ENOMEM, the
#    simple path fails none.
# SDIO_ARGS: reads per engine and state under requeues, failslab and
# fail_page_alloc (default 300; make check runs 100), two thirds of that
# under fail_make_request.
# Then the module unloads; tests/vm/init's kmemleak scan follows.
. /sdio/tests/lib.sh
DBG=/sys/kernel/debug
engines="pread preadv2-nowait preadv2-hipri libaio io_uring io_uring-poll"
ops=${SDIO_ARGS:-300}
fmr_ops=$((ops * 2 / 3))
[ -d "$DBG/fail_make_request" ] && [ -d "$DBG/failslab" ] && [ -d "$DBG/fail_page_alloc" ] ||
	die "no fail_make_request/failslab in debugfs: this test needs the debug kernel"

# fault_set DIR probability interval times: one fault_attr (debugfs or
# configfs), silent.
fault_set() {
	echo "$2" >"$1/probability" && echo "$3" >"$1/interval" &&
		echo "$4" >"$1/times" && echo 0 >"$1/verbose"
}

# diff_ok WHAT EXPECT DIO-CHECK-ARGS...: a dio-check diff whose summary
# must contain EXPECT; prints its output as comments.
diff_ok() {
	what=$1 expect=$2
	shift 2
	out=$(dio-check diff "$@" 2>&1)
	echo "$out" | sed 's/^/# /'
	case "$out" in
	*"$expect"*) ok "$what" ;;
	*) not_ok "$what: $(echo "$out" | grep -m1 'reads x')" ;;
	esac
}

# settled WHAT: every bio of ours completed, none in flight.
settled() {
	expect_eq "$1: submitted = completed" "$(counter submitted)" "$(counter completed)"
	expect_eq "$1: nothing in flight" 0 "$(counter in_flight)"
}

# task_faults ATTR PERCENT: ATTR (failslab, fail_page_alloc) fails PERCENT
# of the reading task's allocations while it reads (task-filter; dio-check
# --make-it-fail 1 marks the thread only around its reads), sync engines,
# aligned reads inside the file (--range), so that every read of state 1
# is the simple path's: the kernel's path (state 0) may fail reads with
# ENOMEM, the simple path fails none; injections counted by ATTR's times,
# in every run (failslab) or, where reads allocate pages only when a slab
# grows (fail_page_alloc), summed over the runs of the file system.
task_faults() {
	attr=$DBG/$1 total=0
	echo Y >"$attr/task-filter"
	for cache in 0 1; do
		echo "$cache" >"$SDIO_SYS/alloc_cache"
		for e in pread preadv2-nowait preadv2-hipri; do
			echo reset >"$SDIO_SYS/stats"
			fault_set "$attr" "$2" 1 1000000
			out=$(dio-check diff "$f" --ops "$ops" --range 0,16777216 $common \
				--engine "$e" --make-it-fail 1 --accept ENOMEM,EAGAIN 2>&1)
			echo "$out" | sed 's/^/# /'
			injected=$((1000000 - $(cat "$attr/times")))
			fault_set "$attr" 0 1 0
			case "$out" in
			*", 0 mismatches"*"accepted errors: "*" in state 0, 0 in state 1"*)
				ok "$fs $e alloc_cache=$cache: the reading task's failed allocations ($1: $injected) reach no read of the simple path" ;;
			*) not_ok "$fs $e alloc_cache=$cache: task-scoped $1: $(echo "$out" | grep -v mismatch | tr '\n' ' ')" ;;
			esac
			total=$((total + injected))
			[ "$injected" -gt 0 ] || [ "$1" = fail_page_alloc ] ||
				not_ok "$fs $e alloc_cache=$cache: task-scoped $1 injected nothing"
			positive "$fs $e alloc_cache=$cache: the simple path served the reads ($1)" hits
			expect_eq "$fs $e alloc_cache=$cache: no error on the simple path ($1)" 0 "$(counter errors)"
			settled "$fs $e task $1"
		done
	done
	echo N >"$attr/task-filter"
	[ "$total" -gt 0 ] && ok "$fs: task-scoped $1 injected $total failures over the runs" ||
		not_ok "$fs: task-scoped $1 injected nothing in any run"
}

check "module loads" sdio_load
# 7.3 serves reads of up to a block itself (iomap_dio_read_simple()), so
# there the reads are longer than a block, ours up to max_bytes (lib.sh).
sdio_widen || die "max_bytes"
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	name=fi$i
	dev=$(mk_nullb "$name" 512) || die "null_blk"
	cfg=/sys/kernel/config/nullb/$name
	[ -d "$cfg/timeout_inject" ] || die "null_blk has no timeout_inject (CONFIG_BLK_DEV_NULL_BLK_FAULT_INJECTION)"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	f=/mnt/$fs/f
	dio-check prep "$f" 16M 51 || die "prep"
	sync
	mount -o remount,ro "/mnt/$fs" || die "remount ro"
	common="--pattern-seed 51 --min-len $SDIO_OURS_MIN_LEN --max-len $SDIO_MAX_LEN"
	# The file's extents are cached before faults start.
	dio-check diff "$f" --ops 200 $common --states -- >/dev/null 2>&1

	# 1. Requeues: every read complete and right in both states.
	fault_set "$cfg/requeue_inject" 30 1 -1 || die "requeue_inject"
	for e in $engines; do
		echo reset >"$SDIO_SYS/stats"
		diff_ok "$fs $e: requeued requests complete right" ", 0 mismatches" \
			"$f" --ops "$ops" --qd 16 $common --engine "$e"
		positive "$fs $e: simple path took part under requeues" hits
		settled "$fs $e requeue"
	done
	fault_set "$cfg/requeue_inject" 0 1 0

	# 2. Timeouts: exactly the three injected requests time out, once each.
	echo 1000 >"/sys/block/$name/queue/io_timeout" || die "io_timeout"
	for e in pread io_uring; do
		echo reset >"$SDIO_SYS/stats"
		dmesg -c >/dev/null
		fault_set "$cfg/timeout_inject" 100 1 3 || die "timeout_inject"
		out=$(dio-check diff "$f" --ops 100 --range 1048576,1048576 $common \
			--engine "$e" --states 11 --accept ETIMEDOUT 2>&1)
		echo "$out" | sed 's/^/# /'
		case "$out" in
		*", 0 mismatches"*"accepted errors: 3 in state 1, 0 in state 1"*)
			ok "$fs $e: the 3 injected timeouts reach their readers as ETIMEDOUT, once each" ;;
		*) not_ok "$fs $e: timeouts: $(echo "$out" | tr '\n' ' ')" ;;
		esac
		expect_eq "$fs $e: the simple path counted the 3 timeouts as errors" 3 "$(counter errors)"
		expect_eq "$fs $e: null_blk timed out 3 requests" 3 "$(dmesg | grep -c 'null_blk: rq .* timed out')"
		settled "$fs $e timeout"
	done
	# The expected "timed out" lines are this test's, not a failure.
	dmesg_check "before the injected timeouts are cleared ($fs)"
	dmesg -c >/dev/null
	# Back to null_blk's 30 s: a slow guest must not time out real requests.
	echo 30000 >"/sys/block/$name/queue/io_timeout"

	# 3. fail_make_request: EIO on every engine, in both states.
	fault_set "$DBG/fail_make_request" 100 1 -1 || die "fail_make_request"
	echo 1 >"/sys/block/$name/make-it-fail"
	for e in $engines; do
		echo reset >"$SDIO_SYS/stats"
		diff_ok "$fs $e: every read is EIO in both states under fail_make_request" \
			"$fmr_ops reads x 2 states (0,1): 0 full, $fmr_ops errors (0 EINVAL, $fmr_ops EIO, 0 EOPNOTSUPP), 0 mismatches" \
			"$f" --ops "$fmr_ops" --range 1048576,1048576 $common --engine "$e"
		positive "$fs $e: the simple path counted the errors" errors
		settled "$fs $e fail_make_request"
	done
	echo 0 >"/sys/block/$name/make-it-fail"
	fault_set "$DBG/fail_make_request" 0 1 0
	diff_ok "$fs: reads right again once fail_make_request is off" ", 0 mismatches" \
		"$f" --ops 200 $common --engine io_uring

	# 4. failslab on the bio caches only: the mempools carry it. Not for
	# io_uring IOPOLL: a polled submitter waiting in mempool_alloc() for a
	# bio that only its own unpolled requests would free stalls until the
	# device times them out, on the kernel's path and on ours alike, and
	# after those timeouts 6.12's own polled path used a freed bio
	# (docs/testing.md, "The debug kernel").
	for c in /sys/kernel/slab/bio-*; do echo 1 >"$c/failslab" || die "$c/failslab"; done
	echo Y >"$DBG/failslab/cache-filter"
	echo N >"$DBG/failslab/ignore-gfp-wait"
	for cache in 0 1; do
		echo "$cache" >"$SDIO_SYS/alloc_cache"
		for e in pread preadv2-nowait preadv2-hipri libaio io_uring; do
			echo reset >"$SDIO_SYS/stats"
			fault_set "$DBG/failslab" 25 1 1000000
			diff_ok "$fs $e alloc_cache=$cache: no reader sees a bio allocation failure" \
				", 0 mismatches" "$f" --ops "$ops" --qd 16 $common --engine "$e"
			injected=$((1000000 - $(cat "$DBG/failslab/times")))
			[ "$injected" -gt 0 ] && ok "$fs $e alloc_cache=$cache: failslab failed $injected bio allocations" ||
				not_ok "$fs $e alloc_cache=$cache: failslab injected nothing"
			[ "$cache" = 1 ] || positive "$fs $e: our bios came from the mempool" alloc_mempool
			settled "$fs $e failslab"
		done
	done
	fault_set "$DBG/failslab" 0 1 0
	echo N >"$DBG/failslab/cache-filter"
	for c in /sys/kernel/slab/bio-*; do echo 0 >"$c/failslab"; done
	echo 1 >"$SDIO_SYS/alloc_cache"

	# 5. failslab on every slab allocation of the reading task (10%), sync
	# engines: the kernel's path may fail a read with ENOMEM (its struct
	# iomap_dio is a kmalloc), ours has no allocation but the bio, which
	# the mempool carries: no error at all with simple_read=1. Aligned
	# reads inside the file only (--range), so that every read of state 1
	# is ours: a fallback (EOF, misaligned) is the kernel's path again.
	task_faults failslab 10
	echo 1 >"$SDIO_SYS/alloc_cache"

	# 6. fail_page_alloc on every page allocation of the reading task
	# (order 0 up, sleeping allocations too), as in 5. Freed slab objects
	# wait in KASAN's quarantine, so the bio and kmalloc caches keep taking
	# new pages while reads run, but only a few in 100 reads: every one
	# fails (100%), or a short run may inject nothing.
	echo N >"$DBG/fail_page_alloc/ignore-gfp-wait"
	echo N >"$DBG/fail_page_alloc/ignore-gfp-highmem"
	echo 0 >"$DBG/fail_page_alloc/min-order"
	task_faults fail_page_alloc 100
	echo 1 >"$SDIO_SYS/alloc_cache"

	umount "/mnt/$fs"
	rm_nullb "$name"
done
check "module unloads after the faults" sdio_unload
dmesg_check fault-inject
finish
