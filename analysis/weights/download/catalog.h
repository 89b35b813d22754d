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
    /// Lowercase hex: the publisher's full digest (64 digits for sha256, 32 for md5); empty when no
    /// full digest is published — then the entry is not verifiable (verifiable()), is fetched only
    /// from its publisher's https:// host and is never called verified. A prefix (torchvision's 8
    /// hex digits in a file name, 32 bits) is never accepted: it can be forged in minutes.
    std::string hash;
    std::uint64_t sizeBytes = 0;   ///< exact size, checked; 0 when not known
    std::uint64_t approxBytes = 0; ///< for display and the free-space check when sizeBytes is 0
    std::string family;            ///< input convention family: "torchvision", "ssd.pytorch", "keras", ...
    std::string topology;          ///< "vgg16", "vgg16-reduced", "vgg16-bn"
    std::string description;       ///< one line: what the file is
    std::string attribution;       ///< licence/attribution as the publisher states it
    std::string unsupported;       ///< non-empty: why featscale cannot open the file yet, and what to use instead
    bool lab = false;              ///< from the lab catalogue (FEATSCALE_CATALOG / --catalog)

    /// Whether a full published digest exists to check the file against.
    bool verifiable() const { return !hash.empty(); }
};

/// What describeCheck() says, and the GUI shows, for an entry without a published full digest.
extern const char* const kNotVerifiable;

/// Lab catalogue limits: files over kLabCatalogMaxBytes and JSON nested deeper than
/// kLabCatalogMaxDepth are refused before a document is built.
constexpr std::uint64_t kLabCatalogMaxBytes = 64u << 20; // 400 000 entries fit
constexpr int kLabCatalogMaxDepth = 16;

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
/// (the full digest: 64 or 32 hex digits), optional "size" (bytes), optional "description"}.
/// Only a regular file of at most kLabCatalogMaxBytes is read (a FIFO or device is refused without
/// blocking), nesting deeper than kLabCatalogMaxDepth is refused while scanning, and the work is
/// linear in the number of entries. Throws Error naming the file and the entry (index and name)
/// at the first malformed one.
std::vector<CatalogEntry> readLabCatalog(const std::string& path);
/// The same rules on a catalogue's text; `what` names it in errors ("lab catalogue FILE").
std::vector<CatalogEntry> parseLabCatalog(const std::string& text, const std::string& what);

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

/// The URL to fetch: `mirror/<file>` when a mirror is set and the entry is verifiable, else the
/// publisher's (an entry without a full digest is never taken from a mirror).
std::string downloadUrl(const CatalogEntry& entry, const CatalogSettings& settings);

/// "sha256" or "md5".
std::string toString(HashKind kind);
/// The full digest with its kind ("sha256 397923af8e79…"), or kNotVerifiable.
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
