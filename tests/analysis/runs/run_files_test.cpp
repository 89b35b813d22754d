// SPDX-License-Identifier: GPL-3.0-or-later
// Exports under faults: a full disk and a read-only folder give an Error naming the
// file and leave the earlier file byte for byte; corrupt or future-version run directories are
// refused by readRun with an Error naming the offending file, never a crash or a foreign exception.
#include "analysis/core/atomic_file.h"
#include "analysis/runs/run_data.h"
#include "tests/support/scratch_files.h"
#include "tests/support/tiny_tmpfs.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <unistd.h>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() { return featscale::test::scratchDir("featscale_rel_run"); }
using featscale::test::readAll;

void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

struct TinyTmpfs : featscale::test::TinyTmpfs {
    TinyTmpfs(const std::string& name, const char* size) : featscale::test::TinyTmpfs(tempDir() / name, size) { }
};

RunData sampleRun()
{
    RunData run;
    run.meta.featscaleVersion = "test";
    run.meta.created = "2026-01-01T00:00:00Z";
    run.meta.weights.untrained = true;
    run.meta.layers = {"conv4_3"};
    run.meta.l2normLayers = {"conv4_3"};
    run.meta.totalInputs = 2;
    for (int i = 0; i < 2; ++i) {
        ImageRecord img;
        img.image = i == 0 ? "a.jpg" : "dir,with \"quotes\"/b.jpg";
        img.index = i;
        img.originalWidth = img.originalHeight = img.inputWidth = img.inputHeight = 300;
        StageRecord s;
        s.layer = "conv4_3";
        s.stage = Stage::Before;
        s.height = s.width = 2;
        const std::vector<float> v = {0.f, 2.5f, 40.f + i, 3e7f};
        s.stats = LayerStats::of(v);
        s.hist = Histogram(run.meta.bins);
        s.hist.addAll(v);
        s.hist.fillPercentiles(s.stats);
        img.stages.push_back(s);
        run.images.push_back(img);
    }
    run.failures.push_back({"bad.jpg", 2, "bad.jpg: not an image"});
    return run;
}

fs::path writeSample(const std::string& name)
{
    const fs::path dir = tempDir() / name;
    fs::remove_all(dir);
    writeRun(sampleRun(), dir.string());
    return dir;
}

