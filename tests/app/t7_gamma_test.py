#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli analyze/probe with --gamma-file FILE.t7: Lua Torch files written here byte by byte
(no Lua Torch needed; the layout of torch7's File.lua writeObject and Tensor/Storage write) give
exactly their values as the L2Norm gamma, in every form such a gamma comes in (a lone FloatTensor,
a 1x512x1x1 DoubleTensor, a strided view with a storage offset, a Lua list of numbers, a table
with one tensor, a file with 4-byte longs, a table keyed by layer name); the after-L2Norm norm map
matches numpy's ||gamma * x_hat|| at a probed cell; hostile files are refused naming the file.

Usage: t7_gamma_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import t7_writer  # noqa: E402

CLI, SAMPLES, WORK = sys.argv[1:4]
IMAGE = os.path.join(SAMPLES, "chelsea.jpg")
COMMON = ["--size", "64", "--threads", "1"]


class T7(t7_writer.T7):
    def save(self, name):
        return super().save(os.path.join(WORK, name))


def gamma(n, seed):
    """Non-uniform, with values float32 cannot hold exactly in decimal (checks exact transfer)."""
    rng = np.random.default_rng(seed)
    return (rng.uniform(0.5, 40.0, n) * (1 + np.arange(n) % 7)).astype(np.float32)


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)


def run_gamma(path, *extra):
    out = os.path.join(WORK, "run_" + os.path.basename(path))
    p = cli("analyze", IMAGE, *COMMON, "--quiet", "--layers", "conv4_3", "--gamma-file", path, "--out", out, *extra)
    if p.returncode != 0:
        raise AssertionError(f"{path}: exit {p.returncode}\n{p.stderr}")
    with open(os.path.join(out, "run.json")) as f:
        return json.load(f), out


class T7Gamma(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)

    def assertGamma(self, meta, layer, expected):
        got = np.asarray(meta["gamma"][layer], dtype=np.float64).astype(np.float32)
        np.testing.assert_array_equal(got, expected)

    def test_lone_float_tensor_is_the_gamma_and_the_after_map_follows(self):
        g = gamma(512, 1)
        t = T7()
        t.tensor(g)
        path = t.save("lone.t7")
        meta, out = run_gamma(path, "--save-maps")
        self.assertGamma(meta, "conv4_3", g)

        # x_hat at one cell from probe (independent of the gamma), then numpy's after-norm there
        probe = os.path.join(WORK, "probe.csv")
        p = cli("probe", IMAGE, *COMMON, "--layers", "conv4_3", "--at", "200,150", "--gamma-file", path, "--out", probe)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(probe) as f:
            rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
        self.assertEqual(len(rows), 512)
        x_hat = np.array([float(r["normalized"]) for r in rows], dtype=np.float64)
        after = np.array([float(r["after"]) for r in rows], dtype=np.float64)
        np.testing.assert_allclose(after, g.astype(np.float64) * x_hat, rtol=1e-6, atol=1e-30)
        cy, cx = int(rows[0]["cell_y"]), int(rows[0]["cell_x"])
        maps = np.load(os.path.join(out, "norm_maps.npz"))
        key = [k for k in maps.files if "conv4_3" in k and "after" in k]
        self.assertEqual(len(key), 1, maps.files)
        expected = np.sqrt(np.sum((g.astype(np.float64) * x_hat) ** 2))
        self.assertAlmostEqual(float(maps[key[0]][cy, cx]) / expected, 1.0, places=5)
        # and not what the default gamma of 20 gives
        self.assertGreater(abs(expected / 20.0 - 1.0), 0.1)

    def test_every_form_of_a_gamma(self):
        g = gamma(512, 2)
        d = gamma(512, 3).astype(np.float64) + 1e-9  # doubles round to nearest float32
        forms = {}
        t = T7()
        t.tensor(d, sizes=[1, 512, 1, 1], strides=[512, 1, 1, 1], double=True)
        forms["double_1x512x1x1.t7"] = (t, d.astype(np.float32))
        t = T7()  # every other element of a larger storage, from 1-based offset 2
        storage = np.zeros(1025, dtype=np.float32)
        storage[1::2] = g
        t.tensor(g, strides=[2], offset1=2, storage=storage)
        forms["strided_offset.t7"] = (t, g)
        t = T7()  # a Lua list {g1, g2, ...}, keys in reverse order
        t.table(512)
        for k in range(512, 0, -1):
            t.number(k)
            t.number(float(g[k - 1]))
        forms["lua_list.t7"] = (t, g)
        t = T7()
        t.table(1)
        t.string(b"weight")
        t.tensor(g)
        forms["table_of_one.t7"] = (t, g)
        t = T7(long=4)
        t.tensor(g)
        forms["long4.t7"] = (t, g)
        for name, (writer, expected) in forms.items():
            with self.subTest(name):
                meta, _ = run_gamma(writer.save(name))
                self.assertGamma(meta, "conv4_3", expected)

    def test_table_keyed_by_layer_name(self):
        g, h = gamma(512, 4), gamma(1024, 5)
        t = T7()
        t.table(2)
        t.string(b"fc7")
        t.tensor(h)
        t.string(b"conv4_3")
        t.tensor(g)
        path = t.save("by_layer.t7")
        meta, _ = run_gamma(path)
        self.assertGamma(meta, "conv4_3", g)
        meta, _ = run_gamma(path, "--l2norm", "conv4_3,fc7")
        self.assertGamma(meta, "conv4_3", g)
        self.assertGamma(meta, "fc7", h)
        p = cli("analyze", IMAGE, *COMMON, "--l2norm", "conv5_3", "--gamma-file", path, "--out", os.path.join(WORK, "x"))
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn(path + ": .t7 file holds 2 arrays (fc7 [1024], conv4_3 [512]) and none is named conv5_3", p.stderr)

    def test_pytorch_file_named_t7_is_read_as_pytorch(self):
        # PyTorch code names checkpoints .t7 too (torch.save(net.state_dict(), "ckpt.t7"))
        import torch
        g = gamma(512, 7)
        path = os.path.join(WORK, "pytorch_named.t7")
        torch.save(torch.from_numpy(g.copy()), path)
        meta, _ = run_gamma(path)
        self.assertGamma(meta, "conv4_3", g)

    def test_hostile_files_are_refused_naming_the_file(self):
        def refused(name, t, needle):
            path = t.save(name)
            p = cli("analyze", IMAGE, *COMMON, "--gamma-file", path, "--out", os.path.join(WORK, "r_" + name))
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn(path + ": ", p.stderr)
            self.assertIn(needle, p.stderr)

        t = T7()
        t.torch(b"torch.FloatStorage")
        t.i64(1 << 40)
        t.b += bytes(2048)
        refused("claims.t7", t, "torch.FloatStorage claims 1099511627776 elements (4 bytes each) but the file has 2048 bytes left")
        t = T7()
        t.torch(b"nn.Sequential")
        t.table(0)
        refused("nn.t7", t, 'unsupported torch class "nn.Sequential"')
        t = T7()
        t.tensor(gamma(512, 6))
        t.b = t.b[:-100]
        refused("truncated.t7", t, "torch.FloatStorage claims 512 elements")
        t = T7()
        t.i32(6)
        t.i32(1)
        t.chars(b"\x1bLua")
        refused("function.t7", t, "a Lua function (type tag 6); featscale reads data, never code")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
