// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/prior_grid.h"

#include <algorithm>
#include <cmath>

namespace featscale::analysis {

std::vector<PriorCentre> priorCentres(const PriorLayer& layer)
{
    std::vector<PriorCentre> out;
    out.reserve(static_cast<std::size_t>(layer.featureMap) * static_cast<std::size_t>(layer.featureMap));
    for (int i = 0; i < layer.featureMap; ++i)
        for (int j = 0; j < layer.featureMap; ++j)
            out.push_back({i, j, (j + 0.5) * layer.step, (i + 0.5) * layer.step});
    return out;
}

const PriorConfig* priorConfig(Arch arch, const std::string& name)
{
    for (const PriorConfig& c : topologyInfo(arch).priors)
        if (name.empty() || name == c.name)
            return &c;
    return nullptr;
}

ImagePoint priorToImage(const PriorConfig& config, const ImageResult& result, const PriorCentre& centre)
{
    return {centre.x * result.originalWidth / config.inputSize, centre.y * result.originalHeight / config.inputSize};
}

PriorCentre priorAt(const PriorConfig& config, const PriorLayer& layer, const ImageResult& result, double px, double py)
{
    PriorCentre c{-1, -1, 0, 0};
    if (!(px >= 0 && py >= 0 && px < result.originalWidth && py < result.originalHeight))
        return c;
    const double x = px * config.inputSize / result.originalWidth;
    const double y = py * config.inputSize / result.originalHeight;
    c.j = std::clamp(static_cast<int>(std::floor(x / layer.step)), 0, layer.featureMap - 1);
    c.i = std::clamp(static_cast<int>(std::floor(y / layer.step)), 0, layer.featureMap - 1);
    c.x = (c.j + 0.5) * layer.step;
    c.y = (c.i + 0.5) * layer.step;
    return c;
}

} // namespace featscale::analysis
