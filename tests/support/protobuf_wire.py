# SPDX-License-Identifier: GPL-3.0-or-later
"""Protocol-buffer wire format written by hand, for fixtures and hostile files (Caffe models, ONNX
pieces) built byte by byte without the protobuf library."""


def varint(n):
    """Base-128 varint; negative numbers as their 64-bit two's complement, as protobuf does."""
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field_varint(num, n):
    """Field `num` of wire type 0 (varint)."""
    return varint(num << 3) + varint(n)


def field_bytes(num, payload):
    """Field `num` of wire type 2 (length-delimited)."""
    return varint((num << 3) | 2) + varint(len(payload)) + payload


def field_str(num, s):
    return field_bytes(num, s.encode())
