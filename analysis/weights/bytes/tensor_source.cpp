// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/bytes/internal/tensor_source.h"
#include "analysis/weights/bytes/internal/float16.h"

#include <cstring>
#include <limits>

namespace featscale::analysis::weights {
namespace {

constexpr std::int64_t kMaxIndex = std::numeric_limits<std::int64_t>::max() / 16;

float loadElement(const std::uint8_t* p, DType t)
{
    switch (t) {
    case DType::Float32: {
        std::uint32_t bits = static_cast<std::uint32_t>(ByteReader::le(p, 4));
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
    case DType::Float64: {
        std::uint64_t bits = ByteReader::le(p, 8);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return static_cast<float>(d);
    }
    case DType::Float16:
        return halfToFloat(static_cast<std::uint16_t>(ByteReader::le(p, 2)));
    case DType::BFloat16:
        return bfloat16ToFloat(static_cast<std::uint16_t>(ByteReader::le(p, 2)));
    case DType::Int64:
        return static_cast<float>(static_cast<std::int64_t>(ByteReader::le(p, 8)));
    case DType::Int32:
        return static_cast<float>(static_cast<std::int32_t>(ByteReader::le(p, 4)));
    case DType::Int16:
        return static_cast<float>(static_cast<std::int16_t>(ByteReader::le(p, 2)));
    case DType::Int8:
        return static_cast<float>(static_cast<std::int8_t>(p[0]));
    case DType::UInt8:
        return static_cast<float>(p[0]);
    case DType::Bool:
        return p[0] ? 1.0f : 0.0f;
    }
    return 0.0f;
}

bool hostIsLittleEndian()
{
    const std::uint32_t one = 1;
    unsigned char b;
    std::memcpy(&b, &one, 1);
    return b == 1;
}

} // namespace

std::size_t elementSize(DType t)
{
    switch (t) {
    case DType::Float64:
    case DType::Int64:
        return 8;
    case DType::Float32:
    case DType::Int32:
        return 4;
    case DType::Float16:
    case DType::BFloat16:
    case DType::Int16:
        return 2;
    case DType::Int8:
    case DType::UInt8:
    case DType::Bool:
        return 1;
    }
    return 1;
}

const char* dtypeName(DType t)
{
    switch (t) {
    case DType::Float32:
        return "float32";
    case DType::Float64:
        return "float64";
    case DType::Float16:
        return "float16";
    case DType::BFloat16:
        return "bfloat16";
    case DType::Int64:
        return "int64";
    case DType::Int32:
        return "int32";
    case DType::Int16:
        return "int16";
    case DType::Int8:
        return "int8";
    case DType::UInt8:
        return "uint8";
    case DType::Bool:
        return "bool";
    }
    return "?";
}

std::int64_t TensorSource::numel() const { return checkedNumel(sizes, name); }

std::int64_t checkedNumel(const std::vector<std::int64_t>& sizes, const std::string& what)
{
    std::int64_t n = 1;
    for (std::int64_t s : sizes) {
        if (s < 0)
            throw Error(what + ": negative tensor size " + std::to_string(s));
        if (s != 0 && n > kMaxIndex / s)
            throw Error(what + ": tensor shape has too many elements");
        n *= s;
    }
    return n;
}

std::int64_t viewExtent(const std::vector<std::int64_t>& sizes, const std::vector<std::int64_t>& strides,
                        std::int64_t offset, const std::string& what)
{
    if (sizes.size() != strides.size())
        throw Error(what + ": tensor has " + std::to_string(sizes.size()) + " sizes but " +
                    std::to_string(strides.size()) + " strides");
    if (offset < 0 || offset > kMaxIndex)
        throw Error(what + ": invalid storage offset " + std::to_string(offset));
    if (checkedNumel(sizes, what) == 0)
        return 0;
    std::int64_t last = offset;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (strides[i] < 0 || strides[i] > kMaxIndex)
            throw Error(what + ": invalid stride " + std::to_string(strides[i]));
        if (strides[i] != 0 && sizes[i] - 1 > (kMaxIndex - last) / strides[i])
            throw Error(what + ": tensor view reaches beyond any possible storage");
        last += (sizes[i] - 1) * strides[i];
    }
    return last + 1;
}

void copyAsFloat32(const TensorSource& t, float* out)
{
    const std::int64_t n = t.numel();
    if (n == 0)
        return;
    const std::size_t es = elementSize(t.dtype);
    const std::size_t dims = t.sizes.size();

    // Contiguous float32 on a little-endian host: the file bytes are the result.
    bool contiguous = true;
    std::int64_t expect = 1;
    for (std::size_t i = dims; i-- > 0;) {
        if (t.sizes[i] != 1 && t.strides[i] != expect)
            contiguous = false;
        expect *= t.sizes[i];
    }
    if (contiguous && t.dtype == DType::Float32 && hostIsLittleEndian()) {
        std::memcpy(out, t.storage.data + static_cast<std::size_t>(t.offset) * es, static_cast<std::size_t>(n) * es);
        return;
    }

    // General strided walk: an odometer over the indices, tracking the storage position.
    std::vector<std::int64_t> index(dims, 0);
    std::int64_t pos = t.offset;
    for (std::int64_t k = 0; k < n; ++k) {
        out[k] = loadElement(t.storage.data + static_cast<std::size_t>(pos) * es, t.dtype);
        for (std::size_t d = dims; d-- > 0;) {
            if (++index[d] < t.sizes[d]) {
                pos += t.strides[d];
                break;
            }
            pos -= (t.sizes[d] - 1) * t.strides[d];
            index[d] = 0;
        }
    }
}

void checkOutputBudget(const ParsedTensors& parsed, std::uint64_t fileSize, const std::string& path)
{
    // 1 MiB of slack so that tiny files with a few small tensors are never refused.
    const std::uint64_t budget = kMaxOutputBytesPerFileByte * fileSize + (1u << 20);
    std::uint64_t total = 0;
    for (const auto& t : parsed.tensors) {
        total += static_cast<std::uint64_t>(t.numel()) * sizeof(float);
        if (total > budget)
            throw Error(path + ": the tensors would need more than " + std::to_string(budget) +
                        " bytes as float32, far more than this " + std::to_string(fileSize) +
                        "-byte file can hold (overlapping or expanded views?); refusing to allocate");
    }
}

} // namespace featscale::analysis::weights
