#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli against names, images and run folders made to break it:

  - file names that are not UTF-8, contain backslashes or are exactly "*" (the aggregate marker):
    the run completes, every output is valid UTF-8, names come back losslessly, and shards merge
    to what one run writes;
  - run folders whose counts wrap past 2^64 - 1 when merged, or disagree with summary.json, and a
    run folder whose dense histograms need far more memory than its files justify (merge runs
    under an address-space cap);
  - image headers that hide their real size from the gate (TIFF size tags given twice with another
    integer type, PAM fields behind comment lines), images whose decoded bytes are huge although
    their pixel count is allowed (float32 TIFF, 16-bit RGBA PNG), a square size beyond the pixel
    cap, and PNM maxval (a white image is white at any maxval).

Usage: hostile_inputs_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import csv
import io
import json
import os
import re
import resource
import shutil
import struct
import sys
import time
import unittest
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from measured_run import measured_run  # noqa: E402

CLI, SAMPLES, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
COMMON = ["--size", "64", "--layers", "conv4_3,fc7", "--threads", "1", "--quiet"]
RUN_FILES = ["histograms.csv", "histograms.json", "summary.csv", "summary.json", "run.json"]
U64_MAX = 2**64 - 1


def run(*args, expect=0, cwd=None, timeout=300, cap=None, stats=None):
    """Runs the CLI; returns (stdout, stderr). With stats={}, fills stats["rss_mb"] with this
    process's own peak RSS."""
    m = measured_run([CLI, *args], cap_bytes=cap, timeout=timeout, cwd=cwd)
    if m.timed_out:
        raise AssertionError(f"{args}: still running after {timeout} s")
    if stats is not None:
        stats["rss_mb"] = m.rss_mb
    if m.code != expect:
        raise AssertionError(f"{args}: exit {m.code}, expected {expect}\nstdout:{m.out}\nstderr:{m.err}")
    return m.out, m.err


