// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/regular_file.h"

#include "analysis/core/types.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace featscale::analysis {

RegularFile::RegularFile(std::string path, const std::string& hint) : m_path(std::move(path))
{
    m_fd = ::open(m_path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (m_fd < 0)
        throw Error(m_path + ": cannot open (" + std::strerror(errno) +
                    (errno == ENOENT ? "; missing from the directory?)" : ")"));
    struct stat st { };
    if (::fstat(m_fd, &st) != 0) {
        const int err = errno;
        ::close(m_fd);
        throw Error(m_path + ": cannot read (" + std::strerror(err) + ")");
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(m_fd);
        const char* kind = S_ISDIR(st.st_mode)    ? "a directory"
                           : S_ISFIFO(st.st_mode) ? "a FIFO"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a regular file";
        throw Error(m_path + ": " + kind + ", not a regular file; " + hint);
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
            throw Error(m_path + ": cannot read (" + std::strerror(errno) + ")");
        if (n == 0)
            throw Error(m_path + ": shrank while it was read");
        done += static_cast<std::size_t>(n);
    }
    return out;
}

} // namespace featscale::analysis
