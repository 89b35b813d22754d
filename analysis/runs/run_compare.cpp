// SPDX-License-Identifier: GPL-3.0-or-later
// Comparing runs (featscale-cli compare): each run is read and reduced to its aggregates before the
// next is read, so comparing many runs costs the memory of one.
#include "analysis/runs/run_compare.h"

#include "analysis/core/csv.h"
#include "analysis/core/file_names.h"
#include "analysis/runs/run_data.h"

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
    RunComparison out;
    std::vector<std::vector<StageRecord>> aggregates;
    for (const auto& dir : dirs) {
        checkRunDirectory(dir);
        RunData run;
        try {
            run = readRun(dir);
        } catch (const Error& e) {
            const std::string what = e.what();
            throw Error(what.rfind(dir, 0) == 0 ? what : dir + ": " + what);
        }
        out.runs.push_back(dir);
        out.untrained.push_back(run.meta.weights.untrained);
        out.images.push_back(run.images.size());
        aggregates.push_back(aggregate(run));
    }
    if (aggregates.empty())
        return out;

    // common layer/stage pairs, in the first run's (network) order
    auto has = [](const std::vector<StageRecord>& agg, const StageRecord& s) {
        return std::any_of(agg.begin(), agg.end(),
                           [&](const StageRecord& r) { return r.layer == s.layer && r.stage == s.stage; });
    };
    std::vector<const StageRecord*> common;
    for (const auto& s : aggregates.front())
        if (std::all_of(aggregates.begin(), aggregates.end(), [&](const auto& agg) { return has(agg, s); }))
            common.push_back(&s);
    for (const auto& agg : aggregates) {
        std::vector<std::string> dropped;
        for (const auto& s : agg)
            if (std::none_of(common.begin(), common.end(),
                             [&](const StageRecord* c) { return c->layer == s.layer && c->stage == s.stage; }))
                dropped.push_back(stageName(s));
        out.dropped.push_back(std::move(dropped));
    }
    if (common.empty())
        throw Error("the runs have no layer and stage in common; nothing to compare");

    for (const StageRecord* key : common) {
        double first = 0;
        for (std::size_t r = 0; r < aggregates.size(); ++r) {
            const auto& agg = aggregates[r];
            const auto it = std::find_if(agg.begin(), agg.end(), [&](const StageRecord& s) {
                return s.layer == key->layer && s.stage == key->stage;
            });
            ComparedStage c;
            c.layer = key->layer;
            c.stage = key->stage;
            c.run = r;
            c.median = it->stats.p50;
            c.p5 = it->stats.p5;
            c.p95 = it->stats.p95;
            c.histogramPercentiles = it->stats.percentilesFromHistogram;
            if (r == 0)
                first = c.median;
            c.ratio = first != 0 ? c.median / first : std::numeric_limits<double>::quiet_NaN();
            out.rows.push_back(c);
        }
    }
    return out;
}

std::string comparisonCsv(const RunComparison& comparison)
{
    std::string csv = "layer,stage,run,median,p5,p95,ratio,untrained,images,percentiles\n";
    for (const auto& row : comparison.rows)
        csv += row.layer + "," + toString(row.stage) + "," + csvField(escapeFileName(comparison.runs[row.run])) + "," +
               num(row.median) + "," + num(row.p5) + "," + num(row.p95) + "," + num(row.ratio) + "," +
               (comparison.untrained[row.run] ? "true" : "false") + "," +
               std::to_string(comparison.images[row.run]) + "," +
               (row.histogramPercentiles ? "histogram" : "exact") + "\n";
    return csv;
}

} // namespace featscale::analysis
