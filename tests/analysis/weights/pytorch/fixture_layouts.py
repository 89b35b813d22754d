# SPDX-License-Identifier: GPL-3.0-or-later
"""Full-size networks as torchvision, ssd.pytorch and mmdetection define them; the expected
canonical name of each parameter comes from module order (the n-th convolution in forward order)."""
import collections
import os

import torch
import torch.nn as nn

from fixture_common import save_legacy, save_zip, sha
from ssd_vgg import ssd_vgg


VGG_CONVS = ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3',
             'conv4_1', 'conv4_2', 'conv4_3', 'conv5_1', 'conv5_2', 'conv5_3']
CONV_INDEX = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]  # torchvision's features indices


def canonical_names(arch, extras=False):
    """Canonical parameter prefixes in network order (featscale's naming, see canonical.h)."""
    names = ['features.%d' % i for i in CONV_INDEX]
    if arch == 'vgg16':
        return names + ['classifier.0', 'classifier.3', 'classifier.6']
    names += ['features.31', 'features.33']
    if extras:
        names += ['extras.%d' % i for i in range(8)]
    return names


def expected_by_module_order(modules, arch, extras=False, gamma=None):
    """modules: the network's conv/linear modules in forward order."""
    names = canonical_names(arch, extras)
    assert len(modules) == len(names), (len(modules), len(names))
    params = {}
    for prefix, m in zip(names, modules):
        params[prefix + '.weight'] = sha(m.weight)
        params[prefix + '.bias'] = sha(m.bias)
    return {'params': params, 'gamma': sha(gamma) if gamma is not None else None}


def convs_of(module):
    return [m for m in module.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def ssd_pytorch_vgg():
    """ssd.pytorch's base network: VGG16 'D' with ceil-mode pool3, pool5 3x3/1, dilated fc6, fc7."""
    return nn.ModuleList(ssd_vgg(nn.MaxPool2d(3, 1, 1), 6, 6))


def ssd_extras():
    """SSD300's extra layers (conv8_1 ... conv11_2), as ssd.pytorch's add_extras builds them."""
    return nn.ModuleList([nn.Conv2d(1024, 256, 1), nn.Conv2d(256, 512, 3, 2, 1), nn.Conv2d(512, 128, 1),
                          nn.Conv2d(128, 256, 3, 2, 1), nn.Conv2d(256, 128, 1), nn.Conv2d(128, 256, 3),
                          nn.Conv2d(256, 128, 1), nn.Conv2d(128, 256, 3)])


class L2Norm(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.full((512,), 20.0))


def perturbed_gamma(seed):
    g = torch.Generator().manual_seed(seed)
    return 20.0 + 3.0 * torch.randn(512, generator=g)


class SsdPytorch(nn.Module):
    """ssd.pytorch's SSD300 module tree: vgg, L2Norm, extras, loc, conf (21 VOC classes)."""

    def __init__(self):
        super().__init__()
        self.vgg = ssd_pytorch_vgg()
        self.L2Norm = L2Norm()
        self.extras = ssd_extras()
        sources, boxes = [512, 1024, 512, 256, 256, 256], [4, 6, 6, 6, 4, 4]
        self.loc = nn.ModuleList([nn.Conv2d(c, b * 4, 3, padding=1) for c, b in zip(sources, boxes)])
        self.conf = nn.ModuleList([nn.Conv2d(c, b * 21, 3, padding=1) for c, b in zip(sources, boxes)])


class ConvModule(nn.Module):
    """mmcv's ConvModule without norm: the convolution lives at .conv."""

    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding)


