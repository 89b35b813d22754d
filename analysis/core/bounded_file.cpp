// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/bounded_file.h"

#include "analysis/core/types.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace featscale::analysis {

std::string readBoundedFile(const std::string& path, std::uint64_t maxBytes, const std::string& what)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        throw Error(what + ": cannot open for reading (" + std::strerror(errno) + ")");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st { };
    if (::fstat(fd, &st) != 0)
        throw Error(what + ": cannot read (" + std::strerror(errno) + ")");
    if (!S_ISREG(st.st_mode))
        throw Error(what + ": not a regular file (" +
                    (S_ISFIFO(st.st_mode)                         ? "a FIFO"
                     : S_ISDIR(st.st_mode)                        ? "a folder"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                  : "a socket or other special file") +
                    ")");
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes)
        throw Error(what + ": " + std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(maxBytes) +
                    " bytes");
    std::string text;
    text.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(what + ": read error (" + std::strerror(errno) + ")");
        if (n == 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > maxBytes) // grew while being read
            throw Error(what + ": over the limit of " + std::to_string(maxBytes) + " bytes");
    }
    return text;
}

} // namespace featscale::analysis
