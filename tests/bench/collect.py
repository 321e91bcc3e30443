#!/usr/bin/env python3
"""Turn a `make bench` guest console log into the committed results.

    collect.py LOG OUTDIR KVER --mode MODE --rev REV --command CMD...

Reads the guest's "@@SDIO RESULT" lines and the "@@F name: line" files
(diobench sweep JSON) and writes OUTDIR/KVER.json (every point, with the
kernel, module revision, qemu mode and commands), OUTDIR/KVER.md (the
upstream series' table layout plus gain and fs/raw), OUTDIR/KVER.svg (gain
by queue depth, a group per engine, ext4 and xfs side by side) and
OUTDIR/KVER-targets.json. Exits 1 if the repeated point differs from the
sweep by more than 1% (icount runs must be deterministic) or data is
missing.
"""
import argparse
import json
import os
import sys

TARGETS_GAIN = [("io_uring", 64, 1.15), ("io_uring_poll", 128, 1.20)]
FS_RAW_GOAL = 0.92
OVERHEAD_GOAL = 0.99
MAX_BYTES_GOALS = {"8k": 1.10, "16k": 1.08}
# The devices of the t/io_uring-style max_bytes rows (tests/guest/sweep-bench.sh).
# The max_bytes rulers (tests/guest/sweep-bench.sh): runner and device.
MAX_BYTES_RULERS = {
    "fio-nullb": ("fio io_uring", "null_blk 512-byte blocks, memory-backed"),
    "nullb4k": ("t/io_uring-style", "null_blk 4K blocks, memory-backed"),
    "brd": ("t/io_uring-style", "brd"),
    "nullb-nocopy": ("t/io_uring-style", "xfs realtime on null_blk memory_backed=0"),
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("outdir")
    ap.add_argument("kver")
    ap.add_argument("--mode", required=True)
    ap.add_argument("--rev", required=True)
    ap.add_argument("--command", action="append", default=[])
    args = ap.parse_args()

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

    hook, inel, runner, repeat, maxb_dev = {}, {}, {}, None, {}
    for r in results:
        if r[0] == "hook" and len(r) == 6:
            hook.setdefault((r[1], r[2], int(r[3])), {})[r[4]] = int(r[5])
        elif r[0] == "ineligible" and len(r) == 6:
            inel.setdefault((r[1], r[2]), {})[r[4]] = int(r[5])
        elif r[0] == "runner" and len(r) == 6:
            runner.setdefault(r[2], {})[r[4]] = int(r[5])
        elif r[0] == "maxbytes" and len(r) == 6 and r[1] in MAX_BYTES_RULERS:
            maxb_dev.setdefault((r[1], r[2], r[3]), {})[r[4]] = int(r[5])
        elif r[0] == "repeat" and len(r) == 6:
            repeat = {"fs": r[1], "workload": r[2], "qd": int(r[3]), "iops": int(r[5])}

    targets = []

    def target(name, value, goal):
        targets.append({"name": name, "value": round(value, 4) if value is not None else None,
                        "goal": goal, "met": value is not None and value >= goal})

    for fs in sorted({p["fs"] for p in rows}):
        for engine, qd, goal in TARGETS_GAIN:
            p = next((p for p in rows if p["fs"] == fs and p["workload"] == engine and p["qd"] == qd), None)
            if p:
                target(f"{fs} {engine} QD{qd} simple_read 1/0", ratio(p["b"], p["a"]), goal)
                target(f"{fs} {engine} QD{qd} fs/raw with simple_read=1", p["fs_raw_b"], FS_RAW_GOAL)
    for (fs, engine, qd), v in sorted(hook.items()):
        target(f"{fs} {engine} QD{qd} module loaded, simple_read=0 / no module",
               ratio(v.get("simple0"), v.get("nomodule")), OVERHEAD_GOAL)
    for (fs, kind), v in sorted(inel.items()):
        target(f"{fs} ineligible {kind} QD32 module / no module",
               ratio(v.get("simple1"), v.get("nomodule")), OVERHEAD_GOAL)
    for (dev, fs, bs), v in maxb_dev.items():
        who, device = MAX_BYTES_RULERS[dev]
        target(f"{fs} {bs} randread {who} QD32 {device} max_bytes 16384/0",
               ratio(v.get("16384"), v.get("0")), MAX_BYTES_GOALS[bs])
    for variant, v in sorted(runner.items()):
        target(f"raw {variant} QD32 diobench run / fio io_uring", ratio(v.get("diobench"), v.get("fio")), 1.0)

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
    doc = {"kernel": args.kver, "module_revision": args.rev, "qemu_mode": args.mode,
           "commands": args.command, "units": "IOPS in icount guest time (instruction cost)",
           "sweep": sweep, "diobench_runner_sweep": dsweep, "alloc_cache": alloc, "max_bytes": [{"ruler": k[0], "fs": k[1], "bs": k[2], **v} for k, v in maxb_dev.items()],
           "hook": [{"fs": k[0], "workload": k[1], "qd": k[2], **v} for k, v in sorted(hook.items())],
           "ineligible": [{"fs": k[0], "kind": k[1], **v} for k, v in sorted(inel.items())],
           "runner": [{"variant": k, **v} for k, v in sorted(runner.items())],
           "repeat": repeat}
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    with open(base + "-targets.json", "w") as f:
        json.dump(targets, f, indent=1)
        f.write("\n")
    with open(base + ".svg", "w") as f:
        f.write(svg_chart(rows, f"simple_read=1 over 0, fio 4K randread, {args.kver} (icount)"))

    md = [f"# simple-dio bench: {args.kver}", "",
          f"QEMU {args.mode}; module {args.rev}. IOPS are guest IOPS under instruction counting:",
          "compare ratios, not absolute numbers. Commands: " + "; ".join(f"`{c}`" for c in args.command), "",
          "| fs | workload | qd | simple=0 | simple=1 | gain | fs/raw (0) | fs/raw (1) |",
          "|---|---|---:|---:|---:|---:|---:|---:|"]
    for p in rows:
        md.append(f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} | "
                  f"{p['fs_raw_a']:.3f} | {p['fs_raw_b']:.3f} |" if p["fs_raw_a"] and p["fs_raw_b"] else
                  f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} | - | - |")
    md += ["", "Raw null_blk (the limit):", "", "| workload | qd | simple=0 | simple=1 |", "|---|---:|---:|---:|"]
    for (engine, qd), p in sorted(raw.items()):
        md.append(f"| {engine} | {qd} | {fmt(p['a'])} | {fmt(p['b'])} |")
    md += ["", "The same A/B with diobench as the runner (leaner userspace than fio, like upstream's",
           "t/io_uring; not the targets' ruler, which is the fio sweep above):", "",
           "| fs | workload | qd | simple=0 | simple=1 | gain |", "|---|---|---:|---:|---:|---:|"]
    for p in dsweep:
        md.append(f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} |")
    md += ["", "alloc_cache 0 vs 1 (simple_read=1):", "", "| fs | workload | qd | cache=0 | cache=1 | gain |",
           "|---|---|---:|---:|---:|---:|"]
    for p in alloc:
        md.append(f"| {p['fs']} | {p['workload']} | {p['qd']} | {fmt(p['a'])} | {fmt(p['b'])} | "
                  f"{pct(ratio(p['b'], p['a']))} |")
    md += ["", "max_bytes 0 vs 16384 (database pages), io_uring QD32: fio (mean of two runs), and diobench",
           "as t/io_uring -B1 -F1 -X1 on three devices. The emulated devices copy on the CPU, which a",
           "DMA device does not: memory-backed null_blk the most, brd less, the xfs realtime file on a",
           "memory_backed=0 null_blk not at all:", "",
           "| runner | device | fs | bs | max_bytes=0 | =16384 | gain |", "|---|---|---|---|---:|---:|---:|"]
    for (dev, fs, bs), v in maxb_dev.items():
        who, device = MAX_BYTES_RULERS[dev]
        md.append(f"| {who} | {device} | {fs} | {bs} | {fmt(v.get('0'))} | {fmt(v.get('16384'))} | "
                  f"{pct(ratio(v.get('16384'), v.get('0')))} |")
    md += ["", "Targets (`" + os.path.basename(base) + "-targets.json`):", "", "| target | value | goal | met |",
           "|---|---:|---:|---|"]
    for t in targets:
        v = f"{t['value']:.4f}" if t["value"] is not None else "-"
        md.append(f"| {t['name']} | {v} | {t['goal']} | {'yes' if t['met'] else 'NO'} |")
    if repeat and repeat_diff is not None:
        md += ["", f"Determinism: {repeat['fs']} {repeat['workload']} QD{repeat['qd']} simple=1 repeated: "
               f"{fmt(repeat['iops'])} vs {fmt(repeat['sweep_iops'])} in the sweep ({repeat_diff * 100:+.3f}%)."]
    with open(base + ".md", "w") as f:
        f.write("\n".join(md) + "\n")

    print("\n".join(md[6:]))
    missing = [t["name"] for t in targets if t["value"] is None]
    if missing:
        print(f"collect: no value for: {', '.join(missing)}", file=sys.stderr)
    if not repeat_ok:
        print(f"collect: repeated point differs by {repeat_diff * 100:+.2f}% (> 1%): not deterministic",
              file=sys.stderr)
    return 1 if (missing or not repeat_ok or repeat_diff is None) else 0


if __name__ == "__main__":
    sys.exit(main())
