// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <functional>

class QCustomPlot;
class QWidget;

namespace featscale::ui {

class AppModel;
class RunSet;

/// Exports of the comparison and of norm maps. Files are written atomically; the norm-map archive
/// (numpy .npz, keys IMAGE:LAYER:STAGE exactly as `featscale-cli analyze --save-maps` writes them)
/// is written in a worker with progress and cancel. Outcomes are posted as AppModel messages and
/// signalled. GUI thread.
class ComparisonExport : public QObject {
    Q_OBJECT
public:
    ComparisonExport(AppModel* model, RunSet* runs, QWidget* window);

    /// comparison.csv (engine's comparisonCsv: medians, p5, p95, ratio to the reference run) and
    /// within_run_ratios.csv of the shown runs into dir. False (and a message) when no run is shown.
    bool exportCsv(const QString& dir);
    /// Each named figure as NAME.png and NAME.svg into dir (the plot export's atomic writer).
    bool exportFigures(const QString& dir, const QList<QPair<QString, QCustomPlot*>>& plots,
                       const QList<QPair<QString, QImage>>& images = {});
    /// norm_maps.npz of the current image or every analysed image, with the current gamma where the
    /// image's features are cached (else the gamma it was analysed with). Asynchronous: finished()
    /// or failed() follow. False (and a message) when nothing is analysed.
    bool exportNormMaps(const QString& path, bool allImages);
    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    void exportNormMapsDialog(bool allImages);

Q_SIGNALS:
    void progress(int done, int total);
    void exported(const QString& where);
    void failed(const QString& error);
    /// A short user-level message for the message bar; `details` is shown on request.
    void message(const QString& text, const QString& details = {});

private:
    AppModel* m_model;
    RunSet* m_runs;
    QWidget* m_window;
    bool m_busy = false;
};

} // namespace featscale::ui
