#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli compare and analyze --save-maps end to end.

compare: two runs with different weights (the default weights seeded 0 and 1); the ratios are the
ratios of the runs' medians in their summary.csv, untrained runs are flagged, runs with different
layers are compared on the common ones with a note, a bad directory is a fatal error naming it.
norm_maps.npz: read with numpy's own np.load, its maps agree with every per-image statistic of
summary.csv (count, zeros, min, max, mean, std and the exact percentiles, which numpy recomputes),
and with torchvision's norm maps of the parity fixtures.

Usage: cli_compare_maps_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR PARITY_DIR
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import unittest
import zipfile

import numpy as np

CLI, SAMPLES, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
PARITY = sys.argv[4] if len(sys.argv) > 4 else None  # torchvision reference maps (make_reference.py)
COMMON = ["--size", "64", "--threads", "1", "--quiet"]
LAYERS = ["--layers", "conv4_3,fc7"]


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def summary(run_dir):
    with open(os.path.join(run_dir, "summary.csv")) as f:
        return list(csv.DictReader(f))


def medians(run_dir):
    return {(r["layer"], r["stage"]): float(r["p50"]) for r in summary(run_dir) if r["image"] == "*"}


def compare_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


class CliCompare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        cls.a = os.path.join(WORK, "seed0")
        cls.b = os.path.join(WORK, "seed1")
        cls.c = os.path.join(WORK, "seed0_three_layers")
        run("analyze", SAMPLES, *COMMON, *LAYERS, "--seed", "0", "--save-maps", "--out", cls.a)
        run("analyze", SAMPLES, *COMMON, *LAYERS, "--seed", "1", "--out", cls.b)
        run("analyze", SAMPLES, *COMMON, "--layers", "conv4_3,conv5_3,fc7", "--l2norm", "none", "--seed", "0",
            "--out", cls.c)

    def test_ratios_are_ratios_of_the_summary_medians(self):
        out = os.path.join(WORK, "ab.csv")
        proc = run("compare", self.a, self.b, "--out", out)
        rows = compare_csv(out)
        self.assertEqual(list(rows[0].keys())[:8], ["layer", "stage", "run", "median", "p5", "p95", "ratio", "untrained"])
        ma, mb = medians(self.a), medians(self.b)
        self.assertEqual({(r["layer"], r["stage"]) for r in rows}, set(ma))
        self.assertEqual(len(rows), 2 * len(ma))
        agg = {(r["layer"], r["stage"]): r for r in summary(self.b) if r["image"] == "*"}
        for r in rows:
            key = (r["layer"], r["stage"])
            self.assertIn(r["run"], (self.a, self.b))  # the directory as given
            mine = ma if r["run"] == self.a else mb
            self.assertEqual(float(r["median"]), mine[key])
            self.assertAlmostEqual(float(r["ratio"]), mine[key] / ma[key], delta=1e-12 * mine[key] / ma[key])
            if r["run"] == self.b:
                self.assertEqual(float(r["p5"]), float(agg[key]["p5"]))
                self.assertEqual(float(r["p95"]), float(agg[key]["p95"]))
        # both runs use the default weights
        self.assertTrue(all(r["untrained"] == "true" for r in rows))
        self.assertEqual(len([l for l in proc.stdout.splitlines() if l.startswith("# WARNING") and "UNTRAINED" in l]), 2)
        # different weights: the medians differ, so the ratios are not all 1
        self.assertTrue(any(abs(float(r["ratio"]) - 1) > 1e-3 for r in rows if r["run"] == self.b))
        # runs in the order given: the first is the reference
        self.assertTrue(all(float(r["ratio"]) == 1.0 for r in rows if r["run"] == self.a))
        # the same table on stdout
        table = [l.split() for l in proc.stdout.splitlines() if l and not l.startswith("#")]
        self.assertEqual(table[0][:7], ["layer", "stage", "run", "median", "p5", "p95", "ratio"])
        self.assertEqual(len(table) - 1, len(rows))
        for line, r in zip(table[1:], rows):
            self.assertEqual(line[:2], [r["layer"], r["stage"]])
            self.assertAlmostEqual(float(line[3]), float(r["median"]), delta=1e-3 * float(r["median"]))
            self.assertAlmostEqual(float(line[6].rstrip("x")), float(r["ratio"]), delta=1e-2 * float(r["ratio"]))

    def test_untrained_runs_are_flagged(self):
        out = os.path.join(WORK, "flag.csv")
        # a run whose metadata says trained: the same numbers, run.json's flag turned off
        trained = os.path.join(WORK, "trained")
        shutil.rmtree(trained, ignore_errors=True)
        shutil.copytree(self.b, trained)
        meta_path = os.path.join(trained, "run.json")
        with open(meta_path) as f:
            meta = json.load(f)
        meta["untrained"] = meta["weights"]["untrained"] = False
        with open(meta_path, "w") as f:
            json.dump(meta, f)
        proc = run("compare", self.a, trained, "--out", out)
        flags = {r["run"]: r["untrained"] for r in compare_csv(out)}
        self.assertEqual(flags, {self.a: "true", trained: "false"})
        warnings = [l for l in proc.stdout.splitlines() if "UNTRAINED" in l and l.startswith("# WARNING")]
        self.assertEqual(len(warnings), 1, proc.stdout)
        self.assertIn(self.a, warnings[0])

    def test_different_layers_are_compared_on_the_common_ones(self):
        out = os.path.join(WORK, "ac.csv")
        proc = run("compare", self.a, self.c, "--out", out)
        rows = compare_csv(out)
        self.assertEqual({(r["layer"], r["stage"]) for r in rows}, {("conv4_3", "before"), ("fc7", "before")})
        notes = [l for l in proc.stdout.splitlines() if l.startswith("# note:")]
        self.assertEqual(len(notes), 2, proc.stdout)
        self.assertIn(self.a, notes[0])
        self.assertIn("conv4_3 after", notes[0])
        self.assertIn(self.c, notes[1])
        self.assertIn("conv5_3 before", notes[1])
        # same seed, same images: the common medians agree
        for r in rows:
            self.assertAlmostEqual(float(r["ratio"]), 1.0, delta=1e-6)

    def test_bad_directories_are_fatal_and_named(self):
        out = os.path.join(WORK, "bad.csv")
        missing = os.path.join(WORK, "no_such_run")
        p = run("compare", self.a, missing, "--out", out, expect=3)
        self.assertIn(missing, p.stderr)
        p = run("compare", SAMPLES, self.a, "--out", out, expect=3)
        self.assertIn(SAMPLES, p.stderr)
        self.assertIn("not a run directory", p.stderr)
        self.assertFalse(os.path.exists(out))
        run("compare", "--out", out, expect=2)
        run("compare", self.a, expect=2)
        self.assertIn("--out", run("compare", "--help").stdout)


