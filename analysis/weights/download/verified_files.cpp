// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/download/verified_files.h"

#include "analysis/core/atomic_file.h"
#include "analysis/core/file_names.h"
#include "analysis/core/regular_file.h"
#include "analysis/core/types.h"
#include "analysis/weights/hash/md5.h"
#include "analysis/weights/hash/sha256.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;

std::mutex gCacheMutex; // one writer per process; across processes the last complete write wins

std::string cacheFile()
{
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    std::string base;
    if (xdg && *xdg)
        base = xdg;
    else if (home && *home)
        base = std::string(home) + "/.cache";
    else
        return {};
    return base + "/featscale/verified-weights.json";
}

struct Stamp {
    std::uint64_t size = 0;
    std::int64_t mtimeNs = 0;
};

std::optional<Stamp> stampOf(const std::string& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    return Stamp{static_cast<std::uint64_t>(st.st_size),
                 static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

// The cache's key for a file: its absolute path, escaped so that a name that is not UTF-8 can be
// a JSON key (analysis/core/file_names.h).
std::string cacheKey(const std::string& path)
{
    std::error_code ec;
    const fs::path p = fs::absolute(path, ec);
    return escapeFileName(ec ? path : p.lexically_normal().string());
}

nlohmann::json readCache(const std::string& file)
{
    std::ifstream in(file);
    if (!in)
        return nlohmann::json::object();
    try {
        nlohmann::json j = nlohmann::json::parse(in);
        return j.is_object() ? j : nlohmann::json::object();
    } catch (const std::exception&) {
        return nlohmann::json::object(); // a damaged cache only costs a re-hash
    }
}

bool isHex(const std::string& s)
{
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    return true;
}

} // namespace

FileDigests computeDigests(int fd, const std::string& name)
{
    Sha256 sha;
    Md5 md5;
    std::vector<unsigned char> buf(1 << 20);
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(name + ": read error (" + std::strerror(errno) + ")");
        if (n == 0)
            break;
        sha.update(buf.data(), static_cast<std::size_t>(n));
        md5.update(buf.data(), static_cast<std::size_t>(n));
        offset += n;
    }
    return {sha.hexDigest(), md5.hexDigest()};
}

FileDigests computeDigests(const std::string& path)
{
    const RegularFile file(path);
    return computeDigests(file.fd(), path);
}

std::optional<FileDigests> cachedDigests(const std::string& path)
{
    const std::string file = cacheFile();
    const auto stamp = stampOf(path);
    if (file.empty() || !stamp)
        return std::nullopt;
    std::lock_guard<std::mutex> lock(gCacheMutex);
    const nlohmann::json cache = readCache(file);
    const auto it = cache.find(cacheKey(path));
    if (it == cache.end() || !it->is_object())
        return std::nullopt;
    try {
        if (it->at("size").get<std::uint64_t>() != stamp->size ||
            it->at("mtime_ns").get<std::int64_t>() != stamp->mtimeNs)
            return std::nullopt;
        FileDigests d{it->at("sha256").get<std::string>(), it->at("md5").get<std::string>()};
        if (d.sha256.size() != 64 || d.md5.size() != 32 || !isHex(d.sha256) || !isHex(d.md5))
            return std::nullopt;
        return d;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void rememberDigests(const std::string& path, const FileDigests& digests)
{
    const std::string file = cacheFile();
    const auto stamp = stampOf(path);
    if (file.empty() || !stamp)
        return;
    std::lock_guard<std::mutex> lock(gCacheMutex);
    nlohmann::json cache = readCache(file);
    // Forget files that are gone, so the cache does not grow with every deleted download.
    for (auto it = cache.begin(); it != cache.end();) {
        std::error_code ec;
        if (!fs::exists(it.key(), ec))
            it = cache.erase(it);
        else
            ++it;
    }
    cache[cacheKey(path)] = {
        {"size", stamp->size}, {"mtime_ns", stamp->mtimeNs}, {"sha256", digests.sha256}, {"md5", digests.md5}};
    try {
        ensureDirectory(fs::path(file).parent_path().string());
        writeFileAtomically(file, cache.dump(1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace) +
                                      "\n");
    } catch (const Error&) {
        // read-only or full home: the digests are simply computed again next time
    }
}

FileDigests fileDigests(const std::string& path)
{
    if (auto cached = cachedDigests(path))
        return *cached;
    const FileDigests d = computeDigests(path);
    rememberDigests(path, d);
    return d;
}

const std::string& digestOf(HashKind kind, const FileDigests& digests)
{
    return kind == HashKind::Md5 ? digests.md5 : digests.sha256;
}

bool digestsMatch(HashKind kind, const std::string& expected, const FileDigests& digests)
{
    const std::string& actual = digestOf(kind, digests);
    const std::size_t full = kind == HashKind::Md5 ? 32 : 64;
    return expected.size() == full && actual == expected;
}

FileCheck checkEntryFile(const CatalogEntry& entry, const std::string& path, bool hash)
{
    FileCheck c;
    c.path = path;
    if (!stampOf(path))
        return c; // Missing
    if (!entry.verifiable()) {
        c.state = FileState::Unverifiable;
        if (auto d = cachedDigests(path))
            c.digests = *d;
        return c;
    }
    std::optional<FileDigests> d = cachedDigests(path);
    if (!d && hash)
        d = fileDigests(path);
    if (!d) {
        c.state = FileState::Unverified;
        return c;
    }
    c.digests = *d;
    c.state = digestsMatch(entry.hashKind, entry.hash, *d) ? FileState::Verified : FileState::Mismatch;
    return c;
}

std::string toString(FileState state)
{
    switch (state) {
    case FileState::Missing:
        return "missing";
    case FileState::Verified:
        return "verified";
    case FileState::Mismatch:
        return "MISMATCH";
    case FileState::Unverified:
        return "not verified yet";
    case FileState::Unverifiable:
        return kNotVerifiable;
    }
    return "?";
}

} // namespace featscale::analysis::weights
