#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli analyze/merge end to end: documented files and columns, untrained labelling,
per-image failures, exit codes, and shard + merge == one run (bit for bit).

Per-image and aggregate statistics are compared with numpy's on torchvision's norm maps.

Usage: cli_analyze_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR PARITY_DIR
"""
import csv
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import unittest

import numpy as np

CLI, SAMPLES, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
PARITY = sys.argv[4] if len(sys.argv) > 4 else None  # torchvision reference maps (make_reference.py)
COMMON = ["--size", "96", "--layers", "conv3_3,conv4_3,conv5_3,fc7", "--threads", "1", "--quiet"]


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def read(path):
    with open(path, "rb") as f:
        return f.read()


class CliAnalyze(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        cls.full = os.path.join(WORK, "full")
        cls.proc = run("analyze", SAMPLES, *COMMON, "--out", cls.full)

    def test_writes_documented_files(self):
        for name in ["histograms.csv", "histograms.json", "summary.csv", "summary.json", "run.json"]:
            self.assertTrue(os.path.isfile(os.path.join(self.full, name)), name)
        with open(os.path.join(self.full, "histograms.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(list(rows[0].keys()), ["image", "layer", "stage", "bin_lo", "bin_hi", "count"])
        with open(os.path.join(self.full, "summary.csv")) as f:
            summary = list(csv.DictReader(f))
        images = sorted({r["image"] for r in summary if r["image"] != "*"})
        self.assertEqual(len(images), len([n for n in os.listdir(SAMPLES) if n.endswith(".jpg")]))
        # per image and layer/stage, histogram counts add up to the location count
        for r in summary:
            n = sum(int(h["count"]) for h in rows
                    if h["image"] == r["image"] and h["layer"] == r["layer"] and h["stage"] == r["stage"])
            self.assertEqual(n, int(r["count"]) + int(r["nans"]), r)
            if r["image"] != "*":
                self.assertEqual(int(r["count"]), int(r["height"]) * int(r["width"]))
                self.assertEqual(r["percentiles"], "exact")
            else:
                self.assertEqual(r["percentiles"], "histogram")
        stages = {(r["layer"], r["stage"]) for r in summary}
        self.assertIn(("conv4_3", "after"), stages)
        self.assertNotIn(("fc7", "after"), stages)

    def test_histograms_json_holds_the_csv_bins(self):
        # histograms.json (the notebook twin of histograms.csv): same bins, image by image and for
        # the aggregate, with the metadata and the UNTRAINED flag.
        hj = json.load(open(os.path.join(self.full, "histograms.json")))
        meta = json.load(open(os.path.join(self.full, "run.json")))
        self.assertEqual(hj["format"], "featscale-histograms")
        self.assertTrue(hj["untrained"])
        self.assertIn("UNTRAINED", hj["warning"])
        self.assertEqual(hj["bin_edges"], meta["bins"]["edges"])
        self.assertEqual(hj["gamma"]["conv4_3"], meta["gamma"]["conv4_3"])
        edges = hj["bin_edges"]
        with open(os.path.join(self.full, "histograms.csv")) as f:
            rows = list(csv.DictReader(f))
        entries = [(e["image"], e) for e in hj["histograms"]] + [("*", e) for e in hj["aggregate"]]
        self.assertEqual(len({(r["image"], r["layer"], r["stage"]) for r in rows}), len(entries))
        for image, e in entries:
            self.assertEqual(e["image"], image)
            # CSV rows keyed by bin: special bins by name, regular ones by their index in bin_edges
            csv_bins = {}
            for r in rows:
                if (r["image"], r["layer"], r["stage"]) != (image, e["layer"], e["stage"]):
                    continue
                lo, hi = r["bin_lo"], r["bin_hi"]
                key = ("zero" if (lo, hi) == ("0", "0") else "nan" if lo == "nan" else "over" if hi == "inf"
                       else "under" if lo == "0" else edges.index(float(lo)))
                csv_bins[key] = int(r["count"])
            json_bins = {k: e[k] for k in ("zero", "nan") if e[k]}
            if e["underflow"]:
                json_bins["under"] = e["underflow"]
            if e["overflow"]:
                json_bins["over"] = e["overflow"]
            json_bins.update({i: c for i, c in enumerate(e["counts"]) if c})
            self.assertEqual(json_bins, csv_bins, (image, e["layer"], e["stage"]))

    def test_statistics_equal_numpy_on_torchvision_maps(self):
        # One photo through featscale with the parity suite's seeded torchvision VGG16, against
        # numpy's statistics of torchvision's own norm maps of that photo (make_reference.py):
        # numbers computed outside featscale. One image, so the aggregate row is exact too.
        if not PARITY:
            self.fail("no parity fixture directory given")
        manifest = json.load(open(os.path.join(PARITY, "manifest.json")))
        case = next(c for c in manifest["cases"] if c["arch"] == "vgg16" and c["size"] == "300"
                    and c["image"].endswith("chelsea.jpg"))
        layers = ["conv3_3", "conv4_3", "conv5_3", "fc7"]
        out = os.path.join(WORK, "numpy")
        proc = run("analyze", case["image"], "--weights", case["weights"], "--arch", "vgg16", "--preset",
                   "torchvision", "--size", "300", "--eps", "torchvision", "--layers", ",".join(layers),
                   "--threads", "1", "--quiet", "--out", out)
        with open(os.path.join(out, "summary.csv")) as f:
            rows = {(r["image"] == "*", r["layer"]): r for r in csv.DictReader(f) if r["stage"] == "before"}
        medians = {}
        for layer in layers:
            info = case["layers"][layer]
            v = np.fromfile(info["file"], dtype=np.float32).astype(np.float64)
            self.assertEqual(v.size, info["height"] * info["width"])
            want = {"count": v.size, "min": v.min(), "max": v.max(), "mean": v.mean(), "std": v.std(),
                    "zeros": int((v == 0).sum())}
            for q in (1, 5, 25, 50, 75, 95, 99):
                want[f"p{q}"] = np.percentile(v, q)
            medians[layer] = want["p50"]
            for aggregate in (False, True):
                r = rows[(aggregate, layer)]
                self.assertEqual(r["percentiles"], "exact", r)
                self.assertEqual(int(r["count"]), want["count"])
                self.assertEqual(int(r["zeros"]), want["zeros"], layer)
                for key in ("min", "max", "mean", "std", "p1", "p5", "p25", "p50", "p75", "p95", "p99"):
                    self.assertAlmostEqual(float(r[key]), want[key], delta=2e-4 * v.max(),
                                           msg=f"{layer} {key} aggregate={aggregate}")
        # stdout's ratios use the exact medians
        line = next(l for l in proc.stdout.splitlines() if l.startswith("# ratio of exact medians to fc7"))
        for layer in ("conv3_3", "conv4_3", "conv5_3"):
            printed = float(line.split(f" {layer}/before=")[1].split("x")[0])
            # printed to 3 significant digits
            self.assertAlmostEqual(printed, medians[layer] / medians["fc7"], delta=6e-3 * printed, msg=line)

    def test_untrained_is_labelled_everywhere(self):
        meta = json.load(open(os.path.join(self.full, "run.json")))
        self.assertTrue(meta["untrained"])
        self.assertIn("UNTRAINED", meta["warning"])
        self.assertTrue(meta["weights"]["untrained"])
        summary = json.load(open(os.path.join(self.full, "summary.json")))
        self.assertTrue(summary["untrained"])
        with open(os.path.join(self.full, "summary.csv")) as f:
            self.assertTrue(all(r["untrained"] == "true" for r in csv.DictReader(f)))
        self.assertIn("UNTRAINED", self.proc.stderr)
        self.assertIn("UNTRAINED", self.proc.stdout)

    def test_run_json_metadata(self):
        meta = json.load(open(os.path.join(self.full, "run.json")))
        self.assertEqual(meta["arch"], "vgg16-reduced")
        self.assertEqual(meta["preset"], "caffe")
        self.assertEqual(meta["eps"], "caffe")
        self.assertEqual(meta["l2norm_layers"], ["conv4_3"])
        self.assertEqual(meta["gamma_summary"]["conv4_3"]["mean"], 20.0)
        self.assertEqual(len(meta["bins"]["edges"]), 181)
        self.assertEqual(meta["bins"]["edges"][0], 1e-3)

    def test_shard_and_merge_equal_one_run(self):
        parts = []
        for i in range(3):
            d = os.path.join(WORK, f"shard{i}")
            run("analyze", SAMPLES, *COMMON, "--shard", f"{i}/3", "--out", d)
            parts.append(d)
        merged = os.path.join(WORK, "merged")
        run("merge", *parts, "--out", merged, "--quiet")
        for name in ["histograms.csv", "histograms.json", "summary.csv"]:
            self.assertEqual(read(os.path.join(merged, name)), read(os.path.join(self.full, name)), name)
        a = json.load(open(os.path.join(merged, "summary.json")))
        b = json.load(open(os.path.join(self.full, "summary.json")))
        self.assertEqual(a["images"], b["images"])
        self.assertEqual(a["aggregate"], b["aggregate"])

    def test_merge_refuses_different_configurations(self):
        other = os.path.join(WORK, "other")
        run("analyze", os.path.join(SAMPLES, "coffee.jpg"), *COMMON, "--gamma", "10", "--out", other)
        p = run("merge", self.full, other, "--out", os.path.join(WORK, "bad"), expect=3)
        self.assertIn("gamma", p.stderr)

    def test_bad_image_is_reported_and_skipped(self):
        folder = os.path.join(WORK, "mixed")
        os.makedirs(folder, exist_ok=True)
        shutil.copy(os.path.join(SAMPLES, "rocket.jpg"), folder)
        with open(os.path.join(folder, "broken.jpg"), "wb") as f:
            f.write(read(os.path.join(SAMPLES, "coffee.jpg"))[:500])
        with open(os.path.join(folder, "notes.jpg"), "w") as f:
            f.write("not an image")
        out = os.path.join(WORK, "mixed_out")
        p = run("analyze", folder, *COMMON, "--out", out, expect=1)
        self.assertIn("broken.jpg", p.stderr)
        self.assertIn("notes.jpg", p.stderr)
        summary = json.load(open(os.path.join(out, "summary.json")))
        self.assertEqual(summary["images_analysed"], 1)
        self.assertEqual(sorted(os.path.basename(f["image"]) for f in summary["failures"]), ["broken.jpg", "notes.jpg"])

    def test_usage_errors(self):
        self.assertIn("--out", run("analyze", SAMPLES, expect=2).stderr)
        self.assertIn("conv9_9", run("analyze", SAMPLES, "--layers", "conv9_9", "--out", WORK + "/x", expect=3).stderr)
        self.assertIn("shard", run("analyze", SAMPLES, "--shard", "3/3", "--out", WORK + "/x", expect=2).stderr)
        run("analyze", "--help")
        run("merge", "--help")
        self.assertIn("no such file", run("analyze", SAMPLES, "--weights", "/nonexistent.pth", "--out",
                                          WORK + "/x", expect=3).stderr)

    def test_export_failure_keeps_earlier_files(self):
        # An earlier run, then a run into the same folder whose writes fail (a 4 KiB file-size
        # limit: EFBIG for root too): exit 3, the earlier files byte for byte, no temporaries.
        out = os.path.join(WORK, "kept")
        run("analyze", os.path.join(SAMPLES, "rocket.jpg"), *COMMON, "--out", out)
        names = ["histograms.csv", "histograms.json", "run.json", "summary.csv", "summary.json"]
        earlier = {n: read(os.path.join(out, n)) for n in names}
        self.assertTrue(all(len(b) > 0 for b in earlier.values()))

        def small_files():
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed

        p = subprocess.run([CLI, "analyze", SAMPLES, *COMMON, "--layers", "all", "--out", out],
                           capture_output=True, text=True, preexec_fn=small_files)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn(out, p.stderr)
        for n in names:
            self.assertEqual(read(os.path.join(out, n)), earlier[n], n + " changed by the failed export")
        self.assertEqual(sorted(os.listdir(out)), names, "temporary files were left behind")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
