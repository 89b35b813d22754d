// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/region.h"
#include "analysis/engine/analyzer.h"
#include "analysis/regions/annotations.h"
#include "analysis/runs/run_data.h"

#include <cstdint>
#include <vector>

namespace featscale::analysis {

/// Which region each cell of one layer's map belongs to: a cell is on an object when the centre of
/// the image rectangle it covers (cellRect) lies inside a box, and takes the size class of the
/// smallest such box. Plain data; any thread.
struct RegionMask {
    int height = 0, width = 0;
    /// Per cell, row-major: Region::Background, or the size class (Small, Medium, Large) of the
    /// smallest box holding the cell's centre.
    std::vector<Region> cells;

    Region at(int y, int x) const { return cells[static_cast<std::size_t>(y) * width + x]; }
    bool inRegion(std::size_t cell, Region region) const;
};

/// The size class (Small, Medium, Large) of a box of that area in original pixels (kSmallArea, kMediumArea).
Region sizeClassOf(double area);

/// The mask of `layer` of an analysed image (empty when the layer was not analysed).
RegionMask regionMask(const ImageResult& result, const std::string& layer, const ImageAnnotation& annotation);
/// The same for a height x width map over an imageWidth x imageHeight image.
RegionMask regionMask(int height, int width, int imageWidth, int imageHeight, const std::vector<Box>& boxes);

/// Statistics over each region of each layer and stage of an image (the "object", "background",
/// "small", "medium" and "large" rows of summary.csv), in network order, before then after, then
/// regions in that order. A region without cells in a map gets no record.
std::vector<StageRecord> regionRecords(const ImageResult& result, const ImageAnnotation& annotation,
                                       const BinScheme& bins);

} // namespace featscale::analysis
