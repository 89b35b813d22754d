// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QCustomPlot;
class QMenu;
class QWidget;

namespace featscale::ui {

class AppModel;

/// File → Export: histograms and summaries (the engine's run files, current image or all
/// images) and any plot of the window as PNG/SVG/PDF. Files are written off the GUI thread and
/// atomically; outcomes are reported as non-modal messages.
class ExportActions : public QObject {
    Q_OBJECT
public:
    ExportActions(AppModel* model, QWidget* window);

    /// Writes histograms.csv, summary.csv, summary.json, run.json and histograms.json into dir. Returns false (and
    /// posts a message) when there is nothing to export; the write itself completes asynchronously
    /// and emits exported() or failed().
    bool exportRun(const QString& dir, bool allImages);
    /// Fills a menu with one entry per plot in the window (rebuilt on every show).
    void populatePlotMenu(QMenu* menu);
    bool exportPlot(QCustomPlot* plot, const QString& path);
    /// Asks for a file (named after the plot's title) and exports the plot there.
    void exportPlotDialog(QCustomPlot* plot);

public Q_SLOTS:
    void exportRunDialog(bool allImages);
    /// Exports the first visible plot of the window.
    void exportVisiblePlotDialog();

Q_SIGNALS:
    void exported(const QString& where);
    void failed(const QString& error);
    /// A short user-level message for the message bar; `details` (file names, the engine's wording)
    /// is shown on request.
    void message(const QString& text, const QString& details = {});

private:
    AppModel* m_model;
    QWidget* m_window;
};

} // namespace featscale::ui
