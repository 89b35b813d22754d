// SPDX-License-Identifier: GPL-3.0-or-later
// Lua Torch .t7 reader on byte buffers built here by hand from the format (File.lua's writeObject,
// Tensor.c/Storage.c write): values, shared references, offsets and strides, both long sizes,
// and hostile files (truncation at every byte, claims beyond the file, negative sizes, deep
// nesting, cycles, self-reference, unknown classes, huge strings, work amplification). Then the
// gamma loader on .t7 files.
#include "analysis/core/types.h"
#include "analysis/stats/gamma_io.h"
#include "analysis/weights/formats/torch7/internal/t7_reader.h"
#include "tests/support/scratch_files.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace featscale::analysis;
using namespace featscale::analysis::weights;
namespace fs = std::filesystem;

namespace {

/// An independent .t7 writer: each call appends one value exactly as Lua Torch lays it out.
class T7Writer {
public:
    explicit T7Writer(int longBytes = 8) : m_long(longBytes) { }

    T7Writer& i32(std::int32_t v) { return raw(&v, 4); }
    T7Writer& i64(std::int64_t v) { return m_long == 8 ? raw(&v, 8) : i32(static_cast<std::int32_t>(v)); }
    T7Writer& nil() { return i32(0); }
    T7Writer& number(double d)
    {
        i32(1);
        return raw(&d, 8);
    }
    T7Writer& boolean(bool b)
    {
        i32(5);
        return i32(b ? 1 : 0);
    }
    T7Writer& str(const std::string& s)
    {
        i32(2);
        return chars(s);
    }
    T7Writer& chars(const std::string& s)
    {
        i32(static_cast<std::int32_t>(s.size()));
        return raw(s.data(), s.size());
    }
    /// A new table of n entries (the caller writes 2n values); returns its index.
    int table(std::int32_t n)
    {
        i32(3);
        const int idx = m_next++;
        i32(idx);
        i32(n);
        return idx;
    }
    T7Writer& tableRef(int idx)
    {
        i32(3);
        return i32(idx);
    }
    T7Writer& torchRef(int idx)
    {
        i32(4);
        return i32(idx);
    }
    int torchHeader(const std::string& cls, bool versioned = true)
    {
        i32(4);
        const int idx = m_next++;
        i32(idx);
        if (versioned)
            chars("V 1");
        chars(cls);
        return idx;
    }
    int floatStorage(const std::vector<float>& v)
    {
        const int idx = torchHeader("torch.FloatStorage");
        i64(static_cast<std::int64_t>(v.size()));
        raw(v.data(), v.size() * 4);
        return idx;
    }
    int doubleStorage(const std::vector<double>& v)
    {
        const int idx = torchHeader("torch.DoubleStorage");
        i64(static_cast<std::int64_t>(v.size()));
        raw(v.data(), v.size() * 8);
        return idx;
    }
    /// Tensor header; the caller writes its storage value next.
    int tensor(const std::string& cls, const std::vector<std::int64_t>& sizes, const std::vector<std::int64_t>& strides,
               std::int64_t offset1 = 1)
    {
        const int idx = torchHeader(cls);
        i32(static_cast<std::int32_t>(sizes.size()));
        for (auto s : sizes)
            i64(s);
        for (auto s : strides)
            i64(s);
        i64(offset1);
        return idx;
    }
    int floatTensor(const std::vector<float>& v)
    {
        const int idx = tensor("torch.FloatTensor", {static_cast<std::int64_t>(v.size())}, {1});
        floatStorage(v);
        return idx;
    }

    const std::vector<std::uint8_t>& bytes() const { return m_bytes; }
    ByteView view() const { return {m_bytes.data(), m_bytes.size()}; }
    std::string text() const { return std::string(m_bytes.begin(), m_bytes.end()); }

private:
    T7Writer& raw(const void* p, std::size_t n)
    {
        const auto* b = static_cast<const std::uint8_t*>(p);
        m_bytes.insert(m_bytes.end(), b, b + n);
        return *this;
    }
    int m_long;
    int m_next = 1;
    std::vector<std::uint8_t> m_bytes;
};

std::vector<float> ramp(int n, float scale = 1.0f)
{
    std::vector<float> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<std::size_t>(i)] = scale * static_cast<float>(i) + 0.25f;
    return v;
}

