#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the detector checkpoint fixtures (several L2Norm layers, each with its learned gamma) with
Debian's python3 (torch, numpy, h5py), and the reference the C++ tests check them against.

    make_fixtures.py OUTDIR

Every file holds a full-size network as its project defines it (module names, nesting, checkpoint
wrapper, detection heads), with seeded weights and NON-UNIFORM learned gammas:
  fa_s3fd.pth                 1adrianb/face-alignment's S3FD (named layers, conv*_norm.weight)
  fa_s3fd_extra_keys.pth      the same with keys no layout knows (a fork's landmark head)
  fa_s3fd_truncated.pth       the same cut short
  lufficc_ssd300.pth          lufficc/SSD checkpoint {'model', 'optimizer', 'scheduler', 'iteration'}
  lufficc_ssd512.pth          the same with SSD512's ten extra layers
  mmdet_ssd512_old.pth        mmdetection < 2.18 SSD512 ({'meta', 'state_dict', 'optimizer'})
  keras_ssd300.h5             pierluigiferrari/ssd_keras SSD300 (conv4_3_norm/conv4_3_norm_gamma:0)
  keras_gamma_wrong.h5        a conv4_3_norm gamma of 256 values
  caffe_ssd512.caffemodel     weiliu89's SSD512 (conv4_3_norm, conv6_1 ... conv10_2)
  caffe_refinedet320.caffemodel  sfzhang15's RefineDet320 (conv4_3_norm, conv5_3_norm; TCB and heads)
  caffe_s3fd.caffemodel       sfzhang15's SFD (conv3_3_norm, conv4_3_norm, conv5_3_norm)
  caffe_norms_noextras.caffemodel  reduced VGG16 and Normalize layers on conv4_3 and conv5_3 (named
                              L2Norm_a, L2Norm_b), no extras: RefineDet or S3FD, the file cannot tell
  caffe_s3fd_truncated.caffemodel, caffe_norm_channels.caffemodel, caffe_norm_twice.caffemodel: broken

OUTDIR/manifest.json, per file: the network's convolutions in forward order (the n-th convolution of
the backbone and extras, heads excluded) as [sha256(weight), sha256(bias)] of their float32 bytes,
derived from module order here rather than from key names; the learned gamma of every normalized
layer (values); the keys or layers the loader must report as not used. The run is skipped when
OUTDIR/stamp holds this script's hash.
"""
import collections
import hashlib
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'support'))
from protobuf_wire import field_bytes, field_str, varint  # noqa: E402

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) == 2 else sys.exit(__doc__)

VGG = [(3, 64), (64, 64), 'M', (64, 128), (128, 128), 'M', (128, 256), (256, 256), (256, 256), 'C',
       (256, 512), (512, 512), (512, 512), 'M', (512, 512), (512, 512), (512, 512)]
VGG_NAMES = ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv4_1', 'conv4_2',
             'conv4_3', 'conv5_1', 'conv5_2', 'conv5_3']
# (in, out, kernel, stride, padding) of each family's extra layers, in forward order.
EXTRAS = {
    'ssd300': [(1024, 256, 1, 1, 0), (256, 512, 3, 2, 1), (512, 128, 1, 1, 0), (128, 256, 3, 2, 1),
               (256, 128, 1, 1, 0), (128, 256, 3, 1, 0), (256, 128, 1, 1, 0), (128, 256, 3, 1, 0)],
    'ssd512': [(1024, 256, 1, 1, 0), (256, 512, 3, 2, 1), (512, 128, 1, 1, 0), (128, 256, 3, 2, 1),
               (256, 128, 1, 1, 0), (128, 256, 3, 2, 1), (256, 128, 1, 1, 0), (128, 256, 3, 2, 1),
               (256, 128, 1, 1, 0), (128, 256, 4, 1, 1)],
    'refinedet': [(1024, 256, 1, 1, 0), (256, 512, 3, 2, 1)],
    's3fd': [(1024, 256, 1, 1, 0), (256, 512, 3, 2, 1), (512, 128, 1, 1, 0), (128, 256, 3, 2, 1)],
}
# Caffe's names of the extra layers (SSD, RefineDet and SFD prototxts all start at conv6_1).
CAFFE_EXTRAS = ['conv6_1', 'conv6_2', 'conv7_1', 'conv7_2', 'conv8_1', 'conv8_2', 'conv9_1', 'conv9_2',
                'conv10_1', 'conv10_2']
MANIFEST = {}


def sha(t):
    a = t.detach().to(torch.float32).contiguous().numpy() if torch.is_tensor(t) else np.ascontiguousarray(t, '<f4')
    return hashlib.sha256(a.astype('<f4').tobytes()).hexdigest()


def path(name):
    return os.path.join(OUT, name)


def expect(name, convs, gammas, format_, layout, family, arch, preset, eps, unused=()):
    """convs: (weight, bias) pairs of the backbone and extras in forward order; gammas: {tap: tensor}."""
    MANIFEST[name] = {
        'format': format_, 'layout': layout, 'family': family, 'arch': arch, 'preset': preset, 'eps': eps,
        'convs': [[sha(w), sha(b)] for w, b in convs],
        'gammas': {k: [float(x) for x in torch.as_tensor(v).to(torch.float32).tolist()] for k, v in gammas.items()},
        'unused': list(unused)}


# ------------------------------------------------------------------------------- seeded values
def he_conv(cin, cout, k, stride=1, padding=0, dilation=1, gen=None):
    """A convolution with He-scaled weights and small biases, so activations neither vanish nor
    explode through 13+ layers (the analyze test compares statistics on a real photo)."""
    c = nn.Conv2d(cin, cout, k, stride, padding, dilation)
    with torch.no_grad():
        c.weight.copy_(torch.randn(c.weight.shape, generator=gen) * (2.0 / (cin * k * k)) ** 0.5)
        c.bias.copy_(torch.randn(cout, generator=gen) * 0.05)
    return c


def learned_gamma(channels, init, gen):
    """A gamma far from its constant init and different in every channel."""
    return (init * (1.0 + 0.4 * torch.randn(channels, generator=gen))).abs() + 0.1


def vgg_layers(gen, pool5, fc6_dilation):
    """The reduced VGG16 as ssd.pytorch / lufficc / mmdetection index it (conv, ReLU, pools)."""
    layers = []
    for v in VGG:
        if v in ('M', 'C'):
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=v == 'C'))
        else:
            layers += [he_conv(v[0], v[1], 3, 1, 1, gen=gen), nn.ReLU(inplace=True)]
    layers += [pool5, he_conv(512, 1024, 3, 1, fc6_dilation, fc6_dilation, gen=gen), nn.ReLU(inplace=True),
               he_conv(1024, 1024, 1, gen=gen), nn.ReLU(inplace=True)]
    return layers


def extras(kind, gen):
    return [he_conv(i, o, k, s, p, gen=gen) for i, o, k, s, p in EXTRAS[kind]]


def pairs(modules):
    return [(m.weight, m.bias) for m in modules if isinstance(m, nn.Conv2d)]


class L2Norm(nn.Module):
    def __init__(self, gamma):
        super().__init__()
        self.weight = nn.Parameter(gamma.clone())


def heads(sources, boxes, classes, gen):
    return (nn.ModuleList([he_conv(c, b * classes, 3, 1, 1, gen=gen) for c, b in zip(sources, boxes)]),
            nn.ModuleList([he_conv(c, b * 4, 3, 1, 1, gen=gen) for c, b in zip(sources, boxes)]))


# ------------------------------------------------------------------------------- PyTorch layouts
class FaceAlignmentS3fd(nn.Module):
    """face_alignment/detection/sfd/net_s3fd.py: every layer a named attribute, L2Norm modules
    conv3_3_norm / conv4_3_norm / conv5_3_norm, then the twelve mbox heads."""

    def __init__(self, gen):
        super().__init__()
        convs = [he_conv(i, o, 3, 1, 1, gen=gen) for v in VGG if v not in ('M', 'C') for i, o in [v]]
        for name, c in zip(VGG_NAMES, convs):
            setattr(self, name, c)
        self.fc6 = he_conv(512, 1024, 3, 1, 3, gen=gen)
        self.fc7 = he_conv(1024, 1024, 1, gen=gen)
        for name, c in zip(CAFFE_EXTRAS, extras('s3fd', gen)):
            setattr(self, name, c)
        self.conv3_3_norm = L2Norm(learned_gamma(256, 10, gen))
        self.conv4_3_norm = L2Norm(learned_gamma(512, 8, gen))
        self.conv5_3_norm = L2Norm(learned_gamma(512, 5, gen))
        for src, c, conf in (('conv3_3_norm', 256, 4), ('conv4_3_norm', 512, 2), ('conv5_3_norm', 512, 2),
                             ('fc7', 1024, 2), ('conv6_2', 512, 2), ('conv7_2', 256, 2)):
            setattr(self, src + '_mbox_conf', he_conv(c, conf, 3, 1, 1, gen=gen))
            setattr(self, src + '_mbox_loc', he_conv(c, 4, 3, 1, 1, gen=gen))

    def trunk(self):
        return [getattr(self, n) for n in VGG_NAMES + ['fc6', 'fc7'] + CAFFE_EXTRAS[:4]]

    def gammas(self):
        return {t: getattr(self, t + '_norm').weight for t in ('conv3_3', 'conv4_3', 'conv5_3')}


class LufficcSsd(nn.Module):
    """lufficc/SSD's SSDDetector: backbone (VGG: vgg, extras, l2_norm) and box_head.predictor."""

    def __init__(self, size, gen):
        super().__init__()
        self.backbone = nn.Module()
        self.backbone.vgg = nn.ModuleList(vgg_layers(gen, nn.MaxPool2d(3, 1, 1), 6))
        self.backbone.extras = nn.ModuleList(extras('ssd%d' % size, gen))
        self.backbone.l2_norm = L2Norm(learned_gamma(512, 20, gen))
        sources = [512, 1024, 512, 256, 256, 256] + ([256] if size == 512 else [])
        boxes = [4, 6, 6, 6, 4, 4] + ([4] if size == 512 else [])
        self.box_head = nn.Module()
        self.box_head.predictor = nn.Module()
        cls, reg = heads(sources, boxes, 21, gen)
        self.box_head.predictor.cls_headers = cls
        self.box_head.predictor.reg_headers = reg

    def trunk(self):
        return list(self.backbone.vgg) + list(self.backbone.extras)


