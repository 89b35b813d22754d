#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`featscale-cli trajectory` on checkpoints written here in each project's layout, with a gamma known
per step: ssd.pytorch iteration snapshots (ssd300_COCO_N.pth), mmdetection epoch_N.pth with meta,
S3FD.pytorch {'weight', 'epoch'} and Caffe solver snapshots (_iter_N.caffemodel). Checks the order,
the steps and their sources, every gamma value, the summaries and near-uniform flags against numpy,
a damaged checkpoint reported and skipped; with images, the medians against separate `analyze` runs of
each checkpoint; `mean_abs` against torch (x.abs().mean()) on several layers before and after
L2Norm; and the peak memory of a gamma-only trajectory against one checkpoint's size.

Usage: cli_trajectory_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR PARITY_DIR
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
import torch.nn as nn

CLI, SAMPLES, WORK, PARITY = sys.argv[1:5]
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, PARITY)
from measured_run import Measured  # noqa: E402
from protobuf_wire import field_bytes, field_str, varint  # noqa: E402
from ssd_vgg import ssd_vgg  # noqa: E402
import make_reference as ref  # noqa: E402  (Caffe preprocessing: cv2 decode, resize, BGR minus mean)

IMAGES = [os.path.join(SAMPLES, n) for n in ("chelsea.jpg", "coffee.jpg")]
SIZE = "64"
COMMON = ["--size", SIZE, "--threads", "1", "--quiet"]
# ssd_vgg's module indices whose outputs are featscale's taps
TAPS = {"conv3_3": 15, "conv4_3": 22, "conv5_3": 29, "fc7": 34}


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=900)
    if expect is not None and p.returncode != expect:
        raise AssertionError("featscale-cli %s: exit %d, expected %d\n%s%s" %
                             (" ".join(args), p.returncode, expect, p.stdout, p.stderr))
    return p


def small_measured_run(argv):
    """measured_run from a fresh interpreter without torch: a child's peak RSS starts with what it
    was forked from, and this test's own process holds torch and the fixtures (over 600 MB)."""
    code = ("import json, sys; sys.path.insert(0, %r); from measured_run import measured_run; "
            "m = measured_run(sys.argv[1:], timeout=300); print(json.dumps(m.__dict__))"
            % os.path.join(HERE, "..", "support"))
    p = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True, timeout=400)
    return Measured(**json.loads(p.stdout))


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def gamma_at(step, channels, seed):
    """The gamma a fixture holds at a step: 20 everywhere at step 0 but for a spread of 1e-4
    (near-uniform, as SSD's init), spreading as training goes on."""
    g = torch.Generator().manual_seed(seed + step)
    spread = 1e-4 if step == 0 else 0.05 * (1 + step / 100000)
    return (20.0 * (1 + spread * torch.randn(channels, generator=g))).float()


def backbone(seed):
    """ssd.pytorch's reduced VGG16 with He-scaled weights (activations neither vanish nor explode)."""
    torch.manual_seed(seed)
    layers = ssd_vgg(nn.MaxPool2d(3, 1, 1), 6, 6)
    with torch.no_grad():
        for m in layers:
            if isinstance(m, nn.Conv2d):
                fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1]
                m.weight.normal_(0, (2.0 / fan_in) ** 0.5)
                m.bias.normal_(0, 0.05)
    return nn.ModuleList(layers)


def ssd_state(vgg, gamma):
    sd = {"vgg.%s" % k: v.clone() for k, v in vgg.state_dict().items()}
    sd["L2Norm.weight"] = gamma.clone()
    return sd


def caffe_blob(t):
    a = np.ascontiguousarray(t.detach().numpy(), "<f4")
    return field_bytes(7, b"".join(varint(1 << 3) + varint(d) for d in a.shape)) + field_bytes(5, a.tobytes())


def caffe_layer(name, type_, blobs=(), bottom=None):
    msg = field_str(1, name) + field_str(2, type_)
    if bottom:
        msg += field_str(3, bottom)
    msg += field_str(4, name)
    for b in blobs:
        msg += field_bytes(7, caffe_blob(b))
    return field_bytes(100, msg)


CAFFE_NAMES = ["conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv4_1", "conv4_2",
               "conv4_3", "conv5_1", "conv5_2", "conv5_3", "fc6", "fc7"]


