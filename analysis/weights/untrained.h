// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace featscale::analysis {

/// The sentence that marks everything computed with featscale's seeded default weights: run files,
/// weight summaries, the CLI's reports, gamma and probe files, figures and the GUI say it in these
/// words (the GUI in its language, through ui/state/untrained_text.h).
inline constexpr char kUntrainedSentence[] =
    "UNTRAINED weights: featscale's seeded random initialisation, not learned VGG16 weights";

/// kUntrainedSentence naming the seed: "... not learned VGG16 weights (seed 0)".
std::string untrainedSentence(std::uint64_t seed);

} // namespace featscale::analysis
