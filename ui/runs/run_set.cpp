// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/run_set.h"

#include "ui/figures/run_figures.h"
#include "ui/jobs/batch_worker.h"
#include "ui/state/app_model.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent>

#include <algorithm>
#include <exception>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {

/// What a task hands back to the GUI thread.
struct Outcome {
    std::shared_ptr<const an::RunData> data;
    std::shared_ptr<const std::vector<an::StageRecord>> stages;
    std::map<QString, std::shared_ptr<const an::ImageResult>> results;
    std::map<QString, std::shared_ptr<const an::FeatureCache>> caches;
    QString error;
    bool cancelled = false;
};

// Worker thread: the engine of a settings run, through the same BatchWorker the main analysis uses.
void computeSettingsRun(QPromise<Outcome>& promise, an::AnalyzerOptions options, QStringList images,
                        std::shared_ptr<std::atomic<bool>> cancel)
{
    promise.setProgressRange(0, static_cast<int>(images.size()));
    Outcome out;
    BatchWorker worker(cancel);
    const BatchWorker::EngineOutcome engine = worker.prepare(options);
    if (!engine.ok) {
        out.error = engine.error;
        promise.addResult(std::move(out));
        return;
    }
    auto data = std::make_shared<an::RunData>();
    data->meta = engine.info.run;
    data->meta.totalInputs = images.size();
    std::size_t cacheBytes = 0;
    for (int i = 0; i < images.size(); ++i) {
        if (cancel->load() || promise.isCanceled()) {
            out.cancelled = true;
            break;
        }
        const QString& path = images[i];
        BatchWorker::ImageOutcome o = worker.analyze(path);
        if (o.cancelled) {
            out.cancelled = true;
            break;
        }
        if (!o.ok) {
            data->failures.push_back({path.toStdString(), i, o.error.toStdString()});
        } else {
            std::shared_ptr<const an::FeatureCache> cache = std::move(o.result->cache);
            o.result->cache.reset();
            data->images.push_back(an::toRecord(*o.result, i));
            out.results[path] = o.result;
            if (cache && cacheBytes + cache->bytes() <= RunSet::kCacheBudget) {
                cacheBytes += cache->bytes();
                out.caches[path] = std::move(cache);
            }
        }
        promise.setProgressValue(i + 1);
    }
    if (!out.cancelled) {
        out.stages = std::make_shared<const std::vector<an::StageRecord>>(an::aggregate(*data));
        out.data = std::move(data);
    }
    promise.addResult(std::move(out));
}

// Worker thread: a run directory.
void readFolderRun(QPromise<Outcome>& promise, QString dir)
{
    Outcome out;
    try {
        const QFileInfo info(dir);
        if (!info.exists())
            throw an::Error(dir.toStdString() + ": " +
                            RunSet::tr("no such run folder (moved or deleted?)").toStdString());
        if (!info.isDir() || !QFileInfo::exists(QDir(dir).filePath(QStringLiteral("run.json"))))
            throw an::Error(
                dir.toStdString() + ": " +
                RunSet::tr("not a run folder (no run.json; expected the output of analyze or merge)").toStdString());
        auto data = std::make_shared<const an::RunData>(an::readRun(dir.toStdString()));
        out.stages = std::make_shared<const std::vector<an::StageRecord>>(an::aggregate(*data));
        out.data = std::move(data);
    } catch (const std::bad_alloc&) {
        out.error = RunSet::tr("%1: out of memory while reading the run").arg(dir);
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(out));
}

} // namespace

struct RunSet::Task {
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<Outcome>* watcher = nullptr;
};

RunSet::RunSet(QObject* parent) : QObject(parent) { }

RunSet::~RunSet()
{
    for (auto& [id, task] : m_tasks) {
        task->cancel->store(true);
        task->watcher->disconnect(this);
        task->watcher->future().cancel();
    }
    for (auto& [id, task] : m_tasks)
        task->watcher->waitForFinished();
}

const RunEntry& RunSet::run(int index) const { return m_runs.at(static_cast<std::size_t>(index)); }

int RunSet::indexOfId(quint64 id) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return static_cast<int>(i);
    return -1;
}

