#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli compare, plot and merge against outputs and run folders made to mislead them:

  - --out naming a character device, a FIFO, a symbolic link to /dev/stdout, to a regular file or
    to nothing, or a directory: devices and FIFOs are written into and stay what they are, a link's
    file is replaced and the link kept, the rest refused by name;
  - names from files (run folders, layer names, .t7 keys) holding terminal controls: nothing the
    commands print holds a control byte;
  - names that XML, CSV or JSON cannot hold as they are: every file written parses, and a layer
    name with a newline and commas adds no row;
  - run files that contradict themselves (NaN or infinite statistics, percentiles out of order,
    negative norms, counts that are not height x width or beyond 2^53, layers that run.json does not
    name, image indices out of range): refused naming the file, the record and the field, and a
    failed merge leaves no folder behind;
  - run files that are not regular files (a link to /dev/zero, a FIFO), and run folders with very
    many records: refused or read in bounded time, never a hang or an abort.

Every command runs under an address-space cap and a time limit.

Usage: cli_run_folders_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import csv
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import threading
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from measured_run import measured_run  # noqa: E402

CLI, SAMPLES, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
COMMON = ["--size", "64", "--layers", "conv4_3,fc7", "--threads", "1", "--quiet"]
CAP = 3 << 30
HAVE_PLOT = b"built without" not in subprocess.run([CLI, "plot", "--help"], capture_output=True).stderr


def run(*args, expect=0, timeout=120, cap=CAP):
    """Runs the CLI under the cap; returns (stdout, stderr) as bytes decoded leniently, and checks
    the exit code."""
    m = measured_run([CLI, *args], cap_bytes=cap, timeout=timeout)
    if m.timed_out:
        raise AssertionError(f"{args}: still running after {timeout} s")
    if m.code != expect:
        raise AssertionError(f"{args}: exit {m.code}, expected {expect}\nstdout:{m.out}\nstderr:{m.err}")
    return m.out, m.err


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def base_run():
    """One run of two photos, made once for every test here."""
    d = os.path.join(WORK, "base")
    if not os.path.exists(os.path.join(d, "run.json")):
        run("analyze", os.path.join(SAMPLES, "coffee.jpg"), os.path.join(SAMPLES, "rocket.jpg"), *COMMON, "--out", d)
    return d


def copy_run(name, source=None):
    d = os.path.join(os.fsencode(WORK), os.fsencode(name))
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.fsencode(source or base_run()), d)
    return d


def temp_folder(name):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def load(d):
    """run.json, summary.json and the rows of histograms.csv of run folder d."""
    meta = json.loads(read(os.path.join(d, b"run.json")))
    summary = json.loads(read(os.path.join(d, b"summary.json")))
    rows = list(csv.reader(io.StringIO(read(os.path.join(d, b"histograms.csv")).decode(), newline="")))
    return meta, summary, rows


def save(d, meta, summary, rows, summary_text=None):
    write(os.path.join(d, b"run.json"), json.dumps(meta).encode())
    write(os.path.join(d, b"summary.json"), (summary_text or json.dumps(summary)).encode())
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows(rows)
    write(os.path.join(d, b"histograms.csv"), text.getvalue().encode())


def rename_layer(d, old, new):
    """Renames a layer consistently in all three run files."""
    meta, summary, rows = load(d)
    meta["layers"] = [new if x == old else x for x in meta["layers"]]
    meta["l2norm_layers"] = [new if x == old else x for x in meta["l2norm_layers"]]
    for image in summary["images"]:
        for record in image["layers"]:
            if record["layer"] == old:
                record["layer"] = new
    for record in summary["aggregate"]:
        if record["layer"] == old:
            record["layer"] = new
    for row in rows[1:]:
        if row[1] == old:
            row[1] = new
    save(d, meta, summary, rows)


