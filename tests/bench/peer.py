#!/usr/bin/env python3
"""The peer table from peer-bench guest logs: each kernel's stock path and
the module (simple_read 0 and 1) side by side, as IOPS and as fs/raw
against that kernel's own prefilled raw device, with the targets; once per
mitigations setting the guests booted with (off, or the kernel's default).

  peer.py --module-commit C --tio T --runtime S --reps N --out DIR
          [--merge peer.json] LOG...
"""
import argparse
import json
import re
import sys
from pathlib import Path

RULERS = ["fio-io_uring-qd64", "fio-io_uring_poll-qd128", "t-io_uring-p0", "t-io_uring-p1"]
STATES = ["stock", "simple0", "simple1"]
MITIGATIONS = ["off", "auto"]
LINE = re.compile(r"^@@SDIO RESULT peer (\d+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+) (\d+)")
KERNEL = re.compile(r"^@@SDIO INFO kernel (\S+),")
MIT = re.compile(r"^@@SDIO INFO mitigations: (\S+)")
VULN = re.compile(r"^@@SDIO INFO vulnerability (\S+): (.*)")
IN_TREE = re.compile(r"^@@SDIO INFO kernel simple path in tree: (\d)")
# What +- "within one point" means for the 7.3 A/B against upstream's gain.
AB_TOLERANCE = 0.01


def parse(paths):
    """points: (mit, kver, lbs, target, ruler, state) -> (med, min, max, n);
    in_tree: kver -> bool; vulns: (mit, kver) -> {name: state}."""
    points, in_tree, vulns = {}, {}, {}
    for path in paths:
        kver, mit = None, "off"
        for line in Path(path).read_text(errors="replace").splitlines():
            if m := KERNEL.match(line):
                kver = m.group(1)
            elif m := MIT.match(line):
                mit = m.group(1)
            elif (m := VULN.match(line)) and kver:
                vulns.setdefault((mit, kver), {})[m.group(1)] = m.group(2).strip()
            elif (m := IN_TREE.match(line)) and kver:
                in_tree[kver] = m.group(1) == "1"
            elif (m := LINE.match(line)) and kver:
                lbs, target, ruler, state = m.group(1), m.group(2), m.group(3), m.group(4)
                points[(mit, kver, int(lbs), target, ruler, state)] = tuple(int(x) for x in m.groups()[4:])
    return points, in_tree, vulns


def kernel_order(kvers):
    def key(k):
        return [int(x) for x in re.findall(r"\d+", k)[:3]]
    return sorted(kvers, key=key)


def verdict(lo, hi, goal_lo, goal_hi=None):
    """met when the whole spread lies in [goal_lo, goal_hi], missed when it
    lies wholly outside, else within spread."""
    goal_hi = float("inf") if goal_hi is None else goal_hi
    if lo >= goal_lo and hi <= goal_hi:
        return "met"
    if hi < goal_lo or lo > goal_hi:
        return "missed"
    return "within spread"


