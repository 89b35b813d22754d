// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/comparison_export.h"

#include "analysis/core/atomic_file.h"
#include "analysis/runs/norm_map_archive.h"
#include "ui/plots/plot_export.h"
#include "ui/runs/run_set.h"
#include "ui/state/app_model.h"

#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QImageWriter>
#include <QProgressDialog>
#include <QPromise>
#include <QSaveFile>
#include <QtConcurrent>

#include <exception>
#include <memory>
#include <vector>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {

// Worker thread: the archive, published only when every map is in.
void writeNormMaps(QPromise<QString>& promise, QString path,
                   std::vector<std::shared_ptr<const an::ImageResult>> results)
{
    promise.setProgressRange(0, static_cast<int>(results.size()));
    try {
        an::NormMapArchive archive(path.toStdString());
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (promise.isCanceled())
                return; // the staged file is removed with the archive
            an::addImageNormMaps(archive, *results[i]);
            promise.setProgressValue(static_cast<int>(i + 1));
        }
        archive.close().publish();
    } catch (const std::exception& e) {
        promise.addResult(QString::fromUtf8(e.what()));
        return;
    }
    promise.addResult(QString());
}

} // namespace

ComparisonExport::ComparisonExport(AppModel* model, RunSet* runs, QWidget* window)
    : QObject(window), m_model(model), m_runs(runs), m_window(window)
{
    connect(this, &ComparisonExport::exported, this,
            [this](const QString& where) { Q_EMIT message(tr("Exported %1").arg(where)); });
    connect(this, &ComparisonExport::failed, this, [this](const QString& error) { Q_EMIT message(error); });
}

bool ComparisonExport::exportCsv(const QString& dir)
{
    const std::vector<const RunEntry*> shown = m_runs->shownRuns();
    if (shown.empty()) {
        Q_EMIT message(tr("Nothing to export: no run is ready and shown."));
        return false;
    }
    try {
        const an::RunComparison comparison = m_runs->compare();
        std::vector<std::string> names;
        for (const RunEntry* r : shown)
            names.push_back(r->name.toStdString());
        an::ensureDirectory(dir.toStdString());
        const QDir d(dir);
        an::writeFilesAtomically(
            {{d.filePath(QStringLiteral("comparison.csv")).toStdString(), an::comparisonCsv(comparison)},
             {d.filePath(QStringLiteral("within_run_ratios.csv")).toStdString(),
              an::withinRunRatiosCsv(names, m_runs->withinRunRatios())}});
    } catch (const an::Error& e) {
        Q_EMIT failed(tr("Comparison not exported: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    Q_EMIT exported(QDir(dir).filePath(QStringLiteral("comparison.csv")));
    return true;
}

bool ComparisonExport::exportFigures(const QString& dir, const QList<QPair<QString, QCustomPlot*>>& plots,
                                     const QList<QPair<QString, QImage>>& images)
{
    try {
        an::ensureDirectory(dir.toStdString());
    } catch (const an::Error& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return false;
    }
    const QDir d(dir);
    for (const auto& [name, plot] : plots)
        for (const char* suffix : {".png", ".svg"}) {
            QString error;
            if (!savePlot(plot, d.filePath(name + QLatin1String(suffix)), &error, 1600, 1000)) {
                Q_EMIT failed(error);
                return false;
            }
        }
    for (const auto& [name, image] : images) {
        if (image.isNull())
            continue;
        QSaveFile file(d.filePath(name + QStringLiteral(".png")));
        if (!file.open(QIODevice::WriteOnly) || !QImageWriter(&file, "png").write(image) || !file.commit()) {
            Q_EMIT failed(tr("%1: cannot be written (%2)").arg(file.fileName(), file.errorString()));
            return false;
        }
    }
    Q_EMIT exported(dir);
    return true;
}

bool ComparisonExport::exportNormMaps(const QString& path, bool allImages)
{
    if (m_busy) {
        Q_EMIT message(tr("Norm maps are being exported already."));
        return false;
    }
    // Collected here (the model is the GUI thread's), written there: one copy of each image's maps,
    // the after maps under the gamma now in force where the image's features are cached.
    std::vector<std::shared_ptr<const an::ImageResult>> results;
    for (int i = 0; i < m_model->imageCount(); ++i) {
        if (!allImages && i != m_model->currentIndex())
            continue;
        const auto& source = m_model->image(i).result;
        if (!source)
            continue;
        auto copy = std::make_shared<an::ImageResult>();
        copy->path = source->path;
        for (const an::LayerResult& l : source->layers) {
            an::LayerResult c;
            c.layer = l.layer;
            c.normalized = l.normalized;
            c.before = l.before;
            if (l.normalized) {
                const an::NormMap* after = m_model->normMap(i, l.layer, an::Stage::After);
                c.after = after ? *after : l.after;
            }
            copy->layers.push_back(std::move(c));
        }
        results.push_back(std::move(copy));
    }
    if (results.empty()) {
        Q_EMIT message(allImages ? tr("No norm maps to export: no image is analysed yet.")
                                 : tr("No norm maps to export: the current image is not analysed yet."));
        return false;
    }
    m_busy = true;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this,
            [this, watcher](int v) { Q_EMIT progress(v, watcher->progressMaximum()); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        m_busy = false;
        watcher->deleteLater();
        if (watcher->future().isCanceled() || watcher->future().resultCount() == 0) {
            Q_EMIT failed(tr("Norm-map export cancelled; %1 is unchanged.").arg(path));
            return;
        }
        const QString error = watcher->result();
        if (error.isEmpty())
            Q_EMIT exported(path);
        else
            Q_EMIT failed(error);
    });
    watcher->setFuture(QtConcurrent::run(writeNormMaps, path, std::move(results)));
    if (m_window) {
        auto* dialog = new QProgressDialog(tr("Writing norm maps…"), tr("Cancel"), 0, 0, m_window);
        dialog->setWindowModality(Qt::WindowModal);
        dialog->setMinimumDuration(500);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(watcher, &QFutureWatcherBase::progressRangeChanged, dialog, &QProgressDialog::setRange);
        connect(watcher, &QFutureWatcherBase::progressValueChanged, dialog, &QProgressDialog::setValue);
        connect(watcher, &QFutureWatcherBase::finished, dialog, &QProgressDialog::close);
        connect(dialog, &QProgressDialog::canceled, watcher, &QFutureWatcherBase::cancel);
    }
    return true;
}

void ComparisonExport::exportNormMapsDialog(bool allImages)
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export norm maps"), QStringLiteral("norm_maps.npz"),
                                                      tr("numpy archive (*.npz)"));
    if (!path.isEmpty())
        exportNormMaps(path, allImages);
}

} // namespace featscale::ui
