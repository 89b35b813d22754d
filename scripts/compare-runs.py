#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Do two featscale run folders (the same images, weights and options) hold the same numbers?

    scripts/compare-runs.py RUN_A RUN_B [--rtol 1e-5]

Used by scripts/debian13-check.sh to hold the Debian 13 build (LibTorch 2.6) to the Debian 12 one
(LibTorch 1.13). summary.csv: the same rows in the same order, every text cell equal and every number
within --rtol (relative, with an absolute floor of rtol * 1e-3 for values near zero); histograms.csv:
the same total count for each image, layer and stage, and at most --moved of those counts in another
bin (a norm exactly on a bin edge may land on either side when two BLAS builds round differently);
norm_maps.npz: every array within --rtol. Prints the largest differences found; exit 1 on any failure.
"""
import argparse
import csv
import math
import os
import sys
from collections import defaultdict

import numpy as np


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise SystemExit(f"compare-runs: {path}: empty")
    return rows[0], rows[1:]


def as_number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def close(a, b, rtol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= rtol * max(abs(a), abs(b)) + rtol * 1e-3


def compare_summary(a, b, rtol, problems):
    ha, ra = read_csv(os.path.join(a, "summary.csv"))
    hb, rb = read_csv(os.path.join(b, "summary.csv"))
    if ha != hb:
        problems.append(f"summary.csv: columns differ: {ha} vs {hb}")
        return 0.0
    if len(ra) != len(rb):
        problems.append(f"summary.csv: {len(ra)} rows vs {len(rb)}")
        return 0.0
    worst = 0.0
    for i, (x, y) in enumerate(zip(ra, rb), start=2):
        for col, u, v in zip(ha, x, y):
            nu, nv = as_number(u), as_number(v)
            if nu is None or nv is None:
                if u != v:
                    problems.append(f"summary.csv line {i}, {col}: '{u}' vs '{v}'")
                continue
            if not close(nu, nv, rtol):
                problems.append(f"summary.csv line {i} ({x[0]}, {x[1]}, {x[2]}), {col}: {u} vs {v}")
            elif nu != nv:
                worst = max(worst, abs(nu - nv) / max(abs(nu), abs(nv)))
    return worst


def histogram_counts(path):
    header, rows = read_csv(path)
    col = {name: k for k, name in enumerate(header)}
    per_bin = defaultdict(int)
    totals = defaultdict(int)
    for r in rows:
        key = (r[col["image"]], r[col["layer"]], r[col["stage"]])
        n = int(r[col["count"]])
        per_bin[key + (r[col["bin_lo"]],)] += n
        totals[key] += n
    return per_bin, totals


def compare_histograms(a, b, moved_limit, problems):
    bins_a, tot_a = histogram_counts(os.path.join(a, "histograms.csv"))
    bins_b, tot_b = histogram_counts(os.path.join(b, "histograms.csv"))
    if tot_a != tot_b:
        keys = sorted(set(tot_a) | set(tot_b))
        diff = [k for k in keys if tot_a.get(k) != tot_b.get(k)]
        problems.append(f"histograms.csv: totals differ for {len(diff)} histograms, e.g. {diff[0]}: "
                        f"{tot_a.get(diff[0])} vs {tot_b.get(diff[0])}")
        return 0
    moved_total = 0
    for key, total in tot_a.items():
        keys = {k for k in set(bins_a) | set(bins_b) if k[:3] == key}
        moved = sum(abs(bins_a.get(k, 0) - bins_b.get(k, 0)) for k in keys) // 2
        moved_total += moved
        if moved > moved_limit * total:
            problems.append(f"histograms.csv {key}: {moved} of {total} counts in other bins")
    return moved_total


def compare_maps(a, b, rtol, problems):
    pa, pb = os.path.join(a, "norm_maps.npz"), os.path.join(b, "norm_maps.npz")
    if not os.path.exists(pa) and not os.path.exists(pb):
        return 0.0
    if os.path.exists(pa) != os.path.exists(pb):
        problems.append("norm_maps.npz: present in only one run")
        return 0.0
    worst = 0.0
    with np.load(pa) as za, np.load(pb) as zb:
        if sorted(za.files) != sorted(zb.files):
            problems.append("norm_maps.npz: different arrays")
            return 0.0
        for name in za.files:
            x, y = za[name].astype(np.float64), zb[name].astype(np.float64)
            if x.shape != y.shape:
                problems.append(f"norm_maps.npz {name}: shape {x.shape} vs {y.shape}")
                continue
            scale = np.maximum(np.abs(x), np.abs(y))
            err = np.abs(x - y)
            if np.any(err > rtol * scale + rtol * 1e-3):
                problems.append(f"norm_maps.npz {name}: largest difference {err.max():.3g}")
            nz = scale > 0
            if nz.any():
                worst = max(worst, float((err[nz] / scale[nz]).max()))
    return worst


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--moved", type=float, default=1e-3, help="largest fraction of a histogram's counts in other bins")
    args = p.parse_args()
    problems = []
    s = compare_summary(args.a, args.b, args.rtol, problems)
    h = compare_histograms(args.a, args.b, args.moved, problems)
    m = compare_maps(args.a, args.b, args.rtol, problems)
    print(f"compare-runs: summary.csv largest relative difference {s:.3g}; histogram counts in other bins {h}; "
          f"norm maps largest relative difference {m:.3g}")
    for line in problems[:20]:
        print("compare-runs: " + line, file=sys.stderr)
    if problems:
        print(f"compare-runs: {len(problems)} differences beyond rtol {args.rtol}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