std::string errorOf(ByteView bytes)
{
    try {
        t7::readArrays(bytes, "t.t7");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

std::string errorOf(const T7Writer& w) { return errorOf(w.view()); }

fs::path tempDir() { return featscale::test::scratchDir("featscale_t7_reader"); }

std::string writeFile(const std::string& name, const std::vector<std::uint8_t>& bytes)
{
    const fs::path p = tempDir() / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return p.string();
}

std::string gammaError(const std::string& path, const std::string& layer = "conv4_3")
{
    try {
        readGammaFile(path, layer);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(T7Reader, FloatTensorOf512)
{
    T7Writer w;
    const auto g = ramp(512, 0.5f);
    w.floatTensor(g);
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 1u);
    EXPECT_EQ(arrays[0].name, "");
    EXPECT_EQ(arrays[0].sizes, (std::vector<std::int64_t>{512}));
    EXPECT_EQ(arrays[0].values, g);
}

TEST(T7Reader, DoubleTensorRoundsToNearestFloat)
{
    T7Writer w;
    const std::vector<double> d = {0.1, 1.0 / 3.0, 20.000000001, -1e-40, 3.4e38};
    w.tensor("torch.DoubleTensor", {5}, {1});
    w.doubleStorage(d);
    const auto a = t7::readArrays(w.view(), "t.t7").at(0);
    ASSERT_EQ(a.values.size(), 5u);
    for (std::size_t i = 0; i < d.size(); ++i)
        EXPECT_EQ(a.values[i], static_cast<float>(d[i])) << i;
    EXPECT_EQ(a.values[0], 0.100000001490116119384765625f);
}

TEST(T7Reader, NestedTablesNameTheirTensors)
{
    T7Writer w;
    w.table(2);
    w.str("net");
    w.table(2);
    w.str("conv4_3").floatTensor(ramp(3));
    w.str("fc7").floatTensor(ramp(2, 10));
    w.number(7).str("not an array");
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 2u);
    EXPECT_EQ(arrays[0].name, "net.conv4_3");
    EXPECT_EQ(arrays[0].values, ramp(3));
    EXPECT_EQ(arrays[1].name, "net.fc7");
    EXPECT_EQ(arrays[1].values, ramp(2, 10));
}

TEST(T7Reader, SharedStorageOffsetsAndStrides)
{
    // One storage 0..7, written once and referenced by index: a = elements 1..4 (offset 1),
    // b = elements 5..8 (offset 5), c = the 2x3 transpose view with strides {1, 2} of 0..5.
    const std::vector<float> s = {0, 1, 2, 3, 4, 5, 6, 7};
    T7Writer w;
    w.table(3);
    w.str("a");
    w.tensor("torch.FloatTensor", {4}, {1}, /*offset1=*/1);
    const int storage = w.floatStorage(s);
    w.str("b");
    w.tensor("torch.FloatTensor", {4}, {1}, /*offset1=*/5);
    w.torchRef(storage);
    w.str("c");
    w.tensor("torch.FloatTensor", {2, 3}, {1, 2}, /*offset1=*/1);
    w.torchRef(storage);
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 3u);
    EXPECT_EQ(arrays[0].values, (std::vector<float>{0, 1, 2, 3}));
    EXPECT_EQ(arrays[1].values, (std::vector<float>{4, 5, 6, 7}));
    EXPECT_EQ(arrays[2].sizes, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(arrays[2].values, (std::vector<float>{0, 2, 4, 1, 3, 5}));
}

TEST(T7Reader, SameTensorUnderTwoNamesAndListsOfNumbers)
{
    T7Writer w;
    w.table(3);
    w.str("x");
    const int t = w.floatTensor(ramp(4));
    w.str("alias").torchRef(t);
    w.str("list");
    w.table(3);
    // a Lua list, keys in any order
    w.number(2).number(20).number(1).number(10).number(3).number(30);
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 3u);
    EXPECT_EQ(arrays[1].name, "alias");
    EXPECT_EQ(arrays[1].values, ramp(4));
    EXPECT_EQ(arrays[2].values, (std::vector<float>{10, 20, 30}));
}

TEST(T7Reader, CyclesEndAndSelfReferencingTablesAreData)
{
    // root = {me = root, child = {parent = root, w = tensor}}
    T7Writer w;
    const int root = w.table(2);
    w.str("me").tableRef(root);
    w.str("child");
    w.table(2);
    w.str("parent").tableRef(root);
    w.str("w").floatTensor(ramp(2));
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 1u);
    EXPECT_EQ(arrays[0].name, "child.w");
}

