// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/atomic_file.h"
#include "analysis/core/types.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
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
constexpr std::size_t kBlock = 1 << 20;
} // namespace

StagedFile::StagedFile(std::string path) : m_path(std::move(path))
{
    namespace fs = std::filesystem;
    const fs::path target(m_path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::random_device rd;
    m_tmp = (dir / ("." + target.filename().string() + ".tmp" + std::to_string(rd()))).string();
    m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error(m_path + ": cannot write (" + std::strerror(errno) + ")");
}

StagedFile::~StagedFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_published)
        ::unlink(m_tmp.c_str());
}

void StagedFile::fail(const char* what, int err)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    ::unlink(m_tmp.c_str());
    throw Error(m_path + ": " + what + " (" + std::strerror(err) + "); any earlier file is unchanged");
}

void StagedFile::flushBuffer()
{
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        const ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("write failed", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    m_buffer.clear();
}

void StagedFile::append(std::string_view data)
{
    if (m_fd < 0 || m_finished)
        throw Error(m_path + ": internal error, append after the file was closed");
    m_buffer.append(data);
    if (m_buffer.size() >= kBlock)
        flushBuffer();
}

void StagedFile::finish()
{
    if (m_finished)
        return;
    if (m_fd < 0)
        throw Error(m_path + ": internal error, the file was closed after a failure");
    flushBuffer();
    if (::fsync(m_fd) != 0)
        fail("flush failed", errno);
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0)
        fail("close failed", errno);
    m_finished = true;
    m_buffer.shrink_to_fit();
}

void StagedFile::publish()
{
    finish();
    if (::rename(m_tmp.c_str(), m_path.c_str()) != 0)
        fail("cannot replace file", errno);
    m_published = true;
}

void publishAll(const std::vector<StagedFile*>& files)
{
    for (StagedFile* f : files)
        f->finish();
    for (StagedFile* f : files)
        f->publish();
}

void writeFileAtomically(const std::string& path, const std::string& content)
{
    StagedFile file(path);
    file.append(content);
    file.publish();
}

void writeFilesAtomically(const std::vector<std::pair<std::string, std::string>>& files)
{
    std::vector<std::unique_ptr<StagedFile>> staged;
    std::vector<StagedFile*> pointers;
    for (const auto& [path, content] : files) {
        staged.push_back(std::make_unique<StagedFile>(path));
        staged.back()->append(content);
        pointers.push_back(staged.back().get());
    }
    publishAll(pointers);
}

} // namespace featscale::analysis
