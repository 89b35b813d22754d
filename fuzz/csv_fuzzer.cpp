// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the RFC 4180 reader behind histograms.csv and gamma files. Oracle: whatever
// it parses, writing the rows back with csvField and parsing again gives the same rows.
#include "analysis/core/csv.h"
#include "analysis/core/types.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace featscale::analysis;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::vector<std::string>> rows;
    try {
        rows = parseCsv(text, "fuzz.csv");
    } catch (const Error&) {
        return 0; // unterminated quote: refused with a message
    }
    std::string again;
    for (const auto& row : rows) {
        if (row.size() == 1 && row[0].empty())
            return 0; // a lone empty field writes as an empty line, which the reader skips by design
        for (std::size_t i = 0; i < row.size(); ++i)
            again += (i ? "," : "") + csvField(row[i]);
        again += "\n";
    }
    if (parseCsv(again, "again.csv") != rows)
        std::abort();
    return 0;
}
