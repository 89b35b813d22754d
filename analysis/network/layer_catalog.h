// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// One tap: a named point of the network whose output can be analysed. Names follow Caffe's
/// prototxts (conv4_3 is the output of relu4_3, fc7 the output of relu7).
struct TapInfo {
    std::string name;
    int channels = 0;
    int stride = 1;     ///< input pixels per output cell (nominal; ceil-mode pools round up)
    int depthIndex = 0; ///< position in network order, 0-based
};

/// The taps of a topology in network order. Pure metadata: no weights, no LibTorch.
class LayerCatalog {
public:
    /// withExtras adds the detector's extra layers after fc7 (SSD300: conv8_2 ... conv11_2, SSD512:
    /// ... conv12_2, RefineDet: conv6_2, S3FD: conv6_2 and conv7_2); ignored for vgg16 and vgg16-bn.
    explicit LayerCatalog(Arch arch, bool withExtras = false);

    const std::vector<TapInfo>& taps() const& { return m_taps; }
    /// On a temporary (`LayerCatalog(arch).taps()` in a range-for) the list is returned by value,
    /// so it outlives the catalog.
    std::vector<TapInfo> taps() && { return std::move(m_taps); }
    std::optional<TapInfo> find(const std::string& name) const;
    bool contains(const std::string& name) const { return find(name).has_value(); }

    /// Parses "conv4_3,conv5_3,fc7" or "all"; throws Error naming an unknown layer and listing
    /// the valid ones. The result is in network order without duplicates.
    std::vector<std::string> parseList(const std::string& list) const;
    /// Sorts names into network order (unknown names throw).
    std::vector<std::string> inNetworkOrder(const std::vector<std::string>& names) const;

    /// The default selection: the ParseNet trio.
    static std::vector<std::string> defaultLayers() { return {"conv4_3", "conv5_3", "fc7"}; }

private:
    std::vector<TapInfo> m_taps;
};

} // namespace featscale::analysis
