#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile servers, caches and lab catalogues against `featscale-cli weights`, with a local server on
127.0.0.1 (tests/support/weights_server.py): bodies without end (chunked, gzip), a stale .part a
server will not resume, a .part that is a symbolic link or a FIFO, SIGTERM mid-download, a status
line that is not HTTP, giant response headers, catalogue files that are FIFOs, deeply nested, huge
or full of control bytes. Each command runs under an address-space cap and a time limit.

Usage: cli_download_hostile_test.py FEATSCALE_CLI FIXTURES_DIR WORK_DIR SUPPORT_DIR SAMPLES_DIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_download_test import BLOB, BLOB_SHA, CLI, FIXTURES, WORK, Env, lab_entry, read  # noqa: E402
from weights_server import Server  # noqa: E402

GIB = 1 << 30
# featscale-cli maps LibTorch, OpenCV and Qt-free libraries at start: a few hundred MB of address
# space. 3 GiB leaves room for a real download and none for a runaway parse.
CAP = 3 * GIB


class HostileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)
        cls.served = os.path.join(WORK, "served-hostile")
        shutil.rmtree(cls.served, ignore_errors=True)
        os.makedirs(cls.served)
        shutil.copy(os.path.join(FIXTURES, "blob.bin"), cls.served)
        cls.server = Server(cls.served).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def run_cli(self, home, *args, **kw):
        kw.setdefault("address_space", CAP)
        kw.setdefault("timeout", 60)
        return home.run(*args, **kw)

    def assert_nothing_at(self, target):
        self.assertFalse(os.path.lexists(target), target)
        self.assertFalse(os.path.lexists(target + ".part"), target + ".part")

    # ------------------------------------------------------------------ byte caps
    def test_endless_bodies_stop_at_the_cap_and_the_part_is_removed(self):
        env = Env("endless")
        cap = {"FEATSCALE_DOWNLOAD_MAX_BYTES": "1000000"}
        entries = []
        for kind in ("endless", "endless-gzip"):
            e = lab_entry(self.server.url(f"{kind}/blob.bin"), name=kind, file=f"{kind}.pth")
            del e["size"]  # no exact size: the documented cap decides
            entries.append(e)
        cat = env.catalog(entries)
        for kind in ("endless", "endless-gzip"):
            p = self.run_cli(env, "weights", "--download", kind, "--catalog", cat, env=cap, expect=3)
            self.assertIn("stopped at the maximum of 1000000 bytes", p.stderr)
            self.assertIn(".part was removed", p.stderr)
            self.assert_nothing_at(os.path.join(env.ckpt, f"{kind}.pth"))
        # a built-in entry with only an approximate size (ssd300-coco) through a mirror: the same cap
        p = self.run_cli(env, "weights", "--download", "ssd300-coco", "--mirror", self.server.url("endless"), env=cap,
                         expect=3)
        self.assertIn("stopped at the maximum of 1000000 bytes", p.stderr)
        self.assert_nothing_at(os.path.join(env.ckpt, "ssd300_vgg16_coco-b556d3b4.pth"))

    def test_stale_part_refused_by_the_server_is_named_and_removed(self):
        env = Env("badrange")
        os.makedirs(env.ckpt)
        part = os.path.join(env.ckpt, "lab-weights.pth.part")
        with open(part, "wb") as f:
            f.write(b"s" * 1000)
        cat = env.catalog([lab_entry(self.server.url("badrange/blob.bin"))])
        p = self.run_cli(env, "weights", "--download", "lab", "--catalog", cat, expect=3)
        self.assertIn(part, p.stderr)
        self.assertIn("was removed", p.stderr)
        self.assertFalse(os.path.lexists(part))
        # the next run starts from zero and succeeds
        self.run_cli(env, "weights", "--download", "lab", "--catalog", cat)
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)

    # ------------------------------------------------------------------ the .part and the target
    def test_symlinked_part_is_never_written_through(self):
        env = Env("symlink")
        os.makedirs(env.ckpt)
        outside = os.path.join(env.root, "outside.txt")
        with open(outside, "wb") as f:
            f.write(b"precious")
        part = os.path.join(env.ckpt, "lab-weights.pth.part")
        os.symlink(outside, part)
        target = os.path.join(env.ckpt, "lab-weights.pth")
        cat = env.catalog([lab_entry(self.server.url("files/blob.bin"))])
        p = self.run_cli(env, "weights", "--download", "lab", "--catalog", cat)
        self.assertEqual(read(outside), b"precious")  # the link's target is untouched
        self.assertFalse(os.path.islink(target))
        self.assertTrue(os.path.isfile(target))
        self.assertEqual(read(target), BLOB)
        self.assertIn("symbolic link", p.stderr)
        self.assertFalse(os.path.lexists(part))
        # a link at the target itself is replaced by the file, not followed
        os.remove(target)
        os.symlink(outside, target)
        self.run_cli(env, "weights", "--download", "lab", "--catalog", cat)
        self.assertFalse(os.path.islink(target))
        self.assertEqual(read(target), BLOB)
        self.assertEqual(read(outside), b"precious")

    def test_fifo_part_is_refused_without_blocking(self):
        env = Env("fifo")
        os.makedirs(env.ckpt)
        part = os.path.join(env.ckpt, "lab-weights.pth.part")
        os.mkfifo(part)
        cat = env.catalog([lab_entry(self.server.url("files/blob.bin"))])
        start = time.monotonic()
        p = self.run_cli(env, "weights", "--download", "lab", "--catalog", cat, expect=3, timeout=30)
        self.assertLess(time.monotonic() - start, 20)
        self.assertIn("FIFO", p.stderr)
        self.assertIn(part, p.stderr)
        self.assertFalse(os.path.exists(os.path.join(env.ckpt, "lab-weights.pth")))

    def test_sigterm_ends_a_download_promptly(self):
        env = Env("sigterm")
        cat = env.catalog([lab_entry(self.server.url("slow/100000/blob.bin"))])
        part = os.path.join(env.ckpt, "lab-weights.pth.part")
        proc = subprocess.Popen([CLI, "weights", "--download", "lab", "--catalog", cat], env=env.vars,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not os.path.exists(part) or os.path.getsize(part) < 20000):
            time.sleep(0.05)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        self.assertLess(time.monotonic() - sent, 5)
        self.assertEqual(proc.returncode, 143, err)  # 128 + SIGTERM, as a shell reports it
        self.assertIn("interrupted", err)
        self.assertFalse(os.path.exists(os.path.join(env.ckpt, "lab-weights.pth")))

    # ------------------------------------------------------------------ messages that name the cause
    def test_garbage_status_line_is_not_called_a_refused_redirect(self):
        env = Env("statusline")
        cat = env.catalog([lab_entry(self.server.url("status-line/abc"))])
        p = self.run_cli(env, "weights", "--download", "lab", "--catalog", cat, expect=3)
        self.assertNotIn("refused to follow", p.stderr)
        self.assertIn("did not answer with valid HTTP", p.stderr)

    def test_verification_failure_of_a_complete_part_names_the_url(self):
        env = Env("completepart")
        os.makedirs(env.ckpt)
        with open(os.path.join(env.ckpt, "lab-weights.pth.part"), "wb") as f:
            f.write(b"w" * len(BLOB))  # all the bytes, the wrong ones: nothing is fetched
        url = self.server.url("files/blob.bin?complete")
        cat = env.catalog([lab_entry(url)])
        p = self.run_cli(env, "weights", "--download", "lab", "--catalog", cat, expect=3)
        self.assertIn("from " + url + " failed verification", p.stderr)
        self.assertNotIn("from  failed", p.stderr)
        self.assert_nothing_at(os.path.join(env.ckpt, "lab-weights.pth"))

    def test_giant_response_headers_are_named(self):
        env = Env("bigheader")
        for path in ("big-header/10000000", "big-header/1000000/line"):
            cat = env.catalog([lab_entry(self.server.url(path))])
            p = self.run_cli(env, "weights", "--download", "lab", "--catalog", cat, expect=3)
            self.assertIn("response header too large", p.stderr, path)
            self.assertNotIn("Out of memory", p.stderr.replace("response header too large", ""), path)
            self.assert_nothing_at(os.path.join(env.ckpt, "lab-weights.pth"))

    # ------------------------------------------------------------------ lab catalogues
    def test_size_out_of_range_names_the_catalogue_and_entry(self):
        env = Env("bigsize")
        cat = os.path.join(env.root, "lab.json")
        with open(cat, "w") as f:
            f.write('[{"name": "ok", "file": "ok.pth", "url": "http://x/ok", "sha256": "%s"},\n'
                    ' {"name": "huge", "file": "h.pth", "url": "http://x/h", "sha256": "%s", "size": 1e400}]'
                    % (BLOB_SHA, BLOB_SHA))
        p = self.run_cli(env, "weights", "--available", "--catalog", cat, expect=3)
        for needle in (cat, "entry 2", '"huge"', "out of range"):
            self.assertIn(needle, p.stderr)
        self.assertNotIn("unexpected error", p.stderr)

    def test_control_bytes_from_a_catalogue_never_reach_the_terminal(self):
        env = Env("controls")
        evil = "red \x1b[31m bell \x07 return \r one \x01 end"
        cat = env.catalog([lab_entry(self.server.url("files/blob.bin"), description=evil,
                                     file="evil\x1b]0;title\x07.pth")])
        p = self.run_cli(env, "weights", "--available", "--catalog", cat, text=False)
        for byte in (b"\x1b", b"\x07", b"\r", b"\x01"):
            self.assertNotIn(byte, p.stdout)
        self.assertIn(b"red \\x1b[31m bell \\x07 return \\x0d one \\x01 end", p.stdout)
        # file names found by --list are escaped the same way
        os.makedirs(env.ckpt)
        with open(os.path.join(env.ckpt, "vgg16-\x1b[2J\x07.pth"), "wb") as f:
            f.write(b"x")
        p = self.run_cli(env, "weights", "--list", text=False)
        for byte in (b"\x1b", b"\x07", b"\r", b"\x01"):
            self.assertNotIn(byte, p.stdout)
        self.assertIn(b"vgg16-\\x1b[2J\\x07.pth", p.stdout)

    def test_catalogue_that_is_a_fifo_does_not_block(self):
        env = Env("catfifo")
        fifo = os.path.join(env.root, "lab.json")
        os.mkfifo(fifo)
        start = time.monotonic()
        p = self.run_cli(env, "weights", "--available", "--catalog", fifo, expect=3, timeout=30)
        self.assertLess(time.monotonic() - start, 20)
        self.assertIn("not a regular file", p.stderr)
        self.assertIn(fifo, p.stderr)

    def test_deep_nesting_and_oversized_catalogues_are_refused_within_bounds(self):
        env = Env("nesting")
        deep = os.path.join(env.root, "deep.json")
        with open(deep, "w") as f:
            f.write("[" * (20 << 20))  # 20 MB of '[': under the size cap, far over the depth cap
        p = self.run_cli(env, "weights", "--available", "--catalog", deep, expect=3, timeout=60)
        self.assertIn("nested deeper than", p.stderr)
        self.assertIn(deep, p.stderr)
        big = os.path.join(env.root, "big.json")
        with open(big, "w") as f:
            f.write("[" * (80 << 20))  # 80 MB: refused before it is read
        p = self.run_cli(env, "weights", "--available", "--catalog", big, expect=3, timeout=60)
        self.assertIn("over the limit of", p.stderr)

    def test_a_catalogue_of_400000_entries_loads_in_linear_time(self):
        env = Env("many")
        n = 400000
        path = os.path.join(env.root, "many.json")
        with open(path, "w") as f:
            f.write("[")
            for i in range(n):
                f.write('%s{"name":"e%d","file":"f%d.pth","url":"http://x/%d","sha256":"%s"}'
                        % ("," if i else "", i, i, i, BLOB_SHA))
            f.write("]")
        # the last entry, by name: every entry parsed and checked for a duplicate name
        p = self.run_cli(env, "weights", "e%d" % (n - 1), "--catalog", path, expect=3, timeout=120)
        self.assertIn("'e%d' is not downloaded yet" % (n - 1), p.stderr)
        with open(path, "r+b") as f:  # a duplicate at the very end is still found
            f.seek(-1, os.SEEK_END)
            f.write(b',{"name":"e0","file":"g.pth","url":"http://x/g","sha256":"%s"}]' % BLOB_SHA.encode())
        p = self.run_cli(env, "weights", "e1", "--catalog", path, expect=3, timeout=120)
        self.assertIn("entry %d" % (n + 1), p.stderr)
        self.assertIn("used twice", p.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[6:])
