// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/file_names.h"
#include "analysis/runs/run_data.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/run_report.h"

#include <filesystem>
#include <iostream>
#include <system_error>

namespace featscale::cli {
namespace {

/// writeRun into out; when it fails, the folders it created for out are removed again, so a
/// failed merge leaves nothing behind (an existing folder keeps its earlier run: writeRun
/// replaces files only when all are written).
void writeMerged(const analysis::RunData& merged, const std::string& out)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path created; // the outermost folder that does not exist yet
    for (fs::path p = fs::path(out).lexically_normal(); !p.empty() && !fs::exists(fs::symlink_status(p, ec));
         p = p.parent_path()) {
        created = p;
        if (p == p.parent_path())
            break;
    }
    try {
        analysis::writeRun(merged, out);
    } catch (...) {
        if (!created.empty())
            fs::remove_all(created, ec);
        throw;
    }
}

} // namespace

int cmdMerge(const std::vector<std::string>& argv)
{
    ArgParser args({"out"}, {"help", "quiet"});
    args.parse(argv);
    if (args.has("help")) {
        std::cout << "Usage: featscale-cli merge RUN_DIR... --out DIR\n\n"
                     "Merges run directories written by 'analyze' (typically its --shard I/N parts) into one.\n"
                     "The aggregates are recomputed as one run computes them, so the result is byte-identical\n"
                     "to a single run over all images: counts, zeros, NaNs, min, max and histogram bins combine\n"
                     "exactly; sums are added and spreads (m2) combined pairwise in image-index order.\n"
                     "Aggregate percentiles of several images are read from the merged histogram within the\n"
                     "aggregate's min and max, so their resolution is one bin (x1.122 for the default 20 bins\n"
                     "per decade); of one image they are exact. Runs must share weights, arch, preset, size,\n"
                     "layers, gamma, eps, bins.\n\n"
                     "  --out DIR   output directory (created; files replaced atomically)\n"
                     "  --quiet     no summary table on stdout\n";
        return kExitOk;
    }
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out DIR is required");
    if (args.positionals().empty())
        throw UsageError("no run directories given");
    // One memory budget for all runs: what their files together justify, not that much per run.
    std::uint64_t fileBytes = 0;
    for (const auto& dir : args.positionals())
        fileBytes += analysis::runFileBytes(dir);
    analysis::ReadBudget budget = analysis::ReadBudget::forFiles(fileBytes);
    std::vector<analysis::RunData> runs;
    for (const auto& dir : args.positionals())
        runs.push_back(analysis::readRun(dir, &budget));
    const std::size_t runCount = runs.size();
    const auto merged = analysis::mergeRuns(std::move(runs), args.positionals());
    writeMerged(merged, *out);
    if (!args.has("quiet"))
        printRunReport(std::cout, merged);
    std::cerr << "merged " << runCount << " run(s): " << merged.images.size() << " image(s), " << merged.failures.size()
              << " failure(s) -> " << analysis::printable(*out) << "\n";
    return merged.failures.empty() ? kExitOk : kExitSomeFailed;
}

} // namespace featscale::cli
