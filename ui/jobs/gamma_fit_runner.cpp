// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/gamma_fit_runner.h"

#include "analysis/core/types.h"
#include "analysis/engine/analyzer.h"

#include <QtConcurrent/QtConcurrentRun>

namespace featscale::ui {

GammaFitRunner::GammaFitRunner(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<featscale::analysis::GammaFitResult>();
}

GammaFitRunner::~GammaFitRunner()
{
    cancel();
    waitForFinished();
}

// Running until the end signal is delivered on the GUI thread: a receiver of finished() may start the
// next fit at once, while the pool thread is still returning from this one.
bool GammaFitRunner::isRunning() const { return m_running; }

void GammaFitRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void GammaFitRunner::waitForFinished() { m_future.waitForFinished(); }

bool GammaFitRunner::start(const Job& job)
{
    if (isRunning())
        return false;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_cancel = stop;
    m_running = true;
    // The one end signal, emitted on the GUI thread after the running flag is cleared.
    auto end = [this](auto emitEnd) {
        QMetaObject::invokeMethod(
            this,
            [this, emitEnd] {
                m_running = false;
                emitEnd();
            },
            Qt::QueuedConnection);
    };
    // Signals emitted on the pool thread are queued to receivers on the GUI thread.
    m_future = QtConcurrent::run([this, job, stop, end] {
        try {
            const auto squares = analysis::NormalizedSquares::pool(job.caches, job.layer);
            if (job.uniform) {
                const analysis::UniformGammaResult u = analysis::fitUniformGamma(squares, job.targetMedian);
                analysis::GammaFitResult result;
                result.gamma.assign(static_cast<std::size_t>(squares.cols), u.gamma);
                result.targetMedian = u.targetMedian;
                result.achievedMedian = static_cast<double>(u.gamma) * u.unitMedian;
                if (!job.options.initGamma.empty())
                    result.initialMedian =
                        analysis::evaluateGammaLoss(squares, job.options.initGamma, job.targetMedian).median;
                result.locations = u.locations;
                end([this, result] { Q_EMIT finished(result); });
                return;
            }
            const auto result = analysis::fitGamma(squares, job.targetMedian, job.options,
                                                   [this, stop](int step, int steps, double loss) {
                                                       Q_EMIT progress(step, steps, loss);
                                                       return !stop->load();
                                                   });
            end([this, result] { Q_EMIT finished(result); });
        } catch (const analysis::Cancelled&) {
            end([this] { Q_EMIT cancelled(); });
        } catch (const std::exception& e) {
            end([this, message = QString::fromStdString(e.what())] { Q_EMIT failed(message); });
        }
    });
    return true;
}

} // namespace featscale::ui
