// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"
#include "analysis/engine/analyzer.h"

#include <functional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// One layer's share of the energy of ParseNet's concatenation, ‖x_l‖² / Σ_k ‖x_k‖², at every
/// cell of the group's finest map.
struct LayerEnergyShare {
    std::string layer;
    std::vector<float> shares; ///< per cell of the finest map, row-major; NaN where the concatenation is 0 or NaN
    LayerStats stats;          ///< over the cells: stats.p50 the median share, stats.mean() the mean
};

/// The energy shares of a group of layers at one stage. Plain data; any thread.
struct EnergyShares {
    std::string finest; ///< the group's layer with the most cells (the first of them on a tie)
    int height = 0, width = 0;
    std::vector<LayerEnergyShare> layers; ///< in group order
};

/// The shares from norm maps: maps[i] is group layer i's norm at every cell (before L2Norm ‖x‖; after
/// it ‖γ ⊙ x̂‖ for normalized layers and ‖x‖ for the others). Each cell of the finest map reads
/// every coarser layer at the cell under its centre (cellRect, then cellAt), so the shares are
/// those of the vector ParseNet concatenates there. `result` gives the geometry only (the size of
/// the image and of each layer's map), so maps recomputed for another γ can be passed with it.
/// Throws Error when a map is missing or does not match its layer's size in result.
EnergyShares concatEnergyShares(const ImageResult& result, const std::vector<const NormMap*>& maps);
/// The same with result's own maps: Stage::Before every layer's ‖x‖; Stage::After ‖γ ⊙ x̂‖ for
/// normalized layers (the γ the image was analysed with) and ‖x‖ for the others.
EnergyShares concatEnergyShares(const ImageResult& result, const std::vector<std::string>& group, Stage stage);
/// After L2Norm with another γ, as the GUI's γ controls change it: ‖γ ⊙ x̂‖ of every layer for
/// which gamma() gives a γ (from the image's FeatureCache, no forward pass), ‖x‖ of the others.
/// Throws Error when the image has no cache or a γ does not fit its layer.
EnergyShares concatEnergyShares(const ImageResult& result, const std::vector<std::string>& group,
                                const std::function<const std::vector<float>*(const std::string& layer)>& gamma);

/// The default group: the topology's normalized layers and fc7 (conv4_3 + fc7 for SSD), in network
/// order, keeping only those in `analysed`.
std::vector<std::string> defaultEnergyGroup(Arch arch, const std::vector<std::string>& analysed);
/// "conv4_3+fc7": how energy_share.csv's group column names a group.
std::string energyGroupName(const std::vector<std::string>& group);

} // namespace featscale::analysis