def caffe_net(vgg, gamma):
    """SSD300's deploy net as a .caffemodel: the convolutions and conv4_3_norm (Normalize)."""
    convs = [m for m in vgg if isinstance(m, nn.Conv2d)]
    net = field_str(1, "VGG_coco_SSD_300x300") + caffe_layer("data", "Input")
    bottom = "data"
    for name, c in zip(CAFFE_NAMES, convs):
        net += caffe_layer(name, "Convolution", [c.weight, c.bias], bottom)
        if name == "conv4_3":
            net += caffe_layer("conv4_3_norm", "Normalize", [gamma], "conv4_3")
        bottom = name
    return net


def gamma_rows(out):
    """gamma.csv as {(checkpoint basename, layer): float32 array}, channels in order."""
    rows = {}
    for r in read_csv(os.path.join(out, "gamma.csv")):
        rows.setdefault((os.path.basename(r["checkpoint"]), r["layer"]), []).append((int(r["channel"]), r["gamma"]))
    out_ = {}
    for key, values in rows.items():
        channels = [c for c, _ in values]
        assert channels == list(range(len(values))), key
        out_[key] = np.array([float(v) for _, v in values], np.float32)
    return out_


class Trajectory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        cls.vgg = backbone(7)
        cls.gammas = {}  # file name -> {layer: gamma}

        # ssd.pytorch: torch.save(ssd_net.state_dict(), 'weights/ssd300_COCO_' + repr(iteration) + '.pth'),
        # full float32 backbones (about 80 MB each)
        cls.ssd = os.path.join(WORK, "ssd")
        os.makedirs(cls.ssd)
        for step in (0, 5000, 115000):
            name = "ssd300_COCO_%d.pth" % step
            g = gamma_at(step, 512, 1)
            cls.gammas[name] = {"conv4_3": g}
            torch.save(ssd_state(cls.vgg, g), os.path.join(cls.ssd, name))
        cls.ssd_files = [os.path.join(cls.ssd, "ssd300_COCO_%d.pth" % s) for s in (115000, 0, 5000)]

        # mmdetection: epoch_N.pth with meta; the names disagree with meta on purpose (meta wins)
        cls.mmdet = os.path.join(WORK, "mmdet")
        os.makedirs(cls.mmdet)
        for name, epoch in (("epoch_1.pth", 24), ("epoch_2.pth", 12), ("latest.pth", 6)):
            g = gamma_at(epoch * 100, 512, 2)
            cls.gammas[name] = {"conv4_3": g}
            sd = {"backbone.features.0.weight": torch.zeros(64, 3, 3, 3), "backbone.features.0.bias": torch.zeros(64),
                  "backbone.features.31.weight": torch.zeros(1, 1), "backbone.l2_norm.weight": g}
            torch.save({"meta": {"mmdet_version": "2.10.0", "epoch": epoch, "iter": epoch * 1000,
                                 "CLASSES": ("person", "car")},
                        "state_dict": sd, "optimizer": {"state": {}, "param_groups": []}},
                       os.path.join(cls.mmdet, name))

        # S3FD.pytorch: {'weight': state_dict, 'epoch': N}, three normalized layers; epochs 3 and 3 tie,
        # and one file records no epoch and has no number in its name
        cls.s3fd = os.path.join(WORK, "s3fd")
        os.makedirs(cls.s3fd)
        cls.s3fd_files = []
        for name, epoch in (("sfd_b.pth", 3), ("sfd_final.pth", None), ("sfd_a.pth", 3), ("sfd_c.pth", 1)):
            gs = {layer: gamma_at((epoch or 7) * 10 + k, c, 3 + len(cls.s3fd_files))
                  for k, (layer, c) in enumerate((("conv3_3", 256), ("conv4_3", 512), ("conv5_3", 512)))}
            cls.gammas[name] = gs
            sd = {"vgg.0.weight": torch.zeros(64, 3, 3, 3), "L2Norm3_3.weight": gs["conv3_3"],
                  "L2Norm4_3.weight": gs["conv4_3"], "L2Norm5_3.weight": gs["conv5_3"]}
            obj = {"weight": sd} if epoch is None else {"weight": sd, "epoch": epoch}
            path = os.path.join(cls.s3fd, name)
            torch.save(obj, path)
            cls.s3fd_files.append(path)

        # Caffe solver snapshots: VGG_coco_SSD_300x300_iter_N.caffemodel
        cls.caffe = os.path.join(WORK, "caffe")
        os.makedirs(cls.caffe)
        for step in (40000, 8000):
            name = "VGG_coco_SSD_300x300_iter_%d.caffemodel" % step
            g = gamma_at(step, 512, 4)
            cls.gammas[name] = {"conv4_3": g}
            with open(os.path.join(cls.caffe, name), "wb") as f:
                f.write(caffe_net(cls.vgg, g))

    def trajectory(self, name, *args, expect=0):
        out = os.path.join(WORK, "out_" + name)
        p = run("trajectory", *args, "--out", out, expect=expect)
        with open(os.path.join(out, "trajectory.json")) as f:
            meta = json.load(f)
        return out, meta, p

    def check_gammas(self, out, files):
        got = gamma_rows(out)
        table = read_csv(os.path.join(out, "trajectory.csv"))
        for name in files:
            for layer, g in self.gammas[name].items():
                np.testing.assert_array_equal(got[(name, layer)], g.numpy(), err_msg="%s %s" % (name, layer))
                row = [r for r in table if os.path.basename(r["checkpoint"]) == name and r["layer"] == layer
                       and r["stage"] == "gamma"]
                self.assertEqual(len(row), 1)
                a = g.double().numpy()
                cv = a.std() / abs(a.mean())
                for col, want in (("gamma_mean", a.mean()), ("gamma_std", a.std()), ("gamma_min", a.min()),
                                  ("gamma_max", a.max()), ("gamma_cv", cv)):
                    self.assertAlmostEqual(float(row[0][col]), want, delta=1e-9 * max(1.0, abs(want)), msg=col)
                self.assertEqual(int(row[0]["channels"]), len(a))
                self.assertEqual(row[0]["near_uniform"], "true" if cv < 0.01 else "false")

    def test_ssd_pytorch_snapshots_ordered_by_the_number_in_their_names(self):
        out, meta, p = self.trajectory("ssd", *self.ssd_files)
        order = [(os.path.basename(c["checkpoint"]), c["step"], c["step_source"]) for c in meta["checkpoints"]]
        self.assertEqual(order, [("ssd300_COCO_0.pth", 0, "file name"), ("ssd300_COCO_5000.pth", 5000, "file name"),
                                 ("ssd300_COCO_115000.pth", 115000, "file name")])
        self.assertTrue(all(c["read"] == "gamma records" for c in meta["checkpoints"]))
        self.check_gammas(out, [o[0] for o in order])
        # step 0's gamma is 20 with a spread of 1e-4: flagged, the others not
        self.assertEqual(len(meta["flags"]), 1, meta["flags"])
        self.assertIn("conv4_3 at step 0", meta["flags"][0])
        self.assertIn("one shared scale would do (Caffe `channel_shared`)", p.stdout)
        # gamma.csv rows carry the step
        steps = {r["step"] for r in read_csv(os.path.join(out, "gamma.csv"))}
        self.assertEqual(steps, {"0", "5000", "115000"})

    def test_a_directory_stands_for_its_checkpoints(self):
        out, meta, _ = self.trajectory("ssd_dir", self.ssd)
        self.assertEqual([c["step"] for c in meta["checkpoints"]], [0, 5000, 115000])

    def test_mmdetection_meta_decides_over_the_name(self):
        out, meta, _ = self.trajectory("mmdet", self.mmdet)
        order = [(os.path.basename(c["checkpoint"]), c["step"], c["step_source"]) for c in meta["checkpoints"]]
        self.assertEqual(order, [("latest.pth", 6000, "meta.iter"), ("epoch_2.pth", 12000, "meta.iter"),
                                 ("epoch_1.pth", 24000, "meta.iter")])
        self.check_gammas(out, [o[0] for o in order])

    def test_s3fd_epochs_ties_and_an_unnumbered_checkpoint(self):
        out, meta, p = self.trajectory("s3fd", *self.s3fd_files)
        order = [(os.path.basename(c["checkpoint"]), c["step"], c["step_source"]) for c in meta["checkpoints"]]
        # epoch 1 first; the two epoch-3 files in the order given (b before a); the one without a step last
        self.assertEqual(order, [("sfd_c.pth", 1, "epoch"), ("sfd_b.pth", 3, "epoch"), ("sfd_a.pth", 3, "epoch"),
                                 ("sfd_final.pth", None, "")])
        notes = " ".join(meta["notes"])
        self.assertIn("2 checkpoints share step 3 and keep the order given", notes)
        self.assertIn("1 checkpoint(s) without a step", notes)
        self.assertIn("note: 2 checkpoints share step 3", p.stderr)
        self.check_gammas(out, [o[0] for o in order])

    def test_caffe_snapshots_by_iter(self):
        out, meta, _ = self.trajectory("caffe", self.caffe)
        order = [(os.path.basename(c["checkpoint"]), c["step"], c["step_source"]) for c in meta["checkpoints"]]
        self.assertEqual(order, [("VGG_coco_SSD_300x300_iter_8000.caffemodel", 8000, "file name _iter_N"),
                                 ("VGG_coco_SSD_300x300_iter_40000.caffemodel", 40000, "file name _iter_N")])
        self.assertTrue(all(c["read"] == "whole file" for c in meta["checkpoints"]))
        self.check_gammas(out, [o[0] for o in order])

    def test_a_damaged_checkpoint_is_reported_and_skipped(self):
        bad = os.path.join(WORK, "ssd300_COCO_7000.pth")
        with open(self.ssd_files[1], "rb") as f:
            data = f.read()
        with open(bad, "wb") as f:
            f.write(data[:len(data) // 2])
        out, meta, p = self.trajectory("damaged", self.ssd_files[1], bad, self.ssd_files[2], expect=1)
        self.assertEqual([os.path.basename(c["checkpoint"]) for c in meta["checkpoints"]],
                         ["ssd300_COCO_0.pth", "ssd300_COCO_5000.pth"])
        self.assertEqual(len(meta["failed"]), 1)
        self.assertEqual(meta["failed"][0]["step"], 7000)
        self.assertIn(bad, meta["failed"][0]["error"])
        self.assertIn("FAILED", p.stderr)
        self.check_gammas(out, ["ssd300_COCO_0.pth", "ssd300_COCO_5000.pth"])

    def test_with_images_the_medians_are_those_of_separate_analyze_runs(self):
        files = self.ssd_files[1:]  # steps 0 and 5000
        out, meta, _ = self.trajectory("images", *files, "--images", *IMAGES, *COMMON)
        table = read_csv(os.path.join(out, "trajectory.csv"))
        for path in files:
            adir = os.path.join(WORK, "analyze_" + os.path.basename(path))
            run("analyze", *IMAGES, "--weights", path, *COMMON, "--out", adir)
            agg = {(r["layer"], r["stage"]): r for r in read_csv(os.path.join(adir, "summary.csv")) if r["image"] == "*"}
            mine = [r for r in table if r["checkpoint"] == path and r["stage"] in ("before", "after")]
            self.assertEqual(len(mine), len(agg))  # conv4_3, conv5_3, fc7 before, conv4_3 after
            ref_median = float(agg[("fc7", "before")]["p50"])
            for r in mine:
                a = agg[(r["layer"], r["stage"])]
                for mine_col, their_col in (("median", "p50"), ("p5", "p5"), ("p95", "p95"), ("mean_abs", "mean_abs")):
                    self.assertEqual(r[mine_col], a[their_col], (path, r["layer"], r["stage"], mine_col))
                self.assertEqual(r["reference"], "fc7")
                self.assertEqual(r["images"], "2")
                self.assertAlmostEqual(float(r["ratio"]), float(a["p50"]) / ref_median, delta=1e-12)
        self.assertEqual(meta["reference"], "fc7")
        # another reference layer: the ratios to its median; one that is not analysed is a usage error
        out2, meta2, _ = self.trajectory("images_ref", files[0], "--images", *IMAGES, *COMMON, "--reference", "conv5_3")
        rows = [r for r in read_csv(os.path.join(out2, "trajectory.csv")) if r["stage"] in ("before", "after")]
        base = [float(r["median"]) for r in rows if r["layer"] == "conv5_3" and r["stage"] == "before"][0]
        for r in rows:
            self.assertEqual(r["reference"], "conv5_3")
            self.assertAlmostEqual(float(r["ratio"]), float(r["median"]) / base, delta=1e-12)
        p = run("trajectory", files[0], "--images", *IMAGES, *COMMON, "--reference", "conv3_3", "--out",
                os.path.join(WORK, "bad_ref"), expect=2)
        self.assertIn("--reference conv3_3 is not among the analysed layers", p.stderr)

    def test_mean_abs_against_torch(self):
        path = self.ssd_files[1]
        adir = os.path.join(WORK, "mean_abs")
        layers = "conv3_3,conv4_3,conv5_3,fc7"
        run("analyze", IMAGES[0], "--weights", path, "--layers", layers, "--l2norm", "conv3_3,conv4_3",
            "--gamma", "conv3_3=7.5", *COMMON, "--out", adir)
        rows = {(r["layer"], r["stage"]): r for r in read_csv(os.path.join(adir, "summary.csv")) if r["image"] != "*"}
        x = ref.preprocess(IMAGES[0], "caffe", SIZE)
        acts = {}
        with torch.no_grad():
            h = x
            for i, m in enumerate(self.vgg):
                h = m(h)
                for tap, idx in TAPS.items():
                    if idx == i:
                        acts[tap] = h.double()
        gammas = {"conv3_3": torch.full((256,), 7.5, dtype=torch.float64),
                  "conv4_3": self.gammas["ssd300_COCO_0.pth"]["conv4_3"].double()}
        for tap, a in acts.items():
            r = rows[(tap, "before")]
            self.assertEqual(int(r["elements"]), a.numel())
            self.assertAlmostEqual(float(r["mean_abs"]), a.abs().mean().item(), delta=1e-4 * a.abs().mean().item())
            self.assertAlmostEqual(float(r["mean_abs"]), float(r["sum_abs"]) / int(r["elements"]), delta=1e-12)
            if tap in gammas:
                # ssd.pytorch's L2Norm: x / (||x|| + 1e-10), times gamma
                xhat = a / (a.square().sum(1, keepdim=True).sqrt() + 1e-10)
                want = (gammas[tap].view(1, -1, 1, 1) * xhat).abs().mean().item()
                self.assertAlmostEqual(float(rows[(tap, "after")]["mean_abs"]), want, delta=1e-4 * want)
        # the aggregate of one image is that image's, and summary.json carries the same fields
        with open(os.path.join(adir, "summary.json")) as f:
            agg = {(s["layer"], s["stage"]): s for s in json.load(f)["aggregate"]}
        self.assertEqual(agg[("fc7", "before")]["sum_abs"], float(rows[("fc7", "before")]["sum_abs"]))
        self.assertEqual(agg[("fc7", "before")]["elements"], int(rows[("fc7", "before")]["elements"]))

    def test_mean_abs_of_an_aggregate_is_exact_and_merges(self):
        adir = os.path.join(WORK, "mean_abs_two")
        run("analyze", *IMAGES, "--weights", self.ssd_files[1], *COMMON, "--out", adir)
        rows = read_csv(os.path.join(adir, "summary.csv"))
        for layer in ("conv4_3", "fc7"):
            per = [r for r in rows if r["layer"] == layer and r["stage"] == "before" and r["image"] != "*"]
            agg = [r for r in rows if r["layer"] == layer and r["stage"] == "before" and r["image"] == "*"][0]
            s = sum(float(r["sum_abs"]) for r in per)
            n = sum(int(r["elements"]) for r in per)
            self.assertEqual(int(agg["elements"]), n)
            self.assertAlmostEqual(float(agg["mean_abs"]), s / n, delta=1e-12 * s / n)
        # a shard merged with a run from before mean_abs existed (fields removed): absent, not 0
        shards = [os.path.join(WORK, "shard%d" % i) for i in (0, 1)]
        for i, d in enumerate(shards):
            run("analyze", *IMAGES, "--weights", self.ssd_files[1], *COMMON, "--shard", "%d/2" % i, "--out", d)
        old = os.path.join(shards[1], "summary.json")
        with open(old) as f:
            doc = json.load(f)
        for img in doc["images"]:
            for s in img["layers"]:
                for k in ("mean_abs", "sum_abs", "elements"):
                    del s[k]
        for s in doc["aggregate"]:
            for k in ("mean_abs", "sum_abs", "elements"):
                del s[k]
        with open(old, "w") as f:
            json.dump(doc, f)
        merged = os.path.join(WORK, "merged_old")
        run("merge", *shards, "--out", merged)
        agg = [r for r in read_csv(os.path.join(merged, "summary.csv")) if r["image"] == "*"]
        self.assertTrue(all(r["mean_abs"] == "nan" and r["elements"] == "0" for r in agg), agg)
        self.assertTrue(any(r["mean_abs"] != "nan" for r in read_csv(os.path.join(merged, "summary.csv"))
                            if r["image"] != "*"))

    def test_ctrl_c_keeps_the_checkpoints_done(self):
        import signal
        out = os.path.join(WORK, "interrupted")
        p = subprocess.Popen([CLI, "trajectory", *self.ssd_files, "--images", *IMAGES, "--size", SIZE, "--threads",
                              "1", "--out", out], stderr=subprocess.PIPE, text=True)
        for line in p.stderr:
            if line.startswith("[1/3] step"):
                p.send_signal(signal.SIGINT)
                break
        rest = p.stderr.read()
        self.assertEqual(p.wait(timeout=300), 130, rest)
        self.assertIn("INTERRUPTED by Interrupt", rest)
        with open(os.path.join(out, "trajectory.json")) as f:
            meta = json.load(f)
        self.assertTrue(meta["interrupted"])
        self.assertGreaterEqual(len(meta["checkpoints"]), 1)
        self.assertLess(len(meta["checkpoints"]), 3)
        self.assertEqual(meta["checkpoints"][0]["step"], 0)
        self.assertEqual(sorted(os.listdir(out)), ["gamma.csv", "trajectory.csv", "trajectory.json"])
        table = read_csv(os.path.join(out, "trajectory.csv"))
        self.assertEqual({r["checkpoint"] for r in table}, {c["checkpoint"] for c in meta["checkpoints"]})

    def test_plot_of_a_trajectory_without_a_display(self):
        out, meta, _ = self.trajectory("plotted", *self.ssd_files[1:], "--images", IMAGES[0], *COMMON)
        env = dict(os.environ)
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        files = {s: os.path.join(WORK, "trajectory." + s) for s in ("svg", "pdf", "png")}
        for f in files.values():
            p = subprocess.run([CLI, "plot", out, "--kind", "trajectory", "--out", f], capture_output=True, text=True,
                               timeout=300, env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
        import xml.etree.ElementTree as ET
        root = ET.parse(files["svg"]).getroot()
        texts = " ".join(t.strip() for e in root.iter() if e.tag.endswith("text") for t in e.itertext())
        for needle in ("conv4_3", "fc7", "training step", "median L2 norm", "channel", "5000"):
            self.assertIn(needle, texts)
        # the heatmap is drawn as an image holding more than one colour (a map in a single colour is
        # one whose colour scale does not cover γ)
        import base64
        import io
        from PIL import Image
        images = [e for e in root.iter() if e.tag.endswith("image")]
        self.assertTrue(images, "no heatmap image in the SVG")
        href = next(v for k, v in images[0].attrib.items() if k.endswith("href"))
        heat = Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))).convert("RGB")
        self.assertGreater(len(set(heat.getdata())), 8)
        with open(files["pdf"], "rb") as f:
            pdf = f.read()
        self.assertTrue(pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF"))
        self.assertIn(b"/Type /Page", pdf.replace(b"/Type/Page", b"/Type /Page"))
        with open(files["png"], "rb") as f:
            png = f.read()
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10000)
        # one directory only, and a usage error for a second
        p = run("plot", out, out, "--kind", "trajectory", "--out", files["svg"], expect=2)
        self.assertIn("one trajectory directory", p.stderr)

    def test_gamma_only_trajectory_reads_a_fraction_of_each_checkpoint(self):
        size_mb = os.path.getsize(self.ssd_files[0]) / 2 ** 20
        base = small_measured_run([CLI, "trajectory", "--help"])
        gamma_only = small_measured_run([CLI, "trajectory", *self.ssd_files, "--out", os.path.join(WORK, "rss"),
                                         "--quiet"])
        full = small_measured_run([CLI, "weights", self.ssd_files[0]])
        self.assertEqual(gamma_only.code, 0, gamma_only.err)
        self.assertEqual(full.code, 0, full.err)
        grown, loaded = gamma_only.rss_mb - base.rss_mb, full.rss_mb - base.rss_mb
        print("checkpoint %.1f MB; peak RSS: --help %.1f MB, gamma-only trajectory of %d %.1f MB (+%.1f), "
              "one full load %.1f MB (+%.1f)" % (size_mb, base.rss_mb, len(self.ssd_files), gamma_only.rss_mb, grown,
                                                 full.rss_mb, loaded), file=sys.stderr)
        self.assertLess(grown, 0.1 * size_mb)
        self.assertGreater(loaded, size_mb)
        with open(os.path.join(WORK, "rss", "trajectory.json")) as f:
            meta = json.load(f)
        for c in meta["checkpoints"]:
            self.assertLess(c["bytes_read"], c["file_bytes"] / 50, c)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
