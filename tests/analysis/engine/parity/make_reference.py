#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes seeded torchvision VGG16 weights (both topologies) as TorchScript archives, and
torchvision's per-layer channel-L2-norm maps on real photos as reference numbers.

The networks that produce the references are torchvision's own modules:
  vgg16          torchvision.models.vgg16 (features; fc6/fc7 = classifier Linear layers, applied
                 convolutionally by sliding the 7x7x512 window over pool5 with F.conv2d)
  vgg16-reduced  torchvision.models.detection.ssd300_vgg16's backbone: backbone.features
                 (conv1_1 .. relu4_3) and backbone.extra[0] (pool4 .. relu7), plus the L2Norm it
                 applies to conv4_3 (scale_weight * F.normalize).
Preprocessing is each preset's reference pipeline: for `torchvision`, a torchvision user's
(PIL decode -> transforms.Resize -> ToTensor -> Normalize); for `caffe`, Caffe SSD's and
ssd.pytorch's (cv2 decode, cv2.resize INTER_LINEAR, BGR minus mean). Sizes are featscale's specs:
"300" is Resize((300, 300)), "short:256" is Resize(256). One case enlarges a photo shrunk to
160 px first (saved as PNG), so both directions of the resize are compared.

Usage: make_reference.py OUT_DIR SAMPLE_IMAGE...
"""
import json
import os
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F
import torchvision

torch.set_num_threads(max(1, os.cpu_count() or 1))

VGG_TAPS = ["conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2", "conv3_1", "conv3_2", "conv3_3",
            "pool3", "conv4_1", "conv4_2", "conv4_3", "pool4", "conv5_1", "conv5_2", "conv5_3", "pool5"]


def tap_positions(features):
    """Maps torchvision features indices to Caffe tap names (outputs of ReLUs and pools)."""
    names, out, it = {}, iter(VGG_TAPS), None
    for i, m in enumerate(features):
        if isinstance(m, (torch.nn.ReLU, torch.nn.MaxPool2d)):
            names[i] = next(out)
    return names


def torchvision_size(size):
    """featscale's size spec as the argument a torchvision user gives transforms.Resize."""
    size = str(size)
    return int(size[len("short:"):]) if size.startswith("short:") else (int(size), int(size))


