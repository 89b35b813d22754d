#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns the JSON lines of one benchmark run into the results table (stdout) and
docs/PERFORMANCE.md (written atomically).

  report.py RESULTS.jsonl --doc docs/PERFORMANCE.md [--baseline bench/baseline.jsonl] [--notes FILE]

Every figure is a ratio of two numbers measured in the same run on the same machine. Where a
figure was measured several times (run.sh alternates the PyTorch and featscale processes for
several rounds), the median of all timed runs of each side is used, so a burst of load from
other processes on a shared machine moves neither side alone.
The baseline file holds the same JSON lines from a run of the engine before optimisation; its
ratios are shown next to the current ones.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys


def load(path):
    lines = []
    if path and os.path.exists(path):
        with open(path) as f:
            for raw in f:
                raw = raw.strip()
                if raw.startswith("{"):
                    lines.append(json.loads(raw))
    return lines


def best(lines, figure, key, **match):
    values = [l[key] for l in lines
              if l.get("figure") == figure and key in l and all(l.get(k) == v for k, v in match.items())]
    values = [v for v in values if isinstance(v, (int, float)) and v >= 0]
    return min(values) if values else None


def best_max(lines, figure, key):
    values = [l[key] for l in lines if l.get("figure") == figure and isinstance(l.get(key), (int, float))]
    return max(values) if values else None


def median_runs(lines, figure, key, **match):
    """Median over every timed run (the runs_ms lists) of all matching lines."""
    runs = [v for l in lines
            if l.get("figure") == figure and all(l.get(k) == v for k, v in match.items())
            for v in l.get(key, [])]
    return statistics.median(runs) if runs else None


def last(lines, figure):
    found = [l for l in lines if l.get("figure") == figure]
    return found[-1] if found else None


class Table:
    def __init__(self):
        self.rows = []

    def add(self, figure, ours, ref, ratio, target, ok, before=None):
        self.rows.append((figure, ours, ref, ratio, target, ok, before))

    def markdown(self, with_before):
        head = ["figure", "featscale", "reference", "ratio", "target", "result"]
        if with_before:
            head.insert(4, "ratio before")
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for figure, ours, ref, ratio, target, ok, before in self.rows:
            cells = [figure, ours, ref, ratio, target, "—" if ok is None else ("pass" if ok else "**FAIL**")]
            if with_before:
                cells.insert(4, before or "—")
            out.append("| " + " | ".join(cells) + " |")
        return "\n".join(out)

    def text(self, with_before):
        head = ["figure", "featscale", "reference", "ratio", "target", "result"]
        if with_before:
            head.insert(4, "before")
        rows = [head]
        for figure, ours, ref, ratio, target, ok, before in self.rows:
            r = [figure, ours, ref, ratio, target, "-" if ok is None else ("pass" if ok else "FAIL")]
            if with_before:
                r.insert(4, before or "-")
            rows.append(r)
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows)


