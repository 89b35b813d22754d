// SPDX-License-Identifier: GPL-3.0-or-later
// Comparing runs (featscale-cli compare): each run is read and reduced to its aggregates before the
// next is read, so comparing many runs costs the memory of one.
#include "analysis/runs/run_compare.h"

#include "analysis/core/csv.h"
#include "analysis/core/file_names.h"
#include "analysis/runs/run_data.h"
#include "analysis/stats/median_ratio.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

namespace featscale::analysis {
namespace {

std::string stageName(const StageRecord& s) { return s.layer + " " + toString(s.stage); }

// The directory must exist and hold a run before readRun is asked, so the message is about the
// directory the user gave rather than about a file inside it.
void checkRunDirectory(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error(dir + ": no such run directory");
    if (!fs::is_directory(dir, ec))
        throw Error(dir + ": not a directory (expected a run directory written by analyze or merge)");
    if (!fs::exists(fs::path(dir) / "run.json", ec))
        throw Error(dir + ": not a run directory (no run.json; expected the output of analyze or merge)");
}

std::string num(double v) { return csvNumber(v); }

} // namespace

RunComparison compareRuns(const std::vector<std::string>& dirs)
{
    std::vector<RunAggregates> runs;
    for (const auto& dir : dirs) {
        checkRunDirectory(dir);
        RunData run;
        try {
            run = readRun(dir);
        } catch (const Error& e) {
            const std::string what = e.what();
            throw Error(what.rfind(dir, 0) == 0 ? what : dir + ": " + what);
        }
        runs.push_back({dir, run.meta.weights.untrained, run.images.size(), aggregate(run)});
    }
    if (runs.empty())
        return {};
    return compareAggregates(runs, 0);
}

RunComparison compareAggregates(const std::vector<RunAggregates>& runs, std::size_t reference)
{
    RunComparison out;
    if (runs.empty())
        return out;
    if (reference >= runs.size())
        reference = 0;
    for (const auto& run : runs) {
        out.runs.push_back(run.name);
        out.untrained.push_back(run.untrained);
        out.images.push_back(run.images);
    }

    // common layer/stage pairs, in the first run's (network) order
    auto has = [](const std::vector<StageRecord>& agg, const StageRecord& s) {
        return std::any_of(agg.begin(), agg.end(),
                           [&](const StageRecord& r) { return r.layer == s.layer && r.stage == s.stage; });
    };
    std::vector<const StageRecord*> common;
    for (const auto& s : runs.front().stages)
        if (std::all_of(runs.begin(), runs.end(), [&](const RunAggregates& r) { return has(r.stages, s); }))
            common.push_back(&s);
    for (const auto& run : runs) {
        std::vector<std::string> dropped;
        for (const auto& s : run.stages)
            if (std::none_of(common.begin(), common.end(),
                             [&](const StageRecord* c) { return c->layer == s.layer && c->stage == s.stage; }))
                dropped.push_back(stageName(s));
        out.dropped.push_back(std::move(dropped));
    }
    if (common.empty())
        throw Error("the runs have no layer and stage in common; nothing to compare");

    for (const StageRecord* key : common) {
        auto find = [&](const RunAggregates& run) {
            return std::find_if(run.stages.begin(), run.stages.end(),
                                [&](const StageRecord& s) { return s.layer == key->layer && s.stage == key->stage; });
        };
        const double base = find(runs[reference])->stats.p50;
        for (std::size_t r = 0; r < runs.size(); ++r) {
            const auto it = find(runs[r]);
            ComparedStage c;
            c.layer = key->layer;
            c.stage = key->stage;
            c.run = r;
            c.median = it->stats.p50;
            c.p5 = it->stats.p5;
            c.p95 = it->stats.p95;
            c.histogramPercentiles = it->stats.percentilesFromHistogram;
            c.ratio = medianRatio(c.median, base);
            out.rows.push_back(c);
        }
    }
    return out;
}

std::pair<std::string, std::string> defaultRatioLayers(const std::vector<std::string>& layers,
                                                       const std::vector<std::string>& normalized)
{
    auto has = [&](const std::string& l) { return std::find(layers.begin(), layers.end(), l) != layers.end(); };
    if (has("conv4_3") && has("fc7"))
        return {"conv4_3", "fc7"};
    if (layers.size() < 2)
        return {};
    std::string num = layers.front();
    for (const auto& l : layers)
        if (std::find(normalized.begin(), normalized.end(), l) != normalized.end()) {
            num = l;
            break;
        }
    const std::string den = layers.back() != num ? layers.back() : layers[layers.size() - 2];
    return {num, den};
}

std::vector<WithinRunRatio> withinRunRatios(const std::vector<StageRecord>& stages, const std::string& numerator,
                                            const std::string& denominator)
{
    auto find = [&](const std::string& layer, Stage stage) -> const StageRecord* {
        for (const auto& s : stages)
            if (s.layer == layer && s.stage == stage)
                return &s;
        return nullptr;
    };
    auto ratio = [&](Stage stage, const StageRecord* a, const StageRecord* b) {
        WithinRunRatio r;
        r.numerator = numerator;
        r.denominator = denominator;
        r.stage = stage;
        r.numeratorStage = a ? a->stage : stage;
        r.denominatorStage = b ? b->stage : stage;
        r.ratio = a && b ? medianRatio(a->stats.p50, b->stats.p50) : std::numeric_limits<double>::quiet_NaN();
        r.histogramPercentiles = (a && a->stats.percentilesFromHistogram) || (b && b->stats.percentilesFromHistogram);
        return r;
    };
    std::vector<WithinRunRatio> out;
    out.push_back(ratio(Stage::Before, find(numerator, Stage::Before), find(denominator, Stage::Before)));
    const StageRecord* numAfter = find(numerator, Stage::After);
    const StageRecord* denAfter = find(denominator, Stage::After);
    if (numAfter || denAfter)
        out.push_back(ratio(Stage::After, numAfter ? numAfter : find(numerator, Stage::Before),
                            denAfter ? denAfter : find(denominator, Stage::Before)));
    return out;
}

std::string comparisonCsv(const RunComparison& comparison)
{
    std::string csv = "layer,stage,run,median,p5,p95,ratio,untrained,images,percentiles\n";
    for (const auto& row : comparison.rows)
        csv += row.layer + "," + toString(row.stage) + "," + csvField(escapeFileName(comparison.runs[row.run])) + "," +
               num(row.median) + "," + num(row.p5) + "," + num(row.p95) + "," + num(row.ratio) + "," +
               (comparison.untrained[row.run] ? "true" : "false") + "," + std::to_string(comparison.images[row.run]) +
               "," + (row.histogramPercentiles ? "histogram" : "exact") + "\n";
    return csv;
}

std::string withinRunRatiosCsv(const std::vector<std::string>& runs,
                               const std::vector<std::vector<WithinRunRatio>>& ratios)
{
    std::string csv = "run,numerator,denominator,stage,ratio,percentiles\n";
    for (std::size_t r = 0; r < runs.size() && r < ratios.size(); ++r)
        for (const auto& w : ratios[r])
            csv += csvField(escapeFileName(runs[r])) + "," + w.numerator + "," + w.denominator + "," +
                   toString(w.stage) + "," + num(w.ratio) + "," + (w.histogramPercentiles ? "histogram" : "exact") +
                   "\n";
    return csv;
}

} // namespace featscale::analysis
