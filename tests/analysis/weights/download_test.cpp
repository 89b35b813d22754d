// SPDX-License-Identifier: GPL-3.0-or-later
// The pieces under the downloader: MD5 and SHA-256 (libcrypto) against RFC 1321's and FIPS 180's
// vectors and md5sum/sha256sum, the remembered-digest cache, full-digest-only checks, catalogue
// destinations, lab catalogue bounds and limits.
#include "analysis/core/types.h"
#include "analysis/weights/download/catalog.h"
#include "analysis/weights/download/download.h"
#include "analysis/weights/download/verified_files.h"
#include "analysis/weights/hash/md5.h"
#include "analysis/weights/hash/sha256.h"

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

std::string sha256Of(const std::string& s, std::size_t piece = 0)
{
    Sha256 h;
    if (piece == 0)
        piece = s.size() + 1;
    for (std::size_t i = 0; i < s.size(); i += piece)
        h.update(reinterpret_cast<const unsigned char*>(s.data() + i), std::min(piece, s.size() - i));
    return h.hexDigest();
}

TEST(Sha256, FipsVectors)
{
    EXPECT_EQ(sha256Of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 5),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256Of(std::string(1000000, 'a'), 4099),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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
        EXPECT_EQ(sha256Of(bytes, 7), sha) << len;
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
    e.hash = tool("md5sum '" + path + "'");
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Unverified); // nothing read yet
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/true).state, FileState::Verified);
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Verified); // remembered
    // A true prefix of the digest is not a digest: 32 bits are forged by brute force in minutes.
    e.hash = e.hash.substr(0, 8);
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Mismatch);
    e.hash = std::string(32, '0');
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/false).state, FileState::Mismatch);
    EXPECT_EQ(checkEntryFile(e, (m_dir / "absent").string(), true).state, FileState::Missing);
    // No published full digest: never verified, whatever the bytes.
    e.hash.clear();
    EXPECT_FALSE(e.verifiable());
    EXPECT_EQ(checkEntryFile(e, path, /*hash=*/true).state, FileState::Unverifiable);
}

TEST(DigestsMatch, OnlyTheFullDigestMatches)
{
    const FileDigests d{"397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0",
                        "64373286793e3c8b2b4e3219cbf3544b"};
    EXPECT_TRUE(digestsMatch(HashKind::Sha256, d.sha256, d));
    EXPECT_TRUE(digestsMatch(HashKind::Md5, d.md5, d));
    EXPECT_FALSE(digestsMatch(HashKind::Sha256, "397923af", d));
    EXPECT_FALSE(digestsMatch(HashKind::Sha256, d.sha256.substr(0, 63), d));
    EXPECT_FALSE(digestsMatch(HashKind::Md5, d.md5.substr(0, 16), d));
    EXPECT_FALSE(digestsMatch(HashKind::Sha256, "", d));
}

TEST(Catalog, BuiltinEntriesCarryFullDigestsOrSayTheyAreNotVerifiable)
{
    for (const CatalogEntry& e : builtinCatalog()) {
        SCOPED_TRACE(e.name);
        if (e.verifiable()) {
            EXPECT_EQ(e.hash.size(), e.hashKind == HashKind::Md5 ? 32u : 64u);
            EXPECT_EQ(describeCheck(e), toString(e.hashKind) + " " + e.hash);
        } else {
            EXPECT_EQ(describeCheck(e), "not verifiable: no published full digest");
            EXPECT_EQ(e.url.rfind("https://", 0), 0u);
        }
    }
    EXPECT_EQ(findEntry(builtinCatalog(), "vgg16")->hash,
              "397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0");
    EXPECT_TRUE(findEntry(builtinCatalog(), "ssd300-coco")->verifiable());
    EXPECT_FALSE(findEntry(builtinCatalog(), "vgg16-bn")->verifiable());
    EXPECT_FALSE(findEntry(builtinCatalog(), "vgg16-ssd-features")->verifiable());
    // An entry without a full digest is never fetched from a mirror.
    CatalogSettings s;
    s.mirror = "http://lab.example/weights";
    EXPECT_EQ(downloadUrl(*findEntry(builtinCatalog(), "vgg16-bn"), s),
              "https://download.pytorch.org/models/vgg16_bn-6c64b313.pth");
}

