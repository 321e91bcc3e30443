#!/bin/sh
# I/O errors on the polled path: device mapper cannot poll, so errors.sh
# never fails a polled read. Here null_blk's own `badblocks` attribute
# fails 64 KiB inside a file's extent on a device with a poll queue, under
# ext4 and xfs: every read touching it is EIO in both states on every
# engine (sync, libaio, io_uring, io_uring IOPOLL), good ranges still read
# correctly, the simple path counts the errors, nothing stays in flight and
# the module unloads afterwards. On 7.3 reads of up to a block are the
# kernel's own simple path (uncounted): reads go up to SDIO_MAX_LEN there,
# so those above a block are ours and count (lib.sh, sdio_widen).
. /sdio/tests/lib.sh
engines="pread preadv2-hipri libaio io_uring io_uring-poll"
# The debug kernel (6.12.118 with KASAN): 6.12's own io_uring IOPOLL read
# of a bad block polls a freed fs_bio_set bio ("slab-use-after-free in
# bio_poll" from iocb_bio_iopoll), reproduced with no module ever loaded
# ("Not tainted"), and panics. The kernel's bug: IOPOLL is left out there.
[ "$SDIO_IOPOLL" = 1 ] || engines="pread preadv2-hipri libaio io_uring"
check "module loads" sdio_load
sdio_widen
i=0
for fs in ext4 xfs; do
	i=$((i + 1))
	dev=$(mk_nullb "pe$i" 512) || die "null_blk"
	[ -e "/sys/kernel/config/nullb/pe$i/badblocks" ] || die "null_blk has no badblocks attribute"
	mk_fs "$fs" "$dev" "/mnt/$fs" || die "mkfs $fs"
	f=/mnt/$fs/f
	dio-check prep "$f" 8M 41 || die "prep"
	sync
	# Physical 4K block of file offset 1 MiB (the extent holding it).
	phys=$(filefrag -v -b4096 "$f" | awk '
		/^ *[0-9]+:/ {
			gsub(/\.\./, " "); gsub(/:/, " ")
			if ($2 + 0 <= 256 && $3 + 0 >= 271) { print $4 + 256 - $2; exit }
		}')
	[ -n "$phys" ] || die "$fs: no single extent holds file bytes 1M..1M+64K"
	bad_start=$((phys * 8)) bad_end=$((phys * 8 + 127))
	echo "+$bad_start-$bad_end" >"/sys/kernel/config/nullb/pe$i/badblocks" || die "badblocks"
	info "$fs: badblocks $(cat "/sys/kernel/config/nullb/pe$i/badblocks" | tr '\n' ' ') = file bytes 1M..1M+64K"

	for engine in $engines; do
		echo reset >"$SDIO_SYS/stats"
		out=$(dio-check diff "$f" --ops 200 --range 1048576,65536 \
			--max-len $SDIO_MAX_LEN --pattern-seed 41 --engine "$engine" 2>&1)
		echo "$out" | sed 's/^/# /'
		errs=$(counter errors) polled=$(counter hits_polled)
		good=$(dio-check diff "$f" --ops 500 --range 2097152,4194304 \
			--max-len $SDIO_MAX_LEN --pattern-seed 41 --engine "$engine" 2>&1)
		echo "$good" | sed 's/^/# /'
		case "$out" in
		*"200 reads x 2 states (0,1): 0 full, 200 errors (0 EINVAL, 200 EIO, 0 EOPNOTSUPP), 0 mismatches"*)
			ok "$fs $engine: every read of the bad range is EIO in both states" ;;
		*) not_ok "$fs $engine: bad range: $out" ;;
		esac
		[ "${errs:-0}" -gt 0 ] && ok "$fs $engine: the simple path counted the errors ($errs)" ||
			not_ok "$fs $engine: errors counter ${errs:-missing}"
		if [ "$engine" = io_uring-poll ]; then
			[ "${polled:-0}" -gt 0 ] && ok "$fs $engine: the failing reads were polled ($polled)" ||
				not_ok "$fs $engine: no polled hits"
		fi
		case "$good" in
		*"500 reads x 2 states (0,1): 500 full, 0 errors"*", 0 mismatches"*) ok "$fs $engine: good range reads correctly" ;;
		*) not_ok "$fs $engine: good range: $good" ;;
		esac
		# Reads straddling the bad range's edges fail too, whole.
		edge=$(dio-check diff "$f" --ops 100 --range 1040384,81920 --max-len 16384 \
			--pattern-seed 41 --engine "$engine" 2>&1)
		echo "$edge" | sed 's/^/# /'
		case "$edge" in
		*"100 reads x 2 states (0,1): "*"(0 EINVAL, "*" 0 EOPNOTSUPP), 0 mismatches"*) ok "$fs $engine: reads across the bad range's edges agree in both states" ;;
		*) not_ok "$fs $engine: edges: $edge" ;;
		esac
		expect_eq "$fs $engine: nothing in flight" 0 "$(counter in_flight)"
	done
	umount "/mnt/$fs"
	rm_nullb "pe$i"
done
check "module unloads after the errors" sdio_unload
dmesg_check polled-errors
finish
