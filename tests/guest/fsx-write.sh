#!/bin/sh
# O_DIRECT writes model-checked (issue 24): dio-fsx run --mix overwrite on
# ext4, xfs and xfs with reflink (null_blk with a poll queue). The file is
# written first; then O_DIRECT writes on every engine (pwrite, pwritev2
# RWF_DSYNC, RWF_NOWAIT, RWF_HIPRI, libaio, io_uring, io_uring IOPOLL) are
# the largest share of the mix, most of them 4K-16K overwrites of written
# blocks inside i_size, the rest sub-block, large, extending or misaligned
# (-EINVAL), between punches, fallocates, zero ranges, truncates, clones,
# buffered and mmap writes. Every read is checked against the model.
# States: no module (nothing of ours loaded), the module loaded with its
# knobs untouched (simple_write 0: no write of ours), and with
# simple_write=1 at max_bytes 0 (one block) and 1 MiB. The same seed must
# end in the same model and misaligned outcomes in every state; with
# simple_write=1 writes hit, polled and O_DSYNC ones too, and fall back for
# each reason the mix makes (holes, unwritten extents, EOF, misaligned,
# too large at 0, shared extents on xfs with reflink).
# SDIO_ARGS: ops per file system and state (default 1000), "long" (40000,
# make check-all); the simple_write=1 states always run ("sw1" is
# accepted, as before the knob existed).
. /sdio/tests/lib.sh
ops=1000
# The simple_write=1 states: writing the knob must work, else they fail.
sw1=1
for a in ${SDIO_ARGS:-}; do
	case "$a" in
	long) ops=40000 ;;
	sw1) sw1=1 ;;
	[0-9]*) ops=$a ;;
	*) die "SDIO_ARGS: unknown word '$a' (a number, long, sw1)" ;;
	esac
done
seed=24
states="none loaded"
# Does the kernel's path poll O_DIRECT writes? 6.1 and 7.x: yes; 6.6 to
# 6.x: no (IOCB_HIPRI cleared for writes).
kv=$(uname -r) write_poll=1
case "$kv" in
6.[6-9].* | 6.[1-9][0-9].* | 6.[6-9]-* | 6.[1-9][0-9]-*) write_poll=0 no_poll_why="the kernel's path polls none" ;;
esac
# Only the IOPOLL ring polls writes (a sync RWF_HIPRI write is not
# polled), and the debug kernel runs without one (fsx_opts).
[ "$SDIO_IOPOLL" = 1 ] || write_poll=0 no_poll_why="no IOPOLL ring on a debug kernel"
[ "$sw1" = 1 ] && states="$states sw1-mb0 sw1-mb1048576"

# The kernel bugs fsx.sh's options avoid for reads hold for polled writes
# as well (dio-fsx sends IOPOLL writes by the same rules); fsx.sh says why.
# 6.1, 7.2 and 7.3, without the module too: a polled sub-block write can
# never complete (null_blk timeout; here seed 24, op 93, ext4 and xfs on
# 7.x), so io_uring IOPOLL writes there are whole fs blocks
# (--poll-write-aligned, dio-fsx.c); pwritev2 RWF_HIPRI still polls
# sub-block writes (none hung). On 6.1 misaligned
# writes end inside EOF (--mis-write-inside-eof; fsx.sh says why).
fsx_opts() {
	case "$(uname -r)" in
	6.1.*) o="--poll-one-extent --poll-inside-eof --poll-max-len 4096 --poll-write-aligned --mis-write-inside-eof" ;;
	7.*) o="--poll-one-extent --poll-write-aligned" ;;
	*) o="--poll-one-extent" ;;
	esac
	[ "$1" != ext4 ] && o="$o --eio-past-eof"
	# The debug kernel (7.3 with KASAN): the kernel's own io_uring IOPOLL
	# write polls a freed fs_bio_set bio ("slab-use-after-free in
	# bio_poll" from iocb_bio_iopoll, state none, "Not tainted"): the
	# bug polled-errors.sh describes for reads. IOPOLL goes to the plain
	# ring there; pwritev2 RWF_HIPRI writes still run (sync: not polled).
	[ "$SDIO_IOPOLL" = 1 ] || o="$o --no-poll"
	echo "$o"
}

