// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/atomic_file.h"
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
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

namespace {

/// The descriptor a path names by itself: /dev/stdout (1), /dev/stderr (2), /dev/fd/N and
/// /proc/self/fd/N; -1 for any other path.
int namedDescriptor(const std::string& p)
{
    if (p == "/dev/stdout")
        return 1;
    if (p == "/dev/stderr")
        return 2;
    for (const std::string_view prefix : {std::string_view("/dev/fd/"), std::string_view("/proc/self/fd/")})
        if (p.size() > prefix.size() && p.size() <= prefix.size() + 6 && p.compare(0, prefix.size(), prefix) == 0 &&
            p.find_first_not_of("0123456789", prefix.size()) == std::string::npos)
            return std::stoi(p.substr(prefix.size()));
    return -1;
}

const char* kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a regular file";
}

/// How a path is written (see StagedFile).
struct Target {
    enum class Kind { Replace, Stream, Descriptor } kind = Kind::Replace;
    std::string path; ///< Replace: the file renamed over; Stream: what is opened
    int fd = -1;      ///< Descriptor
};

Target resolveTarget(const std::string& path)
{
    namespace fs = std::filesystem;
    std::string p = path;
    constexpr int kMaxLinks = 40; // as the kernel's own limit
    for (int hop = 0; hop <= kMaxLinks; ++hop) {
        if (const int fd = namedDescriptor(p); fd >= 0)
            return {Target::Kind::Descriptor, p, fd};
        struct stat st { };
        if (::lstat(p.c_str(), &st) != 0) {
            const int err = errno;
            if (err == ENOENT && hop == 0)
                return {Target::Kind::Replace, p, -1};
            // a link the kernel resolves itself (/proc/PID/fd/N reads as "pipe:[…]"): what it reaches
            struct stat reached { };
            if (::stat(path.c_str(), &reached) == 0 && (S_ISFIFO(reached.st_mode) || S_ISCHR(reached.st_mode)))
                return {Target::Kind::Stream, path, -1};
            if (err == ENOENT)
                throw Error(path + ": a symbolic link to " + printable(p) +
                            ", which does not exist; give the file itself or a link to an existing file");
            throw Error(path + ": cannot write (" + std::strerror(err) + ")");
        }
        if (S_ISLNK(st.st_mode)) {
            std::error_code ec;
            const fs::path link = fs::read_symlink(p, ec);
            if (ec)
                throw Error(path + ": cannot read the symbolic link " + printable(p) + " (" + ec.message() + ")");
            const fs::path from(p);
            p = (link.is_absolute() || !from.has_parent_path() ? link : from.parent_path() / link).string();
            continue;
        }
        if (S_ISREG(st.st_mode))
            return {Target::Kind::Replace, p, -1};
        if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
            return {Target::Kind::Stream, p, -1};
        throw Error(path + (p == path ? "" : " (through links, " + printable(p) + ")") + ": " + kindOf(st.st_mode) +
                    ", which an output never replaces; give the path of a file");
    }
    throw Error(path + ": more than 40 symbolic links in a row");
}

} // namespace

StagedFile::StagedFile(std::string path) : m_path(std::move(path))
{
    namespace fs = std::filesystem;
    const Target target = resolveTarget(m_path);
    if (target.kind == Target::Kind::Descriptor) {
        const int flags = ::fcntl(target.fd, F_GETFL);
        if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
            throw Error(m_path + ": descriptor " + std::to_string(target.fd) +
                        (flags < 0 ? " is not open" : " is open for reading only"));
        m_fd = ::fcntl(target.fd, F_DUPFD_CLOEXEC, 3);
        if (m_fd < 0)
            throw Error(m_path + ": cannot write (" + std::strerror(errno) + ")");
        m_streamed = true;
        return;
    }
    if (target.kind == Target::Kind::Stream) {
        // O_NONBLOCK: a FIFO without a reader fails with ENXIO instead of waiting for one
        m_fd = ::open(target.path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (m_fd < 0)
            throw Error(m_path + (errno == ENXIO ? ": a FIFO that no process reads; start the reader first"
                                                 : ": cannot write (" + std::string(std::strerror(errno)) + ")"));
        const int flags = ::fcntl(m_fd, F_GETFL);
        struct stat st { };
        if (flags < 0 || ::fcntl(m_fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || ::fstat(m_fd, &st) != 0 ||
            !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
            ::close(m_fd);
            m_fd = -1;
            throw Error(m_path + ": changed while it was opened; not written");
        }
        m_streamed = true;
        return;
    }
    m_target = target.path;
    const fs::path file(m_target);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    std::random_device rd;
    m_tmp = (dir / ("." + file.filename().string() + ".tmp" + std::to_string(rd()))).string();
    m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error(m_path + ": cannot write (" + std::strerror(errno) + ")");
}

StagedFile::~StagedFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_published && !m_streamed)
        ::unlink(m_tmp.c_str());
}

void StagedFile::fail(const char* what, int err)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (m_streamed)
        throw Error(m_path + ": " + what + " (" + std::strerror(err) + "); what was written so far stays");
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
    // a pipe or terminal has nothing to sync (EINVAL); a regular file behind a descriptor does
    if (::fsync(m_fd) != 0 && !(m_streamed && (errno == EINVAL || errno == EROFS)))
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
    if (!m_streamed && ::rename(m_tmp.c_str(), m_target.c_str()) != 0)
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
