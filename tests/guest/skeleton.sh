#!/bin/sh
# The skeleton's guarantees: the hook routes iomap_dio_rw through us
# (exact call counts on ext4 and xfs, none for buffered reads), the knobs
# reject bad input without changing, and load/unload cycles leave a
# working kernel path behind. On 7.3 reads of up to a block are the
# kernel's own simple path: nothing of ours runs for them with
# simple_read=1, simple_read=0 turns that path off before it maps (each
# read counted as bypassed), and reads above a block are ours up to
# max_bytes.
. /sdio/tests/lib.sh

check "module loads" sdio_load
# An ftrace direct call, not a livepatch: no 'K' taint, no livepatch.
expect_eq "no livepatch registered" no "$([ -e /sys/kernel/livepatch/simple_dio ] && echo yes || echo no)"
taint=$(cat /proc/sys/kernel/tainted)
expect_eq "kernel not tainted as live patched (bit 15)" 0 $(((taint >> 15) & 1))
expect_eq "simple_read defaults to 1" 1 "$(cat $SDIO_SYS/simple_read)"
expect_eq "alloc_cache defaults to 1" 1 "$(cat $SDIO_SYS/alloc_cache)"

i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb "sk$i" 512) || die "null_blk for $fs"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs/mount $fs"
	dio-check prep "/mnt/$fs/f" 16M 3 || die "prep $fs"
	for n in 1 1000; do
		if [ "$(counter kernel_simple_path)" = 1 ]; then
			before=$(counter entered)
			dio-check readn "/mnt/$fs/f" $n 4096 || not_ok "$fs: $n reads failed"
			expect_eq "$fs: $n 4K reads run the kernel's simple path, nothing of ours" \
				"$before" "$(counter entered)"
			echo 16384 >"$SDIO_SYS/max_bytes"
			before=$(counter calls)
			dio-check readn "/mnt/$fs/f" $n 8192 || not_ok "$fs: $n 8K reads failed"
			expect_eq "$fs: $n 8K reads with max_bytes=16384 add $n calls" \
				$n $(($(counter calls) - before))
			echo 0 >"$SDIO_SYS/max_bytes"
			echo 0 >"$SDIO_SYS/simple_read"
			before=$(counter kernel_simple_bypassed) entered=$(counter entered)
			dio-check readn "/mnt/$fs/f" $n 4096 || not_ok "$fs: $n reads failed"
			expect_eq "$fs: simple_read=0: $n 4K reads bypass the kernel's simple path" \
				$n $(($(counter kernel_simple_bypassed) - before))
			expect_eq "$fs: simple_read=0: ... and enter nothing of ours" \
				"$entered" "$(counter entered)"
			echo 1 >"$SDIO_SYS/simple_read"
			continue
		fi
		before=$(counter calls)
		dio-check readn "/mnt/$fs/f" $n 4096 || not_ok "$fs: $n reads failed"
		after=$(counter calls)
		expect_eq "$fs: $n O_DIRECT 4K reads add $n calls" $n $((after - before))
	done
	before=$(counter calls)
	dio-check readn "/mnt/$fs/f" 500 4096 --buffered || not_ok "$fs: buffered reads failed"
	expect_eq "$fs: buffered reads add no calls" 0 $(($(counter calls) - before))
done

# Bad writes: each must fail and leave the value as it was.
for knob in simple_read alloc_cache; do
	for val in 0 1; do
		echo $val >"$SDIO_SYS/$knob"
		for bad in 2 -1 abc "" 10 " 1" 1x; do
			if echo "$bad" >"$SDIO_SYS/$knob" 2>/dev/null; then
				not_ok "$knob: write of '$bad' accepted"
			fi
			expect_eq "$knob=$val: '$bad' rejected, value kept" $val "$(cat $SDIO_SYS/$knob)"
		done
		long=$(head -c 4096 /dev/zero | tr '\0' 1)
		if printf '%s' "$long" >"$SDIO_SYS/$knob" 2>/dev/null; then
			not_ok "$knob: 4 KiB write accepted"
		fi
		expect_eq "$knob=$val: 4 KiB string rejected, value kept" $val "$(cat $SDIO_SYS/$knob)"
	done
	echo 1 >"$SDIO_SYS/$knob"
done
if printf 'rset' >"$SDIO_SYS/stats" 2>/dev/null; then not_ok "stats accepted 'rset'"; else ok "stats rejects 'rset'"; fi
echo reset >"$SDIO_SYS/stats"
expect_eq "stats reset zeroes calls" 0 "$(counter calls)"

check "unload after use" sdio_unload
expect_eq "/sys/kernel/iomap gone after unload" no "$([ -e $SDIO_SYS ] && echo yes || echo no)"

cycles=0
for c in 1 2 3 4 5 6 7 8 9 10; do
	sdio_load && sdio_unload && cycles=$((cycles + 1))
done
expect_eq "10 idle load/unload cycles" 10 $cycles

# With the module gone the kernel's own path still reads correctly.
for fs in ext4 xfs; do
	check "$fs: data correct without the module" \
		dio-check diff "/mnt/$fs/f" --ops 2000 --pattern-seed 3 --states -- --engine io_uring
	out=$(fio --name=r --filename="/mnt/$fs/f" --rw=randread --bs=4k --direct=1 \
		--ioengine=io_uring --iodepth=16 --size=16M --runtime=1 --time_based \
		--verify=0 --minimal 2>&1)
	# Read KiB, not IOPS: on the debug kernel beside other guests a
	# one-second run can read a single block (IOPS rounds to 0).
	kib=$(echo "$out" | awk -F';' '$5 == 0 { print int($6) }')	# $5: fio's error
	iops=$(echo "$out" | awk -F';' '{ print $8 }')
	if [ "${kib:-0}" -gt 0 ]; then ok "$fs: fio reads without the module ($kib KiB, $iops IOPS)"; else not_ok "$fs: fio failed: $out"; fi
done
dmesg_check skeleton
finish