def unescape(name):
    """How the README tells a reader to get a file name's bytes back from a run file."""
    return re.sub(rb"\\(\\|x[0-9a-f]{2})",
                  lambda m: b"\\" if m.group(1) == b"\\" else bytes([int(m.group(1)[1:], 16)]),
                  name.encode("utf-8"))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiff(entries, data=b"", little=True):
    """A classic TIFF: header, one IFD with (tag, type, count, value-bytes) entries, then data."""
    e = "<" if little else ">"
    ifd = struct.pack(e + "H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack(e + "HHI", tag, typ, count) + value.ljust(4, b"\0")
    ifd += struct.pack(e + "I", 0)
    return (b"II*\0" if little else b"MM\0*") + struct.pack(e + "I", 8) + ifd + data


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


class Names(unittest.TestCase):
    """Names are bytes on Linux: none may fail a run or be confused with the aggregate."""

    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(WORK, "names")
        shutil.rmtree(cls.dir, ignore_errors=True)
        os.makedirs(cls.dir)
        cls.names = [b"caf\xe9.jpg", b"*", b"back\\slash.jpg", "日本.jpg".encode()]
        for name, sample in zip(cls.names, ["coffee.jpg", "chelsea.jpg", "rocket.jpg", "astronaut.jpg"]):
            write(os.path.join(os.fsencode(cls.dir), name), read(os.path.join(SAMPLES, sample)))

    def analyze(self, out, *extra):
        return run("analyze", *self.names, *COMMON, "--out", out, *extra, cwd=self.dir)

    def test_every_output_is_utf8_and_names_come_back_losslessly(self):
        out = os.path.join(WORK, "names_run")
        self.analyze(out)
        texts = {f: read(os.path.join(out, f)).decode("utf-8") for f in RUN_FILES}  # raises if not UTF-8
        summary = json.loads(texts["summary.json"])
        self.assertEqual(summary["images_analysed"], 4)
        written = [i["image"] for i in summary["images"]]
        self.assertEqual(sorted(unescape(n) for n in written), sorted(self.names))
        self.assertIn("caf\\xe9.jpg", written)
        self.assertIn("back\\\\slash.jpg", written)
        self.assertIn("\\x2a", written, "an image named * must not be written as the aggregate marker")
        self.assertIn("日本.jpg", written, "valid UTF-8 stays as it is")
        rows = list(csv.DictReader(io.StringIO(texts["summary.csv"])))
        layers_stages = len(summary["aggregate"])
        self.assertEqual(sum(r["image"] == "*" for r in rows), layers_stages, "one aggregate row per layer and stage")
        self.assertEqual({r["image"] for r in rows} - {"*"}, set(written))
        hist = json.loads(texts["histograms.json"])
        self.assertEqual({h["image"] for h in hist["histograms"]}, set(written))
        self.assertEqual(len(hist["aggregate"]), layers_stages)

    def test_shards_merge_to_one_run(self):
        single = os.path.join(WORK, "names_single")
        self.analyze(single)
        shards = []
        for i in range(2):
            shards.append(os.path.join(WORK, f"names_shard{i}"))
            self.analyze(shards[-1], "--shard", f"{i}/2")
        merged = os.path.join(WORK, "names_merged")
        run("merge", *shards, "--out", merged)
        for f in ["histograms.csv", "summary.csv", "histograms.json"]:
            self.assertEqual(read(os.path.join(merged, f)), read(os.path.join(single, f)), f)
        # and once more: a merged run read back and merged again keeps the names as they were
        again = os.path.join(WORK, "names_merged_again")
        run("merge", merged, "--out", again)
        self.assertEqual(read(os.path.join(again, "summary.csv")), read(os.path.join(single, "summary.csv")))

    def test_weight_file_whose_name_is_not_utf8(self):
        import torch
        torch.manual_seed(0)
        state, index, channels = {}, 0, 3
        for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512]:
            if v == "M":
                index += 1
                continue
            state[f"vgg.{index}.weight"] = torch.randn(v, channels, 3, 3) * 0.05
            state[f"vgg.{index}.bias"] = torch.zeros(v)
            channels, index = v, index + 2
        state["vgg.31.weight"] = torch.randn(1024, 512, 3, 3) * 0.02  # fc6, SSD's reduced VGG16
        state["vgg.31.bias"] = torch.zeros(1024)
        state["vgg.33.weight"] = torch.randn(1024, 1024, 1, 1) * 0.02
        state["vgg.33.bias"] = torch.zeros(1024)
        weights = os.path.join(os.fsencode(self.dir), b"w\xe9.pth")
        with open(weights, "wb") as f:
            torch.save(state, f)
        out = os.path.join(WORK, "names_weights")
        run("analyze", self.names[0], "--weights", weights, *COMMON, "--out", out, cwd=self.dir)
        meta = json.loads(read(os.path.join(out, "run.json")).decode("utf-8"))
        self.assertEqual(unescape(meta["weights"]["path"]), weights)
        self.assertEqual(meta["weights"]["name"], "w\\xe9.pth")
        self.assertFalse(meta["untrained"])
        # and `weights --json` prints it too
        info = json.loads(run("weights", weights, "--json")[0])
        self.assertEqual(unescape(info["path"]), weights)

    def test_a_failure_with_a_non_utf8_name_is_recorded(self):
        bad = os.path.join(os.fsencode(self.dir), b"bad\xff.jpg")
        write(bad, b"not an image")
        out = os.path.join(WORK, "names_failure")
        try:
            run("analyze", b"bad\xff.jpg", self.names[0], *COMMON, "--out", out, cwd=self.dir, expect=1)
        finally:
            os.remove(bad)
        summary = json.loads(read(os.path.join(out, "summary.json")).decode("utf-8"))
        self.assertEqual([unescape(f["image"]) for f in summary["failures"]], [b"bad\xff.jpg"])
        self.assertIn("bad\\xff.jpg", summary["failures"][0]["error"])


