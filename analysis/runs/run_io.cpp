// SPDX-License-Identifier: GPL-3.0-or-later
// Reading and merging run directories (writing: run_writer.cpp).
#include "analysis/core/atomic_file.h"
#include "analysis/core/csv.h"
#include "analysis/core/regular_file.h"
#include "analysis/runs/internal/run_format.h"
#include "analysis/runs/run_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace featscale::analysis {
namespace {

using nlohmann::json;

double fromJ(const json& j) { return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>(); }

// nlohmann casts any JSON number to the integer type asked for, and a double out of that type's
// range (2e26 as an int) is undefined behaviour: integers must be JSON integers within range.
template <typename T> T integerFrom(const json& v, const char* name)
{
    bool ok = false;
    if (v.is_number_unsigned())
        ok = v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    else if (v.is_number_integer())
        ok = std::numeric_limits<T>::is_signed &&
             v.get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<T>::min());
    if (!ok)
        throw Error(std::string("malformed field \"") + name + "\": must be an integer in range, not " +
                    v.dump(-1, ' ', false, json::error_handler_t::replace));
    return v.get<T>();
}

// Floats likewise: a double beyond float's range does not convert.
std::vector<float> floatsFrom(const json& v, const char* name)
{
    if (!v.is_array())
        throw Error(std::string("malformed field \"") + name + "\": must be an array of numbers");
    std::vector<float> out;
    for (const auto& x : v) {
        if (!x.is_number() || std::abs(x.get<double>()) > static_cast<double>(std::numeric_limits<float>::max()))
            throw Error(std::string("malformed field \"") + name + "\": must hold numbers within float range");
        out.push_back(static_cast<float>(x.get<double>()));
    }
    return out;
}

// nlohmann converts -4 to 2^64-4 under get<std::uint64_t>(): require a non-negative integer.
std::uint64_t countFrom(const json& j, const char* name)
{
    const json& v = j.at(name);
    if (!v.is_number_unsigned())
        throw Error(std::string("field \"") + name + "\" must be a non-negative integer, not " + v.dump());
    return v.get<std::uint64_t>();
}

LayerStats statsFrom(const json& j)
{
    LayerStats s;
    s.count = countFrom(j, "count");
    s.zeros = countFrom(j, "zeros");
    s.nans = countFrom(j, "nans");
    s.min = fromJ(j.at("min"));
    s.max = fromJ(j.at("max"));
    s.sum = j.at("sum").get<double>();
    s.sumSquares = j.at("sum_sq").get<double>();
    // runs written before m2 was recorded: the (cancelling) textbook formula is all there is
    if (j.contains("m2"))
        s.m2 = j.at("m2").get<double>();
    else if (s.count)
        s.m2 = std::max(0.0, s.sumSquares - s.sum * s.sum / static_cast<double>(s.count));
    // runs written before mean_abs have neither field: absent (elements 0), not zero
    if (j.contains("sum_abs") || j.contains("elements")) {
        s.elements = countFrom(j, "elements");
        if (!j.at("sum_abs").is_number())
            throw Error("field \"sum_abs\" must be a number, not " + j.at("sum_abs").dump());
        s.sumAbs = j.at("sum_abs").get<double>();
    }
    double* fields[7] = {&s.p1, &s.p5, &s.p25, &s.p50, &s.p75, &s.p95, &s.p99};
    const char* names[7] = {"p1", "p5", "p25", "p50", "p75", "p95", "p99"};
    for (int i = 0; i < 7; ++i)
        *fields[i] = fromJ(j.at(names[i]));
    s.percentilesFromHistogram = j.at("percentiles").get<std::string>() == "histogram";
    return s;
}

// No map holds more values than a double counts exactly; a count beyond is forged or damaged.
constexpr std::uint64_t kMaxValues = std::uint64_t{1} << 53;

