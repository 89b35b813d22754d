// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/conv_flops.h"

#include <stdexcept>

namespace featscale::bench {

ConvFlops convFlops(featscale::analysis::Arch arch, const featscale::analysis::ImageResult& result)
{
    struct Conv {
        const char* tap;
        int in, out, k;
    };
    static const Conv kFeatures[] = {{"conv1_1", 3, 64, 3},    {"conv1_2", 64, 64, 3},   {"conv2_1", 64, 128, 3},
                                     {"conv2_2", 128, 128, 3}, {"conv3_1", 128, 256, 3}, {"conv3_2", 256, 256, 3},
                                     {"conv3_3", 256, 256, 3}, {"conv4_1", 256, 512, 3}, {"conv4_2", 512, 512, 3},
                                     {"conv4_3", 512, 512, 3}, {"conv5_1", 512, 512, 3}, {"conv5_2", 512, 512, 3},
                                     {"conv5_3", 512, 512, 3}};
    const bool full = arch == featscale::analysis::Arch::Vgg16;
    // vgg16: the Linear layers as 7x7 and 1x1 convolutions; reduced: dilated 3x3 and 1x1.
    const Conv fc[] = {{"fc6", 512, full ? 4096 : 1024, full ? 7 : 3},
                       {"fc7", full ? 4096 : 1024, full ? 4096 : 1024, 1}};
    auto flops = [&](const Conv& c) {
        const auto* l = result.find(c.tap);
        if (!l)
            throw std::runtime_error(std::string("result has no ") + c.tap + " (need every layer)");
        if (l->channels != c.out)
            throw std::runtime_error(std::string(c.tap) + " has " + std::to_string(l->channels) + " channels");
        return 2.0 * c.in * c.out * c.k * c.k * l->before.height * l->before.width;
    };
    ConvFlops f;
    for (const auto& c : kFeatures) {
        f.features += flops(c);
        const auto* l = result.find(c.tap);
        const double tiles = static_cast<double>((l->before.height + 3) / 4) * ((l->before.width + 3) / 4);
        f.winogradFeatures += 2.0 * 36 * tiles * ((c.in + 7) / 8 * 8) * c.out;
    }
    for (const auto& c : fc)
        if (result.find(c.tap))
            f.fc += flops(c);
    return f;
}

} // namespace featscale::bench