# stats_info LABEL: the non-zero counters, as info lines.
stats_info() {
	info "$1: $(grep -v ' 0$' "$SDIO_SYS/stats" | grep -v '^supported' | awk '{ printf "%s%s=%s", sep, $1, $2; sep=" " }')"
}

# fsx_state FS LABEL: one dio-fsx run; its result line into /tmp/fsxw.FS.LABEL.
fsx_state() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	# shellcheck disable=SC2046 # options split on purpose
	out=$(dio-fsx run "/mnt/$1/fsx" --mix overwrite --max-size 8m --seed "$seed" --ops "$ops" \
		$(fsx_opts "$1") --log "/tmp/fsxw.$1.$2.log" 2>&1)
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$out" | grep -v '^#  ' | sed 's/^/# /'
	echo "$out" | grep '^model size ' >"/tmp/fsxw.$1.$2"
	echo "$out" | sed -n 's/^# clone-range: \([0-9]*\) done.*/\1/p' >"/tmp/fsxw.$1.$2.clones"
	if [ $rc -eq 0 ] && [ -s "/tmp/fsxw.$1.$2" ]; then
		ok "$1 $2: $ops ops, every read matches the model ($(awk "BEGIN { print $t1 - $t0 }")s)"
	else
		not_ok "$1 $2: dio-fsx failed (exit $rc; replay: dio-fsx run FILE --mix overwrite --max-size 8m --replay /tmp/fsxw.$1.$2.log)"
	fi
}

# write_counter NAME: a write counter, 0 where the module has none yet.
write_counter() { v=$(counter "$1"); echo "${v:-0}"; }

fss="ext4 xfs xfs-reflink"
i=0
for fs in $fss; do
	i=$((i + 1))
	case "$fs" in
	ext4) fstype=ext4 mkfs_opt='' ;;
	xfs) fstype=xfs mkfs_opt="-m reflink=0" ;;
	xfs-reflink) fstype=xfs mkfs_opt="-m reflink=1" ;;
	esac
	dev=$(mk_nullb "fw$i" 1024) || die "null_blk"
	# shellcheck disable=SC2086 # the mkfs option splits on purpose
	mk_fs "$fstype" "$dev" "/mnt/$fs" $mkfs_opt || die "mkfs $fs"
