#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of t7_reader_fuzzer: small Lua Torch .t7 files laid out as torch.save
writes them (binary, little-endian), valid ones and each hostile class the reader bounds.

  valid    a FloatTensor of 16 values, a 1x16x1x1 DoubleTensor, a table keyed by layer name, a
           shared storage under two strided views, a Lua list of numbers, a self-referencing table,
           an unversioned (pre-"V 1") class, the same file with 4-byte longs;
  hostile  a storage claiming 2^40 floats, a table claiming 2^30 entries, a huge string length,
           negative sizes, a tensor that is its own storage, nesting 300 deep, an nn.Sequential,
           a Lua function, a stride-0 view referenced many times (output budget).

Usage: fuzz/generators/t7_seeds.py [CORPUS_DIR]   (default: fuzz/corpus next to this script)
"""
import os
import struct
import sys

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
TARGET = "t7_reader_fuzzer"


class T7:
    """Appends values in File.lua's binary layout; `long` is 8 or 4 bytes."""

    def __init__(self, long=8):
        self.b, self.next, self.long = bytearray(), 1, long

    def i32(self, v):
        self.b += struct.pack("<i", v)
        return self

    def i64(self, v):
        self.b += struct.pack("<q" if self.long == 8 else "<i", v)
        return self

    def chars(self, s):
        return self.i32(len(s)).raw(s)

    def raw(self, s):
        self.b += s
        return self

    def number(self, x):
        self.i32(1)
        return self.raw(struct.pack("<d", x))

    def string(self, s):
        return self.i32(2).chars(s)

    def table(self, n):
        idx = self.next
        self.next += 1
        self.i32(3).i32(idx).i32(n)
        return idx

    def ref(self, tag, idx):
        return self.i32(tag).i32(idx)

    def torch(self, cls, versioned=True):
        idx = self.next
        self.next += 1
        self.i32(4).i32(idx)
        if versioned:
            self.chars(b"V 1")
        self.chars(cls)
        return idx

    def storage(self, values, double=False):
        idx = self.torch(b"torch.DoubleStorage" if double else b"torch.FloatStorage")
        self.i64(len(values)).raw(struct.pack("<%d%s" % (len(values), "d" if double else "f"), *values))
        return idx

    def tensor(self, sizes, strides, offset1=1, double=False):
        idx = self.torch(b"torch.DoubleTensor" if double else b"torch.FloatTensor")
        self.i32(len(sizes))
        for s in sizes + strides:
            self.i64(s)
        self.i64(offset1)
        return idx


def put(name, t):
    d = os.path.join(CORPUS, TARGET)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(t.b))


def ramp(n):
    return [0.25 + 0.5 * i for i in range(n)]


def valid():
    t = T7()
    t.tensor([16], [1])
    t.storage(ramp(16))
    put("float_tensor.t7", t)
    t = T7()
    t.tensor([1, 16, 1, 1], [16, 1, 1, 1], double=True)
    t.storage(ramp(16), double=True)
    put("double_1x16x1x1.t7", t)
    for long in (8, 4):
        t = T7(long)
        t.table(2)
        t.string(b"conv4_3")
        t.tensor([8], [1])
        t.storage(ramp(8))
        t.string(b"fc7")
        t.tensor([4], [1])
        t.storage(ramp(4))
        put("keyed_by_layer_long%d.t7" % long, t)
    t = T7()
    t.table(2)
    t.string(b"a")
    t.tensor([2, 3], [1, 2])
    s = t.storage(ramp(8))
    t.string(b"b")
    t.tensor([4], [1], offset1=5)
    t.ref(4, s)
    put("shared_storage_strided.t7", t)
    t = T7()
    t.table(3)
    for k in (2, 1, 3):
        t.number(k).number(k * 10.0)
    put("number_list.t7", t)
    t = T7()
    root = t.table(2)
    t.string(b"me").ref(3, root)
    t.string(b"w")
    t.tensor([2], [1])
    t.storage([1.0, 2.0])
    put("self_referencing_table.t7", t)
    t = T7()
    t.torch(b"torch.FloatTensor", versioned=False)
    t.i32(1).i64(2).i64(1).i64(1)
    t.torch(b"torch.FloatStorage", versioned=False)
    t.i64(2).raw(struct.pack("<2f", 1, 2))
    put("unversioned.t7", t)


def hostile():
    t = T7()
    t.torch(b"torch.FloatStorage")
    t.i64(1 << 40).raw(bytes(8))
    put("storage_claims_2p40.t7", t)
    t = T7()
    t.table(1 << 30)
    t.i32(0).i32(0)
    put("table_claims_2p30.t7", t)
    t = T7().i32(2).i32(0x7FFFFFFF).i32(0)
    put("huge_string.t7", t)
    t = T7()
    t.tensor([-3], [1])
    t.storage(ramp(4))
    put("negative_size.t7", t)
    t = T7()
    idx = t.tensor([2], [1])
    t.ref(4, idx)
    put("tensor_is_its_own_storage.t7", t)
    t = T7()
    for _ in range(300):
        t.table(1)
        t.number(1)
    t.i32(0)
    put("nested_300.t7", t)
    t = T7()
    t.torch(b"nn.Sequential")
    t.table(0)
    put("nn_sequential.t7", t)
    t = T7().i32(6).i32(1).chars(b"\x1bLua").i32(0)
    put("lua_function.t7", t)
    t = T7()
    t.table(200)
    t.number(0.5)
    v = t.tensor([100000], [0])
    t.storage([1.0])
    for k in range(1, 200):
        t.number(k + 0.5).ref(4, v)
    put("stride0_views_many.t7", t)


if __name__ == "__main__":
    valid()
    hostile()
