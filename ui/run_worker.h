// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"
#include "ui/app_model.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace featscale::ui {

/// Owns the Analyzer and runs it. Lives on RunController's worker thread: every public method
/// is invoked there (queued), and answers go back to the GUI thread through `reply` callbacks
/// that RunController posts to itself. Never touches AppModel.
///
/// Cancellation: `cancelFlag` is shared with the GUI thread; the engine checks it between layers
/// through its ProgressFn, so a cancel takes effect within one image.
class RunWorker : public QObject {
    Q_OBJECT
public:
    explicit RunWorker(std::shared_ptr<std::atomic<bool>> cancelFlag);
    ~RunWorker() override;

    struct EngineOutcome {
        bool ok = false;
        QString error;
        AppModel::EngineInfo info;
        std::map<std::string, std::vector<float>> usedGamma; ///< per normalized layer
    };
    struct ImageOutcome {
        bool ok = false;
        bool cancelled = false;
        QString error;
        std::shared_ptr<analysis::ImageResult> result;
        std::map<std::string, std::vector<float>> usedGamma;
    };

    /// What AppModel needs to know of an engine: weights, layers, channels, default gamma.

    /// Builds a new Analyzer; on failure the previous one stays in use.
    EngineOutcome prepare(const analysis::AnalyzerOptions& options);
    /// Analyses one file with the current Analyzer.
    ImageOutcome analyze(const QString& path);

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::unique_ptr<analysis::Analyzer> m_analyzer;
    std::map<std::string, std::vector<float>> m_usedGamma;
};

} // namespace featscale::ui
