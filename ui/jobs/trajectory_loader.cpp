// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/trajectory_loader.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace featscale::ui {

namespace an = featscale::analysis;

std::size_t TrajectoryRun::usable() const
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < trajectory.checkpoints.size(); ++i)
        if (trajectory.checkpoints[i].error.empty() && analysisErrors[i].empty() && (images == 0 || scales[i]))
            ++n;
    return n;
}

an::TrajectoryData TrajectoryRun::figureData() const
{
    an::TrajectoryData data;
    data.notes = trajectory.notes;
    data.reference = reference;
    data.interrupted = !complete;
    for (std::size_t i = 0; i < trajectory.checkpoints.size(); ++i) {
        const an::TrajectoryCheckpoint& c = trajectory.checkpoints[i];
        if (!c.error.empty() || !analysisErrors[i].empty()) {
            data.failed.emplace_back(c.path, c.error.empty() ? analysisErrors[i] : c.error);
            continue;
        }
        if (images > 0 && !scales[i])
            continue; // not reached before a cancel
        an::TrajectoryData::Point p;
        p.checkpoint = c.path;
        p.step = c.step;
        p.stepSource = c.stepSource;
        p.gammas = c.gammas;
        if (scales[i]) {
            p.scales = scales[i]->stages;
            p.images = scales[i]->images;
        }
        data.checkpoints.push_back(std::move(p));
    }
    return data;
}

void TrajectoryRun::write(const std::string& dir) const
{
    an::TrajectoryWriter writer(dir, trajectory.notes, images);
    for (std::size_t i = 0; i < trajectory.checkpoints.size(); ++i) {
        const an::TrajectoryCheckpoint& c = trajectory.checkpoints[i];
        if (!c.error.empty())
            writer.addFailure(c, c.error);
        else if (!analysisErrors[i].empty())
            writer.addFailure(c, analysisErrors[i]);
        else if (images == 0)
            writer.add(c);
        else if (scales[i])
            writer.add(c, &*scales[i]);
    }
    writer.finish(/*interrupted=*/!complete);
}

TrajectoryLoader::TrajectoryLoader(QObject* parent) : QObject(parent) { qRegisterMetaType<TrajectoryRun>(); }

TrajectoryLoader::~TrajectoryLoader()
{
    cancel();
    waitForFinished();
}

void TrajectoryLoader::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void TrajectoryLoader::waitForFinished() { m_future.waitForFinished(); }

bool TrajectoryLoader::start(const Job& job)
{
    if (m_running)
        return false;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_cancel = stop;
    m_running = true;
    m_future = QtConcurrent::run([this, job, stop] {
        TrajectoryRun run;
        run.images = job.images.size();
        // loadTrajectory catches each checkpoint's failure itself; only a cancel ends it early.
        run.trajectory = an::loadTrajectory(job.checkpoints, [this, stop](int done, int total) {
            Q_EMIT progress(done, total, false);
            return !stop->load();
        });
        run.complete = run.trajectory.complete;
        const std::size_t n = run.trajectory.checkpoints.size();
        run.scales.resize(n);
        run.analysisErrors.resize(n);
        const int total = static_cast<int>(n);
        for (std::size_t i = 0; i < n && !job.images.empty() && run.complete; ++i) {
            const an::TrajectoryCheckpoint& c = run.trajectory.checkpoints[i];
            if (c.error.empty()) {
                try {
                    run.scales[i] = an::analyzeCheckpoint(job.options, c.path, job.images, run.reference,
                                                          [stop](int, int) { return !stop->load(); });
                    if (run.reference.empty())
                        run.reference = run.scales[i]->reference;
                } catch (const an::Cancelled&) {
                    run.complete = false;
                    break;
                } catch (const std::exception& e) {
                    run.analysisErrors[i] = e.what();
                }
            }
            Q_EMIT progress(static_cast<int>(i) + 1, total, true);
            if (stop->load() && i + 1 < n)
                run.complete = false;
        }
        QMetaObject::invokeMethod(
            this,
            [this, run = std::move(run)] {
                m_running = false;
                Q_EMIT finished(run);
            },
            Qt::QueuedConnection);
    });
    return true;
}

} // namespace featscale::ui