std::string numberText(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

/// What no computation writes, refused before anything is computed from it: statistics that are
/// NaN or infinite while there are values, percentiles out of order or outside [min, max],
/// negative norms, counts beyond 2^53 or (per image) other than height x width. `record` names
/// the record in the message ("image #3 (a.jpg), layer conv4_3, stage before").
void checkStage(const StageRecord& s, bool perImage, const std::string& file, const std::string& record)
{
    const LayerStats& st = s.stats;
    auto refuse = [&](const char* field, const std::string& problem) {
        throw Error(file + ": " + record + ": field \"" + field + "\" " + problem);
    };
    if (st.count > kMaxValues)
        refuse("count", std::to_string(st.count) + " is beyond 2^53, more values than any map holds");
    if (st.nans > kMaxValues)
        refuse("nans", std::to_string(st.nans) + " is beyond 2^53, more values than any map holds");
    if (st.zeros > st.count)
        refuse("zeros", std::to_string(st.zeros) + " exceeds the count of values, " + std::to_string(st.count));
    if (perImage) {
        if (s.height < 1)
            refuse("height", std::to_string(s.height) + " is not a map height (at least 1)");
        if (s.width < 1)
            refuse("width", std::to_string(s.width) + " is not a map width (at least 1)");
        // both below 2^31: their product fits in 64 bits
        const std::uint64_t cells = static_cast<std::uint64_t>(s.height) * static_cast<std::uint64_t>(s.width);
        if (cells > kMaxValues)
            refuse("height",
                   std::to_string(s.height) + " x width " + std::to_string(s.width) + " is beyond 2^53 locations");
        // a region's records count only its cells: at least one, at most the map's
        if (s.region != Region::All && (st.count + st.nans == 0 || st.count + st.nans > cells))
            refuse("count", std::to_string(st.count) + " (with " + std::to_string(st.nans) +
                                " NaN) is not a number of cells of a region of a " + std::to_string(s.height) + " x " +
                                std::to_string(s.width) + " map");
        if (s.region == Region::All && st.count + st.nans != cells)
            refuse("count", std::to_string(st.count) + " (with " + std::to_string(st.nans) +
                                " NaN) is not height x width, " + std::to_string(s.height) + " x " +
                                std::to_string(s.width) + " = " + std::to_string(cells));
    }
    const std::pair<const char*, double> ordered[] = {{"min", st.min}, {"p1", st.p1},   {"p5", st.p5},
                                                      {"p25", st.p25}, {"p50", st.p50}, {"p75", st.p75},
                                                      {"p95", st.p95}, {"p99", st.p99}, {"max", st.max}};
    for (const auto& [field, v] : ordered)
        if (std::isinf(v) || (st.count > 0 && std::isnan(v)))
            refuse(field, std::string(std::isnan(v) ? "is null" : "is infinite") + " although there are " +
                              std::to_string(st.count) + " values");
    if (st.count > 0) {
        if (st.min < 0)
            refuse("min", numberText(st.min) + " is negative; an L2 norm never is");
        for (std::size_t i = 1; i < std::size(ordered); ++i)
            if (ordered[i].second < ordered[i - 1].second)
                refuse(ordered[i].first, numberText(ordered[i].second) + " is below \"" + ordered[i - 1].first +
                                             "\", " + numberText(ordered[i - 1].second) +
                                             " (min <= p1 <= ... <= p99 <= max)");
    }
    const std::pair<const char*, double> sums[] = {
        {"sum", st.sum}, {"sum_sq", st.sumSquares}, {"m2", st.m2}, {"sum_abs", st.sumAbs}};
    for (const auto& [field, v] : sums)
        if (!std::isfinite(v) || v < 0)
            refuse(field, numberText(v) + " is not a finite non-negative sum");
    // every location has the same number of channels, so a map's elements are a multiple of its cells
    const std::uint64_t values = st.count + st.nans;
    if (st.elements > 0 && (values == 0 || (perImage && st.elements % values != 0)))
        refuse("elements", std::to_string(st.elements) + " is not a whole number of channels times the " +
                               std::to_string(values) + " locations");
    if (st.elements == 0 && st.sumAbs != 0)
        refuse("sum_abs", numberText(st.sumAbs) + " over no elements");
}

// " object" after a record's stage in messages; nothing for whole maps.
std::string regionSuffix(const StageRecord& s)
{
    return s.region == Region::All ? std::string() : " " + toString(s.region);
}

/// An image's position in the sorted input list: from 0, below 2^53.
void checkIndex(std::int64_t index, const std::string& file, const std::string& record)
{
    if (index < 0 || static_cast<std::uint64_t>(index) >= kMaxValues)
        throw Error(file + ": " + record + ": field \"index\" " + std::to_string(index) +
                    " is not a position in a list of inputs (0 to 2^53)");
}

// Names and messages as they were before they were written (escaped from format version 2 on).
struct Names {
    bool escaped = false;
    std::string file;
    std::string operator()(const json& j) const
    {
        const std::string text = j.get<std::string>();
        return escaped ? unescapeFileName(text, file) : text;
    }
    std::vector<std::string> list(const json& j) const
    {
        std::vector<std::string> out;
        for (const auto& item : j)
            out.push_back((*this)(item));
        return out;
    }
};

WeightInfo weightsFrom(const json& j, const Names& name)
{
    WeightInfo w;
    w.path = name(j.at("path"));
    w.displayName = name(j.at("name"));
    w.format = j.at("format").get<std::string>();
    w.layout = j.at("layout").get<std::string>();
    w.family = j.at("family").get<std::string>();
    w.sha256 = j.at("sha256").get<std::string>();
    w.arch = parseArch(j.at("arch").get<std::string>());
    w.preset = parsePreset(j.at("preset").get<std::string>());
    if (j.contains("eps"))
        w.eps = parseEpsMode(j.at("eps").get<std::string>());
    w.untrained = j.at("untrained").get<bool>();
    w.seed = integerFrom<std::uint64_t>(j.at("seed"), "seed");
    w.parameterCount = integerFrom<std::int64_t>(j.at("parameters"), "parameters");
    // Per normalized layer; files written before gammas were per layer hold conv4_3's as an array.
    if (const json& g = j.at("learned_gamma"); g.is_array()) {
        w.gammas["conv4_3"] = floatsFrom(g, "learned_gamma");
    } else if (g.is_object()) {
        for (const auto& [layer, values] : g.items())
            w.gammas[layer] = floatsFrom(values, "learned_gamma");
    } else if (!g.is_null()) {
        throw Error("malformed field \"learned_gamma\": must be an object of per-layer arrays, an array or null");
    }
    w.hasExtras = j.at("extras").get<bool>();
    w.warnings = name.list(j.at("warnings"));
    return w;
}

RunMetadata metaFrom(const json& j, const std::string& file)
{
    const int version = integerFrom<int>(j.at("format_version"), "format_version");
    if (version > kFormatVersion)
        throw Error(file + ": written by a newer featscale (format version " + std::to_string(version) + ")");
    const Names name{version >= kFirstEscapedVersion, file};
    RunMetadata m;
    m.featscaleVersion = j.at("featscale_version").get<std::string>();
    m.created = j.at("created").get<std::string>();
    m.arch = parseArch(j.at("arch").get<std::string>());
    m.weights = weightsFrom(j.at("weights"), name);
    m.preset = parsePreset(j.at("preset").get<std::string>());
    m.size = parseSizeSpec(j.at("size").get<std::string>());
    m.eps = parseEpsMode(j.at("eps").get<std::string>());
    m.layers = j.at("layers").get<std::vector<std::string>>();
    m.l2normLayers = j.at("l2norm_layers").get<std::vector<std::string>>();
    for (const auto& [layer, g] : j.at("gamma").items())
        m.gamma[layer] = floatsFrom(g, "gamma");
    m.bins = BinScheme::parse(j.at("bins").at("spec").get<std::string>());
    const auto edges = j.at("bins").at("edges").get<std::vector<double>>();
    if (edges != m.bins.edges())
        throw Error(file + ": bin edges differ from those this machine computes for " + m.bins.toSpec());
    m.threads = integerFrom<int>(j.at("threads"), "threads");
    m.shard = j.at("shard").get<std::string>();
    m.totalInputs = integerFrom<std::int64_t>(j.at("total_inputs"), "total_inputs");
    m.mergedFrom = name.list(j.at("merged_from"));
    return m;
}

/// A run file opened for reading: only a regular file (RegularFile), its size known before a byte
/// is read, so that /dev/zero (endless) and a FIFO (never ending, or waiting forever) are refused
/// by name and every budget is drawn from real sizes.
class RunFile {
public:
    explicit RunFile(const std::string& path)
        : m_path(path), m_file(exists(path), path, "a run directory holds the files analyze writes")
    { }

    std::uint64_t size() const { return m_file.size(); }

    /// The whole file, as large as fstat said (a file that grew since is read to that size only).
    std::string text() const { return m_file.text(); }

private:
    static const std::string& exists(const std::string& path)
    {
        std::error_code ec;
        if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
            throw Error(path + ": cannot open (no such file; missing from the run directory?)");
        return path;
    }

    std::string m_path;
    RegularFile m_file;
};

// Strict numbers for histograms.csv: std::stoull/stod alone would throw std::invalid_argument
// (no file named) on garbage, accept "-1" as a huge count, and ignore trailing junk.
std::uint64_t parseCount(const std::string& s, const std::string& where)
{
    if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos)
        throw Error(where + ": count '" + s + "' is not a non-negative integer");
    try {
        return std::stoull(s);
    } catch (const std::exception&) {
        throw Error(where + ": count '" + s + "' is out of range");
    }
}

