#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli analyze --annotations / --energy-share and probe --priors, end to end.

Synthetic 96 x 96 images with boxes whose cells are counted by hand (cells on box edges
included); region medians, energy shares and their aggregates against numpy over the saved norm
maps; VOC, COCO and WIDER FACE files written here give the same rows; malformed and hostile ones
are reported by name and never stop the run; shards merge to the single run byte for byte; the
prior grid against ssd.pytorch's published SSD300 configuration.

Usage: cli_regions_test.py FEATSCALE_CLI WORK_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from measured_run import measured_run  # noqa: E402

CLI, WORK = sys.argv[1], sys.argv[2]
LAYERS = ["conv3_3", "conv4_3", "fc7"]
COMMON = ["--size", "96", "--layers", ",".join(LAYERS), "--threads", "1", "--quiet"]
SIDE = 96
# 0-based half-open boxes [x0, x1) x [y0, y1) of a.png; b.png has one box over the whole image.
BOXES_A = [(4, 4, 12, 20), (40, 40, 96, 96), (48, 48, 64, 64)]
BOXES_B = [(0, 0, 96, 96)]
# Counted by hand, cell centres at (k + 0.5) * cell size: conv3_3 24 x 24 (centres 2, 6, ...),
# conv4_3 12 x 12 (4, 12, ...), fc7 6 x 6 (8, 24, 40, ...). Box 1 holds conv4_3's centres x 4 and
# y 4, 12 (not 12 in x, not 20 in y: right and bottom edges are outside); box 2 holds conv4_3's 44
# ... 92 and fc7's 40 (its left edge) ... 88; box 3 (inside box 2, smaller) makes its cells small.
COUNTS_A = {
    "conv3_3": {"object": 204, "background": 372, "small": 24, "medium": 180},
    "conv4_3": {"object": 51, "background": 93, "small": 6, "medium": 45},
    "fc7": {"object": 17, "background": 19, "small": 2, "medium": 15},
}
MAP_SIDE = {"conv3_3": 24, "conv4_3": 12, "fc7": 6}


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def read(path):
    with open(path, "rb") as f:
        return f.read()


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def voc(boxes):
    objects = "".join(f"<object><name>thing</name><bndbox><xmin>{x0 + 1}</xmin><ymin>{y0 + 1}</ymin>"
                      f"<xmax>{x1}</xmax><ymax>{y1}</ymax></bndbox></object>" for x0, y0, x1, y1 in boxes)
    return f"<annotation><size><width>96</width><height>96</height></size>{objects}</annotation>\n"


def numpy_mask(boxes, side):
    """Per cell the smallest area of a box holding the cell's centre (inf: background)."""
    centres = (np.arange(side) + 0.5) * SIDE / side
    cx, cy = np.meshgrid(centres, centres)
    smallest = np.full((side, side), np.inf)
    for x0, y0, x1, y1 in boxes:
        inside = (cx >= x0) & (cx < x1) & (cy >= y0) & (cy < y1)
        smallest[inside] = np.minimum(smallest[inside], (x1 - x0) * (y1 - y0))
    return smallest


def region_cells(smallest, region):
    return {"object": np.isfinite(smallest), "background": np.isinf(smallest),
            "small": smallest < 32 ** 2, "medium": (smallest >= 32 ** 2) & (smallest < 96 ** 2),
            "large": np.isfinite(smallest) & (smallest >= 96 ** 2)}[region]