TEST(T7Reader, LegacyUnversionedClassAndBooleans)
{
    T7Writer w;
    w.table(2);
    w.str("flag").boolean(true);
    w.str("g");
    w.torchHeader("torch.FloatTensor", /*versioned=*/false);
    w.i32(1).i64(2).i64(1).i64(1);
    w.torchHeader("torch.FloatStorage", /*versioned=*/false);
    w.i64(2).i32(0x3f800000).i32(0x40000000);
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 1u);
    EXPECT_EQ(arrays[0].values, (std::vector<float>{1, 2}));
}

TEST(T7Reader, FourByteLongsOfWindowsFiles)
{
    T7Writer w(/*longBytes=*/4);
    w.table(1);
    w.str("conv4_3").floatTensor(ramp(512));
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 1u);
    EXPECT_EQ(arrays[0].values, ramp(512));
}

TEST(T7Reader, EmptyTensorAndNumberRoot)
{
    T7Writer empty;
    empty.tensor("torch.FloatTensor", {}, {}, 1);
    empty.nil();
    const auto a = t7::readArrays(empty.view(), "t.t7");
    ASSERT_EQ(a.size(), 1u);
    EXPECT_TRUE(a[0].values.empty());
    T7Writer one;
    one.number(20);
    EXPECT_EQ(t7::readArrays(one.view(), "t.t7").at(0).values, (std::vector<float>{20}));
}

// ---- hostile files --------------------------------------------------------------------------

TEST(T7Hostile, TruncatedAtEveryByteIsAClearError)
{
    T7Writer w;
    w.table(3);
    w.str("a");
    const int s = w.floatStorage(ramp(6));
    w.str("b");
    w.tensor("torch.DoubleTensor", {2, 2}, {2, 1}, 2);
    w.doubleStorage({1, 2, 3, 4, 5});
    w.str("c");
    w.tensor("torch.FloatTensor", {3}, {2}, 1);
    w.torchRef(s);
    ASSERT_EQ(t7::readArrays(w.view(), "t.t7").size(), 3u);
    for (std::size_t n = 0; n < w.bytes().size(); ++n) {
        const std::vector<std::uint8_t> cut(w.bytes().begin(), w.bytes().begin() + static_cast<std::ptrdiff_t>(n));
        const std::string e = errorOf(ByteView{cut.data(), cut.size()});
        EXPECT_EQ(e.rfind("t.t7: ", 0), 0u) << "cut at " << n << ": " << e;
    }
}

TEST(T7Hostile, StorageClaimingMoreThanTheFile)
{
    T7Writer w;
    w.torchHeader("torch.FloatStorage");
    w.i64(std::int64_t{1} << 40);
    w.i32(0).i32(0);
    EXPECT_NE(errorOf(w).find(
                  "torch.FloatStorage claims 1099511627776 elements (4 bytes each) but the file has 8 bytes left"),
              std::string::npos)
        << errorOf(w);
}

TEST(T7Hostile, NegativeSizes)
{
    T7Writer storage;
    storage.torchHeader("torch.DoubleStorage");
    storage.i64(-5);
    EXPECT_NE(errorOf(storage).find("torch.DoubleStorage has a negative size (-5)"), std::string::npos)
        << errorOf(storage);

    T7Writer tensor;
    tensor.tensor("torch.FloatTensor", {-3}, {1});
    tensor.floatStorage(ramp(4));
    EXPECT_NE(errorOf(tensor).find("negative tensor size -3"), std::string::npos) << errorOf(tensor);

    T7Writer stride;
    stride.tensor("torch.FloatTensor", {2}, {-1}, 2);
    stride.floatStorage(ramp(4));
    EXPECT_NE(errorOf(stride).find("invalid stride -1"), std::string::npos) << errorOf(stride);

    T7Writer offset;
    offset.tensor("torch.FloatTensor", {2}, {1}, 0);
    offset.floatStorage(ramp(4));
    EXPECT_NE(errorOf(offset).find("storage offset 0 is below 1"), std::string::npos) << errorOf(offset);

    T7Writer table;
    table.table(-1);
    EXPECT_NE(errorOf(table).find("table has a negative size (-1)"), std::string::npos) << errorOf(table);

    T7Writer text;
    text.i32(2).i32(-7);
    EXPECT_NE(errorOf(text).find("string has a negative length (-7)"), std::string::npos) << errorOf(text);
}