double parseEdge(const std::string& s, const std::string& where)
{
    const std::optional<double> v = csvNumberValue(s);
    if (!v)
        throw Error(where + ": bin_lo '" + s + "' is not a number");
    return *v;
}

json parseJson(const std::string& path, const std::string& text)
{
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw Error(path + ": not valid JSON (" + e.what() + ")");
    }
}

} // namespace

std::uint64_t allocatableBytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    std::uint64_t limit = pages > 0 && pageSize > 0
                              ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize)
                              : ~std::uint64_t{0};
    struct rlimit rl { };
    if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        std::uint64_t mapped = 0; // the first field of statm: pages of address space in use
        if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
            unsigned long long size = 0;
            if (std::fscanf(f, "%llu", &size) == 1 && pageSize > 0)
                mapped = size * static_cast<std::uint64_t>(pageSize);
            std::fclose(f);
        }
        const auto cap = static_cast<std::uint64_t>(rl.rlim_cur);
        limit = std::min(limit, cap > mapped ? cap - mapped : 0);
    }
    return limit;
}

ReadBudget ReadBudget::forFiles(std::uint64_t fileBytes)
{
    const std::uint64_t scaled = fileBytes > (~std::uint64_t{0} >> 6) ? ~std::uint64_t{0} : 64 * fileBytes;
    // Half of what may be allocated: reading must fail with a message, never with bad_alloc
    // thrown inside the JSON parser or a destructor, where nothing can catch it.
    return ReadBudget(std::min(std::max<std::uint64_t>(1ull << 30, scaled), allocatableBytes() / 2));
}

