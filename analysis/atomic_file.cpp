// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/atomic_file.h"
#include "analysis/types.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace featscale::analysis {

void ensureDirectory(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return;
    std::filesystem::create_directories(path, ec);
    if (ec)
        throw Error(path + ": cannot create directory (" + ec.message() + ")");
}

namespace {

// Writes content to a fresh temporary file next to path, flushed to disk; returns its name. On
// failure the temporary file is removed and Error names path and the cause.
std::string writeTemporary(const std::string& path, const std::string& content)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::random_device rd;
    const std::string tmp = (dir / ("." + target.filename().string() + ".tmp" + std::to_string(rd()))).string();

    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(path + ": cannot write (" + std::strerror(errno) + ")");
    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(path + ": " + what + " (" + std::strerror(err) + "); any earlier file is unchanged");
    };
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("write failed");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0)
        fail("flush failed");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error(path + ": close failed (" + std::string(std::strerror(err)) + "); any earlier file is unchanged");
    }
    return tmp;
}

void replaceWith(const std::string& tmp, const std::string& path)
{
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error(path + ": cannot replace file (" + std::string(std::strerror(err)) + "); any earlier file is unchanged");
    }
}

} // namespace

void writeFileAtomically(const std::string& path, const std::string& content)
{
    replaceWith(writeTemporary(path, content), path);
}

void writeFilesAtomically(const std::vector<std::pair<std::string, std::string>>& files)
{
    std::vector<std::string> temps;
    try {
        for (const auto& [path, content] : files)
            temps.push_back(writeTemporary(path, content));
    } catch (const Error&) {
        for (const auto& t : temps)
            ::unlink(t.c_str());
        throw;
    }
    for (std::size_t i = 0; i < files.size(); ++i)
        replaceWith(temps[i], files[i].first);
}

} // namespace featscale::analysis
