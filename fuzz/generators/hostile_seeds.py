#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes seed inputs of the hostile classes featscale bounds into the fuzz corpora, small enough
to commit (the full-size attacks live in tests/app/weights_cost_test.py and hostile_inputs_test.py):

  image_fuzzer          TIFF size tags twice with other integer types, a RATIONAL size, PAM fields
                        behind comment lines, PAM without ENDHDR, float32 TIFF and 16-bit RGBA PNG
                        headers over the decoded-bytes limit, PNM at maxval 15 and 1023;
  pytorch_reader_fuzzer a pickle that indexes one long key in many dicts, and one that calls
                        OrderedDict on one long list many times (both must hit the work budget);
  run_reader_fuzzer     a run whose names are not UTF-8, hold backslashes or are "*", and one whose
                        histogram counts disagree with summary.json;
  catalog_fuzzer        a good lab catalogue, entries with a digest prefix, a plain-http URL, a path in
                        "file", 1e400 as a size, unknown keys, deep nesting and duplicate names;
  t7_reader_fuzzer      a long key over a table that references one tensor many times, and a file
                        written with 4-byte longs, cut short;
  session_fuzzer        sessions with many image paths, a gamma of 2e19, an out-of-range "current"
                        and a deeply nested "view".

Usage: fuzz/generators/hostile_seeds.py [CORPUS_DIR]   (default: fuzz/corpus next to this script)
"""
import json
import os
import struct
import sys
import zlib

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tiff(entries, data=b""):
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")
    return b"II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + data


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def images():
    h16, u32 = (lambda v: struct.pack("<H", v)), (lambda v: struct.pack("<I", v))
    pixels = bytes(4 * 4 * 3)
    base = [(258, 3, 1, h16(8)), (259, 3, 1, h16(1)), (262, 3, 1, h16(2)), (277, 3, 1, h16(3)),
            (278, 3, 1, h16(4)), (279, 4, 1, u32(len(pixels)))]
    offset = lambda n: u32(8 + 2 + 12 * n + 4)
    twice = [(256, 9, 1, u32(30000)), (257, 9, 1, u32(30000)), (256, 3, 1, h16(4)), (257, 3, 1, h16(4))] + base
    put("image_fuzzer", "tiff_size_twice_slong_short.tif", tiff(twice + [(273, 4, 1, offset(len(twice) + 1))], pixels))
    signed = [(256, 8, 1, h16(4)), (257, 6, 1, b"\x04")] + base
    put("image_fuzzer", "tiff_size_sshort_sbyte.tif", tiff(signed + [(273, 4, 1, offset(len(signed) + 1))], pixels))
    put("image_fuzzer", "tiff_size_rational.tif", tiff([(256, 5, 1, u32(0)), (257, 3, 1, h16(4))]))
    floats = [(256, 4, 1, u32(10000)), (257, 4, 1, u32(10000)), (258, 3, 1, h16(32)), (259, 3, 1, h16(8)),
              (262, 3, 1, h16(1)), (273, 4, 1, u32(200)), (277, 3, 1, h16(1)), (339, 3, 1, h16(3))]
    put("image_fuzzer", "tiff_float32_huge.tif", tiff(floats, bytes(64)))
    comments = b"".join(b"# comment %d\n" % i for i in range(400))
    put("image_fuzzer", "pam_fields_after_comments.pam",
        b"P7\n" + comments + b"WIDTH 4\nHEIGHT 4\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n" + pixels)
    put("image_fuzzer", "pam_no_endhdr.pam", b"P7\nWIDTH 4\nHEIGHT 4\nDEPTH 3\nMAXVAL 255\n" + pixels)
    put("image_fuzzer", "png_rgba16_huge.png",
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 8000, 8000, 16, 6, 0, 0, 0)) +
        png_chunk(b"IDAT", zlib.compress(bytes(64))) + png_chunk(b"IEND", b""))
    put("image_fuzzer", "pgm_maxval15.pgm", b"P5\n4 4\n15\n" + bytes([15]) * 16)
    put("image_fuzzer", "pgm_maxval1023.pgm", b"P5\n4 4\n1023\n" + struct.pack(">H", 1023) * 16)
    put("image_fuzzer", "pgm_maxval0.pgm", b"P5\n4 4\n0\n" + bytes(16))


def pickles():
    key = b"k" * 4096
    bomb = b"\x80\x02X" + struct.pack("<I", len(key)) + key + b"q\x00" + b"}h\x00Ns0" * 400 + b"."
    put("pytorch_reader_fuzzer", "pickle_key_in_many_dicts.pkl", bomb)
    storm = (b"\x80\x02ccollections\nOrderedDict\nq\x00K\x01K\x02\x86q\x01](" + b"h\x01" * 2000 +
             b"eq\x02" + b"h\x00h\x02\x85R0" * 200 + b".")
    put("pytorch_reader_fuzzer", "pickle_ordered_dict_storm.pkl", storm)


def runs():
    sep = b"\n--featscale-fuzz-file--\n"
    here = os.path.join(CORPUS, "run_reader_fuzzer", "one_image.run")
    if not os.path.exists(here):
        return
    with open(here, "rb") as f:
        run_json, summary_json, hist = f.read().split(sep)
    meta = json.loads(run_json)
    meta["format_version"] = 2
    summary = json.loads(summary_json)
    summary["format_version"] = 2
    old = summary["images"][0]["image"]
    for name in ["caf\\xe9.jpg", "\\x2a", "back\\\\slash.jpg"]:
        s = json.loads(json.dumps(summary))
        s["images"][0]["image"] = name
        rows = hist.decode().replace(old + ",", name + ",")
        put("run_reader_fuzzer", "escaped_name_" + name.replace("\\", "_") + ".run",
            json.dumps(meta).encode() + sep + json.dumps(s).encode() + sep + rows.encode())
    rows = hist.decode().splitlines()
    head, _ = rows[1].rsplit(",", 1)
    rows[1] = head + "," + str(2**64 - 1)
    put("run_reader_fuzzer", "count_disagrees_with_summary.run",
        json.dumps(meta).encode() + sep + json.dumps(summary).encode() + sep + ("\n".join(rows) + "\n").encode())


def catalogues():
    good = {"name": "lab-vgg16", "file": "lab_vgg16.pth", "url": "https://example.org/lab_vgg16.pth",
            "sha256": "ab" * 32, "size": 1234,
            "description": "a lab's VGG16"}
    put("catalog_fuzzer", "good.json", json.dumps([good]).encode())
    for name, change in [("prefix_digest", {"sha256": "397923af"}), ("http_url", {"url": "http://x/y.pth"}),
                         ("path_in_file", {"file": "../../etc/passwd"}), ("unknown_key", {"evil": 1}),
                         ("md5", {"sha256": None, "md5": "cd" * 16})]:
        e = dict(good, **change)
        e = {k: v for k, v in e.items() if v is not None}
        put("catalog_fuzzer", name + ".json", json.dumps([e]).encode())
    put("catalog_fuzzer", "huge_number.json", json.dumps([good]).replace("1234", "1e400").encode())
    put("catalog_fuzzer", "deep.json", b"[" * 4000)
    put("catalog_fuzzer", "duplicates.json", json.dumps([good, good]).encode())


def t7():
    def i32(v):
        return struct.pack("<i", v)

    def chars(b):
        return i32(len(b)) + b

    def tensor(idx, values, long=8):
        lq = (lambda v: struct.pack("<q", v)) if long == 8 else i32
        return (i32(4) + i32(idx) + chars(b"V 1") + chars(b"torch.FloatTensor") + i32(1) + lq(len(values)) + lq(1) +
                lq(1) + i32(4) + i32(idx + 1) + chars(b"V 1") + chars(b"torch.FloatStorage") + lq(len(values)) +
                struct.pack("<%df" % len(values), *values))
    # {[4 kB key] = {a = T, b = T, ... }}: one tensor under 15 names below a long key
    refs = i32(2) + chars(b"a") + tensor(3, [13.25] * 8)
    for k in range(1, 15):
        refs += i32(2) + chars(bytes([97 + k])) + i32(4) + i32(3)
    put("t7_reader_fuzzer", "long_key_many_refs.t7",
        i32(3) + i32(1) + i32(1) + i32(2) + chars(b"k" * 4096) + i32(3) + i32(2) + i32(15) + refs)
    four = i32(3) + i32(1) + i32(1) + i32(2) + chars(b"conv4_3") + tensor(2, [20.0] * 16, long=4)
    put("t7_reader_fuzzer", "four_byte_longs_cut.t7", four[: len(four) - 9])


def sessions():
    base = {"format": "featscale-session", "version": 1, "images": ["/data/%05d.jpg" % i for i in range(2000)],
            "current": 1999, "weights": {"path": "", "sha256": "", "untrained": True}, "arch": "vgg16-reduced",
            "archFromWeights": True, "preset": None, "size": "300", "layers": ["conv4_3", "fc7"],
            "l2normLayers": ["conv4_3"], "eps": "caffe", "bins": "log:0.001:1000000:20",
            "gamma": {"conv4_3": [2e19, 1e-30, 20]}, "selectedLayer": "conv4_3", "pin": None, "view": {}}
    put("session_fuzzer", "many_images_huge_gamma.featscale", json.dumps(base).encode())
    put("session_fuzzer", "current_out_of_range.featscale", json.dumps(dict(base, current=2000)).encode())
    nested = json.dumps(dict(base, images=[], current=-1, view={})).replace('"view": {}', '"view": ' + '{"a":' * 500 +
                                                                             "1" + "}" * 500)
    put("session_fuzzer", "deep_view.featscale", nested.encode())


if __name__ == "__main__":
    images()
    pickles()
    runs()
    catalogues()
    t7()
    sessions()
