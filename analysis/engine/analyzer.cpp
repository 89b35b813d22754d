// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/engine/analyzer.h"
#include "analysis/core/topology.h"
#include "analysis/images/preprocess.h"
#include "analysis/network/internal/vgg16.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/stats/gamma_io.h"
#include "analysis/stats/internal/l2norm.h"
#include "analysis/stats/internal/tensor_feature_cache.h"
#include "analysis/weights/internal/state_dict.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace featscale::analysis {
namespace {

/// Large blocks (decoded images, the L2Norm layer's dense activation and x̂) are allocated and
/// freed once per image in varying sizes. glibc's adaptive mmap threshold moves such blocks into
/// its arenas after the first free, where they fragment: the CLI's peak RSS then grows with the
/// number of images (+800 MB over 500 images). A fixed 1 MiB threshold returns every large block
/// to the system when freed; the big per-layer buffers are kept by Vgg16 itself, so this costs a
/// few thousand page faults per image. Process-wide, set once.
void boundHeapGrowth()
{
#ifdef __GLIBC__
    static std::once_flag once;
    std::call_once(once, [] { mallopt(M_MMAP_THRESHOLD, 1 << 20); });
#endif
}

double msSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

/// A location whose Σx² overflows float32 (activations above about 1.8e19, which only weights far
/// outside any trained network's range produce) has no finite norm, and L2Norm divides by
/// infinity there. Such a layer is refused by name, so that its NaN is never counted as the naive
/// eps's NaN at all-zero vectors (which `nanAllowed` admits for the after-L2Norm map).
void requireFinite(const NormMap& map, const char* stage, bool nanAllowed)
{
    std::size_t infinite = 0, nan = 0;
    for (float v : map.values) {
        infinite += std::isinf(v) ? 1 : 0;
        nan += std::isnan(v) && !nanAllowed ? 1 : 0;
    }
    const std::string where = map.layer + " (" + stage + "): ";
    const std::string of = " of " + std::to_string(map.values.size()) + " locations";
    if (infinite)
        throw Error(where + std::to_string(infinite) + of +
                    " have no finite L2 norm: the squared activations overflow float32 (above 3.4e38); the weights "
                    "are far outside a trained network's range");
    if (nan)
        throw Error(where + std::to_string(nan) + of + " have a NaN L2 norm: the activations are not finite");
}

} // namespace

int configureThreads(int threads)
{
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (at::get_num_threads() != n)
        at::set_num_threads(n);
    return at::get_num_threads();
}

const LayerResult* ImageResult::find(const std::string& layer) const
{
    for (const auto& l : layers)
        if (l.layer == layer)
            return &l;
    return nullptr;
}

struct Analyzer::Impl {
    AnalyzerOptions options;
    WeightInfo weights;
    Vgg16 model{nullptr};
    Preset preset = Preset::Caffe;
    EpsMode eps = EpsMode::Caffe;
    std::vector<std::string> layers; // analysed, network order
    std::vector<std::string> l2norm; // normalized, network order
    std::map<std::string, std::vector<float>> gammas;
    std::map<std::string, std::string> gammaSources;

    std::vector<std::string> defaultL2norm(const LayerCatalog& catalog) const;
    void chooseGammas(const LayerCatalog& catalog);
    int threads = 1;

    void loadModel();
    ImageResult run(const DecodedImage& image, const ProgressFn& progress);
    /// The layers this input reaches. A detector's extra layers need a large enough input: with
    /// every layer asked for ("all") the ones this input cannot reach are left out and `note` says
    /// so; a layer asked for by name that it cannot reach is an Error naming the input size.
    std::vector<std::string> reachableLayers(const PreparedImage& input, std::string& note) const;
};

