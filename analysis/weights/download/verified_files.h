// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/download/catalog.h"

#include <optional>
#include <string>

namespace featscale::analysis::weights {

/// sha256 and md5 of one file's bytes (lowercase hex).
struct FileDigests {
    std::string sha256;
    std::string md5;
};

/// Hashing a 528 MB weight file takes seconds, so digests are remembered in
/// `<cache>/featscale/verified-weights.json` (<cache> = $XDG_CACHE_HOME, else ~/.cache), keyed by
/// the file's absolute path and valid only while its size and modification time (ns) are
/// unchanged. Any rewrite of the file changes its mtime, so a stale digest is never used; a cache
/// that cannot be read or written is ignored (the digests are computed again).
/// Thread-safe: each call reads and rewrites the cache file (atomically).

/// Digests from the cache, without reading the file; nullopt when not cached or stale.
std::optional<FileDigests> cachedDigests(const std::string& path);
/// Digests from the cache, else computed in one pass over the file and remembered.
/// Throws Error when the file cannot be read.
FileDigests fileDigests(const std::string& path);
/// Remembers digests computed elsewhere (the downloader hashes what it wrote).
void rememberDigests(const std::string& path, const FileDigests& digests);
/// Computes both digests of a file in one pass (no cache). Throws Error when unreadable.
FileDigests computeDigests(const std::string& path);
/// The same over an open descriptor, read from offset 0 with pread (the downloader hashes the
/// .part it holds open, not whatever the path names by then); name is for messages.
FileDigests computeDigests(int fd, const std::string& name);

/// Whether digests equal an expected full digest of the given kind. A prefix, or an empty
/// expectation, never matches.
bool digestsMatch(HashKind kind, const std::string& expected, const FileDigests& digests);
/// The digest of that kind.
const std::string& digestOf(HashKind kind, const FileDigests& digests);

/// State of an entry's file on disk.
enum class FileState {
    Missing,      ///< no file at the path
    Verified,     ///< present and its digest matches
    Mismatch,     ///< present, digest does not match: not the published file
    Unverified,   ///< present, not hashed yet (only from checkEntryFile(..., hash=false))
    Unverifiable, ///< present, but the entry has no published full digest to check it against
};
struct FileCheck {
    FileState state = FileState::Missing;
    std::string path;
    FileDigests digests; ///< when known
};
/// Checks the file an entry downloads to. hash=false never reads the file (cache only).
FileCheck checkEntryFile(const CatalogEntry& entry, const std::string& path, bool hash);
/// "missing", "verified", "MISMATCH", "not verified yet", "not verifiable: no published full digest"
std::string toString(FileState state);

} // namespace featscale::analysis::weights