def preprocess(path, preset, size):
    if preset == "torchvision":
        from PIL import Image
        import torchvision.transforms as T
        pipeline = T.Compose([T.Resize(torchvision_size(size)), T.ToTensor(),
                              T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
        return pipeline(Image.open(path).convert("RGB"))[None]
    size = int(size)
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    bgr = cv2.resize(bgr, (size, size), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    x = bgr - np.array([104, 117, 123], dtype=np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]


def enlarged_input(out_dir, photo):
    """A photo shrunk to 160 px wide (PNG, lossless), for cases where featscale must enlarge."""
    from PIL import Image
    img = Image.open(photo).convert("RGB")
    small = img.resize((160, round(160 * img.size[1] / img.size[0])), Image.BILINEAR)
    path = os.path.join(out_dir, "small_" + os.path.splitext(os.path.basename(photo))[0] + ".png")
    small.save(path)
    return path


def norm_map(t):
    return t[0].square().sum(0).sqrt().numpy().astype(np.float32)


class Canonical(torch.nn.Module):
    """Holds parameters under featscale's canonical names so the TorchScript file is read as-is."""

    def __init__(self, params):
        super().__init__()
        for name, value in params.items():
            mod = self
            parts = name.split(".")
            for p in parts[:-2]:
                if not hasattr(mod, p):
                    mod.add_module(p, torch.nn.Module())
                mod = getattr(mod, p)
            idx = parts[-2]
            if not hasattr(mod, idx):
                mod.add_module(idx, torch.nn.Module())
            getattr(mod, idx).register_parameter(parts[-1], torch.nn.Parameter(value.detach().clone()))

    def forward(self, x):
        return x


def vgg16_reference(model, x):
    out = {}
    names = tap_positions(model.features)
    h = x
    for i, m in enumerate(model.features):
        h = m(h)
        if i in names:
            out[names[i]] = h
    fc6 = model.classifier[0]
    fc7 = model.classifier[3]
    p5 = h if min(h.shape[2:]) >= 7 else F.adaptive_avg_pool2d(h, 7)
    if p5.shape[2] == 7 and p5.shape[3] == 7:
        # exactly torchvision's classifier path
        flat = torch.flatten(model.avgpool(p5), 1)
        f6 = model.classifier[1](fc6(flat))
        f7 = model.classifier[4](fc7(f6))
        out["fc6"], out["fc7"] = f6[:, :, None, None], f7[:, :, None, None]
    else:
        f6 = F.relu(F.conv2d(p5, fc6.weight.view(4096, 512, 7, 7), fc6.bias))
        f7 = F.relu(F.conv2d(f6, fc7.weight.view(4096, 4096, 1, 1), fc7.bias))
        out["fc6"], out["fc7"] = f6, f7
    return out


def reduced_reference(backbone, x):
    out = {}
    names = tap_positions(backbone.features)  # conv1_1 .. conv4_3
    h = x
    for i, m in enumerate(backbone.features):
        h = m(h)
        if i in names:
            out[names[i]] = h
    conv4_3 = h
    out["conv4_3_l2norm"] = backbone.scale_weight.view(1, -1, 1, 1) * F.normalize(conv4_3)
    rest = ["pool4", "conv5_1", "conv5_2", "conv5_3", "pool5", "fc6", "fc7"]
    seq = backbone.extra[0]
    ri = iter(rest)
    for m in seq:
        if isinstance(m, torch.nn.Sequential):  # the fc block: pool5, fc6, relu, fc7, relu
            for mm in m:
                h = mm(h)
                if isinstance(mm, (torch.nn.ReLU, torch.nn.MaxPool2d)):
                    out[next(ri)] = h
        else:
            h = m(h)
            if isinstance(m, (torch.nn.ReLU, torch.nn.MaxPool2d)):
                out[next(ri)] = h
    return out


def reduced_canonical(backbone):
    """ssd300_vgg16 backbone -> featscale canonical names (ssd.pytorch indices)."""
    convs = [m for m in backbone.features if isinstance(m, torch.nn.Conv2d)]
    for m in backbone.extra[0]:
        if isinstance(m, torch.nn.Conv2d):
            convs.append(m)
        elif isinstance(m, torch.nn.Sequential):
            convs += [mm for mm in m if isinstance(mm, torch.nn.Conv2d)]
    idx = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33]
    assert len(convs) == len(idx)
    params = {}
    for i, c in zip(idx, convs):
        params[f"features.{i}.weight"] = c.weight
        params[f"features.{i}.bias"] = c.bias
    return params


def main():
    out_dir, images = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    manifest = {"cases": []}
    with torch.inference_mode():
        torch.manual_seed(1234)
        vgg = torchvision.models.vgg16(weights=None).eval()
        ts = os.path.join(out_dir, "vgg16_seed1234.pt")
        torch.jit.save(torch.jit.script(Canonical(dict(vgg.state_dict()))), ts)

        torch.manual_seed(4321)
        ssd = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None).eval()
        backbone = ssd.backbone
        with torch.no_grad():
            backbone.scale_weight.copy_(torch.linspace(5.0, 30.0, 512))  # non-uniform learned gamma
        params = reduced_canonical(backbone)
        params["L2Norm.weight"] = backbone.scale_weight
        ts_red = os.path.join(out_dir, "vgg16_reduced_seed4321.pt")
        torch.jit.save(torch.jit.script(Canonical(params)), ts_red)

        small = enlarged_input(out_dir, images[-1])
        cases = [("vgg16", ts, "torchvision", "224", images), ("vgg16", ts, "torchvision", "300", images),
                 ("vgg16", ts, "torchvision", "short:256", images),
                 ("vgg16", ts, "torchvision", "300", [small]), ("vgg16", ts, "torchvision", "short:256", [small]),
                 ("vgg16-reduced", ts_red, "caffe", "300", images)]
        for arch, weights, preset, size, inputs in cases:
            for img in inputs:
                x = preprocess(img, preset, size)
                refs = vgg16_reference(vgg, x) if arch == "vgg16" else reduced_reference(backbone, x)
                case = {"arch": arch, "weights": weights, "preset": preset, "size": size, "image": img, "layers": {}}
                stem = f"{arch}_{size.replace(':', '')}_{os.path.splitext(os.path.basename(img))[0]}"
                for name, t in refs.items():
                    m = norm_map(t)
                    f = os.path.join(out_dir, f"{stem}_{name}.f32")
                    m.tofile(f)
                    case["layers"][name] = {"file": f, "height": int(m.shape[0]), "width": int(m.shape[1])}
                manifest["cases"].append(case)
                print("reference", stem, len(refs), "maps", flush=True)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
