#!/usr/bin/env python3
"""Turn insn-profile windows into instructions per I/O, per kernel function.

    insn-report.py PROFILE CONSOLE_LOG IOS [--top N] [--json OUT]

PROFILE is the plugin's output, CONSOLE_LOG the guest log holding the
kallsyms dump between @@SDIO KALLSYMS-BEGIN/END. Windows 1, 3 and 5 are
the measured ones of tests/guest/profile.sh: no module, simple_read=0,
simple_read=1. Window 7, when present, is the same runner doing only
FIXED_READS reads: its start-up and exit, which every measured window also
holds once, is taken out of each function's count before dividing by IOS,
so the figures are the steady state per read. Costs are self costs (a
function's own blocks), attributed by the block's first address.

--raw-check: the profile read a raw device, which the module never touches,
so the three windows must agree within 0.2% (total instructions per read);
otherwise something else ran inside them (as the kernel's background DH
self-test once did) and the report fails.
"""
import argparse
import base64
import bisect
import gzip
import json
import sys

WINDOWS = {1: "nomodule", 3: "simple0", 5: "simple1"}
FIXED_WINDOW, FIXED_READS = 7, 32
KERNEL_START = 0xFFFF800000000000
USER = "[user]"
RAW_TOLERANCE = 0.002


def load_kallsyms(log_path):
    lines, inside = [], False
    with open(log_path, errors="replace") as log:
        for line in log:
            line = line.strip()
            if line == "@@SDIO KALLSYMS-BEGIN":
                inside = True
            elif line == "@@SDIO KALLSYMS-END":
                break
            elif inside:
                lines.append(line)
    if not lines:
        sys.exit("insn-report: no kallsyms dump in " + log_path)
    text = gzip.decompress(base64.b64decode("".join(lines))).decode()
    syms = []
    for row in text.splitlines():
        parts = row.split()
        if len(parts) < 3:
            continue
        name = parts[2] + (" " + parts[3] if len(parts) > 3 else "")
        syms.append((int(parts[0], 16), name))
    syms.sort()
    if not syms or syms[-1][0] == 0:
        sys.exit("insn-report: kallsyms shows no addresses (kptr_restrict?)")
    return [a for a, _ in syms], [n for _, n in syms]


def load_windows(profile_path):
    windows, cur = {}, None
    with open(profile_path) as prof:
        for line in prof:
            parts = line.split()
            if parts[0] == "W":
                cur = windows.setdefault(int(parts[1]), [])
            else:
                cur.append((int(parts[0], 16), int(parts[1]) * int(parts[2])))
    return windows


def per_symbol(blocks, addrs, names):
    costs, user = {}, 0
    for vaddr, insns in blocks:
        if vaddr < KERNEL_START:
            user += insns
            continue
        i = bisect.bisect_right(addrs, vaddr) - 1
        name = names[i] if i >= 0 else "?"
        costs[name] = costs.get(name, 0) + insns
    return costs, user


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("profile")
    ap.add_argument("log")
    ap.add_argument("ios", type=int)
    ap.add_argument("--top", type=int, default=45)
    ap.add_argument("--json")
    ap.add_argument("--raw-check", action="store_true")
    ap.add_argument("--knob", default="simple_read", help="the knob windows 3 and 5 set to 0 and 1")
    args = ap.parse_args()
    addrs, names = load_kallsyms(args.log)
    windows = load_windows(args.profile)
    missing = [w for w in WINDOWS if w not in windows]
    if missing:
        sys.exit("insn-report: profile lacks windows %s" % missing)
    counts = {}
    for w in list(WINDOWS) + [FIXED_WINDOW]:
        if w in windows:
            costs, user = per_symbol(windows[w], addrs, names)
            counts[w] = dict(costs, **{USER: user})
    # fixed = F + r * steady and simple1 = F + ios * steady, per function,
    # with r = FIXED_READS: solve for the start-up and exit cost F.
    fixed = {}
    if FIXED_WINDOW in counts:
        q = FIXED_READS / args.ios
        fw, s1 = counts[FIXED_WINDOW], counts[5]
        fixed = {k: (fw.get(k, 0) - q * s1.get(k, 0)) / (1 - q) for k in set(fw) | set(s1)}
    per, summary = {}, {}
    for w, label in WINDOWS.items():
        c = counts[w]
        # A function this window never ran costs it nothing: subtract only
        # from what ran (the start-up's exec, faults and exit run in all).
        per[label] = {k: (v - fixed.get(k, 0)) / args.ios for k, v in c.items() if k != USER}
        user = (c[USER] - fixed.get(USER, 0)) / args.ios
        kernel = sum(per[label].values())
        summary[label] = {"kernel": kernel, "user": user, "total": kernel + user}
    print("instructions per I/O (%d I/Os per window; simple0/simple1: %s 0/1)" % (args.ios, args.knob))
    if fixed:
        print("runner start-up and exit, subtracted from each window: %.0f instructions "
              "(%.0f per read)" % (sum(fixed.values()), sum(fixed.values()) / args.ios))
    else:
        print("no start-up window: figures include the runner's start-up and exit")
    print("%-10s %10s %10s %10s" % ("window", "kernel", "user", "total"))
    for label, s in summary.items():
        print("%-10s %10.0f %10.0f %10.0f" % (label, s["kernel"], s["user"], s["total"]))
    s0, s1, nm = (summary[k]["total"] for k in ("simple0", "simple1", "nomodule"))
    print("ratio simple1/simple0 (IOPS): %.4f   simple0/nomodule: %.4f" % (s0 / s1, nm / s0))
    funcs = set().union(*(p.keys() for p in per.values()))
    rows = sorted(funcs, key=lambda f: -max(per[k].get(f, 0) for k in per))
    print("\ntop functions by self instructions per I/O")
    print("%-44s %9s %9s %9s %9s" % ("function", "nomodule", "simple0", "simple1", "1-0"))
    for f in rows[:args.top]:
        v = [per[k].get(f, 0) for k in ("nomodule", "simple0", "simple1")]
        print("%-44s %9.1f %9.1f %9.1f %+9.1f" % (f[:44], *v, v[2] - v[1]))
    deltas = sorted(funcs, key=lambda f: per["simple1"].get(f, 0) - per["simple0"].get(f, 0))
    print("\nlargest changes %s 0 -> 1 (instructions per I/O)" % args.knob)
    for f in deltas[:20] + [f for f in deltas[-20:] if f not in deltas[:20]]:
        d = per["simple1"].get(f, 0) - per["simple0"].get(f, 0)
        if abs(d) >= 1:
            print("%-44s %+9.1f" % (f[:44], d))
    spread = None
    if args.raw_check:
        totals = [s["total"] for s in summary.values()]
        spread = max(totals) / min(totals) - 1
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"ios": args.ios, "fixed_total": sum(fixed.values()) if fixed else None,
                       "raw_window_spread": spread, "summary": summary, "functions": per}, out, indent=1)
    if spread is not None:
        good = spread <= RAW_TOLERANCE
        print("\nraw self-check: the three windows differ by %.3f%% (allowed %.1f%%): %s"
              % (spread * 100, RAW_TOLERANCE * 100, "ok" if good else "FAILED"))
        if not good:
            sys.exit(1)


if __name__ == "__main__":
    main()
