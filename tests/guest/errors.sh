#!/bin/sh
# I/O errors: ext4 on a device-mapper table whose middle part is an
# `error` target laid over part of a file's extent. Reads of the bad range
# fail with EIO in both states (async errors go through our workqueue),
# good ranges still read correctly, nothing stays in flight, nothing hangs.
. /sdio/tests/lib.sh
modprobe dm-mod || die "dm-mod"
check "module loads" sdio_load
base=$(mk_nullb er1 512) || die "null_blk"
sectors=$(blockdev --getsz "$base")
dmsetup create sdio-err --table "0 $sectors linear $base 0" && dmsetup mknodes sdio-err || die "dmsetup create"
mk_fs ext4 /dev/mapper/sdio-err /mnt/err || die "mkfs"
dio-check prep /mnt/err/f 8M 21 || die "prep"
sync
# First physical block of the file's first extent, in 4K blocks.
phys=$(filefrag -v -b4096 /mnt/err/f | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4 }')
[ -n "$phys" ] || die "no extent for the file"
# Fail 64 KiB of the file, starting 1 MiB in.
bad_start=$(((phys + 256) * 8)) bad_len=128
dmsetup suspend sdio-err
cat >/tmp/err-table <<TABLE
0 $bad_start linear $base 0
$bad_start $bad_len error
$((bad_start + bad_len)) $((sectors - bad_start - bad_len)) linear $base $((bad_start + bad_len))
TABLE
dmsetup reload sdio-err /tmp/err-table || die "reload"
dmsetup resume sdio-err
info "error target over file bytes 1M..1M+64K (sectors $bad_start+$bad_len)"

for engine in pread io_uring libaio io_uring-poll; do
	echo reset >"$SDIO_SYS/stats"
	out=$(dio-check diff /mnt/err/f --ops 200 --range 1048576,65536 \
		--pattern-seed 21 --engine "$engine" 2>&1)
	echo "$out" | sed 's/^/# /'
	good=$(dio-check diff /mnt/err/f --ops 500 --range 2097152,4194304 \
		--pattern-seed 21 --engine "$engine" 2>&1)
	echo "$good" | sed 's/^/# /'
	case "$engine:$out" in
	*"200 reads x 2 states (0,1): 0 full, 200 errors (0 EINVAL, 200 EIO, 0 EOPNOTSUPP), 0 mismatches"*)
		ok "$engine: every read of the bad range is EIO in both states"
		[ "$(counter errors)" -gt 0 ] && ok "$engine: simple path saw the errors ($(counter errors))" || not_ok "$engine: errors counter 0"
		case "$good" in
		*"500 reads x 2 states (0,1): 500 full, 0 errors"*", 0 mismatches"*) ok "$engine: good range reads correctly" ;;
		*) not_ok "$engine: good range: $good" ;;
		esac ;;
	# 6.1's own iomap marks async polled bios REQ_NOWAIT (bio_set_polled),
	# which device mapper rejects: the simple path must do the same.
	io_uring-poll:*"200 reads x 2 states (0,1): 0 full, 200 errors (0 EINVAL, 0 EIO, 200 EOPNOTSUPP), 0 mismatches"*)
		ok "$engine: dm rejects polled reads with EOPNOTSUPP in both states, as this kernel's own path does"
		case "$good" in
		*"500 errors (0 EINVAL, 0 EIO, 500 EOPNOTSUPP), 0 mismatches"*) ok "$engine: good range: same EOPNOTSUPP in both states" ;;
		*) not_ok "$engine: good range: $good" ;;
		esac ;;
	*) not_ok "$engine: bad range: $out" ;;
	esac
	expect_eq "$engine: nothing in flight" 0 "$(counter in_flight)"
done
umount /mnt/err
dmsetup remove sdio-err
check "module unloads" sdio_unload
dmesg_check errors
finish
