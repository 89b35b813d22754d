// SPDX-License-Identifier: GPL-3.0-or-later
// The one downloader (CLI and GUI): libcurl, FILE.part with Range resume, verify, rename.
#include "analysis/weights/download/download.h"

#include "analysis/core/atomic_file.h"
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <thread>
#include <unistd.h>
#include <vector>

#ifndef FEATSCALE_VERSION
#define FEATSCALE_VERSION "dev"
#endif

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::uint64_t fileSize(const std::string& path)
{
    struct stat st { };
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

std::uint64_t fdSize(int fd)
{
    struct stat st { };
    return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

bool isSymlink(const std::string& path)
{
    struct stat st { };
    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

const char* fileTypeName(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

std::string hostOf(const std::string& url)
{
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    const auto end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Disk errors get the folder and what to do; the .part stays so the next run resumes.
std::string diskError(int err, const std::string& part, const std::string& folder)
{
    std::string msg = "cannot write " + part + ": " + std::strerror(err);
    if (err == ENOSPC || err == EDQUOT)
        msg += " — the folder " + folder +
               " is full; free some space and run the same command again (it resumes "
               "from the bytes already written), or download elsewhere with --to DIR";
    else if (err == EROFS || err == EACCES || err == EPERM)
        msg += " — the folder " + folder +
               " is not writable; download elsewhere with --to DIR (or set TORCH_HOME / "
               "KERAS_HOME to a writable cache)";
    return msg;
}

// FILE.part, opened so that nothing outside the cache can be written through it: a symbolic link
// at the path is removed (its target is left alone) and O_NOFOLLOW refuses one that appears
// after; O_NONBLOCK keeps a FIFO from blocking the open, and fstat refuses anything that is not a
// regular file. O_RDWR because the bytes are read back (pread) for hashing.
int openPart(const std::string& part, const std::string& folder, std::vector<std::string>& notes)
{
    if (isSymlink(part)) {
        if (::unlink(part.c_str()) != 0)
            throw Error(part + " is a symbolic link and cannot be removed (" + std::strerror(errno) +
                        "); remove it and run the same command again");
        notes.push_back(part + " was a symbolic link: removed (its target was not touched), started a new file");
    }
    const int fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    if (fd < 0) {
        if (errno == ELOOP)
            throw Error(part + " is a symbolic link (it appeared while the download started); nothing was written. "
                               "Remove it and run the same command again");
        throw Error(diskError(errno, part, folder));
    }
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const mode_t mode = st.st_mode;
        ::close(fd);
        throw Error(part + " is " + fileTypeName(mode) +
                    ", not a regular file: nothing was written. Remove it and run the same command again");
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

// The rate over the last few seconds, so a stall shows as a falling rate, not a lifetime average.
class RateMeter {
public:
    void add(Clock::time_point t, std::uint64_t bytes)
    {
        m_samples.emplace_back(t, bytes);
        while (m_samples.size() > 2 && t - m_samples.front().first > std::chrono::seconds(5))
            m_samples.pop_front();
    }
    double rate() const
    {
        if (m_samples.size() < 2)
            return 0;
        const double dt = std::chrono::duration<double>(m_samples.back().first - m_samples.front().first).count();
        return dt > 0 ? static_cast<double>(m_samples.back().second - m_samples.front().second) / dt : 0;
    }
    void clear() { m_samples.clear(); }

private:
    std::deque<std::pair<Clock::time_point, std::uint64_t>> m_samples;
};

/// One HTTP request's state, shared with libcurl's callbacks.
struct Attempt {
    CURL* curl = nullptr;
    int fd = -1;
    std::string part, folder;
    std::uint64_t rangeFrom = 0;    ///< bytes on disk when the request was made (0: no Range)
    std::uint64_t onDisk = 0;       ///< bytes in the .part now
    std::uint64_t received = 0;     ///< body bytes written by this request
    std::uint64_t expectedSize = 0; ///< catalogue size, 0 unknown
    std::uint64_t cap = 0;          ///< downloadByteCap: the most bytes the .part may hold
    std::uint64_t maxHeaderBytes = 0;
    std::uint64_t headerBytes = 0; ///< of the current response
    std::string requiredHost;      ///< non-empty: the body is taken only from this host (unverifiable entries)
    bool stalePart = false;        ///< the server's range shows the .part cannot be resumed
    std::uint64_t total = 0;       ///< file size as the server states it, 0 unknown
    bool started = false;          ///< first body bytes seen
    bool restartedFromZero = false;
    long contentRangeStart = -1;
    std::uint64_t contentRangeTotal = 0;
    int writeErrno = 0;
    std::string abortReason; ///< set when a callback stopped the transfer for a reason of ours
    bool wrongFile = false;  ///< the reason shows the server has another file: the .part is worthless
    bool cancelled = false;
    const DownloadProgressFn* progress = nullptr;
    RateMeter* meter = nullptr;
};

std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user)
{
    auto* a = static_cast<Attempt*>(user);
    const std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) { // a new response (redirects): forget the previous one's headers
        a->contentRangeStart = -1;
        a->contentRangeTotal = 0;
        a->headerBytes = 0;
    }
    a->headerBytes += line.size();
    if (a->maxHeaderBytes && a->headerBytes > a->maxHeaderBytes) {
        a->abortReason = "response header too large (over " + std::to_string(a->maxHeaderBytes) +
                         " bytes): not a file server's answer";
        return 0;
    }
    if (line.size() > 14 && strncasecmp(line.c_str(), "content-range:", 14) == 0) {
        unsigned long long start = 0, end = 0, total = 0;
        if (std::sscanf(line.c_str() + 14, " bytes %llu-%llu/%llu", &start, &end, &total) == 3) {
            a->contentRangeStart = static_cast<long>(start);
            a->contentRangeTotal = total;
        } else if (std::sscanf(line.c_str() + 14, " bytes */%llu", &total) == 1) {
            a->contentRangeTotal = total;
        }
    }
    return size * n;
}

bool enoughSpace(Attempt* a, std::uint64_t needed)
{
    struct statvfs vfs { };
    if (::statvfs(a->folder.c_str(), &vfs) != 0)
        return true; // cannot tell: writing will say
    const std::uint64_t avail = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    if (avail >= needed)
        return true;
    a->abortReason = "not enough free space in " + a->folder + ": the download needs " + formatBytes(needed) +
                     " more, " + formatBytes(avail) + " are free. Free some space or download elsewhere with --to DIR";
    return false;
}

// First body bytes of a response: decide whether the server honoured our Range request.
bool startBody(Attempt* a)
{
    a->started = true;
    long code = 0;
    curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &code);
    curl_off_t length = -1;
    curl_easy_getinfo(a->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (!a->requiredHost.empty()) {
        char* eff = nullptr;
        curl_easy_getinfo(a->curl, CURLINFO_EFFECTIVE_URL, &eff);
        const std::string effective = eff ? eff : "";
        if (effective.rfind("https://", 0) != 0 || hostOf(effective) != a->requiredHost) {
            a->abortReason = "the answer came from " + printable(effective.substr(0, 120)) +
                             ", but a file without a published full digest is taken only from its publisher, https://" +
                             a->requiredHost;
            a->wrongFile = true;
            return false;
        }
    }
    if (a->rangeFrom > 0 && code == 206) {
        if (a->contentRangeStart != static_cast<long>(a->rangeFrom)) {
            a->abortReason = "the server answered the request for bytes " + std::to_string(a->rangeFrom) +
                             "- with a different range (Content-Range start " + std::to_string(a->contentRangeStart) +
                             ")";
            a->stalePart = true;
            return false;
        }
        a->total = a->contentRangeTotal ? a->contentRangeTotal : (length >= 0 ? a->rangeFrom + length : 0);
    } else {
        if (a->rangeFrom > 0) { // 200: the whole file again — start the .part over
            if (::ftruncate(a->fd, 0) != 0) {
                a->writeErrno = errno;
                return false;
            }
            a->onDisk = 0;
            a->restartedFromZero = true;
        }
        a->total = length >= 0 ? static_cast<std::uint64_t>(length) : 0;
    }
    if (!a->expectedSize && a->total > a->cap) {
        a->abortReason = "the server announces " + std::to_string(a->total) + " bytes, over the maximum of " +
                         std::to_string(a->cap) + " bytes for this entry";
        a->wrongFile = true;
        return false;
    }
    if (a->expectedSize && a->total && a->total != a->expectedSize) {
        a->abortReason = "the server announces " + std::to_string(a->total) + " bytes, but the catalogue says " +
                         std::to_string(a->expectedSize) + ": not the published file";
        a->wrongFile = true;
        return false;
    }
    const std::uint64_t size = a->total ? a->total : a->expectedSize;
    return size <= a->onDisk || enoughSpace(a, size - a->onDisk);
}

std::size_t onBody(char* data, std::size_t size, std::size_t n, void* user)
{
    auto* a = static_cast<Attempt*>(user);
    const std::size_t bytes = size * n;
    if (!a->started && !startBody(a))
        return 0;
    const std::uint64_t limit = a->expectedSize ? a->expectedSize : a->total;
    if (limit && a->onDisk + bytes > limit) {
        a->abortReason = "the server sent more than the " + std::to_string(limit) + " bytes expected";
        a->wrongFile = true;
        return 0;
    }
    if (a->onDisk + bytes > a->cap) {
        a->abortReason = "stopped at the maximum of " + std::to_string(a->cap) +
                         " bytes for this entry (no exact size is known; the approximate size + 5 %, or "
                         "FEATSCALE_DOWNLOAD_MAX_BYTES)";
        a->wrongFile = true;
        return 0;
    }
    std::size_t done = 0;
    while (done < bytes) {
        const ssize_t w = ::write(a->fd, data + done, bytes - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            a->writeErrno = errno;
            return 0;
        }
        done += static_cast<std::size_t>(w);
    }
    a->onDisk += bytes;
    a->received += bytes;
    return bytes;
}

DownloadProgress snapshot(const Attempt& a)
{
    DownloadProgress p;
    p.bytes = a.onDisk;
    p.total = a.total ? a.total : a.expectedSize;
    p.bytesPerSecond = a.meter ? a.meter->rate() : 0;
    if (p.total > p.bytes && p.bytesPerSecond > 0)
        p.etaSeconds = static_cast<double>(p.total - p.bytes) / p.bytesPerSecond;
    return p;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* a = static_cast<Attempt*>(user);
    if (a->meter)
        a->meter->add(Clock::now(), a->onDisk);
    if (a->progress && *a->progress && !(*a->progress)(snapshot(*a))) {
        a->cancelled = true;
        return 1;
    }
    return 0;
}

bool retryable(CURLcode rc, long httpCode)
{
    switch (rc) {
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    case CURLE_HTTP_RETURNED_ERROR:
        return httpCode == 502 || httpCode == 503 || httpCode == 504 || httpCode == 408 || httpCode == 429;
    default:
        return false;
    }
}

std::string manualHint(const std::string& url, const std::string& target)
{
    return "\nIf this machine has no internet access, download " + url + " elsewhere and copy it to\n  " + target +
           "\n(featscale checks its hash when it is used), or point FEATSCALE_WEIGHTS_MIRROR / --mirror at a mirror "
           "that serves the file.";
}

std::string curlFailure(CURLcode rc, long httpCode, const char* errbuf, const std::string& url,
                        const std::string& effectiveUrl, const std::string& target)
{
    const std::string detail = errbuf && *errbuf ? errbuf : curl_easy_strerror(rc);
    const std::string host = hostOf(effectiveUrl.empty() ? url : effectiveUrl);
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return "cannot resolve the host name " + host + " (DNS failure, or no network): " + detail +
               manualHint(url, target);
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "cannot resolve the proxy's host name (check https_proxy / http_proxy): " + detail;
    case CURLE_COULDNT_CONNECT:
        return "cannot connect to " + host + " (connection refused or no route; no network?): " + detail +
               manualHint(url, target);
    case CURLE_OPERATION_TIMEDOUT:
        return "the connection to " + host + " stalled (" + detail + ")" + manualHint(url, target);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
        return "TLS: the certificate of " + host + " could not be verified (" + detail +
               "); featscale never downloads without verifying it. Check the system's CA certificates "
               "(ca-certificates) or the proxy";
    case CURLE_TOO_MANY_REDIRECTS:
        return "too many redirects from " + url + " (" + detail + ")";
    case CURLE_UNSUPPORTED_PROTOCOL:
        // curl says 'Protocol "http" not supported or disabled' for a redirect it may not follow;
        // anything else (HTTP/0.9, an unknown version, a status line that is not one) is a
        // server that does not speak HTTP.
        if (detail.find("Protocol \"") != std::string::npos || detail.find("protocol \"") != std::string::npos)
            return "refused to follow " + effectiveUrl + " (" + detail +
                   "): only https:// (and http:// for http:// sources) is followed";
        return "the server " + host + " did not answer with valid HTTP (" + detail + ")";
    case CURLE_WEIRD_SERVER_REPLY:
        return "the server " + host + " did not answer with valid HTTP (" + detail + ")";
    case CURLE_OUT_OF_MEMORY:
        if (detail.find("header") != std::string::npos)
            return "response header too large from " + host + " (" + detail + ")";
        return "download of " + url + " failed: " + detail;
    case CURLE_HTTP_RETURNED_ERROR: {
        std::string msg = "HTTP " + std::to_string(httpCode) + " from " + (effectiveUrl.empty() ? url : effectiveUrl);
        if (httpCode == 404 || httpCode == 410)
            msg += ": the file is not there (check the URL, or the mirror: it must serve MIRROR/<file>)";
        else if (httpCode == 401 || httpCode == 403)
            msg += ": access denied";
        else if (httpCode >= 500)
            msg += ": the server failed; try again later, or use a mirror (FEATSCALE_WEIGHTS_MIRROR / --mirror)";
        return msg;
    }
    default:
        return "download of " + url + " failed: " + detail;
    }
}

void sleepInterruptibly(double seconds, Attempt& state)
{
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < until) {
        if (state.progress && *state.progress && !(*state.progress)(snapshot(state)))
            throw Cancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void syncAndRename(int fd, const std::string& part, const std::string& target, const std::string& folder)
{
    if (::fsync(fd) != 0)
        throw Error(diskError(errno, part, folder));
    if (::rename(part.c_str(), target.c_str()) != 0)
        throw Error("cannot rename " + part + " to " + target + ": " + std::strerror(errno));
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir); // make the rename itself durable
        ::close(dir);
    }
}

long parseLong(const std::string& text, const char* var)
{
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 0)
        throw Error(std::string(var) + ": expected a whole number, not \"" + text + "\"");
    return v;
}

std::pair<std::string, std::string> splitPair(const char* var, const std::string& value)
{
    const auto colon = value.find(':');
    if (colon == std::string::npos)
        throw Error(std::string(var) + "=" + value + ": expected two values separated by ':'");
    return {value.substr(0, colon), value.substr(colon + 1)};
}

} // namespace

