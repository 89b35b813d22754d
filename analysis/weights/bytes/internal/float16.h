// SPDX-License-Identifier: GPL-3.0-or-later
// Half and bfloat16 to float, for every reader that meets them (PyTorch storages, ONNX initializers).
// No LibTorch: the fuzz targets build these readers alone.
#pragma once

#include "analysis/core/internal/boundary.h"

#include <cstdint>
#include <cstring>

namespace featscale::analysis::weights {

/// IEEE binary16 -> binary32, exact for every number (subnormals included). NaNs keep their
/// payload and come out quiet, as IEEE 754 format conversion (and torch's, and F16C's) makes them.
inline float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1fu;
    std::uint32_t mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13) | (mant ? 0x00400000u : 0u);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {
        // Subnormal half: normalise into a float's wider exponent range.
        exp = 113;
        while ((mant & 0x400u) == 0) {
            mant <<= 1;
            --exp;
        }
        bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

/// bfloat16 is the upper half of a binary32.
inline float bfloat16ToFloat(std::uint16_t b)
{
    const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

} // namespace featscale::analysis::weights