// readRun's Error for dir, or "" if it read without complaint. Any other exception type fails.
std::string readError(const fs::path& dir)
{
    try {
        readRun(dir.string());
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

void replaceIn(const fs::path& file, const std::string& from, const std::string& to)
{
    std::string s = readAll(file);
    const auto at = s.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << file;
    s.replace(at, from.size(), to);
    spit(file, s);
}

} // namespace

TEST(ReliabilityRunFiles, SampleRunRoundTrips)
{
    const auto dir = writeSample("ok");
    const RunData back = readRun(dir.string());
    ASSERT_EQ(back.images.size(), 2u);
    EXPECT_EQ(back.images[1].image, "dir,with \"quotes\"/b.jpg");
    EXPECT_EQ(back.images[1].stages[0].hist.total(), 4u);
    EXPECT_EQ(back.images[1].stages[0].hist.zero, 1u);
    EXPECT_EQ(back.images[1].stages[0].hist.overflow, 1u); // 3e7 above the 1e6 top edge
    ASSERT_EQ(back.failures.size(), 1u);
}

// A RefineDet run: the topology, every normalized layer's gamma and the weights' learned gammas
// survive the round trip; run.json files written before gammas were per layer (learned_gamma an
// array: conv4_3's) still read.
TEST(ReliabilityRunFiles, TopologyAndEveryLearnedGammaRoundTrip)
{
    RunData run = sampleRun();
    run.meta.arch = Arch::RefineDet;
    run.meta.eps = EpsMode::SsdPytorch;
    run.meta.l2normLayers = {"conv4_3", "conv5_3"};
    run.meta.gamma = {{"conv4_3", {10.5f, 9.25f}}, {"conv5_3", {8.f, 7.75f}}};
    run.meta.weights.untrained = false;
    run.meta.weights.arch = Arch::RefineDet;
    run.meta.weights.eps = EpsMode::SsdPytorch;
    run.meta.weights.gammas = run.meta.gamma;
    const fs::path dir = tempDir() / "refinedet";
    fs::remove_all(dir);
    writeRun(run, dir.string());
    const RunData back = readRun(dir.string());
    EXPECT_EQ(back.meta.arch, Arch::RefineDet);
    EXPECT_EQ(back.meta.eps, EpsMode::SsdPytorch);
    EXPECT_EQ(back.meta.l2normLayers, run.meta.l2normLayers);
    EXPECT_EQ(back.meta.gamma, run.meta.gamma);
    EXPECT_EQ(back.meta.weights.gammas, run.meta.gamma);
    EXPECT_EQ(back.meta.weights.eps, EpsMode::SsdPytorch);

    replaceIn(dir / "run.json", "\"learned_gamma\": {", "\"learned_gamma\": [1.5, 2.5], \"unused\": {");
    EXPECT_EQ(readRun(dir.string()).meta.weights.gammas,
              (std::map<std::string, std::vector<float>>{{"conv4_3", {1.5f, 2.5f}}}));
}

TEST(ReliabilityRunFiles, NanCarryingRunRoundTripsWithItsNansCounted)
{
    // An eps-mode-naive stage: two zero-norm locations became NaN, and one stage is all NaN
    // (min, max and percentiles NaN), as the analyzer reports them.
    RunData run = sampleRun();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    StageRecord& some = run.images[0].stages[0];
    const std::vector<float> v = {nan, 2.5f, nan, 7.f};
    some.stats = LayerStats::of(v);
    some.hist = Histogram(run.meta.bins);
    some.hist.addAll(v);
    some.hist.fillPercentiles(some.stats);
    StageRecord all = some;
    all.stage = Stage::After;
    const std::vector<float> allNan(4, nan);
    all.stats = LayerStats::of(allNan);
    all.hist = Histogram(run.meta.bins);
    all.hist.addAll(allNan);
    all.hist.fillPercentiles(all.stats);
    ASSERT_EQ(some.stats.nans, 2u); // hand count
    ASSERT_TRUE(std::isnan(all.stats.min));
    run.images[0].stages.push_back(all); // `some` dangles from here on

    const fs::path dir = tempDir() / "nan_run";
    fs::remove_all(dir);
    writeRun(run, dir.string());
    EXPECT_NE(readAll(dir / "summary.csv").find("nan"), std::string::npos);
    EXPECT_NE(readAll(dir / "summary.json").find("null"), std::string::npos);
    EXPECT_NE(readAll(dir / "histograms.csv").find("conv4_3,before,nan,nan,2"), std::string::npos)
        << readAll(dir / "histograms.csv");

    const RunData back = readRun(dir.string());
    const StageRecord& s = back.images[0].stages[0];
    EXPECT_EQ(s.stats.nans, 2u);
    EXPECT_EQ(s.stats.count, 2u);
    EXPECT_DOUBLE_EQ(s.stats.min, 2.5);
    EXPECT_DOUBLE_EQ(s.stats.max, 7.0);
    EXPECT_EQ(s.hist.nan, 2u);
    EXPECT_EQ(s.hist.total(), 4u); // the NaNs are in the total, in their own bin
    const StageRecord& a = back.images[0].stages[1];
    EXPECT_EQ(a.stage, Stage::After);
    EXPECT_EQ(a.stats.nans, 4u);
    EXPECT_EQ(a.stats.count, 0u);
    EXPECT_TRUE(std::isnan(a.stats.min));
    EXPECT_TRUE(std::isnan(a.stats.max));
    EXPECT_TRUE(std::isnan(a.stats.p50));
    EXPECT_EQ(a.hist.nan, 4u);
    // the aggregate over images keeps counting them
    const auto agg = aggregate(back);
    std::uint64_t nans = 0;
    for (const auto& stage : agg)
        nans += stage.stats.nans;
    EXPECT_EQ(nans, 6u);
}

TEST(ReliabilityRunFiles, FullDiskKeepsEarlierFileAndSaysSo)
{
    TinyTmpfs fsys("full", "64k");
    if (!fsys.mounted)
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root, as in CI)";
    const fs::path target = fsys.dir / "histograms.csv";
    spit(target, "earlier content\n");
    const std::string big(512 * 1024, 'x'); // 8x the file system
    try {
        writeFileAtomically(target.string(), big);
        FAIL() << "a 512 KiB write to a 64 KiB file system succeeded";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(target.string()), std::string::npos) << msg;
        EXPECT_NE(msg.find("No space left"), std::string::npos) << msg;
        EXPECT_NE(msg.find("earlier file is unchanged"), std::string::npos) << msg;
    }
    EXPECT_EQ(readAll(target), "earlier content\n");
    // no temporary file left behind taking the space
    int entries = 0;
    for (const auto& e : fs::directory_iterator(fsys.dir))
        entries += e.path().filename() != "histograms.csv";
    EXPECT_EQ(entries, 0);
    // a whole run export: an earlier run stays complete and readable, no file mixes old and new
    const fs::path runDir = fsys.dir / "run";
    fs::remove(target);
    writeRun(sampleRun(), runDir.string());
    std::map<std::string, std::string> before;
    for (const char* name : {"histograms.csv", "histograms.json", "summary.csv", "summary.json", "run.json"})
        before[name] = readAll(runDir / name);
    RunData bigRun = sampleRun();
    for (int i = 0; i < 2000; ++i) {
        ImageRecord img = bigRun.images[0];
        img.index = 10 + i;
        img.image = "img" + std::to_string(i) + ".jpg";
        bigRun.images.push_back(img);
    }
    EXPECT_THROW(writeRun(bigRun, runDir.string()), Error);
    for (const auto& [name, content] : before)
        EXPECT_EQ(readAll(runDir / name), content) << name << " changed by a failed export";
    EXPECT_EQ(readRun(runDir.string()).images.size(), 2u);
    int leftovers = 0;
    for (const auto& e : fs::directory_iterator(runDir))
        leftovers += before.count(e.path().filename().string()) == 0;
    EXPECT_EQ(leftovers, 0) << "temporary files left behind";
}

