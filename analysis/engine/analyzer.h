// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/types.h"
#include "analysis/stats/feature_cache.h"
#include "analysis/stats/histogram.h"
#include "analysis/stats/layer_stats.h"
#include "analysis/stats/norm_map.h"
#include "analysis/weights/weight_info.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace featscale::analysis {

/// Everything that defines a run. The same struct drives the GUI and the CLI.
struct AnalyzerOptions {
    Arch arch = Arch::Vgg16Reduced;
    bool archFromWeights = true;  ///< let a weight file choose the arch when it is unambiguous
    std::string weightsPath;      ///< empty: seeded default (untrained) weights
    std::uint64_t seed = 0;       ///< seed of the default weights
    std::optional<Preset> preset; ///< unset: the weights' own convention
    SizeSpec size;
    std::vector<std::string> layers; ///< taps to analyse; empty = LayerCatalog::defaultLayers()
    bool layersAll = false;          ///< analyse every tap the loaded model has (overrides layers)
    /// Layers to L2-normalize. Unset: the family's — the weights' learned L2Norm layers, else the
    /// topology's (topologyInfo(arch).l2norm), else conv4_3. Set and empty: no layer.
    std::optional<std::vector<std::string>> l2normLayers;
    std::optional<EpsMode> eps; ///< unset: the weights' family's (WeightInfo::eps)
    /// Gamma of every normalized layer (--gamma, --gamma-file): per channel, or one value = uniform.
    /// Empty: each layer's entry in gammas, else the weights' learned gamma, else the family's init
    /// (initialGamma(arch, layer): SSD 20; RefineDet 10/8; S3FD 10/8/5).
    std::vector<float> gamma;
    /// Gamma per normalized layer (per channel, or one value = uniform); wins over `gamma`.
    std::map<std::string, std::vector<float>> gammas;
    BinScheme bins;
    int threads = 0;              ///< intra-op threads; 0 = hardware cores
    bool keepActivations = false; ///< keep raw activations of the analysed taps (probe / concat view)
};

/// Result for one layer of one image.
struct LayerResult {
    std::string layer;
    int channels = 0;
    NormMap before;
    LayerStats beforeStats;
    Histogram beforeHist;
    bool normalized = false; ///< L2Norm applied to this layer
    NormMap after;           ///< norms of gamma ⊙ x̂ (normalized layers only)
    LayerStats afterStats;
    Histogram afterHist;
};

/// Result for one image.
struct ImageResult {
    std::string path;
    int originalWidth = 0, originalHeight = 0; ///< after EXIF orientation
    int inputWidth = 0, inputHeight = 0;       ///< what the network saw
    std::string note;                          ///< e.g. "resized: original exceeds 16.8 MP cap"
    std::vector<LayerResult> layers;           ///< in network order
    double preprocessMs = 0, forwardMs = 0, statsMs = 0;
    /// Cached normalized features (and activations when keepActivations) for fast gamma updates
    /// and probes. Holds LibTorch tensors behind an opaque type; drop it to free the memory.
    std::shared_ptr<const FeatureCache> cache;

    const LayerResult* find(const std::string& layer) const;
};

/// The engine: a VGG16 with weights, preprocessing, L2Norm and statistics.
///
/// Thread affinity: an Analyzer may be created on any thread and used from one thread at a time.
/// analyze() enables inference mode itself (LibTorch's inference mode is thread-local).
class Analyzer {
public:
    explicit Analyzer(const AnalyzerOptions& options); ///< throws Error (e.g. bad weights)
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    const AnalyzerOptions& options() const;
    const WeightInfo& weights() const;
    Arch arch() const;
    Preset preset() const; ///< effective preset
    EpsMode eps() const;   ///< effective L2Norm eps mode
    /// Effective gamma of a normalized layer: AnalyzerOptions::gammas[layer], else
    /// AnalyzerOptions::gamma (one value = uniform), else the weights' learned gamma of that layer,
    /// else the topology's init for it (initialGamma) for every channel.
    const std::vector<float>& gamma(const std::string& layer = "conv4_3") const;
    /// Where a normalized layer's gamma came from: "given", "learned" or "init".
    std::string gammaSource(const std::string& layer) const;
    std::vector<std::string> l2normLayers() const; ///< network order
    int channels(const std::string& layer) const;
    std::vector<std::string> layers() const;          ///< effective analysed layers, network order
    std::vector<std::string> availableLayers() const; ///< every tap of the loaded model
    int threads() const; ///< LibTorch intra-op threads in force (AnalyzerOptions::threads resolved)

    /// Preprocess + forward + statistics. Throws Error naming the file on bad input, Cancelled
    /// when progress returns false (checked between layers).
    ImageResult analyze(const std::string& imagePath, const ProgressFn& progress = {});
    /// Same on an already decoded 8-bit BGR image (rows*cols*3 bytes), e.g. from tests or the GUI.
    ImageResult analyzeBgr(const std::string& name, const unsigned char* bgr, int width, int height,
                           const ProgressFn& progress = {});
    /// Raw forward on a preprocessed CHW float tensor (for parity tests): returns per-tap NCHW
    /// activations flattened (C,H,W order) with their shapes.
    std::map<std::string, std::pair<std::vector<int>, std::vector<float>>>
    forwardRaw(const std::vector<float>& chw, int height, int width, const std::vector<std::string>& taps);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// Sets LibTorch intra-op threads (0 = hardware cores) and returns the number in force.
int configureThreads(int threads);

} // namespace featscale::analysis
