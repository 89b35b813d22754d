// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/untrained_text.h"

#include "analysis/weights/untrained.h"

namespace featscale::ui {
namespace {

// lupdate reads translatable texts from ui/ only, so the engine's sentence is spelled here for it;
// the static_assert keeps the two spellings one text.
constexpr const char* kSentence = QT_TRANSLATE_NOOP(
    "featscale::ui::UntrainedText",
    "UNTRAINED weights: featscale's seeded random initialisation, not learned VGG16 weights");

constexpr bool sameText(const char* a, const char* b)
{
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}
static_assert(sameText(kSentence, analysis::kUntrainedSentence),
              "the GUI's UNTRAINED sentence must be the engine's (analysis/weights/weight_info.h)");

} // namespace

QString UntrainedText::sentence() { return tr(kSentence); }

QString UntrainedText::sentence(std::uint64_t seed)
{
    return tr("%1 (seed %2)").arg(sentence(), QString::number(static_cast<qulonglong>(seed)));
}

QString UntrainedText::mark() { return tr("UNTRAINED weights"); }

} // namespace featscale::ui
