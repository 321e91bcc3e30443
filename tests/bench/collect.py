#!/usr/bin/env python3
"""Turn bench guest console logs into the committed results.

    collect.py LOG OUTDIR KVER --mode MODE --rev REV --module-commit C --command CMD...
    collect.py --simple LOG512 LOG4096 OUTDIR KVER --mode ... (make bench-simple)

make bench: reads the guest's "@@SDIO RESULT" lines and the "@@F name: line"
files (diobench sweep JSON) and writes OUTDIR/KVER.json (every point, with
the kernel, module commit, qemu mode and commands), OUTDIR/KVER.md (the
upstream series' table layout plus gain and fs/raw), OUTDIR/KVER.svg (gain
by queue depth) and OUTDIR/KVER-targets.json. make bench-simple: the same
for the QD32 table on two null_blk block sizes, OUTDIR/KVER-simple.{json,md}
and KVER-simple-targets.json.

Result lines carry "MEDIAN MIN MAX RUNS" where a point ran several times.
A target compares a ratio of medians with its goal and says "met" or
"missed" only when the whole range the points' spreads allow (min over
max .. max over min) is on one side of the goal; otherwise "within spread",
with no verdict. Exits 1 if a target has no value, if the repeated point
differs from the sweep by more than 1% (icount must be deterministic) or
data is missing.
"""
import argparse
import json
import os
import sys

# Goals (issue 14). Gains on fio's t/io_uring, QD32, by null_blk block size.
TIO_GAIN_GOALS = {4096: 1.12, 512: 1.10}
# fs/raw with simple_read=1 against the prefilled raw limit, 4096-byte null_blk.
FS_RAW_GOALS = {"io_uring-qd64": 0.92, "t-io_uring-p0": 0.86}
# Module loaded, simple_read=0, over no module: by ruler.
HOOK_GOALS = {"fio": 0.99, "t-io_uring": 0.985}
OVERHEAD_GOAL = 0.99
MAX_BYTES_GOALS = {"8k": 1.10, "16k": 1.08}
# The max_bytes rulers (tests/guest/sweep-bench.sh): runner and device; a
# goal only where the issue sets one (t/io_uring and diobench), fio beside.
MAX_BYTES_DEVICES = {
    "nullb": "null_blk 512-byte blocks, memory-backed",
    "nullb4k": "null_blk 4096-byte blocks, memory-backed",
    "brd": "brd",
    "nullb-nocopy": "xfs realtime on null_blk memory_backed=0 (no copy)",
}
MAX_BYTES_RUNNERS = {
    "fio": "fio io_uring QD32",
    "t-io_uring": "t/io_uring -d32 -s32 -c32 -F1 -B1 -R1 -X1 -n1 -P0 -p0",
    "diobench": "diobench run with t/io_uring's options",
}
# What the memory-backed devices copy on the CPU per read, from make profile
# (README, "Where the instructions go"); a DMA device does not.
COPY_SHARE = ("the memory-backed null_blk copies every block on the CPU: for a 16 KiB read on "
              "ext4 (4096-byte null_blk) `memcpy_orig` is 6,216 of 13,019 instructions (48%), "
              "brd's `rep movsq` 2,535 of 7,014 (36%); the no-copy device copies nothing "
              "(`make profile PROFILE=\"ext4 io_uring 10000 16k lbs=4096 maxb=16384 --fixedbufs "
              "--registerfiles --register-ring\"`, and the same with `brd`)")
SIMPLE_RULERS = {
    "io_uring": "fio io_uring QD32 (batches of 8)",
    "io_uring_poll": "fio io_uring hipri QD32 (batches of 8)",
    "io_uring-qd64": "fio io_uring QD64 (batches of 8)",
    "t-io_uring-p0": "t/io_uring -d32 -s32 -c32 -b4096 -F1 -B1 -R1 -X1 -n1 -P0 -p0",
    "t-io_uring-p1": "t/io_uring -d32 -s32 -c32 -b4096 -F1 -B1 -R1 -X1 -n1 -P0 -p1",
    "diobench-p0": "diobench run with t/io_uring's options (QD32, batches of 32, -B -F -X)",
    "diobench-p1": "diobench run with t/io_uring's options, --hipri",
}
REPEAT_TOLERANCE = 0.01


