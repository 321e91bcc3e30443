#!/bin/bash
# Everything `make check` runs: host checks, then the guest suites. Each
# check appends PASS/FAIL lines to build/results.txt; the last line printed
# is "N passed, N failed". Exit status is non-zero if anything failed.
#
#   GUEST_TESTS="skeleton differential" tests/run-all.sh   # a subset
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kver=${KVER:-$(scripts/pick-kernel.sh)}
kdir=${KDIR:-/usr/src/linux-headers-$kver}
results=$top/build/results.txt
: >"$results"
start=$(date +%s)

record() { # record OK|FAIL NAME [DETAIL]
	if [ "$1" = OK ]; then echo "PASS $2" >>"$results"; echo "  pass $2"
	else echo "FAIL $2" >>"$results"; echo "  FAIL $2${3:+: $3}"; fi
}

echo "== host: module build checks ($kver)"
# build_w1 KVER KDIR DIR: build a fresh copy of kmod/ in DIR against KDIR
# with W=1; any warning fails.
# The fetched kernels (trixie's 6.12, 7.x) build in their suite's tree
# (scripts/kbuild.sh picks).
build_w1() {
	local k=$1 kd=$2 d=$3
	rm -rf "$d" && mkdir -p "$d" && cp kmod/*.c kmod/*.h kmod/*.S kmod/Kbuild kmod/Makefile "$d/"
	if ! KDIR=$kd scripts/kbuild.sh "$k" "$d" W=1 modules >"$d/w1.log" 2>&1; then
		record FAIL "module builds for $k" "$(grep -m1 error "$d/w1.log")"
	elif grep -qE 'warning:|error:' "$d/w1.log"; then
		record FAIL "module builds with W=1 and no warning for $k" "$(grep -m1 -E 'warning:|error:' "$d/w1.log")"
	else record OK "module builds with W=1 and no warning for $k"; fi
}
# sparse_c2 KVER KDIR DIR NAME: sparse (C=2) over the copy build_w1 made
# in DIR; any warning, or no file checked, fails.
sparse_c2() {
	local k=$1 kd=$2 d=$3 name=$4
	KDIR=$kd scripts/kbuild.sh "$k" "$d" C=2 modules >"$d/sparse.log" 2>&1
	if grep -E 'warning:|error:' "$d/sparse.log" >/dev/null || ! grep -q ' CHECK ' "$d/sparse.log"; then
		record FAIL "$name" "$(grep -m1 -E 'warning:|error:' "$d/sparse.log")"
	else record OK "$name"; fi
}
tmp=$top/build/check-kmod
build_w1 "$kver" "$kdir" "$tmp"
sparse_c2 "$kver" "$kdir" "$tmp" "sparse (C=2) clean"
if checkpatch=$(scripts/get-checkpatch.sh); then
	for f in kmod/*.c kmod/*.h kmod/*.S; do
		out=$("$checkpatch" --strict --no-tree --terse -f "$f" 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && ! echo "$out" | grep -qE '(ERROR|WARNING|CHECK):'; then
			record OK "checkpatch --strict: $f"
		else record FAIL "checkpatch --strict: $f" "$(echo "$out" | head -n 1)"; fi
	done
else record FAIL "checkpatch available"; fi

# run_tap NAME CMD...: a script printing "ok - x" / "not ok - x" lines; each
# becomes a result, and a non-zero exit without a "not ok" is one failure.
run_tap() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | sed -n 's/^ok - \(.*\)/PASS '"$name"': \1/p' >>"$results"
	echo "$out" | sed -n 's/^not ok - \(.*\)/FAIL '"$name"': \1/p' >>"$results"
	echo "$out" | grep -E '^(not ok|#)' | head -n 20 | sed 's/^/  /'
	if [ $rc -ne 0 ] && ! echo "$out" | grep -q '^not ok'; then
		record FAIL "$name" "exit $rc: $(echo "$out" | tail -n 1)"
	fi
	echo "  $name: $(echo "$out" | grep -c '^ok') ok, $(echo "$out" | grep -c '^not ok') not ok"
}

echo "== host: packaging (Kconfig, make install, DKMS)"
# make install and DKMS run on the host's own kernels (Debian 12's); the
# fetched kernels' tools need their suite's libc and are only built for in
# that suite's tree.
host_kvers=$kver
# KVER_RT (make check and check-all): trixie's PREEMPT_RT 6.12, built in
# the trixie tree like trixie's own 6.12.
for k in ${KVER_EXTRA:-} ${KVER_RT:-}; do
	build_w1 "$k" "/usr/src/linux-headers-$k" "$tmp-$k"
	# trixie's tree has sparse (sid's does not).
	case "$k" in
	*+deb13[.-]*) sparse_c2 "$k" "/usr/src/linux-headers-$k" "$tmp-$k" "sparse (C=2) clean for $k" ;;
	esac
	[ -e "/usr/src/linux-headers-$k/Makefile" ] && host_kvers+=" $k"
done
run_tap kconfig scripts/check-kconfig.sh
KVERS="$host_kvers" run_tap make-install scripts/test-install.sh
KVERS="$host_kvers" run_tap dkms scripts/test-dkms.sh
run_tap deb scripts/test-deb.sh
# The same simple-dio-dkms in the build trees of the fetched kernels'
# suites (issue 23): dpkg -i makes that suite's DKMS build the module for
# trixie's 6.12 and its -rt and for the 7.x kernels; the
# purge leaves nothing there (scripts/test-deb-suite.sh).
trixie_kvers=() sid_kvers=()
for k in ${KVER_EXTRA:-} ${KVER_RT:-}; do
	[ -e "/usr/src/linux-headers-$k/Makefile" ] && continue
	case "$k" in
	*+deb13[.-]*) trixie_kvers+=("$k") ;;
	[7-9].*) sid_kvers+=("$k") ;;
	esac
done
[ ${#trixie_kvers[@]} -eq 0 ] || run_tap deb-trixie scripts/test-deb-suite.sh trixie "${trixie_kvers[@]}"
[ ${#sid_kvers[@]} -eq 0 ] || run_tap deb-sid scripts/test-deb-suite.sh sid "${sid_kvers[@]}"

echo "== host: tools"
if [ -f build/tools/CTestTestfile.cmake ]; then
	ctest --test-dir build/tools --output-on-failure -j2 >build/ctest.log 2>&1
	grep -E '^\s*[0-9]+/[0-9]+ Test +#[0-9]+: ' build/ctest.log | while read -r line; do
		name=$(echo "$line" | sed -E 's/.*Test +#[0-9]+: ([^ ]+).*/\1/')
		if echo "$line" | grep -q ' Passed'; then echo "PASS ctest: $name"; else echo "FAIL ctest: $name"; fi
	done >>"$results"
	tail -n 3 build/ctest.log | sed 's/^/  /'
else record FAIL "tools built (build/tools)"; fi
if [ -x tools/run-clang-tidy.sh ]; then
	if tools/run-clang-tidy.sh build/tools >build/clang-tidy.log 2>&1; then record OK "clang-tidy clean (tools/)"
	else record FAIL "clang-tidy clean (tools/)" "$(grep -m1 'warning:' build/clang-tidy.log)"; fi
fi

echo "== host: guest tools"
# crash-consistency's log replayer on a hand-made dm-log-writes log.
run_tap dlw-check scripts/test-dlw-check.sh

full_suite="skeleton differential fallback errors toggles max-bytes diobench unload-under-load fsx races polled-errors simple-write fsx-write races-write crash-consistency"
# On the other kernels make check runs a fast subset; check-all everything.
# guest_opts TEST: run.sh options per test. make check-all (EXTRA_SUITE=full)
# runs the long versions: fsx 200,000 ops and races 60 rounds per case,
# unload-under-load 100 cycles, fsx-write 40,000 ops and races-write 30
# rounds per case, crash-consistency 200 writes a phase and 24 replayed
# marks per file system and state.
guest_opts() {
	local long=0
	[ "${EXTRA_SUITE:-}" = full ] && long=1
	case "$1:$long" in
	fsx:0) echo "--timeout 1800" ;;
	fsx:1 | fsx-write:1) echo "--timeout 10800 --args long" ;;
	races:1 | races-write:1) echo "--timeout 5400 --args long" ;;
	unload-under-load:1) echo "--timeout 5400 --args 100" ;;
	crash-consistency:0) echo "--timeout 1800" ;;
	crash-consistency:1) echo "--timeout 5400 --args long" ;;
	*) echo "--timeout 900" ;;
	esac
}