class MmdetSsd(nn.Module):
    """mmdetection's SSD300 module tree: SSDVGG backbone (features + fc6/fc7 at 31/33), then either
    SSDNeck (mmdet >= 2.18: l2_norm, extra_layers of ConvModule pairs) or, before, the backbone's
    own l2_norm and extra; bbox_head with per-level conv lists (81 COCO classes)."""

    def __init__(self, new_style):
        super().__init__()
        self.backbone = nn.Module()
        self.backbone.features = nn.Sequential(*ssd_pytorch_vgg())
        if new_style:
            self.neck = nn.Module()
            self.neck.l2_norm = L2Norm()
            self.neck.extra_layers = nn.ModuleList([
                nn.Sequential(ConvModule(1024, 256, 1), ConvModule(256, 512, 3, 2, 1)),
                nn.Sequential(ConvModule(512, 128, 1), ConvModule(128, 256, 3, 2, 1)),
                nn.Sequential(ConvModule(256, 128, 1), ConvModule(128, 256, 3)),
                nn.Sequential(ConvModule(256, 128, 1), ConvModule(128, 256, 3))])
        else:
            self.backbone.l2_norm = L2Norm()
            self.backbone.extra = ssd_extras()
        sources, boxes = [512, 1024, 512, 256, 256, 256], [4, 6, 6, 6, 4, 4]
        self.bbox_head = nn.Module()
        self.bbox_head.cls_convs = nn.ModuleList(
            [nn.Sequential(nn.Conv2d(c, b * 81, 3, padding=1)) for c, b in zip(sources, boxes)])
        self.bbox_head.reg_convs = nn.ModuleList(
            [nn.Sequential(nn.Conv2d(c, b * 4, 3, padding=1)) for c, b in zip(sources, boxes)])

    def trunk(self):
        """Backbone and extra convolutions in forward order (the heads excluded)."""
        mods = convs_of(self.backbone.features)
        mods += convs_of(self.neck.extra_layers) if hasattr(self, 'neck') else convs_of(self.backbone.extra)
        return mods

    def gamma(self):
        return (self.neck.l2_norm if hasattr(self, 'neck') else self.backbone.l2_norm).weight


