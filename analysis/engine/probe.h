// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <functional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// A cell of a layer's H x W norm map: row y, column x.
struct Cell {
    int y = -1, x = -1;
    bool valid() const { return y >= 0 && x >= 0; }
};

/// The cell of `layer`'s map under pixel (px, py) of the original image (after EXIF orientation,
/// 0-based): (floor(py * H / height), floor(px * W / width)), clamped to the map. The proportional
/// mapping every view and the CLI's probe use. Invalid outside the image or when the layer was
/// not analysed.
Cell cellAt(const ImageResult& result, const std::string& layer, double px, double py);

/// The rectangle of original-image pixels a cell covers (the inverse of cellAt).
struct PixelRect {
    double x = 0, y = 0, width = 0, height = 0;
};
PixelRect cellRect(const ImageResult& result, const std::string& layer, Cell cell);

/// One layer's part of ParseNet's concatenated feature vector at a cell.
struct ProbeSegment {
    std::string layer;
    Cell cell;
    int mapHeight = 0, mapWidth = 0;
    int offset = 0;            ///< index of its first channel in the concatenation
    bool normalized = false;   ///< the layer has L2Norm
    std::vector<float> before; ///< activation x
    std::vector<float> xhat;   ///< x / ‖x‖ with the run's eps semantics (normalized layers only)
    std::vector<float> after;  ///< γ ⊙ x̂ for normalized layers, x otherwise
    double beforeNorm = 0, afterNorm = 0;
};

/// ParseNet's concatenated feature vector at one image pixel.
struct Probe {
    enum class Status {
        Ok,
        OutsideImage, ///< the pixel lies outside the image
        NotCached,    ///< `layer`'s activations (or, for a normalized layer, x̂) were not kept
    };
    Status status = Status::Ok;
    std::string layer;                  ///< the layer a NotCached status is about
    std::vector<ProbeSegment> segments; ///< in `layers` order
};

/// γ of a normalized layer (one value per channel), or nullptr for a layer without L2Norm.
using GammaLookup = std::function<const std::vector<float>*(const std::string& layer)>;

/// The concatenation of `layers` (in that order) at pixel (px, py): each layer's activation at
/// cellAt(), and for normalized layers x̂ and γ ⊙ x̂ with the given γ. Activations come from the
/// image's FeatureCache, which must have been built with AnalyzerOptions::keepActivations.
Probe probeAt(const ImageResult& result, const FeatureCache& cache, const std::vector<std::string>& layers,
              const GammaLookup& gamma, double px, double py);

} // namespace featscale::analysis
