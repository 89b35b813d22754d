// SPDX-License-Identifier: GPL-3.0-or-later
// The pieces under the downloader: MD5 against RFC 1321's vectors and md5sum, both digests of a
// file against md5sum/sha256sum, the remembered-digest cache, catalogue destinations and limits.
#include "analysis/core/types.h"
#include "analysis/weights/download/catalog.h"
#include "analysis/weights/download/download.h"
#include "analysis/weights/download/verified_files.h"
#include "analysis/weights/hash/md5.h"

#include <gtest/gtest.h>

#include <optional>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <unistd.h>
#include <vector>

namespace featscale::analysis::weights {
namespace {

namespace fs = std::filesystem;

std::string md5Of(const std::string& s, std::size_t piece = 0)
{
    Md5 m;
    if (piece == 0)
        piece = s.size() + 1;
    for (std::size_t i = 0; i < s.size(); i += piece)
        m.update(reinterpret_cast<const unsigned char*>(s.data() + i), std::min(piece, s.size() - i));
    return m.hexDigest();
}

/// First word of a command's output (the digest of md5sum/sha256sum).
std::string tool(const std::string& command)
{
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        return {};
    char buf[256] = {0};
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, p);
    ::pclose(p);
    std::string out(buf, n);
    return out.substr(0, out.find(' '));
}

class ScratchDir : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("featscale-download-engine-" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
        const char* old = std::getenv("XDG_CACHE_HOME");
        m_oldXdg = old ? std::optional<std::string>(old) : std::nullopt;
        setenv("XDG_CACHE_HOME", (m_dir / "xdg").c_str(), 1);
    }
    void TearDown() override
    {
        if (m_oldXdg)
            setenv("XDG_CACHE_HOME", m_oldXdg->c_str(), 1);
        else
            unsetenv("XDG_CACHE_HOME");
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    std::string write(const std::string& name, const std::string& bytes)
    {
        const std::string p = (m_dir / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    fs::path m_dir;
    std::optional<std::string> m_oldXdg;
};

TEST(Md5, Rfc1321TestSuite)
{
    EXPECT_EQ(md5Of(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5Of("a"), "0cc175b9c0f1b6a831c399e269772661");
    EXPECT_EQ(md5Of("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(md5Of("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    EXPECT_EQ(md5Of("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
    EXPECT_EQ(md5Of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
              "d174ab98d277d9f5a5611c2c9f419d9f");
    EXPECT_EQ(md5Of("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
              "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_F(ScratchDir, DigestsMatchMd5sumAndSha256sumWhateverThePieces)
{
    std::mt19937 rng(7);
    // Lengths around the 64-byte block and the 56-byte padding boundary, and a few MB.
    for (std::size_t len : {55u, 56u, 63u, 64u, 65u, 119u, 120u, 3u * 1024 * 1024 + 17}) {
        std::string bytes(len, '\0');
        for (char& c : bytes)
            c = static_cast<char>(rng());
        const std::string path = write("blob" + std::to_string(len), bytes);
        const std::string md5 = tool("md5sum '" + path + "'");
        const std::string sha = tool("sha256sum '" + path + "'");
        ASSERT_EQ(md5.size(), 32u);
        EXPECT_EQ(md5Of(bytes), md5) << len;
        EXPECT_EQ(md5Of(bytes, 7), md5) << len;
        EXPECT_EQ(md5Of(bytes, 64), md5) << len;
        const FileDigests d = computeDigests(path);
        EXPECT_EQ(d.md5, md5) << len;
        EXPECT_EQ(d.sha256, sha) << len;
    }
}

TEST_F(ScratchDir, RememberedDigestsAreDroppedWhenTheFileChanges)
{
    const std::string path = write("w.pth", std::string(5000, 'a'));
    EXPECT_FALSE(cachedDigests(path));
    const FileDigests first = fileDigests(path);
    EXPECT_EQ(first.sha256, tool("sha256sum '" + path + "'"));
    ASSERT_TRUE(cachedDigests(path));
    EXPECT_TRUE(fs::exists(m_dir / "xdg" / "featscale" / "verified-weights.json"));
    // The cache is what answers now: an entry with a wrong digest for this stamp would be believed,
    // so a rewrite (same size, new bytes, new mtime) must invalidate it.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    write("w.pth", std::string(5000, 'b'));
    EXPECT_FALSE(cachedDigests(path));
    EXPECT_EQ(fileDigests(path).sha256, tool("sha256sum '" + path + "'"));
}

TEST_F(ScratchDir, CheckEntryFileComparesTheCatalogueHash)
{
    const std::string path = write("x.h5", "keras bytes");
    CatalogEntry e;
    e.name = "x";
    e.file = "x.h5";
    e.hashKind = HashKind::Md5;
    e.hash = tool("md5sum '" + path + "'").substr(0, 8);
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Unverified); // nothing read yet
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/true).state, FileState::Verified);
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Verified); // remembered
    e.hash = "00000000";
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Mismatch);
    EXPECT_EQ(checkEntryFile(e, (m_dir / "absent").string(), true).state, FileState::Missing);
}

TEST(Catalog, MirrorAndDestinations)
{
    const CatalogEntry* vgg = findEntry(builtinCatalog(), "vgg16");
    ASSERT_TRUE(vgg);
    CatalogSettings s;
    EXPECT_EQ(downloadUrl(*vgg, s), "https://download.pytorch.org/models/vgg16-397923af.pth");
    s.mirror = "http://lab.example/weights//";
    EXPECT_EQ(downloadUrl(*vgg, s), "http://lab.example/weights/vgg16-397923af.pth");
    s.toDir = "/data/w";
    EXPECT_EQ(destinationPath(*vgg, s), "/data/w/vgg16-397923af.pth");
    EXPECT_EQ(describeSize(*vgg), "528 MB"); // 553 433 881 bytes, as torch.hub prints it
    EXPECT_EQ(describeSize(*findEntry(builtinCatalog(), "ssd300-coco")), "136 MB");
}

/// The Error readLabCatalog throws for a catalogue file with this content ("" when it parses).
std::string labError(const std::string& json)
{
    const std::string path =
        (fs::temp_directory_path() / ("featscale-lab-" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(path) << json;
    try {
        loadCatalog(CatalogSettings{path, "", ""});
    } catch (const Error& e) {
        fs::remove(path);
        return e.what();
    }
    fs::remove(path);
    return "";
}

TEST(LabCatalog, MalformedEntriesAreNamed)
{
    const std::string good =
        R"({"name": "lab", "file": "lab.pth", "url": "https://lab.example/lab.pth", "sha256": "0123abcd"})";
    struct Case {
        std::string json;
        std::vector<std::string> needles;
    };
    const std::vector<Case> cases = {
        {"[" + good + R"(, {"name": "nohash", "file": "x.pth", "url": "http://x/x.pth"}])",
         {"entry 2", "\"nohash\"", "sha256"}},
        {"[" + good + R"(, {"name": "short", "file": "x.pth", "url": "http://x/x.pth", "sha256": "397923a"}])",
         {"entry 2", "\"short\"", "at least 8"}},
        {R"([{"name": "nothex", "file": "x.pth", "url": "http://x/x.pth", "md5": "xyz12345"}])",
         {"entry 1", "\"nothex\"", "md5"}},
        {R"([{"name": "long", "file": "x.pth", "url": "http://x/x.pth", "md5": "0123456789abcdef0123456789abcdef0"}])",
         {"entry 1", "\"long\"", "32 hex digits"}},
        {R"([{"name": "both", "file": "x.pth", "url": "http://x/x.pth", "md5": "01234567", "sha256": "01234567"}])",
         {"entry 1", "\"both\"", "exactly one"}},
        {R"([{"name": "escape", "file": "../evil.pth", "url": "http://x/x.pth", "sha256": "01234567"}])",
         {"entry 1", "\"escape\"", "plain file name"}},
        {R"([{"name": "ftp", "file": "x.pth", "url": "ftp://x/x.pth", "sha256": "01234567"}])",
         {"\"ftp\"", "https://"}},
        {R"([{"name": "vgg16", "file": "x.pth", "url": "http://x/x.pth", "sha256": "01234567"}])",
         {"\"vgg16\"", "built-in"}},
        {"[" + good + "," + good + "]", {"entry 2", "\"lab\"", "used twice"}},
        {R"([{"name": "sized", "file": "x.pth", "url": "http://x/x.pth", "sha256": "01234567", "size": "big"}])",
         {"\"sized\"", "size"}},
        {R"([{"name": "typo", "file": "x.pth", "url": "http://x/x.pth", "sha256": "01234567", "sizee": 3}])",
         {"\"typo\"", "unknown key \"sizee\""}},
        {R"([{"file": "x.pth", "url": "http://x/x.pth", "sha256": "01234567"}])", {"entry 1", "missing \"name\""}},
        {R"([{"name": "bad name", "file": "x.pth", "url": "http://x/x.pth", "sha256": "01234567"}])", {"\"bad name\""}},
        {R"(["vgg16"])", {"entry 1", "expected an object"}},
        {R"({"name": "lab"})", {"expected a JSON array"}},
        {R"([{"name": "lab",)", {"not valid JSON"}},
    };
    for (const Case& c : cases) {
        const std::string msg = labError(c.json);
        SCOPED_TRACE(c.json + "\n -> " + msg);
        EXPECT_NE(msg.find("lab catalogue"), std::string::npos);
        for (const std::string& n : c.needles)
            EXPECT_NE(msg.find(n), std::string::npos) << n;
    }
    // A valid one: prefix digits lowercased, size and description kept, destination by extension.
    const std::string path =
        (fs::temp_directory_path() / ("featscale-lab-ok-" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(path) << R"([{"name": "k", "file": "k.h5", "url": "http://x/k.h5", "md5": "ABCDEF0123", "size": 12,
                               "description": "lab Keras file"}])";
    const auto entries = readLabCatalog(path);
    fs::remove(path);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].hash, "abcdef0123");
    EXPECT_EQ(entries[0].hashKind, HashKind::Md5);
    EXPECT_EQ(entries[0].sizeBytes, 12u);
    EXPECT_EQ(entries[0].description, "lab Keras file");
    EXPECT_TRUE(entries[0].lab);
    setenv("KERAS_HOME", "/k", 1);
    EXPECT_EQ(destinationPath(entries[0], CatalogSettings{}), "/k/models/k.h5");
    unsetenv("KERAS_HOME");
    EXPECT_EQ(labError("[]"), "");
}

TEST(DownloadLimits, EnvironmentOverridesAreParsedOrRefused)
{
    setenv("FEATSCALE_DOWNLOAD_LOW_SPEED", "500:3", 1);
    setenv("FEATSCALE_DOWNLOAD_RETRIES", "2:0.25", 1);
    DownloadLimits l = DownloadLimits::fromEnvironment();
    EXPECT_EQ(l.lowSpeedBytes, 500);
    EXPECT_EQ(l.lowSpeedSeconds, 3);
    EXPECT_EQ(l.retries, 2);
    EXPECT_DOUBLE_EQ(l.backoffSeconds, 0.25);
    setenv("FEATSCALE_DOWNLOAD_LOW_SPEED", "fast", 1);
    EXPECT_THROW(DownloadLimits::fromEnvironment(), Error);
    setenv("FEATSCALE_DOWNLOAD_LOW_SPEED", "500:0", 1);
    EXPECT_THROW(DownloadLimits::fromEnvironment(), Error);
    unsetenv("FEATSCALE_DOWNLOAD_LOW_SPEED");
    setenv("FEATSCALE_DOWNLOAD_RETRIES", "2:soon", 1);
    EXPECT_THROW(DownloadLimits::fromEnvironment(), Error);
    unsetenv("FEATSCALE_DOWNLOAD_RETRIES");
    l = DownloadLimits::fromEnvironment();
    EXPECT_EQ(l.lowSpeedSeconds, 30);
    EXPECT_EQ(l.retries, 4);
}

} // namespace
} // namespace featscale::analysis::weights
