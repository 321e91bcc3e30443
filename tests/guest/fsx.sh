#!/bin/sh
# Model-checked op mix (its O_DIRECT writes too; fsx-write.sh is the
# write-heavy mix): dio-fsx run on ext4 and xfs (null_blk with a poll
# queue), one seed, four states: no module, simple_read=0, simple_read=1
# with max_bytes 0 (one fs block) and 1 MiB. dio-fsx checks every read byte
# for byte against its model of the file; here the same seed must end in
# the same model (checksum) and the same misaligned-read outcomes in every
# state, the simple path must have been taken (hits) and left for holes,
# unwritten extents and (1 MiB) reads spanning extents; nothing in flight.
# On 7.3 simple_read=1 with max_bytes 0 is the kernel's own paths with no
# hook of ours (nothing may count), and simple_read=0 must bypass the
# kernel's simple path.
# Then RWF_NOWAIT reads in fixed situations must return -EAGAIN exactly
# where the kernel's own path does.
# SDIO_ARGS: ops per file system and state (default 20000), or "long"
# (200000, for make check-all: about 10x the default run time).
. /sdio/tests/lib.sh
ops=20000
case "${SDIO_ARGS:-}" in
long) ops=200000 ;;
[0-9]*) ops=${SDIO_ARGS%% *} ;;
esac
seed=15

# stats_info LABEL: the non-zero counters, as info lines.
stats_info() {
	info "$1: $(grep -v ' 0$' "$SDIO_SYS/stats" | grep -v '^supported' | awk '{ printf "%s%s=%s", sep, $1, $2; sep=" " }')"
}

# 6.12 kernel bug, without the module too: an io_uring IOPOLL read over
# several extents can hang 30 s (null_blk timeout) and fail -ETIMEDOUT
# when a later extent's bio front-merges into the polled request, whose
# poll cookie then sits on the merged-in head bio only (reproducer on xfs,
# no module: dio-fsx run F --seed 15 --ops 7375, fails at op 7374).
# --poll-one-extent sends such reads to the plain ring; the simple path's
# polled reads (one extent, one bio) all stay polled.
# 6.1 kernel bugs, without the module too: an IOPOLL read over a hole at
# EOF completes with 0 instead of the bytes up to EOF (io_uring reads the
# rest after the short result and reports only that; dio-fsx.c says more),
# and an IOPOLL read of 206 KiB inside one extent never completed (seed 15,
# ext4, op 11299: no request timeout, the reader polls forever). On 6.1
# IOPOLL reads are one fs block at most, inside the block (--poll-max-len),
# and end inside EOF (--poll-inside-eof): the simple path's polled reads
# of up to a block stay polled.
# xfs (every kernel, without the module too): an O_DIRECT read that reaches
# into the speculative delalloc preallocation past EOF fails -EIO ("Direct
# I/O collision with buffered writes!"), at a point that depends on
# background work; seen only in the long run (6.12: op 58405 with no
# module, op 25788 in another state). --eio-past-eof accepts it when the
# same read cut at EOF returns the right bytes.
# The O_DIRECT writes of the mix follow the same IOPOLL rules; on 6.1, 7.2
# and 7.3 polled writes are also whole fs blocks (--poll-write-aligned: a
# polled sub-block write never completed there, without the module too;
# dio-fsx.c). On 6.1 misaligned writes end inside EOF
# (--mis-write-inside-eof): xfs grew i_size to the end of EOF's block for
# a misaligned write past EOF that it refused, without the module too.
# fsx_opts FS: the options above for this kernel and file system.
fsx_opts() {
	case "$(uname -r)" in
	6.1.*) o="--poll-one-extent --poll-inside-eof --poll-max-len 4096 --poll-write-aligned --mis-write-inside-eof" ;;
	7.*) o="--poll-one-extent --poll-write-aligned" ;;
	*) o="--poll-one-extent" ;;
	esac
	[ "$1" = xfs ] && o="$o --eio-past-eof"
	echo "$o"
}

# fsx_state FS LABEL: one dio-fsx run; its result line into /tmp/fsx.FS.LABEL.
fsx_state() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	out=$(dio-fsx run "/mnt/$1/fsx" --seed "$seed" --ops "$ops" $(fsx_opts "$1") --log "/tmp/fsx.$1.$2.log" 2>&1)
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$out" | sed 's/^/# /'
	last=$(echo "$out" | grep '^model size ')
	echo "$last" >"/tmp/fsx.$1.$2"
	if [ $rc -eq 0 ] && [ -n "$last" ]; then
		ok "$1 $2: $ops ops, every read matches the model ($(awk "BEGIN { print $t1 - $t0 }")s)"
	else
		not_ok "$1 $2: dio-fsx failed (exit $rc; replay: dio-fsx run FILE --replay /tmp/fsx.$1.$2.log)"
	fi
}

