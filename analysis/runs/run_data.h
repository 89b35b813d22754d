// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/region.h"
#include "analysis/core/types.h"
#include "analysis/engine/analyzer.h"
#include "analysis/stats/histogram.h"
#include "analysis/stats/layer_stats.h"
#include "analysis/weights/weight_info.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace featscale::analysis {

/// Statistics of one layer at one stage ("before" L2Norm, or "after" it) for one image or for an
/// aggregate over images.
struct StageRecord {
    std::string layer;
    Stage stage = Stage::Before;
    int height = 0, width = 0; ///< map size (0 for aggregates)
    /// The cells the statistics are over: the whole map, or one region of an annotated image
    /// (stats.count then counts only its cells).
    Region region = Region::All;
    LayerStats stats;
    Histogram hist;
};

struct ImageRecord {
    std::string image;      ///< path as given
    std::int64_t index = 0; ///< position in the whole (unsharded) sorted input list
    int originalWidth = 0, originalHeight = 0, inputWidth = 0, inputHeight = 0;
    std::string note;
    std::vector<StageRecord> stages; ///< network order, before then after per layer; region all
    /// Annotated images: the object, background and size-class records (regionRecords), in that
    /// order per layer and stage. Apart from `stages`, so that everything that reads a run's
    /// whole-map statistics sees exactly what it saw before regions existed.
    std::vector<StageRecord> regions;
};

struct FailureRecord {
    std::string image;
    std::int64_t index = 0;
    std::string error;
};

/// Everything that identifies a run; two runs merge only when these agree.
struct RunMetadata {
    std::string featscaleVersion;
    std::string created; ///< UTC, ISO 8601
    Arch arch = Arch::Vgg16Reduced;
    WeightInfo weights;
    Preset preset = Preset::Caffe;
    SizeSpec size;
    EpsMode eps = EpsMode::Caffe;
    std::vector<std::string> layers;
    std::vector<std::string> l2normLayers;
    std::map<std::string, std::vector<float>> gamma;
    BinScheme bins;
    int threads = 0;
    std::string shard;            ///< "i/N" or empty
    std::int64_t totalInputs = 0; ///< inputs of the whole (unsharded) run
    std::vector<std::string> mergedFrom;
};

/// The metadata of a run by this Analyzer: version, creation time (UTC, now), topology, weights,
/// effective preset, size, eps mode, analysed and normalized layers, the effective gamma of each
/// normalized layer, bins and threads in force. Shard and input counts are the caller's to set.
RunMetadata describeRun(const Analyzer& analyzer);

/// One run: metadata, per-image records (sorted by index), failures.
struct RunData {
    RunMetadata meta;
    std::vector<ImageRecord> images;
    std::vector<FailureRecord> failures;
};

/// Converts an analysed image to its record (before for every layer, after for normalized ones).
ImageRecord toRecord(const ImageResult& result, std::int64_t index);

/// One layer and stage aggregated over images: the only aggregation there is, used by runs
/// (RunAggregator), merges and the GUI's all-images views. Counts, zeros, NaNs, min, max and
/// histogram bins combine exactly; sums add and m2 combines pairwise in the order images are added
/// (image-index order everywhere, so a merged run reproduces a single run bit for bit).
/// Percentiles: with one image, that image's exact ones; with more, from the merged histogram,
/// bounded by the aggregate's min and max and non-decreasing. Plain data; any thread.
class StageAggregator {
public:
    /// Adds one image's statistics and histogram. Throws Error (aggregate unchanged) when the
    /// histogram's bins differ from those added before.
    void add(const LayerStats& stats, const Histogram& hist);
    int images() const { return m_images; }
    /// The aggregate statistics, percentiles filled.
    LayerStats stats() const;
    const Histogram& histogram() const { return m_hist; }

private:
    LayerStats m_stats;
    Histogram m_hist;
    int m_images = 0;
};

/// Aggregates over all images, per layer and stage, in network order (StageAggregator per stage,
/// images in index order).
std::vector<StageRecord> aggregate(const RunData& run);

/// The region records (ImageRecord::regions) aggregated over images, per layer, stage and region,
/// in network order, before before after, then regions in Region order.
std::vector<StageRecord> aggregateRegions(const RunData& run);

/// aggregate() one image at a time, for runs that stream their images to disk: memory stays one
/// record per layer and stage however many images are added. Add images in index order.
class RunAggregator {
public:
    explicit RunAggregator(const RunMetadata& meta);
    void add(const ImageRecord& image);
    /// The aggregates so far, percentiles filled, in network order (before before after).
    std::vector<StageRecord> result() const;
    /// The region aggregates so far (aggregateRegions), empty when no image had regions.
    std::vector<StageRecord> regionResult() const;

private:
    struct Entry {
        std::string layer;
        Stage stage = Stage::Before;
        Region region = Region::All;
        StageAggregator agg;
    };
    using Key = std::tuple<std::string, Stage, Region>;
    static void addTo(std::vector<Entry>& entries, std::map<Key, std::size_t>& index, const StageRecord& s);
    std::vector<StageRecord> ordered(const std::vector<Entry>& entries) const;
    std::map<std::string, std::size_t> m_layerRank; ///< position in the metadata's layers
    std::vector<Entry> m_stages, m_regions;
    std::map<Key, std::size_t> m_index, m_regionIndex; ///< into m_stages, m_regions
};

