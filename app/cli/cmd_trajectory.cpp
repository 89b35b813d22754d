// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/file_names.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/trajectory/trajectory_files.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace featscale::cli {
namespace {

const char* kHelp =
    "Usage: featscale-cli trajectory CHECKPOINT...|DIR [--images IMAGES|DIRS...] --out DIR [OPTIONS]\n"
    "\n"
    "Feature scale across a training run. Orders the checkpoints by their training step: what the file\n"
    "records (mmdetection meta.iter / meta.epoch; a checkpoint dict's iteration, iter, global_step, step\n"
    "or epoch, as S3FD.pytorch's {'weight', 'epoch'}), else Caffe snapshots' _iter_N, else the last\n"
    "number in the file name (ssd300_COCO_115000.pth); ties and checkpoints without a step keep the\n"
    "order given (and a note says so). A DIR stands for its weight files (not recursive).\n"
    "Writes into DIR: gamma.csv (checkpoint,step,layer,channel,gamma), trajectory.csv (per checkpoint\n"
    "gamma's mean, std, min, max and coefficient of variation per normalized layer; with --images each\n"
    "layer's aggregate median, p5, p95, mean |x| before and after L2Norm and the ratio of its median to\n"
    "the reference layer's) and trajectory.json (order, steps and their sources, notes, flags, failures);\n"
    "see README \"Output formats\". A gamma whose coefficient of variation is below 1 % is flagged: one\n"
    "shared scale would do (Caffe `channel_shared`).\n"
    "Without --images only the gamma records are read from PyTorch zip checkpoints (not the network),\n"
    "one checkpoint at a time. A checkpoint that cannot be read is reported and skipped.\n"
    "\n"
    "  --out DIR          output directory (created; files replaced atomically, together)\n"
    "  --images PATH...   images or directories: every checkpoint analyses them as 'analyze' would\n"
    "                     (every argument after --images up to the next option)\n"
    "  --reference LAYER  layer whose median (before L2Norm) the ratios are to (default: the deepest\n"
    "                     analysed layer, fc7 with the default layers)\n"
    "  --quiet            no per-checkpoint progress on stderr\n"
    "The analysis options apply with --images; --weights does not (the checkpoints are the weights).\n";

/// `--images` takes every argument after it up to the next option, so a shell glob works.
std::vector<std::string> takeImages(const std::vector<std::string>& argv, std::vector<std::string>& rest)
{
    std::vector<std::string> images;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i].rfind("--images=", 0) == 0) {
            images.push_back(argv[i].substr(9));
            continue;
        }
        if (argv[i] != "--images") {
            rest.push_back(argv[i]);
            continue;
        }
        const std::size_t before = images.size();
        while (i + 1 < argv.size() && argv[i + 1].rfind("--", 0) != 0)
            images.push_back(argv[++i]);
        if (images.size() == before)
            throw UsageError("--images needs at least one image or directory");
    }
    return images;
}

std::vector<std::string> checkpointInputs(const std::vector<std::string>& positionals)
{
    if (positionals.empty())
        throw UsageError("no checkpoints or checkpoint directory given");
    std::vector<std::string> out;
    for (const auto& p : positionals) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) {
            const auto files = analysis::checkpointFiles(p);
            if (files.empty())
                throw analysis::Error(analysis::escapeFileName(p) +
                                      ": no weight files (.pth, .pt, .caffemodel, ...) in it");
            out.insert(out.end(), files.begin(), files.end());
        } else {
            out.push_back(p);
        }
    }
    return out;
}

std::string stepText(const analysis::TrajectoryCheckpoint& c)
{
    return c.step ? std::to_string(*c.step) + " (" + c.stepSource + ")" : std::string("none");
}

} // namespace

