#!/bin/bash
# The profiler's own test (TAP lines for run-all.sh): a short profile on
# ext4 must attribute simple-path code to the simple_read=1 window only,
# the kernel's __iomap_dio_rw to the others, and nothing of ours (no hook,
# no livepatch handler) in the simple_read=0 window, and must have taken
# the runner's start-up and exit out of the per-read figures. A profile of
# the raw device must show the same cost in all three windows (nothing
# else running inside them). The raw profile reads 20000 times a window:
# what remains of the runner's page faults and page zeroing after the
# start-up window is subtracted varies by ~100k instructions a run, 0.1-0.23%
# of 5000 reads (one CI run failed on it) but 0.02-0.04% of 20000.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
make -s -C "$top" "$top/build/perf/insn-profile.so" >/dev/null ||
	{ echo "not ok - insn-profile plugin builds"; exit 1; }
echo "ok - insn-profile plugin builds"
out=$("$top/tests/perf/profile.sh" ext4 io_uring 5000 4k 2>&1)
rc=$?
json=$top/build/perf/ext4-io_uring-4k/report.json
if [ $rc -ne 0 ] || [ ! -r "$json" ]; then
	echo "not ok - profile run: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
	exit 1
fi
echo "ok - profile run"
python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f, s = r["functions"], r["summary"]
def cost(window, name):
    return sum(v for k, v in f[window].items() if k.split()[0] == name)
checks = [
    ("simple path runs only with simple_read=1",
     cost("simple1", "sdio_simple_read") > 50 and cost("simple0", "sdio_simple_read") == 0
     and cost("nomodule", "sdio_simple_read") == 0),
    ("kernel path runs only without the simple path",
     cost("simple1", "__iomap_dio_rw") < 1 and cost("simple0", "__iomap_dio_rw") > 50
     and cost("nomodule", "__iomap_dio_rw") > 50),
    ("no livepatch handler, and nothing of ours with simple_read=0",
     all(cost(w, "klp_ftrace_handler") == 0 for w in ("nomodule", "simple0", "simple1"))
     and cost("simple0", "sdio_iomap_dio_rw") == 0),
    ("runner start-up measured apart and subtracted (> 1M instructions)",
     (r.get("fixed_total") or 0) > 1e6),
    ("instructions per I/O plausible (1,000..100,000)",
     all(1000 < s[w]["total"] < 100000 for w in s)),
    ("simple_read=1 costs fewer instructions than 0",
     s["simple1"]["total"] < s["simple0"]["total"]),
]
bad = 0
for what, good in checks:
    print(("ok - " if good else "not ok - ") + what)
    bad += not good
sys.exit(1 if bad else 0)
PY
rc=$?
out=$("$top/tests/perf/profile.sh" raw io_uring 20000 4k 2>&1)
if [ $? -eq 0 ]; then
	echo "ok - raw profile: windows agree within 0.2% ($(echo "$out" | grep -o 'differ by [0-9.]*%'))"
else
	echo "not ok - raw profile: $(echo "$out" | grep -E 'self-check|Error|missing' | tail -n 2 | tr '\n' ' ')"
	rc=1
fi
exit $rc
