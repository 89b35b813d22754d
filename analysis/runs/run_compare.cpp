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
#include <map>
#include <set>

namespace featscale::analysis {
namespace {

std::string stageName(const StageRecord& s) { return s.layer + " " + toString(s.stage); }

// The directory must exist and hold a run before readRun is asked, so the message is about the
// directory the user gave rather than about a file inside it.
void checkRunDirectory(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string shown = printable(dir);
    if (!fs::exists(dir, ec))
        throw Error(shown + ": no such run directory");
    if (!fs::is_directory(dir, ec))
        throw Error(shown + ": not a directory (expected a run directory written by analyze or merge)");
    if (!fs::exists(fs::symlink_status(fs::path(dir) / "run.json", ec)))
        throw Error(shown + ": not a run directory (no run.json; expected the output of analyze or merge)");
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
            const std::string shown = printable(dir);
            throw Error(what.rfind(shown, 0) == 0 ? what : shown + ": " + what);
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

    // Each run's stages by layer and stage (the first of a repeated pair, as a search would find):
    // the comparison costs O(n log n) in the stages, not O(n^2).
    using Key = std::pair<std::string, Stage>;
    std::vector<std::map<Key, const StageRecord*>> byKey(runs.size());
    for (std::size_t r = 0; r < runs.size(); ++r)
        for (const auto& s : runs[r].stages)
            byKey[r].emplace(Key{s.layer, s.stage}, &s);
    // common layer/stage pairs, in the first run's (network) order
    std::vector<const StageRecord*> common;
    std::set<Key> commonKeys;
    for (const auto& s : runs.front().stages) {
        const Key key{s.layer, s.stage};
        if (std::all_of(byKey.begin(), byKey.end(), [&](const auto& m) { return m.count(key) > 0; }) &&
            commonKeys.insert(key).second)
            common.push_back(&s);
    }
    for (const auto& run : runs) {
        std::vector<std::string> dropped;
        for (const auto& s : run.stages)
            if (!commonKeys.count(Key{s.layer, s.stage}))
                dropped.push_back(stageName(s));
        out.dropped.push_back(std::move(dropped));
    }
    if (common.empty())
        throw Error("the runs have no layer and stage in common; nothing to compare");

    for (const StageRecord* key : common) {
        auto find = [&](std::size_t r) { return byKey[r].at(Key{key->layer, key->stage}); };
        const double base = find(reference)->stats.p50;
        for (std::size_t r = 0; r < runs.size(); ++r) {
            const StageRecord* it = find(r);
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
        csv += csvText(escapeFileName(row.layer)) + "," + toString(row.stage) + "," +
               csvText(escapeFileName(comparison.runs[row.run])) + "," + num(row.median) + "," + num(row.p5) + "," +
               num(row.p95) + "," + num(row.ratio) + "," + (comparison.untrained[row.run] ? "true" : "false") + "," +
               std::to_string(comparison.images[row.run]) + "," + (row.histogramPercentiles ? "histogram" : "exact") +
               "\n";
    return csv;
}

std::string withinRunRatiosCsv(const std::vector<std::string>& runs,
                               const std::vector<std::vector<WithinRunRatio>>& ratios)
{
    std::string csv = "run,numerator,denominator,stage,ratio,percentiles\n";
    for (std::size_t r = 0; r < runs.size() && r < ratios.size(); ++r)
        for (const auto& w : ratios[r])
            csv += csvText(escapeFileName(runs[r])) + "," + csvText(escapeFileName(w.numerator)) + "," +
                   csvText(escapeFileName(w.denominator)) + "," + toString(w.stage) + "," + num(w.ratio) + "," +
                   (w.histogramPercentiles ? "histogram" : "exact") + "\n";
    return csv;
}

} // namespace featscale::analysis
