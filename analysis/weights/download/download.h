// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/download/catalog.h"
#include "analysis/weights/download/verified_files.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// Where a download stands, for progress bars: bytes of the file on disk so far (resumed bytes
/// included), the total when known (else 0), the rate over the last few seconds and the
/// estimated seconds left (negative when unknown).
struct DownloadProgress {
    std::uint64_t bytes = 0;
    std::uint64_t total = 0;
    double bytesPerSecond = 0;
    double etaSeconds = -1;
};
/// Called a few times a second from the downloading thread (also while a connection stalls and
/// between retries); returning false cancels: the download stops and only FILE.part is left.
using DownloadProgressFn = std::function<bool(const DownloadProgress&)>;

/// Network limits. fromEnvironment() reads overrides (for slow links, and for tests):
///   FEATSCALE_DOWNLOAD_LOW_SPEED=BYTES:SECONDS  give up on a connection slower than BYTES/s for
///                                               SECONDS (default 1000:30)
///   FEATSCALE_DOWNLOAD_RETRIES=N:SECONDS        retries of a dropped or stalled connection and the
///                                               first back-off, doubled each time (default 4:1)
///   FEATSCALE_DOWNLOAD_MAX_BYTES=N              the most bytes taken for an entry without an exact
///                                               size (default 4 GiB; see downloadByteCap)
/// Malformed values throw Error naming the variable.
struct DownloadLimits {
    long lowSpeedBytes = 1000;
    long lowSpeedSeconds = 30;
    long connectTimeoutSeconds = 30;
    int retries = 4;
    double backoffSeconds = 1.0;
    long maxRedirects = 8;
    std::uint64_t maxBytes = 4ull << 30;     ///< cap for entries without an exact size
    std::uint64_t maxHeaderBytes = 64 << 10; ///< all header lines of one response together

    static DownloadLimits fromEnvironment();
};

struct DownloadResult {
    std::string path;              ///< the file put in place
    bool verified = true;          ///< false for an entry without a published full digest (never "verified")
    std::string url;               ///< where it came from (after redirects)
    FileDigests digests;           ///< of the verified file (print the sha256 so users can pin it)
    std::uint64_t bytes = 0;       ///< file size
    std::uint64_t transferred = 0; ///< bytes received by this call
    bool alreadyPresent = false;   ///< the file was there and verified: nothing was fetched
    int attempts = 0;              ///< HTTP requests made
    double seconds = 0;
    std::vector<std::string> notes; ///< e.g. "resumed at byte 1048576", "the server ignored Range: restarted from zero"
};

/// Fetches an entry into destinationPath(entry, settings) over HTTPS (or HTTP) with libcurl:
///  - certificate verification always on; redirects followed up to limits.maxRedirects, and an
///    https:// URL is never redirected to plain http://; proxies from the environment
///    (https_proxy, http_proxy, all_proxy, no_proxy) exactly as curl reads them;
///  - written to FILE.part beside the target, opened O_NOFOLLOW|O_NONBLOCK and checked to be a
///    regular file (a symbolic link there is removed, never written through; a FIFO or other
///    special file is refused without blocking), locked so two downloads cannot interleave; a
///    dropped or stalled connection is retried with back-off and resumed with an HTTP Range request
///    from the bytes on disk, and so is a later call; a server that ignores Range restarts from zero;
///  - free space checked when the size is known (catalogue or Content-Length); every body is
///    capped at downloadByteCap(); response headers at limits.maxHeaderBytes;
///  - an entry without a full digest (CatalogEntry::verifiable) is fetched only from its
///    publisher's https:// host (no mirror, no redirect to another host) and reported unverified;
///  - the whole file is hashed before an atomic rename into place; a mismatch deletes FILE.part,
///    leaves nothing at the target and throws Error with the expected and actual digests.
/// A target that is already there and verified is not fetched again. Throws Cancelled when
/// progress returned false (FILE.part is kept for resuming) and Error with a message naming the
/// URL, the path and what to do for every failure (no network, DNS, refused connection,
/// HTTP 4xx/5xx, TLS, read-only or full folder).
/// Thread: any; one call per target at a time.
DownloadResult downloadEntry(const CatalogEntry& entry, const CatalogSettings& settings, const DownloadLimits& limits,
                             const DownloadProgressFn& progress = {});

/// The most bytes a download of entry may bring: its exact size when the catalogue has one; else
/// its approximate size plus 5 % (at most limits.maxBytes); else limits.maxBytes. More stops the
/// download with an Error and removes FILE.part — an endless, chunked or compressed body cannot
/// fill the disk.
std::uint64_t downloadByteCap(const CatalogEntry& entry, const DownloadLimits& limits);

/// "12.3 MB", "1.2 GB" (MiB-based, as torch.hub prints sizes).
std::string formatBytes(std::uint64_t bytes);

} // namespace featscale::analysis::weights
