// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/weights/download/catalog.h"

#include "analysis/core/file_names.h"
#include "analysis/core/regular_file.h"
#include "analysis/core/types.h"
#include "analysis/weights/download/discovery.h"
#include "analysis/weights/download/verified_files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unordered_set>

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;

const char* const kTorchvisionTerms =
    "Published by the PyTorch project with torchvision (code: BSD-3-Clause). torchvision states no separate "
    "licence for its weights and asks users to check the terms of the data they were trained on";
const char* const kKerasTerms =
    "Published by Keras Applications (code: Apache-2.0); Keras states the weights are ported from the ones "
    "released by VGG at Oxford under the Creative Commons Attribution licence (CC BY 4.0)";

std::vector<CatalogEntry> makeBuiltin()
{
    std::vector<CatalogEntry> c;
    auto add = [&](CatalogEntry e) { c.push_back(std::move(e)); };
    CatalogEntry e;

    e = {};
    e.name = "vgg16";
    e.file = "vgg16-397923af.pth";
    e.url = "https://download.pytorch.org/models/vgg16-397923af.pth";
    // Full sha256 as recorded in public checksum tables of torchvision's files (e.g. a backbone
    // weight reference listing vgg16-397923af.pth, 553,433,881 B, and LPIPS/DISTS pins of the same
    // file); its first 8 digits are the ones in the name.
    e.hash = "397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0";
    e.sizeBytes = 553433881;
    e.family = "torchvision";
    e.topology = "vgg16";
    e.description = "VGG16 (Simonyan & Zisserman) trained on ImageNet-1k by torchvision; RGB input, ImageNet mean/std";
    e.attribution = std::string(kTorchvisionTerms) + " (ImageNet-1k).";
    add(e);

    e = {};
    e.name = "vgg16-bn";
    e.file = "vgg16_bn-6c64b313.pth";
    e.url = "https://download.pytorch.org/models/vgg16_bn-6c64b313.pth";
    // No full sha256 of vgg16_bn-6c64b313.pth was found in a public record: not verifiable.
    e.approxBytes = 553507836;
    e.family = "torchvision";
    e.topology = "vgg16-bn";
    e.description = "VGG16 with batch normalisation (vgg16-bn topology), trained on ImageNet-1k by torchvision; "
                    "RGB input, ImageNet mean/std";
    e.attribution = std::string(kTorchvisionTerms) + " (ImageNet-1k).";
    add(e);

    e = {};
    e.name = "vgg16-ssd-features";
    e.file = "vgg16_features-amdegroot-88682ab5.pth";
    e.url = "https://download.pytorch.org/models/vgg16_features-amdegroot-88682ab5.pth";
    // No full sha256 of vgg16_features-amdegroot-88682ab5.pth was found in a public record: not verifiable.
    e.approxBytes = 553433881; // the VGG16 parameter count of vgg16 (NaN classifier included)
    e.family = "ssd.pytorch";
    e.topology = "vgg16-reduced";
    e.description = "ssd.pytorch's VGG16 features (the SSD backbone's ImageNet start), ported by torchvision; "
                    "Caffe-style input (0-255, mean subtracted). Its classifier holds NaN placeholders: "
                    "featscale loads the convolutions only";
    e.attribution = std::string(kTorchvisionTerms) +
                    "; ported from amdegroot/ssd.pytorch (MIT), itself from the Caffe VGG16 released by VGG at "
                    "Oxford (CC BY 4.0).";
    add(e);

    e = {};
    e.name = "ssd300-coco";
    e.file = "ssd300_vgg16_coco-b556d3b4.pth";
    e.url = "https://download.pytorch.org/models/ssd300_vgg16_coco-b556d3b4.pth";
    // Full sha256 as pinned in LibreYOLO's SSD300 conversion script (LibreYOLO/libreyolo, weights/:
    // _UPSTREAM_SHA256 of ssd300_vgg16_coco-b556d3b4.pth) and in a public backbone-weight reference
    // table that lists the file at 142,594,222 B.
    e.hash = "b556d3b43ab6c3f63d81bfb8835fe8756ac22da664357da100dccf96b6a6b42d";
    e.approxBytes = 142594222;
    e.family = "torchvision-ssd";
    e.topology = "vgg16-reduced";
    e.description = "torchvision's SSD300 detector trained on COCO: reduced VGG16 backbone, learned L2Norm gamma "
                    "on conv4_3, SSD's extra layers";
    e.attribution = std::string(kTorchvisionTerms) + " (COCO 2017).";
    add(e);

    e = {};
    e.name = "keras-vgg16";
    e.file = "vgg16_weights_tf_dim_ordering_tf_kernels.h5";
    e.url = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
            "vgg16_weights_tf_dim_ordering_tf_kernels.h5";
    e.hashKind = HashKind::Md5;
    e.hash = "64373286793e3c8b2b4e3219cbf3544b"; // Keras Applications' vgg16.py states this md5 (file_hash)
    e.approxBytes = 553467096;
    e.family = "keras";
    e.topology = "vgg16";
    e.description = "Keras Applications' VGG16 with its ImageNet classifier (Caffe-style BGR input)";
    e.attribution = std::string(kKerasTerms) + ".";
    add(e);

    e = {};
    e.name = "keras-vgg16-notop";
    e.file = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    e.url = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
            "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    e.hashKind = HashKind::Md5;
    e.hash = "6d6bbae143d832006294945121d1f1fc";
    e.sizeBytes = 58889256;
    e.family = "keras";
    e.topology = "vgg16";
    e.description = "Keras Applications' VGG16 convolutions only (no classifier: taps up to pool5)";
    e.attribution = std::string(kKerasTerms) + ".";
    add(e);
    return c;
}

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

