#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reference side of featscale's benchmark: what a user would otherwise script in PyTorch.

  torch_reference.py weights OUT_DIR
      Writes seeded weights for both topologies as torch.save state dicts under featscale's
      canonical names (OUT_DIR/vgg16.pth, OUT_DIR/vgg16_reduced.pth), read by both sides.
  torch_reference.py forward --weights-dir D --image I --sizes 224,300,512 --archs vgg16,vgg16-reduced
                             --repeat N [--threads T]
      PyTorch eager forward pass alone (torch.inference_mode(), NCHW, threads = cores), on the
      image preprocessed as featscale does it. Prints one JSON line per (arch, size) with the
      minimum and median wall time of N timed runs after one warm-up run, and the cold figures:
      loading a fresh model from the weight file, and its first forward pass.
  torch_reference.py folder --weights-dir D --images DIR [--arch A] [--size S] [--threads T]
      Decodes, resizes and forwards every image of DIR (the whole-process comparison with
      featscale-cli analyze; run.sh times both processes from outside).

The networks are torchvision's: vgg16 = torchvision.models.vgg16().features followed by fc6/fc7
evaluated convolutionally (the Linear weights viewed as 4096x512x7x7 and 4096x4096x1x1 and slid
over pool5 with F.conv2d), exactly the work featscale does for the same taps; vgg16-reduced =
the SSD/ParseNet VGG16 as an nn.Sequential with ssd.pytorch's indices (pool3 ceil mode, pool5
3x3/1/1, fc6 3x3 dilation 6 -> 1024, fc7 1x1 -> 1024).
"""
import argparse
import json
import os
import statistics
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

# The one definition of ssd.pytorch's VGG base, shared with the test fixture writers.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'support'))
from ssd_vgg import ssd_vgg  # noqa: E402


def reduced_features():
    """ssd.pytorch's vgg(base['300'], 3): indices 0..34, same as featscale's canonical names."""
    return nn.Sequential(*ssd_vgg(nn.MaxPool2d(3, 1, 1), fc6_padding=6, fc6_dilation=6))


class Reduced(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = reduced_features()

    def forward(self, x):
        return self.features(x)


class Vgg16Conv(nn.Module):
    """torchvision VGG16 features, then fc6/fc7 slid over pool5 as convolutions."""

    def __init__(self):
        super().__init__()
        v = torchvision.models.vgg16(weights=None)
        self.features, self.classifier = v.features, v.classifier

    def forward(self, x):
        p5 = self.features(x)
        if min(p5.shape[2:]) < 7:
            p5 = F.adaptive_avg_pool2d(p5, 7)
        fc6, fc7 = self.classifier[0], self.classifier[3]
        f6 = F.relu(F.conv2d(p5, fc6.weight.view(4096, 512, 7, 7), fc6.bias))
        return F.relu(F.conv2d(f6, fc7.weight.view(4096, 4096, 1, 1), fc7.bias))


def write_weights(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(2024)
    for name, model in (("vgg16.pth", Vgg16Conv()), ("vgg16_reduced.pth", Reduced())):
        for m in model.modules():  # torchvision's initialisation, seeded
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)
        path = os.path.join(out_dir, name)
        torch.save(model.state_dict(), path + ".tmp")
        os.replace(path + ".tmp", path)
        print("wrote", path, flush=True)


def preprocess(image, preset, size):
    """cv2 bilinear resize + preset arithmetic, as featscale's Preprocess does."""
    bgr = cv2.imread(image, cv2.IMREAD_COLOR)
    if bgr is None:
        sys.exit(f"{image}: cannot read image")
    bgr = cv2.resize(bgr, (size, size), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    if preset == "caffe":
        x = bgr - np.array([104, 117, 123], dtype=np.float32)
    else:
        rgb = bgr[:, :, ::-1] / np.float32(255)
        x = (rgb - np.array([0.485, 0.456, 0.406], dtype=np.float32)) / np.array([0.229, 0.224, 0.225],
                                                                                  dtype=np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]


def load_model(weights_dir, arch):
    model = Vgg16Conv() if arch == "vgg16" else Reduced()
    name = "vgg16.pth" if arch == "vgg16" else "vgg16_reduced.pth"
    model.load_state_dict(torch.load(os.path.join(weights_dir, name)))
    return model.eval()


def forward(args):
    threads = args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    with torch.inference_mode():
        for arch in args.archs.split(","):
            for size in [int(s) for s in args.sizes.split(",")]:
                x = preprocess(args.image, "torchvision" if arch == "vgg16" else "caffe", size)
                # cold, as featscale's side: a fresh model from the weight file, then its first pass
                cold_start = time.perf_counter()
                model = load_model(args.weights_dir, arch)
                cold_loaded = time.perf_counter()
                model(x)  # also the warm-up: first-call allocations and oneDNN primitive creation
                cold_first = time.perf_counter()
                wall, cpu = [], []
                for _ in range(args.repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    model(x)
                    wall.append((time.perf_counter() - t0) * 1e3)
                    cpu.append((time.process_time() - c0) * 1e3)
                print(json.dumps({"figure": "torch_eager", "arch": arch, "size": size, "threads": threads,
                                  "min_ms": min(wall), "median_ms": statistics.median(wall), "runs_ms": wall,
                                  "cpu_min_ms": min(cpu), "cold_load_ms": (cold_loaded - cold_start) * 1e3,
                                  "cold_first_ms": (cold_first - cold_loaded) * 1e3, "torch": torch.__version__}), flush=True)


def folder(args):
    """What a user would script to run the network over a folder: decode, resize, normalise and
    forward every image in turn (the forward passes featscale-cli analyze does, without its
    statistics). Timed from outside by bench/run.sh, like the CLI."""
    threads = args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    model = load_model(args.weights_dir, args.arch)
    names = sorted(n for n in os.listdir(args.images) if n.lower().endswith((".jpg", ".jpeg", ".png")))
    with torch.inference_mode():
        for n in names:
            model(preprocess(os.path.join(args.images, n), "torchvision" if args.arch == "vgg16" else "caffe",
                             args.size))
    print(f"{len(names)} images", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("weights")
    w.add_argument("out_dir")
    f = sub.add_parser("forward")
    f.add_argument("--weights-dir", required=True)
    f.add_argument("--image", required=True)
    f.add_argument("--sizes", default="224,300,512")
    f.add_argument("--archs", default="vgg16,vgg16-reduced")
    f.add_argument("--repeat", type=int, default=3)
    f.add_argument("--threads", type=int, default=0)
    d = sub.add_parser("folder")
    d.add_argument("--weights-dir", required=True)
    d.add_argument("--images", required=True)
    d.add_argument("--arch", default="vgg16-reduced")
    d.add_argument("--size", type=int, default=300)
    d.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    if args.cmd == "weights":
        write_weights(args.out_dir)
    elif args.cmd == "folder":
        folder(args)
    else:
        forward(args)


if __name__ == "__main__":
    main()
