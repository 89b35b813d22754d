// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the run-directory reader (run.json, summary.json, histograms.csv) as used by
// `featscale-cli merge`. The input holds the three files separated by kSeparator lines. Every
// input must either read or throw analysis::Error; a successful read must also aggregate.
#include "analysis/runs/run_data.h"

#include <cstdint>
#include <string>

namespace {
const std::string kSeparator = "\n--featscale-fuzz-file--\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace featscale::analysis;
    const std::string in(reinterpret_cast<const char*>(data), size);
    std::string parts[3];
    std::size_t from = 0;
    for (int i = 0; i < 3; ++i) {
        const std::size_t at = i < 2 ? in.find(kSeparator, from) : std::string::npos;
        parts[i] = in.substr(from, at == std::string::npos ? std::string::npos : at - from);
        if (at == std::string::npos) {
            from = in.size();
        } else {
            from = at + kSeparator.size();
        }
    }
    try {
        const RunData run = parseRun("fuzz-run", parts[0], parts[1], parts[2]);
        (void)aggregate(run);
    } catch (const Error&) {
        // refused with a message naming the file
    }
    return 0;
}