bool isLowerHex(const std::string& s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string labString(const nlohmann::json& obj, const char* key, const std::string& where, bool required)
{
    const auto it = obj.find(key);
    if (it == obj.end()) {
        if (required)
            throw Error(where + ": missing \"" + key + "\"");
        return {};
    }
    if (!it->is_string())
        throw Error(where + ": \"" + key + "\" must be a string");
    return it->get<std::string>();
}

CatalogEntry labEntry(const nlohmann::json& obj, const std::string& where)
{
    if (!obj.is_object())
        throw Error(where + ": expected an object {\"name\", \"file\", \"url\", \"sha256\" or \"md5\", ...}");
    CatalogEntry e;
    e.lab = true;
    e.name = labString(obj, "name", where, true);
    const std::string named = where + " (\"" + printable(e.name.substr(0, 60)) + "\")";
    static const char* const kKnown[] = {"name", "file", "url", "sha256", "md5", "size", "description"};
    for (const auto& item : obj.items())
        if (std::find_if(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return item.key() == k; }) ==
            std::end(kKnown))
            throw Error(named + ": unknown key \"" + printable(item.key().substr(0, 60)) +
                        "\" (known: name, file, url, sha256, md5, size, description)");
    if (e.name.empty() || !std::all_of(e.name.begin(), e.name.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '_' || c == '.';
        }))
        throw Error(named + ": \"name\" must be non-empty letters, digits, '-', '_' or '.'");
    e.file = labString(obj, "file", named, true);
    if (e.file.empty() || e.file == "." || e.file == ".." || e.file.find('/') != std::string::npos ||
        e.file.find('\0') != std::string::npos || endsWith(e.file, ".part"))
        throw Error(named + ": \"file\" must be a plain file name (no folders), not \"" +
                    printable(e.file.substr(0, 80)) + "\"");
    e.url = labString(obj, "url", named, true);
    if (e.url.rfind("https://", 0) != 0 && e.url.rfind("http://", 0) != 0)
        throw Error(named + ": \"url\" must start with https:// or http://, not \"" + printable(e.url.substr(0, 80)) +
                    "\"");
    const bool hasSha = obj.contains("sha256"), hasMd5 = obj.contains("md5");
    if (hasSha == hasMd5)
        throw Error(named + ": give exactly one of \"sha256\" and \"md5\"");
    e.hashKind = hasSha ? HashKind::Sha256 : HashKind::Md5;
    e.hash = lower(labString(obj, hasSha ? "sha256" : "md5", named, true));
    const std::size_t full = hasSha ? 64 : 32;
    if (!isLowerHex(e.hash) || e.hash.size() != full)
        throw Error(named + ": \"" + toString(e.hashKind) + "\" must be the full digest, " + std::to_string(full) +
                    " hex digits (a prefix can be forged), not \"" + printable(e.hash.substr(0, 80)) + "\"");
    if (const auto it = obj.find("size"); it != obj.end()) {
        if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0)
            throw Error(named + ": \"size\" must be a positive whole number of bytes");
        e.sizeBytes = it->get<std::uint64_t>();
    }
    e.description = labString(obj, "description", named, false);
    if (e.description.empty())
        e.description = "lab catalogue entry";
    e.attribution = "as stated by your lab's catalogue";
    const std::string ext = lower(fs::path(e.file).extension().string());
    e.family = ext == ".h5" ? "keras" : "";
    e.topology = ""; // decided by the file when it is opened
    return e;
}

