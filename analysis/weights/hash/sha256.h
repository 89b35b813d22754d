// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/hash/evp_digest.h"

#include <string>

namespace featscale::analysis::weights {

/// SHA-256 (FIPS 180-4), incremental, by libcrypto. Identifies weight files in exports and sessions
/// and verifies downloads against their publisher's full digest.
class Sha256 : public EvpDigest {
public:
    Sha256() : EvpDigest(Algorithm::Sha256) { }
};

/// Hex sha256 of a file's bytes. Throws Error naming the file when it cannot be read.
std::string sha256File(const std::string& path);

} // namespace featscale::analysis::weights
