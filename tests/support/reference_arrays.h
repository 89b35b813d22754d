// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reference arrays written by the Python fixture scripts (raw little-endian float32), and the one
// tolerance measure the parity suites compare norm maps with. Header-only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace featscale::test {

/// n float32 values from a raw file; a short file fails the calling test (naming the file).
inline std::vector<float> readF32(const std::string& path, std::size_t n)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<float> v(n);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(float)));
    EXPECT_EQ(static_cast<std::size_t>(in.gcount()), n * sizeof(float)) << path;
    return v;
}

/// Largest elementwise |a - ref| relative to the reference's largest magnitude; infinite when the
/// sizes differ.
inline double maxRelative(const std::vector<float>& a, const std::vector<float>& ref)
{
    if (a.size() != ref.size())
        return std::numeric_limits<double>::infinity();
    double scale = 0, worst = 0;
    for (float r : ref)
        scale = std::max(scale, static_cast<double>(std::fabs(r)));
    for (std::size_t i = 0; i < ref.size(); ++i)
        worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - ref[i]) / std::max(scale, 1e-30));
    return worst;
}

} // namespace featscale::test
