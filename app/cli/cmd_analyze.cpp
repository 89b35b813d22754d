// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/file_names.h"
#include "analysis/engine/analyzer.h"
#include "analysis/engine/energy_share.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/regions/annotations.h"
#include "analysis/regions/region_mask.h"
#include "analysis/runs/run_data.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/run_report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <set>

namespace featscale::cli {
namespace {

const char* kHelp =
    "Usage: featscale-cli analyze IMAGES|DIRS... --out DIR [OPTIONS]\n"
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
    "                     and stage, keys IMAGE:LAYER:STAGE (numpy: np.load(DIR + '/norm_maps.npz'))\n"
    "  --annotations PATH object boxes: a folder of Pascal VOC NAME.xml (matched by image stem), a COCO\n"
    "                     instances .json (matched by file_name) or a WIDER FACE ground-truth .txt;\n"
    "                     summary.csv/json gain rows per region (object, background, small, medium,\n"
    "                     large: a cell is on a box when the centre of its image rectangle is), their\n"
    "                     histograms go to region_histograms.csv. Problems are reported, never fatal\n"
    "  --energy-share     also write energy_share.csv: each layer's share of the concatenation's\n"
    "                     squared norm, ||x_l||^2 / sum_k ||x_k||^2, median and mean over the cells of\n"
    "                     the group's finest map, before and after L2Norm (image '*': all images)\n"
    "  --energy-group L,L the group (implies --energy-share); default: the topology's L2Norm layers\n"
    "                     and fc7 (conv4_3,fc7 for SSD)\n";

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

// Annotations never stop a run: a file that cannot be read at all is reported and the run goes on
// without regions, a malformed entry is reported and left out.
std::unique_ptr<analysis::Annotations> loadAnnotations(const std::string& path, const std::vector<std::string>& inputs)
{
    std::unique_ptr<analysis::Annotations> a;
    try {
        a = std::make_unique<analysis::Annotations>(analysis::Annotations::read(path));
    } catch (const analysis::Error& e) {
        std::fprintf(stderr, "featscale-cli: annotations: %s; the run goes on without regions\n", e.what());
        return nullptr;
    }
    for (const auto& p : a->problems())
        std::fprintf(stderr, "annotations: %s\n", p.c_str());
    if (a->problemsLeftOut())
        std::fprintf(stderr, "annotations: ... and %zu more problems\n", a->problemsLeftOut());
    std::set<std::string> keys;
    for (const auto& image : inputs)
        keys.insert(a->keyOf(image));
    std::size_t unknown = 0;
    std::string named;
    for (const auto& name : a->names())
        if (!keys.count(name) && ++unknown <= 5)
            named += (named.empty() ? "" : ", ") + analysis::printable(name);
    std::fprintf(stderr, "annotations: %s (%s), %zu image(s) annotated", analysis::printable(path).c_str(),
                 analysis::toString(a->format()).c_str(), a->size());
    if (unknown)
        std::fprintf(stderr, "; %zu of them not among the inputs (%s%s)", unknown, named.c_str(),
                     unknown > 5 ? ", ..." : "");
    std::fprintf(stderr, "\n");
    return a;
}

std::vector<std::string> energyGroup(const ArgParser& args, const analysis::Analyzer& analyzer)
{
    std::vector<std::string> group;
    if (auto g = args.value("energy-group")) {
        group = analysis::LayerCatalog(analyzer.arch(), /*withExtras=*/true).parseList(*g);
        const auto analysed = analyzer.layers();
        for (const auto& layer : group)
            if (std::find(analysed.begin(), analysed.end(), layer) == analysed.end())
                throw UsageError("--energy-group: " + layer + " is not analysed (add it to --layers)");
    } else {
        group = analysis::defaultEnergyGroup(analyzer.arch(), analyzer.layers());
    }
    if (group.size() < 2)
        throw UsageError("--energy-share needs a group of at least two analysed layers (--energy-group L,L; the "
                         "default group is the L2Norm layers and fc7)");
    return group;
}

} // namespace

int cmdAnalyze(const std::vector<std::string>& argv)
{
    const auto parsed = parseEngineCommand(argv, {"out", "shard", "annotations", "energy-group"},
                                           {"quiet", "save-maps", "energy-share"}, kHelp);
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
    const bool energyShare = args.has("energy-share") || args.value("energy-group").has_value();

    std::vector<std::string> problems;
    const auto all = imageInputs(args.positionals(), "FAILED", &problems);

    const analysis::AnalyzerOptions options = engineOptions(args);
    analysis::Analyzer analyzer(options);
    const auto& w = analyzer.weights();
    reportWeights(w, "results show the behaviour of an untrained VGG16 only.");
    reportModel(analyzer);
    const std::vector<std::string> group = energyShare ? energyGroup(args, analyzer) : std::vector<std::string>{};
    std::unique_ptr<analysis::Annotations> annotations;
    if (auto a = args.value("annotations"))
        annotations = loadAnnotations(*a, all);

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
    if (energyShare)
        run.shareEnergy(group);
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
            analysis::ImageRecord record = analysis::toRecord(result, static_cast<std::int64_t>(k));
            if (annotations) {
                if (const analysis::ImageAnnotation* a = annotations->find(path)) {
                    for (const auto& p : analysis::Annotations::check(*a, result.originalWidth, result.originalHeight))
                        std::fprintf(stderr, "annotations: %s\n", p.c_str());
                    record.regions = analysis::regionRecords(result, *a, meta.bins);
                } else {
                    std::fprintf(stderr, "annotations: no annotation for %s; it gets no region rows\n",
                                 analysis::printable(path).c_str());
                }
            }
            try {
                run.add(record);
                if (saveMaps)
                    run.addNormMaps(result);
                if (energyShare)
                    run.addEnergyShares(result);
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
              << (saveMaps ? ",norm_maps.npz" : "") << (annotations ? ",region_histograms.csv" : "")
              << (energyShare ? ",energy_share.csv" : "") << "}: " << run.imagesAdded() << " image(s) analysed, "
              << run.failures().size() << " failed";
    if (interrupted)
        std::cerr << ", INTERRUPTED by " << strsignal(InterruptScope::signal()) << " (partial results written)";
    std::cerr << "\n";
    if (interrupted)
        return InterruptScope::exitCode();
    return run.failures().empty() ? kExitOk : kExitSomeFailed;
}

} // namespace featscale::cli
