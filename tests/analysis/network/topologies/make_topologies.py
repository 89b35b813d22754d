#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes one checkpoint per detector family in the layout that defines it, with non-uniform
learned L2Norm gammas, and the reference numbers of each network on a real photo.

The networks are written here from their published definitions, not from featscale's tables:
  vgg16-bn   torchvision.models.vgg16_bn itself, with random BatchNorm statistics and affine
             parameters (a torchvision state dict: features.N.{weight,bias,running_mean,...}).
  ssd512     ssd.pytorch's module tree (vgg, L2Norm, extras, loc, conf) with SSD512's extras as
             weiliu89's ssd_pascal_512.py and mmdetection's SSDVGG(input_size=512) define them:
             four stride-2 stages, then conv12_1 1x1 and conv12_2 4x4 stride 1 pad 1.
  refinedet  luuuyi/RefineDet.PyTorch: vgg() with pool5 2x2/2 and conv6 3x3 pad 3 dilation 3,
             conv4_3_L2Norm (10), conv5_3_L2Norm (8), extras [256, 'S', 512], ARM/ODM/TCB heads.
  s3fd       yxlijun/S3FD.pytorch: pool5 2x2/2, conv6 3x3 pad 3 dilation 3, L2Norm3_3/4_3/5_3
             (10, 8, 5), extras [256, 'S', 512, 128, 'S', 256], loc/conf; saved as
             {'weight': state_dict, 'epoch': N} as its train.py does.
  s3fd-caffe sfzhang15/SFD's deploy.prototxt (fc6: kernel 3, pad 3, no dilation), saved in
             featscale's canonical names (features.N, extras.N, L2Norm.<tap>.weight).
Weights are stored as float16 (half the bytes) and the references use the same rounded values.
L2Norm is ssd.pytorch's: gamma * x / (||x|| + 1e-10), or Caffe's x / sqrt(||x||^2 + 1e-10).

Usage: make_topologies.py OUT_DIR PHOTO
"""
import json
import os
import sys

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'support'))
from ssd_vgg import ssd_vgg  # noqa: E402

torch.set_num_threads(max(1, os.cpu_count() or 1))

VGG_TAPS = ["conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2", "conv3_1", "conv3_2", "conv3_3",
            "pool3", "conv4_1", "conv4_2", "conv4_3", "pool4", "conv5_1", "conv5_2", "conv5_3", "pool5"]


def add_extras(cfg, in_channels=1024):
    """ssd.pytorch's add_extras: alternating 1x1 and 3x3; 'S' makes the next 3x3 stride 2 pad 1."""
    layers, flag = [], False
    for k, v in enumerate(cfg):
        if in_channels != 'S':
            if v == 'S':
                layers.append(nn.Conv2d(in_channels, cfg[k + 1], (1, 3)[flag], stride=2, padding=1))
            else:
                layers.append(nn.Conv2d(in_channels, v, (1, 3)[flag]))
            flag = not flag
        in_channels = v
    return layers


class L2Norm(nn.Module):
    def __init__(self, channels, scale):
        super().__init__()
        self.weight = nn.Parameter(torch.full((channels,), float(scale)))

    def forward(self, x):
        return self.weight[None, :, None, None] * (x / (x.pow(2).sum(1, keepdim=True).sqrt() + 1e-10))


def learned(l2norm, seed):
    """A learned-looking gamma: the init plus structured and random per-channel variation."""
    g = torch.Generator().manual_seed(seed)
    n = l2norm.weight.numel()
    with torch.no_grad():
        l2norm.weight.mul_(1 + 0.4 * torch.sin(torch.arange(n) / 7.0) + 0.1 * torch.randn(n, generator=g))


def heads(channels, per):
    return nn.ModuleList([nn.Conv2d(c, per, 3, padding=1) for c in channels])