std::string featscaleWeightsFolder()
{
    std::string base = env("XDG_CACHE_HOME");
    if (base.empty() && !env("HOME").empty())
        base = env("HOME") + "/.cache";
    return base.empty() ? std::string() : base + "/featscale/weights";
}

// The catalogue's bytes: a regular file only (opened non-blocking, so a FIFO or a device cannot
// hang the command) of at most kLabCatalogMaxBytes.
std::string readCatalogText(const std::string& path)
{
    RegularFile file(path, "lab catalogue " + path, "give a JSON file");
    const std::string limit = "over the limit of " + std::to_string(kLabCatalogMaxBytes) + " bytes for a catalogue";
    if (file.size() > kLabCatalogMaxBytes)
        throw Error(file.what() + ": " + std::to_string(file.size()) + " bytes, " + limit);
    return file.readAll(kLabCatalogMaxBytes, limit);
}

// A SAX pass that builds nothing: it bounds the nesting depth and remembers which entry (and its
// "name", once seen) the parser is in, so an error can say where it is.
struct CatalogScanner : nlohmann::json_sax<nlohmann::json> {
    int depth = 0;
    std::size_t entry = 0; ///< 1-based index of the top-level element being read; 0 outside
    std::string name;
    std::string error;
    bool nameKey = false;

    bool open()
    {
        if (depth == 1)
            startEntry();
        if (++depth > kLabCatalogMaxDepth) {
            error = "nested deeper than " + std::to_string(kLabCatalogMaxDepth) +
                    " levels (a catalogue is an array of flat objects)";
            return false;
        }
        nameKey = false;
        return true;
    }
    bool close()
    {
        --depth;
        nameKey = false;
        return true;
    }
    bool value()
    {
        if (depth == 1)
            startEntry();
        nameKey = false;
        return true;
    }
    void startEntry()
    {
        ++entry;
        name.clear();
    }

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t& s) override
    {
        if (depth == 2 && nameKey)
            name = s;
        return value();
    }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(); }
    bool key(string_t& k) override
    {
        nameKey = depth == 2 && k == "name";
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::json::exception& e) override
    {
        // nlohmann's own text names the byte; a number out of range (406) says "number overflow".
        error = std::string(e.id == 406 ? "a number out of range (" : "not valid JSON (") +
                printable(std::string(e.what()).substr(0, 160)) + ") at byte " + std::to_string(position);
        (void)token;
        return false;
    }
};

} // namespace

const char* const kNotVerifiable = "not verifiable: no published full digest";

CatalogSettings CatalogSettings::fromEnvironment()
{
    CatalogSettings s;
    s.catalogFile = env("FEATSCALE_CATALOG");
    s.mirror = env("FEATSCALE_WEIGHTS_MIRROR");
    return s;
}

const std::vector<CatalogEntry>& builtinCatalog()
{
    static const std::vector<CatalogEntry> catalog = makeBuiltin();
    return catalog;
}

std::vector<CatalogEntry> readLabCatalog(const std::string& path)
{
    return parseLabCatalog(readCatalogText(path), "lab catalogue " + path);
}

std::vector<CatalogEntry> parseLabCatalog(const std::string& text, const std::string& what)
{
    // Scan before building a document: nesting and numbers out of range are found with the entry
    // they are in, and a document of millions of nested arrays is never built.
    CatalogScanner scanner;
    if (!nlohmann::json::sax_parse(text, &scanner) || !scanner.error.empty()) {
        std::string where = what;
        if (scanner.entry > 0) {
            where += ": entry " + std::to_string(scanner.entry);
            if (!scanner.name.empty())
                where += " (\"" + printable(scanner.name.substr(0, 60)) + "\")";
        }
        throw Error(where + ": " + (scanner.error.empty() ? std::string("not valid JSON") : scanner.error));
    }
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(what + ": not valid JSON (" + printable(std::string(e.what()).substr(0, 160)) + ")");
    }
    if (!j.is_array())
        throw Error(what + ": expected a JSON array of entries");
    std::vector<CatalogEntry> out;
    out.reserve(j.size());
    std::unordered_set<std::string> names;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string where = what + ": entry " + std::to_string(i + 1);
        CatalogEntry e = labEntry(j[i], where);
        if (!names.insert(e.name).second)
            throw Error(where + " (\"" + e.name + "\"): the name is used twice");
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<CatalogEntry> loadCatalog(const CatalogSettings& settings)
{
    std::vector<CatalogEntry> out = builtinCatalog();
    if (settings.catalogFile.empty())
        return out;
    std::unordered_set<std::string> builtin;
    for (const CatalogEntry& e : out)
        builtin.insert(e.name);
    std::vector<CatalogEntry> lab = readLabCatalog(settings.catalogFile);
    out.reserve(out.size() + lab.size());
    for (CatalogEntry& e : lab) {
        if (builtin.count(e.name))
            throw Error("lab catalogue " + settings.catalogFile + ": entry \"" + e.name +
                        "\" reuses a built-in name; give it another name");
        out.push_back(std::move(e));
    }
    return out;
}