std::vector<const RunEntry*> RunSet::shownRuns() const
{
    std::vector<const RunEntry*> out;
    for (const RunEntry& r : m_runs)
        if (r.visible && r.ready())
            out.push_back(&r);
    return out;
}

QColor RunSet::nextColor() const
{
    // The first palette colour no run uses yet, so a removed run's colour is reused.
    for (int i = 0;; ++i) {
        const QColor c = run_figures::runColor(i);
        if (i >= kMaxRuns ||
            std::none_of(m_runs.begin(), m_runs.end(), [&](const RunEntry& r) { return r.color == c; }))
            return c;
    }
}

RunEntry& RunSet::add(RunEntry entry)
{
    entry.id = m_nextId++;
    if (!entry.color.isValid())
        entry.color = nextColor();
    m_runs.push_back(std::move(entry));
    Q_EMIT runsChanged();
    return m_runs.back();
}

int RunSet::addFromSettings(const AppModel& model)
{
    QStringList images;
    for (int i = 0; i < model.imageCount(); ++i)
        images << model.image(i).path;
    if (images.isEmpty()) {
        Q_EMIT message(tr("Add images first: a run analyses the loaded images."));
        return -1;
    }
    an::AnalyzerOptions options = model.options();
    // The run keeps every normalized layer's γ on screen now, on exactly those layers.
    const auto l2 = model.l2normLayers();
    options.l2normLayers = l2;
    options.gamma.clear();
    options.gammas.clear();
    for (const auto& [layer, gamma] : model.allGamma())
        if (!gamma.empty() && std::find(l2.begin(), l2.end(), layer) != l2.end())
            options.gammas[layer] = gamma;
    return addSettingsRun(options, images);
}

int RunSet::addSettingsRun(const an::AnalyzerOptions& options, const QStringList& images, const QString& name)
{
    if (count() >= kMaxRuns) {
        Q_EMIT message(tr("At most %1 runs can be compared; remove one first.").arg(kMaxRuns));
        return -1;
    }
    RunEntry e;
    e.source = RunEntry::Source::Settings;
    e.options = options;
    e.options.keepActivations = true; // the concat view reads activations at the pin
    e.images = images;
    e.total = static_cast<int>(images.size());
    e.name = name.isEmpty() ? tr("Run %1").arg(m_nextId) : name;
    RunEntry& added = add(std::move(e));
    startSettings(added);
    return count() - 1;
}

int RunSet::addFolder(const QString& dir, const QString& name)
{
    if (count() >= kMaxRuns) {
        Q_EMIT message(tr("At most %1 runs can be compared; remove one first.").arg(kMaxRuns));
        return -1;
    }
    RunEntry e;
    e.source = RunEntry::Source::Folder;
    e.folder = QDir::cleanPath(dir);
    e.name = name.isEmpty() ? QFileInfo(e.folder).fileName() : name;
    RunEntry& added = add(std::move(e));
    startFolder(added);
    return count() - 1;
}

int RunSet::addData(std::shared_ptr<const an::RunData> data, const QString& name, const QString& folder)
{
    if (count() >= kMaxRuns || !data)
        return -1;
    RunEntry e;
    e.source = RunEntry::Source::Folder;
    e.folder = folder;
    e.name = name;
    e.stages = std::make_shared<const std::vector<an::StageRecord>>(an::aggregate(*data));
    e.data = std::move(data);
    e.state = RunEntry::State::Ready;
    add(std::move(e));
    Q_EMIT dataChanged();
    return count() - 1;
}

void RunSet::startSettings(RunEntry& entry)
{
    auto task = std::make_unique<Task>();
    task->watcher = new QFutureWatcher<Outcome>(this);
    const quint64 id = entry.id;
    connect(task->watcher, &QFutureWatcherBase::progressValueChanged, this, [this, id](int done) {
        const int i = indexOfId(id);
        if (i >= 0 && m_runs[static_cast<std::size_t>(i)].state == RunEntry::State::Computing) {
            m_runs[static_cast<std::size_t>(i)].done = done;
            Q_EMIT runChanged(i);
        }
    });
    connect(task->watcher, &QFutureWatcherBase::finished, this, [this, id] { finishTask(id); });
    task->watcher->setFuture(QtConcurrent::run(computeSettingsRun, entry.options, entry.images, task->cancel));
    m_tasks[id] = std::move(task);
}

