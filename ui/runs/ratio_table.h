// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/runs/run_compare.h"

#include <QTableWidget>

namespace featscale::ui {

class RunSet;

/// The ratio table of the comparison: per layer and stage, each shown run's median and its ratio
/// to the reference run's median; below, each run's within-run ratio (conv4_3 / fc7, or the layers
/// the run has) before and after L2Norm. Values read from binned histograms are marked ≈.
/// The numbers come from analysis::compareAggregates and analysis::withinRunRatios; each cell's
/// number is also its Qt::UserRole data (ratio, NaN when unavailable) and the median its
/// Qt::UserRole + 1 data. GUI thread.
class RatioTable : public QTableWidget {
    Q_OBJECT
public:
    explicit RatioTable(RunSet* runs, QWidget* parent = nullptr);

    /// The comparison last shown (empty when fewer than one run is ready and visible).
    const analysis::RunComparison& comparison() const { return m_comparison; }
    /// Rebuilds from the run set (called on its dataChanged, and by the comparison view).
    void rebuild();

protected:
    void changeEvent(QEvent* event) override;

private:
    RunSet* m_runs;
    analysis::RunComparison m_comparison;
};

} // namespace featscale::ui
