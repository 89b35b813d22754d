// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/trajectory/checkpoint_scales.h"

#include "analysis/stats/median_ratio.h"

#include <limits>

namespace featscale::analysis {

std::string referenceLayer(const std::vector<StageRecord>& aggregates, const std::string& wanted)
{
    std::string deepest;
    for (const auto& s : aggregates)
        if (s.stage == Stage::Before) {
            if (!wanted.empty() && s.layer == wanted)
                return wanted;
            deepest = s.layer;
        }
    if (!wanted.empty())
        throw Error("reference layer " + wanted + " is not among the analysed layers");
    return deepest;
}

std::vector<StageScale> scalesOf(const std::vector<StageRecord>& aggregates, const std::string& reference)
{
    double base = std::numeric_limits<double>::quiet_NaN();
    for (const auto& s : aggregates)
        if (s.stage == Stage::Before && s.layer == reference)
            base = s.stats.p50;
    std::vector<StageScale> out;
    for (const auto& s : aggregates) {
        StageScale x;
        x.layer = s.layer;
        x.stage = s.stage;
        x.median = s.stats.p50;
        x.p5 = s.stats.p5;
        x.p95 = s.stats.p95;
        x.meanAbs = s.stats.meanAbs();
        x.ratio = medianRatio(s.stats.p50, base);
        x.fromHistogram = s.stats.percentilesFromHistogram;
        out.push_back(std::move(x));
    }
    return out;
}

CheckpointScales analyzeCheckpoint(AnalyzerOptions options, const std::string& checkpoint,
                                   const std::vector<std::string>& images, const std::string& reference,
                                   const ProgressFn& progress)
{
    options.weightsPath = checkpoint;
    Analyzer analyzer(options);
    RunAggregator aggregator(describeRun(analyzer));
    CheckpointScales out;
    const int total = static_cast<int>(images.size());
    for (int k = 0; k < total; ++k) {
        const std::string& image = images[static_cast<std::size_t>(k)];
        try {
            const ImageResult r = analyzer.analyze(image, [&](int, int) { return !progress || progress(k, total); });
            aggregator.add(toRecord(r, k));
            ++out.images;
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            out.failures.push_back({image, k, e.what()});
        }
        if (progress && !progress(k + 1, total))
            throw Cancelled();
    }
    const auto aggregates = aggregator.result();
    out.reference = referenceLayer(aggregates, reference);
    out.stages = scalesOf(aggregates, out.reference);
    return out;
}

} // namespace featscale::analysis
