// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/runs/run_data.h"

#include <ctime>

namespace featscale::analysis {

RunMetadata describeRun(const Analyzer& analyzer)
{
    RunMetadata meta;
    meta.featscaleVersion = FEATSCALE_VERSION;
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char created[32];
    std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    meta.created = created;
    const AnalyzerOptions& options = analyzer.options();
    meta.arch = analyzer.arch();
    meta.weights = analyzer.weights();
    meta.preset = analyzer.preset();
    meta.size = options.size;
    meta.eps = analyzer.eps();
    meta.layers = analyzer.layers();
    meta.l2normLayers = analyzer.l2normLayers();
    for (const auto& layer : meta.l2normLayers)
        meta.gamma[layer] = analyzer.gamma(layer);
    meta.bins = options.bins;
    meta.threads = analyzer.threads();
    return meta;
}

} // namespace featscale::analysis
