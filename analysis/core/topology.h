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

/// One source layer of a detector's prior (default/anchor) boxes, as its published configuration
/// gives it: the feature map the priors tile, their step in input pixels, and their sizes.
struct PriorLayer {
    const char* layer;        ///< tap name, e.g. "conv4_3"
    int featureMap;           ///< priors per side: featureMap x featureMap
    double step;              ///< input pixels between prior centres
    double minSize;           ///< smallest prior side, input pixels
    double maxSize;           ///< second square prior sqrt(min * max); 0 when the configuration has none
    const char* aspectRatios; ///< the extra ratios besides 1, e.g. "2,3"
};

/// A detector's published prior-box configuration: prior centres ((j + 0.5) * step, (i + 0.5) * step)
/// in pixels of the inputSize x inputSize network input, i, j < featureMap.
struct PriorConfig {
    const char* name;   ///< "ssd300-voc"
    int inputSize;      ///< the square input the configuration is for
    const char* source; ///< where the numbers come from
    std::vector<PriorLayer> layers;
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
    std::vector<L2NormSpec> l2norm;  ///< the family's normalized layers, network order; empty for classifiers
    Preset preset;                   ///< input convention of the family's original weights
    EpsMode eps;                     ///< L2Norm eps of the family's original framework
    std::vector<PriorConfig> priors; ///< the detector's prior grids (empty for classifiers)
};

/// Every topology, in Arch order.
const std::vector<TopologyInfo>& topologies();
const TopologyInfo& topologyInfo(Arch arch);
/// The family's init for a normalized layer, else kDefaultGamma (20).
float initialGamma(Arch arch, const std::string& layer);
/// The family's normalized layers (topologyInfo(arch).l2norm's names), network order.
std::vector<std::string> familyL2NormLayers(Arch arch);

} // namespace featscale::analysis
