#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli plot end to end, with no display (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM unset).

Two runs of the bundled photos with different weights: the default weights seeded 0 (UNTRAINED) and
a copy of a seed-1 run whose run.json says trained. Each figure kind is written as SVG (parsed with
xml.etree: layer names, run names and the UNTRAINED mark as text), PDF (parsed here: one page of the
asked size, every font embedded as a TrueType stream, the text decoded through the fonts' ToUnicode
maps holds the layer names and the mark) and PNG (read with PIL: the size at 300 dpi, not blank, the
runs' colours present). Errors: unknown kind, missing run directory, no common layer, unwritable
output, each with its exit code and a message naming the culprit; a failed plot keeps an earlier file.

Usage: cli_plot_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET
import zlib

from PIL import Image

CLI, SAMPLES, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
COMMON = ["--size", "64", "--threads", "1", "--quiet"]
LAYERS = ["conv4_3", "fc7"]
SVG_NS = "{http://www.w3.org/2000/svg}"
BLUE, VERMILLION = (0, 114, 178), (213, 94, 0)  # the first two run colours (Okabe-Ito)


def headless_env():
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def run(*args, expect=0):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=headless_env())
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def svg_texts(path):
    root = ET.parse(path).getroot()
    assert root.tag == SVG_NS + "svg", root.tag
    return root, ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]


