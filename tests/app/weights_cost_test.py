#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No weight file costs more memory or time than its size justifies: hostile ONNX files, each a
few MB, read by `featscale-cli weights FILE` under an address-space cap and a time limit. Each must
be refused (exit 3, naming the file) quickly and with a peak RSS near the program's own.

  - one 4 MB initializer shared by 3000 Conv nodes (was: converted once per node, GBs);
  - 40000 MatMul nodes with their Add nodes (was: one scan of the graph per MatMul, quadratic);
  - 10 million empty node records (was: one parsed node each in memory, GBs).

Usage: weights_cost_test.py FEATSCALE_CLI WORK_DIR
"""
import os
import resource
import shutil
import subprocess
import sys
import time
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CLI, WORK = sys.argv[1], sys.argv[2]
CAP_BYTES = 6 << 30          # address space: a runaway reader fails instead of taking the machine
TIME_LIMIT = 120             # seconds before the process is killed
SECONDS_LIMIT = 10           # what a refusal may take (each takes about a second here)
RSS_LIMIT_MB = 700           # the CLI on a small file peaks near 200 MB (LibTorch and OpenCV loaded)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def model_bytes(nodes, initializers):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


def run_capped(path):
    """Runs the CLI on path; returns (exit code, output, seconds, peak RSS in MB of that process)."""
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))
    t0 = time.monotonic()
    p = subprocess.Popen([CLI, "weights", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         preexec_fn=limits, env=dict(os.environ, OMP_NUM_THREADS="1"))
    out = p.stdout.read().decode(errors="replace")  # small: one error line
    deadline = t0 + TIME_LIMIT
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, usage = os.wait4(p.pid, 0)
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    return code, out, elapsed, usage.ru_maxrss / 1024


class WeightsCost(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)

    def check(self, name, data):
        path = os.path.join(WORK, name)
        with open(path, "wb") as f:
            f.write(data)
        code, out, elapsed, rss_mb = run_capped(path)
        print(f"{name}: {len(data) / 1e6:.1f} MB file, exit {code}, {elapsed:.1f} s, peak RSS {rss_mb:.0f} MB",
              file=sys.stderr)
        self.assertEqual(code, 3, out)
        self.assertIn(path, out)
        self.assertLess(elapsed, SECONDS_LIMIT, "took too long")
        self.assertLess(rss_mb, RSS_LIMIT_MB, "peak RSS")

    def test_initializer_shared_by_thousands_of_convs(self):
        w = numpy_helper.from_array(np.ones((64, 64, 16, 16), np.float32), "W")  # 4 MB
        nodes = [helper.make_node("Conv", ["x", "W"], [f"c{i}"], name=f"conv{i}") for i in range(3000)]
        self.check("shared_initializer.onnx", model_bytes(nodes, [w]))

    def test_matmul_bias_scan_is_linear(self):
        w = numpy_helper.from_array(np.ones((2, 2), np.float32), "W")
        b = numpy_helper.from_array(np.ones((2,), np.float32), "B")
        nodes = []
        for i in range(40000):
            nodes.append(helper.make_node("MatMul", ["x", "W"], [f"m{i}"], name=f"mm{i}"))
            nodes.append(helper.make_node("Add", [f"m{i}", "B"], [f"a{i}"], name=f"add{i}"))
        self.check("matmul_add.onnx", model_bytes(nodes, [w, b]))

    def test_millions_of_empty_node_records(self):
        graph = field(1, b"") * 10_000_000          # GraphProto.node, empty
        opset = field(8, varint(2 << 3) + varint(13))  # ModelProto.opset_import {version: 13}
        self.check("empty_nodes.onnx", varint(1 << 3) + varint(8) + field(7, graph) + opset)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
