#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Values at the edges of float32, and files whose names are as long as themselves:
  - a finite but huge gamma (2e19, whose square overflows float32) or a tiny one (1e-30, whose
    square underflows) gives finite after-L2Norm norms equal to numpy's gamma * ||x_hat|| in
    float64 at every cell, exit 0, and no report line blaming the naive eps;
  - weights whose activations overflow float32 (an ssd.pytorch backbone with conv1_1 scaled by
    1e30) fail the image naming the layer and the overflow, never as the naive eps's NaN;
  - a Lua Torch gamma file with a 60 MB key over a table that references one tensor 15 times is
    read at the memory cost of its size (peak RSS measured against a plain gamma file, under an
    address-space cap), and a refused variant prints a message of a few hundred bytes.

Usage: extreme_values_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from measured_run import measured_run  # noqa: E402
from ssd_vgg import ssd_vgg  # noqa: E402
import t7_writer  # noqa: E402

CLI, SAMPLES, WORK = sys.argv[1:4]
IMAGE = os.path.join(SAMPLES, "chelsea.jpg")
COMMON = ["--size", "96", "--threads", "1", "--quiet"]
CAP = 3 << 30


def analyze(out, *args):
    return subprocess.run([CLI, "analyze", IMAGE, *COMMON, "--out", os.path.join(WORK, out), *args],
                          capture_output=True, text=True, timeout=600)


def maps_of(out):
    maps = np.load(os.path.join(WORK, out, "norm_maps.npz"))
    return {k: maps[k].astype(np.float64) for k in maps.files}


def one(maps, layer, stage):
    keys = [k for k in maps if layer in k and stage in k]
    assert len(keys) == 1, (layer, stage, list(maps))
    return maps[keys[0]]


class HugeAndTinyGamma(unittest.TestCase):
    def test_after_norms_are_finite_and_exact(self):
        for gamma in (2e19, 3.0e38, 1e-30):
            with self.subTest(gamma=gamma):
                out = f"gamma_{gamma:g}"
                p = analyze(out, "--layers", "conv4_3", "--gamma", repr(gamma), "--eps", "caffe", "--save-maps")
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertNotIn("naive", p.stdout + p.stderr)
                maps = maps_of(out)
                before, after = one(maps, "conv4_3", "before"), one(maps, "conv4_3", "after")
                self.assertTrue(np.isfinite(after).all(), f"{np.isnan(after).sum()} NaN, {np.isinf(after).sum()} inf")
                g = float(np.float32(gamma))
                # Caffe's eps: x_hat = x / sqrt(sum x^2 + 1e-10), so ||gamma x_hat|| = gamma b / sqrt(b^2 + 1e-10)
                expected = g * before / np.sqrt(before * before + 1e-10)
                np.testing.assert_allclose(after, expected, rtol=2e-6, atol=0)
                with open(os.path.join(WORK, out, "summary.json")) as f:
                    summary = json.load(f)
                text = json.dumps(summary)
                self.assertNotIn("NaN", text)

    def test_per_channel_gamma_spanning_the_float_range(self):
        rng = np.random.default_rng(3)
        g = (2e19 * rng.uniform(0.1, 1.0, 512)).astype(np.float32)
        path = os.path.join(WORK, "wide.csv")
        with open(path, "w") as f:
            f.write("channel,gamma\n")
            for c, v in enumerate(g):
                f.write(f"{c},{float(v)!r}\n")
        probe = os.path.join(WORK, "probe_wide.csv")
        p = subprocess.run([CLI, "probe", IMAGE, *COMMON[:-1], "--layers", "conv4_3", "--at", "40,30",
                            "--gamma-file", path, "--out", probe], capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(probe) as f:
            import csv
            rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
        x_hat = np.array([float(r["normalized"]) for r in rows])
        after = np.array([float(r["after"]) for r in rows])
        np.testing.assert_allclose(after, g.astype(np.float64) * x_hat, rtol=1e-6, atol=1e-30)
        out = "wide_run"
        p = analyze(out, "--layers", "conv4_3", "--gamma-file", path, "--save-maps")
        self.assertEqual(p.returncode, 0, p.stderr)
        maps = maps_of(out)
        after_map = one(maps, "conv4_3", "after")
        cy, cx = int(rows[0]["cell_y"]), int(rows[0]["cell_x"])
        expected = np.sqrt(np.sum((g.astype(np.float64) * x_hat) ** 2))
        self.assertTrue(np.isfinite(after_map).all())
        self.assertAlmostEqual(after_map[cy, cx] / expected, 1.0, places=5)


class OverflowingActivations(unittest.TestCase):
    def test_the_image_fails_naming_layer_and_overflow(self):
        torch.manual_seed(0)
        base = nn.ModuleList(ssd_vgg(nn.MaxPool2d(3, 1, 1), 6, 6))
        sd = base.state_dict()
        sd["0.weight"] = sd["0.weight"] * 1e30
        path = os.path.join(WORK, "overflowing_backbone.pth")
        torch.save(sd, path)
        p = analyze("overflow", "--weights", path, "--layers", "conv1_1,conv4_3")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)  # the image failed, the run was written
        self.assertIn("conv1_1 (before L2Norm):", p.stderr)
        self.assertIn("overflow float32", p.stderr)
        self.assertNotIn("naive", p.stdout + p.stderr)
        with open(os.path.join(WORK, "overflow", "summary.json")) as f:
            failures = json.load(f)["failures"]
        self.assertEqual(len(failures), 1)
        self.assertIn("conv1_1 (before L2Norm)", failures[0]["error"])