class MergeIntegrity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shards = []
        for i in range(2):
            d = os.path.join(WORK, f"integrity_shard{i}")
            run("analyze", os.path.join(SAMPLES, "coffee.jpg"), os.path.join(SAMPLES, "rocket.jpg"), *COMMON,
                "--shard", f"{i}/2", "--out", d)
            cls.shards.append(d)

    def forged(self, name, shard, edit):
        d = os.path.join(WORK, name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.shards[shard], d)
        edit(d)
        return d

    @staticmethod
    def set_first_count(d, total):
        """Makes the first stage of the run hold `total` values, consistently in both files."""
        summary = json.loads(read(os.path.join(d, "summary.json")))
        stage = summary["images"][0]["layers"][0]
        rows = read(os.path.join(d, "histograms.csv")).decode().splitlines(keepends=True)
        key = (summary["images"][0]["image"], stage["layer"], stage["stage"])
        mine = [i for i, r in enumerate(rows) if tuple(r.split(",")[:3]) == key]
        others = sum(int(rows[i].rsplit(",", 1)[1]) for i in mine[1:])
        first = rows[mine[0]].rsplit(",", 1)
        rows[mine[0]] = f"{first[0]},{total - others}\n"
        write(os.path.join(d, "histograms.csv"), "".join(rows).encode())
        stage["count"] = total - stage["nans"]
        write(os.path.join(d, "summary.json"), json.dumps(summary).encode())

    def test_counts_that_wrap_when_merged_are_refused(self):
        # A count past 2^53 (here 2^64 - 1, consistent in both files) is refused in the run itself,
        # naming the field: no map holds that many values, and such a count never reaches the sums
        # of a merge, where it would wrap.
        a = self.forged("wrap_a", 0, lambda d: self.set_first_count(d, U64_MAX))
        b = self.shards[1]
        _, err = run("merge", a, "--out", os.path.join(WORK, "wrap_a_alone"), expect=3)
        self.assertIn('field "count"', err)
        self.assertIn("2^53", err)
        out = os.path.join(WORK, "wrap_merged")
        _, err = run("merge", a, b, "--out", out, expect=3)
        self.assertIn("2^53", err)
        self.assertFalse(os.path.exists(out))

    def test_histogram_that_disagrees_with_summary_is_refused(self):
        def edit(d):
            rows = read(os.path.join(d, "histograms.csv")).decode().splitlines(keepends=True)
            head, last = rows[1].rsplit(",", 1)
            rows[1] = f"{head},{int(last) + 1}\n"
            write(os.path.join(d, "histograms.csv"), "".join(rows).encode())
        d = self.forged("disagree", 0, edit)
        _, err = run("merge", d, "--out", os.path.join(WORK, "disagree_out"), expect=3)
        self.assertIn(os.path.join(d, "histograms.csv"), err)
        self.assertIn("summary.json counts", err)

    def test_run_needing_far_more_memory_than_its_files_is_refused_quickly(self):
        # 10 000 bins, 7000 stages of zero values from 2.8 MB of files: at 8 bytes a bin it would
        # pass under 1 GiB, but counts and bin edges together need more, a merge that copied the
        # runs would hold a second copy, and the parsed JSON adds its own: over 3 GB in all.
        base = os.path.join(WORK, "membomb_base")
        run("analyze", os.path.join(SAMPLES, "coffee.jpg"), *COMMON, "--bins", "linear:0:1000:10000",
            "--out", base)
        d = os.path.join(WORK, "membomb")
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(base, d)
        summary = json.loads(read(os.path.join(d, "summary.json")))
        proto = summary["images"][0]
        for layer in proto["layers"]:
            layer.update(count=0, zeros=0, nans=0)
        images = []
        for i in range(7000 // len(proto["layers"])):
            images.append(dict(proto, image=f"img{i}.jpg", index=i))
        summary["images"] = images
        write(os.path.join(d, "summary.json"), json.dumps(summary).encode())
        write(os.path.join(d, "histograms.csv"), b"image,layer,stage,bin_lo,bin_hi,count\n")
        size = sum(os.path.getsize(os.path.join(d, f)) for f in ["run.json", "summary.json", "histograms.csv"])
        t0 = time.monotonic()
        stats = {}
        _, err = run("merge", d, "--out", os.path.join(WORK, "membomb_out"), expect=3, cap=3 << 30, stats=stats)
        elapsed = time.monotonic() - t0
        print(f"membomb: {size / 1e6:.1f} MB of run files, refused in {elapsed:.1f} s", file=sys.stderr)
        print(f"membomb: peak RSS {stats['rss_mb']:.0f} MB", file=sys.stderr)
        self.assertIn("MiB of memory", err)
        self.assertIn(os.path.join(d, "summary.json"), err)
        self.assertLess(elapsed, 20)
        self.assertLess(stats["rss_mb"], 1000, "peak RSS (MB)")


class ImageGates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = os.path.join(WORK, "images")
        shutil.rmtree(cls.dir, ignore_errors=True)
        os.makedirs(cls.dir)

    def refused(self, name, data, *phrases):
        """Analyses the hostile file beside a good one: the hostile one fails with phrases, the good one is analysed."""
        folder = os.path.join(self.dir, name.replace(".", "_"))
        os.makedirs(folder)
        write(os.path.join(folder, name), data)
        shutil.copy(os.path.join(SAMPLES, "coffee.jpg"), os.path.join(folder, "good.jpg"))
        out = folder + "_out"
        t0 = time.monotonic()
        run("analyze", folder, *COMMON, "--out", out, expect=1, cap=4 << 30, timeout=120)
        self.assertLess(time.monotonic() - t0, 60)
        summary = json.loads(read(os.path.join(out, "summary.json")))
        self.assertEqual([os.path.basename(i["image"]) for i in summary["images"]], ["good.jpg"])
        self.assertEqual(len(summary["failures"]), 1)
        error = summary["failures"][0]["error"]
        for phrase in phrases:
            self.assertIn(phrase, error)
        return error

    def test_tiff_size_given_twice_with_another_integer_type(self):
        # ImageWidth/ImageLength as SLONG 30000 first, then as SHORT 16: libtiff believes the first
        data = bytes(16 * 16 * 3)
        entries = [(256, 9, 1, u32(30000)), (257, 9, 1, u32(30000)), (256, 3, 1, u16(16)), (257, 3, 1, u16(16)),
                   (258, 3, 1, u16(8)), (259, 3, 1, u16(1)), (262, 3, 1, u16(2)), (277, 3, 1, u16(3)),
                   (278, 3, 1, u16(16)), (279, 4, 1, u32(len(data)))]
        offset = 8 + 2 + 12 * (len(entries) + 1) + 4
        entries.append((273, 4, 1, u32(offset)))
        self.refused("twice.tif", tiff(entries, data), "30000x30000")

    def test_tiff_size_of_a_type_no_decoder_reads_as_a_size(self):
        entries = [(256, 5, 1, u32(0)), (257, 3, 1, u16(16))]  # RATIONAL width
        self.refused("rational.tif", tiff(entries), "ImageWidth", "type 5")

    def test_pam_fields_behind_comment_lines(self):
        comments = b"".join(b"# padding line %d ...........................................\n" % i
                            for i in range(200))
        data = b"P7\n" + comments + b"WIDTH 30000\nHEIGHT 30000\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n"
        self.assertGreater(len(data), 8192)
        self.refused("hidden.pam", data + bytes(300), "30000x30000")

    def test_pam_without_end_of_header(self):
        self.refused("endless.pam", b"P7\nWIDTH 16\nHEIGHT 16\nDEPTH 3\nMAXVAL 255\n" + bytes(800), "ENDHDR")

    def test_float32_tiff_counts_decoded_bytes_not_pixels(self):
        # 10000x10000 is under the 100 MP limit, but float32 samples decode to 1.2 GB and more
        entries = [(256, 4, 1, u32(10000)), (257, 4, 1, u32(10000)), (258, 3, 1, u16(32)), (259, 3, 1, u16(8)),
                   (262, 3, 1, u16(1)), (273, 4, 1, u32(200)), (277, 3, 1, u16(1)), (278, 4, 1, u32(10000)),
                   (279, 4, 1, u32(100)), (339, 3, 1, u16(3))]
        error = self.refused("float.tif", tiff(entries, bytes(300)), "10000x10000", "400 MB")
        self.assertIn("bytes each once decoded", error)

    def test_16bit_rgba_png_counts_decoded_bytes(self):
        data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 8000, 8000, 16, 6, 0, 0, 0)) +
                png_chunk(b"IDAT", zlib.compress(bytes(1000))) + png_chunk(b"IEND", b""))
        self.refused("deep.png", data, "8000x8000", "8 bytes each once decoded")

    def test_square_size_obeys_the_pixel_cap(self):
        out = os.path.join(self.dir, "square_out")
        run("analyze", os.path.join(SAMPLES, "coffee.jpg"), "--size", "8192", "--layers", "conv1_1",
            "--threads", "1", "--quiet", "--out", out)
        image = json.loads(read(os.path.join(out, "summary.json")))["images"][0]
        self.assertEqual(image["input_size"], [1600, 1600])
        self.assertIn("over the cap of 2560000 pixels", image["note"])

    def test_pnm_white_is_white_at_any_maxval(self):
        folder = os.path.join(self.dir, "maxval")
        os.makedirs(folder)
        w = h = 48
        files = {
            "m15.pgm": b"P5\n%d %d\n15\n" % (w, h) + bytes([15]) * (w * h),
            "m255.pgm": b"P5\n%d %d\n255\n" % (w, h) + bytes([255]) * (w * h),
            "m1023.pgm": b"P5\n%d %d\n1023\n" % (w, h) + struct.pack(">H", 1023) * (w * h),
            "m65535.pgm": b"P5\n%d %d\n65535\n" % (w, h) + struct.pack(">H", 65535) * (w * h),
            "a15.pgm": b"P2\n%d %d\n15\n" % (w, h) + b"15 " * (w * h) + b"\n",
            "a1023.pgm": b"P2\n%d %d\n1023\n" % (w, h) + b"1023 " * (w * h) + b"\n",
            "p15.pam": b"P7\nWIDTH %d\nHEIGHT %d\nDEPTH 1\nMAXVAL 15\nTUPLTYPE GRAYSCALE\nENDHDR\n" % (w, h) +
                       bytes([15]) * (w * h),
            "white.png": (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                          png_chunk(b"IDAT", zlib.compress(b"".join(b"\0" + b"\xff" * w for _ in range(h)))) +
                          png_chunk(b"IEND", b"")),
        }
        for name, data in files.items():
            write(os.path.join(folder, name), data)
        out = os.path.join(self.dir, "maxval_out")
        run("analyze", folder, *COMMON, "--out", out)
        rows = list(csv.DictReader(io.StringIO(read(os.path.join(out, "summary.csv")).decode())))
        by_image = {}
        for r in rows:
            if r["image"] != "*":
                by_image.setdefault(os.path.basename(r["image"]), []).append((r["layer"], r["stage"], r["mean"], r["p50"]))
        self.assertEqual(sorted(by_image), sorted(files))
        reference = by_image["white.png"]
        for name, stats in by_image.items():
            self.assertEqual(stats, reference, f"{name} differs from a white 8-bit PNG")
        notes = {os.path.basename(i["image"]): i["note"]
                 for i in json.loads(read(os.path.join(out, "summary.json")))["images"]}
        self.assertIn("maxval 15 scaled to 255", notes["m15.pgm"])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
