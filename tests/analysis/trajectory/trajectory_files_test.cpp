// SPDX-License-Identifier: GPL-3.0-or-later
// Trajectory directories: what TrajectoryWriter writes, readTrajectory reads back to the same values
// (hand-made γ vectors and scales); hostile or damaged files are refused naming the file, line and
// problem; checkpoints are ordered by step with ties and unnumbered files in the order given; steps
// come from file names as each project names its snapshots.
#include "analysis/trajectory/checkpoint_gammas.h"
#include "analysis/trajectory/trajectory_files.h"
#include "tests/support/scratch_files.h"

#include "analysis/core/csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() { return featscale::test::scratchDir("featscale_trajectory"); }
using featscale::test::readAll;

void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

TrajectoryCheckpoint checkpoint(const std::string& path, int given, std::optional<std::int64_t> step,
                                std::vector<float> gamma)
{
    TrajectoryCheckpoint c;
    c.path = path;
    c.given = given;
    c.step = step;
    c.stepSource = step ? "file name" : "";
    c.gammas["conv4_3"] = std::move(gamma);
    return c;
}

std::string writeSample(const std::string& name)
{
    const fs::path dir = tempDir() / name;
    TrajectoryWriter w(dir.string(), {"a note"}, /*images=*/2);
    CheckpointScales scales;
    scales.reference = "fc7";
    scales.images = 2;
    scales.stages = {{"conv4_3", Stage::Before, 400.0, 100.0, 900.0, 3.25, 4.0, true},
                     {"conv4_3", Stage::After, 20.0, 19.0, 21.0, 0.5, 0.2, true},
                     {"fc7", Stage::Before, 100.0, 10.0, 300.0, 1.5, 1.0, true}};
    w.add(checkpoint("ckpt,one=1.pth", 1, 10, {20.0f, 20.0f, 20.0f, 20.0f}), &scales);
    w.add(checkpoint("b.pth", 0, std::nullopt, {1.0f, 2.0f, 3.0f, 4.5f}), &scales);
    w.addFailure(checkpoint("bad.pth", 2, 5, {}), "bad.pth: damaged zip archive");
    w.finish();
    return dir.string();
}

} // namespace

TEST(TrajectoryFiles, ReadBackGivesWhatWasWritten)
{
    const std::string dir = writeSample("roundtrip");
    const TrajectoryData t = readTrajectory(dir);
    ASSERT_EQ(t.checkpoints.size(), 2u);
    EXPECT_EQ(t.checkpoints[0].checkpoint, "ckpt,one=1.pth");
    EXPECT_EQ(t.checkpoints[0].step, 10);
    EXPECT_EQ(t.checkpoints[0].stepSource, "file name");
    EXPECT_FALSE(t.checkpoints[1].step.has_value());
    EXPECT_EQ(t.checkpoints[1].gammas.at("conv4_3"), (std::vector<float>{1.0f, 2.0f, 3.0f, 4.5f}));
    ASSERT_EQ(t.checkpoints[0].scales.size(), 3u);
    EXPECT_EQ(t.checkpoints[0].scales[1].layer, "conv4_3");
    EXPECT_EQ(t.checkpoints[0].scales[1].stage, Stage::After);
    EXPECT_EQ(t.checkpoints[0].scales[1].median, 20.0);
    EXPECT_EQ(t.checkpoints[0].scales[0].meanAbs, 3.25);
    EXPECT_EQ(t.checkpoints[0].scales[0].ratio, 4.0);
    EXPECT_EQ(t.checkpoints[0].images, 2u);
    EXPECT_EQ(t.reference, "fc7");
    ASSERT_EQ(t.failed.size(), 1u);
    EXPECT_EQ(t.failed[0].first, "bad.pth");
    EXPECT_EQ(t.notes, std::vector<std::string>{"a note"});
    // the uniform γ of the first checkpoint is flagged, the spread one not
    ASSERT_EQ(t.flags.size(), 1u);
    EXPECT_NE(t.flags[0].find("one shared scale would do (Caffe `channel_shared`)"), std::string::npos);
    // γ summary by hand: 1, 2, 3, 4.5 -> mean 2.625, population std sqrt(1.671875), cv std / mean
    const auto rows = parseCsv(readAll(fs::path(dir) / "trajectory.csv"), "trajectory.csv");
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [](const auto& r) { return r[0] == "b.pth" && r[4] == "gamma"; });
    ASSERT_NE(row, rows.end());
    EXPECT_EQ((*row)[5], "4");
    EXPECT_EQ((*row)[6], "2.625");
    EXPECT_NEAR(std::stod((*row)[7]), std::sqrt(1.671875), 1e-14);
    EXPECT_EQ((*row)[8], "1");
    EXPECT_EQ((*row)[9], "4.5");
    EXPECT_NEAR(std::stod((*row)[10]), std::sqrt(1.671875) / 2.625, 1e-14);
    EXPECT_EQ((*row)[11], "false");
    EXPECT_EQ((*row)[12], ""); // no scale on a γ row
}

