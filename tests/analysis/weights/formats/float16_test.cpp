// SPDX-License-Identifier: GPL-3.0-or-later
// binary16 / bfloat16 conversion shared by the PyTorch and ONNX readers, against values worked out
// by hand from IEEE 754 (and F16C's rule that a converted NaN comes out quiet).
#include "analysis/weights/bytes/internal/float16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using featscale::analysis::weights::bfloat16ToFloat;
using featscale::analysis::weights::halfToFloat;

namespace {
std::uint32_t bitsOf(float f)
{
    std::uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    return b;
}
} // namespace

TEST(Float16, NormalsSubnormalsAndInfinities)
{
    EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
    EXPECT_EQ(halfToFloat(0xc000), -2.0f);
    EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);              // largest half
    EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14)); // smallest normal
    EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // smallest subnormal
    EXPECT_EQ(halfToFloat(0x03ff), std::ldexp(1023.0f, -24));
    EXPECT_EQ(bitsOf(halfToFloat(0x8000)), 0x80000000u); // -0
    EXPECT_EQ(halfToFloat(0x7c00), INFINITY);
    EXPECT_EQ(halfToFloat(0xfc00), -INFINITY);
}

TEST(Float16, NaNsComeOutQuietWithTheirPayload)
{
    // A signalling half NaN (quiet bit 0x200 clear, payload 0x100) becomes a quiet float NaN
    // whose payload is the half's shifted by 13: 0x7f800000 | 0x100 << 13 | 0x00400000.
    EXPECT_EQ(bitsOf(halfToFloat(0x7d00)), 0x7fe00000u);
    EXPECT_EQ(bitsOf(halfToFloat(0xfe00)), 0xffc00000u); // already quiet, negative
    EXPECT_TRUE(std::isnan(halfToFloat(0x7c01)));
}

TEST(Float16, BFloat16IsTheUpperHalfOfAFloat)
{
    EXPECT_EQ(bfloat16ToFloat(0x3f80), 1.0f);
    EXPECT_EQ(bfloat16ToFloat(0xc0a0), -5.0f);
    EXPECT_EQ(bitsOf(bfloat16ToFloat(0x7fc1)), 0x7fc10000u);
}