TEST(T7Hostile, ClaimsBeyondTheFile)
{
    T7Writer table;
    table.table(1 << 30);
    table.nil().nil();
    EXPECT_NE(errorOf(table).find("table claims 1073741824 entries but the file has 8 bytes left"), std::string::npos)
        << errorOf(table);

    T7Writer text;
    text.i32(2).i32(0x7fffffff).i32(0);
    EXPECT_NE(errorOf(text).find("string claims 2147483647 bytes but the file has 4 bytes left"), std::string::npos)
        << errorOf(text);

    T7Writer view; // a view past its storage's end
    view.tensor("torch.FloatTensor", {3}, {2}, 2);
    view.floatStorage(ramp(5));
    EXPECT_NE(errorOf(view).find("view reaches element 6 of a storage of 5"), std::string::npos) << errorOf(view);

    T7Writer dims;
    dims.tensor("torch.FloatTensor", std::vector<std::int64_t>(17, 1), std::vector<std::int64_t>(17, 1));
    dims.nil();
    EXPECT_NE(errorOf(dims).find("has 17 dimensions (at most 16)"), std::string::npos) << errorOf(dims);
}

TEST(T7Hostile, ObjectsAndEntriesAreCappedWhateverTheFileSize)
{
    // A table claiming 2^21 + 1 entries, with the bytes they would need present.
    T7Writer entries;
    entries.table((1 << 21) + 1);
    std::vector<std::uint8_t> big = entries.bytes();
    big.resize(big.size() + 8 * ((std::size_t{1} << 21) + 1), 0);
    EXPECT_NE(errorOf(ByteView{big.data(), big.size()}).find("tables hold more than 2097152 entries in all"),
              std::string::npos);

    // 2^18 + 1 empty tables in one list
    T7Writer objects;
    const int n = (1 << 18) + 1;
    objects.table(n);
    for (int k = 1; k <= n; ++k) {
        objects.number(k);
        objects.table(0);
    }
    EXPECT_NE(errorOf(objects).find("more than 262144 tables and torch objects"), std::string::npos)
        << errorOf(objects);
}

TEST(T7Hostile, DeepNestingIsBounded)
{
    T7Writer w;
    for (int k = 0; k < 100000; ++k) {
        w.table(1);
        w.number(1);
    }
    w.nil();
    EXPECT_NE(errorOf(w).find("nested deeper than 128 levels"), std::string::npos) << errorOf(w);
}

TEST(T7Hostile, TorchObjectReferringToItself)
{
    // A tensor whose storage is the tensor itself (reference 1 while 1 is being read).
    T7Writer w;
    const int t = w.tensor("torch.FloatTensor", {2}, {1});
    w.torchRef(t);
    EXPECT_NE(errorOf(w).find("torch.FloatTensor 1 refers to itself while it is being read"), std::string::npos)
        << errorOf(w);

    T7Writer wrong; // a storage reference tagged as a table
    wrong.table(2);
    wrong.str("s");
    const int s = wrong.floatStorage(ramp(2));
    wrong.str("t").tableRef(s);
    EXPECT_NE(errorOf(wrong).find("reference 2 names a torch.FloatStorage but is tagged as a table"), std::string::npos)
        << errorOf(wrong);

    T7Writer storageOfTensor; // a tensor whose storage is another tensor
    const int inner = storageOfTensor.table(1);
    (void)inner;
    storageOfTensor.str("a");
    storageOfTensor.tensor("torch.FloatTensor", {1}, {1});
    storageOfTensor.floatTensor(ramp(1));
    EXPECT_NE(errorOf(storageOfTensor).find("torch.FloatTensor's storage is a torch.FloatTensor"), std::string::npos)
        << errorOf(storageOfTensor);
}

TEST(T7Hostile, UnknownClassesFunctionsAndTags)
{
    T7Writer nn;
    nn.torchHeader("nn.Sequential");
    nn.table(0);
    EXPECT_NE(errorOf(nn).find("unsupported torch class \"nn.Sequential\""), std::string::npos) << errorOf(nn);

    T7Writer longTensor;
    longTensor.torchHeader("torch.LongTensor");
    EXPECT_NE(errorOf(longTensor).find("unsupported torch class \"torch.LongTensor\""), std::string::npos);

    T7Writer binary;
    binary.torchHeader(std::string("evil\x01\xff", 6));
    EXPECT_NE(errorOf(binary).find("\"evil\\x01\\xff\""), std::string::npos) << errorOf(binary);

    T7Writer function;
    function.i32(6).i32(1).chars("\x1bLuaR");
    EXPECT_NE(errorOf(function).find("a Lua function (type tag 6); featscale reads data, never code"),
              std::string::npos);

    T7Writer tag;
    tag.i32(42);
    EXPECT_NE(errorOf(tag).find("unknown type tag 42"), std::string::npos);

    T7Writer version;
    version.i32(4).i32(1).chars("V x").chars("torch.FloatTensor");
    EXPECT_NE(errorOf(version).find("malformed torch version string \"V x\""), std::string::npos);

    T7Writer trailing;
    trailing.floatTensor(ramp(2));
    trailing.i32(0);
    EXPECT_NE(errorOf(trailing).find("4 bytes follow the serialized object"), std::string::npos) << errorOf(trailing);
}