# A series may leave the archive (7.2 when sid moves on), but some 7.x
# kernel must be there: none means the archive was not reached.
case " ${KVER_EXTRA:-} " in
*" 7."*) record OK "a 7.x kernel from Debian's sid or experimental is in the matrix" ;;
*) record FAIL "a 7.x kernel from Debian's sid or experimental is in the matrix" "scripts/fetch-kernel.sh pick 7.3 found none" ;;
esac
# Debian 13's own kernel (issue 23): trixie's newest 6.12, from trixie or
# trixie-security (on a Debian 13 machine the reference kernel itself);
# none means the archive was not reached.
case " $kver ${KVER_EXTRA:-} " in
*" 6.12."*"+deb13"*) record OK "Debian 13 trixie's 6.12 kernel is in the matrix" ;;
*) record FAIL "Debian 13 trixie's 6.12 kernel is in the matrix" "scripts/fetch-kernel.sh pick 6.12+deb13 found none" ;;
esac
# Trixie's PREEMPT_RT 6.12 (issue 23; make check and check-all pass it),
# its config really PREEMPT_RT, so the suite runs where spinlocks sleep and
# completions are threaded.
if [ -n "${KVER_RT+set}" ]; then
	rt_ok=0
	for k in ${KVER_RT:-}; do
		grep -qx 'CONFIG_PREEMPT_RT=y' "build/kernels/$k/boot/config-$k" 2>/dev/null && rt_ok=1
	done
	if [ $rt_ok = 1 ]; then record OK "Debian 13 trixie's PREEMPT_RT 6.12 kernel is in the matrix"
	else record FAIL "Debian 13 trixie's PREEMPT_RT 6.12 kernel is in the matrix" \
		"KVER_RT='${KVER_RT:-}': none fetched with CONFIG_PREEMPT_RT=y (fetch-kernel.sh pick 6.12+deb13-rt)"; fi
