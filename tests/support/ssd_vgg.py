# SPDX-License-Identifier: GPL-3.0-or-later
"""ssd.pytorch's reduced VGG16 base network, as its vgg() builds it, for the fixture writers of the
weight-layout and topology suites (the repositories built on ssd.pytorch index it the same way)."""
import torch.nn as nn

# VGG16 'D'; 'C' is pool3 in ceil mode (300 -> 38 at conv4_3).
VGG16_CFG = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'C', 512, 512, 512, 'M', 512, 512, 512]


def ssd_vgg(pool5, fc6_padding, fc6_dilation):
    """The module list vgg.0 ... vgg.34: convs with their ReLUs, the pools, the given pool5, then
    fc6 as a 3x3 conv (ssd.pytorch: pad 6 dilation 6) and fc7 as a 1x1 conv, each with its ReLU."""
    layers, c = [], 3
    for v in VGG16_CFG:
        if v == 'M':
            layers.append(nn.MaxPool2d(2, 2))
        elif v == 'C':
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
            c = v
    return layers + [pool5, nn.Conv2d(512, 1024, 3, padding=fc6_padding, dilation=fc6_dilation), nn.ReLU(inplace=True),
                     nn.Conv2d(1024, 1024, 1), nn.ReLU(inplace=True)]