TEST(ReliabilityRunFiles, WriteFilesAtomicallyIsAllOrNothing)
{
    const fs::path dir = tempDir() / "all_or_nothing";
    fs::create_directories(dir);
    spit(dir / "a.txt", "old a");
    // the second target cannot be written (its folder does not exist): the first stays old
    EXPECT_THROW(
        writeFilesAtomically({{(dir / "a.txt").string(), "new a"}, {(dir / "missing" / "b.txt").string(), "new b"}}),
        Error);
    EXPECT_EQ(readAll(dir / "a.txt"), "old a");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
    writeFilesAtomically({{(dir / "a.txt").string(), "new a"}, {(dir / "b.txt").string(), "new b"}});
    EXPECT_EQ(readAll(dir / "a.txt"), "new a");
    EXPECT_EQ(readAll(dir / "b.txt"), "new b");
}

TEST(ReliabilityRunFiles, ReadOnlyFolderKeepsEarlierFileAndSaysSo)
{
    fs::path dir;
    std::unique_ptr<TinyTmpfs> fsys;
    if (::geteuid() == 0) {
        fsys = std::make_unique<TinyTmpfs>("ro", "1m");
        if (!fsys->mounted)
            GTEST_SKIP() << "cannot mount a tmpfs here";
        dir = fsys->dir;
        spit(dir / "summary.json", "{\"earlier\": true}\n");
        if (!fsys->remountReadOnly())
            GTEST_SKIP() << "cannot remount read-only";
    } else {
        dir = tempDir() / "ro";
        fs::create_directories(dir);
        spit(dir / "summary.json", "{\"earlier\": true}\n");
        fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
    }
    const fs::path target = dir / "summary.json";
    try {
        writeFileAtomically(target.string(), "new");
        FAIL() << "write into a read-only folder succeeded";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(target.string()), std::string::npos) << msg;
        EXPECT_TRUE(msg.find("Read-only") != std::string::npos || msg.find("Permission") != std::string::npos) << msg;
    }
    EXPECT_EQ(readAll(target), "{\"earlier\": true}\n");
    if (!fsys)
        fs::permissions(dir, fs::perms::owner_all);
}

TEST(ReliabilityRunFiles, CorruptRunJsonNamesTheFile)
{
    struct Case {
        const char* what;
        std::string from, to, expect;
    };
    const std::vector<Case> cases = {
        {"not json", "{", "<", "not valid JSON"},
        {"future version", "\"format_version\": 2", "\"format_version\": 99", "newer featscale"},
        {"wrong type", "\"format_version\": 2", "\"format_version\": \"one\"", "malformed"},
        {"missing field", "\"threads\"", "\"thraeds\"", "threads"},
        {"unknown arch", "\"arch\": \"vgg16-reduced\"", "\"arch\": \"vgg99\"", "vgg99"},
        {"bad bins", "\"spec\": \"log:", "\"spec\": \"cubic:", "bin spec"},
    };
    for (const auto& c : cases) {
        const auto dir = writeSample("corrupt_run");
        replaceIn(dir / "run.json", c.from, c.to);
        const auto msg = readError(dir);
        EXPECT_NE(msg.find((dir / "run.json").string()), std::string::npos) << c.what << ": " << msg;
        EXPECT_NE(msg.find(c.expect), std::string::npos) << c.what << ": " << msg;
    }
    const auto dir = writeSample("truncated_run");
    const std::string whole = readAll(dir / "run.json");
    for (std::size_t cut : {std::size_t(0), std::size_t(1), whole.size() / 3, whole.size() - 3}) {
        spit(dir / "run.json", whole.substr(0, cut));
        EXPECT_NE(readError(dir).find("run.json"), std::string::npos) << cut;
    }
    fs::remove(dir / "run.json");
    EXPECT_NE(readError(dir).find("run.json: cannot open"), std::string::npos);
}

