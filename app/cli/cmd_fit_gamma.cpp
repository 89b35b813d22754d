// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/atomic_file.h"
#include "analysis/engine/analyzer.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/stats/gamma_fit.h"
#include "analysis/stats/gamma_io.h"
#include "analysis/weights/untrained.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

namespace featscale::cli {
namespace {

const char* kHelp =
    "Usage: featscale-cli fit-gamma IMAGES|DIRS... --out GAMMA.csv [--layer L] [--target fc7]\n"
    "                                [--uniform | --steps N --lr X --patience N] [OPTIONS]\n"
    "\n"
    "Fits the L2Norm gamma of --layer on the cached normalized features of all images, so that the\n"
    "median per-location after-norm ||gamma*x_hat|| equals the median norm ||x|| of --target over the\n"
    "same images. The network runs once per image; the fit itself never re-runs it.\n"
    "Per channel (default): Adam (LibTorch autograd) on loss = (log median after-norm - log target\n"
    "median)^2; one median does not determine hundreds of channels, so the answer is one of many.\n"
    "--uniform: one gamma for every channel in closed form, gamma = target median / median ||x_hat||\n"
    "(the median is proportional to a uniform gamma): exact, unique, no iterations.\n"
    "\n"
    "  --out FILE     gamma as CSV (channel,gamma), written atomically; the per-channel fit's loss curve\n"
    "                 goes to FILE with .csv replaced by .loss.csv (step,loss,median_after_norm)\n"
    "  --layer L      normalized layer whose gamma is fitted (default: the first --l2norm layer, conv4_3\n"
    "                 by default; added to --l2norm). Run once per layer to fit several.\n"
    "  --target L     layer whose median norm is the target (default fc7)\n"
    "  --uniform      the closed-form uniform gamma instead of the per-channel Adam fit\n"
    "  --steps N      at most N Adam steps (default 400)\n"
    "  --lr X         Adam step size in gamma units (default: sized from the distance to the target)\n"
    "  --patience N   stop early after N steps without a lower loss (default 60; 0: run every step)\n"
    "  --quiet        no progress on stderr\n"
    "The starting gamma is --gamma/--gamma-file, else the weights' learned gamma, else the family's\n"
    "initial gamma.\n";

std::string lossPathFor(const std::string& out)
{
    const std::string ext = ".csv";
    if (out.size() > ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0)
        return out.substr(0, out.size() - ext.size()) + ".loss.csv";
    return out + ".loss.csv";
}

void addUnique(std::vector<std::string>& list, const std::string& name)
{
    if (std::find(list.begin(), list.end(), name) == list.end())
        list.push_back(name);
}

} // namespace

int cmdFitGamma(const std::vector<std::string>& argv)
{
    const auto parsed = parseEngineCommand(argv, {"out", "layer", "target", "steps", "lr", "patience"},
                                           {"quiet", "uniform"}, kHelp);
    if (!parsed)
        return kExitOk;
    const ArgParser& args = *parsed;
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out GAMMA.csv is required");
    analysis::AnalyzerOptions options = engineOptions(args);
    const std::string layer = args.value(
        "layer", options.l2normLayers && !options.l2normLayers->empty() ? options.l2normLayers->front() : "conv4_3");
    const std::string target = args.value("target", "fc7");
    if (layer == target)
        throw UsageError("--layer and --target must differ");
    const bool uniform = args.has("uniform");
    if (uniform && (args.has("steps") || args.has("lr") || args.has("patience")))
        throw UsageError("--uniform has no steps: --steps, --lr and --patience belong to the per-channel fit");
    analysis::GammaFitOptions fit;
    fit.steps = args.intValue("steps", fit.steps, 1, 1000000);
    fit.patience = args.intValue("patience", fit.patience, 0, 1000000);
    if (fit.patience == 0)
        fit.lossTolerance = 0; // every step, as asked
    fit.lr = args.doubleValue("lr", 0.0);
    if (args.has("lr") && !(fit.lr > 0))
        throw UsageError("--lr must be a positive number");
    const bool quiet = args.has("quiet");

    const auto inputs = imageInputs(args.positionals(), "warning:");

    // Unset (the family's layers): the fitted layer alone; the others would not change the fit.
    if (!options.l2normLayers)
        options.l2normLayers.emplace();
    addUnique(*options.l2normLayers, layer);
    if (!options.layersAll) {
        if (options.layers.empty())
            options.layers = analysis::LayerCatalog::defaultLayers();
        addUnique(options.layers, layer);
        addUnique(options.layers, target);
    }
    analysis::Analyzer analyzer(options);
    const auto& w = analyzer.weights();
    reportWeights(w, "the fitted gamma only describes an untrained VGG16.");
    reportModel(analyzer);

    // Keep only what the fit needs per image (x̂² rows and the target's norms), not whole caches.
    analysis::NormalizedSquares squares;
    std::vector<analysis::NormMap> targetMaps;
    int failed = 0;
    // From here on a stop signal (Ctrl-C, SIGTERM, SIGHUP) ends the work between images or fit
    // steps, or before the files are written, and nothing is written; the files, written
    // atomically, finish once begun.
    InterruptScope interruptScope;
    auto stopped = [] {
        std::cerr << "interrupted by " << strsignal(InterruptScope::signal()) << ": nothing written\n";
        return InterruptScope::exitCode();
    };
    auto keepGoing = [](int, int) { return !InterruptScope::requested(); };
    for (size_t k = 0; k < inputs.size(); ++k) {
        try {
            const analysis::ImageResult r = analyzer.analyze(inputs[k], keepGoing);
            const analysis::LayerResult* t = r.find(target);
            if (!t)
                throw analysis::Error("target layer " + target + " was not analysed");
            const auto one = analysis::NormalizedSquares::pool({r.cache}, layer);
            if (squares.cols != 0 && squares.cols != one.cols)
                throw analysis::Error(inputs[k] + ": channel count of " + layer + " differs from earlier images");
            squares.cols = one.cols;
            squares.rows += one.rows;
            squares.values.insert(squares.values.end(), one.values.begin(), one.values.end());
            targetMaps.push_back(t->before);
            if (!quiet)
                std::fprintf(stderr, "[%zu/%zu] %s: ok\n", k + 1, inputs.size(), inputs[k].c_str());
        } catch (const analysis::Cancelled&) {
            return stopped();
        } catch (const analysis::Error& e) {
            ++failed;
            std::fprintf(stderr, "[%zu/%zu] FAILED %s\n", k + 1, inputs.size(), e.what());
        }
    }
    if (InterruptScope::requested())
        return stopped();
    if (squares.rows == 0) {
        std::cerr << "error: no image could be analysed; nothing written\n";
        return kExitFatal;
    }
    std::vector<const analysis::NormMap*> maps;
    for (const auto& m : targetMaps)
        maps.push_back(&m);
    const double targetMedian = analysis::pooledMedian(maps);
    fit.initGamma = analyzer.gamma(layer);

    if (uniform) {
        const analysis::UniformGammaResult u = analysis::fitUniformGamma(squares, targetMedian);
        if (InterruptScope::requested())
            return stopped();
        std::ostringstream line;
        line << "layer=" << layer << " target=" << target << " target_median=" << u.targetMedian
             << " median_unit_norm=" << u.unitMedian << " gamma=" << u.gamma << " images=" << targetMaps.size()
             << " locations=" << u.locations;
        std::vector<std::string> comments = {
            "featscale fit-gamma --uniform: one L2Norm gamma for every channel",
            "gamma = target median / median ||x_hat|| (closed form)", line.str(), "weights: " + w.summary(),
            "arch=" + analysis::toString(analyzer.arch()) + " preset=" + analysis::toString(analyzer.preset()) +
                " size=" + analysis::toString(options.size) + " eps=" + analysis::toString(analyzer.eps())};
        if (w.untrained)
            comments.push_back(analysis::untrainedSentence(w.seed));
        analysis::writeGammaCsv(*out, std::vector<float>(static_cast<size_t>(squares.cols), u.gamma), comments);
        std::cout << "uniform gamma of " << layer << ": " << u.gamma << " (median ||x_hat|| " << u.unitMedian
                  << ", target: median norm of " << target << " = " << u.targetMedian << ", " << targetMaps.size()
                  << " images, " << u.locations << " locations)\n"
                  << "wrote " << *out << (w.untrained ? " (UNTRAINED weights)" : "") << "\n";
        return failed == 0 ? kExitOk : kExitSomeFailed;
    }

    analysis::GammaFitResult result;
    try {
        result = analysis::fitGamma(squares, targetMedian, fit, [quiet](int step, int steps, double loss) {
            if (!quiet && (step % 50 == 0 || step == steps))
                std::fprintf(stderr, "step %d/%d loss %.4g\n", step, steps, loss);
            return !InterruptScope::requested();
        });
    } catch (const analysis::Cancelled&) {
        return stopped();
    }

    std::ostringstream line;
    line << "layer=" << layer << " target=" << target << " target_median=" << result.targetMedian
         << " achieved_median=" << result.achievedMedian << " initial_median=" << result.initialMedian
         << " images=" << targetMaps.size() << " locations=" << result.locations << " steps=" << result.stepsRun << "/"
         << fit.steps << " best_step=" << result.bestStep << " stop="
         << (result.stop == analysis::GammaFitStop::TargetReached   ? "target-reached"
             : result.stop == analysis::GammaFitStop::NoImprovement ? "no-improvement"
                                                                    : "all-steps");
    std::vector<std::string> comments = {
        "featscale fit-gamma: per-channel L2Norm gamma fitted with Adam",
        "loss = (log median ||gamma*x_hat|| - log target median)^2", line.str(), "weights: " + w.summary(),
        "arch=" + analysis::toString(analyzer.arch()) + " preset=" + analysis::toString(analyzer.preset()) +
            " size=" + analysis::toString(options.size) + " eps=" + analysis::toString(analyzer.eps())};
    if (w.untrained)
        comments.push_back(analysis::untrainedSentence(w.seed));
    analysis::writeGammaCsv(*out, result.gamma, comments);

    std::string loss;
    for (const auto& c : comments)
        loss += "# " + c + "\n";
    loss += "step,loss,median_after_norm\n";
    char buf[96];
    for (size_t s = 0; s < result.loss.size(); ++s) {
        std::snprintf(buf, sizeof buf, "%zu,%.9g,%.9g\n", s, result.loss[s], result.median[s]);
        loss += buf;
    }
    const std::string lossPath = lossPathFor(*out);
    analysis::writeFileAtomically(lossPath, loss);

    std::cout << "median after-norm of " << layer << ": " << result.initialMedian << " -> " << result.achievedMedian
              << " (target: median norm of " << target << " = " << result.targetMedian << ") after " << result.stepsRun
              << " of " << fit.steps << " steps"
              << (result.stop == analysis::GammaFitStop::NoImprovement   ? " (stopped: the loss stopped improving)"
                  : result.stop == analysis::GammaFitStop::TargetReached ? " (target reached)"
                                                                         : "")
              << "\n"
              << "wrote " << *out << " and " << lossPath << (w.untrained ? " (UNTRAINED weights)" : "") << "\n";
    return failed == 0 ? kExitOk : kExitSomeFailed;
}

} // namespace featscale::cli
