// SPDX-License-Identifier: GPL-3.0-or-later
// norm_maps.npz's writer against numpy's reader (np.load): keys, dtype, shapes and values; the
// zip64 records past 65 534 maps; nothing at the path until the archive is published.
#include "analysis/runs/norm_map_archive.h"
#include "tests/support/scratch_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace featscale::analysis;
namespace fs = std::filesystem;

namespace {

fs::path tempDir() { return featscale::test::scratchDir("featscale_npz"); }

// Runs a numpy check on the archive; the script exits non-zero (with a message) on a mismatch.
int numpyCheck(const fs::path& npz, const std::string& script)
{
    const fs::path py = tempDir() / "check.py";
    std::ofstream(py) << "import sys\nimport numpy as np\nz = np.load(sys.argv[1])\n" << script;
    const std::string cmd = std::string(FEATSCALE_PYTHON) + " " + py.string() + " " + npz.string();
    return std::system(cmd.c_str());
}

} // namespace

TEST(NormMapArchive, NumpyReadsKeysShapesAndValues)
{
    const fs::path path = tempDir() / "maps.npz";
    NormMapArchive archive(path.string());
    std::vector<float> a(3 * 5), b(38 * 38);
    for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = 0.25f * static_cast<float>(i) - 1.0f;
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = 1e-8f * static_cast<float>(i * i);
    archive.add("photos/cat.jpg:conv4_3:before", 3, 5, a.data());
    archive.add("\\xff name:with:colons.jpg:fc7:after", 38, 38, b.data());
    archive.add("empty:fc7:before", 0, 0, nullptr);
    EXPECT_EQ(archive.maps(), 3u);
    archive.close().publish();
    EXPECT_EQ(numpyCheck(path, "assert sorted(z.files) == sorted(['photos/cat.jpg:conv4_3:before',\n"
                               "    '\\\\xff name:with:colons.jpg:fc7:after', 'empty:fc7:before']), z.files\n"
                               "a = z['photos/cat.jpg:conv4_3:before']\n"
                               "assert a.dtype == np.float32 and a.shape == (3, 5), (a.dtype, a.shape)\n"
                               "assert (a == (0.25 * np.arange(15, dtype=np.float32) - 1).reshape(3, 5)).all(), a\n"
                               "b = z['\\\\xff name:with:colons.jpg:fc7:after']\n"
                               "i = np.arange(38 * 38, dtype=np.float64)\n"
                               "assert b.shape == (38, 38) and (b == (np.float32(1e-8) * (i * "
                               "i).astype(np.float32)).reshape(38, 38)).all()\n"
                               "assert z['empty:fc7:before'].shape == (0, 0)\n"),
              0);
    fs::remove(path);
}

TEST(NormMapArchive, Zip64PastTheZipEntryLimit)
{
    const fs::path path = tempDir() / "many.npz";
    constexpr int kMaps = 70000; // plain zip counts entries in 16 bits
    {
        NormMapArchive archive(path.string());
        for (int i = 0; i < kMaps; ++i) {
            const float v = static_cast<float>(i);
            archive.add("m" + std::to_string(i), 1, 1, &v);
        }
        archive.close().publish();
    }
    // zipfile walks the central directory by its size, so it would list every map even from a
    // plain end record with a wrapped count: check the zip64 end record itself too
    EXPECT_EQ(numpyCheck(path,
                         "import zipfile\n"
                         "with open(sys.argv[1], 'rb') as f:\n"
                         "    end = zipfile._EndRecData(f)\n"
                         "assert end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64, end\n"
                         "assert end[zipfile._ECD_ENTRIES_TOTAL] == 70000, end\n"
                         "assert len(z.files) == 70000, len(z.files)\n"
                         "assert z['m0'][0, 0] == 0 and z['m65535'][0, 0] == 65535 and z['m69999'][0, 0] == 69999\n"),
              0);
    fs::remove(path);
}

TEST(NormMapArchive, NothingAppearsUntilPublished)
{
    const fs::path path = tempDir() / "unpublished.npz";
    {
        NormMapArchive archive(path.string());
        const float v = 1;
        archive.add("x", 1, 1, &v);
        archive.close();
    }
    EXPECT_FALSE(fs::exists(path));
    for (const auto& entry : fs::directory_iterator(tempDir()))
        EXPECT_EQ(entry.path().filename().string().rfind(".unpublished", 0), std::string::npos) << entry.path();
    fs::remove_all(tempDir());
}
