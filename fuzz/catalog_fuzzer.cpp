// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the lab catalogue reader behind `featscale-cli weights --catalog FILE` and the
// GUI's trained-weights dialog (parseLabCatalog, what readLabCatalog applies to the file's bytes).
// Every input must either give entries that passed every rule (name, http(s) URL, full digest) or
// throw analysis::Error naming the catalogue.
#include "analysis/core/types.h"
#include "analysis/weights/download/catalog.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace featscale::analysis;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        for (const weights::CatalogEntry& e : weights::parseLabCatalog(text, "lab catalogue fuzz.json")) {
            const bool fullDigest = e.hash.size() == (e.hashKind == weights::HashKind::Sha256 ? 64u : 32u);
            if (e.name.empty() || e.url.rfind("http", 0) != 0 || !fullDigest)
                std::abort(); // an entry the rules should have refused
        }
    } catch (const Error&) {
        // refused with a message naming the file
    }
    return 0;
}
