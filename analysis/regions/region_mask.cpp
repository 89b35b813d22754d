// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/regions/region_mask.h"

#include "analysis/core/types.h"
#include "analysis/engine/probe.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace featscale::analysis {
namespace {

constexpr Region kRegionOrder[] = {Region::Object, Region::Background, Region::Small, Region::Medium, Region::Large};

// The first index whose centre is >= lo, and the first whose centre is >= hi: the cells with
// lo <= centre < hi (centres increase with the index).
std::pair<std::size_t, std::size_t> span(const std::vector<double>& centres, double lo, double hi)
{
    const auto a = std::lower_bound(centres.begin(), centres.end(), lo);
    const auto b = std::lower_bound(a, centres.end(), hi);
    return {static_cast<std::size_t>(a - centres.begin()), static_cast<std::size_t>(b - centres.begin())};
}

} // namespace

Region sizeClassOf(double area)
{
    return area < kSmallArea ? Region::Small : area < kMediumArea ? Region::Medium : Region::Large;
}

bool RegionMask::inRegion(std::size_t cell, Region region) const
{
    const Region c = cells[cell];
    switch (region) {
    case Region::All:
        return true;
    case Region::Object:
        return c != Region::Background;
    default:
        return c == region;
    }
}

RegionMask regionMask(const ImageResult& result, const std::string& layer, const ImageAnnotation& annotation)
{
    RegionMask mask;
    const LayerResult* lr = result.find(layer);
    if (!lr || lr->before.height <= 0 || lr->before.width <= 0)
        return mask;
    mask.height = lr->before.height;
    mask.width = lr->before.width;
    // Cell centres from cellRect, the rectangle every view draws, so that a cell is "on the object"
    // exactly when the centre of what the user sees lies in the box.
    std::vector<double> cx(static_cast<std::size_t>(mask.width)), cy(static_cast<std::size_t>(mask.height));
    for (int x = 0; x < mask.width; ++x) {
        const PixelRect r = cellRect(result, layer, Cell{0, x});
        cx[static_cast<std::size_t>(x)] = r.x + r.width / 2;
    }
    for (int y = 0; y < mask.height; ++y) {
        const PixelRect r = cellRect(result, layer, Cell{y, 0});
        cy[static_cast<std::size_t>(y)] = r.y + r.height / 2;
    }
    // Painting each box over the cells it covers costs the boxes' cells, not cells x boxes.
    std::vector<double> smallest(cx.size() * cy.size(), std::numeric_limits<double>::infinity());
    for (const Box& b : annotation.boxes) {
        const auto [x0, x1] = span(cx, b.x0, b.x1);
        const auto [y0, y1] = span(cy, b.y0, b.y1);
        const double area = b.area();
        for (std::size_t y = y0; y < y1; ++y)
            for (std::size_t x = x0; x < x1; ++x) {
                double& s = smallest[y * cx.size() + x];
                s = std::min(s, area);
            }
    }
    mask.cells.resize(smallest.size());
    for (std::size_t i = 0; i < smallest.size(); ++i)
        mask.cells[i] = std::isinf(smallest[i]) ? Region::Background : sizeClassOf(smallest[i]);
    return mask;
}

RegionMask regionMask(int height, int width, int imageWidth, int imageHeight, const std::vector<Box>& boxes)
{
    // A result with nothing but the map size: the mapping is cellRect's, not a second copy of it.
    ImageResult shape;
    shape.originalWidth = imageWidth;
    shape.originalHeight = imageHeight;
    LayerResult layer;
    layer.layer = "map";
    layer.before.height = height;
    layer.before.width = width;
    shape.layers.push_back(std::move(layer));
    ImageAnnotation annotation;
    annotation.boxes = boxes;
    return regionMask(shape, "map", annotation);
}

std::vector<StageRecord> regionRecords(const ImageResult& result, const ImageAnnotation& annotation,
                                       const BinScheme& bins)
{
    std::vector<StageRecord> out;
    for (const LayerResult& l : result.layers) {
        const RegionMask mask = regionMask(result, l.layer, annotation);
        if (mask.cells.empty())
            continue;
        for (const Stage stage : {Stage::Before, Stage::After}) {
            if (stage == Stage::After && !l.normalized)
                continue;
            const NormMap& map = stage == Stage::Before ? l.before : l.after;
            if (map.values.size() != mask.cells.size())
                throw Error(result.path + ": internal error, the " + l.layer +
                            " map and its region mask differ in size");
            for (const Region region : kRegionOrder) {
                std::vector<float> values;
                for (std::size_t i = 0; i < map.values.size(); ++i)
                    if (mask.inRegion(i, region))
                        values.push_back(map.values[i]);
                if (values.empty())
                    continue;
                StageRecord r;
                r.layer = l.layer;
                r.stage = stage;
                r.region = region;
                r.height = map.height;
                r.width = map.width;
                r.stats = LayerStats::of(values);
                r.hist = Histogram(bins);
                r.hist.addAll(values);
                out.push_back(std::move(r));
            }
        }
    }
    return out;
}

} // namespace featscale::analysis
