// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/types.h"
#include "analysis/weights/hash/sha256.h"
#include "analysis/weights/weight_info.h"

#include <torch/types.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace featscale::analysis::weights {

/// Tensors as a file stores them: names in the file's own layout, order preserved, float32,
/// contiguous, owning their memory (never views into a file buffer).
struct RawTensors {
    std::string format; ///< "pytorch-zip", "pytorch-legacy", "torchscript", "caffe", "onnx", "keras-h5"
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    std::vector<std::string> warnings;
    std::string sha256; ///< of the very bytes the tensors were read from
};

/// Weights mapped onto featscale's canonical parameter names:
///   features.N.{weight,bias}    torchvision indices (vgg16: 0..28 convs; vgg16-reduced: also
///                               31 = fc6 1024x512x3x3 dilation 6, 33 = fc7 1024x1024x1x1)
///   classifier.{0,3,6}.{weight,bias}  vgg16 only (Linear shapes: 4096x25088, 4096x4096, 1000x4096)
///   extras.{0..7}.{weight,bias} SSD extra layers in ssd.pytorch order (conv8_1, conv8_2, ... conv11_2)
///   L2Norm.<tap>.weight         learned gamma of a normalized layer (L2Norm.conv4_3.weight: 512
///                               values), optional; several for RefineDet and S3FD
struct MappedWeights {
    Arch arch = Arch::Vgg16;
    std::string layout; ///< e.g. "torchvision-vgg16", "ssd.pytorch-backbone", "ssd.pytorch", "torchvision-ssd300",
                        ///< "mmdet-ssd", "caffe", "keras", "by-order"
    std::string family; ///< "torchvision", "caffe", "ssd.pytorch", "torchvision-ssd", "mmdet", "keras", "onnx"
    Preset preset = Preset::Torchvision; ///< input convention of that family
    EpsMode eps = EpsMode::Caffe;        ///< L2Norm eps of that family's framework
    int fc6Dilation = 0;                 ///< WeightInfo::fc6Dilation
    std::map<std::string, torch::Tensor> params;
    std::vector<std::string> warnings;
};

/// Reads a weight file of any supported format (dispatch by content, not extension).
/// Never executes anything from the file. Throws Error naming the file and the problem.
RawTensors readWeightFile(const std::string& path);

/// Maps a file's tensors to canonical names. archHint chooses between topologies when the file
/// alone does not decide. Throws Error listing expected vs found keys and shapes when ambiguous.
MappedWeights mapToCanonical(const RawTensors& raw, std::optional<Arch> archHint, const std::string& path);

/// The keys of a file's learned L2Norm gammas by tap ("conv4_3" -> "L2Norm.weight"), decided from
/// the key names alone by the layout rules mapToCanonical uses: what a reader needs to fetch γ
/// without the rest of the file. Empty when no layout is known by its keys (files mapped by order).
std::map<std::string, std::string> gammaKeys(const std::vector<std::string>& keys);

/// One warning per parameter holding NaN or Inf values, in network order: the name, its Caffe
/// layer, how many of each, and the index of the first (e.g. "features.21.weight (conv4_3): 2 NaN
/// and 1 Inf among 2359296 values; first at [3, 7, 1, 2] — ...").
std::vector<std::string> nonFiniteWarnings(const MappedWeights& mapped);

/// readWeightFile + mapToCanonical + WeightInfo (sha256, counts, gamma, NaN/Inf warnings).
std::pair<MappedWeights, WeightInfo> loadWeights(const std::string& path, std::optional<Arch> archHint);

/// Format-specific readers, each in its own file. Dispatch lives in weight_file.cpp.
RawTensors readPytorchZip(const std::string& path);    ///< torch.save (>= 1.6) zip archives
RawTensors readPytorchLegacy(const std::string& path); ///< torch.save legacy (pre-1.6) format
RawTensors readTorchScript(const std::string& path);   ///< torch.jit.save archives
RawTensors readCaffe(const std::string& path);         ///< .caffemodel (V1 and V2)
RawTensors readOnnx(const std::string& path);          ///< .onnx
RawTensors readKerasH5(const std::string& path);       ///< Keras VGG16 .h5 (Keras 1 and 2 layouts)

} // namespace featscale::analysis::weights
