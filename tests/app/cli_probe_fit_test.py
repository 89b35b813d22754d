#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli probe and fit-gamma end to end, against torchvision computed here.

Weights: torchvision's ssd300_vgg16 backbone (seeded, with a non-uniform learned L2Norm gamma),
saved under featscale's canonical names. The reference activations come from torchvision's own
modules (tests/analysis/engine/parity/make_reference.py helpers), not from featscale.

Usage: cli_probe_fit_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR PARITY_SCRIPT_DIR
"""
import csv
import math
import os
import shutil
import subprocess
import sys
import unittest

import cv2
import torch
import torch.nn.functional as F
import torchvision

CLI, SAMPLES, WORK, PARITY = sys.argv[1:5]
sys.path.insert(0, PARITY)
import make_reference as ref  # noqa: E402  (preprocessing and torchvision forward helpers)

IMAGES = [os.path.join(SAMPLES, n) for n in ("coffee.jpg", "chelsea.jpg")]
COMMON = ["--preset", "caffe", "--size", "300", "--threads", "1"]


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def read_csv(path):
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    comments = [l for l in lines if l.startswith("#")]
    rows = list(csv.DictReader([l for l in lines if not l.startswith("#")]))
    return comments, rows


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


class ProbeAndFit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        torch.set_num_threads(2)
        with torch.inference_mode():
            torch.manual_seed(2024)
            ssd = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None).eval()
            cls.backbone = ssd.backbone
            cls.backbone.scale_weight.copy_(torch.linspace(2.0, 40.0, 512))
            params = ref.reduced_canonical(cls.backbone)
            params["L2Norm.weight"] = cls.backbone.scale_weight
            cls.weights = os.path.join(WORK, "reduced_seed2024.pt")
            torch.jit.save(torch.jit.script(ref.Canonical(params)), cls.weights)
            cls.refs = {}
            for img in IMAGES:
                cls.refs[img] = ref.reduced_reference(cls.backbone, ref.preprocess(img, "caffe", 300))

    def test_probe_matches_torchvision(self):
        img = IMAGES[0]
        h, w = cv2.imread(img).shape[:2]
        px, py = 0.37 * w, 0.61 * h
        out = os.path.join(WORK, "concat.csv")
        p = run("probe", img, "--at", f"{px},{py}", "--weights", self.weights, *COMMON, "--out", out)
        comments, rows = read_csv(out)
        self.assertFalse(any("UNTRAINED" in c for c in comments))
        self.assertEqual(list(rows[0].keys()),
                         ["layer", "channel", "concat_index", "cell_y", "cell_x", "before", "normalized", "after"])
        layers = ["conv4_3", "conv5_3", "fc7"]
        self.assertEqual(len(rows), 512 + 512 + 1024)
        self.assertEqual([int(r["concat_index"]) for r in rows], list(range(len(rows))))
        refs = self.refs[img]
        gamma = self.backbone.scale_weight
        for layer in layers:
            mine = [r for r in rows if r["layer"] == layer]
            t = refs[layer][0]
            cy = min(t.shape[1] - 1, math.floor(py * t.shape[1] / h))
            cx = min(t.shape[2] - 1, math.floor(px * t.shape[2] / w))
            self.assertTrue(all(int(r["cell_y"]) == cy and int(r["cell_x"]) == cx for r in mine), layer)
            x = t[:, cy, cx]
            before = torch.tensor([float(r["before"]) for r in mine])
            scale = float(x.abs().max())
            self.assertGreater(scale, 0, f"{layer}: dead cell, pick another location")
            self.assertLess(float((before - x).abs().max()), 1e-3 * scale + 1e-5, layer)
            after = torch.tensor([float(r["after"]) for r in mine])
            if layer == "conv4_3":
                # L2Norm: gamma * x / ||x||, compared with torchvision's scale_weight * F.normalize.
                want = refs["conv4_3_l2norm"][0][:, cy, cx]
                self.assertLess(float((after - want).abs().max()), 1e-3 * float(want.abs().max()))
                xhat = torch.tensor([float(r["normalized"]) for r in mine])
                self.assertAlmostEqual(float(xhat.norm()), 1.0, places=4)
                self.assertLess(float((after - gamma * xhat).abs().max()), 1e-4 * float(after.abs().max()))
            else:
                self.assertTrue(all(r["normalized"] == "" for r in mine))
                self.assertEqual([r["after"] for r in mine], [r["before"] for r in mine])
        self.assertIn("conv4_3: cell", p.stderr)

    def test_probe_untrained_label_and_bad_location(self):
        out = os.path.join(WORK, "concat_default.csv")
        p = run("probe", IMAGES[1], "--at", "10,10", "--size", "96", "--threads", "1", "--out", out)
        comments, rows = read_csv(out)
        self.assertTrue(any("UNTRAINED" in c for c in comments))
        self.assertIn("UNTRAINED", p.stderr)
        bad = run("probe", IMAGES[1], "--at", "100000,5", "--size", "96", "--out", os.path.join(WORK, "no.csv"), expect=3)
        self.assertIn("outside the image", bad.stderr)
        self.assertFalse(os.path.exists(os.path.join(WORK, "no.csv")))
        run("probe", IMAGES[1], "--at", "ten,5", "--out", os.path.join(WORK, "no.csv"), expect=2)

    def test_fit_gamma_reaches_target_median(self):
        out = os.path.join(WORK, "gamma.csv")
        p = run("fit-gamma", *IMAGES, "--weights", self.weights, *COMMON, "--layer", "conv4_3", "--target", "fc7",
                "--steps", "400", "--patience", "0", "--quiet", "--out", out)
        comments, rows = read_csv(out)
        self.assertEqual([int(r["channel"]) for r in rows], list(range(512)))
        gamma = torch.tensor([float(r["gamma"]) for r in rows])
        self.assertFalse(any("UNTRAINED" in c for c in comments))
        # Independent check: after-norms with the fitted gamma on torchvision's conv4_3, pooled over
        # both images, have the median of torchvision's fc7 norms.
        after, target, start = [], [], []
        for img in IMAGES:
            xhat = F.normalize(self.refs[img]["conv4_3"][0], dim=0)
            after += (gamma[:, None, None] * xhat).norm(dim=0).flatten().tolist()
            start += (self.backbone.scale_weight[:, None, None] * xhat).norm(dim=0).flatten().tolist()
            target += self.refs[img]["fc7"][0].norm(dim=0).flatten().tolist()
        m, t = median(after), median(target)
        self.assertLess(abs(m / t - 1), 0.01, f"median after-norm {m} vs target {t}")
        self.assertIn(f"target_median=", " ".join(comments))
        # The fit starts from the weights' learned gamma: its initial median is the reference's.
        initial = float([c for c in comments if "initial_median=" in c][0].split("initial_median=")[1].split()[0])
        self.assertAlmostEqual(initial / median(start), 1.0, places=3)
        loss_comments, loss = read_csv(os.path.join(WORK, "gamma.loss.csv"))
        self.assertEqual(len(loss), 401)
        self.assertEqual(list(loss[0].keys()), ["step", "loss", "median_after_norm"])
        self.assertLess(min(float(r["loss"]) for r in loss), 1e-3 * float(loss[0]["loss"]))
        self.assertIn("median after-norm of conv4_3", p.stdout)

    def test_fit_gamma_uniform_closed_form(self):
        # conv5_3 as the normalized layer: --layer is not tied to conv4_3.
        out = os.path.join(WORK, "gamma_uniform.csv")
        p = run("fit-gamma", *IMAGES, "--weights", self.weights, *COMMON, "--l2norm", "conv4_3,conv5_3",
                "--layer", "conv5_3", "--target", "fc7", "--uniform", "--quiet", "--out", out)
        comments, rows = read_csv(out)
        self.assertEqual(len(rows), 512)
        values = {float(r["gamma"]) for r in rows}
        self.assertEqual(len(values), 1, "one gamma for every channel")
        got = values.pop()
        # By hand on torchvision's features: gamma = median fc7 norm / median ||x/||x|||| of conv5_3.
        unit, target = [], []
        for img in IMAGES:
            unit += F.normalize(self.refs[img]["conv5_3"][0], dim=0).norm(dim=0).flatten().tolist()
            target += self.refs[img]["fc7"][0].norm(dim=0).flatten().tolist()
        want = median(target) / median(unit)
        self.assertLess(abs(got / want - 1), 1e-3, f"uniform gamma {got} vs {want}")
        self.assertIn("closed form", " ".join(comments))
        self.assertIn("uniform gamma of conv5_3", p.stdout)
        self.assertFalse(os.path.exists(os.path.join(WORK, "gamma_uniform.loss.csv")))
        run("fit-gamma", IMAGES[1], "--uniform", "--steps", "10", "--out", out, expect=2)

    def test_fit_gamma_stops_early(self):
        out = os.path.join(WORK, "gamma_early.csv")
        p = run("fit-gamma", IMAGES[1], "--weights", self.weights, *COMMON, "--target", "fc7", "--steps", "20000",
                "--patience", "20", "--quiet", "--out", out)
        comments, _ = read_csv(out)
        line = [c for c in comments if "stop=" in c][0]
        steps = int(line.split("steps=")[1].split("/")[0])
        self.assertLess(steps, 20000)
        self.assertTrue("stop=no-improvement" in line or "stop=target-reached" in line, line)
        _, loss = read_csv(os.path.join(WORK, "gamma_early.loss.csv"))
        self.assertEqual(len(loss), steps + 1)

    def test_fit_gamma_untrained_label(self):
        out = os.path.join(WORK, "gamma_default.csv")
        p = run("fit-gamma", IMAGES[1], "--size", "96", "--threads", "1", "--steps", "50", "--quiet", "--out", out)
        comments, rows = read_csv(out)
        self.assertTrue(any("UNTRAINED" in c for c in comments))
        self.assertIn("UNTRAINED", p.stderr)
        self.assertEqual(len(rows), 512)
        run("fit-gamma", IMAGES[1], "--layer", "fc7", "--target", "fc7", "--out", out, expect=2)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