class NormMaps(unittest.TestCase):
    def check_against_summary(self, run_dir):
        path = os.path.join(run_dir, "norm_maps.npz")
        rows = [r for r in summary(run_dir) if r["image"] != "*"]
        with np.load(path) as npz:
            self.assertEqual(sorted(npz.files), sorted(f"{r['image']}:{r['layer']}:{r['stage']}" for r in rows))
            for r in rows:
                m = npz[f"{r['image']}:{r['layer']}:{r['stage']}"]
                self.assertEqual(m.dtype, np.float32)
                self.assertEqual(m.shape, (int(r["height"]), int(r["width"])))
                v = m.astype(np.float64).ravel()
                self.assertEqual(int(r["count"]), v.size)
                self.assertEqual(int(r["zeros"]), int((v == 0).sum()))
                want = {"min": v.min(), "max": v.max(), "mean": v.mean(), "std": v.std()}
                for q in (1, 5, 25, 50, 75, 95, 99):
                    want[f"p{q}"] = np.percentile(v, q)
                for key, value in want.items():
                    self.assertAlmostEqual(float(r[key]), value, delta=1e-5 * max(v.max(), 1e-30), msg=(r, key))
        return rows

    def test_maps_equal_the_per_image_statistics(self):
        a = os.path.join(WORK, "seed0")
        rows = self.check_against_summary(a)
        self.assertEqual(len(rows), 4 * 3)  # 4 photos x (conv4_3 before/after, fc7 before)
        # stored, and a plain zip that any reader opens
        with zipfile.ZipFile(os.path.join(a, "norm_maps.npz")) as z:
            self.assertIsNone(z.testzip())
            self.assertTrue(all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist()))
            self.assertTrue(all(i.filename.endswith(".npy") for i in z.infolist()))

    def test_maps_equal_torchvision(self):
        # one photo with the parity suite's seeded torchvision VGG16, against torchvision's own
        # norm maps of that photo (make_reference.py): values computed outside featscale
        if not PARITY:
            self.fail("no parity fixture directory given")
        with open(os.path.join(PARITY, "manifest.json")) as f:
            manifest = json.load(f)
        case = next(c for c in manifest["cases"] if c["arch"] == "vgg16" and c["size"] == "224"
                    and c["image"].endswith("chelsea.jpg"))
        layers = ["conv3_3", "conv4_3", "conv5_3", "fc7"]
        out = os.path.join(WORK, "torchvision")
        run("analyze", case["image"], "--weights", case["weights"], "--arch", "vgg16", "--preset", "torchvision",
            "--size", "224", "--eps", "torchvision", "--layers", ",".join(layers), "--threads", "1", "--quiet",
            "--save-maps", "--out", out)
        image = summary(out)[0]["image"]
        with np.load(os.path.join(out, "norm_maps.npz")) as npz:
            for layer in layers:
                info = case["layers"][layer]
                want = np.fromfile(info["file"], dtype=np.float32).reshape(info["height"], info["width"])
                got = npz[f"{image}:{layer}:before"]
                np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * float(want.max()), err_msg=layer)

    def test_without_save_maps_an_earlier_archive_is_removed(self):
        out = os.path.join(WORK, "replaced")
        run("analyze", os.path.join(SAMPLES, "chelsea.jpg"), *COMMON, *LAYERS, "--save-maps", "--out", out)
        self.check_against_summary(out)
        run("analyze", os.path.join(SAMPLES, "rocket.jpg"), *COMMON, *LAYERS, "--out", out)
        self.assertFalse(os.path.exists(os.path.join(out, "norm_maps.npz")))
        self.assertEqual([n for n in os.listdir(out) if n.startswith(".")], [])

    def test_ctrl_c_keeps_the_maps_of_the_finished_images(self):
        folder = os.path.join(WORK, "many")
        os.makedirs(folder, exist_ok=True)
        for k in range(200):
            shutil.copy(os.path.join(SAMPLES, "chelsea.jpg"), os.path.join(folder, "img%03d.jpg" % k))
        out = os.path.join(WORK, "interrupted")
        p = subprocess.Popen([CLI, "analyze", folder, "--size", "32", *LAYERS, "--threads", "1", "--save-maps",
                              "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in p.stderr:
            if line.startswith("[5/200]"):
                p.send_signal(signal.SIGINT)
                break
        p.communicate(timeout=300)
        self.assertEqual(p.returncode, 130)
        rows = self.check_against_summary(out)  # the same images in the maps as in summary.csv
        self.assertGreaterEqual(len({r["image"] for r in rows}), 5)
        self.assertLess(len({r["image"] for r in rows}), 200, "the run was not interrupted")
        self.assertEqual([n for n in os.listdir(out) if n.startswith(".")], [])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
