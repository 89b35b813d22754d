#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Several normalized layers on the command line, each with its own gamma: `--gamma-file` with a
layer,channel,gamma CSV (every layer it names), repeated `--gamma-file LAYER=FILE`, repeated
`--gamma LAYER=G`; run.json records each layer's gamma and the after-statistics follow it
(checked against ||gamma * x|| / sqrt(sum x^2 + 1e-10) computed here from the probe's raw
activations); unknown layers and clashes are refused naming them.

Usage: cli_gamma_layers_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import unittest

CLI, SAMPLES, WORK = sys.argv[1:4]
IMAGE = os.path.join(SAMPLES, "coffee.jpg")
LAYERS = ["conv3_3", "conv4_3", "conv5_3"]
COMMON = ["--size", "96", "--threads", "1", "--quiet", "--layers", "conv3_3,conv4_3,conv5_3,fc7",
          "--l2norm", ",".join(LAYERS), "--eps", "caffe"]
CHANNELS = {"conv3_3": 256, "conv4_3": 512, "conv5_3": 512}


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def ramp(layer, start, step):
    return [start + step * (c % 11) for c in range(CHANNELS[layer])]


def write_single(path, gamma):
    with open(path, "w") as f:
        f.write("channel,gamma\n")
        for c, g in enumerate(gamma):
            f.write(f"{c},{g!r}\n")


def summary(out):
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        return {(r["layer"], r["stage"]): r for r in csv.DictReader(l for l in f if not l.startswith("#"))}


class GammaLayers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)

    def check_run(self, out, want):
        meta = json.load(open(os.path.join(out, "run.json")))
        self.assertEqual(sorted(meta["gamma"]), LAYERS)
        for layer, g in want.items():
            self.assertEqual(len(meta["gamma"][layer]), CHANNELS[layer], layer)
            for got, expected in zip(meta["gamma"][layer], g):
                self.assertAlmostEqual(got, expected, places=5, msg=layer)
        return meta

    def test_layer_csv_sets_every_layer(self):
        path = os.path.join(WORK, "layers.csv")
        want = {"conv3_3": [3.0] * 256, "conv4_3": [6.0] * 512, "conv5_3": ramp("conv5_3", 1.0, 0.5)}
        with open(path, "w") as f:
            f.write("# by hand\nlayer,channel,gamma\n")
            for layer, g in want.items():
                for c, v in enumerate(g):
                    f.write(f"{layer},{c},{v!r}\n")
        out = os.path.join(WORK, "run_csv")
        run("analyze", IMAGE, *COMMON, "--gamma-file", path, "--out", out)
        self.check_run(out, want)
        rows = summary(out)
        # a uniform gamma puts every location with a non-tiny vector at gamma
        for layer, g in (("conv3_3", 3.0), ("conv4_3", 6.0)):
            self.assertAlmostEqual(float(rows[(layer, "after")]["max"]), g, places=4)
            self.assertAlmostEqual(float(rows[(layer, "after")]["p50"]), g, places=4)
        # per channel: the after-norm at one location, by hand from the raw activations
        probe = os.path.join(WORK, "probe.csv")
        run("probe", IMAGE, "--at", "40,30", "--size", "96", "--threads", "1", "--layers", "conv3_3,conv4_3,conv5_3",
            "--l2norm", ",".join(LAYERS), "--gamma-file", path, "--out", probe)
        with open(probe, newline="") as f:
            cells = [r for r in csv.DictReader(l for l in f if not l.startswith("#")) if r["layer"] == "conv5_3"]
        x = [float(r["before"]) for r in cells]
        after = [float(r["after"]) for r in cells]
        norm = math.sqrt(sum(v * v for v in x) + 1e-10)
        g = want["conv5_3"]
        self.assertGreater(norm, 1e-3, "dead cell: pick another location")
        for c in range(512):
            self.assertAlmostEqual(after[c], g[c] * x[c] / norm, delta=1e-4 * max(1.0, abs(after[c])))

    def test_layer_equals_file_and_layer_equals_value(self):
        a, b = os.path.join(WORK, "a.csv"), os.path.join(WORK, "b.txt")
        write_single(a, ramp("conv3_3", 2.0, 0.25))
        with open(b, "w") as f:
            f.write(" ".join(repr(v) for v in ramp("conv5_3", 7.0, 1.0)))
        out = os.path.join(WORK, "run_pairs")
        run("analyze", IMAGE, *COMMON, "--gamma-file", f"conv3_3={a}", "--gamma-file", f"conv5_3={b}",
            "--gamma", "conv4_3=9.5", "--out", out)
        self.check_run(out, {"conv3_3": ramp("conv3_3", 2.0, 0.25), "conv4_3": [9.5] * 512,
                             "conv5_3": ramp("conv5_3", 7.0, 1.0)})
        self.assertAlmostEqual(float(summary(out)[("conv4_3", "after")]["max"]), 9.5, places=4)
        # a layer left out keeps the family's init (20 for SSD's reduced VGG16)
        out2 = os.path.join(WORK, "run_one")
        run("analyze", IMAGE, *COMMON, "--gamma-file", f"conv3_3={a}", "--out", out2)
        self.check_run(out2, {"conv3_3": ramp("conv3_3", 2.0, 0.25), "conv4_3": [20.0] * 512,
                              "conv5_3": [20.0] * 512})

    def test_mistakes_are_named(self):
        a = os.path.join(WORK, "a1.csv")
        write_single(a, ramp("conv3_3", 2.0, 0.25))
        out = os.path.join(WORK, "bad")
        p = run("analyze", IMAGE, *COMMON, "--gamma-file", f"fc9={a}", "--out", out, expect=2)
        self.assertIn("fc9", p.stderr)
        p = run("analyze", IMAGE, *COMMON, "--gamma-file", f"conv3_3={a}", "--gamma", "conv3_3=4", "--out", out,
                expect=2)
        self.assertIn("conv3_3", p.stderr)
        p = run("analyze", IMAGE, *COMMON, "--gamma-file", f"conv4_3={a}", "--out", out, expect=3)
        self.assertIn("conv4_3", p.stderr)
        self.assertIn("256", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "run.json")))
        p = run("analyze", IMAGE, *COMMON, "--gamma", "conv4_3=x", "--out", out, expect=2)
        self.assertIn("--gamma", p.stderr)

    def test_help_documents_both_forms(self):
        p = run("analyze", "--help")
        self.assertIn("LAYER=F", p.stdout)
        self.assertIn("layer,channel,gamma", p.stdout)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
