// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QTabWidget;
class QTimer;
class QToolButton;

namespace featscale::ui {

class AppModel;
class ComparisonExport;
class PhotoStore;
class RatioTable;
class RunConcatView;
class RunOverlayView;
class RunSet;

/// The comparison of the shown runs: layer scales (one box per run and layer, run colours,
/// legend), the ratio table, histogram overlays (runs at one layer, or layers of one run), the
/// ParseNet concat of each run at the pinned pixel and any run's overlay on the current image;
/// the reference run of the ratios; exports of the CSV, every figure and norm maps.
/// Figures are drawn by the shared run figure functions (ui/figures). GUI thread; redraws are
/// coalesced and skipped while hidden.
class ComparePanel : public QWidget, public ViewStateOwner {
    Q_OBJECT
public:
    ComparePanel(AppModel* model, RunSet* runs, PhotoStore* photos, QWidget* parent = nullptr);

    QTabWidget* tabs() const { return m_tabs; }
    RatioTable* ratioTable() const { return m_ratios; }
    RunConcatView* concatView() const { return m_concat; }
    RunOverlayView* overlayView() const { return m_overlay; }
    QCustomPlot* layerScalesPlot() const { return m_scalesPlot; }
    QCustomPlot* histogramPlot() const { return m_histPlot; }
    ComparisonExport* exporter() const { return m_export; }
    QComboBox* referenceChoice() const { return m_reference; }
    /// Histogram overlay: of the runs at one layer (true) or of the layers of one run (false).
    void setHistogramByRuns(bool byRuns);

    /// Every figure of the view by file name (for "export all figures").
    QList<QPair<QString, QCustomPlot*>> figures() const;

    /// Recomputes and redraws now (normally coalesced); for tests and exports.
    void refreshNow();

    QString viewStateKey() const override { return QStringLiteral("comparePanel"); }

    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

public Q_SLOTS:
    void exportCsvDialog();
    void exportFiguresDialog();

Q_SIGNALS:
    /// A short user-level message for the message bar; `details` is shown on request.
    void message(const QString& text, const QString& details = {});

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void retranslate();
    void scheduleRefresh();
    void rebuildChoices();
    void drawLayerScales();
    void drawHistograms();

    AppModel* m_model;
    RunSet* m_runs;
    QComboBox* m_reference;
    QLabel* m_referenceLabel;
    QToolButton* m_exportButton;
    QTabWidget* m_tabs;
    QComboBox* m_scalesStages;
    QCustomPlot* m_scalesPlot;
    RatioTable* m_ratios;
    QLabel* m_ratioNote;
    QComboBox* m_histMode;
    QComboBox* m_histLayer;
    QComboBox* m_histRun;
    QComboBox* m_histStage;
    QCustomPlot* m_histPlot;
    RunConcatView* m_concat;
    RunOverlayView* m_overlay;
    ComparisonExport* m_export;
    QTimer* m_refresh;
    bool m_stale = true;
};

} // namespace featscale::ui
