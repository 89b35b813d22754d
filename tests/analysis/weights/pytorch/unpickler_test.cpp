// SPDX-License-Identifier: GPL-3.0-or-later
// The restricted unpickler on its own: data pickles written by Python (protocols 0-5, Python 2
// string opcodes) must read back as the value Python wrote; limits and malformed input give errors.
#include "fixtures.h"

#include "analysis/weights/bytes/internal/file_bytes.h"
#include "analysis/weights/formats/pytorch/internal/unpickler.h"

#include <gtest/gtest.h>

namespace featscale::analysis::weights::pickle {
namespace {

using nlohmann::json;

json toJson(const Value* v)
{
    switch (v->kind) {
    case Kind::None:
        return nullptr;
    case Kind::Bool:
        return v->i != 0;
    case Kind::Int:
        return v->i;
    case Kind::Float:
        return v->f;
    case Kind::String:
    case Kind::Bytes:
        return v->s;
    case Kind::Tuple:
    case Kind::List: {
        json a = json::array();
        for (const Value* item : v->items)
            a.push_back(toJson(item));
        return a;
    }
    case Kind::Dict: {
        json o = json::object();
        for (std::size_t k = 0; k < v->items.size(); k += 2)
            o[v->items[k]->s] = toJson(v->items[k + 1]);
        return o;
    }
    default:
        return std::string("<") + kindName(v->kind) + ">";
    }
}

// Bytes of a literal, embedded NULs included.
template <std::size_t N> std::string B(const char (&s)[N]) { return std::string(s, N - 1); }

ByteView view(const std::string& bytes) { return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}; }

std::string errorOf(const std::string& bytes, Unpickler::Limits limits = {})
{
    try {
        Unpickler u(view(bytes), "test.pkl", 0, limits);
        u.load();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(Unpickler, ReadsWhatPythonWroteInEveryProtocol)
{
    const auto& plain = test::manifest("formats")["plain"];
    for (const auto& name : plain["files"]) {
        SCOPED_TRACE(name.get<std::string>());
        const std::string path = test::fixturePath("formats", name.get<std::string>());
        FileBytes file(path);
        Unpickler u(file.bytes(), path);
        EXPECT_EQ(toJson(u.load()), plain["value"]);
        EXPECT_EQ(u.consumed(), file.bytes().size);
    }
}

TEST(Unpickler, PicklesSharedObjectsByReference)
{
    // The same list memoised and fetched twice is one object, as in Python.
    const std::string path = test::fixturePath("formats", "plain_protocol2.pkl");
    FileBytes file(path);
    Unpickler u(file.bytes(), path);
    const Value* shared = u.load()->dictGet("shared");
    ASSERT_NE(shared, nullptr);
    ASSERT_EQ(shared->items.size(), 2u);
    EXPECT_EQ(shared->items[0], shared->items[1]);
}

TEST(Unpickler, ReadsPython2StringOpcodes)
{
    {
        const std::string path = test::fixturePath("formats", "python2_strings_protocol0.pkl");
        FileBytes file(path);
        Unpickler u(file.bytes(), path);
        EXPECT_EQ(toJson(u.load()), json({{"key", "it's A\n"}, {"other", true}}));
    }
    {
        const std::string path = test::fixturePath("formats", "python2_strings_protocol2.pkl");
        FileBytes file(path);
        Unpickler u(file.bytes(), path);
        const Value* root = u.load();
        EXPECT_EQ(root->dictGet("a")->s, "bee");
        const Value* big = root->dictGet("big");
        ASSERT_EQ(big->kind, Kind::BigInt);
        EXPECT_EQ(big->s, std::string("\x05\0\0\0\0\0\0\0\x01", 9)); // 2**64 + 5, little-endian
    }
}

TEST(Unpickler, Long1SignExtendsAndNarrows)
{
    auto longValue = [](const std::string& payload) {
        const std::string bytes = "\x80\x02\x8a" + std::string(1, static_cast<char>(payload.size())) + payload + ".";
        Unpickler u(view(bytes), "t");
        const Value* v = u.load();
        EXPECT_EQ(v->kind, Kind::Int);
        return v->i;
    };
    EXPECT_EQ(longValue(""), 0);
    EXPECT_EQ(longValue("\xff"), -1);
    EXPECT_EQ(longValue(std::string("\x00\x80\x00", 3)), 32768);
    EXPECT_EQ(longValue(std::string("\x00\x00\x00\x00\x00\x00\x00\x80\xff", 9)), INT64_MIN);
    EXPECT_EQ(longValue(std::string("\xff\xff\xff\xff\xff\xff\xff\x7f\x00\x00", 10)), INT64_MAX);
}

TEST(Unpickler, RepeatedDictKeyReplacesTheValueInPlace)
{
    // {'a': 1, 'b': 2, 'a': 3} -> {'a': 3, 'b': 2}, 'a' still first (Python's dict semantics).
    const std::string bytes = B("\x80\x02}(X\x01\0\0\0aK\x01X\x01\0\0\0bK\x02X\x01\0\0\0aK\x03u.");
    Unpickler u(view(bytes), "t");
    const Value* d = u.load();
    ASSERT_EQ(d->dictSize(), 2u);
    EXPECT_EQ(d->items[0]->s, "a");
    EXPECT_EQ(d->items[1]->i, 3);
    EXPECT_EQ(d->items[3]->i, 2);
}

TEST(Unpickler, RefusesGlobalsEvenWhenTheyWouldBeDiscarded)
{
    // GLOBAL os.system, POP, then a harmless None: the name alone is refused.
    const std::string bytes = "\x80\x02"
                              "cos\nsystem\n0N.";
    EXPECT_NE(errorOf(bytes).find("unknown global os.system"), std::string::npos);
}

TEST(Unpickler, WhitelistedGlobalsAreNeverCalledOutsideTheirContract)
{
    // torch.FloatStorage(...) and _rebuild_tensor_v2 with junk arguments.
    EXPECT_NE(errorOf(B("\x80\x02"
                        "ctorch\nFloatStorage\n)R."))
                  .find("refused to call torch.FloatStorage"),
              std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02"
                        "ctorch._utils\n_rebuild_tensor_v2\nK\x01\x85R."))
                  .find("malformed call"),
              std::string::npos);
    // NEWOBJ of anything but OrderedDict.
    EXPECT_NE(errorOf(B("\x80\x02"
                        "ctorch._utils\n_rebuild_tensor\n)\x81."))
                  .find("refused to construct"),
              std::string::npos);
    // Persistent ids that are not storage tuples.
    EXPECT_NE(errorOf(B("\x80\x02K\x01Q.")).find("persistent id is not a torch storage"), std::string::npos);
    EXPECT_NE(errorOf(B("Pfoo\n.")).find("persistent id is not a torch storage"), std::string::npos);
}

TEST(Unpickler, LimitsStackValuesAndMemo)
{
    Unpickler::Limits small;
    small.maxStack = 8;
    small.maxValues = 64;
    small.maxMemo = 4;
    EXPECT_NE(errorOf(std::string("\x80\x02") + std::string(9, 'N') + ".", small).find("stack deeper than 8"),
              std::string::npos);
    std::string manyValues = "\x80\x02";
    for (int i = 0; i < 65; ++i)
        manyValues += "N0";
    EXPECT_NE(errorOf(manyValues + "N.", small).find("more than 64 objects"), std::string::npos);
    std::string manyMemo = "\x80\x02N";
    for (int i = 0; i < 5; ++i)
        manyMemo += "q" + std::string(1, static_cast<char>(i));
    EXPECT_NE(errorOf(manyMemo + ".", small).find("memo larger than 4"), std::string::npos);
}

TEST(Unpickler, TruncationNamesTheByte)
{
    EXPECT_NE(errorOf(B("\x80\x02X\x10\0\0\0abc")).find("test.pkl: truncated at byte 10"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02N")).find("truncated at byte 3"), std::string::npos);
    EXPECT_NE(errorOf(B("")).find("truncated at byte 0"), std::string::npos);
}

TEST(Unpickler, MalformedStructure)
{
    EXPECT_NE(errorOf(B("\x80\x02NN.")).find("ends with 2 objects"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02(N.")).find("ends with"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x09N.")).find("unsupported pickle protocol 9"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02NNa.")).find("APPEND to a None"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02NNNs.")).find("SETITEM on a None"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02]K\x01(K\x02"
                        "e(e."))
                  .find("APPENDS"),
              std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02}(K\x01u.")).find("malformed SETITEMS"), std::string::npos);
    EXPECT_NE(errorOf(B("I12x\n.")).find("malformed integer"), std::string::npos);
    EXPECT_NE(errorOf(B("F1.5.5\n.")).find("malformed float"), std::string::npos);
    EXPECT_NE(errorOf(B("S'open\n.")).find("malformed string"), std::string::npos);
    EXPECT_NE(errorOf(B("V\\u12\n.")).find("malformed string"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02\x8c\x01x\x8c\x01y\x93.")).find("unknown global x.y"), std::string::npos);
    EXPECT_NE(errorOf(B("\x80\x02K\x01K\x02\x93.")).find("STACK_GLOBAL needs two strings"), std::string::npos);
}

} // namespace
} // namespace featscale::analysis::weights::pickle
