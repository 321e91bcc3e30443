#!/bin/sh
# Flip simple_read and alloc_cache many times per second while verifying
# readers run on ext4 and xfs: no mismatch, no error, nothing left in
# flight, and at least 20 flips under the readers.
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
		# Renamed into place: a reader never sees it half written.
		echo "$n" >/tmp/flips.new && mv /tmp/flips.new /tmp/flips
		usleep 5000
	done
}
echo 0 >/tmp/flips
rm -f /tmp/stop-flipping
flipper &
fpid=$!
# reads FS ENGINE: one verifying reader, the states left to the flipper.
reads() {
	dio-check diff "/mnt/$1/f" --ops 3000 --states -- --pattern-seed 41 \
		--engine "$2" --max-len "$SDIO_MAX_LEN"
}
for fs in ext4 xfs; do
	for engine in io_uring io_uring-poll pread; do
		check "$fs $engine: reads correct while knobs flip" reads "$fs" "$engine"
	done
done
# A flip waits for grace periods: 0.07 s idle in the guest (0.2 s on
# PREEMPT_RT), up to a second beside these readers, so on a fast kernel one
# round of readers saw only 5-7 flips: read on until 40 (at most 90 s).
uptime_s() { cut -d. -f1 /proc/uptime; }
rounds=0 bad='' until=$(($(uptime_s) + 90))
while [ "$(cat /tmp/flips)" -lt 40 ] && [ "$(uptime_s)" -lt $until ]; do
	rounds=$((rounds + 1))
	for fs in ext4 xfs; do
		for engine in io_uring io_uring-poll pread; do
			reads "$fs" "$engine" >/tmp/reads.out 2>&1 ||
				bad="$bad $fs/$engine($(tail -n 1 /tmp/reads.out))"
		done
	done
done
[ -z "$bad" ] && ok "reads correct while knobs flip, $rounds more rounds" ||
	not_ok "reads while knobs flip, more rounds:$bad"
touch /tmp/stop-flipping
wait $fpid
info "knob flips during the run: $(cat /tmp/flips)"
[ "$(cat /tmp/flips)" -ge 20 ] && ok "knobs flipped $(cat /tmp/flips) times" ||
	not_ok "knobs flipped $(cat /tmp/flips) times, fewer than 20"
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