void Analyzer::Impl::loadModel()
{
    if (options.weightsPath.empty()) {
        // The detectors whose extras are their point get them; SSD300 keeps its backbone alone, as before.
        const bool extras = options.arch == Arch::Ssd512 || options.arch == Arch::RefineDet ||
                            options.arch == Arch::S3fd;
        model = Vgg16(options.arch, extras);
        model->initDefault(options.seed);
        weights = WeightInfo{};
        weights.displayName = "default weights (untrained, seed " + std::to_string(options.seed) + ")";
        weights.format = "builtin";
        weights.layout = "featscale";
        weights.family = "featscale-default";
        weights.arch = options.arch;
        weights.preset = topologyInfo(options.arch).preset;
        weights.eps = topologyInfo(options.arch).eps;
        weights.hasExtras = extras;
        weights.untrained = true;
        weights.seed = options.seed;
        for (const auto& p : model->parameters())
            weights.parameterCount += p.numel();
        return;
    }
    auto [mapped, info] = weights::loadWeights(
        options.weightsPath, options.archFromWeights ? std::nullopt : std::optional<Arch>(options.arch));
    if (!options.archFromWeights && mapped.arch != options.arch)
        throw Error(options.weightsPath + ": weights are for " + toString(mapped.arch) + ", but --arch " +
                    toString(options.arch) + " was requested");
    model = Vgg16(mapped.arch, info.hasExtras, info.fc6Dilation);
    model->loadCanonical(mapped.params, options.weightsPath);
    weights = std::move(info);
}

Analyzer::Analyzer(const AnalyzerOptions& options) : d(std::make_unique<Impl>())
{
    boundHeapGrowth();
    d->options = options;
    d->threads = configureThreads(options.threads);
    d->loadModel();
    d->model->eval();
    d->options.arch = d->model->arch();
    d->preset = options.preset.value_or(d->weights.preset);

    const LayerCatalog catalog(d->model->arch(), d->model->hasExtras());
    const auto available = d->model->tapNames();
    auto checkAvailable = [&](const std::vector<std::string>& names) {
        for (const auto& n : names)
            if (std::find(available.begin(), available.end(), n) == available.end())
                throw Error("layer " + n + " is not available with these weights (" + d->weights.displayName + ")");
    };
    d->eps = options.eps.value_or(d->weights.eps);
    d->l2norm = catalog.inNetworkOrder(options.l2normLayers ? *options.l2normLayers : d->defaultL2norm(catalog));
    checkAvailable(d->l2norm);
    auto layers = options.layersAll        ? available
                  : options.layers.empty() ? LayerCatalog::defaultLayers()
                                           : options.layers;
    if (options.layers.empty() && !d->model->hasFc())
        layers = {"conv4_3", "conv5_3"};
    layers.insert(layers.end(), d->l2norm.begin(), d->l2norm.end());
    d->layers = catalog.inNetworkOrder(layers);
    checkAvailable(d->layers);
    d->chooseGammas(catalog);
}

std::vector<std::string> Analyzer::Impl::defaultL2norm(const LayerCatalog& catalog) const
{
    std::vector<std::string> out;
    for (const auto& entry : weights.gammas) // learned layers: exactly those, with their gammas
        if (catalog.contains(entry.first))
            out.push_back(entry.first);
    if (out.empty())
        out = familyL2NormLayers(model->arch());
    if (out.empty())
        out = {"conv4_3"}; // classifiers: the layer ParseNet and SSD normalize
    return out;
}