std::string formatBytes(std::uint64_t bytes)
{
    char buf[32];
    const double b = static_cast<double>(bytes);
    if (b >= 1024.0 * 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.2f GB", b / (1024.0 * 1024 * 1024));
    else if (b >= 1024.0 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f MB", b / (1024.0 * 1024));
    else if (b >= 1024.0)
        std::snprintf(buf, sizeof buf, "%.1f kB", b / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    return buf;
}

DownloadLimits DownloadLimits::fromEnvironment()
{
    DownloadLimits l;
    if (const char* v = std::getenv("FEATSCALE_DOWNLOAD_LOW_SPEED"); v && *v) {
        const auto [bytes, seconds] = splitPair("FEATSCALE_DOWNLOAD_LOW_SPEED", v);
        l.lowSpeedBytes = parseLong(bytes, "FEATSCALE_DOWNLOAD_LOW_SPEED");
        l.lowSpeedSeconds = parseLong(seconds, "FEATSCALE_DOWNLOAD_LOW_SPEED");
        if (l.lowSpeedSeconds < 1)
            throw Error("FEATSCALE_DOWNLOAD_LOW_SPEED: SECONDS must be at least 1");
    }
    if (const char* v = std::getenv("FEATSCALE_DOWNLOAD_MAX_BYTES"); v && *v) {
        const long n = parseLong(v, "FEATSCALE_DOWNLOAD_MAX_BYTES");
        if (n < 1)
            throw Error("FEATSCALE_DOWNLOAD_MAX_BYTES: must be at least 1");
        l.maxBytes = static_cast<std::uint64_t>(n);
    }
    if (const char* v = std::getenv("FEATSCALE_DOWNLOAD_RETRIES"); v && *v) {
        const auto [retries, backoff] = splitPair("FEATSCALE_DOWNLOAD_RETRIES", v);
        l.retries = static_cast<int>(parseLong(retries, "FEATSCALE_DOWNLOAD_RETRIES"));
        char* end = nullptr;
        l.backoffSeconds = std::strtod(backoff.c_str(), &end);
        if (backoff.empty() || *end != '\0' || !(l.backoffSeconds >= 0) || l.backoffSeconds > 3600)
            throw Error("FEATSCALE_DOWNLOAD_RETRIES: back-off must be a number of seconds, not \"" + backoff + "\"");
    }
    return l;
}

std::uint64_t downloadByteCap(const CatalogEntry& entry, const DownloadLimits& limits)
{
    if (entry.sizeBytes)
        return entry.sizeBytes;
    if (entry.approxBytes)
        return std::min(entry.approxBytes + entry.approxBytes / 20, limits.maxBytes);
    return limits.maxBytes;
}

DownloadResult downloadEntry(const CatalogEntry& entry, const CatalogSettings& settings, const DownloadLimits& limits,
                             const DownloadProgressFn& progress)
{
    const auto t0 = Clock::now();
    DownloadResult result;
    const std::string folder = destinationFolder(entry, settings);
    const std::string target = (fs::path(folder) / entry.file).string();
    const std::string part = target + ".part";
    const std::string url = downloadUrl(entry, settings);
    result.path = target;
    result.url = url;
    result.verified = entry.verifiable();
    if (!entry.verifiable()) {
        if (!settings.mirror.empty())
            throw Error(entry.name + " (" + entry.file + ") has no published full digest, so it is taken only from " +
                        entry.url + ", never from a mirror; unset FEATSCALE_WEIGHTS_MIRROR / --mirror for it");
        if (entry.url.rfind("https://", 0) != 0)
            throw Error(entry.name + ": a file without a published full digest is taken only over https://, not from " +
                        printable(entry.url.substr(0, 120)));
    }

    // Already there and verified: nothing to do. There but wrong: replaced once the download verifies.
    // A symbolic link at the target is never taken for the file: the download replaces the link.
    if (isSymlink(target)) {
        result.notes.push_back(target + " is a symbolic link: it is replaced by the downloaded file");
    } else {
        const FileCheck present = checkEntryFile(entry, target, /*hash=*/true);
        if (present.state == FileState::Verified || present.state == FileState::Unverifiable) {
            result.alreadyPresent = true;
            result.digests = present.state == FileState::Verified ? present.digests : fileDigests(target);
            result.bytes = fileSize(target);
            return result;
        }
        if (present.state == FileState::Mismatch)
            result.notes.push_back(target + " is there but is not the published file (" + toString(entry.hashKind) +
                                   " " + digestOf(entry.hashKind, present.digests) +
                                   "); it is replaced if the download verifies");
    }

    std::error_code dirEc;
    fs::create_directories(folder, dirEc);
    if (dirEc)
        throw Error(diskError(dirEc.value(), folder, folder));
    const int fd = openPart(part, folder, result.notes);
    struct FdGuard {
        int fd;
        ~FdGuard() { ::close(fd); }
    } guard{fd};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
        throw Error("another download of " + entry.file + " is in progress (" + part + " is locked)");

    globalInit();
    RateMeter meter;
    Attempt state;
    state.fd = fd;
    state.part = part;
    state.folder = folder;
    state.expectedSize = entry.sizeBytes;
    state.cap = downloadByteCap(entry, limits);
    state.maxHeaderBytes = limits.maxHeaderBytes;
    if (!entry.verifiable())
        state.requiredHost = hostOf(entry.url);
    state.progress = &progress;
    state.meter = &meter;

    bool complete = false;
    std::string effectiveUrl;
    for (int attempt = 0; !complete; ++attempt) {
        std::uint64_t have = fdSize(fd);
        if (have > state.cap) { // longer than the file can be: start over
            if (::ftruncate(fd, 0) != 0)
                throw Error(diskError(errno, part, folder));
            have = 0;
        }
        if (entry.sizeBytes && have == entry.sizeBytes) {
            result.notes.push_back(part + " already holds all " + std::to_string(have) + " bytes");
            break;
        }
        if (attempt == 0 && have > 0)
            result.notes.push_back("resuming " + part + " at byte " + std::to_string(have));
        state.rangeFrom = have;
        state.onDisk = have;
        state.received = 0;
        state.total = 0;
        state.started = false;
        state.restartedFromZero = false;
        state.writeErrno = 0;
        state.abortReason.clear();
        state.wrongFile = false;
        state.stalePart = false;
        state.cancelled = false;
        meter.clear();
        if (entry.sizeBytes && !enoughSpace(&state, entry.sizeBytes - have)) {
            if (have == 0)
                ::unlink(part.c_str());
            throw Error(entry.file + ": " + state.abortReason);
        }

        CURL* curl = curl_easy_init();
        if (!curl)
            throw Error("cannot initialise libcurl");
        struct CurlGuard {
            CURL* c;
            ~CurlGuard() { curl_easy_cleanup(c); }
        } curlGuard{curl};
        state.curl = curl;
        char errbuf[CURL_ERROR_SIZE] = {0};
        const std::string range = std::to_string(have) + "-";
        const std::string agent = "featscale/" FEATSCALE_VERSION " " + std::string(curl_version());
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, limits.maxRedirects);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, url.rfind("https://", 0) == 0 ? "https" : "https,http");
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L); // never switched off
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, limits.connectTimeoutSeconds);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, limits.lowSpeedBytes);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, limits.lowSpeedSeconds);
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "identity"); // bytes as stored: Range offsets and hashes
        if (have > 0)
            curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);

        const CURLcode rc = curl_easy_perform(curl);
        ++result.attempts;
        result.transferred += state.received;
        long httpCode = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &httpCode);
        char* eff = nullptr;
        curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &eff);
        effectiveUrl = eff ? eff : url;
        if (state.restartedFromZero)
            result.notes.push_back("the server ignored the Range request (answered " + std::to_string(httpCode) +
                                   " instead of 206): restarted from zero");

        if (state.cancelled)
            throw Cancelled();
        if (rc == CURLE_WRITE_ERROR && state.writeErrno)
            throw Error(diskError(state.writeErrno, part, folder));
        if (!state.abortReason.empty()) {
            std::string tail;
            if (state.wrongFile)
                tail = "; " + part + " was removed and nothing was written to " + target;
            else if (state.stalePart)
                tail = "; the partial download " + part + " (" + std::to_string(fdSize(fd)) +
                       " bytes) cannot be resumed there and was removed: run the same command again to start over";
            if (state.wrongFile || state.stalePart || fdSize(fd) == 0)
                ::unlink(part.c_str());
            throw Error(entry.file + " from " + effectiveUrl + ": " + state.abortReason + tail);
        }
        if (rc == CURLE_HTTP_RETURNED_ERROR && httpCode == 416 && have > 0) {
            // The bytes on disk reach (or pass) the end of the file on the server: either the
            // .part is complete, or it belongs to another version. The hash decides the former;
            // the latter starts over.
            if (state.contentRangeTotal == have) {
                complete = true;
                break;
            }
            result.notes.push_back("the server refused the range from byte " + std::to_string(have) +
                                   " (416): restarted from zero");
            if (::ftruncate(fd, 0) != 0)
                throw Error(diskError(errno, part, folder));
            continue;
        }
        if (rc == CURLE_OK) {
            const std::uint64_t now = fdSize(fd);
            if (state.total && now < state.total) { // the server closed early without an error
                if (attempt >= limits.retries)
                    throw Error(entry.file + " from " + effectiveUrl + ": the connection ended at byte " +
                                std::to_string(now) + " of " + std::to_string(state.total) + " after " +
                                std::to_string(result.attempts) + " attempts; run the same command again to resume");
                result.notes.push_back("connection ended at byte " + std::to_string(now) + "; retrying");
                sleepInterruptibly(limits.backoffSeconds * (1 << std::min(attempt, 10)), state);
                continue;
            }
            complete = true;
            break;
        }
        if (retryable(rc, httpCode) && attempt < limits.retries) {
            const double wait = limits.backoffSeconds * (1 << std::min(attempt, 10));
            result.notes.push_back(std::string(curl_easy_strerror(rc)) + " at byte " + std::to_string(fdSize(fd)) +
                                   "; retrying with Range in " + std::to_string(wait).substr(0, 4) + " s");
            sleepInterruptibly(wait, state);
            continue;
        }
        // curl gives up on a header line over its 100 kB limit before any callback sees it, with
        // "Out of memory" (curl 7.88, Debian 12) or CURLE_TOO_LARGE (curl 8.6 on, Debian 13):
        // before the body, that is what either means.
        bool headerLimit = rc == CURLE_OUT_OF_MEMORY;
