# SPDX-License-Identifier: GPL-3.0-or-later
"""Lua Torch .t7 files written byte by byte, as torch7's File.lua writeObject and Tensor/Storage
write lay them out in binary mode (no Lua Torch needed), for the tests of the .t7 readers."""
import struct

import numpy as np


class T7:
    """Appends values as torch.save lays them out in binary mode (little-endian; `long` bytes)."""

    def __init__(self, long=8):
        self.b, self.next, self.long = bytearray(), 1, long

    def i32(self, v):
        self.b += struct.pack("<i", v)

    def i64(self, v):
        self.b += struct.pack("<q" if self.long == 8 else "<i", v)

    def chars(self, s):
        self.i32(len(s))
        self.b += s

    def number(self, x):
        self.i32(1)
        self.b += struct.pack("<d", x)

    def string(self, s):
        self.i32(2)
        self.chars(s)

    def table(self, n):
        self.i32(3)
        self.i32(self.next)
        self.next += 1
        self.i32(n)

    def torch(self, cls):
        idx = self.next
        self.next += 1
        self.i32(4)
        self.i32(idx)
        self.chars(b"V 1")
        self.chars(cls)
        return idx

    def tensor(self, values, sizes=None, strides=None, offset1=1, double=False, storage=None):
        """A tensor over `storage` (default: `values` themselves), then that storage; returns the
        tensor's reference index."""
        kind = b"Double" if double else b"Float"
        sizes = sizes or [len(values)]
        strides = strides or [1]
        idx = self.torch(b"torch." + kind + b"Tensor")
        self.i32(len(sizes))
        for s in sizes + strides:
            self.i64(s)
        self.i64(offset1)
        data = values if storage is None else storage
        self.torch(b"torch." + kind + b"Storage")
        self.i64(len(data))
        self.b += np.asarray(data, dtype="<f8" if double else "<f4").tobytes()
        return idx

    def ref(self, idx):
        """A later occurrence of torch object `idx`: its reference alone."""
        self.i32(4)
        self.i32(idx)

    def save(self, path):
        with open(path, "wb") as f:
            f.write(bytes(self.b))
        return path
