// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/compare_panel.h"

#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include "ui/runs/comparison_export.h"
#include "ui/runs/ratio_table.h"
#include "ui/runs/run_concat_view.h"
#include "ui/runs/run_overlay_view.h"
#include "ui/runs/run_set.h"
#include "ui/state/app_model.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace featscale::ui {

namespace {

QWidget* column(QWidget* parent, QLayout* controls, QWidget* main, QWidget* below = nullptr)
{
    auto* w = new QWidget(parent);
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(2, 2, 2, 2);
    if (controls)
        l->addLayout(controls);
    l->addWidget(main, 1);
    if (below)
        l->addWidget(below);
    return w;
}

} // namespace

ComparePanel::ComparePanel(AppModel* model, RunSet* runs, PhotoStore* photos, QWidget* parent)
    : QWidget(parent), m_model(model), m_runs(runs), m_reference(new QComboBox(this)),
      m_referenceLabel(new QLabel(this)), m_exportButton(new QToolButton(this)), m_tabs(new QTabWidget(this)),
      m_scalesStages(new QComboBox(this)), m_scalesPlot(new QCustomPlot(this)), m_ratios(new RatioTable(runs, this)),
      m_ratioNote(new QLabel(this)), m_histMode(new QComboBox(this)), m_histLayer(new QComboBox(this)),
      m_histRun(new QComboBox(this)), m_histStage(new QComboBox(this)), m_histPlot(new QCustomPlot(this)),
      m_concat(new RunConcatView(model, runs, this)), m_overlay(new RunOverlayView(model, runs, photos, this)),
      m_export(new ComparisonExport(model, runs, this)), m_refresh(new QTimer(this))
{
    connect(m_export, &ComparisonExport::message, this, &ComparePanel::message);
    setObjectName(viewStateKey());
    m_tabs->setObjectName(QStringLiteral("compareTabs"));
    m_reference->setObjectName(QStringLiteral("referenceRun"));
    m_scalesPlot->setObjectName(QStringLiteral("compareScalesPlot"));
    m_histPlot->setObjectName(QStringLiteral("compareHistogramPlot"));
    m_histMode->setObjectName(QStringLiteral("histogramMode"));
    m_histLayer->setObjectName(QStringLiteral("histogramLayer"));
    m_histRun->setObjectName(QStringLiteral("histogramRun"));
    plot_style::applyDefaults(m_scalesPlot);
    plot_style::applyDefaults(m_histPlot);
    // narrower than the other panels' plots: this one shares a 1366-pixel window with the image view
    m_scalesPlot->setMinimumWidth(240);
    m_histPlot->setMinimumWidth(240);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(0);
    connect(m_refresh, &QTimer::timeout, this, &ComparePanel::refreshNow);
    m_ratioNote->setWordWrap(true);
    // Combo boxes as wide as ten characters at least, not as their longest entry: the panel must fit
    // a 1366-pixel window beside the image view.
    for (QComboBox* c : {m_reference, m_scalesStages, m_histMode, m_histLayer, m_histRun, m_histStage}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
    }
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    m_exportButton->setMenu(new QMenu(m_exportButton));

    auto* top = new QHBoxLayout;
    top->addWidget(m_referenceLabel);
    top->addWidget(m_reference);
    top->addStretch(1);
    top->addWidget(m_exportButton);

    auto* scalesControls = new QHBoxLayout;
    scalesControls->addWidget(m_scalesStages);
    scalesControls->addStretch(1);
    for (int i = 0; i < 3; ++i)
        m_scalesStages->addItem(QString(), i);
    m_scalesStages->setCurrentIndex(2);

    // two rows of two: four combo boxes in one row would not fit beside the image view
    auto* histControls = new QGridLayout;
    histControls->addWidget(m_histMode, 0, 0);
    histControls->addWidget(m_histLayer, 0, 1);
    histControls->addWidget(m_histRun, 0, 1);
    histControls->addWidget(m_histStage, 1, 0);
    histControls->setColumnStretch(2, 1);
    m_histMode->addItem(QString(), true);
    m_histMode->addItem(QString(), false);
    m_histStage->addItem(QString(), 0);
    m_histStage->addItem(QString(), 1);

    m_tabs->addTab(column(this, scalesControls, m_scalesPlot), QString());
    m_tabs->addTab(column(this, nullptr, m_ratios, m_ratioNote), QString());
    m_tabs->addTab(column(this, histControls, m_histPlot), QString());
    m_tabs->addTab(m_concat, QString());
    m_tabs->addTab(m_overlay, QString());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);

    connect(m_runs, &RunSet::dataChanged, this, [this] {
        rebuildChoices();
        scheduleRefresh();
    });
    connect(m_runs, &RunSet::runsChanged, this, &ComparePanel::rebuildChoices);
    connect(m_reference, &QComboBox::activated, this,
            [this] { m_runs->setReference(m_runs->indexOfId(m_reference->currentData().toULongLong())); });
    for (QComboBox* c : {m_scalesStages, m_histMode, m_histLayer, m_histRun, m_histStage})
        connect(c, &QComboBox::currentIndexChanged, this, &ComparePanel::scheduleRefresh);
    connect(m_histMode, &QComboBox::currentIndexChanged, this, [this] {
        const bool byRuns = m_histMode->currentData().toBool();
        m_histLayer->setVisible(byRuns);
        m_histRun->setVisible(!byRuns);
    });
    m_histRun->setVisible(false);
    connect(m_tabs, &QTabWidget::currentChanged, this, &ComparePanel::scheduleRefresh);
    retranslate();
    rebuildChoices();
}

void ComparePanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        scheduleRefresh();
    }
}

void ComparePanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        scheduleRefresh();
}

