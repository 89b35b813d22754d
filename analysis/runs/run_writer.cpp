// SPDX-License-Identifier: GPL-3.0-or-later
// Writing run directories: histograms.csv, summary.csv, summary.json, run.json and
// histograms.json (reading: run_io.cpp; histograms.json is for notebooks and is not read back). Rows are streamed to
// temporary files as images are added (RunWriter), so a run of a million images needs no more memory than a run of one.
#include "analysis/core/atomic_file.h"
#include "analysis/core/csv.h"
#include "analysis/runs/internal/run_format.h"
#include "analysis/runs/norm_map_archive.h"
#include "analysis/runs/run_data.h"
#include "analysis/weights/untrained.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace featscale::analysis {
namespace {

using nlohmann::json;
/// The "warning" field of the run's JSON files: the UNTRAINED sentence, empty for trained weights.
std::string untrainedWarning(const WeightInfo& w) { return w.untrained ? untrainedSentence(w.seed) : std::string(); }

std::string num(double v) { return csvNumber(v); }

// Every string written is escaped (escapeFileName) or ASCII; should one slip through that is not
// UTF-8, it is written with U+FFFD rather than failing the run.
std::string dumpJson(const json& j, int indent = -1)
{
    return j.dump(indent, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

// JSON has no NaN: store null and read it back as NaN.
json jnum(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json statsJson(const LayerStats& s)
{
    return {{"count", s.count},
            {"zeros", s.zeros},
            {"nans", s.nans},
            {"min", jnum(s.min)},
            {"max", jnum(s.max)},
            {"mean", jnum(s.mean())},
            {"std", jnum(s.stddev())},
            {"sum", s.sum},
            {"sum_sq", s.sumSquares},
            {"m2", s.m2},
            {"mean_abs", jnum(s.meanAbs())},
            {"sum_abs", s.sumAbs},
            {"elements", s.elements},
            {"p1", jnum(s.p1)},
            {"p5", jnum(s.p5)},
            {"p25", jnum(s.p25)},
            {"p50", jnum(s.p50)},
            {"p75", jnum(s.p75)},
            {"p95", jnum(s.p95)},
            {"p99", jnum(s.p99)},
            {"percentiles", s.percentilesFromHistogram ? "histogram" : "exact"}};
}

std::string aggregatePercentiles(const BinScheme& bins)
{
    return "exact for a single image; for several, from the merged histogram (" + bins.describe() +
           "), interpolated within the aggregate's min and max";
}

json weightsJson(const WeightInfo& w)
{
    json g = nullptr; // {"conv4_3": [...], ...}: the learned gamma of each normalized layer
    for (const auto& [layer, values] : w.gammas)
        g[layer] = values;
    std::vector<std::string> warnings;
    for (const auto& text : w.warnings)
        warnings.push_back(escapeFileName(text));
    return {{"path", escapeFileName(w.path)},
            {"name", escapeFileName(w.displayName)},
            {"format", w.format},
            {"layout", w.layout},
            {"family", w.family},
            {"sha256", w.sha256},
            {"arch", toString(w.arch)},
            {"preset", toString(w.preset)},
            {"eps", toString(w.eps)},
            {"untrained", w.untrained},
            {"seed", w.seed},
            {"parameters", w.parameterCount},
            {"learned_gamma", g},
            {"extras", w.hasExtras},
            {"warnings", warnings}};
}

json metaJson(const RunMetadata& m)
{
    json gamma = json::object();
    json gammaSummary = json::object();
    std::vector<std::string> mergedFrom;
    for (const auto& dir : m.mergedFrom)
        mergedFrom.push_back(escapeFileName(dir));
    for (const auto& [layer, g] : m.gamma) {
        gamma[layer] = g;
        double lo = g.empty() ? 0 : g[0], hi = lo, sum = 0;
        for (float v : g) {
            lo = std::min<double>(lo, v);
            hi = std::max<double>(hi, v);
            sum += v;
        }
        gammaSummary[layer] = {{"channels", g.size()},
                               {"min", lo},
                               {"max", hi},
                               {"mean", g.empty() ? 0.0 : sum / static_cast<double>(g.size())}};
    }
    return {{"format_version", kFormatVersion},
            {"featscale_version", m.featscaleVersion},
            {"created", m.created},
            {"untrained", m.weights.untrained},
            {"warning", untrainedWarning(m.weights)},
            {"arch", toString(m.arch)},
            {"weights", weightsJson(m.weights)},
            {"preset", toString(m.preset)},
            {"size", toString(m.size)},
            {"eps", toString(m.eps)},
            {"layers", m.layers},
            {"l2norm_layers", m.l2normLayers},
            {"gamma_summary", gammaSummary},
            {"gamma", gamma},
            {"bins", {{"spec", m.bins.toSpec()}, {"description", m.bins.describe()}, {"edges", m.bins.edges()}}},
            {"aggregate_percentiles", aggregatePercentiles(m.bins)},
            {"threads", m.threads},
            {"shard", m.shard},
            {"total_inputs", m.totalInputs},
            {"merged_from", mergedFrom}};
}

// histograms.json: the exact bins of every image, layer and stage as arrays, and the aggregate
// over all images, with what a reader needs to trust them. The JSON twin of histograms.csv, for
// notebooks that would rather not parse CSV rows back into arrays. Streamed like the CSV files:
// head at the start, one entry per stage as images come, aggregate at the end.
json histogramEntryJson(const std::string& imageColumn, const StageRecord& s)
{
    json o = {{"image", imageColumn},        {"layer", s.layer},    {"stage", toString(s.stage)},
              {"counts", s.hist.counts},     {"zero", s.hist.zero}, {"underflow", s.hist.underflow},
              {"overflow", s.hist.overflow}, {"nan", s.hist.nan}};
    if (s.width > 0)
        o["map_size"] = {s.width, s.height};
    return o;
}

std::string histogramsJsonHead(const RunMetadata& m)
{
    json head = {{"format", "featscale-histograms"},
                 {"format_version", 1},
                 {"untrained", m.weights.untrained},
                 {"warning", untrainedWarning(m.weights)},
                 {"weights", escapeFileName(m.weights.summary())},
                 {"weights_sha256", m.weights.sha256},
                 {"arch", toString(m.arch)},
                 {"preset", toString(m.preset)},
                 {"eps", toString(m.eps)},
                 {"input_size", toString(m.size)},
                 {"bins", m.bins.describe()},
                 {"bin_edges", m.bins.edges()},
                 {"bin_rule", "counts[i] holds values v with bin_edges[i] <= v < bin_edges[i+1]; zero, underflow, "
                              "overflow and nan are counted apart"},
                 {"gamma", m.gamma}};
    std::string text = dumpJson(head, 1);
    text.pop_back(); // the closing brace: "histograms" and "aggregate" follow
    return text + ",\n \"histograms\": [";
}

void appendHistogramRows(std::string& out, const std::string& imageColumn, const StageRecord& s)
{
    const std::string prefix = csvText(imageColumn) + "," + csvText(s.layer) + "," + toString(s.stage) + ",";
    const Histogram& h = s.hist;
    auto row = [&](const std::string& lo, const std::string& hi, std::uint64_t c) {
        if (c)
            out += prefix + lo + "," + hi + "," + std::to_string(c) + "\n";
    };
    row("0", "0", h.zero);
    row("0", num(h.edges.front()), h.underflow);
    // only bins that hold values are written: formatting both edges of every empty bin of every
    // stage took most of a merge's time
    for (std::size_t i = 0; i < h.counts.size(); ++i)
        if (h.counts[i])
            row(num(h.edges[i]), num(h.edges[i + 1]), h.counts[i]);
    row(num(h.edges.back()), "inf", h.overflow);
    row("nan", "nan", h.nan);
}

const char* kSummaryHeader =
    "image,layer,stage,height,width,count,zeros,nans,min,max,mean,std,p1,p5,p25,p50,p75,p95,p99,sum,sum_sq,"
    "mean_abs,sum_abs,elements,percentiles,untrained\n";

void appendSummaryRow(std::string& out, const std::string& imageColumn, const StageRecord& s, bool untrained)
{
    const LayerStats& st = s.stats;
    out += csvText(imageColumn) + "," + csvText(s.layer) + "," + toString(s.stage) + "," + std::to_string(s.height) +
           "," + std::to_string(s.width) + "," + std::to_string(st.count) + "," + std::to_string(st.zeros) + "," +
           std::to_string(st.nans) + "," + num(st.min) + "," + num(st.max) + "," + num(st.mean()) + "," +
           num(st.stddev()) + "," + num(st.p1) + "," + num(st.p5) + "," + num(st.p25) + "," + num(st.p50) + "," +
           num(st.p75) + "," + num(st.p95) + "," + num(st.p99) + "," + num(st.sum) + "," + num(st.sumSquares) + "," +
           num(st.meanAbs()) + "," + num(st.sumAbs) + "," + std::to_string(st.elements) + "," +
           (st.percentilesFromHistogram ? "histogram" : "exact") + "," + (untrained ? "true" : "false") + "\n";
}

json stageJson(const StageRecord& s, bool withSize)
{
    json js = statsJson(s.stats);
    js["layer"] = s.layer;
    js["stage"] = toString(s.stage);
    if (withSize) {
        js["height"] = s.height;
        js["width"] = s.width;
    }
    return js;
}

} // namespace

struct RunWriter::Impl {
    RunMetadata meta;
    StagedFile histograms, summaryCsv, summaryJson, runJson, histogramsJson;
    std::size_t histogramEntries = 0;
    RunAggregator aggregator;
    std::vector<FailureRecord> failures;
    std::size_t images = 0;
    std::int64_t lastIndex = -1;
    bool finished = false;
    std::string mapsPath;
    std::unique_ptr<NormMapArchive> maps; ///< only when norm maps are saved

    Impl(const std::string& dir, RunMetadata m)
        : meta(std::move(m)), histograms((std::filesystem::path(dir) / "histograms.csv").string()),
          summaryCsv((std::filesystem::path(dir) / "summary.csv").string()),
          summaryJson((std::filesystem::path(dir) / "summary.json").string()),
          runJson((std::filesystem::path(dir) / "run.json").string()),
          histogramsJson((std::filesystem::path(dir) / "histograms.json").string()), aggregator(meta),
          mapsPath((std::filesystem::path(dir) / "norm_maps.npz").string())
    { }
};

RunWriter::RunWriter(const std::string& dir, RunMetadata meta, bool normMaps)
    : m((ensureDirectory(dir), std::make_unique<Impl>(dir, std::move(meta))))
{
    if (normMaps)
        m->maps = std::make_unique<NormMapArchive>(m->mapsPath);
    m->histograms.append("image,layer,stage,bin_lo,bin_hi,count\n");
    m->summaryCsv.append(kSummaryHeader);
    // summary.json: the images array is streamed first; the remaining fields follow at finish()
    // (JSON objects are unordered, and readers look fields up by name).
    m->summaryJson.append("{\n \"images\": [");
    m->histogramsJson.append(histogramsJsonHead(m->meta));
}

RunWriter::~RunWriter() = default;

void RunWriter::add(const ImageRecord& img)
{
    if (m->finished)
        throw Error(m->histograms.path() + ": internal error, image added after the run was written");
    if (img.index < m->lastIndex)
        throw Error(m->histograms.path() + ": internal error, images must be added in index order");
    m->lastIndex = img.index;
    const bool untrained = m->meta.weights.untrained;
    std::string hist, summary, histJson;
    const std::string image = imageField(img.image);
    json stages = json::array();
    for (const auto& s : img.stages) {
        histJson += (m->histogramEntries++ == 0 ? "\n  " : ",\n  ") + dumpJson(histogramEntryJson(image, s));
        appendHistogramRows(hist, image, s);
        appendSummaryRow(summary, image, s, untrained);
        stages.push_back(stageJson(s, /*withSize=*/true));
    }
    const json entry = {{"image", image},
                        {"index", img.index},
                        {"original_size", {img.originalWidth, img.originalHeight}},
                        {"input_size", {img.inputWidth, img.inputHeight}},
                        {"note", escapeFileName(img.note)},
                        {"layers", stages}};
    m->histograms.append(hist);
    m->summaryCsv.append(summary);
    m->histogramsJson.append(histJson);
    // indented as a whole-document dump(1) would indent it: the file stays readable. One pass:
    // replacing each line break in place would copy the rest of the text once per line.
    const std::string text = dumpJson(entry, 1);
    std::string indented;
    indented.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        indented += c;
        if (c == '\n')
            indented += "  ";
    }
    m->summaryJson.append(m->images == 0 ? "\n  " : ",\n  ");
    m->summaryJson.append(indented);
    m->aggregator.add(img);
    ++m->images;
}

void RunWriter::addNormMaps(const ImageResult& result)
{
    if (!m->maps)
        throw Error(m->mapsPath + ": internal error, norm maps added to a run that does not save them");
    if (m->finished)
        throw Error(m->mapsPath + ": internal error, norm maps added after the run was written");
    addImageNormMaps(*m->maps, result);
}

void RunWriter::addFailure(const FailureRecord& failure) { m->failures.push_back(failure); }

std::vector<StageRecord> RunWriter::finish()
{
    if (m->finished)
        throw Error(m->histograms.path() + ": internal error, the run was already written");
    const bool untrained = m->meta.weights.untrained;
    const std::vector<StageRecord> agg = m->aggregator.result();
    std::string hist, summary;
    json jagg = json::array();
    std::string histJsonAgg;
    for (const auto& s : agg) {
        histJsonAgg += (histJsonAgg.empty() ? "\n  " : ",\n  ") + dumpJson(histogramEntryJson(kAllImages, s));
        appendHistogramRows(hist, kAllImages, s);
        appendSummaryRow(summary, kAllImages, s, untrained);
        jagg.push_back(stageJson(s, /*withSize=*/false));
    }
    json jfail = json::array();
    for (const auto& f : m->failures)
        jfail.push_back({{"image", imageField(f.image)}, {"index", f.index}, {"error", escapeFileName(f.error)}});
    const json rest = {{"format_version", kFormatVersion},
                       {"untrained", untrained},
                       {"warning", untrainedWarning(m->meta.weights)},
                       {"weights", escapeFileName(m->meta.weights.summary())},
                       {"images_analysed", m->images},
                       {"images_failed", m->failures.size()},
                       {"aggregate_percentiles", aggregatePercentiles(m->meta.bins)},
                       {"aggregate", jagg},
                       {"failures", jfail}};
    m->histograms.append(hist);
    m->summaryCsv.append(summary);
    // rest.dump(1) is "{\n \"aggregate\": ...\n}": continue the object after the images array.
    m->summaryJson.append(m->images == 0 ? "],\n" : "\n ],\n");
    m->summaryJson.append(dumpJson(rest, 1).substr(2));
    m->summaryJson.append("\n");
    m->runJson.append(dumpJson(metaJson(m->meta), 1) + "\n");
    m->histogramsJson.append(std::string(m->histogramEntries ? "\n ]" : "]") + ",\n \"aggregate\": [" + histJsonAgg +
                             (histJsonAgg.empty() ? "]\n}\n" : "\n ]\n}\n"));
    std::vector<StagedFile*> files = {&m->histograms, &m->summaryCsv, &m->summaryJson, &m->runJson, &m->histogramsJson};
    if (m->maps)
        files.push_back(&m->maps->close());
    publishAll(files);
    m->finished = true;
    if (!m->maps) {
        std::error_code ec;
        std::filesystem::remove(m->mapsPath, ec);
        if (ec)
            throw Error(m->mapsPath +
                        ": the run is written, but these norm maps of an earlier run cannot be removed (" +
                        ec.message() + ")");
    }
    return agg;
}

std::size_t RunWriter::imagesAdded() const { return m->images; }
const std::vector<FailureRecord>& RunWriter::failures() const { return m->failures; }
const RunMetadata& RunWriter::meta() const { return m->meta; }

void writeRun(const RunData& run, const std::string& dir)
{
    std::vector<const ImageRecord*> images;
    for (const auto& img : run.images)
        images.push_back(&img);
    std::stable_sort(images.begin(), images.end(), [](auto* a, auto* b) { return a->index < b->index; });
    RunWriter writer(dir, run.meta);
    for (const ImageRecord* img : images)
        writer.add(*img);
    for (const auto& f : run.failures)
        writer.addFailure(f);
    writer.finish();
}

} // namespace featscale::analysis
