#!/bin/sh
# O_DIRECT overwrites racing (issue 24; dio-fsx race overwrite-*): the file
# written, then one thread overwrites 4K-16K segments of it with O_DIRECT
# on every write engine (pwrite, pwritev2 RWF_DSYNC/NOWAIT/HIPRI, libaio,
# io_uring, io_uring IOPOLL) while a second mutator works on the other
# segments: another O_DIRECT overwriter (overwrite-dio; overwrite-bufread
# with half the readers buffered), buffered writes and mmap stores (each a
# 2 MiB chunk apart from the O_DIRECT writes: a folio holding both is what
# the kernel warns about, "Page cache invalidation failure on direct I/O",
# and its writeback undid an O_DIRECT write on 6.12's xfs, the kernel's
# path alike; dio-fsx.c), truncate
# down and up above half the file, punch hole, fallocate (zero range;
# punch and preallocate), and on xfs with reflink clones from a donor file
# into a file whose every block is shared (overwrite-reflink: the
# overwrites must copy on write). Two reader threads (O_DIRECT on every
# read engine; buffered pread too in overwrite-bufread) check every sector
# read: the old or the new content, the new one once the write or mutation
# covering it had returned, buffered readers included; nothing else, never
# past EOF; the file after each round holds exactly the new content.
# States: the module loaded with its knobs untouched but max_bytes 16 KiB
# (simple_read's path races the overwrites; no write of ours), and
# simple_write=1 (writing the knob must work, else it fails), where the overwrites hit, except on shared extents, which
# fall back. A failing case is rerun with its path off (simple_read=0,
# simple_write=0) to tell a module bug from the kernel's own behaviour.
# SDIO_ARGS: rounds per case (default 2), "long" (30), "sw1".
. /sdio/tests/lib.sh
rounds=2
sw1=1
for a in ${SDIO_ARGS:-}; do
	case "$a" in
	long) rounds=30 ;;
	sw1) sw1=1 ;;
	[0-9]*) rounds=$a ;;
	*) die "SDIO_ARGS: unknown word '$a' (a number, long, sw1)" ;;
	esac
done
states=loaded
[ "$sw1" = 1 ] && states="$states sw1"
cases="overwrite-dio overwrite-bufread overwrite-buffered overwrite-mmap overwrite-truncate overwrite-punch overwrite-fallocate"
engines=pread,preadv2-nowait,preadv2-hipri,libaio,io_uring,io_uring-poll
# The debug kernel: no IOPOLL ring, reads or writes (the kernel's own
# polled-path use-after-free, fsx-write.sh and polled-errors.sh say more).
race_opts=
[ "$SDIO_IOPOLL" = 1 ] || race_opts=--no-poll

# write_counter NAME: a write counter, 0 where the module has none yet.
write_counter() { v=$(counter "$1"); echo "${v:-0}"; }

# race FS CASE: one dio-fsx race run, output into /tmp/racew.out.
race() {
	# shellcheck disable=SC2086 # race_opts: no word or one
	timeout "$SDIO_HANG_S" dio-fsx race "/mnt/$1/race" --case "$2" --rounds "$rounds" --seed "$i" \
		--engines "$engines" $race_opts >/tmp/racew.out 2>&1
}

check "module loads" sdio_load
echo 1 >"$SDIO_SYS/simple_read"
# Reads and writes up to 16 KiB take the simple paths.
echo 16384 >"$SDIO_SYS/max_bytes"
i=0
for fs in ext4 xfs-reflink; do
	i=$((i + 1))
	case "$fs" in
	ext4) fstype=ext4 mkfs_opt='' fs_cases=$cases ;;
	xfs-reflink) fstype=xfs mkfs_opt="-m reflink=1" fs_cases="$cases overwrite-reflink" ;;
	esac
	dev=$(mk_nullb "rw$i" 512) || die "null_blk"
	# shellcheck disable=SC2086 # the mkfs option splits on purpose
	mk_fs "$fstype" "$dev" "/mnt/$fs" $mkfs_opt || die "mkfs $fs"
	for st in $states; do
		if [ "$st" = sw1 ]; then
			knob=simple_write
			if echo 1 >"$SDIO_SYS/simple_write" && [ "$(cat "$SDIO_SYS/simple_write")" = 1 ]; then
				ok "$fs sw1: simple_write set to 1"
			else
				not_ok "$fs sw1: cannot set simple_write to 1"
			fi
		else
			knob=simple_read
		fi
		for c in $fs_cases; do
			echo reset >"$SDIO_SYS/stats"
			t0=$(cut -d' ' -f1 /proc/uptime)
			race "$fs" "$c"
			rc=$?
			t1=$(cut -d' ' -f1 /proc/uptime)
			sed 's/^/# /' /tmp/racew.out
			info "$fs $st $c ($(awk "BEGIN { print $t1 - $t0 }")s): $(grep -v ' 0$' "$SDIO_SYS/stats" |
				grep -E '^(hits|write_|fallback_|errors|aborted)' | tr '\n' ' ')"
			if [ $rc -eq 0 ]; then
				ok "$fs $st $c: every sector old or new, never garbage or past EOF"
			else
				what="$(exit_words $rc): $(grep -m1 -E 'FAIL|dio-fsx:' /tmp/racew.out)"
				echo 0 >"$SDIO_SYS/$knob"
				if race "$fs" "$c"; then
					ctl="a rerun with $knob=0 passes (the module's path, or timing?)"
				else
					ctl="fails with $knob=0 too (the kernel's path): $(grep -m1 -E 'FAIL|dio-fsx:' /tmp/racew.out)"
				fi
				echo 1 >"$SDIO_SYS/$knob"
				not_ok "$fs $st $c: $what; $ctl"
			fi
			if [ "$st" = loaded ]; then
				positive "$fs $st $c: reads raced on the simple path" hits
				expect_eq "$fs $st $c: no write of ours" 0 "$(write_counter write_hits)"
			elif [ "$c" = overwrite-reflink ]; then
				positive "$fs $st $c: overwrites of shared blocks fell back" write_fallback_shared
			else
				positive "$fs $st $c: overwrites raced on the simple path" write_hits
			fi
			expect_eq "$fs $st $c: nothing in flight" 0 "$(counter in_flight)"
		done
		[ "$st" = sw1 ] && echo 0 >"$SDIO_SYS/simple_write"
	done
	umount "/mnt/$fs"
	rm_nullb "rw$i"
done
echo 0 >"$SDIO_SYS/max_bytes"
check "module unloads" sdio_unload
dmesg_check races-write
finish