TEST(TrajectoryFiles, DamagedFilesAreRefusedNamingFileAndLine)
{
    const std::string dir = writeSample("damaged");
    const std::string gamma = readAll(fs::path(dir) / "gamma.csv");
    auto refused = [&](const std::string& file, const std::string& content, const std::string& needle) {
        const std::string original = readAll(fs::path(dir) / file);
        spit(fs::path(dir) / file, content);
        try {
            readTrajectory(dir);
            ADD_FAILURE() << file << " accepted: " << content.substr(0, 200);
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
        }
        spit(fs::path(dir) / file, original);
    };
    refused("gamma.csv", "checkpoint,step,layer,channel,gamma\n\"ckpt,one=1.pth\",10,conv4_3,1,20\n",
            "line 2: channel 1 of conv4_3 follows no channel");
    refused("gamma.csv", "checkpoint,step,layer,channel,gamma\nb.pth,,conv4_3,0,abc\n", "line 2: gamma 'abc'");
    refused("gamma.csv", "checkpoint,step,layer,channel,gamma\nb.pth,,conv4_3,0,inf\n", "is not a finite float");
    refused("gamma.csv", "checkpoint,step,layer,channel,gamma\nother.pth,,conv4_3,0,1\n", "is not among");
    refused("gamma.csv", "checkpoint,step,layer\n", "line 1: header");
    refused("gamma.csv", gamma + "b.pth,,conv4_3,4\n", "fields, expected 5");
    refused("trajectory.csv",
            std::string(kTrajectoryCsvHeader) + "\nb.pth,,,conv4_3,middle,,,,,,,,2,1,1,1,1,fc7,1,exact\n",
            "stage 'middle'");
    refused("trajectory.json", "{\"format\": \"featscale-trajectory\", \"format_version\": 2}", "format_version 2");
    refused("trajectory.json", "{\"format\": \"featscale-trajectory\"", "malformed");
    // a FIFO in place of a file is refused at once, not waited on
    const fs::path fifo = fs::path(dir) / "gamma.csv";
    fs::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_THROW(
        {
            try {
                readTrajectory(dir);
            } catch (const Error& e) {
                EXPECT_NE(std::string(e.what()).find("a FIFO, not a regular file"), std::string::npos) << e.what();
                throw;
            }
        },
        Error);
}

TEST(TrajectoryOrder, ByStepTiesAndUnnumberedKeepTheOrderGiven)
{
    Trajectory t;
    t.checkpoints = {checkpoint("c", 0, 300, {1}),  checkpoint("none1", 1, std::nullopt, {1}),
                     checkpoint("a", 2, 100, {1}),  checkpoint("b2", 3, 200, {1}),
                     checkpoint("b1", 4, 200, {1}), checkpoint("none0", 5, std::nullopt, {1})};
    orderByStep(t);
    std::vector<std::string> order;
    for (const auto& c : t.checkpoints)
        order.push_back(c.path);
    EXPECT_EQ(order, (std::vector<std::string>{"a", "b2", "b1", "c", "none1", "none0"}));
    ASSERT_EQ(t.notes.size(), 2u);
    EXPECT_EQ(t.notes[0], "2 checkpoints share step 200 and keep the order given: b2, b1");
    EXPECT_NE(t.notes[1].find("2 checkpoint(s) without a step"), std::string::npos);
}

TEST(TrajectoryOrder, StepsFromFileNames)
{
    std::string source;
    EXPECT_EQ(stepFromFileName("weights/ssd300_COCO_115000.pth", &source), 115000);
    EXPECT_EQ(source, "file name");
    EXPECT_EQ(stepFromFileName("RefineDet320_VOC_epoches_240.pth"), 240);
    EXPECT_EQ(stepFromFileName("VGG_VOC0712_SSD_300x300_iter_120000.caffemodel", &source), 120000);
    EXPECT_EQ(source, "file name _iter_N");
    EXPECT_EQ(stepFromFileName("work_dirs/epoch_12.pth"), 12);
    EXPECT_EQ(stepFromFileName("sfd_face_v2.pth"), 2);
    EXPECT_FALSE(stepFromFileName("latest.pth", &source).has_value());
    EXPECT_EQ(source, "");
    EXPECT_FALSE(stepFromFileName("ckpt_99999999999999999999999.pth").has_value()); // beyond int64: not a step
}

TEST(TrajectoryGamma, SummaryAgainstHandValues)
{
    const GammaSummary s = summarizeGamma({2.0f, 4.0f, 4.0f, 4.0f, 5.0f, 5.0f, 7.0f, 9.0f});
    EXPECT_EQ(s.channels, 8);
    EXPECT_DOUBLE_EQ(s.mean, 5.0);
    EXPECT_DOUBLE_EQ(s.std, 2.0); // the textbook example: population std 2
    EXPECT_DOUBLE_EQ(s.min, 2.0);
    EXPECT_DOUBLE_EQ(s.max, 9.0);
    EXPECT_DOUBLE_EQ(s.cv, 0.4);
    EXPECT_FALSE(s.nearUniform);
    EXPECT_TRUE(summarizeGamma({13.25f, 13.25f, 13.26f}).nearUniform);
}
