// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/jobs/trajectory_loader.h"
#include "ui/state/view_state.h"

#include <QPoint>
#include <QStringList>
#include <QWidget>

#include <vector>

class QCheckBox;
class QCustomPlot;
class QCPAxisRect;
class QCPItemStraightLine;
class QLabel;
class QMouseEvent;
class QProgressBar;
class QPushButton;

namespace featscale::ui {

class AppModel;

/// The Training tab: feature scale across a training run. Opens a folder or files of checkpoints
/// (optionally analysed over the image list), loads them off the GUI thread with progress and
/// Cancel (TrajectoryLoader), and draws the trajectory figure (trajectory_figure: per-layer medians
/// before and after L2Norm with images, γ's mean with its min–max band, the channel × step heatmap
/// of γ). The plots are linked: hovering a checkpoint marks it in every plot; clicking it makes it
/// the current weights through an undoable ChangeWeights on the model's stack (rerunRequested then
/// asks the window for the re-run). Exports the CSV files (the engine's TrajectoryWriter) and the
/// figure (PNG/SVG/PDF). The session keeps the checkpoint list and the image choice (view state
/// "training"), reloaded asynchronously when the session opens. GUI thread only.
class TrainingPanel : public QWidget, public ViewStateOwner {
    Q_OBJECT
public:
    explicit TrainingPanel(AppModel* model, QWidget* parent = nullptr);
    ~TrainingPanel() override;

    /// Starts loading paths (files, or folders standing for their weight files); the images of
    /// the image list are analysed through every checkpoint when overImages. A running load is
    /// cancelled first. False, saying why in the tab, when there is nothing to load.
    bool loadCheckpoints(const QStringList& paths, bool overImages);
    void cancelLoad();
    bool isLoading() const;
    /// Blocks until the running load has ended and its result is drawn (tests).
    void waitForLoad();

    QCustomPlot* plot() const { return m_plot; }
    /// The checkpoints drawn, in training order (what hover and click refer to).
    const analysis::TrajectoryData& shown() const { return m_data; }
    /// The checkpoint marked in every plot (index into shown().checkpoints), -1 for none.
    int markedCheckpoint() const { return m_marked; }
    /// The markers, one per plot (each at the marked checkpoint's x in its plot).
    const std::vector<QCPItemStraightLine*>& markers() const { return m_markers; }
    /// The x of checkpoint index in the plot drawn into rect.
    double keyOf(int index, const QCPAxisRect* rect) const;
    void markCheckpoint(int index);
    /// Makes the checkpoint the current weights (one undo step).
    void useCheckpoint(int index);
    QString statusText() const;
    /// Draws the figure again (at the plot's current width), keeping the marker.
    Q_INVOKABLE void refreshNow();

    bool exportCsv(const QString& dir, QString* error) const;
    bool exportFigure(const QString& path, QString* error) const;

    QString viewStateKey() const override { return QStringLiteral("training"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

Q_SIGNALS:
    void rerunRequested();
    void message(const QString& text, const QString& details = {});

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslate();
    void openDialog(bool folder);
    void exportDialog(bool figure);
    void onProgress(int done, int total, bool analysing);
    void onFinished(const TrajectoryRun& run);
    void redraw();
    void updateStatus();
    int checkpointAt(const QPoint& pos) const;
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);

    AppModel* m_model;
    TrajectoryLoader* m_loader;
    QPushButton* m_openFolder;
    QPushButton* m_openFiles;
    QCheckBox* m_overImages;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QPushButton* m_exportCsv;
    QPushButton* m_exportFigure;
    QLabel* m_status;
    QCustomPlot* m_plot;

    QStringList m_paths;       ///< the checkpoint files of the list loaded last (session)
    bool m_usedImages = false; ///< whether that list was analysed over the images
    int m_requested = 0;       ///< checkpoints asked for in the running or last load
    TrajectoryRun m_run;
    analysis::TrajectoryData m_data;
    std::vector<QCPItemStraightLine*> m_markers;
    int m_marked = -1;
    QPoint m_pressPos;
    bool m_pressed = false;
    QString m_problem; ///< a load that could not start (shown instead of the run's summary)
};

} // namespace featscale::ui