def controls(text):
    """The characters of text a terminal would obey: C0 controls but LF and TAB, and DEL."""
    return [hex(ord(c)) for c in text if (ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7f]


def t7_tensors(entries):
    """A Lua Torch table {key = FloatTensor, ...} laid out as torch.save writes it (binary, 8-byte longs)."""
    b = bytearray()
    index = [1]

    def i32(v):
        b.extend(struct.pack("<i", v))

    def i64(v):
        b.extend(struct.pack("<q", v))

    def chars(s):
        i32(len(s))
        b.extend(s)

    def torch(cls):
        i32(4)
        i32(index[0])
        index[0] += 1
        chars(b"V 1")
        chars(cls)

    i32(3)
    i32(index[0])
    index[0] += 1
    i32(len(entries))
    for key, values in entries:
        i32(2)
        chars(key)
        torch(b"torch.FloatTensor")
        i32(1)
        i64(len(values))
        i64(1)
        i64(1)
        torch(b"torch.FloatStorage")
        i64(len(values))
        b.extend(struct.pack(f"<{len(values)}f", *values))
    return bytes(b)


class Outputs(unittest.TestCase):
    """--out replaces only regular files; devices, FIFOs and descriptors are written into."""

    @classmethod
    def setUpClass(cls):
        cls.source = base_run()
        cls.expected = os.path.join(WORK, "expected.csv")
        run("compare", cls.source, "--out", cls.expected)

    def leftovers(self, folder):
        return [n for n in os.listdir(folder) if ".tmp" in n]

    def test_character_device_is_written_into_not_replaced(self):
        if os.geteuid() != 0:
            self.skipTest("mknod of a character device needs root")
        d = temp_folder("out_chardev")
        null = os.path.join(d, "null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the null device, in our own folder
        run("compare", self.source, "--out", null)
        self.assertTrue(stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced")
        self.assertEqual(self.leftovers(d), [])

    def test_fifo_with_a_reader_gets_the_file(self):
        d = temp_folder("out_fifo")
        fifo = os.path.join(d, "pipe")
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(read(fifo)))
        reader.start()
        run("compare", self.source, "--out", fifo)
        reader.join(30)
        self.assertFalse(reader.is_alive())
        self.assertEqual(got, [read(self.expected)])
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        self.assertEqual(self.leftovers(d), [])

    def test_fifo_without_a_reader_is_refused_at_once(self):
        d = temp_folder("out_fifo_alone")
        fifo = os.path.join(d, "pipe")
        os.mkfifo(fifo)
        t0 = time.monotonic()
        _, err = run("compare", self.source, "--out", fifo, expect=3, timeout=30)
        self.assertLess(time.monotonic() - t0, 20)
        self.assertIn(fifo, err)
        self.assertIn("FIFO", err)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))

    def test_link_to_dev_stdout_writes_to_stdout(self):
        d = temp_folder("out_stdout")
        link = os.path.join(d, "out.csv")
        os.symlink("/dev/stdout", link)
        out, _ = run("compare", self.source, "--out", link, "--quiet")
        self.assertIn(read(self.expected).decode(), out)
        self.assertEqual(os.readlink(link), "/dev/stdout")
        self.assertEqual(self.leftovers(d), [])

    def test_link_to_a_regular_file_replaces_that_file_and_keeps_the_link(self):
        d = temp_folder("out_link")
        target = os.path.join(d, "real.csv")
        write(target, b"old")
        link = os.path.join(d, "link.csv")
        os.symlink("real.csv", link)
        run("compare", self.source, "--out", link)
        self.assertTrue(os.path.islink(link))
        self.assertEqual(read(target), read(self.expected))
        self.assertEqual(sorted(os.listdir(d)), ["link.csv", "real.csv"])

    def test_link_to_nothing_and_directory_are_refused(self):
        d = temp_folder("out_refused")
        dangling = os.path.join(d, "dangling.csv")
        os.symlink("missing.csv", dangling)
        _, err = run("compare", self.source, "--out", dangling, expect=3)
        self.assertIn(dangling, err)
        self.assertIn("does not exist", err)
        self.assertFalse(os.path.exists(os.path.join(d, "missing.csv")))
        folder = os.path.join(d, "folder")
        os.makedirs(folder)
        _, err = run("compare", self.source, "--out", folder, expect=3)
        self.assertIn(folder, err)
        self.assertIn("directory", err)
        self.assertTrue(os.path.isdir(folder))

    @unittest.skipUnless(HAVE_PLOT, "featscale-cli built without plot")
    def test_plot_into_a_device_keeps_the_device(self):
        if os.geteuid() != 0:
            self.skipTest("mknod of a character device needs root")
        d = temp_folder("out_plot_dev")
        null = os.path.join(d, "null.svg")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        run("plot", self.source, "--kind", "layer-scales", "--out", null)
        self.assertTrue(stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced")


class Names(unittest.TestCase):
    """Names from files and folders reach the terminal escaped (printable): no control byte."""

    TITLE = b"\x1b]0;PWNED\x07\x1b[2J"

    def assertClean(self, *texts):
        for text in texts:
            self.assertEqual(controls(text), [], text[-2000:])

    def test_run_folder_and_layer_names_with_controls(self):
        d = copy_run(b"names_" + self.TITLE)
        rename_layer(d, "fc7", "fc7" + self.TITLE.decode())
        out = os.path.join(WORK, "names_compare.csv")
        self.assertClean(*run("compare", d, base_run(), "--out", out))
        self.assertClean(*run("merge", d, "--out", os.path.join(WORK, "names_merged")))
        if HAVE_PLOT:
            self.assertClean(*run("plot", d, "--kind", "layer-scales", "--out", os.path.join(WORK, "names.svg")))
        # refusals quote the names too
        missing = os.path.join(os.fsencode(WORK), b"missing" + self.TITLE)
        self.assertClean(*run("compare", missing, "--out", out, expect=3))
        self.assertClean(*run("merge", d, base_run(), "--out", os.path.join(WORK, "names_refused"), expect=3))

    def test_t7_key_names_with_controls(self):
        d = temp_folder("names_t7")
        path = os.path.join(d, "gamma.t7")
        write(path, t7_tensors([(self.TITLE, [1.0, 2.0, 3.0]), (b"x\x1b[31m", [4.0])]))
        out, err = run("analyze", os.path.join(SAMPLES, "coffee.jpg"), *COMMON, "--gamma-file", path,
                       "--out", os.path.join(d, "run"), expect=3)
        self.assertIn("none is named conv4_3", err)
        self.assertIn("\\x1b]0;PWNED\\x07", err)
        self.assertClean(out, err)


class Writers(unittest.TestCase):
    """Every file written parses, whatever the names it holds."""

    def test_svg_of_a_run_folder_named_with_a_control_byte(self):
        if not HAVE_PLOT:
            self.skipTest("featscale-cli built without plot")
        d = copy_run(b"svg\x01run")
        for kind in ["layer-scales", "histogram"]:
            svg = os.path.join(WORK, f"control_{kind}.svg")
            run("plot", d, "--kind", kind, "--out", svg)
            ET.parse(svg)  # raises on a character XML 1.0 does not allow
            self.assertNotIn(b"\x01", read(svg))
            if shutil.which("xmllint"):
                p = subprocess.run(["xmllint", "--noout", svg], capture_output=True, timeout=60)
                self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))

    def test_csv_cells_with_newlines_commas_and_formulas(self):
        d = copy_run("csv_cells")
        newline = "fc7\n,x,y"
        rename_layer(d, "fc7", newline)
        rename_layer(d, "conv4_3", "=1+2")
        out = os.path.join(WORK, "csv_cells.csv")
        run("compare", d, "--out", out)
        rows = list(csv.DictReader(io.StringIO(read(out).decode(), newline="")))
        self.assertEqual(len(rows), 3, rows)  # conv4_3 before and after, fc7 before
        self.assertEqual([r["layer"] for r in rows], ["'=1+2", "'=1+2", newline])
        for r in rows:
            for column in ["median", "p5", "p95", "ratio", "images"]:
                float(r[column])  # numbers stay numbers

        merged = os.path.join(WORK, "csv_cells_merged")
        run("merge", d, "--out", merged)
        summary = list(csv.DictReader(io.StringIO(read(os.path.join(merged, "summary.csv")).decode(), newline="")))
        self.assertEqual(len(summary), 3 * 3, summary)  # two images and the aggregate, three stages each
        self.assertEqual({r["layer"] for r in summary}, {"'=1+2", newline})
        for r in summary:
            for column in ["count", "min", "max", "mean", "p50", "sum"]:
                float(r[column])
        histograms = list(csv.reader(io.StringIO(read(os.path.join(merged, "histograms.csv")).decode(), newline="")))
        self.assertEqual({len(r) for r in histograms}, {6})
        for name in ["run.json", "summary.json", "histograms.json"]:
            json.loads(read(os.path.join(merged, name)))
        # and the merged folder reads back with its names
        again = os.path.join(WORK, "csv_cells_again.csv")
        run("compare", merged, "--out", again)
        self.assertEqual([r["layer"] for r in csv.DictReader(io.StringIO(read(again).decode(), newline=""))],
                         ["'=1+2", "'=1+2", newline])


