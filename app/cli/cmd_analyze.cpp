// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/analyzer.h"
#include "analysis/runs/run_data.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/run_report.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace featscale::cli {
namespace {

const char* kHelp = "Usage: featscale-cli analyze IMAGES|DIRS... --out DIR [OPTIONS]\n"
                    "\n"
                    "Runs VGG16 on each image and writes, into DIR: histograms.csv, histograms.json, summary.csv,\n"
                    "summary.json and run.json (see README \"Output formats\"). Directories are searched recursively\n"
                    "for image files; inputs are sorted by path so a run is reproducible and shardable.\n"
                    "\n"
                    "  --out DIR          output directory (created; files replaced atomically)\n"
                    "  --shard I/N        process only inputs k with k mod N == I (0 <= I < N), for array jobs;\n"
                    "                     combine the shards with 'featscale-cli merge'\n"
                    "  --quiet            no per-image progress on stderr\n"
                    "  --save-maps        also write norm_maps.npz: every image's norm map (float32, H x W) per layer\n"
                    "                     and stage, keys IMAGE:LAYER:STAGE (numpy: np.load(DIR + '/norm_maps.npz'))\n";

void parseShard(const std::string& s, int& index, int& count)
{
    const auto slash = s.find('/');
    char* e1 = nullptr;
    char* e2 = nullptr;
    if (slash != std::string::npos) {
        const std::string a = s.substr(0, slash), b = s.substr(slash + 1);
        index = static_cast<int>(std::strtol(a.c_str(), &e1, 10));
        count = static_cast<int>(std::strtol(b.c_str(), &e2, 10));
        if (!a.empty() && !b.empty() && *e1 == '\0' && *e2 == '\0' && count >= 1 && index >= 0 && index < count)
            return;
    }
    throw UsageError("--shard must be I/N with 0 <= I < N (e.g. 0/4), got '" + s + "'");
}

} // namespace

int cmdAnalyze(const std::vector<std::string>& argv)
{
    const auto parsed = parseEngineCommand(argv, {"out", "shard"}, {"quiet", "save-maps"}, kHelp);
    if (!parsed)
        return kExitOk;
    const ArgParser& args = *parsed;
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out DIR is required");
    int shardIndex = 0, shardCount = 1;
    if (auto s = args.value("shard"))
        parseShard(*s, shardIndex, shardCount);
    const bool quiet = args.has("quiet");
    const bool saveMaps = args.has("save-maps");

    std::vector<std::string> problems;
    const auto all = imageInputs(args.positionals(), "FAILED", &problems);

    const analysis::AnalyzerOptions options = engineOptions(args);
    analysis::Analyzer analyzer(options);
    const auto& w = analyzer.weights();
    reportWeights(w, "results show the behaviour of an untrained VGG16 only.");
    reportModel(analyzer);

    analysis::RunMetadata meta = analysis::describeRun(analyzer);
    meta.totalInputs = static_cast<std::int64_t>(all.size());
    if (shardCount > 1)
        meta.shard = std::to_string(shardIndex) + "/" + std::to_string(shardCount);

    // Rows stream to temporary files in the output folder as images finish, so memory stays flat
    // however many images there are; the files replace any earlier run only at the end. An
    // unwritable --out fails here, before any image is analysed.
    // From here on a stop signal (Ctrl-C, SIGTERM, SIGHUP) ends the loop between images and the
    // images done so far are written as a complete run: no temporary file is left behind.
    InterruptScope interruptScope;
    analysis::RunWriter run(*out, meta, saveMaps);
    // Folders that could not be listed are failures of the run (exit code 1), not silent gaps.
    for (const auto& p : problems)
        run.addFailure({p.substr(0, p.find(": ")), -1, p});

    std::vector<std::size_t> mine;
    for (std::size_t k = 0; k < all.size(); ++k)
        if (static_cast<int>(k % static_cast<std::size_t>(shardCount)) == shardIndex)
            mine.push_back(k);

    const auto t0 = std::chrono::steady_clock::now();
    bool interrupted = InterruptScope::requested();
    for (std::size_t n = 0; n < mine.size() && !interrupted; ++n) {
        const std::size_t k = mine[n];
        const std::string& path = all[k];
        try {
            auto result = analyzer.analyze(path, [](int, int) { return !InterruptScope::requested(); });
            try {
                run.add(analysis::toRecord(result, static_cast<std::int64_t>(k)));
                if (saveMaps)
                    run.addNormMaps(result);
            } catch (const analysis::Error& e) {
                // The output cannot be written (disk full, I/O error): every further image would
                // fail the same way. Stop now; the earlier run in --out stays as it was.
                std::fprintf(stderr,
                             "featscale-cli: %s\nstopped after %zu of %zu image(s): the run cannot be written\n",
                             e.what(), n, mine.size());
                return kExitFatal;
            }
            if (!quiet) {
                const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                const double eta = elapsed / static_cast<double>(n + 1) * static_cast<double>(mine.size() - n - 1);
                std::fprintf(stderr, "[%zu/%zu] %s: ok (%.0f ms forward%s%s), ETA %.0f s\n", n + 1, mine.size(),
                             path.c_str(), result.forwardMs, result.note.empty() ? "" : "; ", result.note.c_str(), eta);
            }
        } catch (const analysis::Cancelled&) {
            interrupted = true;
            break;
        } catch (const analysis::Error& e) {
            run.addFailure({path, static_cast<std::int64_t>(k), e.what()});
            std::fprintf(stderr, "[%zu/%zu] FAILED %s\n", n + 1, mine.size(), e.what());
        }
        if (InterruptScope::requested()) {
            interrupted = true;
            break;
        }
    }

    const auto aggregates = run.finish();
    printRunReport(std::cout, meta, aggregates, run.imagesAdded());
    std::cerr << "wrote " << *out << "/{histograms.csv,histograms.json,summary.csv,summary.json,run.json"
              << (saveMaps ? ",norm_maps.npz" : "") << "}: " << run.imagesAdded() << " image(s) analysed, "
              << run.failures().size() << " failed";
    if (interrupted)
        std::cerr << ", INTERRUPTED by " << strsignal(InterruptScope::signal()) << " (partial results written)";
    std::cerr << "\n";
    if (interrupted)
        return InterruptScope::exitCode();
    return run.failures().empty() ? kExitOk : kExitSomeFailed;
}

} // namespace featscale::cli
