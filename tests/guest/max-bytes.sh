#!/bin/sh
# max_bytes: reads up to max_bytes that map to one extent and fit one bio
# take the simple path; reads straddling two extents fall back as
# multi_extent and still return the right bytes. ext4 and xfs.
. /sdio/tests/lib.sh
check "module loads" sdio_load
expect_eq "max_bytes defaults to 0 (one block)" 0 "$(cat $SDIO_SYS/max_bytes)"
for good in 512 16384 1048576 0; do
	echo $good >"$SDIO_SYS/max_bytes" && expect_eq "max_bytes accepts $good" $good "$(cat $SDIO_SYS/max_bytes)" ||
		not_ok "max_bytes rejected $good"
done
echo 8192 >"$SDIO_SYS/max_bytes"
for bad in 511 513 3000 2097152 -1 abc "" 0x1000 " 8"; do
	echo "$bad" >"$SDIO_SYS/max_bytes" 2>/dev/null && not_ok "max_bytes accepted '$bad'"
	expect_eq "max_bytes rejects '$bad', value kept" 8192 "$(cat $SDIO_SYS/max_bytes)"
done

i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb "mb$i" 1024) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	dio-check prep "/mnt/$fs/f" 64M 51 || die "prep"
	# Fragmented on purpose: 64 KiB extents interleaved with another file.
	dio-check prep-frag "/mnt/$fs/frag" 16M 52 65536 || die "prep-frag"
	info "$fs frag: $(filefrag "/mnt/$fs/frag")"
	for max in 8192 16384 65536 1048576; do
		echo $max >"$SDIO_SYS/max_bytes"
		ops=2000
		[ $max -ge 65536 ] && ops=300
		[ $max -ge 1048576 ] && ops=60
		echo reset >"$SDIO_SYS/stats"
		check "$fs max_bytes=$max: contiguous file, reads identical in both states" \
			dio-check diff "/mnt/$fs/f" --ops $ops --max-len $max --pattern-seed 51 --engine io_uring
		h=$(counter hits) big=$(counter fallback_too_large)
		[ "$h" -gt 0 ] && ok "$fs max_bytes=$max: hits $h, too_large $big" || not_ok "$fs max_bytes=$max: no hits"
		echo reset >"$SDIO_SYS/stats"
		check "$fs max_bytes=$max: fragmented file, reads identical in both states" \
			dio-check diff "/mnt/$fs/frag" --ops $ops --max-len $max --pattern-seed 52 --engine libaio
		m=$(counter fallback_multi_extent) h=$(counter hits)
		if [ $max -gt 65536 ] || [ $max = 65536 ]; then
			[ "$m" -gt 0 ] && ok "$fs max_bytes=$max: extent-straddling reads fall back ($m), hits $h" ||
				not_ok "$fs max_bytes=$max: no multi_extent fallbacks"
		else
			[ "$h" -gt 0 ] && ok "$fs max_bytes=$max: fragmented file still hits ($h, multi_extent $m)" || not_ok "$fs max_bytes=$max: no hits"
		fi
	done
	# A read of exactly one extent boundary: 16 KiB across 64 KiB.
	echo 65536 >"$SDIO_SYS/max_bytes"
	echo reset >"$SDIO_SYS/stats"
	out=$(dio-check at "/mnt/$fs/frag" 57344 16384 --pattern-seed 52)
	case "$out" in *"pattern ok"*) ok "$fs: read across an extent boundary returns the pattern" ;; *) not_ok "$fs: boundary read: $out" ;; esac
	expect_eq "$fs: read across an extent boundary falls back as multi_extent" 1 "$(counter fallback_multi_extent)"
	echo reset >"$SDIO_SYS/stats"
	dio-check at "/mnt/$fs/frag" 65536 65536 --pattern-seed 52 >/dev/null
	expect_eq "$fs: 64 KiB read of one extent hits" 1 "$(counter hits)"
	expect_eq "$fs: 16 vecs come from the mempool, not the per-CPU cache" 1 "$(counter alloc_mempool)"
done
echo 0 >"$SDIO_SYS/max_bytes"
expect_eq "nothing in flight" 0 "$(counter in_flight)"
check "module unloads" sdio_unload
dmesg_check max-bytes
finish
