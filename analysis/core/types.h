// featscale — feature-scale analysis of VGG16 layers.
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

/// Plain vocabulary types shared by the engine, the CLI and the GUI.
/// Nothing here depends on LibTorch, OpenCV or Qt, so any layer may include it.
namespace featscale::analysis {

/// The one exception type of the engine: a message a user can act on (it names the file and the
/// problem). Thrown across the public API; never carries LibTorch or OpenCV types.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Thrown when a progress callback asked to stop.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") { }
};

/// Network topology (core/topology.h describes each and the definition it follows).
///  - Vgg16: torchvision's classification VGG16; fc6/fc7 evaluated convolutionally.
///  - Vgg16Reduced: SSD300/ParseNet VGG16 (pool3 ceil mode, pool5 3x3 s1 p1, fc6 dilated 3x3 -> 1024,
///    fc7 1x1 -> 1024), optionally with SSD300's extra layers conv8_2 ... conv11_2.
///  - Vgg16Bn: torchvision's vgg16_bn (BatchNorm after every convolution).
///  - Ssd512: SSD512's reduced VGG16 and extras conv8_2 ... conv12_2.
///  - RefineDet: RefineDet's VGG16 (pool5 2x2, fc6 dilation 3) and extras conv6_1/conv6_2.
///  - S3fd: S3FD's VGG16 (pool5 2x2, fc6 3x3 pad 3) and extras conv6_x, conv7_x.
enum class Arch { Vgg16, Vgg16Reduced, Vgg16Bn, Ssd512, RefineDet, S3fd };

/// Input conventions. Caffe: BGR, 0-255, minus (104,117,123). Torchvision: RGB, [0,1], ImageNet
/// mean/std. CaffeRgb: RGB, 0-255, minus (123,117,104) — torchvision's SSD and Keras-style weights.
enum class Preset { Caffe, Torchvision, CaffeRgb };

/// What happens at an all-zero (or tiny) channel vector: each framework guards the division
/// differently. epsModes() gives the formula and origin of each; stats/internal/l2norm.h computes them.
enum class EpsMode { Tf, Torchvision, Caffe, SsdPytorch, Naive };

/// One L2Norm eps mode as users see it: its command-line name, its formula, and whose it is.
/// The one description of each mode: GUI tool tips, CLI help and the README all show these.
struct EpsModeInfo {
    EpsMode mode;
    const char* name;    ///< as on the command line: "caffe"
    const char* formula; ///< e.g. "x / sqrt(Σx² + 1e-10)"
    const char* origin;  ///< e.g. "Caffe SSD's Normalize layer"
};
/// Every mode, the default (Caffe) first.
const std::vector<EpsModeInfo>& epsModes();
const EpsModeInfo& epsModeInfo(EpsMode mode);

/// Where a layer's statistics were taken: on its raw activations, or after L2Norm (γ ⊙ x̂).
/// Written "before" and "after" in every export.
enum class Stage { Before, After };

/// How an image is resized before the network.
struct SizeSpec {
    enum class Mode { Square, ShorterSide, Original };
    Mode mode = Mode::Square;
    int value = 300;                        ///< side for Square, shorter side for ShorterSide
    std::int64_t maxPixels = 1600LL * 1600; ///< cap for every size mode (memory/time guard)
};

/// Upper bound for SizeSpec::maxPixels: VGG16 activations at this size need ~20 GB.
inline constexpr std::int64_t kMaxOriginalPixels = 4096LL * 4096;

/// Progress callback: (done, total) -> keep going? Returning false cancels at the next check point.
using ProgressFn = std::function<bool(int done, int total)>;

// Name <-> value conversions; the names are the ones used on the command line and in exports.
std::string toString(Arch a);
std::string toString(Preset p);
std::string toString(EpsMode e);
std::string toString(const SizeSpec& s);
std::string toString(Stage s);
Arch parseArch(const std::string& s); ///< throws Error listing the valid names
Preset parsePreset(const std::string& s);
EpsMode parseEpsMode(const std::string& s);
Stage parseStage(const std::string& s);
/// "300" or "square:300" -> Square 300; "short:256" -> ShorterSide 256; "original" or
/// "original:max=4000000" -> Original.
SizeSpec parseSizeSpec(const std::string& s);

/// Default gamma of SSD's L2Norm ("gamma filler 20").
inline constexpr float kDefaultGamma = 20.0f;

} // namespace featscale::analysis
