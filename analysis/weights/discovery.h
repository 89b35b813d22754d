// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// A weight file found in one of the caches where PyTorch and Keras keep downloaded weights.
/// Plain data (no tensors): the GUI offers these in its model panel, `featscale-cli weights --list`
/// prints them. Nothing is opened or read to find them — the kind is guessed from the file name.
struct DiscoveredWeights {
    std::string path;
    std::uintmax_t sizeBytes = 0;
    std::string kind; ///< e.g. "torchvision vgg16 (ImageNet)"
    Arch arch = Arch::Vgg16; ///< the topology the file is expected to hold
};

/// Looks in
///   $TORCH_HOME/hub/checkpoints (TORCH_HOME defaults to $XDG_CACHE_HOME/torch, then ~/.cache/torch)
///     for vgg16-*.pth, vgg16_features-amdegroot-*.pth, ssd300_vgg16_coco-*.pth, vgg16_reducedfc*.pth;
///   $KERAS_HOME/models (KERAS_HOME defaults to ~/.keras) for vgg16_weights_*.h5.
/// Returns regular files only: the PyTorch cache's first, then Keras', each sorted by path. Missing or
/// unreadable folders are skipped.
std::vector<DiscoveredWeights> discoverWeights();

/// The folders discoverWeights() searches, in that order (for messages such as "nothing found in ...").
std::vector<std::string> discoveryFolders();

} // namespace featscale::analysis::weights
