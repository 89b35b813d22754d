#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`featscale-cli weights --available/--download` and `--weights NAME` against a local server on
127.0.0.1 (tests/support/weights_server.py): nothing here touches the internet. Every check compares
with an independent reference — hashlib's digests and the bytes served — and with the requests
(Range headers) the server logged.

Usage: cli_download_test.py FEATSCALE_CLI FIXTURES_DIR WORK_DIR SUPPORT_DIR SAMPLES_DIR
"""
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import unittest
import urllib.request

CLI, FIXTURES, WORK, SUPPORT, SAMPLES = sys.argv[1:6]
sys.path.insert(0, SUPPORT)
from weights_server import Server  # noqa: E402


def read(path):
    with open(path, "rb") as f:
        return f.read()


BLOB = read(os.path.join(FIXTURES, "blob.bin"))
BLOB_SHA = hashlib.sha256(BLOB).hexdigest()
BLOB_MD5 = hashlib.md5(BLOB).hexdigest()


class Env:
    """A fresh home with empty caches for each test; proxies cleared so 127.0.0.1 is reached directly."""

    def __init__(self, name):
        self.root = os.path.join(WORK, name)
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.root)
        self.torch = os.path.join(self.root, "torch")
        self.keras = os.path.join(self.root, "keras")
        self.ckpt = os.path.join(self.torch, "hub", "checkpoints")
        self.vars = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.vars.update({"HOME": os.path.join(self.root, "home"), "TORCH_HOME": self.torch, "KERAS_HOME": self.keras,
                          "XDG_CACHE_HOME": os.path.join(self.root, "xdg"),
                          "FEATSCALE_DOWNLOAD_RETRIES": "3:0.05", "FEATSCALE_DOWNLOAD_LOW_SPEED": "1000:2"})
        self.vars.pop("FEATSCALE_CATALOG", None)
        self.vars.pop("FEATSCALE_WEIGHTS_MIRROR", None)

    def catalog(self, entries, name="lab.json"):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            json.dump(entries, f)
        return path

    def run(self, *args, expect=0, timeout=60, env=None, address_space=None, text=True):
        """address_space: bytes of virtual memory the command may map (RLIMIT_AS)."""
        e = dict(self.vars, **(env or {}))

        def limit():
            if address_space:
                resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        p = subprocess.run([CLI, *args], capture_output=True, text=text, timeout=timeout, env=e, preexec_fn=limit)
        if p.returncode != expect:
            raise AssertionError(f"{args}: exit {p.returncode}, expected {expect}\nstdout:{p.stdout}\nstderr:{p.stderr}")
        return p


def lab_entry(url, name="lab", file="lab-weights.pth", **extra):
    e = {"name": name, "file": file, "url": url, "sha256": BLOB_SHA, "size": len(BLOB)}
    e.update(extra)
    return e


class DownloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)
        cls.served = os.path.join(WORK, "served")
        shutil.rmtree(cls.served, ignore_errors=True)
        os.makedirs(cls.served)
        shutil.copy(os.path.join(FIXTURES, "blob.bin"), cls.served)
        cls.server = Server(cls.served, os.path.join(WORK, "requests.log")).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def assert_nothing_at(self, target):
        self.assertFalse(os.path.exists(target), target)
        self.assertFalse(os.path.exists(target + ".part"), target + ".part")

    # ------------------------------------------------------------------ success paths
    def test_lab_entry_downloads_and_verifies(self):
        env = Env("lab")
        cat = env.catalog([lab_entry(self.server.url("files/blob.bin")),
                           {"name": "lab-h5", "file": "lab.h5", "url": self.server.url("files/blob.bin"),
                            "md5": BLOB_MD5.upper(), "description": "Keras-style lab file"}])
        p = env.run("weights", "--download", "lab", "lab-h5", "--catalog", cat)
        target = os.path.join(env.ckpt, "lab-weights.pth")
        self.assertEqual(read(target), BLOB)
        self.assertIn(BLOB_SHA, p.stdout)        # full sha256 printed so users can pin it
        self.assertIn(BLOB_MD5, p.stdout)        # md5 entries print their md5 too
        self.assertEqual(read(os.path.join(env.keras, "models", "lab.h5")), BLOB)  # .h5 -> Keras cache
        self.assertFalse(os.path.exists(target + ".part"))
        self.assertNotIn("ETA", p.stderr)  # stderr is not a terminal: no progress line
        # --available (lab catalogue from the environment this time) says it is there and verified
        p = env.run("weights", "--available", "--json", env={"FEATSCALE_CATALOG": cat})
        rows = {r["name"]: r for r in json.loads(p.stdout)}
        self.assertEqual(rows["lab"]["state"], "verified")
        self.assertEqual(rows["lab"]["destination"], target)
        self.assertEqual(rows["lab"]["sha256"], BLOB_SHA)
        self.assertTrue(rows["lab"]["lab"])
        # a second run fetches nothing
        before = len(self.server.requests)
        p = env.run("weights", "--download", "lab", "--catalog", cat)
        self.assertIn("already there", p.stdout)
        self.assertEqual(len(self.server.requests), before)

    def test_available_lists_builtin_entries_and_destinations(self):
        env = Env("available")
        rows = {r["name"]: r for r in json.loads(env.run("weights", "--available", "--json").stdout)}
        self.assertEqual(sorted(rows), sorted(["vgg16", "vgg16-bn", "vgg16-ssd-features", "ssd300-coco", "keras-vgg16",
                                               "keras-vgg16-notop"]))
        self.assertEqual(rows["vgg16"]["destination"], os.path.join(env.ckpt, "vgg16-397923af.pth"))
        self.assertEqual(rows["vgg16"]["url"], "https://download.pytorch.org/models/vgg16-397923af.pth")
        self.assertEqual(rows["vgg16"]["check"],
                         {"sha256": "397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0"})
        self.assertEqual(rows["ssd300-coco"]["check"],
                         {"sha256": "b556d3b43ab6c3f63d81bfb8835fe8756ac22da664357da100dccf96b6a6b42d"})
        for name in ("vgg16-bn", "vgg16-ssd-features"):  # no full digest is published for these
            self.assertIsNone(rows[name]["check"])
            self.assertFalse(rows[name]["verifiable"])
        self.assertTrue(rows["vgg16"]["verifiable"])
        text = env.run("weights", "--available").stdout
        self.assertIn("not verifiable: no published full digest", text)
        self.assertNotIn("begins", text)
        self.assertEqual(rows["keras-vgg16-notop"]["size_bytes"], 58889256)
        self.assertEqual(rows["keras-vgg16"]["check"], {"md5": "64373286793e3c8b2b4e3219cbf3544b"})
        self.assertEqual(rows["keras-vgg16"]["destination"],
                         os.path.join(env.keras, "models", "vgg16_weights_tf_dim_ordering_tf_kernels.h5"))
        self.assertIn("vgg16-bn topology", rows["vgg16-bn"]["description"])
        self.assertNotIn("unsupported", rows["vgg16-bn"])
        self.assertIn("NaN", rows["vgg16-ssd-features"]["description"])
        for r in rows.values():
            self.assertEqual(r["state"], "missing")
            self.assertTrue(r["attribution"])
        # XDG_CACHE_HOME decides when TORCH_HOME is unset; --to overrides both
        env.vars.pop("TORCH_HOME")
        rows = {r["name"]: r for r in json.loads(env.run("weights", "--available", "--json").stdout)}
        self.assertEqual(rows["vgg16"]["destination"], os.path.join(env.vars["XDG_CACHE_HOME"], "torch", "hub",
                                                                  "checkpoints", "vgg16-397923af.pth"))
        to = os.path.join(env.root, "elsewhere")
        rows = {r["name"]: r for r in json.loads(env.run("weights", "--available", "--json", "--to", to).stdout)}
        self.assertEqual(rows["ssd300-coco"]["destination"], os.path.join(to, "ssd300_vgg16_coco-b556d3b4.pth"))

    def test_proxy_from_the_environment_is_used(self):
        env = Env("proxy")
        # lab.invalid never resolves: the request can only arrive through the proxy (this server)
        cat = env.catalog([lab_entry("http://lab.invalid/files/blob.bin")])
        env.run("weights", "--download", "lab", "--catalog", cat,
                env={"http_proxy": "http://127.0.0.1:%d" % self.server.port})
        self.assertEqual(self.server.ranges("http://lab.invalid/files/blob.bin"), [None])
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)

    def test_redirect_chain_is_followed_and_bounded(self):
        env = Env("redirect")
        cat = env.catalog([lab_entry(self.server.url("redirect/3/files/blob.bin")),
                           lab_entry(self.server.url("redirect/20/files/blob.bin"), name="loop", file="loop.pth")])
        p = env.run("weights", "--download", "lab", "--catalog", cat, "--quiet")
        self.assertEqual(p.stderr, "")  # --quiet: no URL line, no notes
        self.assertIn(BLOB_SHA, p.stdout)
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)
        self.assertEqual(len(self.server.ranges("/redirect/3/")) + len(self.server.ranges("/redirect/2/")) +
                         len(self.server.ranges("/redirect/1/")), 3)
        p = env.run("weights", "--download", "loop", "--catalog", cat, expect=3)
        self.assertIn("too many redirects", p.stderr)
        self.assert_nothing_at(os.path.join(env.ckpt, "loop.pth"))

    # ------------------------------------------------------------------ resume
    def test_dropped_connection_resumes_with_range(self):
        env = Env("drop")
        cat = env.catalog([lab_entry(self.server.url("drop/300000/1/blob.bin"))])
        p = env.run("weights", "--download", "lab", "--catalog", cat)
        self.assertEqual(self.server.ranges("/drop/300000/1/"), [None, "bytes=300000-"])
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)
        self.assertIn(BLOB_SHA, p.stdout)

    def test_later_run_resumes_the_part_on_disk(self):
        env = Env("resume")
        os.makedirs(env.ckpt)
        with open(os.path.join(env.ckpt, "lab-weights.pth.part"), "wb") as f:
            f.write(BLOB[:123457])
        cat = env.catalog([lab_entry(self.server.url("files/blob.bin?resume"))])
        env.run("weights", "--download", "lab", "--catalog", cat)
        self.assertEqual(self.server.ranges("/files/blob.bin?resume"), ["bytes=123457-"])
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)

    def test_server_ignoring_range_restarts_from_zero(self):
        env = Env("norange")
        cat = env.catalog([lab_entry(self.server.url("drop-norange/400000/1/blob.bin"))])
        p = env.run("weights", "--download", "lab", "--catalog", cat)
        log = [r for r in self.server.requests if r["path"].startswith("/drop-norange/400000/1/")]
        self.assertEqual([r["range"] for r in log], [None, "bytes=400000-"])
        self.assertEqual([r["status"] for r in log], [200, 200])  # the retry got the whole file again
        self.assertIn("ignored the Range", p.stderr)
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)  # not 400000 bytes twice

    # ------------------------------------------------------------------ refusals
    def test_builtin_entries_through_a_mirror_serving_wrong_bytes_are_refused(self):
        env = Env("mirror")
        for name in ("vgg16-397923af.pth", "ssd300_vgg16_coco-b556d3b4.pth",
                     "vgg16_weights_tf_dim_ordering_tf_kernels.h5"):
            shutil.copy(os.path.join(self.served, "blob.bin"), os.path.join(self.served, name))
        mirror = {"FEATSCALE_WEIGHTS_MIRROR": self.server.url("files")}
        # vgg16: the catalogue knows its exact size; the server's announces another -> refused before the body
        p = env.run("weights", "--download", "vgg16", env=mirror, expect=3)
        self.assertIn("553433881", p.stderr)
        self.assertIn(str(len(BLOB)), p.stderr)
        self.assertEqual(self.server.ranges("/files/vgg16-397923af.pth"), [None])  # it was the mirror that was asked
        self.assert_nothing_at(os.path.join(env.ckpt, "vgg16-397923af.pth"))
        # ssd300-coco: size not pinned, so the whole file is fetched and the sha256 refuses it
        p = env.run("weights", "--download", "ssd300-coco", "--mirror", self.server.url("files") + "/", expect=3)
        self.assertIn(BLOB_SHA, p.stderr)
        self.assertIn("b556d3b43ab6c3f63d81bfb8835fe8756ac22da664357da100dccf96b6a6b42d", p.stderr)
        self.assert_nothing_at(os.path.join(env.ckpt, "ssd300_vgg16_coco-b556d3b4.pth"))
        # keras-vgg16: md5 expected vs actual
        p = env.run("weights", "--download", "keras-vgg16", env=mirror, expect=3)
        self.assertIn(BLOB_MD5, p.stderr)
        self.assertIn("64373286793e3c8b2b4e3219cbf3544b", p.stderr)
        self.assert_nothing_at(os.path.join(env.keras, "models", "vgg16_weights_tf_dim_ordering_tf_kernels.h5"))

    def test_entries_without_a_full_digest_are_never_taken_from_a_mirror(self):
        env = Env("nomirror")
        for name in ("vgg16_bn-6c64b313.pth", "vgg16_features-amdegroot-88682ab5.pth"):
            # bytes whose sha256 begins with nothing in particular: a forged file would be served the same way
            shutil.copy(os.path.join(self.served, "blob.bin"), os.path.join(self.served, name))
        for name, file in (("vgg16-bn", "vgg16_bn-6c64b313.pth"),
                           ("vgg16-ssd-features", "vgg16_features-amdegroot-88682ab5.pth")):
            before = len(self.server.requests)
            p = env.run("weights", "--download", name, env={"FEATSCALE_WEIGHTS_MIRROR": self.server.url("files")},
                        expect=3)
            self.assertIn("no published full digest", p.stderr)
            self.assertIn("never from a mirror", p.stderr)
            self.assertEqual(len(self.server.requests), before)  # the mirror was not asked
            self.assert_nothing_at(os.path.join(env.ckpt, file))

    def test_lab_hash_mismatch_deletes_the_part(self):
        env = Env("labmismatch")
        bad = "0" * 64
        entry = dict(lab_entry(self.server.url("files/blob.bin")), sha256=bad)
        del entry["size"]  # no size: the hash alone decides, after the whole file is fetched
        cat = env.catalog([entry])
        p = env.run("weights", "--download", "lab", "--catalog", cat, expect=3)
        self.assertIn(bad, p.stderr)
        self.assertIn(BLOB_SHA, p.stderr)
        self.assert_nothing_at(os.path.join(env.ckpt, "lab-weights.pth"))

    def test_http_404_and_500(self):
        env = Env("status")
        cat = env.catalog([lab_entry(self.server.url("status/404/blob.bin"), name="missing"),
                           lab_entry(self.server.url("status/500/blob.bin"), name="broken")])
        target = os.path.join(env.ckpt, "lab-weights.pth")
        p = env.run("weights", "--download", "missing", "--catalog", cat, expect=3)
        self.assertIn("HTTP 404", p.stderr)
        self.assertIn("/status/404/blob.bin", p.stderr)
        self.assert_nothing_at(target)
        p = env.run("weights", "--download", "broken", "--catalog", cat, expect=3)
        self.assertIn("HTTP 500", p.stderr)
        self.assertEqual(len(self.server.ranges("/status/500/")), 1)  # a 500 is not retried
        self.assert_nothing_at(target)

    def test_refused_connection_names_the_manual_path(self):
        env = Env("refused")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        cat = env.catalog([lab_entry(f"http://127.0.0.1:{port}/blob.bin")])
        p = env.run("weights", "--download", "lab", "--catalog", cat, expect=3)
        self.assertIn("cannot connect", p.stderr)
        self.assertIn(os.path.join(env.ckpt, "lab-weights.pth"), p.stderr)  # where to copy the file by hand
        self.assert_nothing_at(os.path.join(env.ckpt, "lab-weights.pth"))

    def test_stalled_server_times_out(self):
        env = Env("stall")
        # a few hundred bytes, then silence: curl averages the rate over ~5 s, so a larger burst would
        # keep the measured rate above the limit for seconds
        cat = env.catalog([lab_entry(self.server.url("stall/600/blob.bin"))])
        start = time.monotonic()
        p = env.run("weights", "--download", "lab", "--catalog", cat, expect=3,
                    env={"FEATSCALE_DOWNLOAD_LOW_SPEED": "1000:1", "FEATSCALE_DOWNLOAD_RETRIES": "1:0.05"})
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, 10)
        self.assertIn("stalled", p.stderr)
        # the retry asked for the rest (and got 5000 more bytes before the next stall); the bytes stay
        self.assertEqual(self.server.ranges("/stall/600/"), [None, "bytes=600-"])
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth.part")), BLOB[:1200])
        self.assertIn("1200 bytes kept", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(env.ckpt, "lab-weights.pth")))

    def test_ctrl_c_keeps_only_the_part_and_the_next_run_resumes(self):
        env = Env("sigint")
        cat = env.catalog([lab_entry(self.server.url("slow/150000/blob.bin"))])
        part = os.path.join(env.ckpt, "lab-weights.pth.part")
        proc = subprocess.Popen([CLI, "weights", "--download", "lab", "--catalog", cat], env=env.vars,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not os.path.exists(part) or os.path.getsize(part) < 50000):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("interrupted", err)
        kept = os.path.getsize(part)
        self.assertGreater(kept, 0)
        self.assertLess(kept, len(BLOB))
        self.assertEqual(read(part), BLOB[:kept])
        self.assertFalse(os.path.exists(os.path.join(env.ckpt, "lab-weights.pth")))
        # the same entry through a mirror: resumed from the kept bytes
        shutil.copy(os.path.join(self.served, "blob.bin"), os.path.join(self.served, "lab-weights.pth"))
        env.run("weights", "--download", "lab", "--catalog", cat, "--mirror", self.server.url("files"))
        self.assertEqual(self.server.ranges("/files/lab-weights.pth"), [f"bytes={kept}-"])
        self.assertEqual(read(os.path.join(env.ckpt, "lab-weights.pth")), BLOB)

    def test_progress_is_drawn_on_a_terminal(self):
        import pty
        env = Env("tty")
        cat = env.catalog([lab_entry(self.server.url("slow/1500000/blob.bin"))])  # about a second
        master, slave = pty.openpty()
        proc = subprocess.Popen([CLI, "weights", "--download", "lab", "--catalog", cat], env=env.vars,
                                stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        os.close(master)
        out, _ = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0)
        self.assertIn(BLOB_SHA, out.decode())
        lines = [l for l in seen.split(b"\r") if b"ETA" in l]
        self.assertGreater(len(lines), 1, seen)  # redrawn in place
        self.assertIn(b"lab-weights.pth", lines[0])
        self.assertIn(b"/ 1.5 MB", lines[0])   # of the total announced by the server
        self.assertIn(b"%", lines[0])

    def test_https_with_a_self_signed_certificate_is_refused(self):
        env = Env("tls")
        cert, key = os.path.join(FIXTURES, "cert.pem"), os.path.join(FIXTURES, "key.pem")
        with Server(self.served, tls=(cert, key)) as tls:
            # control: the server works for a client that trusts its certificate
            ctx = ssl.create_default_context(cafile=cert)
            with urllib.request.urlopen(tls.url("files/blob.bin"), context=ctx) as r:
                self.assertEqual(r.read(), BLOB)
            cat = env.catalog([lab_entry(tls.url("files/blob.bin"))])
            p = env.run("weights", "--download", "lab", "--catalog", cat, expect=3)
        self.assertIn("certificate", p.stderr)
        self.assertIn("never downloads without verifying", p.stderr)
        self.assert_nothing_at(os.path.join(env.ckpt, "lab-weights.pth"))

    def test_malformed_lab_catalogue_names_the_entry(self):
        # every kind of malformed entry: tests/analysis/weights/download_test.cpp (LabCatalog); here the command's exit and message
        env = Env("malformed")
        good = lab_entry(self.server.url("files/blob.bin?malformed"))
        cat = env.catalog([good, dict(good, name="short", sha256=BLOB_SHA[:8])])  # a prefix is not a digest
        p = env.run("weights", "--download", "lab", "--catalog", cat, expect=3)
        for needle in (cat, "entry 2", "short", "full digest"):
            self.assertIn(needle, p.stderr)
        self.assertEqual(self.server.ranges("/files/blob.bin?malformed"), [])  # nothing fetched from a broken catalogue
        # the variable applies to the analysing commands too (when --weights names an entry)
        p = env.run("analyze", os.path.join(SAMPLES, "coffee.jpg"), "--weights", "lab", "--out",
                    os.path.join(env.root, "out"), env={"FEATSCALE_CATALOG": cat}, expect=3)
        self.assertIn("lab catalogue " + cat, p.stderr)

    def test_read_only_cache_is_reported(self):
        env = Env("readonly")
        os.makedirs(env.torch)
        root = os.geteuid() == 0
        if root:  # root ignores permissions: a read-only file system it is
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", env.torch], check=True)
        else:
            os.chmod(env.torch, 0o555)
        try:
            cat = env.catalog([lab_entry(self.server.url("files/blob.bin"))])
            p = env.run("weights", "--download", "lab", "--catalog", cat, expect=3)
            self.assertIn("Read-only file system" if root else "Permission denied", p.stderr)
            self.assertIn("not writable", p.stderr)
            self.assertIn(env.ckpt, p.stderr)
            self.assertIn("--to DIR", p.stderr)
            self.assertFalse(os.path.exists(env.ckpt))
            to = os.path.join(env.root, "writable")
            env.run("weights", "--download", "lab", "--catalog", cat, "--to", to)
            self.assertEqual(read(os.path.join(to, "lab-weights.pth")), BLOB)
        finally:
            if root:
                subprocess.run(["umount", "-l", env.torch])
            else:
                os.chmod(env.torch, 0o755)

    # ------------------------------------------------------------------ --weights NAME, discovery
    def test_weights_name_resolves_to_the_cached_file(self):
        env = Env("byname")
        shutil.copy(os.path.join(FIXTURES, "tiny_reducedfc.pth"), os.path.join(self.served, "tiny.pth"))
        tiny_sha = hashlib.sha256(read(os.path.join(FIXTURES, "tiny_reducedfc.pth"))).hexdigest()
        cat = env.catalog([{"name": "tiny", "file": "tiny-reducedfc.pth", "url": self.server.url("files/tiny.pth"),
                            "sha256": tiny_sha}])
        out = os.path.join(env.root, "out")
        common = ["--size", "64", "--layers", "conv4_3,fc7", "--threads", "1", "--quiet", "--out", out]
        coffee = os.path.join(SAMPLES, "coffee.jpg")
        p = env.run("analyze", coffee, "--weights", "tiny", "--catalog", cat, *common, expect=3)
        self.assertIn("not downloaded yet", p.stderr)
        self.assertIn("featscale-cli weights --download tiny --catalog " + cat, p.stderr)
        p = env.run("analyze", coffee, "--weights", "vgg16-bn", *common, expect=3)
        self.assertIn("not downloaded yet", p.stderr)  # featscale builds vgg16-bn: only the file is missing
        env.run("weights", "--download", "tiny", "--catalog", cat)
        env.run("analyze", coffee, "--weights", "tiny", "--catalog", cat, *common)
        with open(os.path.join(out, "run.json")) as f:
            run = json.load(f)
        self.assertEqual(run["weights"]["path"], os.path.join(env.ckpt, "tiny-reducedfc.pth"))
        self.assertEqual(run["weights"]["sha256"], tiny_sha)
        self.assertFalse(run["weights"]["untrained"])
        # a file at the entry's path that is not the published one is refused by name
        with open(os.path.join(env.ckpt, "tiny-reducedfc.pth"), "r+b") as f:
            f.seek(1000)
            f.write(b"tampered")
        p = env.run("analyze", coffee, "--weights", "tiny", "--catalog", cat, *common, expect=3)
        self.assertIn("is not the published 'tiny' file", p.stderr)

    def test_list_checks_the_hash_a_name_promises(self):
        env = Env("list")
        os.makedirs(env.ckpt)
        with open(os.path.join(env.ckpt, "vgg16-397923af.pth"), "wb") as f:
            f.write(b"not vgg16")  # merely named like torchvision's file
        # a torch.hub-style name whose 8 hex digits do begin the file's sha256: 32 bits prove nothing
        prefixed = "vgg16-" + BLOB_SHA[:8] + ".pth"
        shutil.copy(os.path.join(FIXTURES, "blob.bin"), os.path.join(env.ckpt, prefixed))
        found = {os.path.basename(w["path"]): w for w in json.loads(env.run("weights", "--list", "--json").stdout)["found"]}
        fake = found["vgg16-397923af.pth"]
        self.assertFalse(fake["verified"])
        self.assertIn("NOT the published file", fake["kind"])
        self.assertEqual(fake["actual"], hashlib.sha256(b"not vgg16").hexdigest())
        self.assertFalse(found[prefixed]["verified"])
        self.assertIn("not verifiable: no published full digest", found[prefixed]["kind"])
        text = env.run("weights", "--list").stdout
        self.assertIn("not verifiable: no published full digest", text)
        # the digests are remembered (path, size, mtime): a rewrite with other bytes is seen
        with open(os.path.join(env.ckpt, "vgg16-397923af.pth"), "wb") as f:
            f.write(BLOB)
        found = {os.path.basename(w["path"]): w for w in json.loads(env.run("weights", "--list", "--json").stdout)["found"]}
        self.assertEqual(found["vgg16-397923af.pth"]["actual"], BLOB_SHA)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[6:])