class T7(t7_writer.T7):
    def save(self, name):
        return super().save(os.path.join(WORK, name))


class LongKeysInT7Files(unittest.TestCase):
    def run_capped(self, path, out):
        return measured_run([CLI, "analyze", IMAGE, *COMMON, "--layers", "conv4_3", "--gamma-file", path,
                             "--out", os.path.join(WORK, out)], cap_bytes=CAP, timeout=300)

    def test_a_key_as_long_as_the_file_costs_no_more_than_the_file(self):
        plain = T7()
        plain.tensor(np.full(512, 13.25, np.float32))
        baseline = self.run_capped(plain.save("plain.t7"), "plain")
        self.assertEqual(baseline.code, 0, baseline.err)

        t = T7()
        t.table(1)
        t.string(b"k" * (60 << 20))
        t.table(15)
        t.string(b"a")
        ref = t.tensor(np.full(512, 13.25, np.float32))
        for k in range(1, 15):
            t.string(bytes([ord("a") + k]))
            t.ref(ref)
        path = t.save("long_key.t7")
        m = self.run_capped(path, "long_key")
        # fifteen 512-value arrays, none named for conv4_3: refused by name, not by memory
        self.assertEqual(m.code, 3, m.err[:2000])
        self.assertIn(path + ": .t7 file holds 15 arrays", m.err)
        self.assertIn("[key of 62914560 bytes].a [512]", m.err)
        self.assertLess(len(m.err), 2000)
        self.assertNotIn("bad_alloc", m.err)
        file_mb = os.path.getsize(path) / 2**20
        print(f"60 MB key x 15 references: peak RSS {m.rss_mb:.0f} MiB against {baseline.rss_mb:.0f} MiB "
              f"for a plain gamma file ({file_mb:.0f} MiB file)")
        self.assertLess(m.rss_mb, baseline.rss_mb + 2 * file_mb + 64)

    def test_messages_about_long_names_stay_short(self):
        t = T7()
        t.table(8)
        for k in range(8):
            t.string(bytes([ord("a") + k]) * 200)
            t.tensor(np.ones(3, np.float32))
        path = t.save("eight_names.t7")
        m = self.run_capped(path, "eight_names")
        self.assertEqual(m.code, 3, m.err[:2000])
        self.assertIn("holds 8 arrays", m.err)
        self.assertIn("... (200 bytes) [3]", m.err)
        self.assertLess(len(m.err), 1500, m.err)


if __name__ == "__main__":
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    unittest.main(argv=[sys.argv[0]], verbosity=2)