TEST(DownloadByteCap, ExactSizeElseApproximatePlusFivePercentElseTheLimit)
{
    DownloadLimits l;
    CatalogEntry e;
    e.sizeBytes = 1000;
    e.approxBytes = 5000;
    EXPECT_EQ(downloadByteCap(e, l), 1000u);
    e.sizeBytes = 0;
    EXPECT_EQ(downloadByteCap(e, l), 5250u);
    l.maxBytes = 4000;
    EXPECT_EQ(downloadByteCap(e, l), 4000u);
    e.approxBytes = 0;
    EXPECT_EQ(downloadByteCap(e, l), 4000u);
    EXPECT_EQ(DownloadLimits{}.maxBytes, 4ull << 30);
    setenv("FEATSCALE_DOWNLOAD_MAX_BYTES", "123456", 1);
    EXPECT_EQ(DownloadLimits::fromEnvironment().maxBytes, 123456u);
    setenv("FEATSCALE_DOWNLOAD_MAX_BYTES", "lots", 1);
    EXPECT_THROW(DownloadLimits::fromEnvironment(), Error);
    unsetenv("FEATSCALE_DOWNLOAD_MAX_BYTES");
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

const std::string kSha(64, 'a');
const std::string kMd5(32, 'b');

TEST(LabCatalog, MalformedEntriesAreNamed)
{
    const std::string good = R"({"name": "lab", "file": "lab.pth", "url": "https://lab.example/lab.pth", "sha256": ")" +
                             kSha + R"("})";
    struct Case {
        std::string json;
        std::vector<std::string> needles;
    };
    const std::vector<Case> cases = {
        {"[" + good + R"(, {"name": "nohash", "file": "x.pth", "url": "http://x/x.pth"}])",
         {"entry 2", "\"nohash\"", "sha256"}},
        {"[" + good + R"(, {"name": "short", "file": "x.pth", "url": "http://x/x.pth", "sha256": "397923a"}])",
         {"entry 2", "\"short\"", "full digest", "64 hex digits"}},
        {"[" + good + R"(, {"name": "prefix", "file": "x.pth", "url": "http://x/x.pth", "sha256": "397923af"}])",
         {"entry 2", "\"prefix\"", "full digest"}},
        {R"([{"name": "md5prefix", "file": "x.pth", "url": "http://x/x.pth", "md5": "0123456789abcdef"}])",
         {"entry 1", "\"md5prefix\"", "32 hex digits"}},
        {R"([{"name": "huge", "file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"(", "size": 1e400}])",
         {"entry 1", "\"huge\"", "out of range"}},
        {R"([{"name": "ctl\u001b[2J", "file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"("}])",
         {"entry 1", "\\x1b[2J"}},
        {R"([{"name": "nothex", "file": "x.pth", "url": "http://x/x.pth", "md5": "xyz12345"}])",
         {"entry 1", "\"nothex\"", "md5"}},
        {R"([{"name": "long", "file": "x.pth", "url": "http://x/x.pth", "md5": "0123456789abcdef0123456789abcdef0"}])",
         {"entry 1", "\"long\"", "32 hex digits"}},
        {R"([{"name": "both", "file": "x.pth", "url": "http://x/x.pth", "md5": ")" + kMd5 + R"(", "sha256": ")" + kSha +
             R"("}])",
         {"entry 1", "\"both\"", "exactly one"}},
        {R"([{"name": "escape", "file": "../evil.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"("}])",
         {"entry 1", "\"escape\"", "plain file name"}},
        {R"([{"name": "ftp", "file": "x.pth", "url": "ftp://x/x.pth", "sha256": ")" + kSha + R"("}])",
         {"\"ftp\"", "https://"}},
        {R"([{"name": "vgg16", "file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"("}])",
         {"\"vgg16\"", "built-in"}},
        {"[" + good + "," + good + "]", {"entry 2", "\"lab\"", "used twice"}},
        {R"([{"name": "sized", "file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"(", "size": "big"}])",
         {"\"sized\"", "size"}},
        {R"([{"name": "typo", "file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"(", "sizee": 3}])",
         {"\"typo\"", "unknown key \"sizee\""}},
        {R"([{"file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"("}])",
         {"entry 1", "missing \"name\""}},
        {R"([{"name": "bad name", "file": "x.pth", "url": "http://x/x.pth", "sha256": ")" + kSha + R"("}])",
         {"\"bad name\""}},
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
    // A valid one: digits lowercased, size and description kept, destination by extension.
    const std::string path =
        (fs::temp_directory_path() / ("featscale-lab-ok-" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(path)
        << R"([{"name": "k", "file": "k.h5", "url": "http://x/k.h5", "md5": "ABCDEF0123456789ABCDEF0123456789", "size": 12,
                               "description": "lab Keras file"}])";
    const auto entries = readLabCatalog(path);
    fs::remove(path);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].hash, "abcdef0123456789abcdef0123456789");
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