def ms(v):
    return "—" if v is None else (f"{v:.0f} ms" if v >= 100 else f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms")


def engine_ratio(lines, arch, size):
    ours = median_runs(lines, "featscale_analyze", "runs_ms", arch=arch, size=size)
    ref = median_runs(lines, "torch_eager", "runs_ms", arch=arch, size=size)
    return ours, ref, (ours / ref if ours and ref else None)


def cold(lines, figure, arch, size):
    """Median over rounds of a side's cold figure: loading the weights plus the first image."""
    values = [l["cold_load_ms"] + l["cold_first_ms"] for l in lines
              if l.get("figure") == figure and l.get("arch") == arch and l.get("size") == size
              and "cold_load_ms" in l and "cold_first_ms" in l]
    return statistics.median(values) if values else None


def build_table(cur, base, remeasured=()):
    t = Table()
    sizes = sorted({l["size"] for l in cur if l.get("figure") == "featscale_analyze"})
    archs = [a for a in ("vgg16", "vgg16-reduced") if any(l.get("arch") == a for l in cur)]
    for arch in archs:
        for size in sizes:
            ours, ref, ratio = engine_ratio(cur, arch, size)
            _, _, before = engine_ratio(base, arch, size)
            t.add(f"1. {arch} {size}: forward + all stats vs PyTorch eager forward (warm)", ms(ours), ms(ref),
                  "—" if ratio is None else f"{ratio:.2f}", "≤ 0.85", None if ratio is None else ratio <= 0.85,
                  None if before is None else f"{before:.2f}")
            ours, ref = cold(cur, "featscale_analyze", arch, size), cold(cur, "torch_eager", arch, size)
            if ours and ref:
                t.add(f"1. {arch} {size}: cold — load the weights, then the first image (incl. weight transform)",
                      ms(ours), ms(ref), f"{ours / ref:.2f}", "(info)", None)
    for size in sorted({l["size"] for l in cur if l.get("figure") == "opencv_dnn"}):
        ours = median_runs(cur, "opencv_dnn", "featscale_runs_ms", size=size)
        ref = median_runs(cur, "opencv_dnn", "opencv_runs_ms", size=size)
        b_ours = median_runs(base, "opencv_dnn", "featscale_runs_ms", size=size)
        b_ref = median_runs(base, "opencv_dnn", "opencv_runs_ms", size=size)
        ratio = ours / ref if ours and ref else None
        t.add(f"2. vgg16 {size} to conv5_3 vs OpenCV DNN", ms(ours), ms(ref),
              "—" if ratio is None else f"{ratio:.2f}", "< 1", None if ratio is None else ratio < 1,
              f"{b_ours / b_ref:.2f}" if b_ours and b_ref else None)
    sg = best_max(cur, "sgemm", "gflops")
    b_sg = best_max(base, "sgemm", "gflops")

    def achieved(lines, sgemm):
        """Features' FLOPs over featscale's median time to conv5_3 (every tap with its statistics)."""
        o = last(lines, "opencv_dnn")
        t = median_runs(lines, "opencv_dnn", "featscale_runs_ms", size=300) if o else None
        if not (o and t and sgemm and o.get("gflop_features")):
            return None, None
        gf = o["gflop_features"] / (t / 1e3)
        return gf, gf / sgemm

    gf, frac = achieved(cur, sg)
    _, b_frac = achieved(base, b_sg)
    if gf:
        o = last(cur, "opencv_dnn")
        # Winograd F(4x4,3x3) does 36 of a direct convolution's 144 multiplications per 4x4 output
        # tile: dividing the direct FLOP count by the time is not an arithmetic rate.
        t.add(f"3. vgg16 300 to conv5_3 incl. stats: direct-convolution-equivalent GFLOP/s "
              f"({o['gflop_features']:.1f} GFLOP of direct convolution / time) vs sgemm",
              f"{gf:.0f} GFLOP/s", f"{sg:.0f} GFLOP/s", f"{frac:.0%}", "(info)", None,
              f"{b_frac:.0%}" if b_frac else None)
        t300 = median_runs(cur, "opencv_dnn", "featscale_runs_ms", size=300)
        if o.get("winograd") and o.get("gflop_winograd_features") and t300:
            real = o["gflop_winograd_features"] / (t300 / 1e3)
            t.add(f"3. vgg16 300 to conv5_3 incl. stats: arithmetic actually done "
                  f"({o['gflop_winograd_features']:.1f} GFLOP in the Winograd matrix products) vs sgemm",
                  f"{real:.0f} GFLOP/s", f"{sg:.0f} GFLOP/s", f"{real / sg:.0%}", "(info)", None)
    for arch in archs:
        for size in sizes:
            ours = median_runs(cur, "featscale_analyze", "runs_ms", arch=arch, size=size)
            line = last([l for l in cur if l.get("arch") == arch and l.get("size") == size], "featscale_analyze")
            if not (ours and line and sg):
                continue
            g = line["gflop_total"] / (ours / 1e3)
            t.add(f"3. {arch} {size}: whole analysis, direct-convolution-equivalent "
                  f"({line['gflop_total']:.1f} GFLOP with fc6/fc7) vs sgemm",
                  f"{g:.0f} GFLOP/s", f"{sg:.0f} GFLOP/s", f"{g / sg:.0%}", "(info)", None)
    for size in sorted({l["size"] for l in cur if l.get("figure") == "gamma_latency"}):
        v = best(cur, "gamma_latency", "median_ms", size=size)
        b = best(base, "gamma_latency", "median_ms", size=size)
        target = "≤ 2 ms" if size == 300 else "(info)"
        t.add(f"4. gamma → after-stats + histogram, conv4_3 at {size} (median)", ms(v), "—", "—", target,
              (v <= 2.0 if size == 300 else None) if v is not None else None, ms(b) if b is not None else None)
    g = last(cur, "gui_gamma")
    if g:
        t.add("5. GUI gamma slider drag", f"{g['updates_per_s']:.1f} updates/s", "—", "—", "≥ 30/s",
              g["updates_per_s"] >= 30)
    g = last(cur, "gui_launch")
    if g:
        shown = g.get("first_shown_s", -1)
        t.add("5. GUI launch → first results on the samples", f"{shown:.2f} s" if shown >= 0 else "no result",
              "—", "—", "≤ 3 s", 0 <= shown <= 3)
    for r in remeasured:
        # measurements taken outside a `make bench` run, kept as data (bench/remeasured.jsonl)
        t.add(f"{r['row']} — re-measured {r['date']} ({r['how']}; load {r['load']})", r["value"], "—", "—",
              r.get("target", "(info)"), None)
    s100 = last([l for l in cur if l.get("images") == 100], "cli_scale")
    s500 = last([l for l in cur if l.get("images") == 500], "cli_scale")
    if s100 and s500:
        b500 = last([l for l in base if l.get("images") == 500], "cli_scale")
        t.add("6. CLI 500 images: throughput", f"{s500['images_per_s']:.2f} images/s", "—", "—", "(info)", None,
              f"{b500['images_per_s']:.2f}/s" if b500 else None)
        ratio = s500["max_rss_kb"] / s100["max_rss_kb"]
        t.add("6. CLI peak RSS, 500 vs 100 images", f"{s500['max_rss_kb'] / 1024:.0f} MiB",
              f"{s100['max_rss_kb'] / 1024:.0f} MiB", f"{ratio:.3f}", "≤ 1.05 (flat)", ratio <= 1.05)
    b = build_time(cur)
    if b:
        t.add(f"7. clean build, 2 jobs, no ccache ({b['source']})", f"{b['seconds'] / 60:.1f} min", "—", "—",
              "(info)", None)
    else:
        t.add("7. clean build, 2 jobs, no ccache", "PLACEHOLDER: not measured in this run "
              "(bench/run.sh --build-time, or bench/build_time.json)", "—", "—", "(info)", None)
    ours = [l for l in cur if l.get("figure") == "whole_process" and l.get("side") == "featscale"]
    ref = [l for l in cur if l.get("figure") == "whole_process" and l.get("side") == "pytorch"]
    if ours and ref:
        o = statistics.median(l["seconds"] for l in ours)
        r = statistics.median(l["seconds"] for l in ref)
        t.add(f"8. whole process, {ours[0]['images']} images 640x480 → 300, vgg16-reduced: featscale-cli analyze "
              "vs a PyTorch script doing the same forward passes (both timed from outside)",
              f"{o:.1f} s", f"{r:.1f} s", f"{o / r:.2f}", "(info)", None)
        t.add("8. whole process: peak RSS", f"{max(l['max_rss_kb'] for l in ours) / 1024:.0f} MiB",
              f"{max(l['max_rss_kb'] for l in ref) / 1024:.0f} MiB", "—", "(info)", None)
    return t


BUILD_TIME_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build_time.json")


def build_time(cur):
    """This run's clean-build measurement, else the one recorded in bench/build_time.json."""
    b = last(cur, "build_time")
    if b:
        return dict(b, source="this run")
    if os.path.exists(BUILD_TIME_FILE):
        with open(BUILD_TIME_FILE) as f:
            b = json.load(f)
        return dict(b, source=f"from bench/build_time.json, {b.get('measured', 'date unknown')}")
    return None


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""


def machine():
    lscpu = sh("LC_ALL=C lscpu")
    field = lambda k: (re.search(rf"^{k}:\s*(.*)$", lscpu, re.M) or [None, "?"])[1]
    flags = field("Flags").split()
    avx512 = sorted(f for f in flags if f.startswith("avx512"))
    mem = sh("grep MemTotal /proc/meminfo").split()
    mem_gib = int(mem[1]) / 1024 / 1024 if len(mem) > 1 else 0
    os_name = sh(". /etc/os-release && echo $PRETTY_NAME")
    cpus, per_socket, per_core = field(r"CPU\(s\)"), field(r"Core\(s\) per socket"), field(r"Thread\(s\) per core")
    return [
        f"CPU: {field('Model name')} ({field('Vendor ID')}), {cpus} logical CPUs, "
        f"{per_socket} cores per socket, {per_core} thread(s) per core",
        f"Vector units: AVX2 {'yes' if 'avx2' in flags else 'no'}, FMA {'yes' if 'fma' in flags else 'no'}, "
        f"AVX-512: {' '.join(avx512) if avx512 else 'none'}",
        f"Caches: L2 {field('L2 cache')}, L3 {field('L3 cache')}; hypervisor: {field('Hypervisor vendor')}",
        f"Memory: {mem_gib:.1f} GiB",
        f"OS: {os_name}, kernel {platform.release()}",
    ]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--doc")
    p.add_argument("--baseline")
    p.add_argument("--notes", help="markdown appended under 'Notes'")
    p.add_argument("--remeasured", help="JSON lines of figures re-measured outside a bench run")
    p.add_argument("--command", default="make bench")
    args = p.parse_args()
    cur, base = load(args.results), load(args.baseline)
    remeasured = load(args.remeasured)
    table = build_table(cur, base, remeasured)
    with_before = bool(base)
    print(table.text(with_before))
    if not args.doc:
        return
    env = last(cur, "environment") or {}
    sg = last(cur, "sgemm") or {}
    doc = ["# featscale performance", "",
           f"Measured {env.get('date', datetime.date.today().isoformat())} by `{args.command}` "
           "(bench/run.sh). Every figure is a ratio of two numbers taken in the same run on the same "
           "machine; where both sides were timed several times (the PyTorch and featscale processes "
           "alternate for several rounds), the median of all timed runs of each side is used.", "",
           "## Machine", ""]
    doc += [f"- {m}" for m in machine()]
    doc += [f"- Threads: {env.get('threads', '?')} on both sides of every comparison "
            f"(PyTorch `torch.set_num_threads`, featscale `configureThreads`, OpenCV `cv::setNumThreads`)",
            f"- Software: PyTorch/LibTorch {env.get('torch', '?')}, OpenCV {env.get('opencv', '?')}, "
            f"BLAS: {', '.join(sg.get('blas_libraries', [])) or '?'} "
            f"({'OpenBLAS' if sg.get('openblas') else 'NOT OpenBLAS'}: {sg.get('openblas_config', '?')})",
            f"- Load average (1 min) at start / end of the run: {env.get('load_start', '?')} / "
            f"{env.get('load_end', '?')} — the machine is shared; ratios are what is compared", "",
            "## Results", "", table.markdown(with_before), ""]
    if with_before:
        doc += ["\"ratio before\" is the same figure for the engine as it was before the performance work "
                "(bench/baseline.jsonl, measured with this benchmark).", ""]
    doc += ["## Details", ""]
    seen = {}
    for l in cur:
        if l.get("figure") == "featscale_analyze":
            seen[(l["arch"], l["size"])] = l  # the last round's breakdown
    for l in seen.values():
        doc.append(f"- featscale {l['arch']} {l['size']}: {l['layers']} layers; preprocess "
                   f"{l['preprocess_min_ms']:.1f} ms, forward {l['forward_min_ms']:.1f} ms, statistics "
                   f"{l['stats_min_ms']:.1f} ms (fastest of each in the last round); {l['gflop_features']:.1f} GFLOP "
                   f"in conv1_1..conv5_3, {l['gflop_total']:.1f} GFLOP with fc6/fc7")
    for l in seen.values():
        if "cold_load_ms" in l:
            doc.append(f"- featscale {l['arch']} {l['size']} cold: loading the weights {l['cold_load_ms']:.0f} ms, "
                       f"first image {l['cold_first_ms']:.0f} ms (the last round)")
    for l in cur:
        if l.get("figure") == "torch_eager" and "cold_load_ms" in l:
            doc.append(f"- PyTorch {l['arch']} {l['size']} cold: model + weights {l['cold_load_ms']:.0f} ms, "
                       f"first forward {l['cold_first_ms']:.0f} ms")
    for l in cur:
        if l.get("figure") == "whole_process":
            doc.append(f"- whole process, {l['side']}, {l['images']} images: {l['seconds']:.1f} s wall, "
                       f"{l['user_s']:.1f} s user, {l['system_s']:.1f} s system, peak RSS "
                       f"{l['max_rss_kb'] / 1024:.0f} MiB")
    o = last(cur, "opencv_dnn")
    if o:
        doc.append(f"- OpenCV DNN {o['opencv']}: conv5_3 norm map from cv::dnn's output differs from featscale's "
                   f"by at most {o['conv5_3_max_rel_diff']:.1e} of the map's maximum (same network, same weights)")
    if sg:
        doc.append(f"- sgemm: {sg['n']}x{sg['n']} float matrices, torch::mm, {sg['threads']} threads "
                   f"(OpenBLAS threads: {sg.get('openblas_threads')}), {sg['gflops']:.0f} GFLOP/s")
    for l in cur:
        if l.get("figure") == "cli_scale":
            doc.append(f"- CLI {l['images']} images ({l['width']}x{l['height']} JPEG, default layers, 300x300): "
                       f"{l['seconds']:.1f} s wall, {l['user_s']:.1f} s user, {l['system_s']:.1f} s system, "
                       f"peak RSS {l['max_rss_kb'] / 1024:.0f} MiB, {l['minor_faults']} minor page faults")
    g = last(cur, "gui_gamma")
    if g:
        doc.append(f"- GUI gamma drag: {g['detail']}")
    g = last(cur, "gui_launch")
    if g:
        doc.append(f"- GUI launch: Qt ready after {g['qt_ready_s']:.2f} s, first result delivered "
                   f"{g['first_result_s']:.2f} s, shown {g['first_shown_s']:.2f} s, all {g['images']} samples "
                   f"done {g['run_finished_s']:.2f} s after exec")
    b = build_time(cur)
    if b:
        doc.append(f"- Build: `{b['command']}` from an empty build directory, ccache disabled: "
                   f"{b['seconds']:.0f} s ({b['source']})")
    doc.append("")
    if args.notes and os.path.exists(args.notes):
        with open(args.notes) as f:
            doc += ["## Notes", "", f.read().strip(), ""]
    if remeasured:
        doc += ["Rows marked *re-measured* come from `bench/remeasured.jsonl`: measurements taken outside a "
                "`make bench` run, each with its date, method and load, shown beside (never instead of) "
                "this run's figure.", ""]
    doc += ["## Reproduce", "", "```", "make bench              # builds, then runs bash bench/run.sh",
            "BUILD=build-x ROUNDS=5 bash bench/run.sh   # another build dir, more rounds",
            "bash bench/run.sh --build-time   # also time a clean build (about 15 min on 2 cores)", "```", "",
            "This file is written by `make bench` and nothing else. The raw JSON lines of the run are kept "
            "next to it (`docs/PERFORMANCE.jsonl`); `bench/report.py docs/PERFORMANCE.jsonl --baseline "
            "bench/baseline.jsonl --notes bench/notes.md --remeasured bench/remeasured.jsonl --doc FILE` "
            "regenerates it on the same machine.", ""]
    tmp = args.doc + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(doc))
    os.replace(tmp, args.doc)
    print(f"wrote {args.doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
