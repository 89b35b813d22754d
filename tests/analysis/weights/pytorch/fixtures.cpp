// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include "analysis/weights/hash/sha256.h"

#include <fstream>
#include <map>
#include <stdexcept>

namespace featscale::analysis::weights::test {

std::string fixtureDir(const std::string& part) { return std::string(FEATSCALE_WEIGHTS_TEST_DATA) + "/" + part; }

std::string fixturePath(const std::string& part, const std::string& name) { return fixtureDir(part) + "/" + name; }

const nlohmann::json& manifest(const std::string& part)
{
    static std::map<std::string, nlohmann::json> cache;
    auto it = cache.find(part);
    if (it == cache.end()) {
        std::ifstream in(fixtureDir(part) + "/manifest.json");
        if (!in)
            throw std::runtime_error("missing " + fixtureDir(part) + "/manifest.json: run the fixture test first");
        it = cache.emplace(part, nlohmann::json::parse(in)).first;
    }
    return it->second;
}

std::string floatSha256(const torch::Tensor& t)
{
    const torch::Tensor c = t.to(torch::kFloat32).contiguous();
    Sha256 h;
    h.update(reinterpret_cast<const unsigned char*>(c.data_ptr<float>()), static_cast<std::size_t>(c.numel()) * 4);
    return h.hexDigest();
}

std::string shapeOf(const nlohmann::json& shape)
{
    std::string s;
    for (const auto& d : shape)
        s += (s.empty() ? "" : "x") + std::to_string(d.get<long long>());
    return s;
}

} // namespace featscale::analysis::weights::test
