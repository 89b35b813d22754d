// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>

namespace featscale::analysis::weights {

/// An incremental digest computed by OpenSSL's libcrypto (EVP_Digest* API). Sha256 and Md5 name
/// the two algorithms the catalogue and the weight readers use; libcrypto does the arithmetic, so
/// the project carries no hand-written hash code. Owns its EVP context; not copyable; one thread
/// at a time.
class EvpDigest {
public:
    EvpDigest(const EvpDigest&) = delete;
    EvpDigest& operator=(const EvpDigest&) = delete;
    ~EvpDigest();

    void update(const unsigned char* data, std::size_t size);
    std::string hexDigest(); ///< lowercase hex; finalises, call once

protected:
    enum class Algorithm { Sha256, Md5 };
    explicit EvpDigest(Algorithm algorithm);

private:
    void* m_ctx = nullptr; // EVP_MD_CTX*, kept out of the header so callers need no OpenSSL include path
};

} // namespace featscale::analysis::weights
