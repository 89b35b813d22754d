// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/hash/evp_digest.h"

namespace featscale::analysis::weights {

/// MD5 (RFC 1321), incremental, by libcrypto. Only to check files whose publisher states an MD5
/// (Keras' VGG16 .h5 files); never used where collision resistance matters — the catalogue's own
/// entries are checked by sha256 wherever the publisher gives one.
class Md5 : public EvpDigest {
public:
    Md5() : EvpDigest(Algorithm::Md5) { }
};

} // namespace featscale::analysis::weights