int cmdTrajectory(const std::vector<std::string>& argv)
{
    std::vector<std::string> rest;
    const std::vector<std::string> imageArgs = takeImages(argv, rest);
    const auto parsed = parseEngineCommand(rest, {"out", "reference"}, {"quiet"}, kHelp);
    if (!parsed)
        return kExitOk;
    const ArgParser& args = *parsed;
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out DIR is required");
    if (args.has("weights"))
        throw UsageError("--weights does not apply: each checkpoint is the weights");
    const bool quiet = args.has("quiet");
    const std::string reference = args.value("reference", "");
    const std::vector<std::string> paths = checkpointInputs(args.positionals());
    std::vector<std::string> problems;
    const std::vector<std::string> images = imageArgs.empty() ? std::vector<std::string>{}
                                                              : imageInputs(imageArgs, "FAILED", &problems);
    const analysis::AnalyzerOptions options = engineOptions(args);
    if (!reference.empty() && !options.layersAll) {
        // refused here rather than once per checkpoint, after each has been analysed
        const auto layers = options.layers.empty() ? analysis::LayerCatalog::defaultLayers() : options.layers;
        if (std::find(layers.begin(), layers.end(), reference) == layers.end())
            throw UsageError("--reference " + reference + " is not among the analysed layers (--layers)");
    }

    // A stop signal ends the work between checkpoints (and between images); what is done is written.
    InterruptScope interruptScope;
    analysis::Trajectory trajectory = analysis::loadTrajectory(paths, [&](int done, int total) {
        if (!quiet)
            std::fprintf(stderr, "[%d/%d] read %s\n", done, total, paths[static_cast<std::size_t>(done - 1)].c_str());
        return !InterruptScope::requested();
    });
    bool interrupted = !trajectory.complete;
    for (const auto& n : trajectory.notes)
        std::cerr << "note: " << analysis::printable(n) << "\n";

    analysis::TrajectoryWriter writer(*out, trajectory.notes, images.size());
    std::size_t failed = problems.size();
    const std::size_t total = trajectory.checkpoints.size();
    for (std::size_t i = 0; i < total && !interrupted; ++i) {
        const analysis::TrajectoryCheckpoint& c = trajectory.checkpoints[i];
        const std::string shown = analysis::printable(c.path);
        if (!c.error.empty()) {
            writer.addFailure(c, c.error);
            ++failed;
            std::fprintf(stderr, "[%zu/%zu] FAILED %s (skipped)\n", i + 1, total, analysis::printable(c.error).c_str());
            continue;
        }
        if (images.empty()) {
            writer.add(c);
            if (!quiet)
                std::fprintf(stderr, "[%zu/%zu] step %s: %s: gamma of %zu layer(s), %s\n", i + 1, total,
                             stepText(c).c_str(), shown.c_str(), c.gammas.size(), c.readMode.c_str());
            continue;
        }
        try {
            const auto scales = analysis::analyzeCheckpoint(options, c.path, images, reference,
                                                            [](int, int) { return !InterruptScope::requested(); });
            writer.add(c, &scales);
            failed += scales.failures.size();
            for (const auto& f : scales.failures)
                std::fprintf(stderr, "  FAILED %s\n", analysis::printable(f.error).c_str());
            if (!quiet)
                std::fprintf(stderr, "[%zu/%zu] step %s: %s: %zu image(s)\n", i + 1, total, stepText(c).c_str(),
                             shown.c_str(), scales.images);
        } catch (const analysis::Cancelled&) {
            interrupted = true;
        } catch (const analysis::Error& e) {
            writer.addFailure(c, e.what());
            ++failed;
            std::fprintf(stderr, "[%zu/%zu] FAILED %s (skipped)\n", i + 1, total,
                         analysis::printable(e.what()).c_str());
        }
        if (InterruptScope::requested())
            interrupted = true;
    }
    writer.finish(interrupted);

    for (const auto& f : writer.flags())
        std::cout << "flag: " << analysis::printable(f) << "\n";
    std::cerr << "wrote " << *out << "/{gamma.csv,trajectory.csv,trajectory.json}: " << writer.added()
              << " checkpoint(s), " << failed << " failure(s)";
    if (interrupted)
        std::cerr << ", INTERRUPTED by " << strsignal(InterruptScope::signal())
                  << " (the checkpoints done so far are written)";
    std::cerr << "\n";
    if (interrupted)
        return InterruptScope::exitCode();
    return failed ? kExitSomeFailed : kExitOk;
}

} // namespace featscale::cli
