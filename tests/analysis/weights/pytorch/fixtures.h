// SPDX-License-Identifier: GPL-3.0-or-later
// Shared helpers of the PyTorch weight-import tests: fixture paths, manifests, tensor checksums.
#pragma once

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <string>

namespace featscale::analysis::weights::test {

/// Directory written by make_fixtures.py for one part ("formats" or "layouts").
std::string fixtureDir(const std::string& part);
std::string fixturePath(const std::string& part, const std::string& name);

/// The part's manifest.json.
const nlohmann::json& manifest(const std::string& part);

/// sha256 of a tensor's float32 bytes (little-endian), as make_fixtures.py computes it.
std::string floatSha256(const torch::Tensor& t);

/// "4x3x3x3" for a JSON shape list.
std::string shapeOf(const nlohmann::json& shape);

} // namespace featscale::analysis::weights::test
