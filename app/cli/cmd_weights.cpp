// SPDX-License-Identifier: GPL-3.0-or-later
// `featscale-cli weights FILE` — what a weight file is and what featscale will make of it;
// `featscale-cli weights --list` — weight files found in the PyTorch and Keras caches;
// `featscale-cli weights --available | --download NAME...` — the catalogue (weights_catalog.cpp).
#include "analysis/core/csv.h"
#include "analysis/core/file_names.h"
#include "analysis/core/topology.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/weights/download/discovery.h"
#include "analysis/weights/inspect.h"
#include "analysis/weights/weight_info.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "app/cli/weights_catalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>

namespace featscale::cli {
namespace {

const char* kHelp =
    "Usage: featscale-cli weights FILE|NAME [--arch vgg16|vgg16-bn|vgg16-reduced|ssd512|refinedet|s3fd] [--json]\n"
    "       featscale-cli weights --list [--json]\n"
    "       featscale-cli weights --topologies [--json]\n"
    "       featscale-cli weights --available [--json]\n"
    "       featscale-cli weights --download NAME... [--to DIR] [--quiet]\n"
    "\n"
    "Opens a weight file the way 'analyze --weights FILE' would and prints its format (PyTorch zip or\n"
    "legacy, TorchScript, Caffe, ONNX, Keras .h5), the key layout recognised, the input convention\n"
    "(preset) and L2Norm eps it implies, the topology, the parameter count, the file's sha256, each learned\n"
    "L2Norm gamma the file carries (min/mean/max over the layer's channels; --json adds the values), whether\n"
    "the detector's extra layers are present, and any warnings (keys not used, detection heads left out).\n"
    "Nothing in the file is executed.\n"
    "\n"
    "  --arch A     topology to map onto when the file alone does not decide\n"
    "  --topologies the topologies featscale builds: name, the definition each follows, its normalized\n"
    "               layers with their initial gamma, its family's input convention and eps, and the\n"
    "               detectors' published prior grids (source layer: feature map @ step)\n"
    "  --list       list weight files found in $TORCH_HOME/hub/checkpoints (default\n"
    "               ~/.cache/torch/hub/checkpoints) and $KERAS_HOME/models (default ~/.keras/models),\n"
    "               each checked against the hash its name promises (digests are remembered by path,\n"
    "               size and modification time, so a file is read once)\n"
    "  --available  the trained weights featscale can download: name, file, size, destination, and\n"
    "               whether it is there and verified\n"
    "  --download NAME...  fetch catalogue entries (e.g. vgg16 ssd300-coco) into the PyTorch/Keras\n"
    "               caches, resuming FILE.part, verifying the hash before the file is put in place\n"
    "  --to DIR     download into DIR instead\n"
    "  --mirror URL fetch URL/<file> instead of the publisher's URL (or FEATSCALE_WEIGHTS_MIRROR)\n"
    "  --catalog F  add a lab catalogue (JSON array; or FEATSCALE_CATALOG)\n"
    "  --quiet      no progress\n"
    "  --json       machine-readable output\n";

struct GammaSummary {
    float min = 0, mean = 0, max = 0;
};

GammaSummary summarise(const std::vector<float>& g)
{
    GammaSummary s;
    if (g.empty())
        return s;
    s.min = *std::min_element(g.begin(), g.end());
    s.max = *std::max_element(g.begin(), g.end());
    s.mean = static_cast<float>(std::accumulate(g.begin(), g.end(), 0.0) / static_cast<double>(g.size()));
    return s;
}

std::string megabytes(std::uintmax_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

// Names are escaped like in run files (analysis/core/file_names.h); anything else that is not
// UTF-8 is replaced rather than failing the command.
std::string dumpJson(const nlohmann::json& j)
{
    return j.dump(2, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

int listDiscovered(bool json)
{
    const auto found = analysis::weights::discoverWeights(/*hash=*/true);
    const auto folders = analysis::weights::discoveryFolders();
    if (json) {
        nlohmann::json j;
        j["folders"] = folders;
        j["found"] = nlohmann::json::array();
        for (const auto& w : found)
            j["found"].push_back({{"path", analysis::escapeFileName(w.path)},
                                  {"size_bytes", w.sizeBytes},
                                  {"kind", w.kind},
                                  {"verified", w.check == analysis::weights::DiscoveredWeights::Check::Verified},
                                  {"expected", w.expected},
                                  {"actual", w.actual},
                                  {"arch", analysis::toString(w.arch)}});
        std::cout << dumpJson(j) << "\n";
        return kExitOk;
    }
    std::cout << "Searched:\n";
    for (const auto& f : folders)
        std::cout << "  " << analysis::printable(f) << "\n";
    if (found.empty()) {
        std::cout << "No VGG16/SSD weight files found.\n";
        return kExitOk;
    }
    std::cout << "Found " << found.size() << " weight file(s):\n";
    for (const auto& w : found)
        std::cout << "  " << analysis::printable(w.path) << "\n      " << analysis::printable(w.kind) << ", "
                  << analysis::toString(w.arch) << ", " << megabytes(w.sizeBytes) << "\n";
    return kExitOk;
}

void printInfo(const analysis::WeightInfo& info)
{
    std::cout << "file:        " << info.path << "\n"
              << "format:      " << info.format << "\n"
              << "layout:      " << info.layout << "\n"
              << "family:      " << info.family << "\n"
              << "preset:      " << analysis::toString(info.preset) << " (input convention; override with --preset)\n"
              << "eps:         " << analysis::toString(info.eps) << " (L2Norm eps of the family; override with --eps)\n"
              << "arch:        " << analysis::toString(info.arch) << "\n"
              << "topology:    " << analysis::topologyInfo(info.arch).title
              << (info.fc6Dilation ? " (fc6 dilation " + std::to_string(info.fc6Dilation) + ")" : "") << "\n"
              << "parameters:  " << info.parameterCount << "\n"
              << "sha256:      " << info.sha256 << "\n";
    for (const auto& [layer, gamma] : info.gammas) {
        const GammaSummary g = summarise(gamma);
        std::cout << "gamma:       " << layer << ": learned L2Norm gamma, " << gamma.size() << " channels, min "
                  << g.min << " mean " << g.mean << " max " << g.max << "\n";
    }
    if (info.gammas.empty())
        std::cout << "gamma:       none in the file (L2Norm uses the topology's initial gamma)\n";
    std::string l2norm;
    if (!info.gammas.empty())
        for (const auto& [layer, gamma] : info.gammas)
            l2norm += (l2norm.empty() ? "" : ", ") + layer + " (learned)";
    else
        for (const auto& s : analysis::topologyInfo(info.arch).l2norm)
            l2norm += (l2norm.empty() ? "" : ", ") + s.layer + " (init " + analysis::csvNumber(s.init) + ")";
    std::cout << "l2norm:      " << (l2norm.empty() ? std::string("conv4_3 (init 20)") : l2norm)
              << " (the layers normalized by default; --l2norm chooses others)\n";
    std::string extras;
    if (info.hasExtras)
        for (const auto& tap : analysis::LayerCatalog(info.arch, true).taps())
            if (!analysis::LayerCatalog(info.arch, false).contains(tap.name))
                extras += (extras.empty() ? "" : ", ") + tap.name;
    std::cout << "extras:      " << (info.hasExtras ? "yes (" + extras + " available as taps)" : "no") << "\n";
    if (info.warnings.empty())
        std::cout << "warnings:    none\n";
    for (const auto& w : info.warnings)
        std::cout << "warning:     " << w << "\n";
}

void printJson(const analysis::WeightInfo& info)
{
    std::vector<std::string> warnings;
    for (const auto& w : info.warnings)
        warnings.push_back(analysis::escapeFileName(w));
    nlohmann::json j{{"path", analysis::escapeFileName(info.path)},
                     {"format", info.format},
                     {"layout", info.layout},
                     {"family", info.family},
                     {"preset", analysis::toString(info.preset)},
                     {"eps", analysis::toString(info.eps)},
                     {"arch", analysis::toString(info.arch)},
                     {"topology", analysis::topologyInfo(info.arch).title},
                     {"fc6_dilation", info.fc6Dilation},
                     {"parameters", info.parameterCount},
                     {"sha256", info.sha256},
                     {"has_gamma", !info.gammas.empty()},
                     {"has_extras", info.hasExtras},
                     {"warnings", warnings}};
    for (const auto& [layer, gamma] : info.gammas) {
        const GammaSummary g = summarise(gamma);
        j["gammas"][layer] = {
            {"channels", gamma.size()}, {"min", g.min}, {"mean", g.mean}, {"max", g.max}, {"values", gamma}};
        if (layer == "conv4_3") // also as "gamma": SSD300's one L2Norm layer, for single-gamma readers
            j["gamma"] = j["gammas"][layer];
    }
    std::cout << dumpJson(j) << "\n";
}

int listTopologies(bool json)
{
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& t : analysis::topologies()) {
        nlohmann::json l2norm = nlohmann::json::object();
        std::string text;
        for (const auto& s : t.l2norm) {
            l2norm[s.layer] = s.init;
            text += (text.empty() ? "" : ", ") + s.layer + " (" + analysis::csvNumber(s.init) + ")";
        }
        nlohmann::json priors = nlohmann::json::array();
        std::string priorText;
        for (const auto& c : t.priors) {
            nlohmann::json layers = nlohmann::json::array();
            priorText += std::string("\n  priors ") + c.name + " (" + std::to_string(c.inputSize) + " px, " + c.source +
                         "):";
            for (const auto& l : c.layers) {
                layers.push_back({{"layer", l.layer},
                                  {"feature_map", l.featureMap},
                                  {"step", l.step},
                                  {"min_size", l.minSize},
                                  {"max_size", l.maxSize},
                                  {"aspect_ratios", l.aspectRatios}});
                priorText += std::string(" ") + l.layer + " " + std::to_string(l.featureMap) + "@" +
                             analysis::csvNumber(l.step);
            }
            priors.push_back({{"name", c.name}, {"input_size", c.inputSize}, {"source", c.source}, {"layers", layers}});
        }
        rows.push_back({{"name", t.name},
                        {"title", t.title},
                        {"definition", t.definition},
                        {"l2norm", l2norm},
                        {"preset", analysis::toString(t.preset)},
                        {"eps", analysis::toString(t.eps)},
                        {"priors", priors}});
        if (!json)
            std::cout << t.name << "\n  " << t.title << "\n  follows: " << t.definition
                      << "\n  L2Norm: " << (text.empty() ? std::string("none of its own") : text)
                      << "\n  originals' input: " << analysis::toString(t.preset) << ", eps "
                      << analysis::toString(t.eps) << priorText << "\n";
    }
    if (json)
        std::cout << dumpJson(rows) << "\n";
    return kExitOk;
}

} // namespace

int cmdWeights(const std::vector<std::string>& args)
{
    ArgParser parser({"arch", "to", "mirror", "catalog"},
                     {"list", "json", "help", "available", "download", "quiet", "topologies"});
    parser.parse(args);
    if (parser.has("help")) {
        std::cout << kHelp;
        return kExitOk;
    }
    const bool json = parser.has("json");
    if (parser.has("available") || parser.has("download")) {
        if (parser.has("available") && parser.has("download"))
            throw UsageError("give either --available or --download");
        return parser.has("available") ? weightsAvailable(parser, json) : weightsDownload(parser);
    }
    if (parser.has("topologies"))
        return listTopologies(json);
    if (parser.has("list")) {
        if (!parser.positionals().empty() || parser.has("arch"))
            throw UsageError("--list takes no FILE and no --arch");
        return listDiscovered(json);
    }
    if (parser.positionals().size() != 1)
        throw UsageError(parser.positionals().empty() ? "missing FILE (or --list)" : "exactly one FILE expected");
    std::optional<analysis::Arch> arch;
    if (auto a = parser.value("arch")) {
        try {
            arch = analysis::parseArch(*a);
        } catch (const analysis::Error& e) {
            throw UsageError(e.what());
        }
    }
    const analysis::WeightInfo info = analysis::weights::inspect(
        analysis::weights::resolveWeightsArgument(parser.positionals()[0], catalogSettings(parser)), arch);
    if (json)
        printJson(info);
    else
        printInfo(info);
    return kExitOk;
}

} // namespace featscale::cli
