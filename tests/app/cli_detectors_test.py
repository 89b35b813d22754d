#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli weights / analyze on detector checkpoints with several learned L2Norm gammas
(tests/analysis/weights/detectors/make_fixtures.py writes them and their reference).

  - `weights FILE --json` names the layout, family, topology, the normalized layers and each learned
    gamma, value for value as the fixture wrote it;
  - `analyze` on face-alignment's S3FD: the before/after statistics of conv3_3, conv4_3 and conv5_3
    equal numpy's on activations computed here with torch's own conv2d/max_pool2d from the file's
    tensors (read with torch.load), normalized with the file's three gammas;
  - an undecidable topology lists the candidates and --arch; with --arch it loads;
  - keys no layout knows are listed, not blocking; broken files name the file and the problem.

Usage: cli_detectors_test.py FEATSCALE_CLI FIXTURE_DIR WORK_DIR PARITY_SCRIPT_DIR SAMPLES_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np
import torch
import torch.nn.functional as F

CLI, DATA, WORK, PARITY, SAMPLES = sys.argv[1:6]
sys.path.insert(0, PARITY)
import make_reference as ref  # noqa: E402  (Caffe preprocessing: cv2 decode, resize, BGR minus mean)

with open(os.path.join(DATA, "manifest.json")) as _f:
    MANIFEST = json.load(_f)["files"]


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def weights_json(name, *extra):
    return json.loads(run("weights", os.path.join(DATA, name), "--json", *extra).stdout)


class WeightsCommand(unittest.TestCase):
    def check(self, name, *extra):
        want = MANIFEST[name]
        j = weights_json(name, *extra)
        for key in ("format", "layout", "family", "arch", "preset", "eps"):
            self.assertEqual(j[key], want[key], f"{name}: {key}")
        self.assertEqual(sorted(j["gammas"]), sorted(want["gammas"]), name)
        for layer, values in want["gammas"].items():
            g = j["gammas"][layer]
            self.assertEqual(g["channels"], len(values), f"{name} {layer}")
            # float32 values printed as JSON numbers round-trip exactly
            self.assertEqual(np.float32(g["values"]).tolist(), np.float32(values).tolist(), f"{name} {layer}")
            self.assertGreater(max(values) - min(values), 1.0, "the fixture's gamma is not uniform")
        return j

    def test_every_detector_layout(self):
        for name in ("fa_s3fd.pth", "lufficc_ssd300.pth", "lufficc_ssd512.pth", "mmdet_ssd512_old.pth",
                     "keras_ssd300.h5", "caffe_ssd512.caffemodel", "caffe_refinedet320.caffemodel",
                     "caffe_s3fd.caffemodel"):
            with self.subTest(name):
                j = self.check(name)
                self.assertFalse(any("not used" in w for w in j["warnings"]), j["warnings"])

    def test_ignored_heads_are_listed(self):
        for name in ("fa_s3fd.pth", "lufficc_ssd300.pth", "caffe_refinedet320.caffemodel"):
            j = weights_json(name)
            text = " ".join(j["warnings"])
            for key in MANIFEST[name]["ignored"][:3]:
                stem = key.rsplit(".", 1)[0] if key.endswith((".weight", ".bias")) else key
                self.assertIn(stem, text, name)

    def test_unknown_keys_are_listed_not_blocking(self):
        j = self.check("fa_s3fd_extra_keys.pth")
        warning = next(w for w in j["warnings"] if "not used" in w)
        for key in MANIFEST["fa_s3fd_extra_keys.pth"]["unused"]:
            self.assertIn(key, warning)
        text = run("weights", os.path.join(DATA, "fa_s3fd_extra_keys.pth")).stdout
        self.assertIn("landmark_head.0.weight", text)

    def test_undecidable_topology_lists_candidates_and_the_option(self):
        path = os.path.join(DATA, "caffe_norms_noextras.caffemodel")
        p = run("weights", path, expect=3)
        self.assertIn(path, p.stderr)
        self.assertIn("refinedet, s3fd", p.stderr)
        self.assertIn("--arch", p.stderr)
        # the Normalize layers are named L2Norm_a/_b: their bottom blobs say which tap each normalizes
        self.check("caffe_norms_noextras.caffemodel", "--arch", "refinedet")
        j = weights_json("caffe_norms_noextras.caffemodel", "--arch", "s3fd")
        self.assertEqual(j["arch"], "s3fd")
        self.assertEqual(sorted(j["gammas"]), ["conv4_3", "conv5_3"])

    def test_broken_files_name_the_file_and_the_problem(self):
        cases = {
            "fa_s3fd_truncated.pth": "",
            "caffe_s3fd_truncated.caffemodel": "truncated",
            "caffe_norm_channels.caffemodel": "conv3_3",
            "caffe_norm_twice.caffemodel": "conv3_3",
            "keras_gamma_wrong.h5": "conv4_3",
        }
        for name, text in cases.items():
            with self.subTest(name):
                path = os.path.join(DATA, name)
                p = run("weights", path, expect=3)
                self.assertIn(path, p.stderr)
                self.assertIn(text, p.stderr)
                self.assertNotIn("Traceback", p.stderr)


