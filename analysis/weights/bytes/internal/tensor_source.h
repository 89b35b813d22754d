// SPDX-License-Identifier: GPL-3.0-or-later
// No LibTorch: this is the part of the PyTorch readers that the fuzzer
// exercises; pytorch_tensors.cpp turns the result into torch::Tensor.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/weights/bytes/internal/byte_reader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// Element types a torch storage can have in a state dict (torch.<Name>Storage).
enum class DType : std::uint8_t { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

std::size_t elementSize(DType t);
const char* dtypeName(DType t); ///< "float16", ...

/// One tensor of a state dict, validated but not yet converted: a strided view into the bytes of
/// its storage inside the (mapped) file. Several sources may share one storage.
struct TensorSource {
    std::string name;
    DType dtype = DType::Float32;
    std::vector<std::int64_t> sizes;
    std::vector<std::int64_t> strides; ///< in elements, all >= 0
    std::int64_t offset = 0;           ///< storage offset, in elements
    ByteView storage;                  ///< little-endian elements; holds every element the view touches

    std::int64_t numel() const;
};

/// What a PyTorch weight file holds, in file order, plus notes for the user.
struct ParsedTensors {
    std::vector<TensorSource> tensors;
    std::vector<std::string> warnings;
};

/// Number of elements of a shape; throws Error (prefixed by what) if negative or overflowing.
std::int64_t checkedNumel(const std::vector<std::int64_t>& sizes, const std::string& what);

/// Index of the last storage element a strided view touches plus one (0 for an empty view);
/// throws Error on negative strides/offsets or overflow.
std::int64_t viewExtent(const std::vector<std::int64_t>& sizes, const std::vector<std::int64_t>& strides,
                        std::int64_t offset, const std::string& what);

/// Writes the tensor as contiguous float32 (fp16/bf16 exactly, fp64 rounded to nearest, integers
/// converted). `out` must hold numel() floats. The source must have passed viewExtent checks.
void copyAsFloat32(const TensorSource& t, float* out);

/// A file's tensors are copied into float32 tensors of their own. A small file must not be able to
/// make us allocate gigabytes (thousands of overlapping views of one storage, stride-0 expands), so
/// the float32 total may exceed the file's size only by the factor fp16/int8 conversion and a few
/// legitimate shared views explain. Throws Error naming the path otherwise.
void checkOutputBudget(const ParsedTensors& parsed, std::uint64_t fileSize, const std::string& path);

/// Largest float32 output per file byte that checkOutputBudget accepts.
inline constexpr std::uint64_t kMaxOutputBytesPerFileByte = 4;

} // namespace featscale::analysis::weights
