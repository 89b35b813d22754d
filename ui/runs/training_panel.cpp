// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/training_panel.h"

#include "analysis/core/file_names.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/trajectory_figure.h"
#include "ui/figures/trajectory_figure_export.h"
#include "ui/panels/flow_layout.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"
#include "ui/state/weights_commands.h"

#include <QCheckBox>
#include <QDir>
#include <QEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QMouseEvent>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
/// Tall enough for three stacked plots with their axis titles and the legend, short enough to fit
/// the tab at 1366×768 (below that the
/// tab scrolls vertically rather than squeeze the plots).
constexpr int kPlotMinimumHeight = 520;
/// A press that moves less than this is a click (a checkpoint chosen), not a drag.
constexpr int kClickSlopPx = 4;

QString shownName(const std::string& path)
{
    return QString::fromStdString(an::printable(std::filesystem::path(path).filename().string()));
}

bool hasColorMap(QCustomPlot& plot, const QCPAxisRect* rect)
{
    for (int i = 0; i < plot.plottableCount(); ++i)
        if (const auto* map = qobject_cast<QCPColorMap*>(plot.plottable(i)); map && map->keyAxis()->axisRect() == rect)
            return true;
    return false;
}
} // namespace

TrainingPanel::TrainingPanel(AppModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_loader(new TrajectoryLoader(this)), m_openFolder(new QPushButton(this)),
      m_openFiles(new QPushButton(this)), m_overImages(new QCheckBox(this)), m_cancel(new QPushButton(this)),
      m_progress(new QProgressBar(this)), m_exportCsv(new QPushButton(this)), m_exportFigure(new QPushButton(this)),
      m_status(new QLabel(this)), m_plot(new QCustomPlot(this))
{
    setObjectName(QStringLiteral("trainingPanel"));
    const std::pair<QWidget*, const char*> names[] = {{m_openFolder, "trainingOpenFolder"},
                                                      {m_openFiles, "trainingOpenFiles"},
                                                      {m_overImages, "trainingOverImages"},
                                                      {m_cancel, "trainingCancel"},
                                                      {m_progress, "trainingProgress"},
                                                      {m_exportCsv, "trainingExportCsv"},
                                                      {m_exportFigure, "trainingExportFigure"},
                                                      {m_status, "trainingStatus"},
                                                      {m_plot, "trainingPlot"}};
    for (const auto& [widget, name] : names)
        widget->setObjectName(QLatin1String(name));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cancel->setEnabled(false);
    m_progress->setVisible(false);
    m_exportCsv->setEnabled(false);
    m_exportFigure->setEnabled(false);
    m_plot->setMinimumHeight(kPlotMinimumHeight);
    m_plot->setMouseTracking(true);
    m_plot->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_plot->installEventFilter(this);

    // the controls wrap into the tab's width rather than make the tab scroll sideways
    auto* controlsBox = new QWidget(this);
    auto* controls = new FlowLayout(controlsBox);
    controls->setContentsMargins(0, 0, 0, 0);
    for (const auto& [widget, name] : names)
        if (widget != m_status && widget != m_plot)
            controls->addWidget(widget);
    m_progress->setMinimumWidth(260);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(controlsBox);
    layout->addWidget(m_status);
    layout->addWidget(m_plot, 1);

    connect(m_openFolder, &QPushButton::clicked, this, [this] { openDialog(/*folder=*/true); });
    connect(m_openFiles, &QPushButton::clicked, this, [this] { openDialog(/*folder=*/false); });
    connect(m_cancel, &QPushButton::clicked, this, &TrainingPanel::cancelLoad);
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { exportDialog(/*figure=*/false); });
    connect(m_exportFigure, &QPushButton::clicked, this, [this] { exportDialog(/*figure=*/true); });
    connect(m_loader, &TrajectoryLoader::progress, this, &TrainingPanel::onProgress);
    connect(m_loader, &TrajectoryLoader::finished, this, &TrainingPanel::onFinished);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TrainingPanel::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &TrainingPanel::onMousePress);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &TrainingPanel::onMouseRelease);
    retranslate();
    updateStatus();
}

TrainingPanel::~TrainingPanel() = default;

void TrainingPanel::retranslate()
{
    m_openFolder->setText(tr("Open checkpoint folder…"));
    m_openFiles->setText(tr("Open checkpoints…"));
    m_overImages->setText(tr("Over the loaded images"));
    m_overImages->setToolTip(tr("Analyse every image of the image list through each checkpoint: the layers' "
                                "median norms before and after L2Norm over the steps (slower: one analysis "
                                "per checkpoint)"));
    m_cancel->setText(tr("Cancel"));
    m_exportCsv->setText(tr("Export CSV…"));
    m_exportFigure->setText(tr("Export figure…"));
    m_plot->setToolTip(tr("Hover a checkpoint to mark it in every plot; click it to make it the current "
                          "weights (Edit → Undo goes back)"));
}

