#!/usr/bin/env python3
"""The write benchmark's results from write-bench guest logs (make bench-write).

  write.py --module-commit C --rev R --mode MODE --command CMD... --out DIR LOG...

Each log is one guest (tests/guest/write-bench.sh): one kernel, one null_blk
logical block size, ext4 and xfs without and with a volatile write cache,
in the states the guest was told to measure (nomodule, loaded, write1).
Writes OUTDIR/KVER-write.{md,json} and KVER-write-targets.json per kernel.

Targets (issue 24), evaluated as collect.py does: a ratio of medians, "met"
or "missed" only when the whole range the spreads allow (min over max ..
max over min) is on one side of the goal, else "within spread". A target
whose states the run did not measure says "not measured" (the states that
need simple_write exist only once the kernel side has landed); one whose
states were measured but has no value fails the run (exit 1).
"""
import argparse
import json
import os
import re
import sys

from collect import Targets, fmt_ratio, point, spread

LINE = re.compile(r"^@@SDIO RESULT write (\d+) (\S+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+) (\d+)\s*$")
KERNEL = re.compile(r"^@@SDIO INFO kernel (\S+),")
STATES = re.compile(r"^@@SDIO INFO states: (.*)$")
MAX_BYTES = re.compile(r"^@@SDIO INFO max_bytes in state write1: (\d+)")
STATE_NAMES = {"nomodule": "no module", "loaded": "module loaded (simple_write 0)",
               "write1": "simple_write=1"}
LEAN = "diobench-io_uring-qd32-4k"
FIO_QD32 = "fio-io_uring-qd32-4k"
DSYNC_QD1 = "fio-io_uring-dsync-qd1-4k"
DSYNC_QD1_LEAN = "diobench-io_uring-dsync-qd1-4k"
HOLE = "hole-diobench-io_uring-qd32-4k"
# Issue 24's goals: simple_write 1 over 0 on the lean ruler (4096-byte
# null_blk), on fio io_uring QD32, on O_DSYNC QD1; the ineligible control
# with simple_write=1 over no module.
GOALS = {LEAN: 1.08, FIO_QD32: 1.04, DSYNC_QD1: 1.05, HOLE: 0.99}


def describe(ruler):
    """A ruler name (RUNNER-ENGINE[-dsync]-qdN-BS, hole- for the control) in words."""
    hole = ruler.startswith("hole-")
    m = re.match(r"^(?:hole-)?(diobench|fio)-(io_uring|libaio)(-dsync)?-qd(\d+)-(\d+k)$", ruler)
    if not m:
        return ruler
    runner, engine, dsync, qd, bs = m.groups()
    what = (f"diobench run {'--rw write' if hole else '--rw randwrite'} --engine {engine}" if runner == "diobench"
            else f"fio fio-jobs/randwrite-{engine}{dsync or ''}.fio")
    text = f"{what}, QD{qd}, {bs}{', O_DSYNC' if dsync else ''}"
    if runner == "diobench" and engine == "io_uring":
        text += ", t/io_uring's options (batches of up to 32, registered buffers, files and ring)"
    if hole:
        text += "; sequential writes into a fresh sparse file, every one filling a hole (ineligible)"
    return text


def parse(paths):
    """points: kver -> {(lbs, cache, fs, ruler): {state: point}}; states: kver -> set;
    max_bytes: kver -> the max_bytes state write1 ran with, where a guest set one."""
    points, states, max_bytes = {}, {}, {}
    for path in paths:
        kver, measured = None, set()
        with open(path, errors="replace") as log:
            for line in log:
                line = line.rstrip("\n")
                if m := KERNEL.match(line):
                    kver = m.group(1)
                elif m := STATES.match(line):
                    measured = set(m.group(1).split())
                elif (m := MAX_BYTES.match(line)) and kver:
                    if max_bytes.setdefault(kver, int(m.group(1))) != int(m.group(1)):
                        sys.exit(f"write: {kver}: guests ran simple_write=1 with different max_bytes")
                elif (m := LINE.match(line)) and kver:
                    lbs, cache, fs, ruler, state = m.groups()[:5]
                    points.setdefault(kver, {}).setdefault((int(lbs), cache, fs, ruler), {})[state] = \
                        point(m.groups()[5:])
        if kver is None:
            sys.exit(f"write: {path} names no kernel (not a write-bench log?)")
        states.setdefault(kver, set()).update(measured)
    return points, states, max_bytes


def device(lbs, cache):
    dev = f"null_blk {lbs}-byte blocks, memory-backed"
    return dev + (", no write cache" if cache == "none" else f", volatile write cache (cache_size {cache[2:]} MiB)")


