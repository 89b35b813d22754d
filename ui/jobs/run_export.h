// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/runs/run_data.h"

#include <QString>
#include <QStringList>

namespace featscale::ui {

class AppModel;

/// Builds the engine's RunData from what the GUI shows, so the GUI writes exactly the files the
/// CLI writes (histograms.csv with the engine's bins, summary.csv, summary.json, run.json with
/// the weights and an UNTRAINED flag for default weights) through analysis::writeRun.
///
/// After-L2Norm stages carry the current gamma. An image whose features were dropped from
/// memory after a gamma change cannot be recomputed without a re-run: its after-stages are left
/// out and its note says so (listed in `staleImages`).
struct RunExport {
    analysis::RunData run;
    QStringList staleImages;

    /// allImages=false: the current image only. Failed images are listed as failures.
    static RunExport fromModel(const AppModel& model, bool allImages);
};

} // namespace featscale::ui