def randomize(module, seed):
    """Fast deterministic values (PyTorch's default init of 138M parameters is slow)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.05)


def layouts(out):
    import torchvision
    manifest = {'files': {}}
    files = manifest['files']

    # torchvision VGG16 (as vgg16-397923af.pth), fp16 to halve the 528 MB; and the same with the
    # classifier set to NaN, as torchvision ships ssd.pytorch's converted backbone (vgg16_features).
    vgg = torchvision.models.vgg16()
    randomize(vgg, 10)
    vgg = vgg.half()
    sd = vgg.state_dict()
    save_legacy(sd, os.path.join(out, 'tv_vgg16_legacy_fp16.pth'))
    files['tv_vgg16_legacy_fp16.pth'] = expected_by_module_order(convs_of(vgg), 'vgg16')
    nan_sd = collections.OrderedDict(sd)
    for k in nan_sd:
        if k.startswith('classifier.'):
            nan_sd[k] = torch.full_like(nan_sd[k], float('nan'))
    save_zip(nan_sd, os.path.join(out, 'tv_vgg16_features_fp16.pth'))
    expect = {'params': {}, 'gamma': None}
    for index, m in zip(CONV_INDEX, convs_of(vgg.features)):
        expect['params']['features.%d.weight' % index] = sha(m.weight)
        expect['params']['features.%d.bias' % index] = sha(m.bias)
    files['tv_vgg16_features_fp16.pth'] = expect
    del vgg, sd, nan_sd

    # ssd.pytorch: the backbone alone (vgg16_reducedfc.pth, legacy, fp32) and the full SSD300.
    base = ssd_pytorch_vgg()
    randomize(base, 11)
    save_legacy(base.state_dict(), os.path.join(out, 'ssdpt_backbone_legacy.pth'))
    files['ssdpt_backbone_legacy.pth'] = expected_by_module_order(convs_of(base), 'vgg16-reduced')
    # The same backbone as a TorchScript module (fp16 to save space).
    class Backbone(nn.Module):
        def __init__(self, layers):
            super().__init__()
            self.vgg = layers

        def forward(self, x):
            for layer in self.vgg:
                x = layer(x)
            return x
    scripted = Backbone(base).half()
    torch.jit.script(scripted).save(os.path.join(out, 'ssdpt_backbone_script_fp16.pt'))
    files['ssdpt_backbone_script_fp16.pt'] = expected_by_module_order(convs_of(scripted.vgg), 'vgg16-reduced')
    del base, scripted

    ssd = SsdPytorch()
    randomize(ssd, 12)
    with torch.no_grad():
        ssd.L2Norm.weight.copy_(perturbed_gamma(13))
    ssd = ssd.half()
    save_zip(ssd.state_dict(), os.path.join(out, 'ssdpt_ssd300_fp16.pth'))
    files['ssdpt_ssd300_fp16.pth'] = expected_by_module_order(
        convs_of(ssd.vgg) + convs_of(ssd.extras), 'vgg16-reduced', True, ssd.L2Norm.weight)
    # Trained with nn.DataParallel: every key prefixed by "module.", inside a checkpoint dict.
    dp = collections.OrderedDict(('module.' + k, v) for k, v in ssd.state_dict().items())
    save_zip({'model': dp, 'epoch': 120}, os.path.join(out, 'ssdpt_dataparallel_fp16.pth'))
    files['ssdpt_dataparallel_fp16.pth'] = files['ssdpt_ssd300_fp16.pth']
    # The same network under names no rule knows: matched by order and shape.
    renamed = collections.OrderedDict()
    layer_names = VGG_CONVS + ['fc6', 'fc7'] + ['conv%d_%d' % (8 + i // 2, 1 + i % 2) for i in range(8)]
    trunk = convs_of(ssd.vgg) + convs_of(ssd.extras)
    for i, m in enumerate(trunk):
        renamed['net.%s.w' % layer_names[i]] = m.weight
        renamed['net.%s.b' % layer_names[i]] = m.bias
        if layer_names[i] == 'conv4_3':
            renamed['net.conv4_3_L2Norm.gamma'] = ssd.L2Norm.weight
    save_zip(renamed, os.path.join(out, 'by_order_ssd_fp16.pth'))
    files['by_order_ssd_fp16.pth'] = files['ssdpt_ssd300_fp16.pth']
    # Convolutions only, unknown names: the architecture is left to the caller's hint.
    conv_only = collections.OrderedDict()
    for i, m in enumerate(convs_of(ssd.vgg)[:13]):
        conv_only['block%d.w' % i] = m.weight
        conv_only['block%d.b' % i] = m.bias
    save_zip(conv_only, os.path.join(out, 'by_order_convs_fp16.pth'))
    files['by_order_convs_fp16.pth'] = {
        'params': {k: v for k, v in files['ssdpt_ssd300_fp16.pth']['params'].items()
                   if k.startswith('features.') and k.split('.')[1] not in ('31', '33')}, 'gamma': None}
    # The same convolutions with one shape out of order: must fail, naming the position.
    broken = collections.OrderedDict(conv_only)
    broken['block9.w'] = torch.zeros(256, 512, 3, 3, dtype=torch.float16)
    save_zip(broken, os.path.join(out, 'by_order_mismatch_fp16.pth'))
    # featscale's canonical names for a reduced VGG16 with extras and gamma (bfloat16).
    canon = collections.OrderedDict()
    for prefix, m in zip(canonical_names('vgg16-reduced', True), trunk):
        canon[prefix + '.weight'] = m.weight.bfloat16()
        canon[prefix + '.bias'] = m.bias.bfloat16()
    canon['L2Norm.weight'] = ssd.L2Norm.weight.bfloat16()
    save_zip(canon, os.path.join(out, 'canonical_reduced_bf16.pth'))
    files['canonical_reduced_bf16.pth'] = {
        'params': {k: sha(v) for k, v in canon.items() if k != 'L2Norm.weight'},
        'gamma': sha(canon['L2Norm.weight'])}
    del ssd, dp, renamed, conv_only, broken, canon, trunk

    # torchvision ssd300_vgg16 with a non-uniform learned scale_weight (fp32, zip).
    tv = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None)
    randomize(tv, 14)
    with torch.no_grad():
        tv.backbone.scale_weight.copy_(perturbed_gamma(15))
    save_zip(tv.state_dict(), os.path.join(out, 'tv_ssd300.pth'))
    files['tv_ssd300.pth'] = expected_by_module_order(
        convs_of(tv.backbone), 'vgg16-reduced', True, tv.backbone.scale_weight)
    del tv

    # mmdetection SSD300 checkpoints, both generations, fp16, in mmcv's checkpoint dict.
    for new_style, name in ((True, 'mmdet_ssd300_fp16.pth'), (False, 'mmdet_ssd300_old_fp16.pth')):
        m = MmdetSsd(new_style)
        randomize(m, 16 + new_style)
        with torch.no_grad():
            m.gamma().copy_(perturbed_gamma(18 + new_style))
        m = m.half()
        ckpt = {'meta': {'mmdet_version': '2.25.0' if new_style else '2.10.0', 'epoch': 24,
                         'CLASSES': ('person', 'bicycle'), 'config': 'model = dict(type="SingleStageDetector")'},
                'state_dict': m.state_dict(),
                'optimizer': {'state': {}, 'param_groups': [{'lr': 0.002, 'params': [0, 1]}]}}
        save_zip(ckpt, os.path.join(out, name))
        files[name] = expected_by_module_order(m.trunk(), 'vgg16-reduced', True, m.gamma())
        del m, ckpt
    return manifest
