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

void StageAggregator::add(const LayerStats& stats, const Histogram& hist)
{
    if (m_images == 0) {
        m_stats = stats;
        m_hist = hist;
    } else {
        m_hist.merge(hist); // throws before anything changed when the bins differ
        m_stats = LayerStats::mergeExact(m_stats, stats);
    }
    ++m_images;
}

LayerStats StageAggregator::stats() const
{
    LayerStats s = m_stats;
    // one image: its exact percentiles are the aggregate's; more: only the histogram is left
    if (m_images > 1)
        m_hist.fillPercentiles(s);
    return s;
}

RunAggregator::RunAggregator(const RunMetadata& meta)
{
    for (std::size_t i = 0; i < meta.layers.size(); ++i)
        m_layerRank.emplace(meta.layers[i], i);
}

void RunAggregator::addTo(std::vector<Entry>& entries, std::map<Key, std::size_t>& index, const StageRecord& s)
{
    // looked up by layer, stage and region: linear in the records added, however many layers a run has
    const auto [it, added] = index.emplace(Key{s.layer, s.stage, s.region}, entries.size());
    if (added)
        entries.push_back(Entry{s.layer, s.stage, s.region, {}});
    entries[it->second].agg.add(s.stats, s.hist);
}

void RunAggregator::add(const ImageRecord& image)
{
    for (const auto& s : image.stages)
        addTo(m_stages, m_index, s);
    for (const auto& s : image.regions)
        addTo(m_regions, m_regionIndex, s);
}

std::vector<StageRecord> RunAggregator::ordered(const std::vector<Entry>& entries) const
{
    std::vector<StageRecord> out;
    for (const auto& st : entries) {
        StageRecord r;
        r.layer = st.layer;
        r.stage = st.stage;
        r.region = st.region;
        r.stats = st.agg.stats();
        r.hist = st.agg.histogram();
        out.push_back(std::move(r));
    }
    // network order as listed in the metadata, before before after, then regions in Region order
    auto rank = [&](const StageRecord& r) {
        const auto it = m_layerRank.find(r.layer);
        return std::make_tuple(it == m_layerRank.end() ? m_layerRank.size() : it->second,
                               r.stage == Stage::After ? 1 : 0, static_cast<int>(r.region));
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const StageRecord& a, const StageRecord& b) { return rank(a) < rank(b); });
    return out;
}

std::vector<StageRecord> RunAggregator::result() const { return ordered(m_stages); }

std::vector<StageRecord> RunAggregator::regionResult() const { return ordered(m_regions); }

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

std::vector<StageRecord> aggregateRegions(const RunData& run)
{
    std::vector<const ImageRecord*> ordered;
    for (const auto& img : run.images)
        ordered.push_back(&img);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const ImageRecord* a, const ImageRecord* b) { return a->index < b->index; });
    RunAggregator aggregator(run.meta);
    for (const ImageRecord* img : ordered)
        aggregator.add(*img);
    return aggregator.regionResult();
}

} // namespace featscale::analysis
