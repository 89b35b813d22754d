// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/runs/run_entry.h"

#include <QJsonArray>
#include <QObject>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

template <typename T> class QFutureWatcher;

namespace featscale::ui {

class AppModel;

/// The runs held side by side for comparison (up to kMaxRuns): adding a run from the current
/// model settings (analysed again over the loaded images in a worker, with progress and cancel),
/// opening a run folder (read by analysis::readRun in a worker), naming, colouring, hiding,
/// removing, and the comparison's reference run. Saves to and restores from the session.
///
/// Thread affinity: GUI thread. Work runs in QtConcurrent tasks that share nothing with the GUI
/// thread but an atomic cancel flag; their outcome is applied here when they finish. A removed or
/// destroyed run's task is cancelled, and the destructor waits for running tasks.
class RunSet : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 8;
    /// Bytes of feature caches a settings run keeps for the concat view (images in list order).
    static constexpr std::size_t kCacheBudget = 256u << 20;

    explicit RunSet(QObject* parent = nullptr);
    ~RunSet() override;

    int count() const { return static_cast<int>(m_runs.size()); }
    const RunEntry& run(int index) const; ///< index must be valid
    int indexOfId(quint64 id) const;      ///< -1 when gone
    /// Ready and visible runs, in list order: what the comparison shows.
    std::vector<const RunEntry*> shownRuns() const;

    /// A run of model.options() with model's current gamma over model's images. Returns its index,
    /// or -1 (and a message) when the set is full or no images are loaded.
    int addFromSettings(const AppModel& model);
    /// A run of `options` over `images` (session restore, tests).
    int addSettingsRun(const analysis::AnalyzerOptions& options, const QStringList& images, const QString& name = {});
    /// A run directory, read in a worker. Returns its index, or -1 when the set is full.
    int addFolder(const QString& dir, const QString& name = {});
    /// A run already in memory (tests, merged results); shown as a read-only folder run.
    int addData(std::shared_ptr<const analysis::RunData> data, const QString& name, const QString& folder = {});

    void setName(int index, const QString& name);
    void setColor(int index, const QColor& color);
    void setVisible(int index, bool visible);
    void remove(int index);
    void cancel(int index); ///< stops a computing run (it stays, marked cancelled)
    void clear();

    /// The run whose medians the ratio table divides by; its index, or -1 when no run is ready.
    int reference() const;
    void setReference(int index);

    bool isBusy() const; ///< a run is being computed or read

    /// The shown runs compared by the engine (analysis::compareAggregates, ratios to the reference
    /// run's medians). Throws analysis::Error when they have no layer and stage in common.
    analysis::RunComparison compare() const;
    /// Per shown run: its within-run ratios (analysis::withinRunRatios of the layers
    /// analysis::defaultRatioLayers picks for it; empty when it has fewer than two layers).
    std::vector<std::vector<analysis::WithinRunRatio>> withinRunRatios() const;

    /// The runs for the session file: name, colour, hidden, and folder path or settings and images.
    QJsonArray toJson() const;
    /// Replaces the runs by the session's. Entries that cannot be restored (a vanished folder) are
    /// listed in the returned messages; the others are restored.
    QStringList restore(const QJsonArray& runs);

Q_SIGNALS:
    void runsChanged();         ///< runs added, removed or reordered
    void runChanged(int index); ///< a run's name, colour, visibility, progress or state
    void dataChanged();         ///< what the comparison shows changed (ready, visibility, reference)
    void message(const QString& text);

private:
    struct Task;
    RunEntry& add(RunEntry entry);
    QColor nextColor() const;
    void startSettings(RunEntry& entry);
    void startFolder(RunEntry& entry);
    void finishTask(quint64 id);

    std::vector<RunEntry> m_runs;
    std::map<quint64, std::unique_ptr<Task>> m_tasks;
    quint64 m_nextId = 1;
    quint64 m_reference = 0; ///< id; 0 = the first ready run
};

} // namespace featscale::ui
