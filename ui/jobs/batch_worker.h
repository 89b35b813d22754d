// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"
#include "ui/state/app_model.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace featscale::ui {

/// Owns the Analyzer and runs it. Lives on BatchController's worker thread: every public method
/// is invoked there (queued), and answers go back to the GUI thread through `reply` callbacks
/// that BatchController posts to itself. Never touches AppModel.
///
/// Cancellation: `cancelFlag` is shared with the GUI thread; the engine checks it between layers
/// through its ProgressFn, so a cancel takes effect within one image.
///
/// Engine reuse: prepare() keeps the loaded engine when the weight file (path, size, modification
/// time) and every option that shapes the engine are unchanged, so a plain re-run does not read a
/// 500 MB file again. A newly built engine is provisional until commit(); revert() goes back to
/// the previous one (Cancel while loading).
class BatchWorker : public QObject {
    Q_OBJECT
public:
    explicit BatchWorker(std::shared_ptr<std::atomic<bool>> cancelFlag);
    ~BatchWorker() override;

    struct EngineOutcome {
        bool ok = false;
        bool reused = false; ///< the engine in use already matched: nothing was read
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

    /// Builds a new Analyzer (or keeps the current one, see above); on failure the previous one
    /// stays in use.
    EngineOutcome prepare(const analysis::AnalyzerOptions& options);
    /// Frees the engine replaced by the last prepare().
    void commit();
    /// Goes back to the engine the last prepare() replaced, if any.
    void revert();
    /// Analyses one file with the current Analyzer.
    ImageOutcome analyze(const QString& path);

    /// What identifies an engine: the options that shape it plus the weight file's identity
    /// (path, size, modification time). Equal keys give identical engines.
    static std::string engineKey(const analysis::AnalyzerOptions& options);

private:
    struct Loaded {
        std::unique_ptr<analysis::Analyzer> analyzer;
        std::map<std::string, std::vector<float>> usedGamma;
        std::string key;          ///< engineKey of the options asked for
        std::string effectiveKey; ///< same with the topology the weights chose
    };
    std::shared_ptr<std::atomic<bool>> m_cancel;
    Loaded m_current;
    Loaded m_previous;
};

} // namespace featscale::ui