TEST(T7Hostile, ManyViewsOfOneStorageHitTheOutputBudget)
{
    // 100000 references to one stride-0 view of 10000 elements: 4 GB of float32 from ~1 MB.
    T7Writer w;
    const int n = 100000;
    w.table(n);
    w.number(0.5);
    const int t = w.tensor("torch.FloatTensor", {10000}, {0});
    w.floatStorage({1});
    for (int k = 1; k < n; ++k)
        w.number(k + 0.5).torchRef(t);
    EXPECT_NE(errorOf(w).find("refusing to allocate"), std::string::npos) << errorOf(w);
}

TEST(T7Hostile, LongKeysAreNamedByTheirLength)
{
    // 100 nested tables under 20 kB keys, then 200 references to one tensor: named by the keys
    // themselves, each would be a 2 MB path, 400 MB of names from a 2 MB file.
    T7Writer w;
    const std::string key(20000, 'k');
    for (int k = 0; k < 100; ++k) {
        w.table(1);
        w.str(key);
    }
    w.table(200);
    w.number(1);
    const int t = w.floatTensor(ramp(1));
    for (int k = 2; k <= 200; ++k)
        w.number(k).torchRef(t);
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 200u);
    std::string expected;
    for (int k = 0; k < 100; ++k)
        expected += "[key of 20000 bytes].";
    EXPECT_EQ(arrays[0].name, expected + "1");
    EXPECT_EQ(arrays[199].name, expected + "200");
    EXPECT_EQ(arrays[199].values, ramp(1));
}

TEST(T7Hostile, NamesOnManyPathsTakeNoMoreThanTheFile)
{
    // 128 nested tables under 250-byte keys (short enough to be kept), then 400 references to one
    // tensor: 32 kB names on 400 paths, 12.8 MB of names from a 34 kB file.
    T7Writer w;
    const std::string key(250, 'k');
    for (int k = 0; k < 120; ++k) {
        w.table(1);
        w.str(key);
    }
    w.table(400);
    w.number(1);
    const int t = w.floatTensor(ramp(1));
    for (int k = 2; k <= 400; ++k)
        w.number(k).torchRef(t);
    const std::string e = errorOf(w);
    EXPECT_NE(e.find("t.t7: .t7 file names its tensors with more bytes than the file holds"), std::string::npos)
        << e.substr(0, 300);
    EXPECT_LT(e.size(), 300u);
}

TEST(T7Hostile, KeyAsLongAsTheFileReferencedManyTimes)
{
    // One 8 MB key over a table that references one tensor 15 times: 15 names, each a few dozen
    // bytes, not 15 copies of the key.
    T7Writer w;
    w.table(1);
    w.str(std::string(8u << 20, 'x'));
    w.table(15);
    w.str("a");
    const int t = w.floatTensor(ramp(512));
    for (int k = 1; k < 15; ++k)
        w.str(std::string(1, static_cast<char>('a' + k))).torchRef(t);
    const auto arrays = t7::readArrays(w.view(), "t.t7");
    ASSERT_EQ(arrays.size(), 15u);
    for (const auto& a : arrays)
        EXPECT_LT(a.name.size(), 40u) << a.name.substr(0, 80);
    EXPECT_EQ(arrays[0].name, "[key of 8388608 bytes].a");
}

