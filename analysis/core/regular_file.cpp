// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/regular_file.h"

#include "analysis/core/types.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace featscale::analysis {

const char* fileKindText(unsigned mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

RegularFile::RegularFile(const std::string& path, std::string what, const std::string& hint)
    : m_what(what.empty() ? path : std::move(what))
{
    m_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (m_fd < 0)
        throw Error(m_what + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st { };
    if (::fstat(m_fd, &st) != 0) {
        const int err = errno;
        ::close(m_fd);
        throw Error(m_what + ": cannot read (" + std::strerror(err) + ")");
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(m_fd);
        throw Error(m_what + ": " + fileKindText(st.st_mode) + ", not a regular file" +
                    (hint.empty() ? "" : "; " + hint));
    }
    m_size = static_cast<std::uint64_t>(st.st_size);
}

RegularFile::~RegularFile() { ::close(m_fd); }

std::string RegularFile::text() const
{
    std::string out(static_cast<std::size_t>(m_size), '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::pread(m_fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(m_what + ": cannot read (" + std::strerror(errno) + ")");
        if (n == 0)
            throw Error(m_what + ": shrank while it was read");
        done += static_cast<std::size_t>(n);
    }
    return out;
}

std::string RegularFile::readAll(std::uint64_t maxBytes, const std::string& limitText)
{
    std::string text;
    if (m_size <= maxBytes)
        text.reserve(static_cast<std::size_t>(m_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(m_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(m_what + ": read error at byte " + std::to_string(text.size()) + " (" + std::strerror(errno) +
                        ")");
        if (n == 0)
            return text;
        if (text.size() + static_cast<std::size_t>(n) > maxBytes)
            throw Error(m_what + ": more than " + std::to_string(maxBytes) + " bytes (" + limitText + ")");
        text.append(buf, static_cast<std::size_t>(n));
    }
}

std::string readRegularFile(const std::string& path, std::uint64_t maxBytes, const std::string& what)
{
    RegularFile file(path, what);
    const std::string limit = "over the limit of " + std::to_string(maxBytes) + " bytes";
    if (file.size() > maxBytes)
        throw Error(file.what() + ": " + std::to_string(file.size()) + " bytes, " + limit);
    return file.readAll(maxBytes, limit);
}

} // namespace featscale::analysis
