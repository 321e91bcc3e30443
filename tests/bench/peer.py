#!/usr/bin/env python3
"""The peer table from peer-bench guest logs: each kernel's stock path and
the module (simple_read 0 and 1) side by side, as IOPS and as fs/raw
against that kernel's own prefilled raw device, with the targets.

  peer.py --module-commit C --tio T --runtime S --reps N --out DIR LOG...
"""
import argparse
import json
import re
import sys
from pathlib import Path

RULERS = ["fio-io_uring-qd64", "fio-io_uring_poll-qd128", "t-io_uring-p0", "t-io_uring-p1"]
STATES = ["stock", "simple0", "simple1"]
LINE = re.compile(r"^@@SDIO RESULT peer (\d+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+) (\d+)")
KERNEL = re.compile(r"^@@SDIO INFO kernel (\S+),")


def parse(paths):
    points = {}  # (kver, lbs, target, ruler, state) -> (med, min, max, n)
    for path in paths:
        kver = None
        for line in Path(path).read_text(errors="replace").splitlines():
            m = KERNEL.match(line)
            if m:
                kver = m.group(1)
            m = LINE.match(line)
            if m and kver:
                lbs, target, ruler, state = m.group(1), m.group(2), m.group(3), m.group(4)
                points[(kver, int(lbs), target, ruler, state)] = tuple(int(x) for x in m.groups()[4:])
    return points


def kernel_order(kvers):
    def key(k):
        return [int(x) for x in re.findall(r"\d+", k)[:3]]
    return sorted(kvers, key=key)


