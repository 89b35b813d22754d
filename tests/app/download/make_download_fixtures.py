#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the download tests, written once per build tree (skipped while the stamp matches):
  blob.bin            1.5 MB of seeded random bytes (download-only cases: any bytes with the right hash)
  tiny_reducedfc.pth  a valid ssd.pytorch-style reduced VGG16 backbone (keys 0.weight ... 33.bias),
                      random seeded values, for cases that open what they downloaded
  cert.pem, key.pem   a self-signed certificate for 127.0.0.1 (HTTPS must be refused)

Usage: make_download_fixtures.py OUT_DIR
"""
import hashlib
import os
import subprocess
import sys

import numpy as np

OUT = sys.argv[1]
STAMP_VERSION = "1"
CONVS = [(3, 64), (64, 64), "M", (64, 128), (128, 128), "M", (128, 256), (256, 256), (256, 256), "M",
         (256, 512), (512, 512), (512, 512), "M", (512, 512), (512, 512), (512, 512)]


def write(name, data):
    tmp = os.path.join(OUT, name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, os.path.join(OUT, name))


def reducedfc_state():
    import torch
    rng = np.random.default_rng(20151219)
    sd, idx = {}, 0
    for c in CONVS:  # ssd.pytorch's vgg list: conv, ReLU (, pool) ... indices as in nn.ModuleList
        if c == "M":
            idx += 1
            continue
        cin, cout = c
        sd[f"{idx}.weight"] = torch.from_numpy(rng.standard_normal((cout, cin, 3, 3), dtype=np.float32) * np.float32(np.sqrt(2.0 / (9 * cin))))
        sd[f"{idx}.bias"] = torch.from_numpy(rng.standard_normal(cout, dtype=np.float32) * np.float32(0.01))
        idx += 2
    # pool5 at 30, fc6 (3x3 dilation 6 -> 1024) at 31, ReLU 32, fc7 (1x1 -> 1024) at 33
    sd["31.weight"] = torch.from_numpy(rng.standard_normal((1024, 512, 3, 3), dtype=np.float32) * np.float32(np.sqrt(2.0 / 4608)))
    sd["31.bias"] = torch.zeros(1024)
    sd["33.weight"] = torch.from_numpy(rng.standard_normal((1024, 1024, 1, 1), dtype=np.float32) * np.float32(np.sqrt(2.0 / 1024)))
    sd["33.bias"] = torch.zeros(1024)
    return sd


def main():
    os.makedirs(OUT, exist_ok=True)
    stamp = os.path.join(OUT, "stamp")
    if os.path.exists(stamp) and open(stamp).read() == STAMP_VERSION:
        print("download fixtures up to date")
        return
    rng = np.random.default_rng(12)
    write("blob.bin", rng.integers(0, 256, 1536 * 1024, dtype=np.uint8).tobytes())
    import torch
    tmp = os.path.join(OUT, "tiny_reducedfc.pth.tmp")
    torch.save(reducedfc_state(), tmp)
    os.replace(tmp, os.path.join(OUT, "tiny_reducedfc.pth"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", os.path.join(OUT, "key.pem"),
                    "-out", os.path.join(OUT, "cert.pem")], check=True, capture_output=True)
    with open(stamp, "w") as f:
        f.write(STAMP_VERSION)
    for name in ("blob.bin", "tiny_reducedfc.pth"):
        with open(os.path.join(OUT, name), "rb") as f:
            print(name, hashlib.sha256(f.read()).hexdigest())


if __name__ == "__main__":
    main()