void Analyzer::Impl::chooseGammas(const LayerCatalog& catalog)
{
    // A gamma for a layer that gets no L2Norm would silently do nothing: the user meant something else.
    for (const auto& entry : options.gammas)
        if (std::find(l2norm.begin(), l2norm.end(), entry.first) == l2norm.end()) {
            std::string normalized;
            for (const auto& layer : l2norm)
                normalized += (normalized.empty() ? "" : ", ") + layer;
            throw Error("gamma given for " + entry.first + ", which is not a normalized layer (normalized: " +
                        (normalized.empty() ? std::string("none") : normalized) + ")");
        }
    for (const auto& layer : l2norm) {
        const int c = catalog.find(layer)->channels;
        const auto given = options.gammas.count(layer) ? options.gammas.at(layer) : options.gamma;
        const auto learned = weights.gammas.find(layer);
        std::vector<float> g;
        std::string source;
        if (given.size() == 1) {
            g.assign(static_cast<std::size_t>(c), given[0]);
            source = "given";
        } else if (static_cast<int>(given.size()) == c) {
            g = given;
            source = "given";
        } else if (!given.empty()) {
            throw Error("gamma has " + std::to_string(given.size()) + " values but " + layer + " has " +
                        std::to_string(c) + " channels");
        } else if (learned != weights.gammas.end() && static_cast<int>(learned->second.size()) == c) {
            g = learned->second;
            source = "learned";
        } else {
            g.assign(static_cast<std::size_t>(c), initialGamma(model->arch(), layer));
            source = "init";
        }
        // Every after-statistic of a non-finite gamma is NaN: refuse it here, naming where it came
        // from, rather than let the results blame L2Norm's eps.
        checkGamma(g, source == "given" ? "the given gamma for " + layer
                                        : weights.displayName + ": the learned L2Norm gamma of " + layer +
                                              " (give --gamma or --gamma-file to use another)");
        gammas[layer] = std::move(g);
        gammaSources[layer] = source;
    }
}

Analyzer::~Analyzer() = default;

const AnalyzerOptions& Analyzer::options() const { return d->options; }
const WeightInfo& Analyzer::weights() const { return d->weights; }
Arch Analyzer::arch() const { return d->model->arch(); }
Preset Analyzer::preset() const { return d->preset; }
EpsMode Analyzer::eps() const { return d->eps; }
std::vector<std::string> Analyzer::layers() const { return d->layers; }
std::vector<std::string> Analyzer::l2normLayers() const { return d->l2norm; }
std::vector<std::string> Analyzer::availableLayers() const { return d->model->tapNames(); }
int Analyzer::threads() const { return d->threads; }

int Analyzer::channels(const std::string& layer) const
{
    const auto t = LayerCatalog(d->model->arch(), d->model->hasExtras()).find(layer);
    if (!t)
        throw Error("unknown layer " + layer);
    return t->channels;
}

std::string Analyzer::gammaSource(const std::string& layer) const
{
    gamma(layer); // throws for a layer without L2Norm
    return d->gammaSources.at(layer);
}

const std::vector<float>& Analyzer::gamma(const std::string& layer) const
{
    const auto it = d->gammas.find(layer);
    if (it == d->gammas.end())
        throw Error("layer " + layer + " has no L2Norm");
    return it->second;
}

std::vector<std::string> Analyzer::Impl::reachableLayers(const PreparedImage& input, std::string& note) const
{
    const std::vector<std::string> reachable = model->reachableTaps(input.height, input.width);
    std::vector<std::string> out, left;
    for (const std::string& layer : layers)
        (std::find(reachable.begin(), reachable.end(), layer) != reachable.end() ? out : left).push_back(layer);
    if (left.empty())
        return out;
    std::string names;
    for (const std::string& l : left)
        names += (names.empty() ? "" : ", ") + l;
    const std::string size = std::to_string(input.width) + "x" + std::to_string(input.height);
    if (!options.layersAll)
        throw Error(names + (left.size() == 1 ? " needs" : " need") + " a larger input than " + size +
                    ": the map vanishes before " + (left.size() == 1 ? "it" : "them") + " (give a larger --size)");
    note += (note.empty() ? "" : "; ") + names + " not analysed: a " + size + " input is too small for " +
            (left.size() == 1 ? "it" : "them");
    return out;
}

