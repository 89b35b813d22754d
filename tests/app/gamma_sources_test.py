#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every gamma source passes one check before use (finite values), and a gamma file must be a
regular file: a non-finite gamma in a checkpoint, a lone tensor, a text file or a weight file's
learned gamma is refused with a message naming its source and first bad channel (instead of every
after-statistic turning NaN and the report blaming L2Norm's eps); a FIFO or a pipe is refused at
once instead of blocking.

Usage: gamma_sources_test.py FEATSCALE_CLI SAMPLES_DIR LAYOUT_FIXTURES WORK_DIR
"""
import os
import shutil
import subprocess
import sys
import unittest

import torch

CLI, SAMPLES, LAYOUTS, WORK = sys.argv[1:5]
IMAGE = os.path.join(SAMPLES, "chelsea.jpg")
COMMON = ["--size", "64", "--layers", "conv4_3", "--threads", "1", "--quiet"]


def analyze(*args, stdin=subprocess.DEVNULL, timeout=120):
    return subprocess.run([CLI, "analyze", IMAGE, *COMMON, *args], capture_output=True, text=True, stdin=stdin,
                          timeout=timeout)


class GammaSources(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        # ssd.pytorch's full SSD300 checkpoint (tests/analysis/weights/pytorch fixtures) with one
        # learned gamma value made infinite
        sd = torch.load(os.path.join(LAYOUTS, "ssdpt_ssd300_fp16.pth"))
        sd["L2Norm.weight"] = sd["L2Norm.weight"].float()
        sd["L2Norm.weight"][3] = float("inf")
        cls.bad_checkpoint = os.path.join(WORK, "ssd300_inf_gamma.pth")
        torch.save(sd, cls.bad_checkpoint)

    def refused(self, p, *needles):
        self.assertEqual(p.returncode, 3, p.stderr)
        for n in needles:
            self.assertIn(n, p.stderr)
        self.assertNotIn("naive L2Norm", p.stdout + p.stderr)

    def test_checkpoint_with_an_infinite_gamma_as_gamma_file(self):
        p = analyze("--gamma-file", self.bad_checkpoint, "--out", os.path.join(WORK, "a"))
        self.refused(p, self.bad_checkpoint, "gamma must be finite", "first: channel 3")

    def test_lone_tensor_with_nan(self):
        path = os.path.join(WORK, "lone.pt")
        g = torch.full((512,), 20.0)
        g[7] = float("nan")
        torch.save(g, path)
        p = analyze("--gamma-file", path, "--out", os.path.join(WORK, "b"))
        self.refused(p, path, "gamma must be finite", "first: channel 7")

    def test_learned_gamma_of_the_weights(self):
        p = analyze("--weights", self.bad_checkpoint, "--out", os.path.join(WORK, "c"))
        self.refused(p, "learned L2Norm gamma of conv4_3", "gamma must be finite", "first: channel 3")
        # another gamma given explicitly is used instead, and the run goes through
        p = analyze("--weights", self.bad_checkpoint, "--gamma", "20", "--out", os.path.join(WORK, "d"))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_fifo_is_refused_without_blocking(self):
        fifo = os.path.join(WORK, "gamma.fifo")
        os.mkfifo(fifo)
        p = analyze("--gamma-file", fifo, "--out", os.path.join(WORK, "e"), timeout=60)
        self.refused(p, fifo, "not a regular file")

    def test_piped_stdin_is_refused(self):
        r, w = os.pipe()
        os.write(w, b"20\n" * 512)
        os.close(w)
        try:
            p = analyze("--gamma-file", "/dev/stdin", "--out", os.path.join(WORK, "f"), stdin=r, timeout=60)
        finally:
            os.close(r)
        self.refused(p, "/dev/stdin", "not a regular file")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
