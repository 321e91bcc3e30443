#!/bin/bash
# Turn a guest console log into results: a failure for every "not ok", a
# test that exits non-zero, an unfinished guest, and any BUG, WARNING, Oops,
# hung task, stall or timed-out request in the kernel log. Prints each failure, then one line
#   guest LABEL: N passed, M failed (boot Bs, total Ts)
# and appends "PASS name" / "FAIL name" lines to RESULTS if given.
#   tally.sh LOG LABEL QEMU_RC TIMEOUT ELAPSED [RESULTS]
set -uo pipefail
log=$1 label=$2 qrc=$3 timeout=$4 elapsed=$5 results=${6:-}
awk -v label="$label" -v qrc="$qrc" -v tmo="$timeout" -v elapsed="$elapsed" \
	-v results="$results" '
function emit(ok, what) {
	if (ok) pass++; else { fail++; printf "  FAIL %s: %s\n", label, what }
	if (results != "") print (ok ? "PASS " : "FAIL ") label ": " what >> results
}
/^@@SDIO BOOTED/ { boot = $3 }
/^@@SDIO BEGIN / { cur = $3; notok = 0; next }
/^@@SDIO EXIT / {
	if ($4 != 0 && !notok) emit(0, $3 ": exited " $4 " without a reason")
	cur = ""; next
}
/^@@SDIO DMESG-BEGIN/ { indmesg = 1; next }
/^@@SDIO DMESG-END/ { indmesg = 0; dmesgseen = 1; next }
/^@@SDIO DONE/ { done = 1; next }
# The kmemleak report after the tests (the debug kernel): any unreferenced
# object is a leak; its first backtrace lines say whose.
/^@@SDIO KMEMLEAK-BEGIN/ { inleak = 1; next }
/^@@SDIO KMEMLEAK-END/ { inleak = 0; leakseen = 1; next }
inleak && /unreferenced object/ { if (!(leaks++)) { firstleak = $0; leakbt = -1 }; next }
inleak && leaks == 1 && /backtrace/ { leakbt = 0; next }
inleak && leaks == 1 && leakbt >= 0 && leakbt < 5 && /\+0x/ { leakbt++; firstleak = firstleak " <" $1 ">"; next }
inleak { next }
/^@@SDIO (INFO|RESULT) / { sub(/^@@SDIO (INFO|RESULT) /, ""); print "  " $0; next }
cur != "" && /^ok( |$)/ { sub(/^ok ?(- )?/, ""); emit(1, cur ": " $0); next }
cur != "" && /^not ok( |$)/ { notok = 1; sub(/^not ok ?(- )?/, ""); emit(0, cur ": " $0); next }
# UBSAN and DEBUG_OBJECTS reports (the debug kernel) say neither BUG nor
# WARNING on their first line.
/BUG:|WARNING:|Oops|general protection|hung_task|blocked for more than|Kernel panic|kernel BUG|RIP: |UBSAN:|ODEBUG:|kmemleak: .*suspected/ {
	if (!(bad++)) firstbad = $0
	next
}
# Requests the device gave up on (null_blk "rq ... timed out" when a runner
# outruns its tags) and RCU or soft-lockup stalls: in the kernel log only,
# so a test line that merely mentions them does not count. The clocksource
# watchdog "read timed out" is the emulated TSC on a loaded host, not I/O.
indmesg && /timed out|[Ss]tall|soft lockup/ && !/clocksource/ { if (!(bad++)) firstbad = $0 }
END {
	if (!done) {
		if (qrc == 124 || qrc == 137) emit(0, "timed out after " tmo "s")
		else emit(0, "guest did not finish (qemu exit " qrc ")")
	} else emit(1, "guest finished")
	if (leaks) emit(0, "kmemleak: " leaks " unreferenced objects after the tests, first: " firstleak)
	else if (leakseen) emit(1, "kmemleak: no unreferenced object after the tests")
	if (bad) emit(0, "kernel log clean: " bad " bad lines, first: " firstbad)
	else if (dmesgseen) emit(1, "kernel log clean")
	printf "guest %s: %d passed, %d failed (boot %ss, total %.1fs)\n", label, pass, fail, boot, elapsed
	exit (fail > 0)
}' "$log"
rc=$?
[ $rc -ne 0 ] && echo "  console log: $log"
exit $rc