def verdict(ratio, lo, hi, goal):
    """met / missed, or within the spread when the spread straddles the goal."""
    if lo >= goal:
        return "met"
    if hi < goal:
        return "missed"
    return "within spread"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--module-commit", required=True)
    ap.add_argument("--tio", default="")
    ap.add_argument("--runtime", default="1")
    ap.add_argument("--reps", default="5")
    ap.add_argument("--out", required=True)
    ap.add_argument("--merge", help="an earlier peer.json: its points this run lacks are kept")
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()
    pts = parse(a.logs)
    if a.merge:
        for p in json.loads(Path(a.merge).read_text()):
            key = (p["kernel"], p["lbs"], p["target"], p["ruler"], p["state"])
            pts.setdefault(key, (p["median"], p["min"], p["max"], p["runs"]))
    if not pts:
        sys.exit("peer.py: no peer results in the logs")
    kvers = kernel_order({k[0] for k in pts})
    lbss = sorted({k[1] for k in pts})
    out = Path(a.out)
    md = ["# Peer table: the module beside each kernel's own path", "",
          f"icount mode, 4K random reads; module commit {a.module_commit}; {a.tio}; "
          f"{a.runtime} s per run, kernel-path points (stock, simple_read=0) median of {a.reps} runs "
          "with [min..max]. fs/raw: against the same kernel's prefilled raw null_blk "
          "(fio QD64 against raw fio QD64, and so on per ruler). Made by `make bench-peer`.", ""]

    def get(k, lbs, target, ruler, state):
        return pts.get((k, lbs, target, ruler, state))

    targets = []
    for lbs in lbss:
        md += [f"## null_blk, {lbs}-byte logical blocks", ""]
        for fs in ["ext4", "xfs"]:
            md += [f"### {fs}", "", "| kernel, state | " + " | ".join(RULERS) + " |",
                   "|---|" + "---:|" * len(RULERS)]
            for k in kvers:
                raw = [get(k, lbs, "raw", r, "stock") for r in RULERS]
                md.append(f"| {k} raw (prefilled) | " + " | ".join(
                    f"{p[0]:,}" + (f" [{p[1]:,}..{p[2]:,}]" if p[3] > 1 else "") if p else "–" for p in raw) + " |")
                for st in STATES:
                    cells = []
                    for r, rp in zip(RULERS, raw):
                        p = get(k, lbs, fs, r, st)
                        if not p:
                            cells.append("–")
                            continue
                        c = f"{p[0]:,}"
                        if p[3] > 1:
                            c += f" [{p[1]:,}..{p[2]:,}]"
                        if rp:
                            c += f" ({p[0] / rp[0]:.3f})"
                        cells.append(c)
                    label = {"stock": "stock", "simple0": "+ module, simple_read=0",
                             "simple1": "+ module, simple_read=1"}[st]
                    md.append(f"| {k} {label} | " + " | ".join(cells) + " |")
            md.append("")
        # Ratios that the issue asks for, per kernel pair.
        if len(kvers) >= 2:
            old, new = kvers[0], kvers[-1]
            md += [f"### Ratios, {lbs}-byte blocks", "",
                   "| comparison | fs | " + " | ".join(RULERS) + " |", "|---|---|" + "---:|" * len(RULERS)]
            comps = [
                (f"{old} + module (1) / {new} stock, IOPS", (old, "simple1"), (new, "stock"), False, 1.0),
                (f"{old} + module (1) / {new} stock, fs/raw", (old, "simple1"), (new, "stock"), True, 1.0),
                (f"{new} + module (0) / {old} stock, IOPS", (new, "simple0"), (old, "stock"), False, None),
                (f"{new} + module (1) / {new} stock, IOPS", (new, "simple1"), (new, "stock"), False, None),
                (f"{old}: simple_read 1 / 0", (old, "simple1"), (old, "simple0"), False, None),
                (f"{new}: simple_read 1 / 0", (new, "simple1"), (new, "simple0"), False, None),
                (f"{new} stock / {old} stock (upstream's gain)", (new, "stock"), (old, "stock"), False, None),
            ]
            for name, (ka, sa), (kb, sb), norm, goal in comps:
                for fs in ["ext4", "xfs"]:
                    cells = []
                    for r in RULERS:
                        pa, pb = get(ka, lbs, fs, r, sa), get(kb, lbs, fs, r, sb)
                        ra, rb = get(ka, lbs, "raw", r, "stock"), get(kb, lbs, "raw", r, "stock")
                        if not (pa and pb and (not norm or (ra and rb))):
                            cells.append("–")
                            continue
                        na, nb = (ra[0], rb[0]) if norm else (1, 1)
                        ratio = (pa[0] / na) / (pb[0] / nb)
                        lo = (pa[1] / (ra[2] if norm else 1)) / (pb[2] / (rb[1] if norm else 1))
                        hi = (pa[2] / (ra[1] if norm else 1)) / (pb[1] / (rb[2] if norm else 1))
                        cell = f"{ratio:.4f}"
                        if lo != hi:
                            cell += f" [{lo:.4f}..{hi:.4f}]"
                        if goal is not None:
                            v = verdict(ratio, lo, hi, goal)
                            cell = f"**{cell}**" if v == "met" else cell
                            cell += f" {v}"
                            targets.append({"target": name, "lbs": lbs, "fs": fs, "ruler": r,
                                            "goal": f">= {goal:.3f}", "value": round(ratio, 4),
                                            "spread": [round(lo, 4), round(hi, 4)], "verdict": v,
                                            "device": f"null_blk memory_backed=1 blocksize={lbs} (raw prefilled)",
                                            "kernels": [ka, kb], "module_commit": a.module_commit})
                        cells.append(cell)
                    md.append(f"| {name} | {fs} | " + " | ".join(cells) + " |")
            md.append("")
    out.mkdir(parents=True, exist_ok=True)
    (out / "peer.md").write_text("\n".join(md) + "\n")
    (out / "peer.json").write_text(json.dumps(
        [dict(kernel=k[0], lbs=k[1], target=k[2], ruler=k[3], state=k[4], median=v[0], min=v[1], max=v[2], runs=v[3])
         for k, v in sorted(pts.items())], indent=1) + "\n")
    (out / "peer-targets.json").write_text(json.dumps(targets, indent=1) + "\n")
    print("\n".join(md))
    met = sum(t["verdict"] == "met" for t in targets)
    print(f"peer targets: {met} met, {sum(t['verdict'] == 'missed' for t in targets)} missed, "
          f"{sum(t['verdict'] == 'within spread' for t in targets)} within the spread, of {len(targets)}")


if __name__ == "__main__":
    main()
