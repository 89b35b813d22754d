// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/stats/feature_cache.h"
#include "analysis/stats/histogram.h"
#include "analysis/stats/layer_stats.h"
#include "analysis/stats/norm_map.h"
#include "analysis/core/types.h"
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
    bool archFromWeights = true;      ///< let a weight file choose the arch when it is unambiguous
    std::string weightsPath;          ///< empty: seeded default (untrained) weights
    std::uint64_t seed = 0;           ///< seed of the default weights
    std::optional<Preset> preset;     ///< unset: the weights' own convention
    SizeSpec size;
    std::vector<std::string> layers;  ///< taps to analyse; empty = LayerCatalog::defaultLayers()
    bool layersAll = false;           ///< analyse every tap the loaded model has (overrides layers)
    std::vector<std::string> l2normLayers = {"conv4_3"};
    EpsMode eps = EpsMode::Caffe;
    std::vector<float> gamma;         ///< per channel of the L2Norm layer(s); one value = uniform; empty = weights' gamma or 20
    /// Per normalized layer, from a gamma file keyed by layer name; wins over `gamma` for the layers it holds.
    std::map<std::string, std::vector<float>> layerGamma;
    BinScheme bins;
    int threads = 0;                  ///< intra-op threads; 0 = hardware cores
    bool keepActivations = false;     ///< keep raw activations of the analysed taps (probe / concat view)
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
    Preset preset() const;            ///< effective preset
    /// Effective gamma of a normalized layer: AnalyzerOptions::gamma when it fits (one value =
    /// uniform), else the weights' learned gamma (conv4_3), else 20 for every channel.
    const std::vector<float>& gamma(const std::string& layer = "conv4_3") const;
    std::vector<std::string> l2normLayers() const; ///< network order
    int channels(const std::string& layer) const;
    std::vector<std::string> layers() const; ///< effective analysed layers, network order
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
