#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`featscale-cli weights --download` into a full cache (a tiny tmpfs mounted for the test) and on a
machine without network (a fresh network namespace: even the DNS query cannot leave, so nothing
touches the internet). Both need root (as in CI); otherwise the test reports itself skipped
(exit 77, ctest SKIP_RETURN_CODE).

Usage: cli_download_root_test.py FEATSCALE_CLI FIXTURES_DIR WORK_DIR SUPPORT_DIR
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import unittest

CLI, FIXTURES, WORK, SUPPORT = sys.argv[1:5]
sys.path.insert(0, SUPPORT)
from weights_server import Server  # noqa: E402

if os.geteuid() != 0:
    print("SKIPPED: mounting a tiny tmpfs and entering a network namespace need root")
    sys.exit(77)

with open(os.path.join(FIXTURES, "blob.bin"), "rb") as f:
    BLOB = f.read()
SHA = hashlib.sha256(BLOB).hexdigest()


class FullDisk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        cls.served = os.path.join(WORK, "served")
        os.makedirs(cls.served)
        shutil.copy(os.path.join(FIXTURES, "blob.bin"), cls.served)
        cls.server = Server(cls.served).__enter__()
        cls.mnt = os.path.join(WORK, "tiny")
        os.makedirs(cls.mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", cls.mnt], check=True)

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["umount", "-l", cls.mnt])
        cls.server.__exit__(None, None, None)

    def download(self, entry):
        cat = os.path.join(WORK, "lab.json")
        with open(cat, "w") as f:
            json.dump([entry], f)
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update({"HOME": os.path.join(WORK, "home"), "XDG_CACHE_HOME": os.path.join(WORK, "xdg"),
                    "TORCH_HOME": self.mnt})
        return subprocess.run([CLI, "weights", "--download", entry["name"], "--catalog", cat], env=env,
                              capture_output=True, text=True, timeout=60)

    def test_known_size_is_refused_before_downloading(self):
        p = self.download({"name": "sized", "file": "sized.pth", "url": self.server.url("files/blob.bin"),
                           "sha256": SHA, "size": len(BLOB)})
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("not enough free space", p.stderr)
        self.assertIn(os.path.join(self.mnt, "hub", "checkpoints"), p.stderr)
        self.assertEqual(self.server.ranges("/files/blob.bin"), [])  # nothing was requested
        self.assertEqual(os.listdir(os.path.join(self.mnt, "hub", "checkpoints")), [])

    def test_unknown_size_fails_on_the_full_disk_and_keeps_the_part(self):
        p = self.download({"name": "chunked", "file": "chunked.pth", "url": self.server.url("chunked/blob.bin"),
                           "sha256": SHA})
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("No space left on device", p.stderr)
        self.assertIn("is full", p.stderr)
        folder = os.path.join(self.mnt, "hub", "checkpoints")
        self.assertFalse(os.path.exists(os.path.join(folder, "chunked.pth")))
        part = os.path.join(folder, "chunked.pth.part")
        with open(part, "rb") as f:
            kept = f.read()
        self.assertGreater(len(kept), 0)
        self.assertEqual(kept, BLOB[:len(kept)])  # what was written is a correct prefix (resumable)
        os.unlink(part)


class NoNetwork(unittest.TestCase):
    def test_no_network_names_the_path_for_a_manual_copy(self):
        home = os.path.join(WORK, "nonet")
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update({"HOME": home, "XDG_CACHE_HOME": os.path.join(home, "xdg"), "TORCH_HOME": os.path.join(home, "torch")})
        env.pop("FEATSCALE_WEIGHTS_MIRROR", None)
        p = subprocess.run(["unshare", "--net", CLI, "weights", "--download", "vgg16"], env=env, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("cannot resolve the host name download.pytorch.org", p.stderr)
        self.assertIn("no network", p.stderr)
        target = os.path.join(home, "torch", "hub", "checkpoints", "vgg16-397923af.pth")
        self.assertIn("copy it to\n  " + target, p.stderr)
        self.assertFalse(os.path.exists(target))
        self.assertFalse(os.path.exists(target + ".part"))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