void RunSet::startFolder(RunEntry& entry)
{
    auto task = std::make_unique<Task>();
    task->watcher = new QFutureWatcher<Outcome>(this);
    const quint64 id = entry.id;
    connect(task->watcher, &QFutureWatcherBase::finished, this, [this, id] { finishTask(id); });
    task->watcher->setFuture(QtConcurrent::run(readFolderRun, entry.folder));
    m_tasks[id] = std::move(task);
}

void RunSet::finishTask(quint64 id)
{
    const auto t = m_tasks.find(id);
    if (t == m_tasks.end())
        return;
    std::unique_ptr<Task> task = std::move(t->second);
    m_tasks.erase(t);
    task->watcher->deleteLater();
    const int index = indexOfId(id);
    if (index < 0)
        return;
    RunEntry& e = m_runs[static_cast<std::size_t>(index)];
    const QFuture<Outcome> future = task->watcher->future();
    if (future.resultCount() == 0) {
        e.state = RunEntry::State::Cancelled;
    } else {
        Outcome out = future.result();
        if (out.cancelled) {
            e.state = RunEntry::State::Cancelled;
        } else if (!out.error.isEmpty()) {
            e.state = RunEntry::State::Failed;
            e.error = out.error;
            Q_EMIT message(tr("Run \"%1\": %2").arg(e.name, out.error));
        } else {
            e.state = RunEntry::State::Ready;
            e.data = std::move(out.data);
            e.stages = std::move(out.stages);
            e.results = std::move(out.results);
            e.caches = std::move(out.caches);
            e.done = e.total;
        }
    }
    Q_EMIT runChanged(index);
    Q_EMIT dataChanged();
}

void RunSet::setName(int index, const QString& name)
{
    RunEntry& e = m_runs.at(static_cast<std::size_t>(index));
    if (e.name == name || name.trimmed().isEmpty())
        return;
    e.name = name.trimmed();
    Q_EMIT runChanged(index);
    Q_EMIT dataChanged();
}

void RunSet::setColor(int index, const QColor& color)
{
    RunEntry& e = m_runs.at(static_cast<std::size_t>(index));
    if (e.color == color || !color.isValid())
        return;
    e.color = color;
    Q_EMIT runChanged(index);
    Q_EMIT dataChanged();
}

void RunSet::setVisible(int index, bool visible)
{
    RunEntry& e = m_runs.at(static_cast<std::size_t>(index));
    if (e.visible == visible)
        return;
    e.visible = visible;
    Q_EMIT runChanged(index);
    Q_EMIT dataChanged();
}

void RunSet::cancel(int index)
{
    const RunEntry& e = m_runs.at(static_cast<std::size_t>(index));
    const auto t = m_tasks.find(e.id);
    if (t == m_tasks.end())
        return;
    t->second->cancel->store(true);
    t->second->watcher->future().cancel();
}

void RunSet::remove(int index)
{
    const quint64 id = m_runs.at(static_cast<std::size_t>(index)).id;
    cancel(index); // its task finishes in the background; finishTask then finds no run
    m_runs.erase(m_runs.begin() + index);
    if (m_reference == id)
        m_reference = 0;
    Q_EMIT runsChanged();
    Q_EMIT dataChanged();
}

void RunSet::clear()
{
    while (count() > 0)
        remove(count() - 1);
}

int RunSet::reference() const
{
    const int chosen = indexOfId(m_reference);
    if (chosen >= 0 && m_runs[static_cast<std::size_t>(chosen)].ready() &&
        m_runs[static_cast<std::size_t>(chosen)].visible)
        return chosen;
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].ready() && m_runs[i].visible)
            return static_cast<int>(i);
    return -1;
}

void RunSet::setReference(int index)
{
    const quint64 id = index >= 0 && index < count() ? m_runs[static_cast<std::size_t>(index)].id : 0;
    if (id == m_reference)
        return;
    m_reference = id;
    Q_EMIT dataChanged();
}

bool RunSet::isBusy() const { return !m_tasks.empty(); }

} // namespace featscale::ui
