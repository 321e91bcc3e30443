#!/bin/sh
# Reads that must fall back, each counted under its reason, and reads that
# must hit; data correct either way. Also page-cache coherence.
. /sdio/tests/lib.sh
check "module loads" sdio_load

# expect_reason WHAT REASON CMD...: CMD raises fallback_REASON by one and
# hits by none.
expect_reason() {
	what=$1 reason=$2
	shift 2
	echo reset >"$SDIO_SYS/stats"
	out=$("$@" 2>&1)
	fb=$(counter "fallback_$reason") hits=$(counter hits)
	if [ "$fb" = 1 ] && [ "$hits" = 0 ]; then ok "$what: falls back as $reason ($(echo $out))"
	else not_ok "$what: fallback_$reason=$fb hits=$hits ($(echo $out))"; fi
	last=$out
}
expect_hit() {
	what=$1
	shift
	echo reset >"$SDIO_SYS/stats"
	out=$("$@" 2>&1)
	if [ "$(counter hits)" = 1 ]; then ok "$what: hits ($(echo $out))"
	else not_ok "$what: hits=$(counter hits) ($(echo $out))"; fi
	last=$out
}
has() { case "$last" in *"$1"*) ok "$2" ;; *) not_ok "$2: got '$(echo $last)'" ;; esac; }

# 7.3: reads of up to a block are the kernel's own simple path, ours take
# larger ones up to max_bytes. File systems with 1K blocks and
# max_bytes=4096 make the 4K reads below ours there too.
kernel_simple=$(counter kernel_simple_path)
if [ "$kernel_simple" = 1 ]; then
	SDIO_FS_BLOCK=1024
	echo 4096 >"$SDIO_SYS/max_bytes"
fi
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb "fb$i" 512) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	f=/mnt/$fs/f
	dio-check prep "$f" 1M 5 || die "prep"

	expect_hit "$fs: aligned 4K read inside the file" dio-check at "$f" 8192 4096 --pattern-seed 5
	has "pattern ok" "$fs: aligned read returns the pattern"
	if [ "$kernel_simple" = 1 ]; then
		before=$(counter entered)
		last=$(dio-check at "$f" 512 512 --pattern-seed 5 2>&1)
		expect_eq "$fs: 512 B read (within a block) runs the kernel's simple path, nothing of ours" \
			"$before" "$(counter entered)"
	else
		expect_hit "$fs: aligned 512 B read" dio-check at "$f" 512 512 --pattern-seed 5
	fi
	has "pattern ok" "$fs: 512 B read returns the pattern"
	expect_hit "$fs: 512-aligned buffer across a page end" dio-check at "$f" 4096 4096 --buf-off 3584 --pattern-seed 5
	has "pattern ok" "$fs: page-straddling buffer returns the pattern"

	# Sparse file: data at 0..64K, a hole up to 1M, data again after.
	dio-check prep "$f.sparse" 64K 5 || die "prep sparse"
	dio-check at "$f.sparse" 1048576 65536 --write --pattern-seed 5 >/dev/null
	expect_reason "$fs: read of a hole" hole dio-check at "$f.sparse" 262144 4096
	has "pattern zero" "$fs: hole reads as zeros"

	fallocate -l 1M "$f.prealloc" || die "fallocate"
	expect_reason "$fs: read of an unwritten extent" unwritten dio-check at "$f.prealloc" 4096 4096
	has "pattern zero" "$fs: unwritten extent reads as zeros"

	expect_reason "$fs: read straddling EOF (4K)" beyond_eof dio-check at "$f" 1046528 4096 --pattern-seed 5
	has "ret 2048" "$fs: straddling read is short"
	expect_reason "$fs: read past EOF" beyond_eof dio-check at "$f" 2097152 4096
	has "ret 0" "$fs: read past EOF returns 0"
	expect_reason "$fs: read larger than max_bytes" too_large dio-check at "$f" 0 8192 --pattern-seed 5
	has "pattern ok" "$fs: large read returns the pattern"
	expect_reason "$fs: O_DIRECT write" write dio-check at "$f" 0 4096 --write --pattern-seed 5

	# Misaligned O_DIRECT is -EINVAL from iomap, in both states.
	if true; then
		expect_reason "$fs: misaligned offset" misaligned dio-check at "$f" 100 4096
		has "ret -22" "$fs: misaligned offset is -EINVAL with simple_read=1"
		expect_reason "$fs: misaligned buffer" misaligned dio-check at "$f" 0 4096 --buf-off 1
		has "ret -22" "$fs: misaligned buffer is -EINVAL with simple_read=1"
		echo 0 >"$SDIO_SYS/simple_read"
		out=$(dio-check at "$f" 100 4096)
		case "$out" in *"ret -22"*) ok "$fs: misaligned is -EINVAL with simple_read=0" ;; *) not_ok "$fs: simple_read=0 misaligned: $out" ;; esac
		echo 1 >"$SDIO_SYS/simple_read"
	fi

	# simple_read=0: the hook is removed, the read reaches nothing of ours;
	# on 7.3 a read of one block is declined by the bypass before mapping.
	echo 0 >"$SDIO_SYS/simple_read"
	len=4096
	[ "$kernel_simple" = 1 ] && len=1024
	before=$(counter entered) bypassed=$(counter kernel_simple_bypassed)
	out=$(dio-check at "$f" 8192 $len --pattern-seed 5 2>&1)
	case "$out" in
	*"pattern ok"*) expect_eq "$fs: simple_read=0 reads correctly and enters nothing of ours" "$before" "$(counter entered)" ;;
	*) not_ok "$fs: simple_read=0 read: $out" ;;
	esac
	expect_eq "$fs: simple_read=0: the read bypasses the kernel's simple path (7.3), or none exists" \
		"$kernel_simple" $(($(counter kernel_simple_bypassed) - bypassed))
	echo 1 >"$SDIO_SYS/simple_read"

	# Coherence: dirty page cache over the range is written back first.
	echo reset >"$SDIO_SYS/stats"
	check "$fs: O_DIRECT read sees a buffered write not yet written back" dio-check coherence "$f" 16384
	expect_eq "$fs: the coherent read took the simple path" 1 "$(counter hits)"
done
# Tracepoints: a hit emits submit + complete, a fallback names its reason.
# On every kernel: the module is no livepatch module any more, so 6.1's
# tracing core creates its events too.
tr=/sys/kernel/tracing
if [ -d $tr/events/simple_dio ]; then
	echo > $tr/trace
	echo 1 > $tr/events/simple_dio/enable
	dio-check at /mnt/ext4/f 8192 4096 >/dev/null
	dio-check at /mnt/ext4/f.sparse 262144 4096 >/dev/null
	echo 0 > $tr/events/simple_dio/enable
	grep -q 'sdio_submit:.*count 4096' $tr/trace && ok "tracepoint sdio_submit" || not_ok "no sdio_submit event"
	grep -q 'sdio_complete:.*ret 4096' $tr/trace && ok "tracepoint sdio_complete" || not_ok "no sdio_complete event"
	grep -q 'sdio_fallback:.*reason hole' $tr/trace && ok "tracepoint sdio_fallback names the reason" || not_ok "no sdio_fallback hole event"
else
	not_ok "tracepoints: no events/simple_dio in tracefs"
fi
dmesg_check fallback
check "module unloads" sdio_unload
finish