class Pdf:
    """The little of PDF this test needs: objects, streams, fonts, and the text of the page's
    BT..ET blocks decoded with each font's ToUnicode map (Qt writes one glyph id per Tj)."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.objects = {int(m.group(1)): m.group(2)
                        for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", self.data, re.S)}

    def dictionary(self, n):
        return self.objects[n].split(b"stream", 1)[0]

    def stream(self, n):
        obj = self.objects[n]
        head, rest = obj.split(b"stream", 1)
        body = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
        return zlib.decompressobj().decompress(body) if b"/FlateDecode" in head else body

    def ref(self, n, key):
        m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", self.dictionary(n))
        return int(m.group(1)) if m else None

    def pages(self):
        return [n for n in self.objects if re.search(rb"/Type\s*/Page\b", self.dictionary(n))]

    def fonts(self):
        return [n for n in self.objects if re.search(rb"/Type\s*/Font\b", self.dictionary(n))
                and b"/Subtype /Type0" in self.dictionary(n)]

    def to_unicode(self, font):
        cmap = self.stream(self.ref(font, b"ToUnicode")).decode("latin1")
        table = {}
        for section in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
                table[int(a, 16)] = chr(int(b, 16))
        for section in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", section):
                lo, hi = int(lo, 16), int(hi, 16)
                if dst.startswith("["):
                    for i, u in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", dst)):
                        table[lo + i] = chr(int(u, 16))
                else:
                    for i in range(hi - lo + 1):
                        table[lo + i] = chr(int(dst[1:-1], 16) + i)
        return table

    def text(self, page):
        resources = self.dictionary(self.ref(page, b"Resources"))
        names = {name.decode(): int(ref) for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", resources)}
        maps = {name: self.to_unicode(n) for name, n in names.items()}
        content = self.stream(self.ref(page, b"Contents")).decode("latin1")
        blocks = []
        for block in re.findall(r"BT(.*?)ET", content, re.S):
            font, out = None, []
            for tok in re.finditer(r"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>\s*Tj", block):
                if tok.group(1):
                    font = tok.group(1)
                else:
                    hexs = tok.group(2)
                    out += [maps[font].get(int(hexs[i:i + 4], 16), "?") for i in range(0, len(hexs), 4)]
            blocks.append("".join(out).replace("\t", " "))
        return blocks


class CliPlot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        cls.a = os.path.join(WORK, "seed0")
        seed1 = os.path.join(WORK, "seed1")
        cls.b = os.path.join(WORK, "trained")
        cls.c = os.path.join(WORK, "conv5_only")
        run("analyze", SAMPLES, *COMMON, "--layers", ",".join(LAYERS), "--seed", "0", "--out", cls.a)
        run("analyze", SAMPLES, *COMMON, "--layers", ",".join(LAYERS), "--seed", "1", "--out", seed1)
        run("analyze", SAMPLES, *COMMON, "--layers", "conv5_3", "--l2norm", "none", "--out", cls.c)
        cls.empty = os.path.join(WORK, "empty_shard")  # 4 photos: shard 4 of 5 gets none
        run("analyze", SAMPLES, *COMMON, "--layers", ",".join(LAYERS), "--shard", "4/5", "--out", cls.empty)
        # different weights, and a run whose metadata says trained: seed 1's numbers, flag off
        shutil.copytree(seed1, cls.b)
        with open(os.path.join(cls.b, "run.json")) as f:
            meta = json.load(f)
        meta["untrained"] = meta["weights"]["untrained"] = False
        with open(os.path.join(cls.b, "run.json"), "w") as f:
            json.dump(meta, f)

    def plot(self, kind, out, *extra, expect=0):
        return run("plot", self.a, self.b, "--kind", kind, "--out", out, *extra, expect=expect)

    def check_svg(self, path, width_pt, height_pt):
        root, texts = svg_texts(path)
        joined = "\n".join(texts)
        for layer in LAYERS:
            self.assertIn(layer, joined)
        legend = [t for t in texts if t.startswith(("seed0", "trained"))]
        self.assertTrue(any(t.startswith("seed0") and "UNTRAINED" in t for t in legend), texts)
        self.assertTrue(any(t.startswith("trained") and "UNTRAINED" not in t for t in legend), texts)
        self.assertTrue(any("UNTRAINED" in t and "seed0" in t and "trained" not in t for t in texts), texts)
        # the physical size: points as millimetres
        self.assertAlmostEqual(float(root.get("width").rstrip("m")), width_pt * 25.4 / 72, delta=0.1)
        self.assertAlmostEqual(float(root.get("height").rstrip("m")), height_pt * 25.4 / 72, delta=0.1)
        # fonts named by an installed family with a generic fallback
        families = {t.get("font-family") for t in root.iter(SVG_NS + "text")}
        self.assertTrue(families and all(f.endswith(", sans-serif") for f in families), families)
        self.assertNotIn("Sans Serif, sans-serif", families)  # a fontconfig alias, not a family
        return texts

    def check_pdf(self, path, width_pt, height_pt):
        pdf = Pdf(path)
        self.assertTrue(pdf.data.startswith(b"%PDF-"))
        self.assertTrue(pdf.data.rstrip().endswith(b"%%EOF"))
        pages = pdf.pages()
        self.assertEqual(len(pages), 1)
        box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", pdf.dictionary(pages[0])).group(1).split()
        self.assertEqual([round(float(v), 3) for v in box], [0, 0, width_pt, height_pt])
        fonts = pdf.fonts()
        self.assertTrue(fonts)
        for font in fonts:
            # Type0 -> CIDFont -> FontDescriptor -> FontFile2: a TrueType program in the file
            cid = int(re.search(rb"/DescendantFonts\s*\[\s*(\d+) 0 R", pdf.dictionary(font)).group(1))
            descriptor = pdf.ref(cid, b"FontDescriptor")
            program = pdf.ref(descriptor, b"FontFile2")
            self.assertIsNotNone(program, f"font {font} not embedded")
            data = pdf.stream(program)
            self.assertGreater(len(data), 1000)
            self.assertIn(data[:4], (b"\x00\x01\x00\x00", b"true"))
        text = "\n".join(pdf.text(pages[0]))
        for layer in LAYERS:
            self.assertIn(layer, text)
        self.assertIn("seed0 (UNTRAINED)", text)
        self.assertIn("trained", text)
        self.assertNotIn("trained (UNTRAINED)", text)
        if shutil.which("pdffonts"):  # poppler, where installed: every font embedded
            lines = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
            self.assertTrue(lines and all(l.split()[-5] == "yes" for l in lines), lines)

    def check_png(self, path, width_px, height_px):
        with Image.open(path) as im:
            self.assertEqual(im.size, (width_px, height_px))
            self.assertAlmostEqual(im.info["dpi"][0], 300, delta=0.5)
            rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
        self.assertGreater(len(colours), 50)  # not a blank image
        white = max(colours)[1]
        self.assertEqual(white, (255, 255, 255))

        def present(target):
            return any(all(abs(c[i] - target[i]) <= 12 for i in range(3)) for _, c in colours)
        self.assertTrue(present(BLUE) and present(VERMILLION), "the runs' colours are missing")
        # the corners stay background: nothing drawn over the edge
        for x, y in ((0, 0), (width_px - 1, 0), (0, height_px - 1), (width_px - 1, height_px - 1)):
            self.assertEqual(rgb.getpixel((x, y)), (255, 255, 255))

    def test_layer_scales(self):
        svg, pdf, png = (os.path.join(WORK, "scales." + s) for s in ("svg", "pdf", "png"))
        for out in (svg, pdf, png):
            p = self.plot("layer-scales", out)
            self.assertIn("UNTRAINED", p.stderr)
            self.assertIn(self.a, p.stderr)
        texts = self.check_svg(svg, 252, 189)
        self.assertTrue(any("after L2Norm" in t for t in texts))
        self.assertTrue(any("channel L2 norm" in t for t in texts))  # the y axis, with its unit
        self.check_pdf(pdf, 252, 189)
        self.check_png(png, 1050, 788)  # 3.5 x 2.625 in at 300 dpi

    def test_histogram(self):
        svg, pdf, png = (os.path.join(WORK, "hist." + s) for s in ("svg", "pdf", "png"))
        for out in (svg, pdf, png):
            self.plot("histogram", out)
        # conv4_3 before and after, fc7 before: two rows of panels, 126 pt taller
        texts = self.check_svg(svg, 252, 315)
        for caption in ("conv4_3, before L2Norm", "conv4_3, after L2Norm", "fc7, before L2Norm"):
            self.assertIn(caption, texts)
        self.check_pdf(pdf, 252, 315)
        self.check_png(png, 1050, 1313)

    def test_layers_stage_size_title(self):
        svg = os.path.join(WORK, "chosen.svg")
        self.plot("histogram", svg, "--layers", "fc7", "--stage", "before", "--size", "300x200", "--title", "Depth")
        root, texts = svg_texts(svg)
        self.assertIn("Depth", texts)
        self.assertIn("fc7, before L2Norm", texts)
        self.assertFalse(any("conv4_3" in t for t in texts), texts)
        self.assertAlmostEqual(float(root.get("width").rstrip("m")), 300 * 25.4 / 72, delta=0.1)
        png = os.path.join(WORK, "pixels.png")
        self.plot("layer-scales", png, "--stage", "after", "--size", "1000x600px")
        with Image.open(png) as im:
            self.assertEqual(im.size, (1000, 600))
        p = self.plot("layer-scales", png, "--size", "12x3", expect=2)
        self.assertIn("--size", p.stderr)

    def test_errors_are_named(self):
        out = os.path.join(WORK, "err.svg")
        p = self.plot("boxes", out, expect=2)
        self.assertIn("unknown --kind 'boxes'", p.stderr)
        p = self.plot("layer-scales", os.path.join(WORK, "fig.jpg"), expect=2)
        self.assertIn("fig.jpg", p.stderr)
        missing = os.path.join(WORK, "no_such_run")
        p = run("plot", self.a, missing, "--kind", "layer-scales", "--out", out, expect=3)
        self.assertIn(missing, p.stderr)
        p = run("plot", self.a, self.c, "--kind", "histogram", "--out", out, expect=3)
        self.assertIn("no layer in common", p.stderr)
        p = self.plot("layer-scales", out, "--layers", "conv5_3", expect=3)
        self.assertIn("conv5_3", p.stderr)
        self.assertIn("seed0", p.stderr)
        p = run("plot", self.a, self.empty, "--kind", "histogram", "--out", out, expect=3)
        self.assertIn("'empty_shard' has no analysed images", p.stderr)
        p = self.plot("layer-scales", out, "--size", "2000x2000", expect=2)
        self.assertIn("--size", p.stderr)
        # unwritable: the folder is a file
        blocker = os.path.join(WORK, "blocker")
        with open(blocker, "w") as f:
            f.write("x")
        p = self.plot("layer-scales", os.path.join(blocker, "fig.svg"), expect=3)
        self.assertIn(os.path.join(blocker, "fig.svg"), p.stderr)
        self.assertNotIn("Segmentation", p.stderr)

    def test_failed_plot_keeps_earlier_file(self):
        out = os.path.join(WORK, "keep.pdf")
        self.plot("layer-scales", out)
        with open(out, "rb") as f:
            before = f.read()
        self.plot("layer-scales", out, "--layers", "conv5_3", expect=3)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual([n for n in os.listdir(WORK) if n.startswith(".") or "tmp" in n.lower()], [])

    def test_other_commands_do_not_start_qt(self):
        # a platform that does not exist would abort any QApplication: compare never makes one
        env = headless_env()
        env["QT_QPA_PLATFORM"] = "no-such-platform"
        p = subprocess.run([CLI, "compare", self.a, self.b, "--out", os.path.join(WORK, "c.csv"), "--quiet"],
                           capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        help_text = subprocess.run([CLI, "--help"], capture_output=True, text=True, env=env).stdout
        self.assertIn("  plot ", help_text)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