i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb "fx$i" 1024) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"

	fsx_state "$fs" none
	dio-fsx nowait "/mnt/$fs/nw" >"/tmp/nowait.$fs.none" 2>&1

	check "$fs: module loads" sdio_load
	echo 0 >"$SDIO_SYS/simple_read"
	echo reset >"$SDIO_SYS/stats"
	fsx_state "$fs" simple0
	dio-fsx nowait "/mnt/$fs/nw" >"/tmp/nowait.$fs.simple0" 2>&1
	stats_info "$fs simple_read=0"
	expect_eq "$fs simple_read=0: no hits" 0 "$(counter hits)"
	[ "$SDIO_KERNEL_SIMPLE" = 1 ] &&
		positive "$fs simple_read=0: reads bypassed the kernel's simple path (7.3)" kernel_simple_bypassed

	echo 1 >"$SDIO_SYS/simple_read"
	for mb in 0 1048576; do
		echo "$mb" >"$SDIO_SYS/max_bytes"
		echo reset >"$SDIO_SYS/stats"
		fsx_state "$fs" "mb$mb"
		stats_info "$fs simple_read=1 max_bytes=$mb"
		if [ "$SDIO_KERNEL_SIMPLE" = 1 ] && [ "$mb" = 0 ]; then
			# 7.3: the kernel's own simple path serves reads of up
			# to a block, the rest its full path; no hook is in,
			# so nothing of ours may have run.
			expect_eq "$fs max_bytes=0: nothing of ours ran (7.3: the kernel's own paths)" \
				0 "$(counter entered)"
			expect_eq "$fs max_bytes=0: no hits of ours (7.3)" 0 "$(counter hits)"
			continue
		fi
		positive "$fs max_bytes=$mb: simple path taken" hits
		positive "$fs max_bytes=$mb: polled hits" hits_polled
		positive "$fs max_bytes=$mb: holes fell back" fallback_hole
		positive "$fs max_bytes=$mb: unwritten extents fell back" fallback_unwritten
		positive "$fs max_bytes=$mb: misaligned reads fell back" fallback_misaligned
		positive "$fs max_bytes=$mb: reads past EOF fell back" fallback_beyond_eof
		[ "$mb" = 0 ] && positive "$fs max_bytes=$mb: larger reads fell back" fallback_too_large
		[ "$mb" != 0 ] && positive "$fs max_bytes=$mb: reads spanning extents fell back" fallback_multi_extent
		expect_eq "$fs max_bytes=$mb: nothing in flight" 0 "$(counter in_flight)"
	done
	dio-fsx nowait "/mnt/$fs/nw" >"/tmp/nowait.$fs.simple1" 2>&1
	echo 0 >"$SDIO_SYS/max_bytes"

	ref=$(cat "/tmp/fsx.$fs.none")
	info "$fs: $ref"
	for st in simple0 mb0 mb1048576; do
		expect_eq "$fs $st: same final model and misaligned outcomes as without the module" \
			"$ref" "$(cat "/tmp/fsx.$fs.$st")"
	done
	sed 's/^/# none:    /' "/tmp/nowait.$fs.none"
	grep -q '^nowait dirty page cache 4K *EAGAIN' "/tmp/nowait.$fs.none" &&
		ok "$fs: the NOWAIT probe sees EAGAIN over dirty page cache" ||
		not_ok "$fs: NOWAIT probe: no EAGAIN over dirty page cache"
	for st in simple0 simple1; do
		if cmp -s "/tmp/nowait.$fs.none" "/tmp/nowait.$fs.$st"; then
			ok "$fs $st: RWF_NOWAIT results identical to the kernel's path"
		else
			not_ok "$fs $st: RWF_NOWAIT results differ: $(diff "/tmp/nowait.$fs.none" "/tmp/nowait.$fs.$st" | grep '^[-+]n' | tr '\n' ' ')"
		fi
	done
	check "$fs: module unloads" sdio_unload
	umount "/mnt/$fs"
	rm_nullb "fx$i"
done
dmesg_check fsx
finish
