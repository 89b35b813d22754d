// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and damaged PyTorch files: each is refused with an Error naming the file and the problem,
// nothing from the file runs (the payloads would create marker files; make_fixtures.py proved they
// do under Python's own unpickler), and nothing is allocated from unchecked sizes.
#include "fixtures.h"

#include "analysis/weights/internal/state_dict.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;
using test::fixtureDir;
using test::fixturePath;
using test::manifest;

std::string loadError(const std::string& path)
{
    try {
        const RawTensors raw = readWeightFile(path);
        mapToCanonical(raw, std::nullopt, path);
    } catch (const Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("not a featscale Error: ") + e.what();
    }
    return "loaded without error";
}

bool markersEmpty()
{
    const std::string markers = manifest("formats")["markers"].get<std::string>();
    return fs::is_directory(markers) && fs::is_empty(markers);
}

class HostileFile : public ::testing::TestWithParam<const char*> { };

TEST_P(HostileFile, IsRefusedWithAClearErrorAndNothingRuns)
{
    const std::string name = GetParam();
    const std::string expected = manifest("formats")["hostile"].at(name).get<std::string>();
    const std::string path = fixturePath("formats", "hostile/" + name);
    ASSERT_TRUE(markersEmpty());
    const std::string error = loadError(path);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find(expected), std::string::npos) << "expected \"" << expected << "\" in: " << error;
    EXPECT_TRUE(markersEmpty()) << "a payload ran";
}

const char* const kHostileFiles[] = {"os_system_zip.pth",
                                     "os_system_legacy.pth",
                                     "os_system_zip_protocol4.pth",
                                     "builtins_eval_zip.pth",
                                     "builtins_eval_legacy.pth",
                                     "builtins_eval_zip_protocol4.pth",
                                     "builtins_exec_zip.pth",
                                     "builtins_exec_legacy.pth",
                                     "builtins_exec_zip_protocol4.pth",
                                     "subprocess_popen_zip.pth",
                                     "subprocess_popen_legacy.pth",
                                     "subprocess_popen_zip_protocol4.pth",
                                     "raw_global_os_system.pth",
                                     "raw_stack_global_os_system.pth",
                                     "nested_reduce_getattr.pth",
                                     "reduce_on_result.pth",
                                     "torch_load.pth",
                                     "dotted_name.pth",
                                     "inst_opcode.pth",
                                     "torchscript_setstate.pt",
                                     "whole_module_legacy.pth",
                                     "whole_module_zip.pth",
                                     "wrong_magic.pth",
                                     "absurd_count.pth",
                                     "negative_count.pth",
                                     "count_plus_one.pth",
                                     "storage_claims_more.pth",
                                     "view_beyond_storage.pth",
                                     "zip_bomb.pth",
                                     "missing_record.pth",
                                     "zip_huge_entry.pth",
                                     "crc_mismatch.pth",
                                     "overlapping_views.pth",
                                     "expand_bomb.pth",
                                     "deep_nesting.pth",
                                     "self_reference.pth",
                                     "huge_binunicode8.pth",
                                     "huge_binstring.pth",
                                     "huge_frame.pth",
                                     "huge_long4.pth",
                                     "negative_binstring.pth",
                                     "bad_memo.pth",
                                     "underflow.pth",
                                     "no_mark.pth"};

INSTANTIATE_TEST_SUITE_P(Pytorch, HostileFile, ::testing::ValuesIn(kHostileFiles),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                             std::string s = param.param;
                             return s.substr(0, s.find('.'));
                         });

// Every hostile file the generator wrote is in the list above, and every listed one was written:
// the names, not just their number.
TEST(HostileFiles, AllGeneratedFilesAreTested)
{
    std::set<std::string> generated;
    for (const auto& item : manifest("formats")["hostile"].items())
        generated.insert(item.key());
    const std::set<std::string> tested(std::begin(kHostileFiles), std::end(kHostileFiles));
    EXPECT_EQ(generated, tested);
    EXPECT_EQ(tested.size(), 44u);
}

// torch::jit::load would print the marker from the module's __setstate__ (make_fixtures.py checks
// that it does); reading the archive must not.
TEST(HostileFiles, TorchScriptSetstateIsNeverRun)
{
    const std::string path = fixturePath("formats", "hostile/torchscript_setstate.pt");
    ::testing::internal::CaptureStdout();
    const std::string error = loadError(path);
    const std::string printed = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(printed.find("FEATSCALE-SETSTATE-RAN"), std::string::npos) << printed;
    EXPECT_NE(error.find("module (root) (__torch__."), std::string::npos) << error;
}

// 20 cut points spread over each file, from inside the header to the last byte: every prefix is
// refused as truncated, naming the file.
class TruncatedFile : public ::testing::TestWithParam<const char*> { };

TEST_P(TruncatedFile, EveryCutIsReportedAsTruncated)
{
    const std::string source = fixturePath("formats", GetParam());
    std::ifstream in(source, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 100u);
    const fs::path dir = fs::path(fixtureDir("formats")) / ("truncated-" + fs::path(source).stem().string());
    fs::create_directories(dir);
    constexpr int kCuts = 20;
    for (int i = 0; i < kCuts; ++i) {
        // First cut inside the first record's header, last one byte short of the end.
        const std::size_t cut = 16 + (bytes.size() - 17) * static_cast<std::size_t>(i) / (kCuts - 1);
        const std::string path = (dir / ("cut-" + std::to_string(cut) + ".pth")).string();
        {
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out.write(bytes.data(), static_cast<std::streamsize>(cut));
        }
        const std::string error = loadError(path);
        EXPECT_NE(error.find(path), std::string::npos) << error;
        EXPECT_NE(error.find("truncated"), std::string::npos) << "cut at " << cut << ": " << error;
        fs::remove(path);
    }
}

INSTANTIATE_TEST_SUITE_P(Pytorch, TruncatedFile,
                         ::testing::Values("basic_zip.pth", "basic_zip64.pth", "basic_legacy.pth", "views_legacy.pth",
                                           "dtypes_zip.pth", "python2_legacy.pth", "wrapped_state_dict_legacy.pth"),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                             std::string s = param.param;
                             return s.substr(0, s.find('.'));
                         });

} // namespace
} // namespace featscale::analysis::weights
