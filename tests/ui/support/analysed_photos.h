// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <memory>
#include <string>
#include <vector>

namespace featscale::ui {
class AppModel;
}

namespace featscale::ui::test {

/// Bundled photos analysed once with the default (untrained) weights, activations kept, so that
/// suites can load the same results into fresh models without paying the forward pass again.
class AnalysedPhotos {
public:
    /// l2normLayers: empty for the engine's default (conv4_3); otherwise these layers get L2Norm
    /// and are analysed along with the default taps.
    explicit AnalysedPhotos(const std::vector<const char*>& photos = {"coffee.jpg", "chelsea.jpg"},
                            const std::vector<std::string>& l2normLayers = {});
    /// The same with these analyser options (e.g. every tap, as the GUI analyses by default).
    AnalysedPhotos(const std::vector<const char*>& photos, analysis::AnalyzerOptions options,
                   const std::vector<std::string>& l2normLayers = {});
    ~AnalysedPhotos();
    /// Sets the engine info, adds the photos and their results, selects the first.
    void load(AppModel& model) const;

    std::vector<std::shared_ptr<analysis::ImageResult>> results;

private:
    std::unique_ptr<analysis::Analyzer> m_analyzer;
};

} // namespace featscale::ui::test