void ReadBudget::draw(std::uint64_t bytes, const std::string& file, const std::string& what)
{
    if (bytes <= m_left) {
        m_left -= bytes;
        return;
    }
    throw Error(file + ": " + what + " would need " + std::to_string(bytes >> 20) + " MiB of memory, more than the " +
                std::to_string(m_total >> 20) + " MiB the run files justify (" + std::to_string(m_left >> 20) +
                " MiB left); refusing to read it");
}

std::uint64_t runFileBytes(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::uint64_t total = 0;
    for (const char* name : {"run.json", "summary.json", "histograms.csv", kRegionHistogramsFile}) {
        std::error_code ec;
        const auto size = fs::file_size(fs::path(dir) / name, ec);
        if (!ec)
            total += size;
    }
    return total;
}

RunData readRun(const std::string& dir, ReadBudget* budget)
{
    namespace fs = std::filesystem;
    const RunFile runFile((fs::path(dir) / "run.json").string());
    const RunFile summaryFile((fs::path(dir) / "summary.json").string());
    const RunFile histogramsFile((fs::path(dir) / "histograms.csv").string());
    // Only annotated runs have region histograms; a name that is there must be a regular file.
    const std::string regionPath = (fs::path(dir) / kRegionHistogramsFile).string();
    std::error_code ec;
    std::unique_ptr<RunFile> regionFile;
    if (fs::symlink_status(regionPath, ec).type() != fs::file_type::not_found && !ec)
        regionFile = std::make_unique<RunFile>(regionPath);
    const std::uint64_t regionBytes = regionFile ? regionFile->size() : 0;
    ReadBudget own = ReadBudget::forFiles(runFile.size() + summaryFile.size() + histogramsFile.size() + regionBytes);
    if (!budget)
        budget = &own;
    // The texts themselves, before a byte is read: a file far larger than memory is refused here.
    const std::uint64_t textBytes = runFile.size() + summaryFile.size() + histogramsFile.size() + regionBytes;
    budget->draw(textBytes, printable(dir), "reading its run files");
    RunData run = parseRun(dir, runFile.text(), summaryFile.text(), histogramsFile.text(), budget,
                           regionFile ? regionFile->text() : std::string());
    budget->release(textBytes);
    return run;
}

