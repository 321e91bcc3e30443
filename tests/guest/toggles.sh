#!/bin/sh
# Flip simple_read and alloc_cache many times per second while verifying
# readers run on ext4 and xfs: no mismatch, no error, nothing left in flight.
. /sdio/tests/lib.sh
check "module loads" sdio_load
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb tg$i 512) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs"
	dio-check prep "/mnt/$fs/f" 32M 41 || die "prep"
done
# 7.3: reads of up to a block are the kernel's own simple path in state 1;
# reads up to 16K make ours run too (max_bytes), so both paths and both
# hooks (iomap_dio_rw, and the bypass of state 0) are flipped under load.
sdio_widen
# A flip of simple_read patches code (the hook) and waits for RCU tasks,
# so there are fewer flips per run than when it was a flag.
flipper() {
	n=0
	while [ ! -e /tmp/stop-flipping ]; do
		echo $((n % 2)) >"$SDIO_SYS/simple_read"
		echo $(((n / 2) % 2)) >"$SDIO_SYS/alloc_cache"
		n=$((n + 1))
		usleep 5000
	done
	echo "$n" >/tmp/flips
}
rm -f /tmp/stop-flipping
flipper &
fpid=$!
for fs in ext4 xfs; do
	for engine in io_uring io_uring-poll pread; do
		check "$fs $engine: reads correct while knobs flip" dio-check diff \
			"/mnt/$fs/f" --ops 3000 --states -- --pattern-seed 41 --engine "$engine" \
			--max-len $SDIO_MAX_LEN
	done
done
touch /tmp/stop-flipping
wait $fpid
info "knob flips during the run: $(cat /tmp/flips)"
[ "$(cat /tmp/flips)" -gt 4 ] && ok "knobs flipped $(cat /tmp/flips) times" || not_ok "too few flips"
hits=$(counter hits)
[ "$hits" -gt 0 ] && ok "the simple path served reads while flipping (hits $hits)" || not_ok "no hits while flipping"
# simple_read=0 removes the iomap_dio_rw hook: reads then run nothing of
# ours (on 7.3 only the bypass trampoline, which counts them).
echo 0 >"$SDIO_SYS/simple_read"
before=$(counter entered) bypassed=$(counter kernel_simple_bypassed)
dio-check readn /mnt/ext4/f 200 4096 || not_ok "reads with simple_read=0"
expect_eq "simple_read=0: 200 reads enter none of our functions" "$before" "$(counter entered)"
expect_eq "simple_read=0: 200 reads bypass the kernel's simple path (7.3), or none exists" \
	$((200 * $(counter kernel_simple_path))) $(($(counter kernel_simple_bypassed) - bypassed))
echo 1 >"$SDIO_SYS/simple_read"
expect_eq "nothing in flight" 0 "$(counter in_flight)"
check "module unloads" sdio_unload
dmesg_check toggles
finish