bool TrainingPanel::eventFilter(QObject* watched, QEvent* event)
{
    // the figure wraps its legend to the plot's width when drawn: draw again at a new width
    if (watched == m_plot && event->type() == QEvent::Resize && !m_data.checkpoints.empty())
        QMetaObject::invokeMethod(this, &TrainingPanel::refreshNow, Qt::QueuedConnection);
    return QWidget::eventFilter(watched, event);
}

void TrainingPanel::refreshNow()
{
    const int marked = m_marked;
    redraw();
    markCheckpoint(marked);
}

void TrainingPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refreshNow();
        updateStatus();
    }
}

bool TrainingPanel::loadCheckpoints(const QStringList& paths, bool overImages)
{
    cancelLoad();
    waitForLoad();
    m_problem.clear();
    std::vector<std::string> files;
    for (const QString& p : paths) {
        const std::string path = QFile::encodeName(p).toStdString();
        if (QFileInfo(p).isDir()) {
            try {
                const auto inDir = an::checkpointFiles(path);
                files.insert(files.end(), inDir.begin(), inDir.end());
            } catch (const an::Error& e) {
                m_problem = QString::fromStdString(an::printable(e.what()));
            }
        } else {
            files.push_back(path);
        }
    }
    TrajectoryLoader::Job job;
    if (overImages)
        for (int i = 0; i < m_model->imageCount(); ++i)
            job.images.push_back(QFile::encodeName(m_model->image(i).path).toStdString());
    if (files.empty() || (overImages && job.images.empty())) {
        if (m_problem.isEmpty())
            m_problem = files.empty() ? tr("No weight files (.pth, .pt, .caffemodel, …) among %1.")
                                            .arg(QDir::toNativeSeparators(paths.join(QStringLiteral(", "))))
                                      : tr("“Over the loaded images” needs images in the image list.");
        updateStatus();
        return false;
    }
    m_paths.clear();
    for (const std::string& f : files)
        m_paths << QFile::decodeName(QByteArray::fromStdString(f));
    m_usedImages = overImages;
    m_overImages->setChecked(overImages);
    m_requested = static_cast<int>(files.size());
    job.checkpoints = std::move(files);
    job.options = m_model->options();
    m_loader->start(job);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, m_requested);
    m_progress->setValue(0);
    m_progress->setFormat(tr("reading %v of %m checkpoints"));
    m_progress->setVisible(true);
    updateStatus();
    return true;
}

void TrainingPanel::cancelLoad() { m_loader->cancel(); }

bool TrainingPanel::isLoading() const { return m_loader->isRunning(); }

