// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/formats/pytorch/internal/pytorch_tensors.h"

#include <torch/torch.h>

#include <map>

namespace featscale::analysis::weights {

RawTensors toRawTensors(const ParsedTensors& parsed, const std::string& format)
{
    RawTensors raw;
    raw.format = format;
    raw.warnings = parsed.warnings;
    raw.tensors.reserve(parsed.tensors.size());
    std::map<std::string, int> converted; // dtype -> tensor count, reported once per type
    for (const TensorSource& src : parsed.tensors) {
        torch::Tensor t = torch::empty(src.sizes, torch::kFloat32);
        copyAsFloat32(src, t.data_ptr<float>());
        if (src.dtype != DType::Float32)
            ++converted[dtypeName(src.dtype)];
        raw.tensors.emplace_back(src.name, std::move(t));
    }
    for (const auto& [dtype, count] : converted)
        raw.warnings.push_back(std::to_string(count) + " tensor(s) stored as " + dtype + ", converted to float32");
    return raw;
}

} // namespace featscale::analysis::weights
