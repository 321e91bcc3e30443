#!/bin/sh
# Differential check: one seeded random read sequence per engine, run on
# the stock kernel (no module), then with simple_read=0 and =1; every byte
# must equal the file's pattern and every return value must match between
# the three (the module's run compares its two states itself; the stock run
# is compared by the digest of all return values). Then the same through a
# loop device with direct I/O on an ext4 file (kernel-internal bvecs).
# On 7.3 reads go up to 16K, so that ours (above a block) run beside the
# kernel's own simple path (lib.sh).
# SDIO_ARGS: ops per engine (default 4000: 24,000 reads per file system).
. /sdio/tests/lib.sh
ops=${SDIO_ARGS:-4000}
engines="pread preadv2-nowait preadv2-hipri libaio io_uring io_uring-poll"
# summary OUTPUT: dio-check diff's counts and return digest, without names.
summary() { echo "$1" | sed -n 's/^# [^:]*: [0-9]* reads x 2 states ([^)]*): //p'; }
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb "df$i" 512) || die "null_blk"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	dio-check prep "/mnt/$fs/f" 64M 11 || die "prep"
	# The stock kernel's answers, before the module is loaded.
	for engine in $engines; do
		out=$(dio-check diff "/mnt/$fs/f" --ops "$ops" --seed "$i$ops" \
			--pattern-seed 11 --engine "$engine" --max-len $SDIO_MAX_LEN \
			--states -- 2>&1) ||
			not_ok "$fs $engine: stock kernel run: $(echo "$out" | tail -n 1)"
		eval "stock_${fs}_$(echo "$engine" | tr -- - _)=\$(summary \"\$out\")"
	done
done
check "module loads" sdio_load
sdio_widen
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	total=0
	for engine in $engines; do
		echo reset >"$SDIO_SYS/stats"
		out=$(dio-check diff "/mnt/$fs/f" --ops "$ops" --seed "$i$ops" \
			--pattern-seed 11 --engine "$engine" --max-len $SDIO_MAX_LEN 2>&1)
		rc=$?
		echo "$out" | sed 's/^/# /'
		if [ $rc -eq 0 ]; then ok "$fs $engine: $ops reads identical in both states"; else not_ok "$fs $engine: mismatch"; fi
		eval "stock=\$stock_${fs}_$(echo "$engine" | tr -- - _)"
		expect_eq "$fs $engine: same return values as the stock kernel" "$stock" "$(summary "$out")"
		hits=$(counter hits)
		[ "$hits" -gt 0 ] && ok "$fs $engine: simple path hit $hits times" || not_ok "$fs $engine: no hits"
		case $engine in
		pread|preadv2-*) [ "$(counter hits_sync)" = "$hits" ] && ok "$fs $engine: all hits sync" || not_ok "$fs $engine: hits_sync $(counter hits_sync) != $hits" ;;
		io_uring-poll) [ "$(counter hits_polled)" -gt 0 ] && ok "$fs $engine: polled hits $(counter hits_polled)" || not_ok "$fs $engine: no polled hits" ;;
		esac
		total=$((total + ops))
	done
	info "$fs: $total reads per state, stats after io_uring-poll:"
	grep -v ' 0$' "$SDIO_SYS/stats" | sed 's/^/@@SDIO INFO   /'
	expect_eq "$fs: nothing in flight" 0 "$(counter in_flight)"
done

# Loop device with direct I/O on an ext4 file: loop issues bvec reads
# through ext4's ->read_iter, which the simple path must serve.
dio-check prep /mnt/ext4/loopback 32M 12 || die "prep loop backing"
modprobe loop
loopdev=$(/usr/sbin/losetup -f --show --direct-io=on /mnt/ext4/loopback) || die "losetup"
expect_eq "loop device uses direct I/O" 1 "$(cat /sys/block/${loopdev#/dev/}/loop/dio)"
echo reset >"$SDIO_SYS/stats"
check "loop on ext4: reads identical in both states" \
	dio-check diff "$loopdev" --ops 2000 --pattern-seed 12 --engine io_uring --max-len $SDIO_MAX_LEN
hits=$(counter hits)
[ "$hits" -gt 0 ] && ok "loop on ext4: backing-file reads hit the simple path ($hits)" || not_ok "loop: no hits"
/usr/sbin/losetup -d "$loopdev"
check "module unloads" sdio_unload
dmesg_check differential
finish