#if LIBCURL_VERSION_NUM >= 0x080600
        headerLimit = headerLimit || rc == CURLE_TOO_LARGE;
#endif
        std::string msg = entry.file + ": " +
                          (headerLimit && !state.started
                               ? "response header too large from " + hostOf(effectiveUrl.empty() ? url : effectiveUrl) +
                                     " (a header line over curl's limit of 100 kB)"
                               : curlFailure(rc, httpCode, errbuf, url, effectiveUrl, target));
        if (const std::uint64_t kept = fdSize(fd); kept > 0)
            msg += "\n(" + std::to_string(kept) + " bytes kept in " + part + "; the same command resumes from there)";
        else
            ::unlink(part.c_str());
        if (retryable(rc, httpCode))
            msg += "\n(gave up after " + std::to_string(result.attempts) + " attempts)";
        throw Error(msg);
    }

    // Verify the bytes on disk (resumed runs included), then publish atomically.
    const std::uint64_t size = fdSize(fd);
    FileDigests digests;
    std::string problem;
    if (entry.sizeBytes && size != entry.sizeBytes) {
        problem = "size is " + std::to_string(size) + " bytes, expected " + std::to_string(entry.sizeBytes);
    } else {
        digests = computeDigests(fd, part);
        if (entry.verifiable() && !digestsMatch(entry.hashKind, entry.hash, digests))
            problem = toString(entry.hashKind) + " is " + digestOf(entry.hashKind, digests) + ", expected " +
                      describeCheck(entry);
    }
    if (!problem.empty()) {
        ::unlink(part.c_str());
        throw Error(entry.file + " from " + (effectiveUrl.empty() ? url : effectiveUrl) + " failed verification: its " +
                    problem + ". The download was deleted; nothing was written to " + target + ".");
    }
    syncAndRename(fd, part, target, folder);
    rememberDigests(target, digests);
    result.digests = digests;
    result.bytes = size;
    result.url = effectiveUrl;
    result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return result;
}

} // namespace featscale::analysis::weights
