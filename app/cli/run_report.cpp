// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/run_report.h"

#include "analysis/core/file_names.h"
#include "analysis/stats/median_ratio.h"

#include <cstdio>

namespace featscale::cli {

void printRunReport(std::ostream& os, const analysis::RunData& run)
{
    printRunReport(os, run.meta, analysis::aggregate(run), run.images.size());
}

void printRunReport(std::ostream& os, const analysis::RunMetadata& meta, const std::vector<analysis::StageRecord>& agg,
                    std::size_t images)
{
    char line[256];
    if (meta.weights.untrained)
        os << "# UNTRAINED default weights — numbers describe a randomly initialised VGG16\n";
    if (images == 1)
        os << "# 1 image; per-location channel L2 norms (exact percentiles)\n";
    else
        os << "# " << images << " image(s); per-location channel L2 norms (aggregate percentiles from "
           << meta.bins.describe() << ", within each aggregate's min and max)\n";
    std::snprintf(line, sizeof line, "%-9s %-6s %10s %11s %11s %11s %11s %6s\n", "layer", "stage", "locations", "p5",
                  "median", "p95", "mean", "zeros");
    os << line;
    for (const auto& s : agg) {
        std::snprintf(
            line, sizeof line, "%-9s %-6s %10llu %11.4g %11.4g %11.4g %11.4g %5.1f%%\n",
            analysis::printable(s.layer).c_str(), analysis::toString(s.stage).c_str(),
            static_cast<unsigned long long>(s.stats.count), s.stats.p5, s.stats.p50, s.stats.p95, s.stats.mean(),
            s.stats.count ? 100.0 * static_cast<double>(s.stats.zeros) / static_cast<double>(s.stats.count) : 0.0);
        os << line;
        if (s.stats.nans)
            os << "          (" << s.stats.nans << " NaN locations excluded"
               << (meta.eps == analysis::EpsMode::Naive && s.stage == analysis::Stage::After
                       ? " — naive L2Norm at all-zero vectors"
                       : "")
               << ")\n";
    }
    // ParseNet view: how much larger is each layer's typical norm than the deepest analysed layer's?
    const analysis::StageRecord* ref = nullptr;
    for (const auto& s : agg)
        if (s.stage == analysis::Stage::Before)
            ref = &s;
    if (ref && ref->stats.p50 > 0) {
        // exact medians when they exist (one image); otherwise each median is known to one bin
        const bool exact = !ref->stats.percentilesFromHistogram;
        os << "# ratio of " << (exact ? "exact medians" : "histogram medians") << " to "
           << analysis::printable(ref->layer) << " (before L2Norm):";
        for (const auto& s : agg)
            if (&s != ref) {
                std::snprintf(line, sizeof line, " %s/%s=%.3gx", analysis::printable(s.layer).c_str(),
                              analysis::toString(s.stage).c_str(), analysis::medianRatio(s.stats.p50, ref->stats.p50));
                os << line;
            }
        os << "\n";
    }
}

} // namespace featscale::cli