class Ssd512(nn.Module):
    """ssd.pytorch's SSD module tree with SSD512's extras."""
    def __init__(self):
        super().__init__()
        self.vgg = nn.ModuleList(ssd_vgg(nn.MaxPool2d(3, 1, 1), 6, 6))
        self.L2Norm = L2Norm(512, 20)
        self.extras = nn.ModuleList(add_extras([256, 'S', 512, 128, 'S', 256, 128, 'S', 256, 128, 'S', 256, 128]) +
                                    [nn.Conv2d(128, 256, 4, padding=1)])
        sources = [512, 1024, 512, 256, 256, 256, 256]
        self.loc = heads(sources, 16)
        self.conf = heads(sources, 8)


class RefineDet(nn.Module):
    """luuuyi/RefineDet.PyTorch's module tree (RefineDet320, VGG16)."""
    def __init__(self):
        super().__init__()
        self.vgg = nn.ModuleList(ssd_vgg(nn.MaxPool2d(2, 2), 3, 3))  # pool5 2x2/2, fc6 dilation 3
        self.conv4_3_L2Norm = L2Norm(512, 10)
        self.conv5_3_L2Norm = L2Norm(512, 8)
        self.extras = nn.ModuleList(add_extras([256, 'S', 512]))
        self.arm_loc = heads([512, 512, 1024, 512], 12)
        self.arm_conf = heads([512, 512, 1024, 512], 6)
        self.odm_loc = heads([256] * 4, 12)
        self.odm_conf = heads([256] * 4, 8)
        self.tcb0 = nn.ModuleList([nn.Conv2d(512, 256, 3, padding=1), nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1)])
        self.tcb1 = nn.ModuleList([nn.ConvTranspose2d(256, 256, 2, 2)])
        self.tcb2 = nn.ModuleList([nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1), nn.ReLU()])


class S3fd(nn.Module):
    """yxlijun/S3FD.pytorch's module tree; dilation=1 gives sfzhang15/SFD's fc6 instead."""
    def __init__(self, dilation=3):
        super().__init__()
        self.vgg = nn.ModuleList(ssd_vgg(nn.MaxPool2d(2, 2), 3, dilation))
        self.L2Norm3_3 = L2Norm(256, 10)
        self.L2Norm4_3 = L2Norm(512, 8)
        self.L2Norm5_3 = L2Norm(512, 5)
        self.extras = nn.ModuleList(add_extras([256, 'S', 512, 128, 'S', 256]))
        self.loc = heads([256, 512, 512, 1024, 512, 256], 4)
        self.conf = heads([256, 512, 512, 1024, 512, 256], 2)


