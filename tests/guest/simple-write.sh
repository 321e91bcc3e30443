#!/bin/sh
# The simple write path (issue 24): the knob, the overwrites it serves on
# every engine with the data right (O_DIRECT and page cache readers), the
# O_DSYNC choice between REQ_FUA and a sync after the write, the writes it
# must leave to the kernel, each counted under its reason, and nothing of
# ours with simple_write=0.
. /sdio/tests/lib.sh

check "module loads" sdio_load
expect_eq "simple_write defaults to 0" 0 "$(cat "$SDIO_SYS/simple_write")"
for val in 2 -1 "1 1" yes 01; do
	if printf '%s' "$val" >"$SDIO_SYS/simple_write" 2>/dev/null; then
		not_ok "simple_write rejects '$val'"
	else ok "simple_write rejects '$val'"; fi
done
expect_eq "simple_write still 0 after bad writes" 0 "$(cat "$SDIO_SYS/simple_write")"

# write_reason WHAT REASON CMD...: CMD adds one write_fallback_REASON and
# no write hit.
write_reason() {
	what=$1 reason=$2
	shift 2
	echo reset >"$SDIO_SYS/stats"
	out=$("$@" 2>&1)
	fb=$(counter "write_fallback_$reason") hits=$(counter write_hits)
	if [ "$fb" = 1 ] && [ "$hits" = 0 ]; then ok "$what: falls back as $reason"
	else not_ok "$what: write_fallback_$reason=$fb write_hits=$hits ($out)"; fi
}

# seq_writes FILE N: N 4K O_DIRECT writes from offset 0 on, in order, by
# one process (dio-write fill's order is random).
seq_writes() {
	diobench run "$1" --engine sync --rw write --bs 4k --iodepth 1 \
		--number-ios "$2" >/dev/null 2>&1
}

# sum_positive WHAT N: N > 0.
sum_positive() {
	if [ "$2" -gt 0 ]; then ok "$1 ($2)"; else not_ok "$1: 0"; fi
}