RunData parseRun(const std::string& dir, const std::string& runJson, const std::string& summaryJson,
                 const std::string& histogramsCsv, ReadBudget* budget, const std::string& regionHistogramsCsv)
{
    ReadBudget own = ReadBudget::forFiles(runJson.size() + summaryJson.size() + histogramsCsv.size() +
                                          regionHistogramsCsv.size());
    if (!budget)
        budget = &own;
    namespace fs = std::filesystem;
    // the paths as messages name them: a folder's name cannot drive the terminal
    const std::string runPath = printable((fs::path(dir) / "run.json").string());
    const std::string summaryPath = printable((fs::path(dir) / "summary.json").string());
    const std::string histPath = printable((fs::path(dir) / "histograms.csv").string());
    const std::string regionHistPath = printable((fs::path(dir) / kRegionHistogramsFile).string());
    // A parsed JSON document takes up to about 16 times its text (a one-digit number in an array
    // becomes a 16-byte value; a short field a map node, key and value).
    constexpr std::uint64_t kJsonDomFactor = 16;
    RunData run;
    try {
        budget->draw(kJsonDomFactor * runJson.size(), runPath, "parsing it");
        run.meta = metaFrom(parseJson(runPath, runJson), runPath);
        budget->release(kJsonDomFactor * runJson.size()); // the document is gone
    } catch (const json::exception& e) {
        throw Error(runPath + ": missing or malformed field (" + e.what() + ")");
    } catch (const Error& e) {
        // parsers of arch/preset/size/bins name the value, not the file
        const std::string what = e.what();
        if (what.rfind(runPath, 0) == 0)
            throw;
        throw Error(runPath + ": " + what);
    }
    const auto edges = run.meta.bins.edges();
    std::map<std::pair<std::string, std::string>, StageRecord*> index; // (image, layer|stage|region)
    Names names;
    try {
        budget->draw(kJsonDomFactor * summaryJson.size(), summaryPath, "parsing it");
        const json js = parseJson(summaryPath, summaryJson);
        const int version = integerFrom<int>(js.at("format_version"), "format_version");
        if (version > kFormatVersion)
            throw Error(summaryPath + ": written by a newer featscale (format version " + std::to_string(version) +
                        ")");
        names = Names{version >= kFirstEscapedVersion, summaryPath};
        // Every stage gets a dense histogram: its counts and its copy of the bin edges.
        std::uint64_t stages = 0, images = 0;
        for (const auto& ji : js.at("images")) {
            stages += ji.at("layers").size();
            ++images;
        }
        const std::uint64_t bins = static_cast<std::uint64_t>(run.meta.bins.binCount());
        const std::uint64_t bytesPerStage = (2 * bins + 1) * sizeof(std::uint64_t) + sizeof(StageRecord) + 128;
        const std::uint64_t bytesPerImage = sizeof(ImageRecord) + 256;
        if (stages > (~std::uint64_t{0} - images * bytesPerImage) / bytesPerStage)
            throw Error(summaryPath + ": " + std::to_string(stages) + " layer records are more than any run holds");
        budget->draw(stages * bytesPerStage + images * bytesPerImage, summaryPath,
                     std::to_string(stages) + " layer records with " + std::to_string(bins) + " bins each");
        const std::set<std::string> layers(run.meta.layers.begin(), run.meta.layers.end());
        const std::set<std::string> normalized(run.meta.l2normLayers.begin(), run.meta.l2normLayers.end());
        std::size_t position = 0;
        for (const auto& ji : js.at("images")) {
            ImageRecord img;
            img.image = names(ji.at("image"));
            img.index = integerFrom<std::int64_t>(ji.at("index"), "index");
            const std::string record = "image " + std::to_string(position++) + " (" + printable(img.image) + ")";
            checkIndex(img.index, summaryPath, record);
            img.originalWidth = integerFrom<int>(ji.at("original_size").at(0), "original_size");
            img.originalHeight = integerFrom<int>(ji.at("original_size").at(1), "original_size");
            img.inputWidth = integerFrom<int>(ji.at("input_size").at(0), "input_size");
            img.inputHeight = integerFrom<int>(ji.at("input_size").at(1), "input_size");
            img.note = names(ji.at("note"));
            std::set<std::tuple<std::string, Stage, Region>> seen;
            for (const auto& jl : ji.at("layers")) {
                StageRecord s;
                s.layer = jl.at("layer").get<std::string>();
                s.stage = parseStage(jl.at("stage").get<std::string>());
                // runs written before regions existed hold whole maps only
                if (const auto r = jl.find("region"); r != jl.end())
                    s.region = parseRegion(r->get<std::string>());
                const std::string where = record + ", layer " + printable(s.layer) + ", stage " + toString(s.stage) +
                                          (s.region == Region::All ? std::string() : ", region " + toString(s.region));
                if (!layers.count(s.layer))
                    throw Error(summaryPath + ": " + where +
                                ": field \"layer\" names a layer that run.json does "
                                "not list in \"layers\"");
                if (s.stage == Stage::After && !normalized.count(s.layer))
                    throw Error(summaryPath + ": " + where +
                                ": field \"stage\" is after L2Norm, but run.json does "
                                "not list the layer in \"l2norm_layers\"");
                if (!seen.insert({s.layer, s.stage, s.region}).second)
                    throw Error(summaryPath + ": " + where + ": field \"layer\" repeats a record of this image");
                try {
                    s.height = integerFrom<int>(jl.at("height"), "height");
                    s.width = integerFrom<int>(jl.at("width"), "width");
                    s.stats = statsFrom(jl);
                } catch (const Error& e) {
                    throw Error(summaryPath + ": " + where + ": " + e.what());
                } catch (const json::exception& e) {
                    throw Error(summaryPath + ": " + where + ": missing or malformed field (" + e.what() + ")");
                }
                checkStage(s, /*perImage=*/true, summaryPath, where);
                s.hist = Histogram(run.meta.bins);
                (s.region == Region::All ? img.stages : img.regions).push_back(std::move(s));
            }
            run.images.push_back(std::move(img));
        }
        std::size_t failure = 0;
        for (const auto& jf : js.at("failures")) {
            run.failures.push_back(
                {names(jf.at("image")), integerFrom<std::int64_t>(jf.at("index"), "index"), names(jf.at("error"))});
            checkIndex(run.failures.back().index, summaryPath,
                       "failure " + std::to_string(failure++) + " (" + printable(run.failures.back().image) + ")");
        }
        budget->release(kJsonDomFactor * summaryJson.size()); // the document goes with this scope
    } catch (const json::exception& e) {
        throw Error(summaryPath + ": missing or malformed field (" + e.what() + ")");
    } catch (const Error& e) {
        const std::string what = e.what();
        if (what.rfind(summaryPath, 0) == 0)
            throw;
        throw Error(summaryPath + ": " + what);
    }
    for (auto& img : run.images) {
        for (auto& s : img.stages)
            index[{img.image, s.layer + "|" + toString(s.stage) + "|all"}] = &s;
        for (auto& s : img.regions)
            index[{img.image, s.layer + "|" + toString(s.stage) + "|" + toString(s.region)}] = &s;
    }

    // histograms.csv: image,layer,stage,bin_lo,bin_hi,count; region_histograms.csv has the region after the stage
    auto readHistograms = [&](const std::string& csv, const std::string& csvPath, bool regionColumn) {
        const std::size_t columns = regionColumn ? 7 : 6, lo0 = regionColumn ? 4 : 3;
        std::size_t lineNo = 0;
        for (const auto& fields : parseCsv(csv, csvPath)) {
            ++lineNo;
            if (lineNo == 1)
                continue; // header
            if (fields.size() != columns)
                throw Error(csvPath + ": line " + std::to_string(lineNo) + " has " + std::to_string(fields.size()) +
                            " fields, expected " + std::to_string(columns));
            if (fields[0] == kAllImages)
                continue; // aggregates are recomputed
            const std::string image = csvTextValue(fields[0]);
            const std::string region = regionColumn ? fields[3] : std::string("all");
            auto it = index.find({names.escaped ? unescapeFileName(image, csvPath) : image,
                                  csvTextValue(fields[1]) + "|" + fields[2] + "|" + region});
            if (it == index.end() || (regionColumn && region == "all"))
                throw Error(csvPath + ": line " + std::to_string(lineNo) + ": no summary entry for " +
                            printable(fields[0]) + " " + printable(fields[1]) + " " + printable(fields[2]) +
                            (regionColumn ? " " + printable(region) : std::string()));
            Histogram& h = it->second->hist;
            const std::string where = csvPath + ": line " + std::to_string(lineNo);
            const std::uint64_t count = parseCount(fields[lo0 + 2], where);
            const std::string& lo = fields[lo0];
            const std::string& hi = fields[lo0 + 1];
            std::uint64_t* bin = nullptr;
            if (lo == "nan")
                bin = &h.nan;
            else if (lo == "0" && hi == "0")
                bin = &h.zero;
            else if (hi == "inf")
                bin = &h.overflow;
            else if (lo == "0")
                bin = &h.underflow;
            else {
                const double v = parseEdge(lo, where);
                const auto e = std::lower_bound(edges.begin(), edges.end(), v);
                if (e == edges.end() || *e != v || e + 1 == edges.end())
                    throw Error(csvPath + ": line " + std::to_string(lineNo) + ": bin_lo " + lo +
                                " is not a bin edge of " + run.meta.bins.toSpec());
                bin = &h.counts[static_cast<std::size_t>(e - edges.begin())];
            }
            if (__builtin_add_overflow(*bin, count, bin))
                throw Error(where + ": count " + fields[lo0 + 2] + " makes the bin exceed 2^64 - 1");
        }
    };
    readHistograms(histogramsCsv, histPath, /*regionColumn=*/false);
    bool regions = false;
    for (const auto& img : run.images)
        regions = regions || !img.regions.empty();
    if (regions && regionHistogramsCsv.empty())
        throw Error(regionHistPath + ": missing, but summary.json holds region records");
    if (!regionHistogramsCsv.empty())
        readHistograms(regionHistogramsCsv, regionHistPath, /*regionColumn=*/true);
    // Each histogram must hold exactly the values summary.json counts: a forged or damaged count
    // (one that would wrap when merged, say) is caught here, naming the image and layer.
    for (const auto& img : run.images)
        for (const std::vector<StageRecord>* records : {&img.stages, &img.regions})
            for (const auto& s : *records) {
                const std::string& file = s.region == Region::All ? histPath : regionHistPath;
                std::uint64_t total = 0;
                try {
                    total = s.hist.total();
                } catch (const Error&) {
                    throw Error(file + ": the counts of " + escapeFileName(img.image) + " " + s.layer + " " +
                                toString(s.stage) + regionSuffix(s) + " exceed 2^64 - 1");
                }
                std::uint64_t expected = 0;
                const bool wrapped = __builtin_add_overflow(s.stats.count, s.stats.nans, &expected);
                if (wrapped || total != expected || s.hist.nan != s.stats.nans || s.hist.zero != s.stats.zeros)
                    throw Error(file + ": the histogram of " + escapeFileName(img.image) + " " + s.layer + " " +
                                toString(s.stage) + regionSuffix(s) + " holds " + std::to_string(total) + " values (" +
                                std::to_string(s.hist.zero) + " zero, " + std::to_string(s.hist.nan) +
                                " NaN) but summary.json counts " + std::to_string(expected) + " (" +
                                std::to_string(s.stats.zeros) + " zero, " + std::to_string(s.stats.nans) + " NaN)");
            }
    return run;
}