def scale_weights(model, seed):
    """Xavier-like conv weights, scaled so activations neither vanish nor explode over 20 layers."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                m.bias.copy_(0.05 * torch.randn(m.bias.shape, generator=g))


def as_half(state):
    """float16 copies of the float tensors (what is saved), and the float32 values they round to."""
    saved = {k: (v.half() if v.is_floating_point() else v) for k, v in state.items()}
    return saved, {k: (v.float() if v.is_floating_point() else v) for k, v in saved.items()}


def norm_map(t):
    return t[0].pow(2).sum(0).sqrt().contiguous()


def run_vgg(vgg, x, taps):
    """vgg: ssd.pytorch-style ModuleList (conv, relu, ..., pools, fc6, relu, fc7, relu)."""
    out, names = {}, iter(VGG_TAPS + ["fc6", "fc7"])
    for m in vgg:
        x = m(x)
        if isinstance(m, (nn.ReLU, nn.MaxPool2d)):
            out[next(names)] = x
    return out, x


def detector_reference(model, x, extra_taps):
    acts, x = run_vgg(model.vgg, x, VGG_TAPS)
    for i, conv in enumerate(model.extras):
        x = F.relu(conv(x))
        if i % 2 == 1:
            acts[extra_taps[i // 2]] = x
    return acts


def vgg16_bn_reference(model, x):
    acts, names = {}, iter(VGG_TAPS)
    for m in model.features:
        x = m(x)
        if isinstance(m, (nn.ReLU, nn.MaxPool2d)):
            acts[next(names)] = x
    # fc6/fc7: the classifier's Linear layers slid over pool5 (one position at 224 px)
    w6 = model.classifier[0].weight.view(4096, 512, 7, 7)
    acts["fc6"] = F.relu(F.conv2d(x, w6, model.classifier[0].bias))
    w7 = model.classifier[3].weight.view(4096, 4096, 1, 1)
    acts["fc7"] = F.relu(F.conv2d(acts["fc6"], w7, model.classifier[3].bias))
    return acts


def preprocess(photo, preset, size):
    """Each preset's reference pipeline: a torchvision user's (PIL, Resize, ToTensor, Normalize), or
    Caffe's and the PyTorch ports' (cv2 decode, INTER_LINEAR resize, mean subtracted)."""
    if preset == "torchvision":
        from PIL import Image
        import torchvision.transforms as T
        pipeline = T.Compose([T.Resize((size, size)), T.ToTensor(),
                              T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
        return pipeline(Image.open(photo).convert("RGB"))[None].contiguous()
    bgr = cv2.resize(cv2.imread(photo, cv2.IMREAD_COLOR), (size, size), interpolation=cv2.INTER_LINEAR)
    bgr = bgr.astype(np.float32)
    if preset == "caffe":
        x = bgr - np.array([104, 117, 123], np.float32)
    else:  # caffe-rgb
        x = bgr[:, :, ::-1] - np.array([123, 117, 104], np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1), np.float32))[None]


def l2norm_after(act, gamma, eps):
    ss = act.pow(2).sum(1, keepdim=True)
    xhat = act / (ss + 1e-10).sqrt() if eps == "caffe" else act / (ss.sqrt() + 1e-10)
    return gamma[None, :, None, None] * xhat


def main():
    out_dir, photo = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    cases = []

    def write_case(name, file_name, to_save, model_for_ref, arch, layout, preset, eps, size, l2norm, ref_fn,
                   arch_option=None):
        path = os.path.join(out_dir, file_name)
        torch.save(to_save, path)
        x = preprocess(photo, preset, size)
        with torch.no_grad():
            acts = ref_fn(model_for_ref, x)
        case = {"name": name, "weights": path, "arch": arch, "layout": layout, "preset": preset, "eps": eps,
                "size": size, "image": photo, "input": os.path.join(out_dir, name + "_input.f32"),
                "input_shape": list(x.shape[1:]), "taps": {}, "l2norm": {}}
        if arch_option:
            case["arch_option"] = arch_option
        x[0].numpy().astype(np.float32).tofile(case["input"])
        for tap, a in acts.items():
            f = os.path.join(out_dir, "%s_%s.f32" % (name, tap))
            norm_map(a).numpy().astype(np.float32).tofile(f)
            case["taps"][tap] = {"shape": list(a.shape[1:]), "file": f}
        for tap, gamma in l2norm.items():
            after = l2norm_after(acts[tap], gamma, eps)
            f = os.path.join(out_dir, "%s_%s_after.f32" % (name, tap))
            norm_map(after).numpy().astype(np.float32).tofile(f)
            case["l2norm"][tap] = {"gamma": [float(v) for v in gamma], "after": f}
        cases.append(case)

    # vgg16-bn: torchvision's own module, non-trivial BatchNorm.
    bn = torchvision.models.vgg16_bn(weights=None).eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for m in bn.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.running_mean.copy_(0.2 * torch.randn(c, generator=g))
                m.running_var.copy_(0.5 + torch.rand(c, generator=g))
                m.weight.copy_(0.6 + 0.8 * torch.rand(c, generator=g))
                m.bias.copy_(0.1 * torch.randn(c, generator=g))
                m.num_batches_tracked.fill_(1234)
    saved, rounded = as_half(bn.state_dict())
    bn.load_state_dict(rounded)
    write_case("vgg16_bn", "tv_vgg16_bn_fp16.pth", saved, bn, "vgg16-bn", "torchvision-vgg16-bn", "torchvision",
               "caffe", 224, {}, vgg16_bn_reference)

    # SSD512 in ssd.pytorch's layout.
    ssd = Ssd512().eval()
    scale_weights(ssd, 2)
    learned(ssd.L2Norm, 3)
    saved, rounded = as_half(ssd.state_dict())
    ssd.load_state_dict(rounded)
    write_case("ssd512", "ssdpt_ssd512_fp16.pth", saved, ssd, "ssd512", "ssd.pytorch", "caffe", "ssd-pytorch", 320,
               {"conv4_3": ssd.L2Norm.weight.detach()},
               lambda m, x: detector_reference(m, x, ["conv8_2", "conv9_2", "conv10_2", "conv11_2", "conv12_2"]))

    # RefineDet in luuuyi/RefineDet.PyTorch's layout.
    rd = RefineDet().eval()
    scale_weights(rd, 4)
    learned(rd.conv4_3_L2Norm, 5)
    learned(rd.conv5_3_L2Norm, 6)
    saved, rounded = as_half(rd.state_dict())
    rd.load_state_dict(rounded)
    write_case("refinedet", "refinedet_pytorch_fp16.pth", saved, rd, "refinedet", "refinedet.pytorch", "caffe",
               "ssd-pytorch", 320,
               {"conv4_3": rd.conv4_3_L2Norm.weight.detach(), "conv5_3": rd.conv5_3_L2Norm.weight.detach()},
               lambda m, x: detector_reference(m, x, ["conv6_2"]))

    # S3FD in yxlijun/S3FD.pytorch's checkpoint.
    s3 = S3fd(dilation=3).eval()
    scale_weights(s3, 7)
    for i, l in enumerate([s3.L2Norm3_3, s3.L2Norm4_3, s3.L2Norm5_3]):
        learned(l, 8 + i)
    saved, rounded = as_half(s3.state_dict())
    s3.load_state_dict(rounded)
    gammas = {"conv3_3": s3.L2Norm3_3.weight.detach(), "conv4_3": s3.L2Norm4_3.weight.detach(),
              "conv5_3": s3.L2Norm5_3.weight.detach()}
    write_case("s3fd", "s3fd_pytorch_fp16.pth", {"weight": saved, "epoch": 42}, s3, "s3fd", "s3fd.pytorch",
               "caffe-rgb", "ssd-pytorch", 320, gammas, lambda m, x: detector_reference(m, x, ["conv6_2", "conv7_2"]))

    # S3FD as sfzhang15/SFD defines it (fc6 without dilation), in featscale's canonical names.
    caffe = S3fd(dilation=1).eval()
    scale_weights(caffe, 11)
    for i, l in enumerate([caffe.L2Norm3_3, caffe.L2Norm4_3, caffe.L2Norm5_3]):
        learned(l, 12 + i)
    state = {}
    for i, m in enumerate(caffe.vgg):
        if isinstance(m, nn.Conv2d):
            state["features.%d.weight" % i], state["features.%d.bias" % i] = m.weight, m.bias
    for i, m in enumerate(caffe.extras):
        state["extras.%d.weight" % i], state["extras.%d.bias" % i] = m.weight, m.bias
    for tap, l in [("conv3_3", caffe.L2Norm3_3), ("conv4_3", caffe.L2Norm4_3), ("conv5_3", caffe.L2Norm5_3)]:
        state["L2Norm.%s.weight" % tap] = l.weight
    saved, rounded = as_half({k: v.detach() for k, v in state.items()})
    with torch.no_grad():
        for i, m in enumerate(caffe.vgg):
            if isinstance(m, nn.Conv2d):
                m.weight.copy_(rounded["features.%d.weight" % i])
                m.bias.copy_(rounded["features.%d.bias" % i])
        for i, m in enumerate(caffe.extras):
            m.weight.copy_(rounded["extras.%d.weight" % i])
            m.bias.copy_(rounded["extras.%d.bias" % i])
        for tap, l in [("conv3_3", caffe.L2Norm3_3), ("conv4_3", caffe.L2Norm4_3), ("conv5_3", caffe.L2Norm5_3)]:
            l.weight.copy_(rounded["L2Norm.%s.weight" % tap])
    gammas = {"conv3_3": caffe.L2Norm3_3.weight.detach(), "conv4_3": caffe.L2Norm4_3.weight.detach(),
              "conv5_3": caffe.L2Norm5_3.weight.detach()}
    write_case("s3fd_caffe", "s3fd_caffe_canonical_fp16.pth", saved, caffe, "s3fd", "featscale-reduced", "caffe",
               "caffe", 320, gammas, lambda m, x: detector_reference(m, x, ["conv6_2", "conv7_2"]))

    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