fi
# Every kernel runs dio-fsx (its model check and the RWF_NOWAIT probe
# against the kernel's own path) and the simple write path's semantics
# (its rules differ per kernel); trixie's 6.12, 6.1 and the 7.x kernels
# also unload under load; 6.1 and the 7.x kernels toggle under load, take
# I/O errors and race (issue 21: the hook on all four kernels), the 7.x
# kernels take polled errors (issues 13 and 15). Trixie's -rt runs its own
# set (below). The write path's tests (issue 24: simple-write, the O_DIRECT
# write mix, the overwrite races, crash consistency) run on every kernel:
# its rules differ per kernel.
# The guest runs, GUEST_JOBS at a time (default: one per host core, at
# most 4): each guest is single-threaded TCG, so it keeps one core busy
# and no more. A run's output is printed whole when it ends; its results
# are lines appended to $results, which concurrent runs can share.
guest_jobs=${GUEST_JOBS:-$(nproc)}
[ "$guest_jobs" -ge 1 ] 2>/dev/null || guest_jobs=1
[ "$guest_jobs" -le 4 ] || guest_jobs=4
jobdir=$top/build/guest-jobs
rm -rf "$jobdir" && mkdir -p "$jobdir"
njobs=0
# guest_flush: print the output of every run that has ended, once.
guest_flush() {
	local rc
	for rc in "$jobdir"/*.rc; do
		[ -e "$rc" ] || continue
		cat "${rc%.rc}.out"
		rm -f "$rc"
	done
}
# guest_job NAME CMD...: start CMD (a tests/vm/run.sh) when a slot is
# free; exit 2 (the guest could not start) is recorded as a failure.
guest_job() {
	local name=$1 n
	shift
	while [ "$(jobs -rp | wc -l)" -ge "$guest_jobs" ]; do
		wait -n
		guest_flush
	done
	njobs=$((njobs + 1))
	n=$jobdir/$(printf '%03d' $njobs)
	(
		"$@" >"$n.out" 2>&1
		rc=$?
		[ $rc -eq 2 ] && echo "FAIL guest $name could not start" >>"$results" &&
			echo "  FAIL guest $name could not start" >>"$n.out"
		echo $rc >"$n.rc"
	) &
}
guest_wait() {
	wait
	guest_flush
}

for k in ${KVER_EXTRA:-} ${KVER_RT:-}; do
	extra_suite="skeleton differential fallback fsx simple-write"
	case "$k" in
	# PREEMPT_RT: what its sleeping spinlocks and threaded completions
	# could break (issue 23).
	*-rt-amd64) extra_suite="skeleton differential toggles unload-under-load races errors" ;;
	*+deb13[.-]*) extra_suite+=" unload-under-load" ;;
	6.1.*) extra_suite+=" toggles errors unload-under-load races" ;;
	7.*) extra_suite+=" toggles errors unload-under-load races polled-errors" ;;
	esac
	case "$k" in
	*+deb13[.-]*) ;;
	*) extra_suite+=" fsx-write races-write crash-consistency" ;;
	esac
	[ "${EXTRA_SUITE:-}" = full ] && extra_suite=$full_suite
	echo "== guest ($k): $extra_suite"
	for f in "build/vm/vmlinux-$k" "build/vm/initramfs-$k.cpio"; do
		[ -r "$f" ] || record FAIL "guest image built ($f)"
	done
	for t in $extra_suite; do
		# shellcheck disable=SC2046 # options split on purpose
		guest_job "$t@$k" env KVER="$k" tests/vm/run.sh $(guest_opts "$t") \
			--name "$t@$k" --results "$results" "$t"
	done
done

echo "== guest ($kver): ${GUEST_TESTS:-$full_suite}"
for f in "build/vm/vmlinux-$kver" "build/vm/initramfs-$kver.cpio"; do
	[ -r "$f" ] || record FAIL "guest image built ($f)"
done
# unload-under-load patches and unpatches with I/O running: functional
# mode is single-threaded TCG, which that needs (see tests/vm/run.sh).
for t in ${GUEST_TESTS:-$full_suite}; do
	case "$t" in
	*:*) mode=${t#*:} t=${t%%:*} ;;
	*) mode=functional ;;
	esac
	# shellcheck disable=SC2046 # options split on purpose
	guest_job "$t" env KVER="$kver" tests/vm/run.sh --mode "$mode" $(guest_opts "$t") \
		--results "$results" "$t"
done

# The debug kernel (issue 22: KASAN, lockdep, kmemleak, fault injection).
# Building it takes 18-30 minutes of both cores and its guests run 3-10
# times slower, so make check runs shortened variants on the cached 6.12
# build, in one guest (one boot, one kmemleak scan), and only says so when
# none is cached: skeleton, differential with 200 reads per engine and
# state (full: 4,000), unload-under-load 2 cycles of 300 reads per reader
# (20 of 3,000), races 1 round per case on a 512 KiB file (10 rounds,
# 2 MiB), fault-inject 50 reads per engine (300); docs/testing.md has the
# timings. make check-all builds the 6.12 and the 7.3 debug kernels and
# runs everything on both (make check-debug: the suite on one of them).
debug_check_tests="skeleton differential:200 unload-under-load:2,300 races:1,512K fault-inject:50"
echo "== guest (debug kernel)"
if [ "${EXTRA_SUITE:-}" = full ]; then
	for series in ${DEBUG_SERIES_ALL:-6.12 7.3}; do
		guest_job "debug $series" env DEBUG_SERIES="$series" RESULTS="$results" tests/run-debug.sh
	done
elif scripts/build-debug-kernel.sh dir >/dev/null 2>&1; then
	guest_job debug env DEBUG_ONE_GUEST=1 DEBUG_TIMEOUT=1800 DEBUG_TESTS="$debug_check_tests" \
		RESULTS="$results" tests/run-debug.sh
else
	echo "  no debug kernel cached: not run here (make debug-kernel, then make check-debug)"
fi
guest_wait

# make check-all: the README's two commands on a fresh Debian 13 (issue
# 23): make demo and a subset of the guest suite from a clean clone in a
# fresh mmdebstrap'd trixie (about an hour at load 13 with its
# package installs, hence not in make check).
if [ "${EXTRA_SUITE:-}" = full ]; then
	echo "== a fresh Debian 13 (tests/fresh-host.sh)"
	run_tap fresh-trixie tests/fresh-host.sh
fi

echo "== guest profiler ($kver, icount)"
KVER=$kver run_tap insn-profile tests/perf/check-profile.sh

pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
echo "== $(( $(date +%s) - start ))s; failures:"
grep '^FAIL' "$results" | sed 's/^/  /'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
