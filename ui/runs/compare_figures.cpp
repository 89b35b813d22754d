// SPDX-License-Identifier: GPL-3.0-or-later
// ComparePanel's figures, drawn by the shared run figure functions.
#include "ui/runs/compare_panel.h"

#include "ui/qcp.h"

namespace featscale::ui {

void ComparePanel::drawLayerScales()
{
    m_scalesPlot->replot(QCustomPlot::rpQueuedReplot);
}

void ComparePanel::drawHistograms()
{
    m_histPlot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace featscale::ui