const CatalogEntry* findEntry(const std::vector<CatalogEntry>& catalog, const std::string& name)
{
    for (const CatalogEntry& e : catalog)
        if (e.name == name)
            return &e;
    return nullptr;
}

std::string destinationFolder(const CatalogEntry& entry, const CatalogSettings& settings)
{
    if (!settings.toDir.empty())
        return settings.toDir;
    const std::string ext = lower(fs::path(entry.file).extension().string());
    std::string folder;
    if (ext == ".pth" || ext == ".pt")
        folder = torchCheckpointsFolder();
    else if (ext == ".h5")
        folder = kerasModelsFolder();
    else
        folder = featscaleWeightsFolder();
    if (folder.empty())
        throw Error(entry.name + ": no folder to download into (HOME is not set); give one with --to DIR");
    return folder;
}

std::string destinationPath(const CatalogEntry& entry, const CatalogSettings& settings)
{
    return (fs::path(destinationFolder(entry, settings)) / entry.file).string();
}

std::string downloadUrl(const CatalogEntry& entry, const CatalogSettings& settings)
{
    if (settings.mirror.empty() || !entry.verifiable())
        return entry.url;
    std::string base = settings.mirror;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/" + entry.file;
}

std::string toString(HashKind kind) { return kind == HashKind::Md5 ? "md5" : "sha256"; }

std::string describeCheck(const CatalogEntry& entry)
{
    return entry.verifiable() ? toString(entry.hashKind) + " " + entry.hash : std::string(kNotVerifiable);
}

std::string describeSize(const CatalogEntry& entry)
{
    const std::uint64_t bytes = entry.sizeBytes ? entry.sizeBytes : entry.approxBytes;
    if (bytes == 0)
        return "unknown size";
    char buf[32];
    const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
    // MiB as torch.hub and the issue print them ("528 MB" for vgg16's 553 433 881 bytes).
    std::snprintf(buf, sizeof buf, mib >= 100 ? "%.0f MB" : "%.1f MB", mib);
    return buf;
}

std::string downloadCommand(const CatalogEntry& entry, const CatalogSettings& settings)
{
    std::string cmd = "featscale-cli weights --download " + entry.name;
    if (entry.lab && !settings.catalogFile.empty() && env("FEATSCALE_CATALOG") != settings.catalogFile)
        cmd += " --catalog " + settings.catalogFile;
    if (!settings.toDir.empty())
        cmd += " --to " + settings.toDir;
    return cmd;
}

std::string resolveWeightsArgument(const std::string& arg, const CatalogSettings& settings)
{
    std::error_code ec;
    if (!arg.empty() && fs::exists(arg, ec)) {
        // A file the catalogue knows featscale cannot open yet (vgg16_bn-6c64b313.pth): say what it needs.
        const std::string name = fs::path(arg).filename().string();
        for (const CatalogEntry& e : builtinCatalog())
            if (e.file == name && !e.unsupported.empty())
                throw Error(arg + " is torchvision's '" + e.name + "' file: it " + e.unsupported);
        return arg;
    }
    if (arg.empty() || arg.find('/') != std::string::npos)
        return arg;
    const std::vector<CatalogEntry> catalog = loadCatalog(settings);
    const CatalogEntry* entry = findEntry(catalog, arg);
    if (!entry)
        return arg; // not a name: the loader reports "no such file"
    if (!entry->unsupported.empty())
        throw Error("'" + entry->name + "' (" + entry->file + ") " + entry->unsupported);
    const std::string path = destinationPath(*entry, settings);
    const FileCheck check = checkEntryFile(*entry, path, /*hash=*/true);
    if (check.state == FileState::Missing)
        throw Error("'" + entry->name + "' is not downloaded yet (expected at " + path + "). Fetch it with:\n  " +
                    downloadCommand(*entry, settings));
    if (check.state == FileState::Mismatch)
        throw Error(path + " is not the published '" + entry->name + "' file: its " + toString(entry->hashKind) +
                    " is " + digestOf(entry->hashKind, check.digests) + ", expected " + describeCheck(*entry) +
                    ". Delete it and run:\n  " + downloadCommand(*entry, settings));
    return path;
}

} // namespace featscale::analysis::weights
