// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/hash/evp_digest.h"

#include "analysis/core/types.h"

#include <openssl/evp.h>

namespace featscale::analysis::weights {

EvpDigest::EvpDigest(Algorithm algorithm)
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, algorithm == Algorithm::Md5 ? EVP_md5() : EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        throw Error("libcrypto cannot start a digest (OpenSSL refused EVP_DigestInit_ex)");
    }
    m_ctx = ctx;
}

EvpDigest::~EvpDigest() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx)); }

void EvpDigest::update(const unsigned char* data, std::size_t size)
{
    if (size > 0 && EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_ctx), data, size) != 1)
        throw Error("libcrypto failed to hash data (EVP_DigestUpdate)");
}

std::string EvpDigest::hexDigest()
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_ctx), md, &len) != 1)
        throw Error("libcrypto failed to finish a digest (EVP_DigestFinal_ex)");
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out += digits[md[i] >> 4];
        out += digits[md[i] & 15];
    }
    return out;
}

} // namespace featscale::analysis::weights