done
# Each state over the three file systems: the module loads once.
for st in $states; do
	case "$st" in
	none)
		if grep -q '^simple_dio ' /proc/modules || [ -e "$SDIO_SYS/stats" ]; then
			not_ok "none: the module is loaded"
		else
			ok "none: nothing of ours loaded"
		fi
		for fs in $fss; do fsx_state "$fs" none; done
		;;
	loaded)
		check "module loads" sdio_load
		[ -e "$SDIO_SYS/simple_write" ] &&
			expect_eq "loaded: simple_write is 0 by default" 0 "$(cat "$SDIO_SYS/simple_write")"
		for fs in $fss; do
			echo reset >"$SDIO_SYS/stats"
			fsx_state "$fs" loaded
			stats_info "$fs loaded"
			expect_eq "$fs loaded: no write of ours" 0 "$(write_counter write_hits)"
			expect_eq "$fs loaded: nothing in flight" 0 "$(counter in_flight)"
		done
		;;
	sw1-mb*)
		mb=${st#sw1-mb}
		if echo 1 >"$SDIO_SYS/simple_write" && [ "$(cat "$SDIO_SYS/simple_write")" = 1 ]; then
			ok "$st: simple_write set to 1"
		else
			not_ok "$st: cannot set simple_write to 1"
		fi
		echo "$mb" >"$SDIO_SYS/max_bytes"
		for fs in $fss; do
			echo reset >"$SDIO_SYS/stats"
			fsx_state "$fs" "$st"
			stats_info "$fs $st"
			positive "$fs $st: writes took the simple path" write_hits
			# Polled as the kernel's path polls writes (design.md): 6.1
			# and 7.x do, 6.6 to 6.x (6.12) clear IOCB_HIPRI.
			if [ "$write_poll" = 1 ]; then
				positive "$fs $st: polled writes (HIPRI, IOPOLL)" write_hits_polled
			else
				expect_eq "$fs $st: no polled write on $(uname -r): $no_poll_why" \
					0 "$(write_counter write_hits_polled)"
			fi
			dsync=$(($(write_counter write_hits_fua) + $(write_counter write_hits_synced)))
			if [ "$dsync" -gt 0 ]; then ok "$fs $st: O_DSYNC writes served ($dsync)"
			else not_ok "$fs $st: no O_DSYNC write served (write_hits_fua + write_hits_synced 0)"; fi
			# A write over a hole or an unwritten extent falls back as
			# its mapping says (hole; unwritten, also for a hole that
			# 7.x ext4's mapping allocates as an unwritten extent; new),
			# or unmapped: 6.x ext4 passes non-overwrite ops
			# (not_overwrite), xfs's overwrite-only mapping declines a
			# hole (map_failed). write_ops.c has the rules.
			unmapped=$(($(write_counter write_fallback_not_overwrite) + $(write_counter write_fallback_map_failed)))
			hole=$(($(write_counter write_fallback_hole) + $(write_counter write_fallback_new) + \
				$(write_counter write_fallback_unwritten) + unmapped))
			if [ "$hole" -gt 0 ]; then ok "$fs $st: writes over holes fell back ($hole)"
			else not_ok "$fs $st: no write over a hole fell back (hole + new + unwritten + not_overwrite + map_failed 0)"; fi
			unwr=$(($(write_counter write_fallback_unwritten) + unmapped))
			if [ "$unwr" -gt 0 ]; then ok "$fs $st: writes over unwritten extents fell back ($unwr)"
			else not_ok "$fs $st: no write over an unwritten extent fell back (unwritten + not_overwrite + map_failed 0)"; fi
			positive "$fs $st: extending writes fell back" write_fallback_beyond_eof
			# Misaligned in position or memory: misaligned; sub-block
			# ones the fs asks to wait or to be overwrite-only: flags.
			# (7.x takes a buffer misaligned only in memory where the
			# device's DMA alignment allows, and so do we: a hit.)
			mis=$(($(write_counter write_fallback_misaligned) + $(write_counter write_fallback_flags)))
			if [ "$mis" -gt 0 ]; then ok "$fs $st: misaligned and sub-block writes fell back ($mis)"
			else not_ok "$fs $st: no misaligned or sub-block write fell back (misaligned + flags 0)"; fi
			[ "$mb" = 0 ] && positive "$fs $st: larger writes fell back" write_fallback_too_large
			[ "$fs" = xfs-reflink ] && positive "$fs $st: writes over shared extents fell back" write_fallback_shared
			expect_eq "$fs $st: no write errors" 0 "$(write_counter write_errors)"
			expect_eq "$fs $st: nothing in flight" 0 "$(counter in_flight)"
		done
		echo 0 >"$SDIO_SYS/simple_write"
		echo 0 >"$SDIO_SYS/max_bytes"
		;;
	esac
done
grep -q '^simple_dio ' /proc/modules && check "module unloads" sdio_unload
i=0
for fs in $fss; do
	i=$((i + 1))
	ref=$(cat "/tmp/fsxw.$fs.none")
	info "$fs: $ref"
	for st in $states; do
		[ "$st" = none ] && continue
		expect_eq "$fs $st: same final model and misaligned outcomes as without the module" \
			"$ref" "$(cat "/tmp/fsxw.$fs.$st")"
	done
	# The clones make shared extents only where reflink is on.
	clones=$(cat "/tmp/fsxw.$fs.none.clones")
	if [ "$fs" = xfs-reflink ]; then
		if [ "${clones:-0}" -gt 0 ]; then ok "$fs: $clones clones shared extents"
		else not_ok "$fs: no clone succeeded"; fi
	else
		expect_eq "$fs: no clone (no reflink)" 0 "$clones"
	fi
	umount "/mnt/$fs"
	rm_nullb "fw$i"
done
dmesg_check fsx-write
finish