class CliRegions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        cls.images = os.path.join(WORK, "images")
        os.makedirs(cls.images)
        rng = np.random.default_rng(7)
        for name in ["a", "b", "c"]:
            Image.fromarray(rng.integers(0, 256, (SIDE, SIDE, 3), dtype=np.uint8)).save(
                os.path.join(cls.images, f"{name}.png"))
        cls.voc = os.path.join(WORK, "voc")
        os.makedirs(cls.voc)
        for name, boxes in [("a", BOXES_A), ("b", BOXES_B), ("zzz", BOXES_B)]:
            with open(os.path.join(cls.voc, f"{name}.xml"), "w") as f:
                f.write(voc(boxes))
        with open(os.path.join(cls.voc, "broken.xml"), "w") as f:
            f.write("<annotation><object><bndbox><xmin>3</xmin></bndbox></object>")
        cls.coco = os.path.join(WORK, "instances.json")
        with open(cls.coco, "w") as f:
            json.dump({"images": [{"id": 1, "file_name": "a.png", "width": 96, "height": 96},
                                  {"id": 2, "file_name": "b.png", "width": 96, "height": 96}],
                       "annotations": [{"id": k, "image_id": img, "category_id": 1,
                                        "bbox": [x0, y0, x1 - x0, y1 - y0]}
                                       for k, (img, (x0, y0, x1, y1)) in enumerate(
                                           [(1, b) for b in BOXES_A] + [(2, b) for b in BOXES_B])]}, f)
        cls.wider = os.path.join(WORK, "wider_face_val_bbx_gt.txt")
        with open(cls.wider, "w") as f:
            for folder, name, boxes in [("0--Parade", "a.png", BOXES_A), ("1--Handshaking", "b.png", BOXES_B)]:
                f.write(f"{folder}/{name}\n{len(boxes)}\n")
                for x0, y0, x1, y1 in boxes:
                    f.write(f"{x0} {y0} {x1 - x0} {y1 - y0} 0 0 0 0 0 0\n")
        cls.out = os.path.join(WORK, "voc_run")
        cls.proc = run("analyze", cls.images, *COMMON, "--annotations", cls.voc, "--save-maps", "--energy-share",
                       "--out", cls.out)
        cls.maps = np.load(os.path.join(cls.out, "norm_maps.npz"))
        cls.summary = rows(os.path.join(cls.out, "summary.csv"))

    def key(self, name):
        return os.path.join(self.images, name)

    def region_rows(self, summary, image):
        return {(r["layer"], r["stage"], r["region"]): r for r in summary if r["image"] == image and r["region"] != "all"}

    def test_hand_counted_cells_and_numpy_medians(self):
        got = self.region_rows(self.summary, self.key("a.png"))
        for layer, counts in COUNTS_A.items():
            stages = ["before", "after"] if layer == "conv4_3" else ["before"]
            for stage in stages:
                for region, n in counts.items():
                    self.assertEqual(int(got[(layer, stage, region)]["count"]), n, (layer, stage, region))
                self.assertNotIn((layer, stage, "large"), got)  # no cell of a.png is on a large box
                values = self.maps[f"{self.key('a.png')}:{layer}:{stage}"]
                smallest = numpy_mask(BOXES_A, MAP_SIDE[layer])
                for region in counts:
                    cells = values[region_cells(smallest, region)]
                    self.assertEqual(cells.size, counts[region])
                    r = got[(layer, stage, region)]
                    for col, want in [("p50", np.percentile(cells, 50)), ("mean", cells.mean()),
                                      ("min", cells.min()), ("max", cells.max()), ("p95", np.percentile(cells, 95))]:
                        self.assertAlmostEqual(float(r[col]), want, delta=1e-5 * abs(want) + 1e-6,
                                               msg=f"{layer} {stage} {region} {col}")
        # the whole-map rows are today's rows, region "all"
        whole = [r for r in self.summary if r["image"] == self.key("a.png") and r["region"] == "all"]
        self.assertEqual([(r["layer"], r["stage"]) for r in whole],
                         [("conv3_3", "before"), ("conv4_3", "before"), ("conv4_3", "after"), ("fc7", "before")])

    def test_size_classes_and_unannotated_images(self):
        got = self.region_rows(self.summary, self.key("b.png"))
        # one box of 96 x 96 = 96² pixels: large (not < 96²), every cell on it
        self.assertEqual(int(got[("conv4_3", "before", "large")]["count"]), 144)
        self.assertEqual(int(got[("conv4_3", "before", "object")]["count"]), 144)
        self.assertNotIn(("conv4_3", "before", "background"), got)
        self.assertNotIn(("conv4_3", "before", "small"), got)
        self.assertEqual(self.region_rows(self.summary, self.key("c.png")), {})
        err = self.proc.stderr
        self.assertIn(f"no annotation for {self.key('c.png')}", err)
        self.assertIn("1 of them not among the inputs (zzz)", err)
        self.assertIn("broken.xml", err)
        # aggregates: the region counts of both images add up
        agg = self.region_rows(self.summary, "*")
        self.assertEqual(int(agg[("conv4_3", "before", "object")]["count"]), 51 + 144)
        self.assertEqual(int(agg[("conv4_3", "before", "background")]["count"]), 93)
        self.assertEqual(int(agg[("conv4_3", "before", "large")]["count"]), 144)

    def test_region_histograms_hold_the_region_counts(self):
        hist = rows(os.path.join(self.out, "region_histograms.csv"))
        self.assertEqual(list(hist[0].keys()), ["image", "layer", "stage", "region", "bin_lo", "bin_hi", "count"])
        for r in self.summary:
            if r["region"] == "all":
                continue
            n = sum(int(h["count"]) for h in hist if (h["image"], h["layer"], h["stage"], h["region"]) ==
                    (r["image"], r["layer"], r["stage"], r["region"]))
            self.assertEqual(n, int(r["count"]) + int(r["nans"]), r)
        js = json.loads(read(os.path.join(self.out, "summary.json")))
        regions = [l["region"] for l in js["images"][0]["layers"]]
        self.assertEqual(regions[:4], ["all"] * 4)
        self.assertIn("small", regions)

    def test_voc_coco_and_wider_face_give_the_same_rows(self):
        for name, path in [("coco", self.coco), ("wider", self.wider)]:
            out = os.path.join(WORK, f"{name}_run")
            run("analyze", self.images, *COMMON, "--annotations", path, "--out", out)
            self.assertEqual(read(os.path.join(out, "summary.csv")), read(os.path.join(self.out, "summary.csv")), name)
            self.assertEqual(read(os.path.join(out, "region_histograms.csv")),
                             read(os.path.join(self.out, "region_histograms.csv")), name)

    def test_shards_merge_to_the_single_run(self):
        shards = []
        for i in range(2):
            d = os.path.join(WORK, f"shard{i}")
            run("analyze", self.images, *COMMON, "--annotations", self.voc, "--shard", f"{i}/2", "--out", d)
            shards.append(d)
        single = os.path.join(WORK, "single")
        run("analyze", self.images, *COMMON, "--annotations", self.voc, "--out", single)
        merged = os.path.join(WORK, "merged")
        run("merge", *shards, "--out", merged)
        for f in ["summary.csv", "summary.json", "histograms.csv", "region_histograms.csv"]:
            self.assertEqual(read(os.path.join(merged, f)), read(os.path.join(single, f)), f)
        # runs written before regions existed (no "region" field) read as whole maps
        old = os.path.join(WORK, "old")
        shutil.copytree(os.path.join(WORK, "shard0"), old)
        js = json.loads(read(os.path.join(old, "summary.json")))
        for img in js["images"]:
            img["layers"] = [l for l in img["layers"] if l["region"] == "all"]
            for l in img["layers"]:
                del l["region"]
        with open(os.path.join(old, "summary.json"), "w") as f:
            json.dump(js, f)
        os.remove(os.path.join(old, "region_histograms.csv"))
        again = os.path.join(WORK, "old_merged")
        run("merge", old, "--out", again)
        self.assertTrue(all(r["region"] == "all" for r in rows(os.path.join(again, "summary.csv"))))
        self.assertFalse(os.path.exists(os.path.join(again, "region_histograms.csv")))

    def test_hostile_annotations_are_reported_and_bounded(self):
        deep = os.path.join(WORK, "deep.json")
        with open(deep, "w") as f:
            f.write('{"images": ' + "[" * 200000 + "]" * 200000 + "}")
        out = os.path.join(WORK, "deep_run")
        p = run("analyze", self.images, *COMMON, "--annotations", deep, "--out", out)
        self.assertIn(deep, p.stderr)
        self.assertIn("nested deeper than 64", p.stderr)
        self.assertIn("the run goes on without regions", p.stderr)
        self.assertTrue(all(r["region"] == "all" for r in rows(os.path.join(out, "summary.csv"))))
        self.assertFalse(os.path.exists(os.path.join(out, "region_histograms.csv")))
        # 10^6 boxes on one image: that image's annotation is left out, by name, at a memory cost
        # of the order of the file's size
        crowd = os.path.join(WORK, "crowd.json")
        with open(crowd, "w") as f:
            f.write('{"images": [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "b.png"}], "annotations": [')
            f.write(",".join(['{"image_id":1,"bbox":[1,2,3,4]}'] * 1000000))
            f.write(', {"image_id": 2, "bbox": [-1, 0, 5, 5]}, {"image_id": 2, "bbox": [0, 0, -5, 5]}]}')
        size_mb = os.path.getsize(crowd) / 2 ** 20
        plain = measured_run([CLI, "analyze", self.images, *COMMON, "--out", os.path.join(WORK, "plain")])
        m = measured_run([CLI, "analyze", self.images, *COMMON, "--annotations", crowd,
                          "--out", os.path.join(WORK, "crowd_run")])
        self.assertEqual(m.code, 0, m.err)
        self.assertIn("a.png: more than the 10000 boxes one image may have", m.err)
        self.assertIn("negative width or height", m.err)
        self.assertIn("reaches outside the 96 x 96 image", m.err)  # b.png's box from x = -1
        self.assertLess(m.rss_mb - plain.rss_mb, 6 * size_mb + 64, f"{m.rss_mb} MB vs {plain.rss_mb} MB")
        got = rows(os.path.join(WORK, "crowd_run", "summary.csv"))
        self.assertFalse(any(r["image"] == self.key("a.png") and r["region"] != "all" for r in got))
        self.assertTrue(any(r["image"] == self.key("b.png") and r["region"] == "object" for r in got))

    def shares_numpy(self, image, stage, maps):
        """conv4_3 + fc7 at every conv4_3 cell: fc7 read at the cell under the conv4_3 cell's centre."""
        fine = maps[f"{image}:conv4_3:{stage}"].astype(np.float64)
        coarse = maps[f"{image}:fc7:before"].astype(np.float64)
        centres = (np.arange(12) + 0.5) * SIDE / 12
        under = np.floor(centres * 6 / SIDE).astype(int)
        coarse_at = coarse[np.ix_(under, under)]
        total = fine ** 2 + coarse_at ** 2
        return {"conv4_3": (fine ** 2 / total).ravel(), "fc7": (coarse_at ** 2 / total).ravel()}

    def test_energy_shares_against_numpy(self):
        shares = rows(os.path.join(self.out, "energy_share.csv"))
        self.assertEqual(list(shares[0].keys()), ["image", "group", "layer", "stage", "median_share", "mean_share"])
        everything = {}
        for name in ["a.png", "b.png", "c.png"]:
            image = self.key(name)
            for stage in ["before", "after"]:
                want = self.shares_numpy(image, stage, self.maps)
                got = {r["layer"]: r for r in shares if r["image"] == image and r["stage"] == stage}
                self.assertEqual(set(got), {"conv4_3", "fc7"})
                for layer, v in want.items():
                    self.assertEqual(got[layer]["group"], "conv4_3+fc7")
                    self.assertAlmostEqual(float(got[layer]["median_share"]), np.median(v), delta=1e-6)
                    self.assertAlmostEqual(float(got[layer]["mean_share"]), v.mean(), delta=1e-6)
                    everything.setdefault((layer, stage), []).append(v)
                # the shares of a cell sum to 1, so do their means
                self.assertAlmostEqual(sum(float(r["mean_share"]) for r in got.values()), 1.0, delta=1e-6)
        for (layer, stage), parts in everything.items():
            v = np.concatenate(parts)
            agg = [r for r in shares if r["image"] == "*" and r["layer"] == layer and r["stage"] == stage]
            self.assertEqual(len(agg), 1)
            self.assertAlmostEqual(float(agg[0]["mean_share"]), v.mean(), delta=1e-7)  # float32 shares
            self.assertAlmostEqual(float(agg[0]["median_share"]), np.median(v), delta=1e-4)  # one bin of 10^-4

    def test_gamma_zero_sends_the_normalized_share_to_zero(self):
        out = os.path.join(WORK, "gamma0")
        run("analyze", self.images, *COMMON, "--gamma", "0", "--energy-group", "conv4_3,fc7", "--out", out)
        for r in rows(os.path.join(out, "energy_share.csv")):
            if r["stage"] == "after":
                want = 0.0 if r["layer"] == "conv4_3" else 1.0
                self.assertEqual(float(r["median_share"]), want, r)
                self.assertEqual(float(r["mean_share"]), want, r)
        # without --energy-share an earlier energy_share.csv does not stay beside the new run
        run("analyze", self.images, *COMMON, "--out", out)
        self.assertFalse(os.path.exists(os.path.join(out, "energy_share.csv")))
        p = run("analyze", self.images, *COMMON, "--energy-group", "conv4_3,conv5_3", "--out", out, expect=2)
        self.assertIn("conv5_3 is not analysed", p.stderr)

    def test_probe_prints_the_published_ssd300_grid(self):
        # ssd.pytorch data/config.py (voc): feature_maps, steps, min_sizes, max_sizes
        published = [("conv4_3", 38, 8, 30, 60), ("fc7", 19, 16, 60, 111), ("conv8_2", 10, 32, 111, 162),
                     ("conv9_2", 5, 64, 162, 213), ("conv10_2", 3, 100, 213, 264), ("conv11_2", 1, 300, 264, 315)]
        priors = os.path.join(WORK, "priors.csv")
        p = run("probe", self.key("a.png"), "--at", "50,20", "--layers", "conv4_3,fc7", "--threads", "1",
                "--size", "96", "--out", os.path.join(WORK, "concat.csv"), "--priors", priors)
        grid = rows(priors)
        self.assertEqual(len(grid), sum(n * n for _, n, _, _, _ in published))
        for layer, n, step, lo, hi in published:
            mine = [r for r in grid if r["layer"] == layer]
            self.assertEqual(len(mine), n * n, layer)
            fk = 300 / step  # ssd.pytorch: cx = (j + 0.5) / f_k of the 300-pixel input
            for r in mine:
                self.assertEqual((int(r["feature_map"]), float(r["step"]), float(r["min_size"]), float(r["max_size"])),
                                 (n, step, lo, hi))
                self.assertAlmostEqual(float(r["cx"]), (int(r["j"]) + 0.5) / fk * 300, places=6)
                self.assertAlmostEqual(float(r["cy"]), (int(r["i"]) + 0.5) / fk * 300, places=6)
                self.assertAlmostEqual(float(r["image_x"]), float(r["cx"]) * SIDE / 300, places=5)
        # the prior under (50, 20): input (156.25, 62.5), conv4_3 prior i = 7, j = 19
        self.assertIn("prior ssd300-voc conv4_3: 38x38 step 8 (min 30, max 60): i=7 j=19", p.stderr)
        with open(os.path.join(WORK, "concat.csv")) as f:
            self.assertTrue(any(l.startswith("# prior ssd300-voc conv11_2") for l in f))
        p = run("probe", self.key("a.png"), "--at", "5,5", "--arch", "vgg16", "--size", "96", "--threads", "1",
                "--out", os.path.join(WORK, "c2.csv"), "--priors", priors, expect=2)
        self.assertIn("without prior boxes", p.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