RunData mergeRuns(std::vector<RunData> runs, const std::vector<std::string>& names)
{
    if (runs.empty())
        throw Error("merge: no runs given");
    RunData out;
    out.meta = runs[0].meta;
    out.meta.shard.clear();
    out.meta.mergedFrom = names;
    auto same = [&](bool ok, const std::string& field, std::size_t i) {
        if (!ok)
            throw Error("merge: " + printable(names[i]) + " differs from " + printable(names[0]) + " in " + field +
                        "; only runs of one configuration can be merged");
    };
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& m = runs[i].meta;
        same(m.arch == out.meta.arch, "arch", i);
        same(m.weights.sha256 == out.meta.weights.sha256 && m.weights.untrained == out.meta.weights.untrained &&
                 m.weights.seed == out.meta.weights.seed,
             "weights", i);
        same(m.preset == out.meta.preset, "preset", i);
        same(toString(m.size) == toString(out.meta.size), "size", i);
        same(m.eps == out.meta.eps, "eps mode", i);
        same(m.layers == out.meta.layers, "layers", i);
        same(m.l2normLayers == out.meta.l2normLayers, "L2Norm layers", i);
        same(m.gamma == out.meta.gamma, "gamma", i);
        same(m.bins == out.meta.bins, "bins", i);
        same(m.totalInputs == out.meta.totalInputs, "total inputs", i);
        out.images.insert(out.images.end(), std::make_move_iterator(runs[i].images.begin()),
                          std::make_move_iterator(runs[i].images.end()));
        out.failures.insert(out.failures.end(), runs[i].failures.begin(), runs[i].failures.end());
        runs[i].images = {};
    }
    std::stable_sort(out.images.begin(), out.images.end(), [](auto& a, auto& b) { return a.index < b.index; });
    std::stable_sort(out.failures.begin(), out.failures.end(), [](auto& a, auto& b) { return a.index < b.index; });
    for (std::size_t i = 1; i < out.images.size(); ++i)
        if (out.images[i].index == out.images[i - 1].index)
            throw Error("merge: image #" + std::to_string(out.images[i].index) + " (" + printable(out.images[i].image) +
                        ") appears in more than one run");
    return out;
}

} // namespace featscale::analysis