void TrainingPanel::waitForLoad()
{
    // the finished signal is queued to this thread: let it arrive
    while (m_loader->isRunning()) {
        m_loader->waitForFinished();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
}

void TrainingPanel::onProgress(int done, int total, bool analysing)
{
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    m_progress->setFormat(analysing ? tr("analysing the images: %v of %m checkpoints")
                                    : tr("reading %v of %m checkpoints"));
}

void TrainingPanel::onFinished(const TrajectoryRun& run)
{
    m_run = run;
    m_data = m_run.figureData();
    m_cancel->setEnabled(false);
    m_progress->setVisible(false);
    m_exportCsv->setEnabled(!m_data.checkpoints.empty() || !m_data.failed.empty());
    m_exportFigure->setEnabled(!m_data.checkpoints.empty());
    redraw();
    updateStatus();
}

void TrainingPanel::redraw()
{
    m_markers.clear();
    m_marked = -1;
    if (m_data.checkpoints.empty()) {
        m_plot->clearPlottables();
        m_plot->clearItems();
        m_plot->replot();
        return;
    }
    try {
        trajectory_figure::drawTrajectory(*m_plot, m_data, trajectory_figure::parseNetLayers(m_data));
    } catch (const an::Error& e) {
        m_problem = QString::fromStdString(an::printable(e.what()));
        return;
    }
    for (QCPAxisRect* rect : m_plot->axisRects()) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(rect);
        line->setClipToAxisRect(true);
        for (QCPItemPosition* p : {line->point1, line->point2}) {
            p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            p->setAxisRect(rect);
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        line->point1->setCoords(0, 0);
        line->point2->setCoords(0, 1);
        line->setPen(QPen(QColor(40, 40, 40), 1, Qt::DashLine));
        line->setVisible(false);
        line->setSelectable(false);
        m_markers.push_back(line);
    }
    m_plot->replot();
}

double TrainingPanel::keyOf(int index, const QCPAxisRect* rect) const
{
    // as trajectory_figure places them: the heatmap's cells by position among the checkpoints with
    // γ, the other plots at the step (or the position in training order when a step is missing)
    const auto& cs = m_data.checkpoints;
    if (hasColorMap(*m_plot, rect)) {
        int position = 0;
        for (int i = 0; i < index; ++i)
            position += cs[static_cast<std::size_t>(i)].gammas.empty() ? 0 : 1;
        return position;
    }
    const bool bySteps = std::all_of(cs.begin(), cs.end(), [](const auto& c) { return c.step.has_value(); });
    return bySteps ? static_cast<double>(*cs[static_cast<std::size_t>(index)].step) : index;
}

void TrainingPanel::markCheckpoint(int index)
{
    if (index == m_marked)
        return;
    m_marked = index;
    const QList<QCPAxisRect*> rects = m_plot->axisRects();
    for (std::size_t i = 0; i < m_markers.size() && static_cast<int>(i) < rects.size(); ++i) {
        QCPItemStraightLine* line = m_markers[i];
        line->setVisible(index >= 0);
        if (index >= 0) {
            const double key = keyOf(index, rects[static_cast<int>(i)]);
            line->point1->setCoords(key, 0);
            line->point2->setCoords(key, 1);
        }
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    updateStatus();
}

int TrainingPanel::checkpointAt(const QPoint& pos) const
{
    QCPAxisRect* rect = m_plot->axisRectAt(pos);
    if (!rect || m_data.checkpoints.empty() || !rect->rect().contains(pos))
        return -1;
    const double x = pos.x();
    int best = -1;
    double bestDistance = 0;
    for (int i = 0; i < static_cast<int>(m_data.checkpoints.size()); ++i) {
        const double d = std::abs(rect->axis(QCPAxis::atBottom)->coordToPixel(keyOf(i, rect)) - x);
        if (best < 0 || d < bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

void TrainingPanel::onMouseMove(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton))
        markCheckpoint(checkpointAt(event->pos()));
}

void TrainingPanel::onMousePress(QMouseEvent* event)
{
    m_pressed = event->button() == Qt::LeftButton;
    m_pressPos = event->pos();
}

void TrainingPanel::onMouseRelease(QMouseEvent* event)
{
    if (!m_pressed || event->button() != Qt::LeftButton)
        return;
    m_pressed = false;
    if ((event->pos() - m_pressPos).manhattanLength() > kClickSlopPx)
        return;
    const int index = checkpointAt(event->pos());
    if (index >= 0)
        useCheckpoint(index);
}

void TrainingPanel::useCheckpoint(int index)
{
    if (index < 0 || index >= static_cast<int>(m_data.checkpoints.size()))
        return;
    const an::TrajectoryData::Point& c = m_data.checkpoints[static_cast<std::size_t>(index)];
    QPointer<TrainingPanel> self(this);
    const bool pushed = ChangeWeights::push(
        m_model, c.checkpoint,
        [self] {
            if (self)
                Q_EMIT self->rerunRequested();
        },
        tr("Use checkpoint %1").arg(shownName(c.checkpoint)));
    if (pushed)
        Q_EMIT message(tr("Weights: %1 (%2) from the training run; Edit → Undo goes back")
                           .arg(shownName(c.checkpoint), c.step ? tr("step %1").arg(*c.step) : tr("no step recorded")));
}

void TrainingPanel::updateStatus() { m_status->setText(statusText()); }

QString TrainingPanel::statusText() const
{
    // a problem with the last request comes first; the run drawn (if any) stays and is described
    QStringList lines{m_problem};
    if (isLoading())
        return (lines << (m_usedImages ? tr("Loading %n checkpoint(s) over the images…", nullptr, m_requested)
                                       : tr("Loading %n checkpoint(s)…", nullptr, m_requested)))
            .join(QLatin1Char('\n'))
            .trimmed();
    if (m_run.trajectory.checkpoints.empty() && m_requested == 0)
        return m_problem.isEmpty() ? tr("Open a folder or files of checkpoints saved during training to see γ and, "
                                        "over the loaded images, the feature scale across the steps.")
                                   : m_problem;
    const int shown = static_cast<int>(m_data.checkpoints.size());
    if (shown == 0) {
        QString first = m_data.failed.empty() ? QString()
                                              : QString::fromStdString(an::printable(m_data.failed.front().second));
        lines << tr("None of the %n checkpoint(s) could be read; nothing is drawn and the current weights "
                    "are unchanged.",
                    nullptr, static_cast<int>(m_run.trajectory.checkpoints.size()))
              << first;
    } else {
        lines << tr("%n checkpoint(s) of the training run", nullptr, shown) +
                     (m_run.images > 0 ? tr(", each over %n image(s)", nullptr, static_cast<int>(m_run.images))
                                       : QString());
        if (!m_data.failed.empty())
            lines << tr("%n checkpoint(s) skipped; the first: %1", nullptr, static_cast<int>(m_data.failed.size()))
                         .arg(QString::fromStdString(an::printable(m_data.failed.front().second)));
    }
    if (!m_run.complete)
        lines << tr("Cancelled: %1 of %2 checkpoints loaded; the rest were not read.").arg(shown).arg(m_requested);
    for (const std::string& n : m_data.notes)
        lines << QString::fromStdString(an::printable(n));
    if (m_marked >= 0) {
        const auto& c = m_data.checkpoints[static_cast<std::size_t>(m_marked)];
        lines << tr("Marked: %1, %2 (click to use these weights)")
                     .arg(c.step ? tr("step %1").arg(*c.step) : tr("no step recorded"), shownName(c.checkpoint));
    }
    lines.removeAll(QString());
    return lines.join(QLatin1Char('\n'));
}

bool TrainingPanel::exportCsv(const QString& dir, QString* error) const
{
    try {
        m_run.write(QFile::encodeName(dir).toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(an::printable(e.what()));
        return false;
    }
}

bool TrainingPanel::exportFigure(const QString& path, QString* error) const
{
    return trajectory_figure::saveTrajectoryFigure(m_data, trajectory_figure::parseNetLayers(m_data), path, error);
}

void TrainingPanel::openDialog(bool folder)
{
    QSettings settings;
    const QString key = QStringLiteral("paths/lastCheckpointDir");
    const QString start = settings.value(key).toString();
    const QStringList paths =
        folder ? QStringList{QFileDialog::getExistingDirectory(this, tr("Open a folder of checkpoints"), start)}
               : QFileDialog::getOpenFileNames(this, tr("Open checkpoints"), start,
                                               tr("Checkpoints (*.pth *.pt *.pkl *.tar *.ckpt *.bin *.caffemodel "
                                                  "*.t7 *.h5 *.onnx);;All files (*)"));
    if (paths.isEmpty() || paths.front().isEmpty())
        return;
    settings.setValue(key, folder ? paths.front() : QFileInfo(paths.front()).absolutePath());
    loadCheckpoints(paths, m_overImages->isChecked());
}

void TrainingPanel::exportDialog(bool figure)
{
    QSettings settings;
    const QString key = QStringLiteral("paths/lastExportDir");
    const QString start = settings.value(key, QDir::homePath()).toString();
    QString path = figure
                       ? QFileDialog::getSaveFileName(this, tr("Export the training run's figure"),
                                                      QDir(start).filePath(QStringLiteral("trajectory.png")),
                                                      tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"))
                       : QFileDialog::getExistingDirectory(this, tr("Export the training run's CSV files"), start);
    if (path.isEmpty())
        return;
    if (figure && !figure_export::isFigureSuffix(QFileInfo(path).suffix().toLower()))
        path += QStringLiteral(".png");
    settings.setValue(key, figure ? QFileInfo(path).absolutePath() : path);
    QString error;
    const QString shown = QDir::toNativeSeparators(path);
    if (figure)
        Q_EMIT message(exportFigure(path, &error) ? tr("Saved the training run's figure to %1").arg(shown)
                                                  : tr("Figure export failed: %1").arg(error));
    else
        Q_EMIT message(exportCsv(path, &error)
                           ? tr("Saved gamma.csv, trajectory.csv and trajectory.json to %1").arg(shown)
                           : tr("Training run export failed: %1").arg(error));
}

QJsonObject TrainingPanel::viewState() const
{
    return QJsonObject{{QStringLiteral("checkpoints"), QJsonArray::fromStringList(m_paths)},
                       {QStringLiteral("overImages"), m_usedImages}};
}

void TrainingPanel::restoreViewState(const QJsonObject& state)
{
    if (!state.contains(QStringLiteral("checkpoints")))
        return;
    QStringList paths;
    for (const QJsonValue& v : state.value(QStringLiteral("checkpoints")).toArray())
        if (v.isString())
            paths << v.toString();
    const bool overImages = state.value(QStringLiteral("overImages")).toBool(false);
    if (paths.isEmpty()) {
        cancelLoad();
        waitForLoad();
        m_paths.clear();
        m_requested = 0;
        m_run = TrajectoryRun{};
        m_data = an::TrajectoryData{};
        redraw();
        updateStatus();
        return;
    }
    loadCheckpoints(paths, overImages);
}

} // namespace featscale::ui
