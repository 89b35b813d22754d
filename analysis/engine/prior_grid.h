// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/topology.h"
#include "analysis/engine/analyzer.h"

#include <string>
#include <vector>

namespace featscale::analysis {

/// One prior centre of a source layer: row i, column j of its featureMap x featureMap grid, at
/// ((j + 0.5) * step, (i + 0.5) * step) pixels of the configuration's square input (ssd.pytorch's
/// f_k = inputSize / step, cx = (j + 0.5) / f_k, in pixels).
struct PriorCentre {
    int i = 0, j = 0;
    double x = 0, y = 0;
};

/// Every prior centre of a layer, row by row.
std::vector<PriorCentre> priorCentres(const PriorLayer& layer);

/// The arch's prior configuration called name, or its first when name is empty; nullptr when it
/// has none (classifiers) or none of that name.
const PriorConfig* priorConfig(Arch arch, const std::string& name = {});

/// A point of the configuration's input in pixels of the original image: the detector resizes the
/// whole image to inputSize x inputSize, so each axis scales by its own factor.
struct ImagePoint {
    double x = 0, y = 0;
};
ImagePoint priorToImage(const PriorConfig& config, const ImageResult& result, const PriorCentre& centre);

/// The prior of `layer` whose centre is nearest to image pixel (px, py): the one whose step x step
/// square holds it. Invalid (i = j = -1) outside the image.
PriorCentre priorAt(const PriorConfig& config, const PriorLayer& layer, const ImageResult& result, double px,
                    double py);

} // namespace featscale::analysis
