// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixture_manifest.h"

#include "analysis/weights/hash/sha256.h"

#include <torch/torch.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace featscale::analysis::weights::test {

std::string fixturePath(const std::string& name) { return std::string(FEATSCALE_TEST_DATA) + "/" + name; }

std::map<std::string, ExpectedTensor> expectedTensors(const std::string& fixture)
{
    std::ifstream in(fixturePath("manifest.txt"));
    if (!in)
        throw std::runtime_error("no manifest.txt in " FEATSCALE_TEST_DATA " (did weights_formats_fixtures run?)");
    std::map<std::string, ExpectedTensor> out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string file, name;
        ExpectedTensor e;
        if (fields >> file >> name >> e.shape >> e.sha256 && file == fixture)
            out[name] = e;
    }
    return out;
}

std::string tensorSha256(const torch::Tensor& t)
{
    const torch::Tensor c = t.to(torch::kFloat32).contiguous();
    Sha256 h;
    h.update(static_cast<const unsigned char*>(c.data_ptr()), static_cast<std::size_t>(c.numel()) * sizeof(float));
    return h.hexDigest();
}

std::vector<float> readFloats(const std::string& path)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    const auto size = static_cast<std::size_t>(in.tellg());
    std::vector<float> v(size / sizeof(float));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
    return v;
}

} // namespace featscale::analysis::weights::test
