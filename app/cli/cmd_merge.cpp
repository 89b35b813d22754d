// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/run_report.h"
#include "analysis/runs/run_data.h"

#include <iostream>

namespace featscale::cli {

int cmdMerge(const std::vector<std::string>& argv)
{
    ArgParser args({"out"}, {"help", "quiet"});
    args.parse(argv);
    if (args.has("help")) {
        std::cout << "Usage: featscale-cli merge RUN_DIR... --out DIR\n\n"
                     "Merges run directories written by 'analyze' (typically its --shard I/N parts) into one.\n"
                     "Per-image records are combined in input order; aggregate counts, sums, sums of squares,\n"
                     "min and max combine exactly; histograms add bin by bin; aggregate percentiles are read\n"
                     "from the merged histogram, so their resolution is one bin (x1.122 for the default 20\n"
                     "bins per decade). Runs must share weights, arch, preset, size, layers, gamma, eps, bins.\n";
        return kExitOk;
    }
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out DIR is required");
    if (args.positionals().empty())
        throw UsageError("no run directories given");
    std::vector<analysis::RunData> runs;
    for (const auto& dir : args.positionals())
        runs.push_back(analysis::readRun(dir));
    const auto merged = analysis::mergeRuns(runs, args.positionals());
    analysis::writeRun(merged, *out);
    if (!args.has("quiet"))
        printRunReport(std::cout, merged);
    std::cerr << "merged " << runs.size() << " run(s): " << merged.images.size() << " image(s), "
              << merged.failures.size() << " failure(s) -> " << *out << "\n";
    return merged.failures.empty() ? kExitOk : kExitSomeFailed;
}

} // namespace featscale::cli
