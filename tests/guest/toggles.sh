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
[ "$(cat /tmp/flips)" -gt 20 ] && ok "knobs flipped $(cat /tmp/flips) times" || not_ok "too few flips"
hits=$(counter hits) disabled=$(counter fallback_disabled)
[ "$hits" -gt 0 ] && [ "$disabled" -gt 0 ] && ok "both states served reads (hits $hits, disabled $disabled)" || not_ok "hits $hits disabled $disabled"
expect_eq "nothing in flight" 0 "$(counter in_flight)"
check "module unloads" sdio_unload
dmesg_check toggles
finish