def parse_log(path):
    results, files = [], {}
    with open(path, errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            if line.startswith("@@SDIO RESULT "):
                results.append(line[len("@@SDIO RESULT "):].split())
            elif line.startswith("@@F "):
                name, _, text = line[4:].partition(": ")
                files.setdefault(name, []).append(text)
    parsed = {}
    for name, lines in files.items():
        try:
            parsed[name] = json.loads("\n".join(lines))
        except json.JSONDecodeError as err:
            sys.exit(f"collect: {name} from the guest is not JSON: {err}")
    return results, parsed


def state_iops(point, state):
    for s in point["states"]:
        if s["state"] == state:
            return s["mean_iops"]
    return None


def sweep_points(sweep):
    """The points of a diobench sweep JSON, with the knob's states 0 and 1 as a and b."""
    points = []
    for p in sweep.get("points", []):
        points.append({"fs": p["fs"], "workload": p["workload"], "qd": p["qd"],
                       "a": state_iops(p, "0"), "b": state_iops(p, "1"),
                       "stats_a": p["states"][0].get("stats_delta", {}),
                       "stats_b": p["states"][1].get("stats_delta", {})})
    return points


def ratio(x, y):
    return x / y if x and y else None


def fmt(n):
    return f"{n:,.0f}" if n is not None else "-"


def pct(r):
    return f"{(r - 1) * 100:+.2f}%" if r is not None else "-"


def point(fields):
    """A result's value: {"median", "min", "max", "runs"} from MEDIAN [MIN MAX RUNS]."""
    v = [int(x) for x in fields]
    if len(v) == 1:
        v = v * 3 + [1]
    return {"median": v[0], "min": v[1], "max": v[2], "runs": v[3]}


def spread(p):
    """A point's spread as text: median (min..max, N runs)."""
    if not p:
        return "-"
    if p["runs"] <= 1:
        return fmt(p["median"])
    return f"{fmt(p['median'])} ({fmt(p['min'])}..{fmt(p['max'])}, {p['runs']})"


def rel_spread(p):
    return (p["max"] - p["min"]) / p["median"] if p and p["median"] else None


def ratio_of(a, b):
    """Ratio of medians of points a/b and the range their spreads allow."""
    if not a or not b or not a["median"] or not b["median"] or not a["min"] or not b["min"]:
        return None, None, None
    return a["median"] / b["median"], a["min"] / b["max"], a["max"] / b["min"]


class Targets:
    """Targets with a verdict only where the spread allows one."""

    def __init__(self, kernel, module_commit):
        self.kernel, self.module_commit, self.rows = kernel, module_commit, []

    def add(self, name, a, b, goal, device, runner, beside=None):
        value, lo, hi = ratio_of(a, b)
        if value is None:
            verdict = "no value"
        elif lo >= goal:
            verdict = "met"
        elif hi < goal:
            verdict = "missed"
        else:
            verdict = "within spread"
        row = {"name": name, "value": round(value, 4) if value is not None else None,
               "range": [round(lo, 4), round(hi, 4)] if value is not None else None,
               "goal": goal, "verdict": verdict,
               "met": {"met": True, "missed": False}.get(verdict),
               "kernel": self.kernel, "device": device, "runner": runner,
               "module_commit": self.module_commit}
        beside = {k: b for k, b in (beside or {}).items() if b not in (None, "-")}
        if beside:
            row["beside"] = beside
        self.rows.append(row)

    def markdown(self, title):
        md = [title, "", "| target | value (range from spreads) | goal | verdict |", "|---|---:|---:|---|"]
        for t in self.rows:
            v = (f"{t['value']:.4f} ({t['range'][0]:.4f}..{t['range'][1]:.4f})"
                 if t["value"] is not None else "-")
            extra = "".join(f"; {k}: {b}" for k, b in t.get("beside", {}).items())
            md.append(f"| {t['name']}{extra} | {v} | {t['goal']} | "
                      f"{ {'met': 'met', 'missed': 'MISSED'}.get(t['verdict'], t['verdict'])} |")
        return md

    def write(self, path):
        with open(path, "w") as f:
            json.dump(self.rows, f, indent=1)
            f.write("\n")

    def missing(self):
        return [t["name"] for t in self.rows if t["value"] is None]


def svg_chart(rows, title):
    """Grouped bars: gain (%) by QD, one group per engine, fs side by side."""
    engines = sorted({r["workload"] for r in rows}, key=["libaio", "io_uring", "io_uring_poll"].index)
    qds = sorted({r["qd"] for r in rows})
    fss = sorted({r["fs"] for r in rows})
    colors = {"ext4": "#3b6ea8", "xfs": "#d9822b"}
    gains = [(r["b"] / r["a"] - 1) * 100 for r in rows if r["a"] and r["b"]]
    top = max([1.0] + gains) * 1.25
    bottom = min([0.0] + gains) * 1.25
    bar, gap, group_gap = 18, 5, 34
    width_group = len(qds) * (len(fss) * bar + gap * 2)
    width = max(520, 70 + len(engines) * (width_group + group_gap))
    height, plot_top, plot_h = 340, 60, 220

    def y(v):
        return plot_top + (top - v) / (top - bottom) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="10" y="20" font-size="14">{title}</text>',
           f'<line x1="60" y1="{y(0):.1f}" x2="{width - 10}" y2="{y(0):.1f}" stroke="#444"/>',
           f'<text x="55" y="{y(0) + 4:.1f}" text-anchor="end">0%</text>',
           f'<text x="55" y="{y(top / 1.25) + 4:.1f}" text-anchor="end">{top / 1.25:+.0f}%</text>']
    x = 70
    for engine in engines:
        gx = x
        for qd in qds:
            for fs in fss:
                row = next((r for r in rows if r["workload"] == engine and r["qd"] == qd and r["fs"] == fs), None)
                if row and row["a"] and row["b"]:
                    g = (row["b"] / row["a"] - 1) * 100
                    y0, y1 = sorted((y(0), y(g)))
                    out.append(f'<rect x="{x}" y="{y0:.1f}" width="{bar}" height="{max(y1 - y0, 0.5):.1f}" '
                               f'fill="{colors.get(fs, "#777")}"><title>{fs} {engine} QD{qd}: {g:+.2f}%</title></rect>')
                    out.append(f'<text x="{x + bar / 2}" y="{(y0 - 3) if g >= 0 else (y1 + 10):.1f}" '
                               f'text-anchor="middle" font-size="8">{g:+.1f}</text>')
                x += bar
            out.append(f'<text x="{x - len(fss) * bar / 2}" y="{plot_top + plot_h + 15}" '
                       f'text-anchor="middle" font-size="9">{qd}</text>')
            x += gap * 2
        out.append(f'<text x="{(gx + x) / 2}" y="{plot_top + plot_h + 32}" text-anchor="middle" '
                   f'font-weight="bold">{engine}</text>')
        x += group_gap
    for i, fs in enumerate(fss):
        out.append(f'<rect x="{10 + i * 55}" y="30" width="10" height="10" fill="{colors.get(fs, "#777")}"/>')
        out.append(f'<text x="{24 + i * 55}" y="39">{fs}</text>')
    out.append(f'<text x="{10 + len(fss) * 55}" y="39" fill="#555">bars: gain in %, by queue depth</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main_bench(args):
    results, files = parse_log(args.log)
    if "sweep.json" not in files:
        sys.exit("collect: the guest sent no sweep results")
    sweep = sweep_points(files["sweep.json"])
    raw = {(p["workload"], p["qd"]): p for p in sweep if p["fs"] == "raw"}
    rows = []
    for p in sweep:
        if p["fs"] == "raw":
            continue
        r = raw.get((p["workload"], p["qd"]), {})
        p["fs_raw_a"] = ratio(p["a"], r.get("a"))
        p["fs_raw_b"] = ratio(p["b"], r.get("b"))
        rows.append(p)
    alloc = sweep_points(files.get("alloc_cache.json", {}))
    dsweep = sweep_points(files.get("diobench-sweep.json", {}))

    hook, inel, runner, repeat, maxb = {}, {}, {}, None, {}
    for r in results:
        if r[0] == "hook" and len(r) in (6, 9):
            hook.setdefault((r[1], r[2], int(r[3])), {})[r[4]] = point(r[5:])
        elif r[0] == "ineligible" and len(r) in (6, 9):
            inel.setdefault((r[1], r[2]), {})[r[4]] = point(r[5:])
        elif r[0] == "runner" and len(r) == 6:
            runner.setdefault(r[2], {})[r[4]] = int(r[5])
        elif r[0] == "maxbytes" and len(r) in (6, 9):
            run, _, dev = r[1].partition("-")
            if r[1].startswith("t-io_uring-"):
                run, dev = "t-io_uring", r[1][len("t-io_uring-"):]
            if r[1] == "fio-nullb":
                run, dev = "fio", "nullb"
            if run in MAX_BYTES_RUNNERS and dev in MAX_BYTES_DEVICES:
                maxb.setdefault((run, dev, r[2], r[3]), {})[r[4]] = point(r[5:])
        elif r[0] == "repeat" and len(r) == 6:
            repeat = {"fs": r[1], "workload": r[2], "qd": int(r[3]), "iops": int(r[5])}

    t = Targets(args.kver, args.module_commit)
    for (fs, engine, qd), v in sorted(hook.items()):
        t.add(f"{fs} fio {engine} QD{qd}: module loaded, simple_read=0 / no module",
              v.get("simple0"), v.get("nomodule"), HOOK_GOALS["fio"],
              "null_blk 512-byte blocks", f"fio {engine} QD{qd}")
    for (fs, kind), v in sorted(inel.items()):
        t.add(f"{fs} ineligible {kind} QD32: module / no module", v.get("simple1"), v.get("nomodule"),
              OVERHEAD_GOAL, "null_blk 512-byte blocks", "fio io_uring QD32")
    order = list(MAX_BYTES_RUNNERS)
    devs = list(MAX_BYTES_DEVICES)
    for (run, dev, fs, bs), v in sorted(maxb.items(), key=lambda kv: (order.index(kv[0][0]), devs.index(kv[0][1]),
                                                                       kv[0][2], int(kv[0][3].rstrip("k")))):
        if run == "fio":
            continue
        t.add(f"{fs} {bs} randread {run} {dev}: max_bytes 16384/0", v.get("16384"), v.get("0"),
              MAX_BYTES_GOALS[bs], MAX_BYTES_DEVICES[dev], MAX_BYTES_RUNNERS[run],
              beside={"fio on null_blk 512": pct(ratio_of(maxb.get(("fio", "nullb", fs, bs), {}).get("16384"),
                                                         maxb.get(("fio", "nullb", fs, bs), {}).get("0"))[0])})

    repeat_ok, repeat_diff = True, None
    if repeat:
        ref = next((p for p in rows if p["fs"] == repeat["fs"] and p["workload"] == repeat["workload"]
                    and p["qd"] == repeat["qd"]), None)
        if ref and ref["b"]:
            repeat_diff = repeat["iops"] / ref["b"] - 1
            repeat_ok = abs(repeat_diff) <= REPEAT_TOLERANCE
            repeat.update({"sweep_iops": ref["b"], "difference": repeat_diff})

    os.makedirs(args.outdir, exist_ok=True)
    base = os.path.join(args.outdir, args.kver)
    doc = {"kernel": args.kver, "revision": args.rev, "module_commit": args.module_commit,
           "t_io_uring": args.tio, "qemu_mode": args.mode,
           "commands": args.command, "units": "IOPS in icount guest time (instruction cost)",
           "raw_limit": "null_blk written in full before it is measured",
           "sweep": sweep, "diobench_runner_sweep": dsweep, "alloc_cache": alloc,
           "max_bytes": [{"runner": k[0], "device": k[1], "fs": k[2], "bs": k[3], **v} for k, v in maxb.items()],
           "hook": [{"fs": k[0], "workload": k[1], "qd": k[2], **v} for k, v in sorted(hook.items())],
           "ineligible": [{"fs": k[0], "kind": k[1], **v} for k, v in sorted(inel.items())],
           "runner": [{"variant": k, **v} for k, v in sorted(runner.items())],
           "repeat": repeat}
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    t.write(base + "-targets.json")
    with open(base + ".svg", "w") as f:
        f.write(svg_chart(rows, f"simple_read=1 over 0, fio 4K randread, {args.kver} (icount)"))

    md = [f"# simple-dio bench: {args.kver}", "",
          f"QEMU {args.mode}; commit {args.rev}, module {args.module_commit}; t/io_uring from {args.tio}.",
          "IOPS are guest IOPS under instruction counting: compare ratios, not absolute numbers.",
          "Commands: " + "; ".join(f"`{c}`" for c in args.command), "",
          "The sweep: one run per point (a kernel-path point is good to about ±1%, see the repeated",
          "points below); fs/raw against the raw null_blk, written in full before it is measured.", "",
          "| fs | workload | qd | simple=0 | simple=1 | gain | fs/raw (0) | fs/raw (1) |",
          "|---|---|---:|---:|---:|---:|---:|---:|"]
    for p in rows:
        fr = (f"{p['fs_raw_a']:.3f} | {p['fs_raw_b']:.3f}" if p["fs_raw_a"] and p["fs_raw_b"] else "- | -")
        md.append(f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} | {fr} |")
    md += ["", "Raw null_blk, prefilled (the limit):", "", "| workload | qd | simple=0 | simple=1 |",
           "|---|---:|---:|---:|"]
    for (engine, qd), p in sorted(raw.items()):
        md.append(f"| {engine} | {qd} | {fmt(p['a'])} | {fmt(p['b'])} |")
    md += ["", "Repeated points, median (min..max, runs): module loaded with simple_read=0 and no",
           "module (fio, 4K), and ineligible I/O (64K reads, 4K writes) with the module and without:", "",
           "| fs | workload | qd | no module | module | module / no module |", "|---|---|---:|---:|---:|---:|"]
    for (fs, engine, qd), v in sorted(hook.items()):
        md.append(f"| {fs} | {engine} | {qd} | {spread(v.get('nomodule'))} | {spread(v.get('simple0'))} "
                  f"(simple_read=0) | {fmt_ratio(v.get('simple0'), v.get('nomodule'))} |")
    for (fs, kind), v in sorted(inel.items()):
        md.append(f"| {fs} | {kind} | 32 | {spread(v.get('nomodule'))} | {spread(v.get('simple1'))} | "
                  f"{fmt_ratio(v.get('simple1'), v.get('nomodule'))} |")
    md += ["", "The same A/B with diobench sweep as the runner (one run per point; its default batches):", "",
           "| fs | workload | qd | simple=0 | simple=1 | gain |", "|---|---|---:|---:|---:|---:|"]
    for p in dsweep:
        md.append(f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} |")
    md += ["", "alloc_cache 0 vs 1 (simple_read=1):", "", "| fs | workload | qd | cache=0 | cache=1 | gain |",
           "|---|---|---:|---:|---:|---:|"]
    for p in alloc:
        md.append(f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} |")
    md += ["", "max_bytes 0 vs 16384 (database pages), QD32: fio, t/io_uring and diobench with",
           "t/io_uring's options. max_bytes=0 sends these reads down the kernel's path: median of",
           "several runs (min..max, runs). On the emulated devices " + COPY_SHARE + ".", "",
           "| runner | device | fs | bs | max_bytes=0 | =16384 | gain (range) |", "|---|---|---|---|---:|---:|---:|"]
    for (run, dev, fs, bs), v in sorted(maxb.items(), key=lambda kv: (devs.index(kv[0][1]), kv[0][2],
                                                                       int(kv[0][3].rstrip("k")), order.index(kv[0][0]))):
        md.append(f"| {MAX_BYTES_RUNNERS[run]} | {MAX_BYTES_DEVICES[dev]} | {fs} | {bs} | {spread(v.get('0'))} | "
                  f"{spread(v.get('16384'))} | {fmt_ratio(v.get('16384'), v.get('0'), gain=True)} |")
    md += ["", "Runners on the raw device (512-byte null_blk, prefilled), QD32: diobench against fio's",
           "io_uring engine (batches of 8) and against t/io_uring with t/io_uring's options:", "",
           "| variant | other runner | its IOPS | diobench | diobench / other |", "|---|---|---:|---:|---:|"]
    for variant, v in sorted(runner.items()):
        other = "t-io_uring" if "t-io_uring" in v else "fio"
        md.append(f"| {variant} | {other} | {fmt(v.get(other))} | {fmt(v.get('diobench'))} | "
                  f"{ratio(v.get('diobench'), v.get(other)) or 0:.4f} |")
    md += [""] + t.markdown(f"Targets (`{os.path.basename(base)}-targets.json`; met or missed only where the "
                            "whole range is on one side of the goal):")
    if repeat and repeat_diff is not None:
        md += ["", f"Determinism: {repeat['fs']} {repeat['workload']} QD{repeat['qd']} simple=1 repeated: "
               f"{fmt(repeat['iops'])} vs {fmt(repeat['sweep_iops'])} in the sweep ({repeat_diff * 100:+.3f}%)."]
    with open(base + ".md", "w") as f:
        f.write("\n".join(md) + "\n")

    print("\n".join(md[8:]))
    rc = report_missing(t)
    if not repeat_ok:
        print(f"collect: repeated point differs by {repeat_diff * 100:+.2f}% (> 1%): not deterministic",
              file=sys.stderr)
    return 1 if (rc or not repeat_ok or repeat_diff is None) else 0


def fmt_ratio(a, b, gain=False):
    value, lo, hi = ratio_of(a, b)
    if value is None:
        return "-"
    if gain:
        return f"{pct(value)} ({pct(lo)}..{pct(hi)})"
    return f"{value:.4f} ({lo:.4f}..{hi:.4f})"


def report_missing(t):
    missing = t.missing()
    if missing:
        print(f"collect: no value for: {', '.join(missing)}", file=sys.stderr)
    return 1 if missing else 0


def main_simple(args):
    """make bench-simple: two logs, 512 and 4096-byte null_blk."""
    t = Targets(args.kver, args.module_commit)
    data, md = {}, []
    configs = ["nomodule", "simple0", "simple1_nocache", "simple1"]
    for lbs, log in ((512, args.log), (4096, args.log4096)):
        results, _ = parse_log(log)
        pts = {}
        for r in results:
            if r[0] in ("raw", "ext4", "xfs") and len(r) in (4, 7):
                pts.setdefault((r[0], r[1]), {})[r[2]] = point(r[3:])
        if not pts:
            sys.exit(f"collect: no results in {log}")
        data[lbs] = pts
        dev = f"null_blk {lbs}-byte blocks, memory-backed, 256 tags"
        md += ["", f"## null_blk logical block size {lbs}", "",
               "Median (min..max, runs) per point; gain = simple_read 1 over 0 (range from the spreads);",
               "hook = simple_read=0 / no module.", "",
               "| target | ruler | no module | simple_read=0 | simple1, alloc_cache=0 | simple_read=1 | gain | hook |",
               "|---|---|---:|---:|---:|---:|---:|---:|"]
        for (tg, ru), v in pts.items():
            md.append(f"| {tg} | {ru} | " + " | ".join(spread(v.get(c)) for c in configs) +
                      f" | {fmt_ratio(v.get('simple1'), v.get('simple0'), gain=True)} | "
                      f"{fmt_ratio(v.get('simple0'), v.get('nomodule'))} |")
        rawlim = {ru: v.get("nomodule") for (tg, ru), v in pts.items() if tg == "raw"}
        md += ["", "fs/raw against the prefilled raw limit (raw with no module):", "",
               "| fs | ruler | no module | simple_read=1 |", "|---|---|---:|---:|"]
        for (tg, ru), v in pts.items():
            if tg != "raw" and rawlim.get(ru):
                md.append(f"| {tg} | {ru} | {fmt_ratio(v.get('nomodule'), rawlim[ru])} | "
                          f"{fmt_ratio(v.get('simple1'), rawlim[ru])} |")
        rawmod = [(ru, v) for (tg, ru), v in pts.items() if tg == "raw" and v.get("simple1")]
        if rawmod:
            md += ["", "Raw device, module loaded with simple_read=1 / no module (the module never touches it):", "",
                   "| ruler | ratio |", "|---|---:|"]
            md += [f"| {ru} | {fmt_ratio(v.get('simple1'), v.get('nomodule'))} |" for ru, v in rawmod]
        for fs in ("ext4", "xfs"):
            for p in ("p0", "p1"):
                v = pts.get((fs, f"t-io_uring-{p}"), {})
                d = pts.get((fs, f"diobench-{p}"), {})
                t.add(f"{fs} t/io_uring -{p} QD32, null_blk {lbs}: simple_read 1/0", v.get("simple1"),
                      v.get("simple0"), TIO_GAIN_GOALS[lbs], dev, SIMPLE_RULERS[f"t-io_uring-{p}"],
                      beside={"diobench": fmt_ratio(d.get("simple1"), d.get("simple0"), gain=True)})
            if lbs == 4096:
                for ru, goal in FS_RAW_GOALS.items():
                    v = pts.get((fs, ru), {})
                    t.add(f"{fs} {ru} null_blk {lbs}: fs/raw (prefilled) with simple_read=1", v.get("simple1"),
                          rawlim.get(ru), goal, dev + ", raw limit written in full", SIMPLE_RULERS[ru],
                          beside={"no module": fmt_ratio(v.get("nomodule"), rawlim.get(ru))})
            for ru, kind in (("io_uring", "fio"), ("io_uring_poll", "fio"),
                             ("t-io_uring-p0", "t-io_uring"), ("t-io_uring-p1", "t-io_uring")):
                v = pts.get((fs, ru))
                if v is None:       # a ruler this run left out (simple-bench.sh --guest-opts)
                    continue
                t.add(f"{fs} {ru} null_blk {lbs}: module loaded, simple_read=0 / no module", v.get("simple0"),
                      v.get("nomodule"), HOOK_GOALS[kind], dev, SIMPLE_RULERS[ru])
    os.makedirs(args.outdir, exist_ok=True)
    base = os.path.join(args.outdir, args.kver + "-simple")
    doc = {"kernel": args.kver, "revision": args.rev, "module_commit": args.module_commit,
           "t_io_uring": args.tio, "qemu_mode": args.mode, "commands": args.command,
           "rulers": SIMPLE_RULERS, "raw_limit": "null_blk written in full before it is measured",
           "points": [{"lbs": lbs, "target": k[0], "ruler": k[1], **v} for lbs, pts in data.items()
                      for k, v in pts.items()]}
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    t.write(base + "-targets.json")
    head = [f"# simple path benchmark (QD32), {args.kver}", "",
            f"QEMU {args.mode}: guest IOPS are 10^9 / instructions per I/O. Commit {args.rev}, module "
            f"{args.module_commit}; t/io_uring from {args.tio}. Commands: " +
            "; ".join(f"`{c}`" for c in args.command) + ".", "",
            "Rulers: " + "; ".join(f"`{k}` {v}" for k, v in SIMPLE_RULERS.items()
                                   if any(r == k for pts in data.values() for _, r in pts)) + ".",
            "Points through the kernel's own path (no module, simple_read=0) and the raw limit run",
            "several times in one boot; the raw null_blk is written in full before it is measured.", ""]
    out = head + t.markdown(f"Targets (`{os.path.basename(base)}-targets.json`; met or missed only where the "
                            "whole range is on one side of the goal):") + md
    with open(base + ".md", "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out[len(head):]))
    return report_missing(t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--simple", action="store_true", help="make bench-simple: LOG (512) LOG4096 OUTDIR KVER")
    ap.add_argument("log")
    ap.add_argument("rest", nargs="+")
    ap.add_argument("--mode", required=True)
    ap.add_argument("--rev", required=True)
    ap.add_argument("--module-commit", required=True)
    ap.add_argument("--tio", default="unknown", help="where t/io_uring came from (fio source version)")
    ap.add_argument("--command", action="append", default=[])
    args = ap.parse_args()
    if args.simple:
        if len(args.rest) != 3:
            ap.error("--simple takes LOG512 LOG4096 OUTDIR KVER")
        args.log4096, args.outdir, args.kver = args.rest
        return main_simple(args)
    if len(args.rest) != 2:
        ap.error("takes LOG OUTDIR KVER")
    args.outdir, args.kver = args.rest
    return main_bench(args)


if __name__ == "__main__":
    sys.exit(main())