TEST(ReliabilityRunFiles, CorruptSummaryJsonNamesTheFile)
{
    const std::vector<std::pair<std::string, std::string>> edits = {
        {"\"format_version\": 2", "\"format_version\": 7"},
        {"\"images\":", "\"imagez\":"},
        {"\"count\": 4", "\"count\": -4"},
        {"\"original_size\": [", "\"original_size\": {\"w\":1}, \"x\": ["},
    };
    for (const auto& [from, to] : edits) {
        const auto dir = writeSample("corrupt_summary");
        replaceIn(dir / "summary.json", from, to);
        const auto msg = readError(dir);
        EXPECT_NE(msg.find((dir / "summary.json").string()), std::string::npos) << to << ": " << msg;
    }
    const auto dir = writeSample("truncated_summary");
    const std::string whole = readAll(dir / "summary.json");
    spit(dir / "summary.json", whole.substr(0, whole.size() / 2));
    EXPECT_NE(readError(dir).find("summary.json: not valid JSON"), std::string::npos);
}

TEST(ReliabilityRunFiles, HistogramMemoryIsBoundedByWhatTheFilesJustify)
{
    // A real run under a 90 000-bin scheme reads back.
    RunData run = sampleRun();
    run.meta.bins = BinScheme::parse("log:1e-3:1e6:10000");
    ASSERT_EQ(run.meta.bins.binCount(), 90000);
    for (auto& img : run.images)
        for (auto& s : img.stages) {
            const std::vector<float> v = {0.f, 2.5f, 41.f, 3e7f};
            s.hist = Histogram(run.meta.bins);
            s.hist.addAll(v);
        }
    const fs::path dir = tempDir() / "many_bins";
    fs::remove_all(dir);
    writeRun(run, dir.string());
    ASSERT_EQ(readError(dir), "");

    // The same directory with summary.json listing 6000 layer records (a few MB of JSON) would
    // ask for 6000 x 90 000 counters (4 GB): refused before allocating, naming the file.
    auto summary = nlohmann::json::parse(readAll(dir / "summary.json"));
    auto& layers = summary["images"][0]["layers"];
    const auto one = layers[0];
    for (int i = 0; i < 6000; ++i)
        layers.push_back(one);
    spit(dir / "summary.json", summary.dump());
    ASSERT_LT(fs::file_size(dir / "summary.json"), 16u << 20);
    const auto msg = readError(dir);
    EXPECT_NE(msg.find((dir / "summary.json").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("refusing to read it"), std::string::npos) << msg;
    EXPECT_NE(msg.find("90000 bins"), std::string::npos) << msg;
}

TEST(ReliabilityRunFiles, CorruptHistogramsCsvNamesFileAndLine)
{
    struct Case {
        std::string from, to, expect;
    };
    // line 2 is a.jpg's zero bin: "a.jpg,conv4_3,before,0,0,1"
    const std::vector<Case> cases = {
        {"a.jpg,conv4_3,before,0,0,1\n", "a.jpg,conv4_3,before,0,0,abc\n", "line 2: count 'abc'"},
        {"a.jpg,conv4_3,before,0,0,1\n", "a.jpg,conv4_3,before,0,0,-1\n", "line 2: count '-1'"},
        {"a.jpg,conv4_3,before,0,0,1\n", "a.jpg,conv4_3,before,0,0,99999999999999999999\n", "out of range"},
        {"a.jpg,conv4_3,before,0,0,1\n", "a.jpg,conv4_3,before,0,1\n", "line 2 has 5 fields"},
        {"a.jpg,conv4_3,before,0,0,1\n", "zzz.jpg,conv4_3,before,0,0,1\n", "no summary entry"},
        {"a.jpg,conv4_3,before,0,0,1\n", "a.jpg,conv4_3,before,1.2.3,4,1\n", "is not a number"},
        {"a.jpg,conv4_3,before,0,0,1\n", "a.jpg,conv4_3,before,2.5,4,1\n", "not a bin edge"},
        {"a.jpg,conv4_3,before,0,0,1\n", "\"a.jpg,conv4_3,before,0,0,1\n", "unterminated quoted field"},
    };
    for (const auto& c : cases) {
        const auto dir = writeSample("corrupt_hist");
        replaceIn(dir / "histograms.csv", c.from, c.to);
        const auto msg = readError(dir);
        EXPECT_NE(msg.find((dir / "histograms.csv").string()), std::string::npos) << c.to << ": " << msg;
        EXPECT_NE(msg.find(c.expect), std::string::npos) << c.to << ": " << msg;
    }
}
