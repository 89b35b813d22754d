// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstdint>

namespace featscale::ui {

/// The engine's UNTRAINED sentence (analysis::kUntrainedSentence) and its short mark in the GUI
/// language, for every view that flags results of featscale's seeded default weights. Any thread.
class UntrainedText {
    Q_DECLARE_TR_FUNCTIONS(featscale::ui::UntrainedText)
public:
    static QString sentence();                   ///< the sentence, translated
    static QString sentence(std::uint64_t seed); ///< naming the seed, as analysis::untrainedSentence()
    static QString mark();                       ///< "UNTRAINED weights", for titles and badges
};

} // namespace featscale::ui