/// Writes a run directory while the run goes on: each added image's histogram and summary rows go
/// straight to temporary files in dir, so memory does not grow with the number of images. The
/// five files appear (replacing earlier ones) only at finish(); a writer destroyed unfinished, or
/// any write error (Error naming the file), leaves the earlier run directory intact.
/// With normMaps, a sixth file, norm_maps.npz, holds every image's norm maps (addNormMaps) and is
/// published with the others; without it, a norm_maps.npz of an earlier run in dir is removed at
/// finish(), since it would no longer describe the run beside it.
class RunWriter {
public:
    RunWriter(const std::string& dir, RunMetadata meta, bool normMaps = false);
    ~RunWriter();
    RunWriter(const RunWriter&) = delete;
    RunWriter& operator=(const RunWriter&) = delete;

    void add(const ImageRecord& image); ///< images in increasing index order
    /// The image's norm maps into norm_maps.npz (a writer made with normMaps only): each layer
    /// before L2Norm, and after it for normalized layers, under the key IMAGE:LAYER:STAGE with
    /// IMAGE as in summary.csv's image column. Written at once; nothing of them stays in memory.
    void addNormMaps(const ImageResult& result);
    /// Makes the run write energy_share.csv for this group of layers (EnergyShareTable); call
    /// before the first image. Without it, an energy_share.csv of an earlier run in dir is removed
    /// at finish(), as norm maps are.
    void shareEnergy(const std::vector<std::string>& group);
    /// The image's concatenation energy shares into energy_share.csv (after shareEnergy).
    void addEnergyShares(const ImageResult& result);
    void addFailure(const FailureRecord& failure);
    /// Writes aggregates, failures and run.json and publishes the files together; returns the aggregates.
    std::vector<StageRecord> finish();

    std::size_t imagesAdded() const;
    const std::vector<FailureRecord>& failures() const;
    const RunMetadata& meta() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// The memory that reading run directories may take, shared by all runs read with it (merge
/// reads several). Reading draws, before allocating, what the parsed files will hold: the JSON
/// documents, every record and every stage's dense histogram (its counts and its bin edges). A
/// forged run whose few MB of summary.json list thousands of stages under a 100 000-bin scheme is
/// refused before it costs GBs. Not thread-safe.
class ReadBudget {
public:
    explicit ReadBudget(std::uint64_t bytes) : m_left(bytes), m_total(bytes) { }
    /// What files of fileBytes in all justify: 64 times their size, and at least 1 GiB, but never
    /// more than half of what this process may still allocate (allocatableBytes). A real run's
    /// dense histograms take less memory than its histograms.csv takes on disk.
    static ReadBudget forFiles(std::uint64_t fileBytes);
    /// Takes bytes, or throws Error naming file and what it would need.
    void draw(std::uint64_t bytes, const std::string& file, const std::string& what);
    /// Gives back what a transient allocation (a parsed document) drew.
    void release(std::uint64_t bytes) { m_left = std::min(m_total, m_left + bytes); }

private:
    std::uint64_t m_left, m_total;
};

/// What this process may still allocate: the machine's memory, and under an address-space limit
/// (ulimit -v, RLIMIT_AS) that limit less the address space mapped now.
std::uint64_t allocatableBytes();

/// Writes histograms.csv, summary.csv, summary.json and run.json into dir, each atomically.
void writeRun(const RunData& run, const std::string& dir);
/// Reads a directory written by writeRun; throws Error naming the file and the problem. Without a
/// budget, the run gets ReadBudget::forFiles of its own files.
RunData readRun(const std::string& dir, ReadBudget* budget = nullptr);
/// The bytes of the files readRun reads in dir (0 for any it cannot stat: readRun names it).
std::uint64_t runFileBytes(const std::string& dir);
/// readRun on the files' contents already in memory (dir is only used in messages): the parsing
/// half of readRun, also what the run-directory fuzz target feeds. regionHistogramsCsv is
/// region_histograms.csv, empty when the run has none.
RunData parseRun(const std::string& dir, const std::string& runJson, const std::string& summaryJson,
                 const std::string& histogramsCsv, ReadBudget* budget = nullptr,
                 const std::string& regionHistogramsCsv = {});
/// Merges runs of the same configuration (else Error naming the differing field). The runs are
/// moved into the result, so merging needs no second copy of them.
RunData mergeRuns(std::vector<RunData> runs, const std::vector<std::string>& names);

} // namespace featscale::analysis