class MmdetOldSsd(nn.Module):
    """mmdetection < 2.18: SSDVGG holds features (mmcv VGG + pool5/fc6/fc7 at 30..34), extra and
    l2_norm; SSDHead holds cls_convs / reg_convs."""

    def __init__(self, size, gen):
        super().__init__()
        self.backbone = nn.Module()
        self.backbone.features = nn.Sequential(*vgg_layers(gen, nn.MaxPool2d(3, 1, 1), 6))
        self.backbone.extra = nn.Sequential(*extras('ssd%d' % size, gen))
        self.backbone.l2_norm = L2Norm(learned_gamma(512, 20, gen))
        sources = [512, 1024, 512, 256, 256, 256, 256][:7 if size == 512 else 6]
        self.bbox_head = nn.Module()
        cls, reg = heads(sources, [4, 6, 6, 6, 6, 4, 4][:len(sources)], 81, gen)
        self.bbox_head.cls_convs = cls
        self.bbox_head.reg_convs = reg

    def trunk(self):
        return list(self.backbone.features) + list(self.backbone.extra)


def half_state(module):
    """fp16 copies (halves the files); the expectations are taken from these very values."""
    return collections.OrderedDict((k, v.detach().half()) for k, v in module.state_dict().items())


def write_pytorch():
    gen = torch.Generator().manual_seed(15)
    fa = FaceAlignmentS3fd(gen)
    sd = half_state(fa)
    torch.save(sd, path('fa_s3fd.pth'))
    order = [(sd[n + '.weight'], sd[n + '.bias']) for n in VGG_NAMES + ['fc6', 'fc7'] + CAFFE_EXTRAS[:4]]
    gammas = {t: sd[t + '_norm.weight'] for t in ('conv3_3', 'conv4_3', 'conv5_3')}
    heads_ = [k for k in sd if '_mbox_' in k]
    expect('fa_s3fd.pth', order, gammas, 'pytorch-zip', 'face-alignment-s3fd', 'face-alignment', 's3fd', 'caffe',
           'ssd-pytorch')
    MANIFEST['fa_s3fd.pth']['ignored'] = heads_
    extra = collections.OrderedDict(sd)
    extra['landmark_head.0.weight'] = torch.zeros(68, 512, 1, 1, dtype=torch.float16)
    extra['landmark_head.0.bias'] = torch.zeros(68, dtype=torch.float16)
    torch.save(extra, path('fa_s3fd_extra_keys.pth'))
    expect('fa_s3fd_extra_keys.pth', order, gammas, 'pytorch-zip', 'face-alignment-s3fd', 'face-alignment', 's3fd',
           'caffe', 'ssd-pytorch', unused=['landmark_head.0.weight', 'landmark_head.0.bias'])
    data = open(path('fa_s3fd.pth'), 'rb').read()
    with open(path('fa_s3fd_truncated.pth'), 'wb') as f:
        f.write(data[:len(data) * 3 // 5])
    del fa, sd, extra, data

    for size in (300, 512):
        m = LufficcSsd(size, gen)
        sd = half_state(m)
        name = 'lufficc_ssd%d.pth' % size
        torch.save({'model': sd, 'optimizer': {'state': {}, 'param_groups': [{'lr': 1e-3, 'params': [0, 1]}]},
                    'scheduler': {'milestones': {80000: 1}, 'last_epoch': 120000}, 'iteration': 120000},
                   path(name))
        order = [(sd['backbone.vgg.%d.weight' % i], sd['backbone.vgg.%d.bias' % i])
                 for i, mod in enumerate(m.backbone.vgg) if isinstance(mod, nn.Conv2d)]
        order += [(sd['backbone.extras.%d.weight' % i], sd['backbone.extras.%d.bias' % i])
                  for i in range(len(m.backbone.extras))]
        expect(name, order, {'conv4_3': sd['backbone.l2_norm.weight']}, 'pytorch-zip', 'lufficc-ssd', 'lufficc-ssd',
               'vgg16-reduced' if size == 300 else 'ssd512', 'caffe-rgb', 'ssd-pytorch')
        MANIFEST[name]['ignored'] = [k for k in sd if k.startswith('box_head.')]
        del m, sd

    m = MmdetOldSsd(512, gen)
    sd = half_state(m)
    torch.save({'meta': {'mmdet_version': '2.10.0', 'epoch': 24, 'CLASSES': ('person', 'car')},
                'state_dict': sd, 'optimizer': {'state': {}, 'param_groups': []}}, path('mmdet_ssd512_old.pth'))
    order = [(sd['backbone.features.%d.weight' % i], sd['backbone.features.%d.bias' % i])
             for i, mod in enumerate(m.backbone.features) if isinstance(mod, nn.Conv2d)]
    order += [(sd['backbone.extra.%d.weight' % i], sd['backbone.extra.%d.bias' % i]) for i in range(10)]
    expect('mmdet_ssd512_old.pth', order, {'conv4_3': sd['backbone.l2_norm.weight']}, 'pytorch-zip', 'mmdet-ssd',
           'mmdet', 'ssd512', 'caffe-rgb', 'ssd-pytorch')
    MANIFEST['mmdet_ssd512_old.pth']['ignored'] = [k for k in sd if k.startswith('bbox_head.')]
    del m, sd


# ------------------------------------------------------------------------------- Keras (ssd_keras)
def write_keras():
    import h5py
    gen = torch.Generator().manual_seed(16)
    convs = [he_conv(i, o, 3, 1, 1, gen=gen) for v in VGG if v not in ('M', 'C') for i, o in [v]]
    convs += [he_conv(512, 1024, 3, 1, 6, 6, gen=gen), he_conv(1024, 1024, 1, gen=gen)] + extras('ssd300', gen)
    names = VGG_NAMES + ['fc6', 'fc7'] + CAFFE_EXTRAS[:8]
    gamma = learned_gamma(512, 20, gen)
    heads_ = [('conv4_3_norm_mbox_conf', 512, 84), ('fc7_mbox_conf', 1024, 126), ('conv9_2_mbox_loc', 256, 16)]

    def write(name, gamma_values):
        tmp = path(name + '.tmp')
        with h5py.File(tmp, 'w') as f:
            layer_names = ['input_1'] + names[:10] + ['conv4_3_norm'] + names[10:] + [h for h, _, _ in heads_]
            f.attrs['layer_names'] = np.array([n.encode() for n in layer_names])
            f.attrs['keras_version'] = b'2.1.6'
            f.attrs['backend'] = b'tensorflow'
            f.create_group('input_1').attrs['weight_names'] = np.array([], dtype='S1')
            for n, c in zip(names, convs):  # Keras 2: <layer>/<layer>/kernel:0, HWIO
                g = f.create_group(n)
                g.attrs['weight_names'] = np.array([(n + '/kernel:0').encode(), (n + '/bias:0').encode()])
                g.create_dataset(n + '/kernel:0', data=c.weight.detach().permute(2, 3, 1, 0).numpy())
                g.create_dataset(n + '/bias:0', data=c.bias.detach().numpy())
            g = f.create_group('conv4_3_norm')
            g.attrs['weight_names'] = np.array([b'conv4_3_norm_gamma:0'])
            g.create_dataset('conv4_3_norm_gamma:0', data=gamma_values)
            for n, cin, cout in heads_:
                g = f.create_group(n)
                g.create_dataset(n + '/kernel:0', data=np.zeros((3, 3, cin, cout), np.float32))
                g.create_dataset(n + '/bias:0', data=np.zeros(cout, np.float32))
        os.replace(tmp, path(name))

    write('keras_ssd300.h5', gamma.numpy())
    expect('keras_ssd300.h5', pairs(convs), {'conv4_3': gamma}, 'keras-h5', 'keras', 'keras', 'vgg16-reduced',
           'caffe', 'tf')
    MANIFEST['keras_ssd300.h5']['ignored'] = [h for h, _, _ in heads_]
    # A gamma of 256 values for conv4_3 (512 channels); the normalized layers are read first.
    with h5py.File(path('keras_gamma_wrong.h5'), 'w') as f:
        f.create_dataset('conv4_3_norm/conv4_3_norm_gamma:0', data=np.ones(256, np.float32))


# ------------------------------------------------------------------------------- Caffe
def blob(t):
    a = np.ascontiguousarray(t.detach().to(torch.float32).numpy() if torch.is_tensor(t) else t, '<f4')
    return field_bytes(7, b''.join(varint(1 << 3) + varint(d) for d in a.shape)) + field_bytes(5, a.tobytes())


def layer(name, type_, blobs=(), bottom=None, top=None):
    """A V2 LayerParameter: name 1, type 2, bottom 3, top 4, blobs 7."""
    msg = field_str(1, name) + field_str(2, type_)
    if bottom:
        msg += field_str(3, bottom)
    msg += field_str(4, top or name)
    for b in blobs:
        msg += field_bytes(7, blob(b))
    return field_bytes(100, msg)


def caffe_net(title, kind, gen, norms, tail=b'', norm_names=None, norms_first=()):
    """Returns (bytes, conv pairs, gammas). norms: {tap: (channels, init)}; each Normalize layer follows
    its tap (as in the prototxts) unless listed in norms_first, which are written before conv1_1."""
    convs = [he_conv(i, o, 3, 1, 1, gen=gen) for v in VGG if v not in ('M', 'C') for i, o in [v]]
    dil = 6 if kind.startswith('ssd') else 3
    convs += [he_conv(512, 1024, 3, 1, dil, dil, gen=gen), he_conv(1024, 1024, 1, gen=gen)]
    convs += extras(kind, gen) if kind in EXTRAS else []
    names = VGG_NAMES + ['fc6', 'fc7'] + CAFFE_EXTRAS[:len(convs) - 15]
    gammas = {t: learned_gamma(c, init, gen) for t, (c, init) in norms.items()}
    norm_names = norm_names or {t: t + '_norm' for t in norms}
    net = field_str(1, title) + layer('data', 'Input', top='data')
    early = b''.join(layer(norm_names[t], 'Normalize', [gammas[t]], bottom=t) for t in norms_first)
    net += early
    bottom = 'data'
    for n, c in zip(names, convs):
        net += layer(n, 'Convolution', [c.weight, c.bias], bottom=bottom)
        net += layer('relu' + n[4:] if n.startswith('conv') else 'relu' + n[2:], 'ReLU', bottom=n, top=n)
        if n in norms and n not in norms_first:
            net += layer(norm_names[n], 'Normalize', [gammas[n]], bottom=n, top=norm_names[n])
        bottom = n
    return net + tail, pairs(convs), gammas


def write_caffe():
    gen = torch.Generator().manual_seed(17)
    small = lambda *s: torch.randn(*s, generator=gen) * 0.01  # noqa: E731 heads, TCB: ignored by the reader
    tail = layer('conv4_3_norm_mbox_loc', 'Convolution', [small(16, 512, 3, 3), small(16)], 'conv4_3_norm')
    tail += layer('conv10_2_mbox_conf', 'Convolution', [small(84, 256, 3, 3), small(84)], 'conv10_2')
    net, convs, gammas = caffe_net('VGG_VOC0712_SSD_512x512_deploy', 'ssd512', gen, {'conv4_3': (512, 20)}, tail)
    open(path('caffe_ssd512.caffemodel'), 'wb').write(net)
    expect('caffe_ssd512.caffemodel', convs, gammas, 'caffe', 'caffe', 'caffe', 'ssd512', 'caffe', 'caffe')
    MANIFEST['caffe_ssd512.caffemodel']['ignored'] = ['conv4_3_norm_mbox_loc', 'conv10_2_mbox_conf']

    # RefineDet: ARM heads on the normalized maps, the transfer connection block (TL*, P*-up
    # Deconvolution) and ODM heads; the conv5_3 Normalize is written before conv4_3's.
    tail = layer('conv4_3_norm_mbox_loc', 'Convolution', [small(12, 512, 3, 3), small(12)], 'conv4_3_norm')
    tail += layer('TL4_3', 'Convolution', [small(256, 512, 3, 3), small(256)], 'conv4_3_norm')
    tail += layer('P5-up', 'Deconvolution', [small(256, 256, 2, 2), small(256)], 'P5')
    tail += layer('P3_mbox_conf', 'Convolution', [small(63, 256, 3, 3), small(63)], 'P3')
    net, convs, gammas = caffe_net('VGG_VOC0712_refinedet_vgg16_320x320_deploy', 'refinedet', gen,
                                   {'conv5_3': (512, 8), 'conv4_3': (512, 10)}, tail, norms_first=('conv5_3',))
    open(path('caffe_refinedet320.caffemodel'), 'wb').write(net)
    expect('caffe_refinedet320.caffemodel', convs, gammas, 'caffe', 'caffe', 'caffe', 'refinedet', 'caffe', 'caffe')
    MANIFEST['caffe_refinedet320.caffemodel']['ignored'] = ['conv4_3_norm_mbox_loc', 'TL4_3', 'P5-up', 'P3_mbox_conf']

    tail = layer('conv3_3_norm_mbox_conf', 'Convolution', [small(4, 256, 3, 3), small(4)], 'conv3_3_norm')
    tail += layer('conv7_2_mbox_loc', 'Convolution', [small(4, 256, 3, 3), small(4)], 'conv7_2')
    net, convs, gammas = caffe_net('VGG_WIDER_FACE_SFD_deploy', 's3fd', gen,
                                   {'conv3_3': (256, 10), 'conv4_3': (512, 8), 'conv5_3': (512, 5)}, tail)
    open(path('caffe_s3fd.caffemodel'), 'wb').write(net)
    expect('caffe_s3fd.caffemodel', convs, gammas, 'caffe', 'caffe', 'caffe', 's3fd', 'caffe', 'caffe')
    MANIFEST['caffe_s3fd.caffemodel']['ignored'] = ['conv3_3_norm_mbox_conf', 'conv7_2_mbox_loc']
    # Cut inside a blob of conv5_1 (about 60% of the file): a truncated protobuf.
    open(path('caffe_s3fd_truncated.caffemodel'), 'wb').write(net[:len(net) * 3 // 5])

    # Backbone and two Normalize layers named L2Norm_a / L2Norm_b (their bottoms say conv4_3 and
    # conv5_3), no extras: RefineDet's or S3FD's, the file cannot tell.
    net, convs, gammas = caffe_net('VGG_backbone_two_norms', 'reduced', gen, {'conv4_3': (512, 10), 'conv5_3': (512, 8)},
                                   norm_names={'conv4_3': 'L2Norm_a', 'conv5_3': 'L2Norm_b'})
    open(path('caffe_norms_noextras.caffemodel'), 'wb').write(net)
    expect('caffe_norms_noextras.caffemodel', convs, gammas, 'caffe', 'caffe', 'caffe', 'refinedet', 'caffe', 'caffe')

    # Broken: conv3_3's Normalize with 512 values (conv3_3 has 256 channels); conv4_3 normalized twice.
    head = field_str(1, 'broken')
    convs = [he_conv(i, o, 3, 1, 1, gen=gen) for v in VGG[:9] if v not in ('M', 'C') for i, o in [v]]
    for n, c in zip(VGG_NAMES, convs):
        head += layer(n, 'Convolution', [c.weight, c.bias])
    open(path('caffe_norm_channels.caffemodel'), 'wb').write(
        head + layer('conv3_3_norm', 'Normalize', [torch.ones(512)], bottom='conv3_3'))
    open(path('caffe_norm_twice.caffemodel'), 'wb').write(
        head + layer('conv3_3_norm', 'Normalize', [torch.ones(256)], bottom='conv3_3') +
        layer('conv3_3_norm_b', 'Normalize', [torch.ones(256)], bottom='conv3_3'))


def main():
    me = hashlib.sha256(open(__file__, 'rb').read()).hexdigest()
    stamp = path('stamp')
    if os.path.exists(stamp) and open(stamp).read().strip() == me:
        print('fixtures up to date:', OUT)
        return
    os.makedirs(OUT, exist_ok=True)
    if os.path.exists(stamp):
        os.remove(stamp)
    torch.set_num_threads(2)
    write_pytorch()
    write_keras()
    write_caffe()
    with open(path('manifest.json.tmp'), 'w') as f:
        json.dump({'files': MANIFEST}, f, indent=1, sort_keys=True)
    os.replace(path('manifest.json.tmp'), path('manifest.json'))
    with open(stamp, 'w') as f:
        f.write(me + '\n')
    print('fixtures written:', OUT)


if __name__ == '__main__':
    main()
