// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace featscale::analysis::weights {

/// Which digest a catalogue entry is checked with.
enum class HashKind { Sha256, Md5 };

/// One downloadable weight file: where it comes from, how to check it, where it goes and what it
/// is. Plain data shared by `featscale-cli weights --available/--download` and the GUI's
/// "Get trained weights…" dialog, so both describe a file the same way.
struct CatalogEntry {
    std::string name; ///< what users type: `--weights vgg16`, `weights --download vgg16`
    std::string file; ///< file name on disk (torch.hub/Keras name, so their tools find it too)
    std::string url;  ///< the publisher's URL
    HashKind hashKind = HashKind::Sha256;
    std::string hash;              ///< lowercase hex: the full digest or a prefix of >= 8 digits
    std::uint64_t sizeBytes = 0;   ///< exact size, checked; 0 when not known
    std::uint64_t approxBytes = 0; ///< for display and the free-space check when sizeBytes is 0
    std::string family;            ///< input convention family: "torchvision", "ssd.pytorch", "keras", ...
    std::string topology;          ///< "vgg16", "vgg16-reduced", "vgg16-bn"
    std::string description;       ///< one line: what the file is
    std::string attribution;       ///< licence/attribution as the publisher states it
    std::string unsupported;       ///< non-empty: why featscale cannot open the file yet, and what to use instead
    bool lab = false;              ///< from the lab catalogue (FEATSCALE_CATALOG / --catalog)
};

/// Where catalogue entries come from and go to. fromEnvironment() reads FEATSCALE_CATALOG and
/// FEATSCALE_WEIGHTS_MIRROR; command-line options (--catalog, --mirror, --to) override fields.
struct CatalogSettings {
    std::string catalogFile; ///< lab catalogue (JSON array); empty: built-in entries only
    std::string mirror;      ///< base URL: fetch `mirror/<file>` instead of the publisher's URL
    std::string toDir;       ///< destination folder for every entry; empty: the caches below

    static CatalogSettings fromEnvironment();
};

/// The built-in entries (torchvision's and Keras' published VGG16/SSD files).
const std::vector<CatalogEntry>& builtinCatalog();

/// Parses a lab catalogue: a JSON array of objects {"name", "file", "url", "sha256" or "md5"
/// (full, or a prefix of at least 8 hex digits), optional "size" (bytes), optional "description"}.
/// Throws Error naming the file and the entry (index and name) at the first malformed one.
std::vector<CatalogEntry> readLabCatalog(const std::string& path);

/// Built-in entries followed by the lab catalogue's (when settings name one). A lab entry may not
/// reuse a built-in name (Error).
std::vector<CatalogEntry> loadCatalog(const CatalogSettings& settings);

/// The entry called name, or nullptr.
const CatalogEntry* findEntry(const std::vector<CatalogEntry>& catalog, const std::string& name);

/// Folder an entry is downloaded into: settings.toDir if given; else .pth/.pt files go to
/// $TORCH_HOME/hub/checkpoints (TORCH_HOME defaults to $XDG_CACHE_HOME/torch, then
/// ~/.cache/torch), .h5 files to $KERAS_HOME/models (default ~/.keras/models), anything else to
/// $XDG_CACHE_HOME/featscale/weights (default ~/.cache/featscale/weights). Throws Error when no
/// folder can be determined (no HOME).
std::string destinationFolder(const CatalogEntry& entry, const CatalogSettings& settings);
std::string destinationPath(const CatalogEntry& entry, const CatalogSettings& settings);

/// The URL to fetch: `mirror/<file>` when a mirror is set, else the publisher's.
std::string downloadUrl(const CatalogEntry& entry, const CatalogSettings& settings);

/// "sha256" or "md5".
std::string toString(HashKind kind);
/// "397923af…" for a prefix, the full digest otherwise, with the kind: "sha256 397923af…".
std::string describeCheck(const CatalogEntry& entry);
/// "528 MB", "58.9 MB", "unknown size".
std::string describeSize(const CatalogEntry& entry);

/// The command that fetches an entry ("featscale-cli weights --download vgg16"), with
/// --catalog when it is a lab entry given on the command line.
std::string downloadCommand(const CatalogEntry& entry, const CatalogSettings& settings);

/// What `--weights ARG` means: ARG itself when it names an existing file or is not a catalogue
/// name (a file the catalogue lists as unsupported, vgg16_bn-6c64b313.pth, throws Error saying
/// what it needs); else the entry's downloaded file. Throws Error when the entry is not downloaded (the
/// message gives the command that fetches it), when featscale cannot open it yet (vgg16-bn), or
/// when the file at that path fails the entry's check.
std::string resolveWeightsArgument(const std::string& arg, const CatalogSettings& settings);

} // namespace featscale::analysis::weights
