// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// A weight file found in one of the caches where PyTorch and Keras keep downloaded weights.
/// Plain data (no tensors): the GUI offers these in its model panel, `featscale-cli weights --list`
/// prints them. Files are found by name; what the name promises is then checked against the full
/// digest the catalogue (analysis/weights/download/catalog.h) has for that file name. The 8 hex
/// digits torch.hub puts in a name (`<name>-<8 hex digits>.pth`) are too short to prove anything,
/// so a file with no full digest in the catalogue is "not verifiable", never verified. A file merely
/// *named* like vgg16-397923af.pth is not called torchvision's ImageNet VGG16.
struct DiscoveredWeights {
    /// How far the file is known to be what its name says.
    enum class Check {
        Verified,    ///< its digest matches the published one
        Mismatch,    ///< its digest does not: not the published file
        NotVerified, ///< not hashed yet (discoverWeights(false) and no remembered digest)
        NoReference, ///< no full digest to check against (vgg16_reducedfc.pth, vgg16_bn-6c64b313.pth)
    };
    std::string path;
    std::uintmax_t sizeBytes = 0;
    std::string kind;        ///< e.g. "torchvision vgg16 (ImageNet classifier) — verified (sha256 …)"
    Arch arch = Arch::Vgg16; ///< the topology the file is expected to hold
    Check check = Check::NoReference;
    std::string expected; ///< e.g. "sha256 397923af8e79…" (full); empty for NoReference
    std::string actual;   ///< the file's digest of that kind, when hashed
};

/// Looks in
///   $TORCH_HOME/hub/checkpoints (TORCH_HOME defaults to $XDG_CACHE_HOME/torch, then ~/.cache/torch)
///     for vgg16-*.pth, vgg16_features-amdegroot-*.pth, ssd300_vgg16_coco-*.pth, vgg16_reducedfc*.pth;
///   $KERAS_HOME/models (KERAS_HOME defaults to ~/.keras) for vgg16_weights_*.h5.
/// Returns regular files only: the PyTorch cache's first, then Keras', each sorted by path. Missing or
/// unreadable folders are skipped. hash=false never reads a file: digests come from the cache of
/// verified digests (verified_files.h) or the file stays NotVerified — cheap enough for the GUI
/// thread; hash=true reads every file not in that cache once (seconds per 500 MB file).
std::vector<DiscoveredWeights> discoverWeights(bool hash = false);

/// The folders discoverWeights() searches, in that order (for messages such as "nothing found in ...").
std::vector<std::string> discoveryFolders();

/// $TORCH_HOME/hub/checkpoints (TORCH_HOME defaults to $XDG_CACHE_HOME/torch, then ~/.cache/torch);
/// empty when none can be determined. Also where the downloader puts torchvision files.
std::string torchCheckpointsFolder();
/// $KERAS_HOME/models (KERAS_HOME defaults to ~/.keras); empty when none can be determined.
std::string kerasModelsFolder();

} // namespace featscale::analysis::weights
