// SPDX-License-Identifier: GPL-3.0-or-later
// ComparePanel's figures, drawn by the shared run figure functions (ui/figures/run_figures.h).
#include "ui/runs/compare_panel.h"

#include "ui/figures/run_figures.h"
#include "ui/plots/qcp.h"
#include "ui/runs/run_set.h"

#include <QComboBox>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {

std::vector<FigureRun> figureRuns(const RunSet& runs)
{
    std::vector<FigureRun> out;
    for (const RunEntry* r : runs.shownRuns())
        out.push_back({r->name, r->color, r->data});
    return out;
}

// An empty plot that says why it is empty.
void showNotice(QCustomPlot* plot, const QString& text)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->plotLayout()->clear();
    auto* rect = new QCPAxisRect(plot);
    plot->plotLayout()->addElement(0, 0, rect);
    rect->setVisible(false);
    auto* label = new QCPTextElement(plot, text);
    label->setTextFlags(Qt::AlignCenter | Qt::TextWordWrap);
    plot->plotLayout()->addElement(0, 0, label);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace

void ComparePanel::drawLayerScales()
{
    const std::vector<FigureRun> runs = figureRuns(*m_runs);
    if (runs.empty()) {
        showNotice(m_scalesPlot, tr("No run is shown: add runs in the Runs panel (Add from settings, or open a run "
                                    "folder written by featscale-cli)."));
        return;
    }
    FigureOptions options;
    options.stages = static_cast<FigureOptions::Stages>(m_scalesStages->currentData().toInt());
    try {
        run_figures::drawLayerScales(*m_scalesPlot, runs, options);
    } catch (const an::Error& e) {
        showNotice(m_scalesPlot, QString::fromUtf8(e.what()));
        return;
    }
    m_scalesPlot->replot(QCustomPlot::rpQueuedReplot);
}

void ComparePanel::drawHistograms()
{
    const std::vector<FigureRun> runs = figureRuns(*m_runs);
    if (runs.empty()) {
        showNotice(m_histPlot, tr("No run is shown: add runs in the Runs panel."));
        return;
    }
    const an::Stage stage = m_histStage->currentData().toInt() == 1 ? an::Stage::After : an::Stage::Before;
    FigureOptions options;
    try {
        if (m_histMode->currentData().toBool()) {
            if (m_histLayer->currentText().isEmpty())
                return showNotice(m_histPlot, tr("The shown runs have no layer."));
            run_figures::drawHistogramOverlay(*m_histPlot, runs, m_histLayer->currentText().toStdString(), stage,
                                              options);
        } else {
            const quint64 id = m_histRun->currentData().toULongLong();
            const auto it = std::find_if(runs.begin(), runs.end(), [&](const FigureRun& r) {
                const int i = m_runs->indexOfId(id);
                return i >= 0 && r.data == m_runs->run(i).data;
            });
            const FigureRun& run = it != runs.end() ? *it : runs.front();
            run_figures::drawLayerOverlay(*m_histPlot, run, run.data->meta.layers, stage, options);
        }
    } catch (const an::Error& e) {
        showNotice(m_histPlot, QString::fromUtf8(e.what()));
        return;
    }
    m_histPlot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace featscale::ui
