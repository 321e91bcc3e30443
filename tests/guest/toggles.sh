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
			"/mnt/$fs/f" --ops 3000 --states -- --pattern-seed 41 --engine "$engine"
	done
done
touch /tmp/stop-flipping
wait $fpid
info "knob flips during the run: $(cat /tmp/flips)"
[ "$(cat /tmp/flips)" -gt 4 ] && ok "knobs flipped $(cat /tmp/flips) times" || not_ok "too few flips"
hits=$(counter hits)
[ "$hits" -gt 0 ] && ok "the simple path served reads while flipping (hits $hits)" || not_ok "no hits while flipping"
# simple_read=0 removes the iomap_dio_rw hook: reads then run nothing of
# ours, except on 7.3 where __iomap_dio_read_simple() is hooked to pass
# each one on (hook.c).
echo 0 >"$SDIO_SYS/simple_read"
before=$(counter entered)
dio-check readn /mnt/ext4/f 200 4096 || not_ok "reads with simple_read=0"
want=$((before + 200 * $(counter kernel_simple_path)))
expect_eq "simple_read=0: 200 reads enter our functions only on 7.3" "$want" "$(counter entered)"
echo 1 >"$SDIO_SYS/simple_read"
expect_eq "nothing in flight" 0 "$(counter in_flight)"
check "module unloads" sdio_unload
dmesg_check toggles
finish
