#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""featscale-cli under hostile inputs and faults: symlink loops, bombs and odd images in a
folder, corrupt and future-version run directories given to merge, exports to a full disk, stop
signals during analyze and fit-gamma.

Usage: cli_reliability_test.py FEATSCALE_CLI SAMPLES_DIR WORK_DIR
"""
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import unittest
import zlib

CLI, SAMPLES, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
# One intra-op thread: ctest runs two suites at once on CI's two cores, and oversubscribed
# OpenMP barriers make small forward passes ~10x slower.
COMMON = ["--size", "64", "--layers", "conv4_3,fc7", "--threads", "1", "--quiet"]


def run(*args, expect=0, timeout=300):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)
    if p.returncode != expect:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
    return p


def png(width, height, rgb=(10, 20, 30)):
    """A PNG written by hand (no codec library involved)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def summary(out):
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


class CliReliability(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        cls.good = os.path.join(WORK, "good")
        run("analyze", os.path.join(SAMPLES, "coffee.jpg"), *COMMON, "--out", cls.good)

    def test_symlink_loop_terminates_and_analyses_real_images_once(self):
        folder = os.path.join(WORK, "loop")
        os.makedirs(os.path.join(folder, "sub"))
        shutil.copy(os.path.join(SAMPLES, "rocket.jpg"), folder)
        write(os.path.join(folder, "sub", "tiny.png"), png(40, 36))
        os.symlink(folder, os.path.join(folder, "self"))             # absolute loop to itself
        os.symlink("..", os.path.join(folder, "sub", "up"))         # relative loop to the parent
        os.symlink("loop.png", os.path.join(folder, "loop.png"))    # a symlink to itself, named like an image
        out = os.path.join(WORK, "loop_out")
        p = run("analyze", folder, *COMMON, "--out", out, expect=1, timeout=120)
        s = summary(out)
        analysed = sorted(os.path.relpath(i["image"], folder) for i in s["images"])
        self.assertEqual(analysed, ["rocket.jpg", os.path.join("sub", "tiny.png")])
        # the self-referencing file link cannot be read: reported per image, the run went on
        self.assertEqual([os.path.basename(f["image"]) for f in s["failures"]], ["loop.png"])
        self.assertIn("symbolic links", s["failures"][0]["error"])
        self.assertIn("loop.png", p.stderr)

    def test_folder_of_odd_images_reports_each_bad_one(self):
        folder = os.path.join(WORK, "odd")
        os.makedirs(folder)
        write(os.path.join(folder, "one.png"), png(1, 1))
        write(os.path.join(folder, "png_bytes.jpg"), png(50, 40))
        bomb = bytearray(png(2, 2))
        bomb[16:24] = struct.pack(">II", 50000, 50000)
        write(os.path.join(folder, "bomb.png"), bytes(bomb))
        with open(os.path.join(SAMPLES, "chelsea.jpg"), "rb") as f:
            write(os.path.join(folder, "half.jpg"), f.read()[:20000])
        write(os.path.join(folder, "empty.jpg"), b"")
        os.makedirs(os.path.join(folder, "dir.jpg"))
        out = os.path.join(WORK, "odd_out")
        p = run("analyze", folder, *COMMON, "--out", out, expect=1)
        s = summary(out)
        self.assertEqual(sorted(os.path.basename(i["image"]) for i in s["images"]), ["one.png", "png_bytes.jpg"])
        errors = {os.path.basename(f["image"]): f["error"] for f in s["failures"]}
        self.assertIn("50000x50000", errors["bomb.png"])
        self.assertIn("truncated", errors["half.jpg"])
        self.assertIn("empty", errors["empty.jpg"])
        # every bad file by name (dir.jpg is a folder: scanned, empty, not an image to fail)
        self.assertEqual(sorted(errors), ["bomb.png", "empty.jpg", "half.jpg"])
        self.assertEqual(s["images_failed"], 3)
        for name in errors:
            self.assertIn(name, p.stderr)
        one = next(i for i in s["images"] if i["image"].endswith("one.png"))
        self.assertEqual(one["original_size"], [1, 1])
        self.assertEqual(one["input_size"], [64, 64])

    def corrupt_copy(self, name, file, edit):
        d = os.path.join(WORK, name)
        shutil.copytree(self.good, d)
        path = os.path.join(d, file)
        with open(path, "rb") as f:
            data = f.read()
        write(path, edit(data))
        return d, path

    def expect_merge_refused(self, bad_dir, bad_file, *phrases):
        out = os.path.join(WORK, "merged_" + os.path.basename(bad_dir))
        p = run("merge", self.good, bad_dir, "--out", out, expect=3)
        self.assertIn(bad_file, p.stderr)
        for phrase in phrases:
            self.assertIn(phrase, p.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "run.json")), "a refused merge wrote output")

    def test_merge_refuses_future_version_run(self):
        d, f = self.corrupt_copy("future", "run.json",
                                 lambda b: b.replace(b'"format_version": 2', b'"format_version": 3', 1))
        self.expect_merge_refused(d, f, "newer featscale")

    def test_merge_refuses_truncated_run_json(self):
        d, f = self.corrupt_copy("trunc_run", "run.json", lambda b: b[: len(b) // 2])
        self.expect_merge_refused(d, f, "not valid JSON")

    def test_merge_refuses_future_version_summary(self):
        d, f = self.corrupt_copy("future_summary", "summary.json",
                                 lambda b: b.replace(b'"format_version": 2', b'"format_version": 5', 1))
        self.expect_merge_refused(d, f, "newer featscale")

    def test_merge_refuses_garbage_histogram_count(self):
        def edit(b):
            lines = b.split(b"\n")
            fields = lines[1].split(b",")
            fields[-1] = b"12x"
            lines[1] = b",".join(fields)
            return b"\n".join(lines)
        d, f = self.corrupt_copy("bad_hist", "histograms.csv", edit)
        self.expect_merge_refused(d, f, "line 2", "12x")

    def test_merge_refuses_missing_file(self):
        d = os.path.join(WORK, "missing")
        shutil.copytree(self.good, d)
        os.remove(os.path.join(d, "histograms.csv"))
        self.expect_merge_refused(d, os.path.join(d, "histograms.csv"), "cannot open")

    def test_export_to_full_disk_keeps_earlier_run(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root (CI runs as root)")
        mnt = os.path.join(WORK, "tiny")
        os.makedirs(mnt)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt]).returncode != 0:
            self.skipTest("cannot mount a tmpfs here")
        try:
            out = os.path.join(mnt, "run")
            os.makedirs(out)
            earlier = {}
            for name in ("histograms.csv", "summary.csv", "summary.json", "run.json"):
                earlier[name] = b"earlier " + name.encode()
                write(os.path.join(out, name), earlier[name])
            # --layers all makes the export far larger than 16 KiB
            p = run("analyze", os.path.join(SAMPLES, "coffee.jpg"), "--size", "64", "--layers", "all",
                    "--threads", "1", "--quiet", "--out", out, expect=3)
            self.assertIn(out, p.stderr)
            self.assertIn("No space left", p.stderr)
            for name, data in earlier.items():
                with open(os.path.join(out, name), "rb") as f:
                    self.assertEqual(f.read(), data, name + " was damaged")
            self.assertEqual(sorted(os.listdir(out)), sorted(earlier), "temporary files were left behind")
        finally:
            subprocess.run(["umount", "-l", mnt])

    def test_disk_full_mid_run_stops_at_the_first_write_failure(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root (CI runs as root)")
        # photos, whose norms fill many bins (flat colours fill a few)
        folder = os.path.join(WORK, "disk_full_inputs")
        os.makedirs(folder)
        photos = sorted(f for f in os.listdir(SAMPLES) if f.endswith(".jpg"))
        for k in range(80):
            shutil.copy(os.path.join(SAMPLES, photos[k % len(photos)]), os.path.join(folder, "p%03d.jpg" % k))
        mnt = os.path.join(WORK, "tiny_mid_run")
        os.makedirs(mnt)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt]).returncode != 0:
            self.skipTest("cannot mount a tmpfs here")
        try:
            out = os.path.join(mnt, "run")
            os.makedirs(out)
            earlier = b"earlier run.json"
            write(os.path.join(out, "run.json"), earlier)
            # rows are written a MiB at a time: at 96 px with every tap that is some 50 photos in
            p = run("analyze", folder, "--size", "96", "--layers", "all", "--threads", "1", "--out", out, expect=3)
            self.assertEqual(p.stderr.count("No space left"), 1, p.stderr)
            self.assertIn("the run cannot be written", p.stderr)
            done = sum(1 for line in p.stderr.splitlines() if line.startswith("["))
            self.assertLess(done, 80, "every image was analysed after the disk was full")
            self.assertNotIn("append after the file was closed", p.stderr)
            with open(os.path.join(out, "run.json"), "rb") as f:
                self.assertEqual(f.read(), earlier, "the earlier run was damaged")
            self.assertEqual(os.listdir(out), ["run.json"], "temporary files were left behind")
        finally:
            subprocess.run(["umount", "-l", mnt])

    def image_folder(self, name, count, size=(40, 32)):
        folder = os.path.join(WORK, name)
        os.makedirs(folder)
        for k in range(count):
            write(os.path.join(folder, "img%04d.png" % k), png(*size, rgb=(k % 251, (7 * k) % 253, (13 * k) % 255)))
        return folder

    def stopped_after_five(self, sig, command, *args):
        """Runs `command` over a folder of 400 images and sends `sig` once it reports the 5th;
        returns its stderr, having checked that the exit code is 128 + the signal."""
        folder = os.path.join(WORK, "many")
        if not os.path.isdir(folder):
            self.image_folder("many", 400)
        p = subprocess.Popen([CLI, command, folder, "--size", "32", "--threads", "1", *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen = []
        for line in p.stderr:
            seen.append(line)
            if line.startswith("[5/400]"):
                p.send_signal(sig)
                break
        rest_out, rest_err = p.communicate(timeout=300)
        stderr = "".join(seen) + rest_err
        self.assertEqual(p.returncode, 128 + sig, stderr)
        return stderr

    def stop_with(self, sig, name):
        """Sends `sig` after the 5th of 400 images: the images done are written as a complete run
        that merge reads, the exit code is 128 + the signal, no temporary file is left."""
        out = os.path.join(WORK, "interrupted_" + name)
        stderr = self.stopped_after_five(sig, "analyze", "--layers", "conv4_3,fc7", "--out", out)
        self.assertIn("INTERRUPTED by", stderr)
        self.assertIn("(partial results written)", stderr)
        s = summary(out)
        self.assertGreaterEqual(s["images_analysed"], 5)
        self.assertLess(s["images_analysed"], 400, "the run was not interrupted")
        self.assertEqual(len(s["images"]), s["images_analysed"])
        self.assertEqual(sorted(os.listdir(out)),
                         ["histograms.csv", "histograms.json", "run.json", "summary.csv", "summary.json"])
        # the partial run is a complete, consistent run directory: merge reads it back
        agg = next(a for a in s["aggregate"] if a["layer"] == "conv4_3" and a["stage"] == "before")
        self.assertEqual(agg["count"], 4 * 4 * s["images_analysed"])  # conv4_3 is 4x4 at 32 px
        merged = os.path.join(WORK, "interrupted_merged_" + name)
        run("merge", out, "--out", merged)
        self.assertEqual(summary(merged)["images_analysed"], s["images_analysed"])

    def test_ctrl_c_writes_partial_results_and_exits_130(self):
        self.stop_with(signal.SIGINT, "sigint")

    def test_sigterm_as_slurm_sends_it_writes_partial_results_and_exits_143(self):
        self.stop_with(signal.SIGTERM, "sigterm")

    def test_sighup_writes_partial_results_and_exits_129(self):
        self.stop_with(signal.SIGHUP, "sighup")

    def stop_fit_gamma_with(self, sig, name):
        """Sends `sig` after the 5th of 400 images of fit-gamma: nothing is written and the exit
        code is 128 + the signal, as for analyze."""
        out = os.path.join(WORK, "fit_interrupted_" + name + ".csv")
        stderr = self.stopped_after_five(sig, "fit-gamma", "--out", out)
        self.assertIn("nothing written", stderr)
        self.assertFalse(any(n.startswith("fit_interrupted_" + name) for n in os.listdir(WORK)), os.listdir(WORK))

    def test_fit_gamma_ctrl_c_writes_nothing_and_exits_130(self):
        self.stop_fit_gamma_with(signal.SIGINT, "sigint")

    def test_fit_gamma_sigterm_writes_nothing_and_exits_143(self):
        self.stop_fit_gamma_with(signal.SIGTERM, "sigterm")

    def test_unreadable_subfolder_is_reported_and_the_rest_analysed(self):
        folder = os.path.join(WORK, "locked")
        os.makedirs(os.path.join(folder, "secret"))
        write(os.path.join(folder, "open.png"), png(40, 30))
        write(os.path.join(folder, "secret", "hidden.png"), png(40, 30))
        os.chmod(os.path.join(folder, "secret"), 0)
        out = os.path.join(WORK, "locked_out")
        os.makedirs(out)
        cmd = [CLI, "analyze", folder, *COMMON, "--out", out]
        if os.geteuid() == 0:
            # root lists any folder whatever its mode: run the CLI as an unprivileged user instead.
            if not shutil.which("setpriv"):
                self.skipTest("running as root without setpriv to drop privileges")
            os.chmod(out, 0o777)
            for d in (WORK, folder):
                os.chmod(d, 0o755)
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        try:
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn(os.path.join(folder, "secret") + ": cannot read directory", p.stderr)
            s = summary(out)
            self.assertEqual([os.path.basename(i["image"]) for i in s["images"]], ["open.png"])
            self.assertEqual(len(s["failures"]), 1)
            self.assertIn("Permission denied", s["failures"][0]["error"])
        finally:
            os.chmod(os.path.join(folder, "secret"), 0o755)

    def test_memory_does_not_grow_with_the_number_of_images(self):
        # 220 photo-sized images (302 to 342 px a side, all different, as in a real folder),
        # analysed at 300 px with every tap: the per-image buffers are as large as in real use,
        # so an allocator that does not reuse them, or records kept per image, grow the peak.
        # One process: its peak RSS after the first 20 images against its peak at the end.
        count, early = 220, 20
        folder = os.path.join(WORK, "flat")
        os.makedirs(folder)
        for k in range(count):
            write(os.path.join(folder, "img%04d.png" % k),
                  png(302 + k % 41, 302 + (7 * k) % 37, rgb=(k % 251, (7 * k) % 253, (13 * k) % 255)))
        # Under AddressSanitizer (make asan) freed blocks wait in a quarantine of up to 256 MB
        # before reuse, which grows the peak with the amount freed: measure without it there.
        env = dict(os.environ)
        if subprocess.run(["ldd", CLI], capture_output=True, text=True).stdout.find("libasan") >= 0:
            env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                                   ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0").lstrip(":")
        out = os.path.join(WORK, "flat_out")
        p = subprocess.Popen([CLI, "analyze", folder, "--size", "300", "--layers", "all", "--threads", "1",
                              "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        peak_early = None
        tail = []
        for line in p.stderr:
            tail = (tail + [line])[-20:]
            if peak_early is None and line.startswith(f"[{early + 1}/{count}]"):
                with open(f"/proc/{p.pid}/status") as f:  # VmHWM: peak RSS so far
                    peak_early = int(next(l for l in f if l.startswith("VmHWM:")).split()[1])
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        self.assertEqual(p.returncode, 0, "".join(tail))
        self.assertIsNotNone(peak_early, "no progress line for image %d" % (early + 1))
        self.assertEqual(summary(out)["images_analysed"], count)
        peak_end = usage.ru_maxrss
        print(f"peak RSS: after {early} images {peak_early / 1024:.1f} MiB, after {count} {peak_end / 1024:.1f} MiB",
              file=sys.stderr)
        self.assertLess(peak_end - peak_early, 8 * 1024, f"peak RSS grew from {peak_early} KiB to {peak_end} KiB")


def main(argv):
    """--only NAME,... runs those cases, --except NAME,... every other one. Cases that need root
    run in their own ctest entry (--only), which exits 77 - ctest's "skipped" - when every case
    that ran was skipped, each skip's reason printed; the main entry runs the rest (--except)."""
    names = unittest.TestLoader().getTestCaseNames(CliReliability)
    if len(argv) == 2 and argv[0] in ("--only", "--except"):
        chosen = set(argv[1].split(","))
        unknown = chosen - set(names)
        if unknown:
            sys.exit(f"unknown test case(s): {sorted(unknown)}")
        names = [n for n in names if (n in chosen) == (argv[0] == "--only")]
    elif argv:
        sys.exit(f"usage: {sys.argv[0]} CLI SAMPLES WORK [--only|--except NAME,...]")
    result = unittest.TextTestRunner(verbosity=2).run(unittest.TestSuite(CliReliability(n) for n in names))
    if not result.wasSuccessful():
        sys.exit(1)
    for case, reason in result.skipped:
        print(f"SKIPPED {case.id()}: {reason}")
    if result.skipped and len(result.skipped) == result.testsRun:
        sys.exit(77)


if __name__ == "__main__":
    main(sys.argv[4:])