void ComparePanel::retranslate()
{
    m_referenceLabel->setText(tr("Reference:"));
    m_referenceLabel->setToolTip(tr("The run whose medians the ratio table divides by"));
    m_exportButton->setText(tr("Export"));
    QMenu* menu = m_exportButton->menu();
    menu->clear();
    menu->addAction(tr("Comparison CSV…"), this, &ComparePanel::exportCsvDialog);
    menu->addAction(tr("All figures…"), this, &ComparePanel::exportFiguresDialog);
    menu->addSeparator();
    menu->addAction(tr("Norm maps of the current image…"), m_export, [this] { m_export->exportNormMapsDialog(false); });
    menu->addAction(tr("Norm maps of all images…"), m_export, [this] { m_export->exportNormMapsDialog(true); });
    m_tabs->setTabText(0, tr("Scales"));
    m_tabs->setTabText(1, tr("Ratios"));
    m_tabs->setTabToolTip(0, tr("Layer scales: one box per run and layer"));
    m_tabs->setTabToolTip(3, tr("ParseNet concat of each run at the pinned pixel"));
    m_tabs->setTabToolTip(4, tr("A run's norm map over the current image"));
    m_tabs->setTabText(2, tr("Histograms"));
    m_tabs->setTabText(3, tr("Concat"));
    m_tabs->setTabText(4, tr("Image"));
    m_scalesStages->setItemText(0, tr("before L2Norm"));
    m_scalesStages->setItemText(1, tr("after L2Norm"));
    m_scalesStages->setItemText(2, tr("before and after"));
    m_histMode->setItemText(0, tr("Runs at one layer"));
    m_histMode->setItemText(1, tr("Layers of one run"));
    m_histStage->setItemText(0, tr("before L2Norm"));
    m_histStage->setItemText(1, tr("after L2Norm"));
    m_ratioNote->setText(tr("Each cell: the run's median over all its images and its ratio to the reference run's "
                            "median. ≈: read from merged histograms (bin-width accuracy). Hidden runs are left out."));
}

void ComparePanel::setHistogramByRuns(bool byRuns)
{
    m_histMode->setCurrentIndex(byRuns ? 0 : 1);
    refreshNow();
}

void ComparePanel::rebuildChoices()
{
    const QSignalBlocker b1(m_reference), b2(m_histLayer), b3(m_histRun);
    const QString layer = m_histLayer->currentText();
    const quint64 histRun = m_histRun->currentData().toULongLong();
    m_reference->clear();
    m_histLayer->clear();
    m_histRun->clear();
    const int ref = m_runs->reference();
    for (const RunEntry* r : m_runs->shownRuns()) {
        m_reference->addItem(r->name, r->id);
        m_histRun->addItem(r->name, r->id);
        if (ref >= 0 && r->id == m_runs->run(ref).id)
            m_reference->setCurrentIndex(m_reference->count() - 1);
        if (r->id == histRun)
            m_histRun->setCurrentIndex(m_histRun->count() - 1);
        for (const auto& l : r->data->meta.layers)
            if (m_histLayer->findText(QString::fromStdString(l)) < 0)
                m_histLayer->addItem(QString::fromStdString(l));
    }
    const int li = m_histLayer->findText(layer.isEmpty() ? QStringLiteral("conv4_3") : layer);
    if (li >= 0)
        m_histLayer->setCurrentIndex(li);
}

void ComparePanel::scheduleRefresh()
{
    m_stale = true;
    if (isVisible())
        m_refresh->start();
}

void ComparePanel::refreshNow()
{
    m_stale = false;
    drawLayerScales();
    drawHistograms();
}

QList<QPair<QString, QCustomPlot*>> ComparePanel::figures() const
{
    return {{QStringLiteral("layer_scales"), m_scalesPlot},
            {QStringLiteral("histograms"), m_histPlot},
            {QStringLiteral("concat"), m_concat->plot()}};
}

void ComparePanel::exportCsvDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the comparison into a folder"));
    if (!dir.isEmpty())
        m_export->exportCsv(dir);
}

void ComparePanel::exportFiguresDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export every figure into a folder"));
    if (dir.isEmpty())
        return;
    refreshNow();
    m_concat->refresh();
    m_export->exportFigures(dir, figures(), {{QStringLiteral("overlay"), m_overlay->render(QSize(1200, 900))}});
}

QJsonObject ComparePanel::viewState() const
{
    return {{QStringLiteral("tab"), m_tabs->currentIndex()},
            {QStringLiteral("stages"), m_scalesStages->currentIndex()},
            {QStringLiteral("histogramByRuns"), m_histMode->currentData().toBool()},
            {QStringLiteral("histogramLayer"), m_histLayer->currentText()},
            {QStringLiteral("sharedConcatAxis"), m_concat->sharedAxis()}};
}

void ComparePanel::restoreViewState(const QJsonObject& state)
{
    const int tab = state.value(QStringLiteral("tab")).toInt(0);
    if (tab >= 0 && tab < m_tabs->count())
        m_tabs->setCurrentIndex(tab);
    const int stages = state.value(QStringLiteral("stages")).toInt(2);
    if (stages >= 0 && stages < 3)
        m_scalesStages->setCurrentIndex(stages);
    m_histMode->setCurrentIndex(state.value(QStringLiteral("histogramByRuns")).toBool(true) ? 0 : 1);
    const int li = m_histLayer->findText(state.value(QStringLiteral("histogramLayer")).toString());
    if (li >= 0)
        m_histLayer->setCurrentIndex(li);
    m_concat->setSharedAxis(state.value(QStringLiteral("sharedConcatAxis")).toBool());
}

} // namespace featscale::ui