class Consistency(unittest.TestCase):
    """Run files that contradict themselves are refused, naming file, record and field."""

    def forged(self, name, edit, text=None):
        d = copy_run(name)
        meta, summary, rows = load(d)
        edit(meta, summary["images"][0]["layers"][0], summary)
        save(d, meta, summary, rows, text(json.dumps(summary)) if text else None)
        return d

    def refused(self, d, field, record="image 0"):
        merged = os.path.join(WORK, os.fsdecode(os.path.basename(d)) + "_merged")
        for command in (["compare", d, "--out", os.path.join(WORK, "refused.csv")], ["merge", d, "--out", merged]):
            _, err = run(*command, expect=3)
            self.assertIn(os.path.join(os.fsdecode(d), "summary.json"), err)
            self.assertIn(record, err)
            self.assertIn(f'"{field}"', err)
            self.assertNotIn("internal error", err)
        self.assertFalse(os.path.exists(merged), "a failed merge left its folder")
        return err

    def test_null_statistic(self):
        self.refused(self.forged("null_p50", lambda m, r, s: r.update(p50=None)), "p50")

    def test_infinite_statistic(self):
        # JSON has no infinity: a number beyond double's range is refused by the parser, naming the file
        d = self.forged("inf_max", lambda m, r, s: r.update(max=123456.5),
                        text=lambda t: t.replace("123456.5", "1e999", 1))
        merged = os.path.join(WORK, "inf_max_merged")
        for command in (["compare", d, "--out", os.path.join(WORK, "refused.csv")], ["merge", d, "--out", merged]):
            _, err = run(*command, expect=3)
            self.assertIn(os.path.join(os.fsdecode(d), "summary.json"), err)
            self.assertIn("1e999", err)
        self.assertFalse(os.path.exists(merged))

    def test_percentiles_out_of_order(self):
        self.refused(self.forged("p5_above_median", lambda m, r, s: r.update(p5=r["p50"] * 2)), "p5")

    def test_negative_norm(self):
        self.refused(self.forged("negative", lambda m, r, s: r.update(min=-1.0)), "min")

    def test_count_of_2_63(self):
        self.refused(self.forged("count_2_63", lambda m, r, s: r.update(count=2**63)), "count")

    def test_count_not_height_times_width(self):
        self.refused(self.forged("height_huge", lambda m, r, s: r.update(height=2**31 - 1, width=1444)), "count")
        self.refused(self.forged("height_2_31", lambda m, r, s: r.update(height=2**31)), "height")

    def test_layer_not_in_run_json(self):
        self.refused(self.forged("unlisted", lambda m, r, s: r.update(layer="conv9_9")), "layer")

    def test_index_int64_min(self):
        err = self.refused(self.forged("index_min", lambda m, r, s: s["images"][0].update(index=-2**63)), "index")
        self.assertIn(str(-2**63), err)