def cell_text(value, lo, hi, v=None):
    c = f"{value:.4f}"
    if lo != hi:
        c += f" [{lo:.4f}..{hi:.4f}]"
    if v is not None:
        c = (f"**{c}**" if v == "met" else c) + f" {v}"
    return c


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
    pts, in_tree, vulns = parse(a.logs)
    if a.merge:
        old = json.loads(Path(a.merge).read_text())
        for p in old.get("points", []) if isinstance(old, dict) else old:
            key = (p.get("mitigations", "off"), p["kernel"], p["lbs"], p["target"], p["ruler"], p["state"])
            pts.setdefault(key, (p["median"], p["min"], p["max"], p["runs"]))
        if isinstance(old, dict):
            for k, v in old.get("in_tree", {}).items():
                in_tree.setdefault(k, v)
            for v in old.get("vulnerabilities", []):
                vulns.setdefault((v["mitigations"], v["kernel"]), v["state"])
    if not pts:
        sys.exit("peer.py: no peer results in the logs")
    out = Path(a.out)
    md = ["# Peer table: the module beside each kernel's own path", "",
          f"icount mode, 4K random reads; module commit {a.module_commit}; {a.tio}; "
          f"{a.runtime} s per run, kernel-path points (stock, simple_read=0, and simple_read=1 "
          f"where it is the kernel's own simple path) median of {a.reps} runs "
          "with [min..max]. fs/raw: against the same kernel's prefilled raw null_blk "
          "(fio QD64 against raw fio QD64, and so on per ruler). Ratios give [low..high] from the "
          "points' spreads; a target is met or missed only when the whole spread is on one side. "
          "Made by `make bench-peer`: every kernel with mitigations=off, and 7.2 and 7.3 once more "
          "with the kernel's default mitigations (`peer-bench.sh --mitigations auto`; what the kernel "
          "chose for QEMU's `max` CPU is listed per kernel).", ""]

    def get(mit, k, lbs, target, ruler, state):
        return pts.get((mit, k, lbs, target, ruler, state))

    def ratio(mit, lbs, fs, r, a_, b_, norm):
        """(ratio, lo, hi) of point a_ over point b_ ((kernel, state) each),
        normalised by each kernel's raw limit when norm, or None."""
        (ka, sa), (kb, sb) = a_, b_
        pa, pb = get(mit, ka, lbs, fs, r, sa), get(mit, kb, lbs, fs, r, sb)
        ra, rb = get(mit, ka, lbs, "raw", r, "stock"), get(mit, kb, lbs, "raw", r, "stock")
        if not (pa and pb and (not norm or (ra and rb))):
            return None
        if norm:
            return ((pa[0] / ra[0]) / (pb[0] / rb[0]),
                    (pa[1] / ra[2]) / (pb[2] / rb[1]), (pa[2] / ra[1]) / (pb[1] / rb[2]))
        return pa[0] / pb[0], pa[1] / pb[2], pa[2] / pb[1]

    def fs_raw(mit, k, lbs, fs, r, state):
        """(ratio, lo, hi) of one point over its kernel's raw limit, or None."""
        p, rp = get(mit, k, lbs, fs, r, state), get(mit, k, lbs, "raw", r, "stock")
        return (p[0] / rp[0], p[1] / rp[2], p[2] / rp[1]) if p and rp else None

    targets = []

    def target(mit, lbs, fs, r, name, goal, value, lo, hi, v, kernels):
        targets.append({"target": name, "mitigations": mit, "lbs": lbs, "fs": fs, "ruler": r,
                        "goal": goal, "value": round(value, 4), "spread": [round(lo, 4), round(hi, 4)],
                        "verdict": v, "device": f"null_blk memory_backed=1 blocksize={lbs} (raw prefilled)",
                        "kernels": kernels, "module_commit": a.module_commit})

    for mit in [m for m in MITIGATIONS if any(k[0] == m for k in pts)]:
        kvers = kernel_order({k[1] for k in pts if k[0] == mit})
        md += [f"# Mitigations {mit}", ""]
        for k in kvers:
            vs = vulns.get((mit, k))
            if vs:
                md.append(f"- {k}: " + "; ".join(f"{n}: {s}" for n, s in sorted(vs.items())))
        md.append("")
        # The pair the issue compares: the newest kernel without the
        # in-tree simple path against the first one with it.
        olds = [k for k in kvers if not in_tree.get(k)]
        news = [k for k in kvers if in_tree.get(k)]
        for lbs in sorted({k[2] for k in pts if k[0] == mit}):
            md += [f"## null_blk, {lbs}-byte logical blocks, mitigations {mit}", ""]
            for fs in ["ext4", "xfs"]:
                md += [f"### {fs}", "", "| kernel, state | " + " | ".join(RULERS) + " |",
                       "|---|" + "---:|" * len(RULERS)]
                for k in kvers:
                    raw = [get(mit, k, lbs, "raw", r, "stock") for r in RULERS]
                    if not any(raw) and not any(get(mit, k, lbs, fs, r, "stock") for r in RULERS):
                        continue
                    md.append(f"| {k} raw (prefilled) | " + " | ".join(
                        f"{p[0]:,}" + (f" [{p[1]:,}..{p[2]:,}]" if p[3] > 1 else "") if p else "–"
                        for p in raw) + " |")
                    for st in STATES:
                        cells = []
                        for r, rp in zip(RULERS, raw):
                            p = get(mit, k, lbs, fs, r, st)
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
            rows = []  # (name, fs, cells)

            def row(name, fs, cells):
                rows.append(f"| {name} | {fs} | " + " | ".join(cells) + " |")

            # The off state against no module: on kernels without the
            # in-tree path simple_read=0 removes every hook; with it,
            # simple_read=1 (max_bytes 0) is the kernel's own path.
            for k in kvers:
                st = "simple1" if in_tree.get(k) else "simple0"
                name = f"{k} + module ({st[-1]}) / {k} stock, IOPS"
                for fs in ["ext4", "xfs"]:
                    cells = []
                    for r in RULERS:
                        x = ratio(mit, lbs, fs, r, (k, st), (k, "stock"), False)
                        if not x:
                            cells.append("–")
                            continue
                        v = verdict(x[1], x[2], 0.999)
                        cells.append(cell_text(*x, v))
                        target(mit, lbs, fs, r, name, ">= 0.999", *x, v, [k])
                    if any(c != "–" for c in cells):
                        row(name, fs, cells)
            # Each kernel's own A/B (on 7.3 it switches upstream's path).
            for k in kvers:
                for fs in ["ext4", "xfs"]:
                    cells = [cell_text(*x) if (x := ratio(mit, lbs, fs, r, (k, "simple1"), (k, "simple0"), False))
                             else "–" for r in RULERS]
                    if any(c != "–" for c in cells):
                        row(f"{k}: simple_read 1 / 0", fs, cells)
            # Issue 21's fs/raw goals for a 6.12 backport, on two rulers:
            # ext4 0.92 (fio QD64) and 0.86 (t/io_uring -p0); xfs what the
            # in-tree kernel's own path reads on xfs in this run.
            ext4_goals = {"fio-io_uring-qd64": 0.92, "t-io_uring-p0": 0.86}
            for k in [k for k in kvers if k.startswith("6.12.")]:
                for fs in ["ext4", "xfs"]:
                    cells = []
                    for r in RULERS:
                        x = fs_raw(mit, k, lbs, fs, r, "simple1")
                        if not x:
                            cells.append("–")
                            continue
                        goal = None
                        if r in ext4_goals and fs == "ext4":
                            goal = ext4_goals[r]
                        elif r in ext4_goals and news and (q := fs_raw(mit, news[0], lbs, fs, r, "stock")):
                            goal = round(q[0], 3)
                        v = verdict(x[1], x[2], goal) if goal is not None else None
                        cells.append(cell_text(*x, v) + (f" (goal {goal:.3f})" if goal is not None else ""))
                        if v:
                            target(mit, lbs, fs, r, f"{k} + module (1), fs/raw", f">= {goal:.3f}", *x, v, [k])
                    if any(c != "–" for c in cells):
                        row(f"{k} + module (1), fs/raw", fs, cells)
            if olds and news:
                old, new = olds[-1], news[0]
                comps = [
                    (f"{old} + module (1) / {new} stock, IOPS", (old, "simple1"), (new, "stock"), False, 1.0),
                    (f"{old} + module (1) / {new} stock, fs/raw", (old, "simple1"), (new, "stock"), True, 1.0),
                    (f"{new} + module (0) / {old} stock, IOPS", (new, "simple0"), (old, "stock"), False, None),
                    (f"{new} + module (0) / {old} stock, fs/raw", (new, "simple0"), (old, "stock"), True, None),
                ]
                for name, pa, pb, norm, goal in comps:
                    for fs in ["ext4", "xfs"]:
                        cells = []
                        for r in RULERS:
                            x = ratio(mit, lbs, fs, r, pa, pb, norm)
                            if not x:
                                cells.append("–")
                                continue
                            v = verdict(x[1], x[2], goal) if goal is not None else None
                            cells.append(cell_text(*x, v))
                            if v:
                                target(mit, lbs, fs, r, name, f">= {goal:.3f}", *x, v, [pa[0], pb[0]])
                        row(name, fs, cells)
                # The A/B on the new kernel against upstream's own gain,
                # each kernel's stock normalised by its own raw limit.
                ug_name = f"{new} stock / {old} stock, fs/raw (upstream's gain)"
                diff_name = f"{new} A/B minus upstream's gain (goal within +-{AB_TOLERANCE:.2f})"
                for fs in ["ext4", "xfs"]:
                    ugc, dc = [], []
                    for r in RULERS:
                        ab = ratio(mit, lbs, fs, r, (new, "simple1"), (new, "simple0"), False)
                        ug = ratio(mit, lbs, fs, r, (new, "stock"), (old, "stock"), True)
                        ugc.append(cell_text(*ug) if ug else "–")
                        if not (ab and ug):
                            dc.append("–")
                            continue
                        d, lo, hi = ab[0] - ug[0], ab[1] - ug[2], ab[2] - ug[1]
                        v = verdict(lo, hi, -AB_TOLERANCE, AB_TOLERANCE)
                        dc.append(f"{d:+.4f} [{lo:+.4f}..{hi:+.4f}] {v}")
                        target(mit, lbs, fs, r, diff_name, f"within +-{AB_TOLERANCE:.2f}", d, lo, hi, v, [new, old])
                    row(ug_name, fs, ugc)
                    row(diff_name, fs, dc)
            if rows:
                md += [f"### Ratios, {lbs}-byte blocks, mitigations {mit}", "",
                       "| comparison | fs | " + " | ".join(RULERS) + " |", "|---|---|" + "---:|" * len(RULERS)]
                md += rows + [""]
    # What the default mitigations cost each path: the same point booted
    # with and without them.
    both = sorted({(k[1], k[2]) for k in pts if k[0] == "auto"} & {(k[1], k[2]) for k in pts if k[0] == "off"})
    if both:
        md += ["# The default mitigations' cost: IOPS with them over IOPS without", "",
               "| kernel, lbs | target, state | " + " | ".join(RULERS) + " |", "|---|---|" + "---:|" * len(RULERS)]
        for k, lbs in sorted(both, key=lambda x: (kernel_order([y[0] for y in both]).index(x[0]), x[1])):
            for tgt, st in [("raw", "stock")] + [(fs, s) for fs in ["ext4", "xfs"] for s in STATES]:
                cells = []
                for r in RULERS:
                    pa, pb = get("auto", k, lbs, tgt, r, st), get("off", k, lbs, tgt, r, st)
                    cells.append(cell_text(pa[0] / pb[0], pa[1] / pb[2], pa[2] / pb[1]) if pa and pb else "–")
                if any(c != "–" for c in cells):
                    md.append(f"| {k}, {lbs} | {tgt} {st} | " + " | ".join(cells) + " |")
        md.append("")
    out.mkdir(parents=True, exist_ok=True)
    (out / "peer.md").write_text("\n".join(md) + "\n")
    (out / "peer.json").write_text(json.dumps({
        "points": [dict(mitigations=k[0], kernel=k[1], lbs=k[2], target=k[3], ruler=k[4], state=k[5],
                        median=v[0], min=v[1], max=v[2], runs=v[3]) for k, v in sorted(pts.items())],
        "in_tree": in_tree,
        "vulnerabilities": [dict(mitigations=m, kernel=k, state=s) for (m, k), s in sorted(vulns.items())],
    }, indent=1) + "\n")
    (out / "peer-targets.json").write_text(json.dumps(targets, indent=1) + "\n")
    print("\n".join(md))
    for mit in MITIGATIONS:
        ts = [t for t in targets if t["mitigations"] == mit]
        if ts:
            print(f"peer targets, mitigations {mit}: {sum(t['verdict'] == 'met' for t in ts)} met, "
                  f"{sum(t['verdict'] == 'missed' for t in ts)} missed, "
                  f"{sum(t['verdict'] == 'within spread' for t in ts)} within the spread, of {len(ts)}")


if __name__ == "__main__":
    main()
