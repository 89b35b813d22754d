// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the lab catalogue reader behind `featscale-cli weights --catalog FILE` and the
// GUI's trained-weights dialog. The input is the catalogue's bytes, written to a file of this
// process's own (the reader takes regular files only). Every input must either give entries that
// passed every rule (name, https URL, full digest) or throw analysis::Error naming the file.
#include "analysis/core/types.h"
#include "analysis/weights/download/catalog.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace {

std::string scratchFile()
{
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/featscale-catalog-fuzz-" + std::to_string(::getpid()) + ".json";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace featscale::analysis;
    static const std::string path = scratchFile();
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    } else {
        std::abort();
    }
    try {
        for (const weights::CatalogEntry& e : weights::readLabCatalog(path)) {
            const bool fullDigest = e.hash.size() == (e.hashKind == weights::HashKind::Sha256 ? 64u : 32u);
            if (e.name.empty() || e.url.rfind("http", 0) != 0 || !fullDigest)
                std::abort(); // an entry the rules should have refused
        }
    } catch (const Error&) {
        // refused with a message naming the file
    }
    return 0;
}