def s3fd_reference(image, size):
    """conv3_3, conv4_3, conv5_3 (after ReLU) of face-alignment's S3FD from the fixture's own
    tensors, by torch.nn.functional, on Caffe-preprocessed input."""
    sd = torch.load(os.path.join(DATA, "fa_s3fd.pth"))
    x = ref.preprocess(image, "caffe", size)
    out = {}
    with torch.no_grad():
        for block, convs in enumerate([2, 2, 3, 3, 3], start=1):
            if block > 1:
                x = F.max_pool2d(x, 2, 2, ceil_mode=True)
            for i in range(1, convs + 1):
                n = f"conv{block}_{i}"
                x = F.relu(F.conv2d(x, sd[n + ".weight"].float(), sd[n + ".bias"].float(), padding=1))
            if block >= 3:
                out[f"conv{block}_3"] = x[0].double()
    gammas = {t: sd[t + "_norm.weight"].double() for t in ("conv3_3", "conv4_3", "conv5_3")}
    return out, gammas


class AnalyzeWithLearnedGammas(unittest.TestCase):
    def test_before_and_after_statistics_equal_numpy(self):
        image = os.path.join(SAMPLES, "chelsea.jpg")
        layers = ["conv3_3", "conv4_3", "conv5_3"]
        out = os.path.join(WORK, "s3fd")
        run("analyze", image, "--weights", os.path.join(DATA, "fa_s3fd.pth"), "--size", "320",
            "--layers", ",".join(layers), "--threads", "1", "--quiet", "--out", out)
        with open(os.path.join(out, "run.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["preset"], "caffe")
        self.assertEqual(meta["eps"], "ssd-pytorch")
        with open(os.path.join(out, "summary.csv")) as f:
            rows = {(r["layer"], r["stage"]): r for r in csv.DictReader(f) if r["image"] != "*"}
        acts, gammas = s3fd_reference(image, 320)
        for layer in layers:
            x = acts[layer]
            norm = x.square().sum(0).sqrt()
            after = (gammas[layer][:, None, None] * x / (norm + 1e-10)).square().sum(0).sqrt()
            for stage, v in (("before", norm), ("after", after)):
                v = v.flatten().numpy()
                r = rows[(layer, stage)]
                self.assertEqual(int(r["count"]), v.size)
                want = {"min": v.min(), "max": v.max(), "mean": v.mean(), "p5": np.percentile(v, 5),
                        "p50": np.percentile(v, 50), "p95": np.percentile(v, 95)}
                for key, value in want.items():
                    self.assertAlmostEqual(float(r[key]), value, delta=1e-4 * v.max() + 1e-6,
                                           msg=f"{layer} {stage} {key}")


if __name__ == "__main__":
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    unittest.main(argv=[sys.argv[0]], verbosity=2)