ImageResult Analyzer::Impl::run(const DecodedImage& image, const ProgressFn& progress)
{
    c10::InferenceMode inference;
    const auto t0 = std::chrono::steady_clock::now();
    ImageResult result;
    result.path = image.path;
    PreparedImage prepared = prepare(image, preset, options.size);
    result.originalWidth = prepared.originalWidth;
    result.originalHeight = prepared.originalHeight;
    result.inputWidth = prepared.width;
    result.inputHeight = prepared.height;
    result.note = prepared.note;
    result.preprocessMs = msSince(t0);
    const std::vector<std::string> analysed = reachableLayers(prepared, result.note);

    const int total = static_cast<int>(analysed.size()) * 2;
    int step = 0;
    auto keepGoing = [&] { return !progress || progress(std::min(step, total), total); };

    const auto t1 = std::chrono::steady_clock::now();
    const auto input = torch::from_blob(prepared.chw.data(), {1, 3, prepared.height, prepared.width}, torch::kFloat32);
    // Dense activations only where they are read again: L2Norm layers, and every analysed layer
    // when the caller keeps activations; the other taps come back as norm maps.
    std::vector<std::string> withActivation = options.keepActivations ? analysed : l2norm;
    auto taps = model->forwardTaps(input, analysed, withActivation, [&] {
        ++step;
        return keepGoing();
    });
    result.forwardMs = msSince(t1);

    const auto t2 = std::chrono::steady_clock::now();
    auto cache = std::make_shared<TensorFeatureCache>();
    step = static_cast<int>(analysed.size());
    for (const auto& name : analysed) {
        if (!keepGoing())
            throw Cancelled();
        TapOutput& tap = taps.at(name);
        const torch::Tensor act = tap.activation;
        LayerResult lr;
        lr.layer = name;
        lr.channels = tap.channels;
        lr.before.layer = name;
        lr.before.height = tap.height;
        lr.before.width = tap.width;
        lr.before.values = std::move(tap.norms);
        requireFinite(lr.before, "before L2Norm", /*nanAllowed=*/false);
        summarise(lr.before, options.bins, lr.beforeStats, lr.beforeHist);
        lr.beforeStats.sumAbs = tap.sumAbs;
        lr.beforeStats.elements = static_cast<std::uint64_t>(tap.channels) * lr.before.values.size();
        if (std::find(l2norm.begin(), l2norm.end(), name) != l2norm.end()) {
            lr.normalized = true;
            TensorFeatureCache::Normalized n;
            n.height = lr.before.height;
            n.width = lr.before.width;
            n.xhat = l2Normalize(act, eps)[0].reshape({act.size(1), -1}).t().contiguous();
            n.xhatSq = n.xhat.square();
            n.absSums = n.xhat.abs().sum(/*dim=*/0, /*keepdim=*/false, /*dtype=*/torch::kFloat64);
            cache->normalized[name] = std::move(n);
            AfterResult after = cache->after(name, gammas.at(name), options.bins);
            requireFinite(after.after, "after L2Norm", /*nanAllowed=*/eps == EpsMode::Naive);
            lr.after = std::move(after.after);
            lr.afterStats = after.stats;
            lr.afterHist = std::move(after.hist);
        }
        if (options.keepActivations)
            cache->activations[name] = act[0];
        result.layers.push_back(std::move(lr));
        ++step;
    }
    result.statsMs = msSince(t2);
    result.cache = std::move(cache);
    return result;
}

ImageResult Analyzer::analyze(const std::string& imagePath, const ProgressFn& progress)
{
    return d->run(decodeImage(imagePath), progress);
}

ImageResult Analyzer::analyzeBgr(const std::string& name, const unsigned char* bgr, int width, int height,
                                 const ProgressFn& progress)
{
    return d->run(decodedFromBgr(name, bgr, width, height), progress);
}

std::map<std::string, std::pair<std::vector<int>, std::vector<float>>>
Analyzer::forwardRaw(const std::vector<float>& chw, int height, int width, const std::vector<std::string>& taps)
{
    c10::InferenceMode inference;
    if (chw.size() != static_cast<std::size_t>(3) * height * width)
        throw Error("forwardRaw: input has " + std::to_string(chw.size()) + " values, expected 3*H*W");
    const auto input = torch::from_blob(const_cast<float*>(chw.data()), {1, 3, height, width}, torch::kFloat32);
    std::map<std::string, std::pair<std::vector<int>, std::vector<float>>> out;
    for (auto& [name, tap] : d->model->forwardTaps(input, taps, taps)) {
        const auto c = tap.activation[0].contiguous();
        std::vector<int> shape;
        for (auto s : c.sizes())
            shape.push_back(static_cast<int>(s));
        out[name] = {shape, std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
    }
    return out;
}

} // namespace featscale::analysis