# 512-byte logical blocks, and a second device with 4096 and a volatile
# write cache (FUA, flushes), the case where O_DSYNC's choice matters.
i=0
for fs in ext4 xfs; do
	for geom in "512" "4096 cache_size=64"; do
		i=$((i + 1))
		# shellcheck disable=SC2086 # geometry and options split on purpose
		dev=$(mk_nullb "sw$i" 512 blocksize=$geom) || die "null_blk"
		mk_fs "$fs" "$dev" "/mnt/sw$i" || die "mkfs $fs"
		f=/mnt/sw$i/f
		tag="$fs, ${geom%% *}-byte blocks"
		case $geom in *cache*) tag="$tag, volatile cache" ;; esac
		dio-check prep "$f" 4M 1 || die "prep $tag"
		cache=$(cat "/sys/block/sw$i/queue/write_cache")
		fua=$(cat "/sys/block/sw$i/queue/fua" 2>/dev/null || echo 0)
		info "$tag: write_cache '$cache', fua $fua"

		# simple_write=0: writes come through no hook of ours, or, with
		# simple_read=1 hooking iomap_dio_rw, as fallback_write.
		echo reset >"$SDIO_SYS/stats"
		dio-write fill "$f" 4M 2 >/dev/null || not_ok "$tag: writes with simple_write=0"
		expect_eq "$tag: simple_write=0: no write hit" 0 "$(counter write_hits)"
		dio-write verify "$f" 4M 2 || not_ok "$tag: data after simple_write=0 writes"

		echo 1 >"$SDIO_SYS/simple_write" || die "simple_write=1"
		# The first async write of a file system creates its dio workqueue
		# (the kernel's path does): one fallback, then hits.
		dio-write fill "$f" 64k 3 --engine io_uring >/dev/null || not_ok "$tag: first async writes"
		seed=10
		# From the second engine on, the writes go over the page cache the
		# last buffered read left: they must drop it (NOWAIT: -EAGAIN first).
		for e in pwrite pwritev2-dsync pwritev2-nowait pwritev2-hipri odsync libaio io_uring io_uring-dsync io_uring-poll; do
			seed=$((seed + 1))
			echo reset >"$SDIO_SYS/stats"
			out=$(dio-write fill "$f" 4M $seed --engine $e 2>&1) || not_ok "$tag: $e: $out"
			expect_eq "$tag: $e: 1024 overwrites, 1024 write hits" 1024 "$(counter write_hits)"
			dio-write verify "$f" 4M $seed || not_ok "$tag: $e: O_DIRECT reader sees the data"
			dio-write verify "$f" 4M $seed --buffered ||
				not_ok "$tag: $e: the page cache read before the writes was dropped"
			echo 1 >/proc/sys/vm/drop_caches
			dio-write verify "$f" 4M $seed --buffered || not_ok "$tag: $e: page cache reader sees the data"
			case $e in
			*dsync)
				# Written through (FUA) or synced after, never neither.
				expect_eq "$tag: $e: every O_DSYNC hit is FUA or synced" 1024 \
					$(($(counter write_hits_fua) + $(counter write_hits_synced))) ;;
			*)
				expect_eq "$tag: $e: no sync without O_DSYNC" 0 \
					$(($(counter write_hits_fua) + $(counter write_hits_synced))) ;;
			esac
			case $e in
			pwrite*|odsync) expect_eq "$tag: $e: sync hits" 1024 "$(counter write_hits_sync)" ;;
			esac
			expect_eq "$tag: $e: nothing in flight" 0 "$(counter in_flight)"
		done
		# Over dirty page cache (a buffered write not yet written back):
		# the kernel writes it back before a direct write, so the direct
		# write's data wins; skipped, the old data would be written back
		# over it later.
		for e in pwrite io_uring; do
			seed=$((seed + 1))
			dd if=/dev/zero of="$f" bs=4k count=1024 conv=notrunc 2>/dev/null ||
				not_ok "$tag: buffered write before $e"
			echo reset >"$SDIO_SYS/stats"
			dio-write fill "$f" 4M $seed --engine $e >/dev/null || not_ok "$tag: $e over dirty page cache"
			expect_eq "$tag: $e over dirty page cache: 1024 write hits" 1024 "$(counter write_hits)"
			dio-write verify "$f" 4M $seed --buffered ||
				not_ok "$tag: $e: the dirty page cache went out before the writes, not over them"
			sync
			echo 1 >/proc/sys/vm/drop_caches
			dio-write verify "$f" 4M $seed || not_ok "$tag: $e: after writeback the file holds the direct writes"
		done
		# With a volatile cache and FUA the O_DSYNC writes are FUA writes.
		if [ "$cache" = "write back" ] && [ "$fua" = 1 ]; then
			echo reset >"$SDIO_SYS/stats"
			dio-write fill "$f" 1M 30 --engine pwritev2-dsync >/dev/null || not_ok "$tag: dsync"
			expect_eq "$tag: O_DSYNC overwrites on a FUA device go out as FUA" 256 \
				"$(counter write_hits_fua)"
		fi

		# What the path must leave to the kernel, data right either way.
		write_reason "$tag: 8K write, max_bytes 0 (one block)" too_large \
			dio-write fill "$f" 8k 40 --bs 8k
		echo 16384 >"$SDIO_SYS/max_bytes"
		echo reset >"$SDIO_SYS/stats"
		dio-write fill "$f" 4M 41 --bs 16k >/dev/null || not_ok "$tag: 16K writes"
		expect_eq "$tag: 16K overwrites with max_bytes=16384 hit" 256 "$(counter write_hits)"
		dio-write verify "$f" 4M 41 || not_ok "$tag: 16K overwrites' data"
		echo 0 >"$SDIO_SYS/max_bytes"
		# Beyond EOF: a size change.
		truncate -s 4M "$f.grow" && dio-write fill "$f.grow" 4M 42 >/dev/null &&
			dio-write fill "$f.grow" 4M 43 >/dev/null || not_ok "$tag: fill a new file"
		echo reset >"$SDIO_SYS/stats"
		dio-write at "$f.grow" 0 4k 44 --append || not_ok "$tag: O_DIRECT append"
		expect_eq "$tag: an O_APPEND write is not ours" 0 "$(counter write_hits)"
		sum_positive "$tag: ... counted under append or beyond_eof" \
			$(($(counter write_fallback_append) + $(counter write_fallback_beyond_eof)))
		# A hole inside i_size: not a pure overwrite, whatever the fs
		# says (ext4 6.x: not_overwrite; xfs: the overwrite-only mapping
		# declines; 7.x ext4 allocates it: new or unwritten).
		truncate -s 8M "$f.grow"
		echo reset >"$SDIO_SYS/stats"
		dio-write at "$f.grow" 6000k 4k 45 || not_ok "$tag: O_DIRECT write into a hole"
		expect_eq "$tag: a write into a hole is no write hit" 0 "$(counter write_hits)"
		sum_positive "$tag: ... counted under hole, not_overwrite, map_failed, new or unwritten" \
			$(($(counter write_fallback_hole) + $(counter write_fallback_not_overwrite) + \
			   $(counter write_fallback_map_failed) + $(counter write_fallback_new) + \
			   $(counter write_fallback_unwritten)))
		# Unwritten (fallocated) extents.
		fallocate -l 1M "$f.prealloc" || not_ok "$tag: fallocate"
		echo reset >"$SDIO_SYS/stats"
		dio-write at "$f.prealloc" 64k 4k 46 || not_ok "$tag: O_DIRECT write into an unwritten extent"
		expect_eq "$tag: a write into an unwritten extent is no write hit" 0 "$(counter write_hits)"
		# A run of hole-filling writes (64, sequential): mapped only
		# every 16th on a CPU, the others fall back as streak; a run
		# that reaches written blocks hits again within 16 writes.
		rm -f "$f.run" && truncate -s 256k "$f.run"
		echo reset >"$SDIO_SYS/stats"
		seq_writes "$f.run" 64 || not_ok "$tag: sequential writes into holes"
		expect_eq "$tag: hole-filling run: no write hit" 0 "$(counter write_hits)"
		# (6.x ext4 passes non-overwrite ops for these: all 64 fall
		# back unmapped as not_overwrite, no probe to save.)
		streak=$(counter write_fallback_streak) unmapped=$(counter write_fallback_not_overwrite)
		if [ "$unmapped" = 64 ] && [ "$streak" = 0 ]; then ok "$tag: hole-filling run: all 64 unmapped (not_overwrite)"
		elif [ "$streak" -ge 30 ] && [ "$streak" -le 60 ]; then ok "$tag: hole-filling run: $streak of 64 not mapped (streak)"
		else not_ok "$tag: hole-filling run: write_fallback_streak $streak, not 30..60 of 64 ($(grep '^write_fallback_.* [1-9]' "$SDIO_SYS/stats" | tr '\n' ' '))"; fi
		rm -f "$f.run" && truncate -s 256k "$f.run" &&
			dio-write at "$f.run" 64k 192k 48 >/dev/null || not_ok "$tag: write the run's tail"
		sync
		echo reset >"$SDIO_SYS/stats"
		seq_writes "$f.run" 64 || not_ok "$tag: sequential writes, holes then written"
		hits=$(counter write_hits)
		if [ "$hits" -ge 32 ]; then ok "$tag: run into written blocks: $hits of 48 hit again"
		else not_ok "$tag: run into written blocks: $hits write hits of 48, want >= 32"; fi
		dio-write verify "$f" 4M 41 || not_ok "$tag: data unchanged by the other files' writes"

		echo 0 >"$SDIO_SYS/simple_write"
		echo reset >"$SDIO_SYS/stats"
		dio-write fill "$f" 1M 50 >/dev/null || not_ok "$tag: writes after simple_write=0"
		expect_eq "$tag: simple_write back at 0: no write hit" 0 "$(counter write_hits)"
		umount "/mnt/sw$i" && rm_nullb "sw$i"
	done
done

echo 1 >"$SDIO_SYS/simple_write"
check "module unloads with simple_write=1" sdio_unload
dmesg_check "simple-write"
finish
