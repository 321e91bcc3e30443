#!/bin/bash
# The guest suite on the debug kernel (issue 22): KASAN (a report panics
# the guest), lockdep, DEBUG_OBJECTS, UBSAN, KFENCE and kmemleak armed, plus
# the fault-injection tests only that kernel can run. Builds the kernel
# when it is not cached (scripts/build-debug-kernel.sh), the module against
# it (W=1, no warning) and its guest image, then runs each test as
# tests/vm/run.sh does for the other kernels; tests/vm/init scans kmemleak
# after the tests and tests/vm/tally.sh fails a run on any report.
#
#   tests/run-debug.sh                      everything, own results file
#   DEBUG_TESTS="skeleton fault-inject:100" RESULTS=FILE tests/run-debug.sh
#
# DEBUG_TESTS: tests to run, each TEST or TEST:ARGS (the guest's SDIO_ARGS,
# ',' between words: make check's shortened variants, tests/run-all.sh).
# DEBUG_ONE_GUEST=1: all of them in one guest (one boot, one kmemleak scan;
# make check), its timeout DEBUG_TIMEOUT seconds before run.sh's scaling.
# DEBUG_JOBS: guests at once (default 1; each takes one host core, so 2
# on an idle 2-core machine about halves the wall time).
# DEBUG_SERIES: the source series (6.12 or 7.3). RESULTS: append there
# (run-all.sh passes its own); otherwise build/results-debug.txt, with the
# tally line.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
series=${DEBUG_SERIES:-6.12}
max_guests=${DEBUG_JOBS:-1}
[[ $max_guests =~ ^[1-9][0-9]*$ ]] || { echo "run-debug: DEBUG_JOBS takes a positive integer, got '$max_guests'" >&2; exit 2; }
own_results=0
if [ -z "${RESULTS:-}" ]; then
	RESULTS=$top/build/results-debug.txt own_results=1
	mkdir -p build && : >"$RESULTS"
fi
start=$(date +%s)

record() { # record OK|FAIL NAME [DETAIL]
	if [ "$1" = OK ]; then echo "PASS $2" >>"$RESULTS"; echo "  pass $2"
	else echo "FAIL $2" >>"$RESULTS"; echo "  FAIL $2${3:+: $3}"; fi
}

tally() {
	[ "$own_results" = 1 ] || return 0
	pass=$(grep -c '^PASS' "$RESULTS") fail=$(grep -c '^FAIL' "$RESULTS")
	echo "== debug: $(( $(date +%s) - start ))s; failures:"
	grep '^FAIL' "$RESULTS" | sed 's/^/  /'
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

echo "== debug kernel ($series)"
if ! scripts/build-debug-kernel.sh build "$series"; then
	record FAIL "debug kernel $series builds"
	tally
	exit 1
fi
dir=$(scripts/build-debug-kernel.sh dir "$series")
kver=$(cat "$dir/release")
record OK "debug kernel $series builds ($kver, $(cat "$dir/build-seconds")s when built)"

# The module (W=1: the Makefile fails on any warning) and the guest image.
if make --no-print-directory KVER="$kver" KDIR="$dir/src" VMLINUZ="$dir/vmlinux" \
	MODROOT="$dir/modroot" KVER_TRIXIE= KVER_7X= KVER_EXTRA= module vm >"build/debug-image.log" 2>&1; then
	record OK "module builds with W=1 and no warning for $kver; guest image"
else
	record FAIL "module and guest image for $kver" "$(grep -m1 -E 'warning:|error:|Error' build/debug-image.log)"
	tally
	exit 1
fi

# Everything the reference kernel runs (the write path's tests too), then
# the fault-injection tests; fsx with 5,000 ops per state (about 15
# minutes there).
tests=${DEBUG_TESTS:-skeleton differential fallback errors toggles max-bytes diobench unload-under-load fsx races polled-errors simple-write fsx-write races-write crash-consistency fault-inject fault-mix}
if [ "${DEBUG_ONE_GUEST:-0}" = 1 ]; then
	# shellcheck disable=SC2086 # one test (TEST[:ARGS]) a word
	KVER=$kver tests/vm/run.sh --timeout "${DEBUG_TIMEOUT:-1800}" --name "debug@$kver" \
		--results "$RESULTS" $tests
	[ $? -eq 2 ] && record FAIL "guest $tests@$kver could not start"
	tally
	exit
fi
run_test() { # run_test TEST RUN.SH-OPTIONS...
	local t=$1
	shift
	KVER=$kver tests/vm/run.sh "$@" --name "$t@$kver" --results "$RESULTS" "$t"
	[ $? -eq 2 ] && record FAIL "guest $t@$kver could not start"
}
for t in $tests; do
	while [ "$(jobs -rp | wc -l)" -ge "$max_guests" ]; do wait -n; done
	args=
	case "$t" in
	*:*) args=${t#*:} t=${t%%:*} ;;
	esac
	case "$t" in
	fsx) opts=(--timeout 3600 --args "${args:-5000}") ;;
	unload-under-load | fsx-write | races | races-write | fault-mix) opts=(--timeout 3600) ;;
	*) opts=(--timeout 1800) ;;
	esac
	[ -n "$args" ] && [ "$t" != fsx ] && opts+=(--args "$args")
	if [ "$max_guests" = 1 ]; then
		run_test "$t" "${opts[@]}"
	else
		run_test "$t" "${opts[@]}" &
	fi
done
wait
tally
