// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/run_data.h"

#include <algorithm>
#include <cmath>

namespace featscale::analysis {
namespace {

StageRecord stageOf(const std::string& layer, const char* stage, const NormMap& map, const LayerStats& stats,
                    const Histogram& hist)
{
    StageRecord r;
    r.layer = layer;
    r.stage = stage;
    r.height = map.height;
    r.width = map.width;
    r.stats = stats;
    r.hist = hist;
    return r;
}

} // namespace

ImageRecord toRecord(const ImageResult& result, std::int64_t index)
{
    ImageRecord rec;
    rec.image = result.path;
    rec.index = index;
    rec.originalWidth = result.originalWidth;
    rec.originalHeight = result.originalHeight;
    rec.inputWidth = result.inputWidth;
    rec.inputHeight = result.inputHeight;
    rec.note = result.note;
    for (const auto& l : result.layers) {
        rec.stages.push_back(stageOf(l.layer, "before", l.before, l.beforeStats, l.beforeHist));
        if (l.normalized)
            rec.stages.push_back(stageOf(l.layer, "after", l.after, l.afterStats, l.afterHist));
    }
    return rec;
}

std::vector<StageRecord> aggregate(const RunData& run)
{
    std::vector<StageRecord> out;
    auto findOut = [&](const std::string& layer, const std::string& stage) -> StageRecord* {
        for (auto& r : out)
            if (r.layer == layer && r.stage == stage)
                return &r;
        return nullptr;
    };
    std::vector<const ImageRecord*> ordered;
    for (const auto& img : run.images)
        ordered.push_back(&img);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const ImageRecord* a, const ImageRecord* b) { return a->index < b->index; });
    for (const ImageRecord* img : ordered) {
        for (const auto& s : img->stages) {
            StageRecord* agg = findOut(s.layer, s.stage);
            if (!agg) {
                StageRecord fresh;
                fresh.layer = s.layer;
                fresh.stage = s.stage;
                fresh.hist = Histogram(run.meta.bins);
                fresh.hist.edges = s.hist.edges;
                out.push_back(std::move(fresh));
                agg = &out.back();
                agg->stats = s.stats;
                agg->hist.merge(s.hist);
                continue;
            }
            agg->stats = LayerStats::mergeExact(agg->stats, s.stats);
            agg->hist.merge(s.hist);
        }
    }
    for (auto& r : out)
        r.hist.fillPercentiles(r.stats);
    // network order as listed in the metadata, before before after
    auto rank = [&](const StageRecord& r) {
        const auto it = std::find(run.meta.layers.begin(), run.meta.layers.end(), r.layer);
        return std::make_pair(static_cast<long>(it - run.meta.layers.begin()), r.stage == "after" ? 1 : 0);
    };
    std::stable_sort(out.begin(), out.end(), [&](const StageRecord& a, const StageRecord& b) { return rank(a) < rank(b); });
    return out;
}

} // namespace featscale::analysis
