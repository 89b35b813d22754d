// SPDX-License-Identifier: GPL-3.0-or-later
// escapeFileName / unescapeFileName against hand-written expectations, and the round trip over
// every byte value and every short byte string of awkward bytes.
#include "analysis/core/file_names.h"
#include "analysis/core/types.h"

#include <gtest/gtest.h>

#include <string>

using namespace featscale::analysis;

TEST(FileNames, EscapesOnlyWhatIsNotUtf8AndTheBackslash)
{
    EXPECT_EQ(escapeFileName("coffee.jpg"), "coffee.jpg");
    EXPECT_EQ(escapeFileName("caf\xc3\xa9.jpg"), "caf\xc3\xa9.jpg"); // UTF-8 é stays
    EXPECT_EQ(escapeFileName("caf\xe9.jpg"), "caf\\xe9.jpg");        // Latin-1 é does not
    EXPECT_EQ(escapeFileName("a\\b"), "a\\\\b");
    EXPECT_EQ(escapeFileName("\xff\xfe"), "\\xff\\xfe");
    EXPECT_EQ(escapeFileName("\xc0\xaf"), "\\xc0\\xaf");                   // overlong '/'
    EXPECT_EQ(escapeFileName("\xed\xa0\x80"), "\\xed\\xa0\\x80");          // a UTF-16 surrogate
    EXPECT_EQ(escapeFileName("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); // above U+10FFFF
    EXPECT_EQ(escapeFileName("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");     // U+1F600 stays
    EXPECT_EQ(escapeFileName("\xe6\x97"), "\\xe6\\x97");                   // cut sequence
    EXPECT_EQ(escapeFileName("*"), "*"); // the run writer, not this function, keeps "*" apart
}

TEST(FileNames, PrintableEscapesWhatATerminalObeys)
{
    // An OSC title change, a bell and a clear screen: nothing of it reaches the terminal raw.
    EXPECT_EQ(printable("\x1b]0;PWNED\x07\x1b[2J"), "\\x1b]0;PWNED\\x07\\x1b[2J");
    EXPECT_EQ(printable("a\rb\nc\td\x7f"), "a\\x0db\\x0ac\\x09d\\x7f");
    EXPECT_EQ(printable("\xc2\x9b"
                        "31m"),
              "\\xc2\\x9b"
              "31m"); // C1 CSI, U+009B
    EXPECT_EQ(printable("\xe2\x80\xae"
                        "gpj.exe"),
              "\\xe2\\x80\\xae"
              "gpj.exe");                                                     // U+202E
    EXPECT_EQ(printable("\xe2\x81\xa6x"), "\\xe2\\x81\\xa6x");                // U+2066
    EXPECT_EQ(printable("caf\xc3\xa9 \xc2\xa0ok"), "caf\xc3\xa9 \xc2\xa0ok"); // é, NBSP stay
    EXPECT_EQ(printable("caf\xe9"), "caf\\xe9");
    EXPECT_EQ(printable("\xe2\x80\x94"), "\xe2\x80\x94"); // an em dash stays
    EXPECT_EQ(escapeFileName("\x1b[2J"), "\x1b[2J");      // run files keep controls as they are
    std::string all;
    for (int b = 0; b < 256; ++b)
        all += static_cast<char>(b);
    const std::string shown = printable(all);
    for (char c : shown)
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << "raw control in " << shown;
    EXPECT_EQ(unescapeFileName(shown, "test"), all);
}

TEST(FileNames, RoundTripsEveryByte)
{
    std::string all;
    for (int b = 1; b < 256; ++b)
        all += static_cast<char>(b);
    const std::string escaped = escapeFileName(all);
    EXPECT_TRUE(isUtf8(escaped));
    EXPECT_EQ(unescapeFileName(escaped, "test"), all);
    // every pair of awkward bytes, including ones that look like escapes once written
    static const char kAwkward[] = "\\x0aA\x80\xc3\xa9\xe9\xf0";
    const std::string awkward(kAwkward, sizeof kAwkward - 1);
    for (char a : awkward)
        for (char b : awkward)
            for (char c : awkward) {
                const std::string s{a, b, c};
                EXPECT_EQ(unescapeFileName(escapeFileName(s), "test"), s);
            }
}

TEST(FileNames, MalformedEscapesAreErrorsNamingTheSource)
{
    for (const char* bad : {"a\\", "a\\x", "a\\x4", "a\\xzz", "a\\n"}) {
        try {
            unescapeFileName(bad, "run/summary.json");
            ADD_FAILURE() << bad << " was accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("run/summary.json"), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(unescapeFileName("\\x2a", "test"), "*");
}
