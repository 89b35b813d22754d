// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/atomic_file.h"
#include "analysis/core/file_names.h"
#include "analysis/runs/run_compare.h"
#include "analysis/stats/median_ratio.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"

#include <cstdio>
#include <iostream>
#include <limits>

namespace featscale::cli {
namespace {

const char* kHelp = "Usage: featscale-cli compare RUN_DIR... --out FILE.csv\n"
                    "\n"
                    "Compares run directories written by 'analyze' or 'merge' (e.g. the same images with different\n"
                    "weights): for every layer and stage, each run's aggregate median, p5 and p95 (as in the '*' rows\n"
                    "of its summary.csv) and the ratio of its median to the first run's. Runs are compared in the\n"
                    "order given, on the layers and stages they all have; the others are named on stdout. Runs made\n"
                    "with the UNTRAINED default weights are flagged.\n"
                    "\n"
                    "FILE.csv columns: layer,stage,run,median,p5,p95,ratio,untrained,images,percentiles\n"
                    "(run = the directory as given; percentiles = exact or histogram). The same table goes to stdout.\n"
                    "\n"
                    "  --out FILE.csv   output file (replaced atomically)\n"
                    "  --quiet          no table on stdout (notes and warnings still go to stdout)\n";

// Names come from the command line and from run files: escaped, they cannot drive the terminal.
std::string shown(const std::string& name) { return analysis::printable(name); }

void printTable(const analysis::RunComparison& c)
{
    char line[512];
    std::snprintf(line, sizeof line, "%-9s %-6s %-4s %11s %11s %11s %9s  %s\n", "layer", "stage", "run", "median", "p5",
                  "p95", "ratio", "");
    std::cout << line;
    for (const auto& row : c.rows) {
        std::snprintf(line, sizeof line, "%-9s %-6s %-4zu %11.4g %11.4g %11.4g %8.3gx  %s\n", shown(row.layer).c_str(),
                      analysis::toString(row.stage).c_str(), row.run + 1, row.median, row.p5, row.p95, row.ratio,
                      c.untrained[row.run] ? "UNTRAINED" : "");
        std::cout << line;
    }
    // within each run: how far apart its layers are (the ParseNet question), against the deepest
    // common layer before L2Norm
    const analysis::ComparedStage* ref = nullptr;
    for (const auto& row : c.rows)
        if (row.stage == analysis::Stage::Before)
            ref = &row;
    if (!ref)
        return;
    for (std::size_t r = 0; r < c.runs.size(); ++r) {
        const analysis::ComparedStage* base = nullptr;
        for (const auto& row : c.rows)
            if (row.run == r && row.layer == ref->layer && row.stage == analysis::Stage::Before)
                base = &row;
        std::cout << "# run " << r + 1 << ", median ratio to " << shown(ref->layer) << " (before):";
        for (const auto& row : c.rows)
            if (row.run == r && &row != base) {
                std::snprintf(
                    line, sizeof line, " %s/%s=%.3gx", shown(row.layer).c_str(), analysis::toString(row.stage).c_str(),
                    base ? analysis::medianRatio(row.median, base->median) : std::numeric_limits<double>::quiet_NaN());
                std::cout << line;
            }
        std::cout << "\n";
    }
}

} // namespace

int cmdCompare(const std::vector<std::string>& argv)
{
    ArgParser args({"out"}, {"help", "quiet"});
    args.parse(argv);
    if (args.has("help")) {
        std::cout << kHelp;
        return kExitOk;
    }
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out FILE.csv is required");
    if (args.positionals().empty())
        throw UsageError("no run directories given");

    const analysis::RunComparison c = analysis::compareRuns(args.positionals());
    analysis::writeFileAtomically(*out, analysis::comparisonCsv(c));

    for (std::size_t r = 0; r < c.runs.size(); ++r) {
        std::cout << "# run " << r + 1 << ": " << shown(c.runs[r]) << " (" << c.images[r] << " image(s))"
                  << (r == 0 ? ", the reference of the ratios" : "") << "\n";
        if (c.untrained[r])
            std::cout << "# WARNING: run " << r + 1 << " (" << shown(c.runs[r])
                      << ") used the UNTRAINED default weights; its numbers describe a randomly initialised VGG16\n";
    }
    for (std::size_t r = 0; r < c.runs.size(); ++r)
        if (!c.dropped[r].empty()) {
            std::cout << "# note: compared on the layers all runs have; run " << r + 1 << " (" << shown(c.runs[r])
                      << ") also has, left out:";
            for (std::size_t k = 0; k < c.dropped[r].size(); ++k)
                std::cout << (k ? ", " : " ") << shown(c.dropped[r][k]);
            std::cout << "\n";
        }
    if (!args.has("quiet"))
        printTable(c);
    std::cerr << "compared " << c.runs.size() << " run(s) on " << (c.runs.empty() ? 0 : c.rows.size() / c.runs.size())
              << " layer/stage pair(s) -> " << shown(*out) << "\n";
    return kExitOk;
}

} // namespace featscale::cli
