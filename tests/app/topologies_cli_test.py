#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli opens every topology's checkpoint (the fixtures of tests/analysis/network/topologies):
`weights` shows the topology, its learned L2Norm layers, the family's preset and eps; `analyze`
reports them, normalizes exactly the learned layers with their gammas and records all of it in
run.json; --arch, --l2norm and --eps override; a file that fits several topologies is refused
with the candidates and the option that picks one.

Usage: topologies_cli_test.py FEATSCALE_CLI TOPOLOGY_FIXTURES SAMPLES_DIR WORK_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import unittest

import torch

CLI, FIXTURES, SAMPLES, WORK = sys.argv[1:5]
IMAGE = os.path.join(SAMPLES, "coffee.jpg")
CASES = {c["name"]: c for c in json.load(open(os.path.join(FIXTURES, "manifest.json")))["cases"]}


def cli(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != expect:
        raise AssertionError("%s: exit %d, expected %d\n%s" % (" ".join(args), p.returncode, expect, p.stderr))
    return p


def analyze(weights, out, *extra):
    """weights None: featscale's untrained default weights."""
    chosen = ["--weights", weights] if weights else []
    p = cli("analyze", IMAGE, *chosen, "--size", "96", "--layers", "conv4_3", "--threads", "1", "--quiet",
            "--out", out, *extra)
    with open(os.path.join(out, "run.json")) as f:
        return p, json.load(f)


class Topologies(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)

    def test_weights_shows_topology_and_learned_layers(self):
        for name, c in CASES.items():
            with self.subTest(name):
                j = json.loads(cli("weights", c["weights"], "--json").stdout)
                self.assertEqual(j["arch"], c["arch"])
                self.assertEqual(j["layout"], c["layout"])
                self.assertEqual(j["preset"], c["preset"])
                self.assertEqual(j["eps"], c["eps"])
                self.assertEqual(sorted(j.get("gammas", {})), sorted(c["l2norm"]))
                for layer, g in c["l2norm"].items():
                    self.assertAlmostEqual(j["gammas"][layer]["max"], max(g["gamma"]), places=3)
                text = cli("weights", c["weights"]).stdout
                self.assertIn("arch:        " + c["arch"], text)
                for layer in c["l2norm"]:
                    self.assertIn(layer + " (learned)", text)

    def test_topologies_are_listed_with_their_definitions(self):
        rows = {r["name"]: r for r in json.loads(cli("weights", "--topologies", "--json").stdout)}
        self.assertEqual(sorted(rows), sorted(["vgg16", "vgg16-bn", "vgg16-reduced", "ssd512", "refinedet", "s3fd"]))
        self.assertEqual(rows["refinedet"]["l2norm"], {"conv4_3": 10, "conv5_3": 8})
        self.assertEqual(rows["s3fd"]["l2norm"], {"conv3_3": 10, "conv4_3": 8, "conv5_3": 5})
        self.assertIn("sfzhang15/SFD", rows["s3fd"]["definition"])

    def test_analyze_normalizes_the_learned_layers_and_records_them(self):
        for name, c in CASES.items():
            with self.subTest(name):
                p, run = analyze(c["weights"], os.path.join(WORK, name))
                self.assertIn("topology: " + c["arch"], p.stderr)
                self.assertEqual(run["arch"], c["arch"])
                self.assertEqual(run["eps"], c["eps"])
                self.assertEqual(run["weights"]["eps"], c["eps"])
                learned = c["l2norm"] or {"conv4_3": None}
                self.assertEqual(run["l2norm_layers"], list(learned))
                for layer, g in c["l2norm"].items():
                    self.assertIn(layer + " (learned gamma", p.stderr)
                    self.assertEqual(len(run["gamma"][layer]), len(g["gamma"]))
                    for a, b in zip(run["gamma"][layer], g["gamma"]):
                        self.assertAlmostEqual(a, b, places=4)
                    self.assertEqual(len(run["weights"]["learned_gamma"][layer]), len(g["gamma"]))
                if not c["l2norm"]:
                    self.assertIsNone(run["weights"]["learned_gamma"])
                    self.assertEqual(set(run["gamma"]["conv4_3"]), {20.0})

    def test_options_override_the_familys_choices(self):
        c = CASES["refinedet"]
        p, run = analyze(c["weights"], os.path.join(WORK, "override"), "--l2norm", "conv5_3", "--eps", "caffe",
                         "--gamma", "3")
        self.assertEqual(run["l2norm_layers"], ["conv5_3"])
        self.assertEqual(run["eps"], "caffe")
        self.assertEqual(set(run["gamma"]["conv5_3"]), {3.0})
        self.assertIn("conv5_3 (given gamma", p.stderr)
        p, run = analyze(c["weights"], os.path.join(WORK, "none"), "--l2norm", "none")
        self.assertEqual(run["l2norm_layers"], [])
        # untrained default weights of a topology: its layers at their initial gammas
        p, run = analyze(None, os.path.join(WORK, "untrained"), "--arch", "s3fd")
        self.assertEqual(run["l2norm_layers"], ["conv3_3", "conv4_3", "conv5_3"])
        self.assertEqual({k: set(v) for k, v in run["gamma"].items()},
                         {"conv3_3": {10.0}, "conv4_3": {8.0}, "conv5_3": {5.0}})

    def test_a_file_fitting_several_topologies_asks_for_arch(self):
        # A reduced backbone in featscale's names whose only learned L2Norm layer is conv5_3: both
        # RefineDet and S3FD normalize conv5_3.
        sd = torch.load(CASES["s3fd_caffe"]["weights"])
        sd = {k: v for k, v in sd.items() if not k.startswith("extras.") and k not in
              ("L2Norm.conv3_3.weight", "L2Norm.conv4_3.weight")}
        path = os.path.join(WORK, "conv5_3_only.pth")
        torch.save(sd, path)
        p = cli("weights", path, expect=3)
        self.assertIn("refinedet, s3fd", p.stderr)
        self.assertIn("--arch", p.stderr)
        j = json.loads(cli("weights", path, "--arch", "refinedet", "--json").stdout)
        self.assertEqual(j["arch"], "refinedet")
        p, run = analyze(path, os.path.join(WORK, "chosen"), "--arch", "s3fd")
        self.assertEqual(run["arch"], "s3fd")
        self.assertEqual(run["l2norm_layers"], ["conv5_3"])

    def test_layers_all_leaves_out_the_extras_an_input_is_too_small_for(self):
        # SSD512's extras end in conv12_2, 1x1 at 512 px (feature maps 64, 32, 16, 8, 4, 2, 1 in the
        # SSD paper's SSD512); a 128 px input's map vanishes before conv12_2.
        weights = CASES["ssd512"]["weights"]

        def rows(out):
            with open(os.path.join(out, "summary.csv")) as f:
                return [r for r in csv.DictReader(line for line in f if not line.startswith("#")) if r["image"] != "*"]

        small = os.path.join(WORK, "all_small")
        p = cli("analyze", IMAGE, "--weights", weights, "--size", "square:128", "--layers", "all", "--threads", "1",
                "--quiet", "--out", small)
        layers = {r["layer"] for r in rows(small)}
        self.assertTrue({"conv8_2", "conv9_2", "conv10_2", "conv11_2", "fc7", "conv1_1"} <= layers, layers)
        self.assertNotIn("conv12_2", layers)
        with open(os.path.join(small, "summary.json")) as f:
            notes = json.dumps(json.load(f))
        self.assertIn("conv12_2 not analysed: a 128x128 input is too small for it", notes)

        full = os.path.join(WORK, "all_512")
        cli("analyze", IMAGE, "--weights", weights, "--size", "square:512", "--layers", "all", "--threads", "1",
            "--quiet", "--out", full)
        sizes = {r["layer"]: (int(r["height"]), int(r["width"])) for r in rows(full) if r["stage"] == "before"}
        self.assertEqual([sizes[l] for l in ("conv4_3", "fc7", "conv8_2", "conv9_2", "conv10_2", "conv11_2", "conv12_2")],
                         [(64, 64), (32, 32), (16, 16), (8, 8), (4, 4), (2, 2), (1, 1)])

        # asked for by name, a layer the input cannot reach fails the image with the reason
        p = cli("analyze", IMAGE, "--weights", weights, "--size", "square:128", "--layers", "conv4_3,conv12_2",
                "--threads", "1", "--out", os.path.join(WORK, "named_small"), expect=1)
        self.assertIn("conv12_2 needs a larger input than 128x128", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