def targets_for(kver, pts, measured, module_commit):
    t = Targets(kver, module_commit)
    not_measured = []
    keys = sorted({(lbs, cache, fs) for lbs, cache, fs, _ in pts})
    for lbs, cache, fs in keys:
        for ruler, goal in GOALS.items():
            if ruler == LEAN and lbs != 4096:
                continue  # the lean ruler's goal is set on the 4096-byte null_blk
            v = pts.get((lbs, cache, fs, ruler), {})
            base = "nomodule" if ruler == HOLE else "loaded"
            name = (f"{fs} null_blk {lbs} {cache}: {ruler}: "
                    + ("simple_write=1 / no module (ineligible)" if ruler == HOLE else "simple_write 1/0"))
            if not {"write1", base} <= measured:
                not_measured.append({"name": name, "goal": goal, "verdict": "not measured",
                                     "kernel": kver, "device": device(lbs, cache), "runner": describe(ruler),
                                     "module_commit": module_commit})
                continue
            beside = {}
            if ruler == DSYNC_QD1:
                d = pts.get((lbs, cache, fs, DSYNC_QD1_LEAN), {})
                beside["diobench"] = fmt_ratio(d.get("write1"), d.get("loaded"))
            t.add(name, v.get("write1"), v.get(base), goal, device(lbs, cache), describe(ruler), beside=beside)
    return t, not_measured


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--module-commit", required=True)
    ap.add_argument("--rev", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--command", action="append", default=[])
    ap.add_argument("--out", required=True)
    ap.add_argument("logs", nargs="+")
    args = ap.parse_args()
    points, states, max_bytes = parse(args.logs)
    if not points:
        sys.exit("write: no results in " + ", ".join(args.logs))
    os.makedirs(args.out, exist_ok=True)
    rc = 0
    for kver, pts in sorted(points.items()):
        measured = states[kver]
        t, not_measured = targets_for(kver, pts, measured, args.module_commit)
        order = [s for s in STATE_NAMES if s in measured]
        names = dict(STATE_NAMES)
        if kver in max_bytes:
            names["write1"] += f" (max_bytes {max_bytes[kver]})"
        md = [f"# O_DIRECT overwrites, {kver}", "",
              f"QEMU {args.mode}: guest IOPS are 10^9 / instructions per I/O. Commit {args.rev}, module "
              f"{args.module_commit}. Commands: " + "; ".join(f"`{c}`" for c in args.command) + ".", "",
              "Writes overwrite a preallocated, fully written 64 MiB file (`diobench prep --preallocate`); "
              "the control fills holes. States measured: " + ", ".join(names[s] for s in order) + ".",
              "Points through the kernel's own path run several times in one boot: median (min..max, runs).", ""]
        md += t.markdown(f"Targets (`{kver}-write-targets.json`; met or missed only where the whole range is "
                         "on one side of the goal):")
        md += [f"| {n['name']} | - | {n['goal']} | not measured |" for n in not_measured]
        md += ["", "Rulers: " + "; ".join(f"`{r}` {describe(r)}" for r in sorted({k[3] for k in pts})) + "."]
        for lbs, cache in sorted({(k[0], k[1]) for k in pts}):
            md += ["", f"## {device(lbs, cache)}", "",
                   "| fs | ruler | " + " | ".join(names[s] for s in order) +
                   " | loaded / no module | simple_write 1/0 |",
                   "|---|---|" + "---:|" * (len(order) + 2)]
            for (l, c, fs, ruler), v in sorted(pts.items()):
                if (l, c) != (lbs, cache):
                    continue
                md.append(f"| {fs} | {ruler} | " + " | ".join(spread(v.get(s)) for s in order) +
                          f" | {fmt_ratio(v.get('loaded'), v.get('nomodule'))}"
                          f" | {fmt_ratio(v.get('write1'), v.get('loaded'), gain=True)} |")
        base = os.path.join(args.out, kver + "-write")
        doc = {"kernel": kver, "revision": args.rev, "module_commit": args.module_commit, "qemu_mode": args.mode,
               "commands": args.command, "states": order, "write1_max_bytes": max_bytes.get(kver),
               "rulers": {r: describe(r) for r in sorted({k[3] for k in pts})},
               "points": [{"lbs": k[0], "cache": k[1], "fs": k[2], "ruler": k[3], **v}
                          for k, v in sorted(pts.items())]}
        with open(base + ".json", "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        with open(base + "-targets.json", "w") as f:
            json.dump(t.rows + not_measured, f, indent=1)
            f.write("\n")
        with open(base + ".md", "w") as f:
            f.write("\n".join(md) + "\n")
        print("\n".join(md[5:]))
        missing = t.missing()
        if missing:
            print(f"write: {kver}: no value for: {', '.join(missing)}", file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
