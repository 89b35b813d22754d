// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <memory>
#include <vector>

namespace featscale::ui {
class AppModel;
}

namespace featscale::ui::test {

/// Bundled photos analysed once with the default (untrained) weights, activations kept, so that
/// suites can load the same results into fresh models without paying the forward pass again.
class AnalysedPhotos {
public:
    explicit AnalysedPhotos(const std::vector<const char*>& photos = {"coffee.jpg", "chelsea.jpg"});
    /// The same with these analyser options (e.g. every tap, as the GUI analyses by default).
    AnalysedPhotos(const std::vector<const char*>& photos, analysis::AnalyzerOptions options);
    ~AnalysedPhotos();
    /// Sets the engine info, adds the photos and their results, selects the first.
    void load(AppModel& model) const;

    std::vector<std::shared_ptr<analysis::ImageResult>> results;

private:
    std::unique_ptr<analysis::Analyzer> m_analyzer;
};

} // namespace featscale::ui::test
