// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/network/layer_catalog.h"

#include <algorithm>
#include <sstream>

namespace featscale::analysis {

LayerCatalog::LayerCatalog(Arch arch, bool withExtras)
{
    struct Row {
        const char* name;
        int channels, stride;
    };
    static const Row kCommon[] = {{"conv1_1", 64, 1},  {"conv1_2", 64, 1}, {"pool1", 64, 2},     {"conv2_1", 128, 2},
                                  {"conv2_2", 128, 2}, {"pool2", 128, 4},  {"conv3_1", 256, 4},  {"conv3_2", 256, 4},
                                  {"conv3_3", 256, 4}, {"pool3", 256, 8},  {"conv4_1", 512, 8},  {"conv4_2", 512, 8},
                                  {"conv4_3", 512, 8}, {"pool4", 512, 16}, {"conv5_1", 512, 16}, {"conv5_2", 512, 16},
                                  {"conv5_3", 512, 16}};
    for (const auto& r : kCommon)
        m_taps.push_back({r.name, r.channels, r.stride, 0});
    switch (arch) {
    case Arch::Vgg16:
    case Arch::Vgg16Bn: // fc6/fc7 slide over pool5 (stride 32)
        m_taps.push_back({"pool5", 512, 32, 0});
        m_taps.push_back({"fc6", 4096, 32, 0});
        m_taps.push_back({"fc7", 4096, 32, 0});
        break;
    case Arch::Vgg16Reduced:
    case Arch::Ssd512: // pool5 3x3 stride 1: fc6/fc7 stay at stride 16
        m_taps.push_back({"pool5", 512, 16, 0});
        m_taps.push_back({"fc6", 1024, 16, 0});
        m_taps.push_back({"fc7", 1024, 16, 0});
        if (withExtras) {
            m_taps.push_back({"conv8_2", 512, 32, 0});
            m_taps.push_back({"conv9_2", 256, 64, 0});
            m_taps.push_back({"conv10_2", 256, 128, 0});
            m_taps.push_back({"conv11_2", 256, 256, 0});
            if (arch == Arch::Ssd512)
                m_taps.push_back({"conv12_2", 256, 512, 0});
        }
        break;
    case Arch::RefineDet:
    case Arch::S3fd: // pool5 2x2 stride 2: fc6/fc7 at stride 32
        m_taps.push_back({"pool5", 512, 32, 0});
        m_taps.push_back({"fc6", 1024, 32, 0});
        m_taps.push_back({"fc7", 1024, 32, 0});
        if (withExtras) {
            m_taps.push_back({"conv6_2", 512, 64, 0});
            if (arch == Arch::S3fd)
                m_taps.push_back({"conv7_2", 256, 128, 0});
        }
        break;
    }
    for (std::size_t i = 0; i < m_taps.size(); ++i)
        m_taps[i].depthIndex = static_cast<int>(i);
}

std::optional<TapInfo> LayerCatalog::find(const std::string& name) const
{
    for (const auto& t : m_taps)
        if (t.name == name)
            return t;
    return std::nullopt;
}

std::vector<std::string> LayerCatalog::inNetworkOrder(const std::vector<std::string>& names) const
{
    std::vector<int> depths;
    for (const auto& n : names) {
        auto t = find(n);
        if (!t) {
            std::string valid;
            for (const auto& tap : m_taps)
                valid += (valid.empty() ? "" : ",") + tap.name;
            throw Error("unknown layer '" + n + "' (valid: " + valid + ", or all)");
        }
        depths.push_back(t->depthIndex);
    }
    std::sort(depths.begin(), depths.end());
    depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
    std::vector<std::string> out;
    for (int d : depths)
        out.push_back(m_taps[static_cast<std::size_t>(d)].name);
    return out;
}

std::vector<std::string> LayerCatalog::parseList(const std::string& list) const
{
    if (list == "all") {
        std::vector<std::string> all;
        for (const auto& t : m_taps)
            all.push_back(t.name);
        return all;
    }
    std::vector<std::string> names;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty())
            names.push_back(item);
    if (names.empty())
        throw Error("empty layer list");
    return inNetworkOrder(names);
}

} // namespace featscale::analysis