class Bounds(unittest.TestCase):
    """Run readers read regular files only, in time and memory bounded by the files' sizes."""

    def test_run_json_linked_to_dev_zero(self):
        d = copy_run("dev_zero")
        os.remove(os.path.join(d, b"run.json"))
        os.symlink("/dev/zero", os.path.join(d, b"run.json"))
        for command in (["compare", d, "--out", os.path.join(WORK, "zero.csv")],
                        ["merge", d, "--out", os.path.join(WORK, "zero_merged")]):
            _, err = run(*command, expect=3, timeout=30)
            self.assertIn("run.json", err)
            self.assertIn("not a regular file", err)
        self.assertFalse(os.path.exists(os.path.join(WORK, "zero_merged")))

    def test_summary_json_fifo(self):
        d = copy_run("fifo")
        os.remove(os.path.join(d, b"summary.json"))
        os.mkfifo(os.path.join(d, b"summary.json"))
        t0 = time.monotonic()
        _, err = run("compare", d, "--out", os.path.join(WORK, "fifo.csv"), expect=3, timeout=30)
        self.assertLess(time.monotonic() - t0, 20)
        self.assertIn("summary.json: a FIFO", err)

    @staticmethod
    def zero_record(layer, stage="before"):
        return {"layer": layer, "stage": stage, "height": 1, "width": 1, "count": 1, "zeros": 1, "nans": 0,
                "min": 0.0, "max": 0.0, "mean": 0.0, "std": 0.0, "sum": 0.0, "sum_sq": 0.0, "m2": 0.0,
                "p1": 0.0, "p5": 0.0, "p25": 0.0, "p50": 0.0, "p75": 0.0, "p95": 0.0, "p99": 0.0,
                "percentiles": "exact"}

    def test_merge_is_linear_in_layer_records(self):
        d = copy_run("many_layers")
        meta, summary, rows = load(d)
        layers = [f"layer{i}" for i in range(20000)]
        meta["layers"] = layers
        meta["l2norm_layers"] = []
        meta["gamma"] = {}
        image = dict(summary["images"][0], index=0, layers=[self.zero_record(x) for x in layers])
        summary["images"] = [image]
        summary["failures"] = []
        rows = rows[:1] + [[image["image"], x, "before", "0", "0", "1"] for x in layers]
        save(d, meta, summary, rows)
        t0 = time.monotonic()
        run("merge", d, "--out", os.path.join(WORK, "many_layers_merged"), "--quiet", timeout=300)
        elapsed = time.monotonic() - t0
        print(f"merge of 20 000 layer records: {elapsed:.1f} s", file=sys.stderr)
        self.assertLess(elapsed, 30)
        t0 = time.monotonic()
        run("compare", d, "--out", os.path.join(WORK, "many_layers.csv"), "--quiet", timeout=300)
        print(f"compare of 20 000 layer records: {time.monotonic() - t0:.1f} s", file=sys.stderr)
        self.assertLess(time.monotonic() - t0, 30)

    def test_compare_of_a_million_records_ends_with_a_message(self):
        d = copy_run("million")
        meta, summary, rows = load(d)
        proto = summary["images"][0]
        stages = [(r["layer"], r["stage"]) for r in proto["layers"]]
        records = [self.zero_record(layer, stage) for layer, stage in stages]
        n = -(-1000000 // len(records))
        meta["total_inputs"] = n
        save(d, meta, summary, rows[:1])
        rest = json.dumps(dict(summary, images=[], failures=[]))
        head, tail = rest.split('"images": []', 1)
        with open(os.path.join(d, b"summary.json"), "w") as f:  # written as it goes: ~300 MB
            f.write(head + '"images": [')
            for i in range(n):
                f.write(("," if i else "") + json.dumps({"image": f"i{i}", "index": i, "original_size": [1, 1],
                                                         "input_size": [1, 1], "note": "", "layers": records}))
            f.write("]" + tail)
        with open(os.path.join(d, b"histograms.csv"), "a") as f:
            for i in range(n):
                f.write("".join(f"i{i},{layer},{stage},0,0,1\n" for layer, stage in stages))
        m = measured_run([CLI, "compare", d, "--out", os.path.join(WORK, "million.csv"), "--quiet"],
                         cap_bytes=CAP, timeout=600)
        self.assertFalse(m.timed_out)
        print(f"compare of {n * len(records)} records: exit {m.code} in {m.seconds:.1f} s, "
              f"peak RSS {m.rss_mb:.0f} MB", file=sys.stderr)
        self.assertIn(m.code, (0, 3), m.err[-2000:])  # never a signal (std::terminate aborts)
        self.assertNotIn("terminate", m.err)
        if m.code == 3:
            self.assertIn("summary.json", m.err)
            self.assertIn("MiB of memory", m.err)
        shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
