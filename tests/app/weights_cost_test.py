#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No weight file costs more memory or time than its size justifies: hostile files, each a few
MB, read by `featscale-cli weights FILE` under an address-space cap and a time limit. Each must
be refused (exit 3, naming the file) quickly and with a peak RSS near the program's own.

ONNX:
  - one 4 MB initializer shared by 3000 Conv nodes (converted once per node: GBs);
  - 40000 MatMul nodes with their Add nodes (one scan of the graph per MatMul: quadratic);
  - 10 million empty node records (one parsed node each in memory: GBs).
Pickle (PyTorch legacy .pth):
  - one 1 MB string used as a key in 20000 dicts (copied into every dict's index: 20 GB);
  - OrderedDict(list) called 3000 times on one million-element list (without a budget: hours of CPU).
Keras:
  - a `predictions` kernel 100000 wide, gzip-compressed (1.6 GB to read): left unread, with a
    warning, once its header gives the shape.
Any format:
  - a weight file truncated while it loads (a memory mapping's SIGBUS): never a crash.

Usage: weights_cost_test.py FEATSCALE_CLI WORK_DIR
"""
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from measured_run import measured_run  # noqa: E402
from protobuf_wire import field_bytes as field, varint  # noqa: E402

CLI, WORK = sys.argv[1], sys.argv[2]
CAP_BYTES = 6 << 30          # address space: a runaway reader fails instead of taking the machine
TIME_LIMIT = 120             # seconds before the process is killed
SECONDS_LIMIT = 10           # what a refusal may take (each takes about a second here)
RSS_LIMIT_MB = 700           # the CLI on a small file peaks near 200 MB (LibTorch and OpenCV loaded)


def model_bytes(nodes, initializers):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


def pickle_key_in_many_dicts():
    key = b"k" * (1 << 20)
    out = b"\x80\x02" + b"X" + struct.pack("<I", len(key)) + key + b"q\x00"  # BINUNICODE, BINPUT 0
    out += b"}h\x00Ns0" * 20000                                              # {}[key] = None; pop
    return out + b"."


def pickle_ordered_dict_storm():
    out = b"\x80\x02" + b"ccollections\nOrderedDict\nq\x00"   # GLOBAL, BINPUT 0
    out += b"K\x01K\x02\x86q\x01"                               # (1, 2), BINPUT 1
    out += b"]" + (b"(" + b"h\x01" * 200_000 + b"e") * 5 + b"q\x02"  # [pair] * 1e6 in 5 APPENDS, BINPUT 2
    out += b"h\x00h\x02\x85R0" * 3000                            # OrderedDict(list); pop
    return out + b"."


def holds(pid, path):
    """Whether process pid has path open or mapped."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                return True
        with open(f"/proc/{pid}/maps") as f:
            return path in f.read()
    except OSError:  # the process ended, or an fd closed while listed
        return False


def run_capped(path):
    """Runs the CLI on path; returns (exit code, output, seconds, peak RSS in MB of that process)."""
    m = measured_run([CLI, "weights", path], cap_bytes=CAP_BYTES, timeout=TIME_LIMIT,
                     env=dict(os.environ, OMP_NUM_THREADS="1"))
    return m.code, m.out + m.err, m.seconds, m.rss_mb


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

    def test_pickle_key_copied_into_many_dicts(self):
        self.check("key_bomb.pth", pickle_key_in_many_dicts())

    def test_pickle_ordered_dict_of_a_long_list_many_times(self):
        self.check("ordered_dict_storm.pth", pickle_ordered_dict_storm())

    def test_keras_predictions_of_any_width_are_not_read(self):
        import h5py
        path = os.path.join(WORK, "wide_predictions.h5")
        convs = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256), (256, 512),
                 (512, 512), (512, 512), (512, 512), (512, 512), (512, 512)]
        names = [f"block{b}_conv{c}" for b, n in [(1, 2), (2, 2), (3, 3), (4, 3), (5, 3)] for c in range(1, n + 1)]
        with h5py.File(path, "w") as f:
            layers = [(n, (3, 3, i, o), (o,)) for n, (i, o) in zip(names, convs)]
            layers += [("fc1", (25088, 4096), (4096,)), ("fc2", (4096, 4096), (4096,)),
                       ("predictions", (4096, 100000), (100000,))]
            f.attrs["layer_names"] = np.array([n.encode() for n, _, _ in layers])
            for n, wshape, bshape in layers:
                g = f.create_group(n)
                g.attrs["weight_names"] = np.array([f"{n}/kernel:0".encode(), f"{n}/bias:0".encode()])
                # zeros (calloc'd, so never resident here) that gzip stores in a few hundred KB
                g.create_dataset(f"{n}/kernel:0", data=np.zeros(wshape, np.float32), compression="gzip",
                                 compression_opts=1, chunks=(min(wshape[0], 1024),) + wshape[1:])
                g.create_dataset(f"{n}/bias:0", data=np.zeros(bshape, np.float32))
        size = os.path.getsize(path)
        code, out, _, rss_mb = run_capped(path)
        print(f"wide_predictions.h5: {size / 1e6:.1f} MB file, peak RSS {rss_mb:.0f} MB", file=sys.stderr)
        self.assertEqual(code, 0, out)
        self.assertIn("predictions is 4096x100000", out)
        # the real VGG16 layers up to fc7 take about 540 MB (fc1 is copied once when reordered);
        # reading the 100000-wide kernel would add 1.6 GB
        self.assertLess(rss_mb, 1900, "peak RSS")

    def test_file_truncated_while_it_loads_never_crashes(self):
        # A 300 MB legacy pickle, truncated the moment the CLI has it open (or mapped), several times.
        path = os.path.join(WORK, "shrinking.pth")
        big = b"\x80\x02" + b"\x8e" + struct.pack("<Q", 300 << 20) + bytes(300 << 20) + b"."  # BINBYTES8
        outcomes = []
        for extra_delay in (0.0, 0.0, 0.01, 0.03, 0.1):
            with open(path, "wb") as f:
                f.write(big)
            p = subprocess.Popen([CLI, "weights", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            while p.poll() is None and not holds(p.pid, path):
                time.sleep(0.0005)
            time.sleep(extra_delay)
            os.truncate(path, 4096)
            out = p.stdout.read().decode(errors="replace")
            code = p.wait()
            outcomes.append(code)
            if code < 0:
                self.fail(f"killed by signal {-code} ({signal.Signals(-code).name}): {out}")
            self.assertEqual(code, 3, out)
            self.assertIn(path, out)
        print(f"shrinking.pth: exit codes {outcomes}", file=sys.stderr)

if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