TEST(T7Hostile, TruncatedFourByteLongFileSaysWhereItEnds)
{
    // Read with 8-byte longs, a file written with 4-byte longs goes astray within a few values; the
    // reading with 4-byte longs gets to the cut and must be the one reported.
    for (const int longBytes : {4, 8}) {
        T7Writer w(longBytes);
        w.table(3);
        w.str("conv4_3");
        w.floatTensor(ramp(24));
        w.str("fc7");
        w.tensor("torch.DoubleTensor", {2, 3}, {3, 1}, 1);
        w.doubleStorage({1, 2, 3, 4, 5, 6});
        w.str("scale");
        w.number(20);
        ASSERT_EQ(t7::readArrays(w.view(), "t.t7").size(), 2u);
        int said = 0;
        for (std::size_t n = 1; n < w.bytes().size(); ++n) {
            const std::vector<std::uint8_t> cut(w.bytes().begin(), w.bytes().begin() + static_cast<std::ptrdiff_t>(n));
            const std::string e = errorOf(ByteView{cut.data(), cut.size()});
            const bool atEnd = e.find("truncated at byte " + std::to_string(n)) != std::string::npos ||
                               e.find("but the file has ") != std::string::npos;
            EXPECT_TRUE(atEnd) << longBytes << "-byte longs, cut at " << n << ": " << e;
            EXPECT_EQ(e.find("unknown type tag"), std::string::npos) << longBytes << "-byte longs, cut at " << n;
            said += atEnd ? 1 : 0;
        }
        EXPECT_EQ(said, static_cast<int>(w.bytes().size()) - 1);
    }
}

// ---- the gamma loader on .t7 files ----------------------------------------------------------

TEST(T7Gamma, LoneTensorOneByFiveTwelveAndKeyedTables)
{
    const auto g = ramp(512, 0.01f);
    T7Writer lone;
    lone.tensor("torch.FloatTensor", {1, 512, 1, 1}, {512, 1, 1, 1});
    lone.floatStorage(g);
    EXPECT_EQ(readGammaFile(writeFile("lone.t7", lone.bytes())), g);

    T7Writer keyed;
    keyed.table(2);
    keyed.str("conv4_3").floatTensor(g);
    keyed.str("fc7").floatTensor(ramp(1024, 2));
    const std::string path = writeFile("keyed.t7", keyed.bytes());
    EXPECT_EQ(readGammaFile(path), g);
    EXPECT_EQ(readGammaFile(path, "fc7"), ramp(1024, 2));
    EXPECT_NE(gammaError(path, "conv5_3")
                  .find("keyed.t7: .t7 file holds 2 arrays (conv4_3 [512], fc7 [1024]) and none is named conv5_3"),
              std::string::npos)
        << gammaError(path, "conv5_3");

    // any extension: recognised by content
    EXPECT_EQ(readGammaFile(writeFile("keyed.bin", keyed.bytes())), g);
}

TEST(T7Gamma, MessagesQuoteAFewDozenBytesOfNames)
{
    // Eight arrays of the wrong shape under 250-byte names (kept whole as names): the message lists
    // them, each cut to a few dozen bytes.
    T7Writer w;
    w.table(8);
    for (int k = 0; k < 8; ++k)
        w.str(std::string(250, static_cast<char>('a' + k))).floatTensor(ramp(3));
    const std::string path = writeFile("eight_long_names.t7", w.bytes());
    const std::string e = gammaError(path);
    EXPECT_NE(e.find(path + ": .t7 file holds 8 arrays ("), std::string::npos) << e;
    EXPECT_NE(e.find("... (250 bytes) [3]"), std::string::npos) << e;
    EXPECT_LT(e.size(), 1200u) << e;
}

TEST(T7Gamma, ErrorsNameTheFile)
{
    T7Writer matrix;
    matrix.tensor("torch.FloatTensor", {2, 3}, {3, 1});
    matrix.floatStorage(ramp(6));
    const std::string m = writeFile("matrix.t7", matrix.bytes());
    EXPECT_NE(gammaError(m).find("matrix.t7: the file's object [2x3] is not a gamma"), std::string::npos)
        << gammaError(m);

    T7Writer huge;
    huge.torchHeader("torch.FloatStorage");
    huge.i64(std::int64_t{1} << 40);
    huge.i32(0);
    const std::string h = writeFile("gamma.t7", huge.bytes());
    EXPECT_NE(gammaError(h).find("gamma.t7: torch.FloatStorage claims 1099511627776 elements"), std::string::npos)
        << gammaError(h);

    const std::string ascii = writeFile("ascii.t7", {'4', '\n', '1', '\n', '3', '\n', 'V', ' ', '1', '\n'});
    EXPECT_NE(gammaError(ascii).find("an ASCII .t7 file"), std::string::npos) << gammaError(ascii);

    T7Writer nanGamma;
    auto bad = ramp(512);
    bad[9] = std::nanf("");
    nanGamma.floatTensor(bad);
    const std::string n = writeFile("nan.t7", nanGamma.bytes());
    EXPECT_NE(gammaError(n).find("first: channel 9"), std::string::npos) << gammaError(n);
}
