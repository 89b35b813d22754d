// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/export_actions.h"

#include "ui/jobs/run_export.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"

#include "analysis/core/atomic_file.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMetaObject>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <filesystem>

namespace featscale::ui {

ExportActions::ExportActions(AppModel* model, QWidget* window) : QObject(window), m_model(model), m_window(window) { }

bool ExportActions::exportRun(const QString& dir, bool allImages)
{
    if (!m_model->hasEngine()) {
        Q_EMIT message(tr("Nothing to export yet: the network is still loading."));
        return false;
    }
    auto data = std::make_shared<RunExport>(RunExport::fromModel(*m_model, allImages));
    if (data->run.images.empty() && data->run.failures.empty()) {
        Q_EMIT message(tr("Nothing to export yet: no analysed images."));
        return false;
    }
    if (!data->staleImages.isEmpty())
        Q_EMIT message(tr("%n image(s) exported without after-L2Norm statistics: their features were "
                          "dropped from memory before the last gamma change (Re-run to include them).",
                          nullptr, data->staleImages.size()));
    const std::string target = dir.toStdString();
    QtConcurrent::run([data, target]() -> QString {
        try {
            analysis::writeRun(data->run, target); // histograms.csv/.json, summary.csv/.json, run.json
            return {};
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }).then(this, [this, dir](const QString& error) {
        if (error.isEmpty()) {
            Q_EMIT message(tr("Exported histograms and summaries to %1").arg(QDir::toNativeSeparators(dir)));
            Q_EMIT exported(dir);
        } else {
            Q_EMIT message(tr("Export failed: %1").arg(error));
            Q_EMIT failed(error);
        }
    });
    return true;
}

void ExportActions::exportRunDialog(bool allImages)
{
    QSettings settings;
    const QString last = settings.value(QStringLiteral("paths/lastExportDir"), QDir::homePath()).toString();
    const QString dir = QFileDialog::getExistingDirectory(
        m_window,
        allImages ? tr("Export histograms and summaries of all images into folder")
                  : tr("Export histograms and summaries of the current image into folder"),
        last);
    if (dir.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastExportDir"), dir);
    exportRun(dir, allImages);
}

void ExportActions::populatePlotMenu(QMenu* menu)
{
    menu->clear();
    const auto plots = m_window->findChildren<QCustomPlot*>();
    for (QCustomPlot* plot : plots) {
        QAction* a = menu->addAction(plotTitle(plot) + (plot->isVisible() ? QString() : tr(" (hidden tab)")));
        connect(a, &QAction::triggered, this, [this, plot] { exportPlotDialog(plot); });
    }
    if (plots.isEmpty())
        menu->addAction(tr("no plots"))->setEnabled(false);
}

bool ExportActions::exportPlot(QCustomPlot* plot, const QString& path)
{
    // Panels in hidden tabs skip redraws: bring the plot's panel up to date before saving it.
    for (QObject* o = plot->parent(); o; o = o->parent())
        if (o->metaObject()->indexOfMethod("refreshNow()") >= 0) {
            QMetaObject::invokeMethod(o, "refreshNow", Qt::DirectConnection);
            break;
        }
    QString error;
    if (!savePlot(plot, path, &error)) {
        Q_EMIT message(tr("Plot export failed: %1").arg(error));
        Q_EMIT failed(error);
        return false;
    }
    Q_EMIT message(tr("Saved plot to %1").arg(QDir::toNativeSeparators(path)));
    Q_EMIT exported(path);
    return true;
}

void ExportActions::exportPlotDialog(QCustomPlot* plot)
{
    QSettings settings;
    const QString last = settings.value(QStringLiteral("paths/lastExportDir"), QDir::homePath()).toString();
    const QString name = plotFileBaseName(plot);
    QString filter;
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export plot"),
                                                      last + QLatin1Char('/') + name + QStringLiteral(".png"),
                                                      plotFileFilter(), &filter);
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastExportDir"), QFileInfo(path).absolutePath());
    exportPlot(plot, path);
}

void ExportActions::exportVisiblePlotDialog()
{
    for (QCustomPlot* plot : m_window->findChildren<QCustomPlot*>())
        if (plot->isVisible()) {
            exportPlotDialog(plot);
            return;
        }
    Q_EMIT message(tr("No plot is visible to export."));
}

} // namespace featscale::ui
