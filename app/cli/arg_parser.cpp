// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/arg_parser.h"
#include "analysis/core/topology.h"
#include "analysis/images/image_files.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/stats/gamma_io.h"
#include "analysis/weights/untrained.h"
#include "app/cli/weights_catalog.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace featscale::cli {

ArgParser::ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags)
    : m_valueOptions(std::move(valueOptions)), m_flagNames(std::move(flags))
{ }

void ArgParser::parse(const std::vector<std::string>& args)
{
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (onlyPositionals || a.size() < 2 || a.rfind("--", 0) != 0) {
            if (a == "-" || a.rfind("-", 0) != 0 || onlyPositionals)
                m_positionals.push_back(a);
            else
                throw UsageError("unknown option " + a);
            continue;
        }
        if (a == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = a.substr(2), val;
        const auto eq = name.find('=');
        const bool hasEq = eq != std::string::npos;
        if (hasEq) {
            val = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (m_flagNames.count(name)) {
            if (hasEq)
                throw UsageError("--" + name + " takes no value");
            m_flags.insert(name);
        } else if (m_valueOptions.count(name)) {
            if (!hasEq) {
                if (i + 1 >= args.size())
                    throw UsageError("--" + name + " needs a value");
                val = args[++i];
            }
            m_values[name] = val;
            m_allValues[name].push_back(val);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::optional<std::string> ArgParser::value(const std::string& name) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::string ArgParser::value(const std::string& name, const std::string& fallback) const
{
    return value(name).value_or(fallback);
}

std::vector<std::string> ArgParser::values(const std::string& name) const
{
    const auto it = m_allValues.find(name);
    return it == m_allValues.end() ? std::vector<std::string>{} : it->second;
}

int ArgParser::intValue(const std::string& name, int fallback, int lo, int hi) const
{
    const auto v = value(name);
    if (!v)
        return fallback;
    char* end = nullptr;
    const long n = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < lo || n > hi)
        throw UsageError("--" + name + " must be a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi));
    return static_cast<int>(n);
}

double ArgParser::doubleValue(const std::string& name, double fallback) const
{
    const auto v = value(name);
    if (!v)
        return fallback;
    char* end = nullptr;
    const double d = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0' || !std::isfinite(d))
        throw UsageError("--" + name + " must be a number");
    return d;
}

std::set<std::string> engineValueOptions()
{
    std::set<std::string> names{"arch",  "weights",    "preset", "size", "layers",  "l2norm",
                                "gamma", "gamma-file", "eps",    "bins", "threads", "seed"};
    names.merge(catalogValueOptions());
    return names;
}

std::string engineOptionsHelp()
{
    std::string arches;
    for (const auto& t : analysis::topologies())
        arches += (arches.empty() ? "" : "|") + std::string(t.name);
    std::string help =
        "Model and input:\n"
        "  --arch " +
        arches +
        "\n"
        "                               topology (default vgg16-reduced; a weight file decides unless given;\n"
        "                               'featscale-cli weights --topologies' describes each)\n"
        "  --weights FILE|NAME          weight file (.pth/.pt, TorchScript, .caffemodel, .onnx, Keras .h5), or a\n"
        "                               catalogue name (vgg16, ssd300-coco, ...: 'featscale-cli weights "
        "--available');\n"
        "                               default: seeded default weights, UNTRAINED\n"
        "  --catalog FILE / --mirror URL  lab catalogue and mirror (FEATSCALE_CATALOG / FEATSCALE_WEIGHTS_MIRROR)\n"
        "  --seed N                     seed of the default weights (default 0)\n"
        "  --preset caffe|torchvision|caffe-rgb  input convention (default: the weights' own)\n"
        "  --size N|square:N|short:N|original[:max=PIXELS]  input size (default 300 = 300x300)\n"
        "  --threads N                  intra-op threads (default: all cores)\n"
        "Analysis:\n"
        "  --layers L1,L2,...|all       taps to analyse (default conv4_3,conv5_3,fc7)\n"
        "  --l2norm L1,...|none         layers that get SSD's L2Norm (default: the weights' learned L2Norm\n"
        "                               layers, else the topology's, e.g. RefineDet conv4_3,conv5_3; else conv4_3)\n"
        "  --gamma G | LAYER=G          uniform gamma of every normalized layer, or of LAYER (repeat for several)\n"
        "                               (default: each layer's learned gamma, else the topology's init:\n"
        "                               SSD 20, RefineDet 10/8, S3FD 10/8/5)\n"
        "  --gamma-file F | LAYER=F     per-channel gamma from a text/CSV list (channel,gamma) or a checkpoint with\n"
        "                               a learned gamma, for every normalized layer or for LAYER (repeat for\n"
        "                               several); a layer,channel,gamma CSV (the GUI's Save gamma) sets every\n"
        "                               layer it names. LAYER=... wins over the forms for every layer.\n"
        "  --bins log|log:LO:HI:PER_DECADE|linear:LO:HI:BINS  histogram bins (default log:0.001:1e6:20)\n"
        "  --eps MODE                   L2Norm's guard at all-zero and tiny vectors (default: the weights'\n"
        "                               family's, caffe for Caffe originals and default weights):\n";
    for (const auto& m : analysis::epsModes()) {
        std::string name = m.name;
        name.resize(std::max<std::size_t>(name.size(), 12), ' ');
        help += "      " + name + "  " + m.formula + "  (" + m.origin + ")\n";
    }
    return help;
}

namespace {

/// "conv4_3=..." -> {"conv4_3", "..."}; nullopt when the text before '=' is no layer name.
std::optional<std::pair<std::string, std::string>> splitLayer(const std::string& v)
{
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
        return std::nullopt;
    const std::string name = v.substr(0, eq);
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            return std::nullopt;
    return std::make_pair(name, v.substr(eq + 1));
}

float gammaNumber(const std::string& v, const std::string& what)
{
    char* end = nullptr;
    const double g = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(g))
        throw UsageError(what + " must be a number, got \"" + v + "\"");
    return static_cast<float>(g);
}

/// --gamma G|LAYER=G and --gamma-file F|LAYER=F, each repeatable: one form for every normalized
/// layer (AnalyzerOptions::gamma) and per-layer ones (AnalyzerOptions::gammas).
void readGammaOptions(const ArgParser& args, analysis::AnalyzerOptions& o)
{
    std::vector<std::string> everyLayer;
    std::optional<std::string> everyFile;
    auto setLayer = [&](const std::string& layer, std::vector<float> g, const std::string& from) {
        if (!o.gammas.emplace(layer, std::move(g)).second)
            throw UsageError("the gamma of " + layer + " is given twice (" + from + " and before)");
    };
    for (const std::string& v : args.values("gamma")) {
        if (const auto pair = splitLayer(v)) {
            setLayer(pair->first, {gammaNumber(pair->second, "--gamma " + pair->first)}, "--gamma " + v);
        } else {
            o.gamma = {gammaNumber(v, "--gamma")};
            everyLayer.push_back("--gamma " + v);
        }
    }
    for (const std::string& v : args.values("gamma-file")) {
        std::error_code ec;
        const auto pair = std::filesystem::exists(v, ec) ? std::nullopt : splitLayer(v);
        if (pair) {
            // A file keyed by layer name (.t7 table, checkpoint) gives LAYER its own entry.
            setLayer(pair->first, analysis::readGammaFile(pair->second, pair->first), "--gamma-file " + v);
        } else if (analysis::isLayerGammaCsv(v)) {
            for (auto& [layer, g] : analysis::readLayerGammaCsv(v))
                setLayer(layer, std::move(g), "--gamma-file " + v);
        } else {
            everyFile = v;
            everyLayer.push_back("--gamma-file " + v);
        }
    }
    // One file for every normalized layer: with several layers, a file keyed by layer name (a .t7
    // table, a checkpoint with several learned gammas) gives each its own entry; LAYER=... wins.
    if (everyFile) {
        const std::vector<std::string> layers = o.l2normLayers ? *o.l2normLayers : std::vector<std::string>{};
        if (layers.size() <= 1)
            o.gamma = analysis::readGammaFile(*everyFile, layers.empty() ? "conv4_3" : layers.front());
        else
            for (const auto& layer : layers)
                if (!o.gammas.count(layer))
                    o.gammas[layer] = analysis::readGammaFile(*everyFile, layer);
    }
    if (everyLayer.size() > 1)
        throw UsageError("one gamma for every layer at most: " + everyLayer[0] + " and " + everyLayer[1] +
                         " (give LAYER=... for single layers)");
    if (o.l2normLayers)
        for (const auto& entry : o.gammas)
            if (std::find(o.l2normLayers->begin(), o.l2normLayers->end(), entry.first) == o.l2normLayers->end())
                throw UsageError("gamma given for " + entry.first + ", which --l2norm does not normalize");
}

} // namespace

analysis::AnalyzerOptions engineOptions(const ArgParser& args)
{
    using namespace analysis;
    AnalyzerOptions o;
    if (auto v = args.value("arch")) {
        o.arch = parseArch(*v);
        o.archFromWeights = false;
    }
    o.weightsPath = analysis::weights::resolveWeightsArgument(args.value("weights", ""), catalogSettings(args));
    if (auto v = args.value("seed")) {
        char* end = nullptr;
        o.seed = std::strtoull(v->c_str(), &end, 10);
        if (v->empty() || *end != '\0')
            throw UsageError("--seed must be a non-negative whole number");
    }
    if (auto v = args.value("preset"))
        o.preset = parsePreset(*v);
    if (auto v = args.value("size"))
        o.size = parseSizeSpec(*v);
    o.threads = args.intValue("threads", 0, 0, 1024);
    if (auto v = args.value("eps"))
        o.eps = parseEpsMode(*v);
    if (auto v = args.value("bins"))
        o.bins = BinScheme::parse(*v);
    // Layer names are validated against the loaded model by the Analyzer; here only split.
    auto split = [](const std::string& s) {
        std::vector<std::string> out;
        std::stringstream ss(s);
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty())
                out.push_back(item);
        return out;
    };
    if (auto v = args.value("layers")) {
        if (*v == "all") {
            o.layersAll = true;
        } else {
            o.layers = split(*v);
            if (o.layers.empty())
                throw UsageError("--layers is empty");
        }
    }
    if (auto v = args.value("l2norm"))
        o.l2normLayers = *v == "none" ? std::vector<std::string>{} : split(*v);
    readGammaOptions(args, o);
    return o;
}

std::vector<std::string> expandInputs(const std::vector<std::string>& inputs, std::vector<std::string>& problems)
{
    std::vector<std::string> out;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(in, ec)) {
            out.push_back(in); // a file given explicitly is tried whatever its name; errors come per image
            continue;
        }
        const auto found = analysis::listImageFiles(in, problems);
        out.insert(out.end(), found.begin(), found.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<ArgParser> parseEngineCommand(const std::vector<std::string>& argv, std::set<std::string> values,
                                            std::set<std::string> flags, const char* help)
{
    values.merge(engineValueOptions());
    flags.insert("help");
    ArgParser args(std::move(values), std::move(flags));
    args.parse(argv);
    if (args.has("help")) {
        std::cout << help << "\n" << engineOptionsHelp();
        return std::nullopt;
    }
    return args;
}

void reportModel(const analysis::Analyzer& analyzer)
{
    const analysis::TopologyInfo& t = analysis::topologyInfo(analyzer.arch());
    std::cerr << "topology: " << t.name << " — " << t.title << " (follows " << t.definition << ")\n";
    std::string l2norm;
    for (const std::string& layer : analyzer.l2normLayers()) {
        const auto& g = analyzer.gamma(layer);
        double sum = 0;
        for (float v : g)
            sum += v;
        std::ostringstream mean;
        mean.precision(4);
        mean << (g.empty() ? 0.0 : sum / static_cast<double>(g.size()));
        l2norm += (l2norm.empty() ? "" : ", ") + layer + " (" + analyzer.gammaSource(layer) + " gamma, mean " +
                  mean.str() + ")";
    }
    const bool ownEps = !analyzer.options().eps;
    std::cerr << "L2Norm: " << (l2norm.empty() ? std::string("none") : l2norm) << "; eps "
              << analysis::toString(analyzer.eps()) << (ownEps ? " (the weights' family's)" : "") << "\n";
}

void reportWeights(const analysis::WeightInfo& weights, const std::string& consequence)
{
    std::cerr << "weights: " << weights.summary() << "\n";
    if (weights.untrained)
        std::cerr << "WARNING: " << analysis::untrainedSentence(weights.seed) << "; " << consequence
                  << "\n         Pass --weights FILE for trained weights, or fetch them with\n"
                     "         featscale-cli weights --download vgg16 ssd300-coco  (then --weights ssd300-coco).\n";
    for (const auto& warn : weights.warnings)
        std::cerr << "warning: " << warn << "\n";
}

std::vector<std::string> imageInputs(const std::vector<std::string>& positionals, const std::string& problemPrefix,
                                     std::vector<std::string>* problems)
{
    if (positionals.empty())
        throw UsageError("no images or directories given");
    std::vector<std::string> found;
    auto images = expandInputs(positionals, found);
    for (const auto& p : found)
        std::cerr << problemPrefix << " " << p << "\n";
    if (problems)
        *problems = std::move(found);
    if (images.empty())
        throw UsageError("no image files found in the given paths");
    return images;
}

} // namespace featscale::cli
