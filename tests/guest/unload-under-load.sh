#!/bin/sh
# Unload with reads and writes in flight: null_blk completes from a timer
# after 2 ms, so bios stay outstanding while a plain rmmod removes the hook
# and the module (simple_read 1, simple_write 1). Verifying readers
# (io_uring, libaio, and pread, which sleeps inside our function until its
# bio completes) and overwriting writers (io_uring, whose completions run
# in the file system's dio workqueue on 6.x; pwritev2 RWF_DSYNC, synced in
# the writer's context) run throughout, on our paths and then on the
# kernel's; every write must succeed and the data be right after the
# unload. Run single-threaded TCG (see tests/vm/run.sh).
# SDIO_ARGS: "CYCLES [READS]": cycles (default 20) and reads per reader
# and state in a cycle (default 3000; make check's debug run: fewer).
. /sdio/tests/lib.sh
set -- ${SDIO_ARGS:-}
cycles=${1:-20} reads=${2:-3000}
dev=$(mk_nullb ul1 512 irqmode=2 completion_nsec=2000000) || die "null_blk"
mk_fs ext4 "$dev" /mnt/ul || die "mkfs"
dio-check prep /mnt/ul/f 32M 31 || die "prep"
dio-check prep /mnt/ul/w 2M 1 && dio-check prep /mnt/ul/w2 1M 1 || die "prep for the writers"
# The first async direct write creates the file system's dio workqueue.
dio-write fill /mnt/ul/w 2M 2 --engine io_uring >/dev/null || die "first async writes"

done_ok=0 seen_inflight=0 seen_inside=0 seen_writes=0
for c in $(seq "$cycles"); do
	sdio_load || { not_ok "cycle $c: load"; break; }
	sdio_widen	# 7.3: reads above a block are ours (lib.sh)
	echo 1 >"$SDIO_SYS/simple_write" || { not_ok "cycle $c: simple_write=1"; break; }
	# Two writers, each overwriting its own file with this cycle's seed.
	dio-write fill /mnt/ul/w 2M $((100 + c)) --engine io_uring >/tmp/writer.uring 2>&1 &
	pid_wu=$!
	dio-write fill /mnt/ul/w2 1M $((200 + c)) --engine pwritev2-dsync >/tmp/writer.dsync 2>&1 &
	pid_wd=$!
	for engine in io_uring libaio pread; do
		dio-check diff /mnt/ul/f --ops "$reads" --qd 16 --states -- --seed "$c" \
			--pattern-seed 31 --engine "$engine" --max-len $SDIO_MAX_LEN \
			>"/tmp/reader.$engine" 2>&1 &
		eval "pid_$engine=\$!"
	done
	# Wait until our bios are outstanding, then pull the module.
	i=0
	while [ "$(counter in_flight)" -eq 0 ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.01; done
	[ "$(counter in_flight)" -gt 0 ] && seen_inflight=$((seen_inflight + 1))
	# A task inside our function (entered, not yet left): the pread reader,
	# asleep until its bio completes. Both counts from one read of the
	# stats: two reads a process start apart would miss a 2 ms read.
	inside=$(awk '$1 == "entered" { e = $2 } $1 == "left" { l = $2 } END { print e - l }' "$SDIO_SYS/stats")
	[ "$inside" -gt 0 ] && seen_inside=$((seen_inside + 1))
	[ "$(counter write_hits)" -gt 0 ] && seen_writes=$((seen_writes + 1))
	# A plain rmmod, no helper: the exit waits for what is in flight.
	if ! rmmod simple_dio; then not_ok "cycle $c: rmmod"; break; fi
	readers=0
	wait "$pid_io_uring" && readers=$((readers + 1))
	wait "$pid_libaio" && readers=$((readers + 1))
	wait "$pid_pread" && readers=$((readers + 1))
	if [ $readers -ne 3 ]; then not_ok "cycle $c: a reader failed: $(cat /tmp/reader.*)"; break; fi
	if ! wait "$pid_wu" || ! wait "$pid_wd"; then
		not_ok "cycle $c: a writer failed: $(cat /tmp/writer.*)"; break
	fi
	if ! dio-write verify /mnt/ul/w 2M $((100 + c)) || ! dio-write verify /mnt/ul/w2 1M $((200 + c)); then
		not_ok "cycle $c: written data wrong after the unload"; break
	fi
	done_ok=$((done_ok + 1))
	# A line a cycle: a long run (about 30 minutes on a debug kernel)
	# shows where it is.
	info "cycle $c of $cycles done at $(cut -d' ' -f1 /proc/uptime)s"
done
expect_eq "unload with reads and writes in flight: cycles survived" "$cycles" "$done_ok"
[ "$seen_inflight" -gt 0 ] && ok "bios were in flight at unload in $seen_inflight of $cycles cycles" || not_ok "never caught bios in flight"
[ "$seen_writes" -gt 0 ] && ok "the simple write path served writes before the unload in $seen_writes of $cycles cycles" || not_ok "no write hit before any unload"
[ "$seen_inside" -gt 0 ] && ok "a task was inside our function at unload in $seen_inside of $cycles cycles" || not_ok "never caught a task inside our function"
check "reads still correct on the kernel's path" dio-check diff /mnt/ul/f --ops 500 --states -- --pattern-seed 31 --engine io_uring
dmesg_check unload-under-load
finish
