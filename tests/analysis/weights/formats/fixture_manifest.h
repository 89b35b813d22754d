// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: the reference written by make_fixtures.py, and tensor hashing to compare against it.
#pragma once

#include <torch/types.h>

#include <map>
#include <string>
#include <vector>

namespace featscale::analysis::weights::test {

/// The fixture directory (FEATSCALE_TEST_DATA) joined with name.
std::string fixturePath(const std::string& name);

struct ExpectedTensor {
    std::string shape;  ///< "64x3x3x3"
    std::string sha256; ///< of the float32 little-endian C-order bytes
};

/// manifest.txt entries for one fixture file: canonical name -> expected tensor.
std::map<std::string, ExpectedTensor> expectedTensors(const std::string& fixture);

/// sha256 of a float32 tensor's bytes in C order.
std::string tensorSha256(const torch::Tensor& t);

/// Reads a raw float32 file (pool5.f32, *.fc6.f32).
std::vector<float> readFloats(const std::string& path);

} // namespace featscale::analysis::weights::test
