// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"
#include "analysis/runs/run_compare.h"
#include "analysis/runs/run_data.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <vector>

namespace featscale::ui {

/// One run of the comparison: an analysis configuration computed over a list of images in this
/// session ("settings" run), or a run directory written by the CLI and read from disk ("folder" run,
/// read-only; a merged result included). Plain data owned by RunSet; GUI thread.
///
/// Everything shown of a run is read from `data` (analysis::RunData, the one data model of runs)
/// and its aggregates, whatever its source; settings runs also keep each image's result (norm maps,
/// no cache) and the feature caches of their first images for the image overlay and concat view.
struct RunEntry {
    Q_DECLARE_TR_FUNCTIONS(RunEntry)
public:
    enum class Source { Settings, Folder };
    enum class State { Computing, Ready, Failed, Cancelled };

    quint64 id = 0; ///< stable while the run exists (indices shift on removal)
    QString name;
    QColor color;
    bool visible = true;
    Source source = Source::Settings;
    QString folder;                    ///< Folder runs: the run directory
    analysis::AnalyzerOptions options; ///< Settings runs: what was analysed (gamma included)
    QStringList images;                ///< Settings runs: the images, in order
    State state = State::Computing;
    QString error;           ///< Failed: why
    int done = 0, total = 0; ///< progress while Computing

    std::shared_ptr<const analysis::RunData> data;                    ///< Ready
    std::shared_ptr<const std::vector<analysis::StageRecord>> stages; ///< aggregate(*data)
    /// Settings runs: each analysed image's result (cache stripped), by image path.
    std::map<QString, std::shared_ptr<const analysis::ImageResult>> results;
    /// Settings runs: feature caches with activations of the first images (bounded), by path.
    std::map<QString, std::shared_ptr<const analysis::FeatureCache>> caches;

    bool ready() const { return state == State::Ready && data && stages; }
    bool readOnly() const { return source == Source::Folder; }
    /// What the comparison engine needs of this run.
    analysis::RunAggregates aggregates() const;
    /// Weights, topology, preset, size, eps, normalized layers with gamma, image count and the
    /// UNTRAINED flag, one per line (the run's recorded settings once it is ready).
    QString settingsText() const;
};

} // namespace featscale::ui
