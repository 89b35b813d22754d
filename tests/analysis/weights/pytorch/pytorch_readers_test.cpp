// SPDX-License-Identifier: GPL-3.0-or-later
// PyTorch zip and legacy files (and TorchScript) read through readWeightFile: every tensor equals
// what torch itself holds, bit for bit (sha256 of torch's own float32 conversion, written by
// make_fixtures.py), in file order, as owned contiguous float32 tensors.
#include "fixtures.h"

#include "analysis/weights/bytes/internal/file_bytes.h"
#include "analysis/weights/formats/pytorch/internal/pytorch_formats.h"
#include "analysis/weights/internal/state_dict.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace featscale::analysis::weights {
namespace {

using test::fixturePath;
using test::floatSha256;
using test::manifest;

bool anyWarningContains(const std::vector<std::string>& warnings, const std::string& text)
{
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

class FormatFile : public ::testing::TestWithParam<const char*> { };

TEST_P(FormatFile, TensorsEqualTorchsBitForBit)
{
    const std::string name = GetParam();
    const auto& expected = manifest("formats")["files"].at(name);
    const RawTensors raw = readWeightFile(fixturePath("formats", name));

    EXPECT_EQ(raw.format, expected["format"].get<std::string>());
    std::vector<std::string> names;
    for (const auto& [n, t] : raw.tensors)
        names.push_back(n);
    std::vector<std::string> expectedNames;
    for (const auto& t : expected["tensors"])
        expectedNames.push_back(t["name"].get<std::string>());
    ASSERT_EQ(names, expectedNames) << "names and order must be the file's (state_dict order for TorchScript)";

    for (const auto& want : expected["tensors"]) {
        const std::string wantName = want["name"].get<std::string>();
        auto found = std::find_if(raw.tensors.begin(), raw.tensors.end(),
                                  [&](const auto& e) { return e.first == wantName; });
        ASSERT_NE(found, raw.tensors.end());
        const torch::Tensor& t = found->second;
        SCOPED_TRACE(wantName + " (" + want["dtype"].get<std::string>() + ")");
        EXPECT_EQ(t.scalar_type(), torch::kFloat32);
        EXPECT_TRUE(t.is_contiguous());
        std::vector<long long> shape(t.sizes().begin(), t.sizes().end());
        EXPECT_EQ(shape, want["shape"].get<std::vector<long long>>());
        EXPECT_EQ(floatSha256(t), want["sha256"].get<std::string>());
    }
}

INSTANTIATE_TEST_SUITE_P(
    Pytorch, FormatFile,
    ::testing::Values("basic_zip.pth", "basic_legacy.pth", "basic_zip_protocol4.pth", "basic_legacy_protocol1.pth",
                      "basic_legacy_protocol5.pth", "basic_zip_other_folder.pth", "basic_zip64.pth", "dtypes_zip.pth",
                      "dtypes_legacy.pth", "views_zip.pth", "views_legacy.pth", "wrapped_state_dict.pth",
                      "wrapped_state_dict_legacy.pth", "wrapped_model.pth", "wrapped_net.pth",
                      "wrapped_model_state_dict.pth", "wrapped_twice.pth", "mixed_entries.pth", "bare_tensor.pth",
                      "python2_legacy.pth", "legacy_storage_views.pth", "tiny_script.pt"),
    [](const ::testing::TestParamInfo<const char*>& testInfo) {
        std::string s = testInfo.param;
        std::replace_if(
            s.begin(), s.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
        return s;
    });

TEST(PytorchReaders, ViewsShareOneStorageInTheFileButComeBackAsSeparateTensors)
{
    const std::string path = fixturePath("formats", "views_zip.pth");
    FileBytes file(path);
    const ParsedTensors parsed = parsePytorchZip(file.bytes(), path);
    auto find = [&](const std::string& n) {
        return *std::find_if(parsed.tensors.begin(), parsed.tensors.end(),
                             [&](const TensorSource& t) { return t.name == n; });
    };
    const TensorSource base = find("base");
    const TensorSource transposed = find("transposed");
    const TensorSource slice = find("slice");
    EXPECT_EQ(base.storage.data, transposed.storage.data);
    EXPECT_EQ(base.storage.data, slice.storage.data);
    EXPECT_EQ(transposed.strides, (std::vector<std::int64_t>{1, 8}));
    EXPECT_EQ(slice.offset, 2 * 8 + 1);

    RawTensors raw = readWeightFile(path);
    torch::Tensor baseCopy = raw.tensors[0].second;
    torch::Tensor transposedCopy = raw.tensors[1].second;
    EXPECT_NE(baseCopy.data_ptr(), transposedCopy.data_ptr());
    const float before = transposedCopy[0][1].item<float>();
    baseCopy.fill_(0.0f);
    EXPECT_EQ(transposedCopy[0][1].item<float>(), before) << "tensors must own their memory";
}

TEST(PytorchReaders, LegacyAndZipGiveTheSameTensors)
{
    for (const char* stem : {"basic", "dtypes", "views"}) {
        const RawTensors zip = readWeightFile(fixturePath("formats", std::string(stem) + "_zip.pth"));
        const RawTensors legacy = readWeightFile(fixturePath("formats", std::string(stem) + "_legacy.pth"));
        EXPECT_EQ(zip.format, "pytorch-zip");
        EXPECT_EQ(legacy.format, "pytorch-legacy");
        ASSERT_EQ(zip.tensors.size(), legacy.tensors.size());
        for (std::size_t i = 0; i < zip.tensors.size(); ++i)
            EXPECT_TRUE(torch::equal(zip.tensors[i].second.nan_to_num(7.0), legacy.tensors[i].second.nan_to_num(7.0)))
                << stem << ": " << zip.tensors[i].first;
    }
}

TEST(PytorchReaders, ConvertedTypesAreReported)
{
    const RawTensors raw = readWeightFile(fixturePath("formats", "dtypes_zip.pth"));
    EXPECT_TRUE(anyWarningContains(raw.warnings, "2 tensor(s) stored as float16, converted to float32"));
    EXPECT_TRUE(anyWarningContains(raw.warnings, "stored as bfloat16"));
    EXPECT_TRUE(anyWarningContains(raw.warnings, "stored as float64"));
    const RawTensors plain = readWeightFile(fixturePath("formats", "basic_zip.pth"));
    EXPECT_FALSE(anyWarningContains(plain.warnings, "converted"));
}

TEST(PytorchReaders, CheckpointWrappersAreUnwrappedAndTheRestIgnoredWithANote)
{
    const RawTensors mmcv = readWeightFile(fixturePath("formats", "wrapped_state_dict.pth"));
    EXPECT_TRUE(anyWarningContains(mmcv.warnings, "state dict read from checkpoint entry ['state_dict']"));
    EXPECT_TRUE(anyWarningContains(mmcv.warnings, "'optimizer' (dict)"));
    EXPECT_TRUE(anyWarningContains(mmcv.warnings, "'meta' (dict)"));
    const RawTensors twice = readWeightFile(fixturePath("formats", "wrapped_twice.pth"));
    EXPECT_TRUE(anyWarningContains(twice.warnings, "['model']['state_dict']"));
    const RawTensors mixed = readWeightFile(fixturePath("formats", "mixed_entries.pth"));
    EXPECT_TRUE(anyWarningContains(mixed.warnings, "2 non-tensor entries ignored: 'epoch' (int), 'note' (str)"));
}

TEST(PytorchReaders, ABareTensorIsNamedTensor)
{
    const RawTensors raw = readWeightFile(fixturePath("formats", "bare_tensor.pth"));
    ASSERT_EQ(raw.tensors.size(), 1u);
    EXPECT_EQ(raw.tensors[0].first, "tensor");
    EXPECT_FLOAT_EQ(raw.tensors[0].second[0].item<float>(), 5.0f);
    EXPECT_FLOAT_EQ(raw.tensors[0].second[511].item<float>(), 25.0f);
}

TEST(PytorchReaders, EveryHalfBitPatternConvertsExactly)
{
    // Independent of torch: check the fp16 decoding against the IEEE definition for all 65536 codes.
    const RawTensors raw = readWeightFile(fixturePath("formats", "dtypes_legacy.pth"));
    auto it = std::find_if(raw.tensors.begin(), raw.tensors.end(),
                           [](const auto& e) { return e.first == "all_halves"; });
    ASSERT_NE(it, raw.tensors.end());
    const float* v = it->second.data_ptr<float>();
    for (int code = 0; code < 65536; ++code) {
        const int sign = code >> 15, exp = (code >> 10) & 31, mant = code & 1023;
        const double magnitude = exp == 0 ? std::ldexp(mant, -24) : std::ldexp(1024 + mant, exp - 25);
        const float x = v[code];
        if (exp == 31 && mant != 0) {
            EXPECT_TRUE(std::isnan(x)) << code;
        } else if (exp == 31) {
            EXPECT_TRUE(std::isinf(x) && std::signbit(x) == (sign == 1)) << code;
        } else {
            EXPECT_EQ(static_cast<double>(x), sign ? -magnitude : magnitude) << code;
            EXPECT_EQ(std::signbit(x), sign == 1) << code;
        }
    }
}

TEST(PytorchReaders, MissingEmptyAndDirectoryPathsAreClearErrors)
{
    const std::string dir = test::fixtureDir("formats");
    EXPECT_THROW(readPytorchZip(dir), Error);
    EXPECT_THROW(readPytorchLegacy(dir + "/does-not-exist.pth"), Error);
    try {
        readPytorchLegacy(dir);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(dir), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos);
    }
}

} // namespace
} // namespace featscale::analysis::weights
