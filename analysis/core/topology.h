// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <string>
#include <vector>

namespace featscale::analysis {

/// A normalized layer of a detector family and the constant its gamma is initialised to
/// (Caffe's Normalize "scale_filler", the PyTorch ports' L2Norm(n, scale)).
struct L2NormSpec {
    std::string layer; ///< tap name, e.g. "conv4_3"
    float init;        ///< e.g. 20 for SSD's conv4_3
};

/// One topology as users see it: its names, the published definition the network follows, the
/// layers its family normalizes, and the input convention and L2Norm eps of the family's
/// Caffe-trained originals (weights whose file tells otherwise use their own, see WeightInfo).
/// Plain data, no LibTorch; the one table both front ends list.
struct TopologyInfo {
    Arch arch;
    const char* name;       ///< as on the command line: "refinedet"
    const char* title;      ///< "RefineDet VGG16 (conv4_3 and conv5_3 L2Norm)"
    const char* definition; ///< the published definition followed, e.g. "sfzhang15/RefineDet, luuuyi/RefineDet.PyTorch"
    std::vector<L2NormSpec> l2norm; ///< the family's normalized layers, network order; empty for classifiers
    Preset preset;                  ///< input convention of the family's original weights
    EpsMode eps;                    ///< L2Norm eps of the family's original framework
};

/// Every topology, in Arch order.
const std::vector<TopologyInfo>& topologies();
const TopologyInfo& topologyInfo(Arch arch);
/// The family's init for a normalized layer, else kDefaultGamma (20).
float initialGamma(Arch arch, const std::string& layer);
/// The family's normalized layers (topologyInfo(arch).l2norm's names), network order.
std::vector<std::string> familyL2NormLayers(Arch arch);

} // namespace featscale::analysis
