// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/bytes/internal/sparse_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace featscale::analysis::weights {

SparseFile::SparseFile(const std::string& path, std::uint64_t maxBytes) : m_path(path)
{
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not regular
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (m_fd < 0)
        throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st { };
    if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(m_fd);
        throw Error(path + ": not a regular file");
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size == 0 || size > maxBytes) {
        ::close(m_fd);
        throw Error(path + (size == 0
                                ? std::string(": empty file (0 bytes)")
                                : ": " + std::to_string(size >> 20) + " MiB is larger than any weight file (limit " +
                                      std::to_string(maxBytes >> 20) + " MiB)"));
    }
    // Anonymous and MAP_NORESERVE: address space only; a page costs memory once it is written.
    void* p = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        ::close(m_fd);
        throw Error(path + ": cannot reserve " + std::to_string(size >> 20) + " MiB of address space (" +
                    std::strerror(errno) + ")");
    }
    m_data = static_cast<std::uint8_t*>(p);
    m_size = static_cast<std::size_t>(size);
    m_fetched.assign(static_cast<std::size_t>((size + kBlock - 1) / kBlock), false);
}

SparseFile::~SparseFile()
{
    if (m_data)
        ::munmap(m_data, m_size);
    if (m_fd >= 0)
        ::close(m_fd);
}

void SparseFile::fetch(std::uint64_t offset, std::uint64_t size)
{
    if (offset >= m_size || size == 0)
        return;
    const std::uint64_t end = std::min<std::uint64_t>(m_size, size > m_size - offset ? m_size : offset + size);
    for (std::uint64_t b = offset / kBlock; b * kBlock < end; ++b) {
        if (m_fetched[static_cast<std::size_t>(b)])
            continue;
        const std::uint64_t from = b * kBlock, to = std::min<std::uint64_t>(m_size, from + kBlock);
        std::uint64_t got = from;
        while (got < to) {
            const ssize_t n = ::pread(m_fd, m_data + got, static_cast<std::size_t>(to - got), static_cast<off_t>(got));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw Error(m_path + ": read error at byte " + std::to_string(got) + " (" + std::strerror(errno) + ")");
            if (n == 0)
                throw Error(m_path + ": the file shrank while it was read (it ends before byte " + std::to_string(got) +
                            " of " + std::to_string(m_size) +
                            "); was it being replaced? Read it again once it is complete");
            got += static_cast<std::uint64_t>(n);
        }
        m_read += to - from;
        m_fetched[static_cast<std::size_t>(b)] = true;
    }
}

} // namespace featscale::analysis::weights
