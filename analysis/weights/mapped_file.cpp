// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/internal/mapped_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace featscale::analysis::weights {

MappedFile::MappedFile(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path + ": not a regular file");
    }
    if (st.st_size == 0) {
        ::close(fd);
        throw Error(path + ": empty file (0 bytes)");
    }
    m_size = static_cast<std::size_t>(st.st_size);
    m_data = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int mapErrno = errno;
    ::close(fd);
    if (m_data == MAP_FAILED) {
        m_data = nullptr;
        throw Error(path + ": cannot map into memory (" + std::strerror(mapErrno) + ")");
    }
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(m_data, m_size);
}

} // namespace featscale::analysis::weights
