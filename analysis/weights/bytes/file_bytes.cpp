// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/bytes/internal/file_bytes.h"

#include "analysis/core/regular_file.h"
#include "analysis/weights/hash/sha256.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace featscale::analysis::weights {

FileBytes::FileBytes(const std::string& path, std::uint64_t maxBytes)
{
    const RegularFile f(path);
    if (f.size() == 0)
        throw Error(path + ": empty file (0 bytes)");
    const std::uint64_t size = f.size();
    if (size > maxBytes)
        throw Error(path + ": " + std::to_string(size >> 20) + " MiB is larger than any VGG16 weight file (limit " +
                    std::to_string(maxBytes >> 20) + " MiB)");
    m_bytes.resize(static_cast<std::size_t>(size));
    Sha256 hash;
    std::size_t got = 0;
    for (;;) {
        // one byte more than expected: a file that grew is as changed as one that shrank
        std::uint8_t extra = 0;
        std::uint8_t* dst = got < m_bytes.size() ? m_bytes.data() + got : &extra;
        const std::size_t want = got < m_bytes.size() ? std::min<std::size_t>(m_bytes.size() - got, 1 << 24) : 1;
        const ssize_t n = ::read(f.fd(), dst, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(path + ": read error at byte " + std::to_string(got) + " (" + std::strerror(errno) + ")");
        if (n == 0)
            break;
        if (got >= m_bytes.size())
            throw Error(path + ": the file grew while it was read (it had " + std::to_string(size) +
                        " bytes); was it being written? Load it again once it is complete");
        hash.update(dst, static_cast<std::size_t>(n));
        got += static_cast<std::size_t>(n);
    }
    if (got != m_bytes.size())
        throw Error(path + ": the file shrank while it was read (" + std::to_string(got) + " of " +
                    std::to_string(size) + " bytes); was it being replaced? Load it again once it is complete");
    m_sha256 = hash.hexDigest();
}

} // namespace featscale::analysis::weights
