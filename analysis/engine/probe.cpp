// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/probe.h"

#include <algorithm>
#include <cmath>

namespace featscale::analysis {
namespace {

double norm(const std::vector<float>& v)
{
    double s = 0;
    for (float x : v)
        s += static_cast<double>(x) * x;
    return std::sqrt(s);
}

} // namespace

Cell cellAt(const ImageResult& result, const std::string& layer, double px, double py)
{
    const LayerResult* lr = result.find(layer);
    if (!lr || lr->before.width <= 0 || lr->before.height <= 0 || result.originalWidth <= 0 ||
        result.originalHeight <= 0)
        return {};
    if (!(px >= 0 && py >= 0 && px < result.originalWidth && py < result.originalHeight))
        return {};
    Cell c;
    c.x = std::min(lr->before.width - 1, static_cast<int>(std::floor(px * lr->before.width / result.originalWidth)));
    c.y = std::min(lr->before.height - 1, static_cast<int>(std::floor(py * lr->before.height / result.originalHeight)));
    return c;
}

PixelRect cellRect(const ImageResult& result, const std::string& layer, Cell cell)
{
    const LayerResult* lr = result.find(layer);
    if (!lr || lr->before.width <= 0 || lr->before.height <= 0 || !cell.valid())
        return {};
    const double w = static_cast<double>(result.originalWidth) / lr->before.width;
    const double h = static_cast<double>(result.originalHeight) / lr->before.height;
    return {cell.x * w, cell.y * h, w, h};
}

Probe probeAt(const ImageResult& result, const FeatureCache& cache, const std::vector<std::string>& layers,
              const GammaLookup& gamma, double px, double py)
{
    Probe probe;
    int offset = 0;
    for (const std::string& layer : layers) {
        ProbeSegment s;
        s.layer = layer;
        s.cell = cellAt(result, layer, px, py);
        if (!s.cell.valid()) {
            probe.status = result.find(layer) ? Probe::Status::OutsideImage : Probe::Status::NotCached;
            probe.layer = layer;
            probe.segments.clear();
            return probe;
        }
        const LayerResult* lr = result.find(layer);
        s.mapHeight = lr->before.height;
        s.mapWidth = lr->before.width;
        s.before = cache.activationAt(layer, s.cell.y, s.cell.x);
        const std::vector<float>* g = gamma ? gamma(layer) : nullptr;
        s.normalized = g != nullptr;
        if (s.normalized)
            s.xhat = cache.normalizedAt(layer, s.cell.y, s.cell.x);
        if (s.before.empty() || (s.normalized && (s.xhat.size() != s.before.size() || g->size() != s.before.size()))) {
            probe.status = Probe::Status::NotCached;
            probe.layer = layer;
            probe.segments.clear();
            return probe;
        }
        s.after = s.before;
        if (s.normalized)
            for (std::size_t c = 0; c < s.xhat.size(); ++c)
                s.after[c] = (*g)[c] * s.xhat[c];
        s.offset = offset;
        offset += static_cast<int>(s.before.size());
        s.beforeNorm = norm(s.before);
        s.afterNorm = norm(s.after);
        probe.segments.push_back(std::move(s));
    }
    return probe;
}

} // namespace featscale::analysis
