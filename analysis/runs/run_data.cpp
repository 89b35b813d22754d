// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/runs/run_data.h"

#include <algorithm>
#include <cmath>

namespace featscale::analysis {
namespace {

StageRecord stageOf(const std::string& layer, Stage stage, const NormMap& map, const LayerStats& stats,
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
        rec.stages.push_back(stageOf(l.layer, Stage::Before, l.before, l.beforeStats, l.beforeHist));
        if (l.normalized)
            rec.stages.push_back(stageOf(l.layer, Stage::After, l.after, l.afterStats, l.afterHist));
    }
    return rec;
}

RunAggregator::RunAggregator(const RunMetadata& meta)
    : m_layers(meta.layers), m_bins(meta.bins)
{
}

void RunAggregator::add(const ImageRecord& image)
{
    for (const auto& s : image.stages) {
        auto agg = std::find_if(m_stages.begin(), m_stages.end(),
                                [&](const StageRecord& r) { return r.layer == s.layer && r.stage == s.stage; });
        if (agg == m_stages.end()) {
            StageRecord fresh;
            fresh.layer = s.layer;
            fresh.stage = s.stage;
            fresh.hist = Histogram(m_bins);
            fresh.hist.edges = s.hist.edges;
            fresh.stats = s.stats;
            fresh.hist.merge(s.hist);
            m_stages.push_back(std::move(fresh));
            continue;
        }
        agg->stats = LayerStats::mergeExact(agg->stats, s.stats);
        agg->hist.merge(s.hist);
    }
}

std::vector<StageRecord> RunAggregator::result() const
{
    std::vector<StageRecord> out = m_stages;
    for (auto& r : out)
        r.hist.fillPercentiles(r.stats);
    // network order as listed in the metadata, before before after
    auto rank = [&](const StageRecord& r) {
        const auto it = std::find(m_layers.begin(), m_layers.end(), r.layer);
        return std::make_pair(static_cast<long>(it - m_layers.begin()), r.stage == Stage::After ? 1 : 0);
    };
    std::stable_sort(out.begin(), out.end(), [&](const StageRecord& a, const StageRecord& b) { return rank(a) < rank(b); });
    return out;
}

std::vector<StageRecord> aggregate(const RunData& run)
{
    std::vector<const ImageRecord*> ordered;
    for (const auto& img : run.images)
        ordered.push_back(&img);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const ImageRecord* a, const ImageRecord* b) { return a->index < b->index; });
    RunAggregator aggregator(run.meta);
    for (const ImageRecord* img : ordered)
        aggregator.add(*img);
    return aggregator.result();
}

} // namespace featscale::analysis
