// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run_worker.h"

#include <exception>

namespace featscale::ui {

namespace an = featscale::analysis;

RunWorker::RunWorker(std::shared_ptr<std::atomic<bool>> cancelFlag) : m_cancel(std::move(cancelFlag)) {}
RunWorker::~RunWorker() = default;

RunWorker::EngineOutcome RunWorker::prepare(const an::AnalyzerOptions& options)
{
    EngineOutcome out;
    try {
        an::configureThreads(options.threads);
        auto analyzer = std::make_unique<an::Analyzer>(options);
        out.info = AppModel::EngineInfo::of(*analyzer);
        // The after-statistics of every result of this engine use exactly this gamma.
        out.usedGamma = out.info.run.gamma;
        m_analyzer = std::move(analyzer);
        m_usedGamma = out.usedGamma;
        out.ok = true;
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

RunWorker::ImageOutcome RunWorker::analyze(const QString& path)
{
    ImageOutcome out;
    if (!m_analyzer) {
        out.error = tr("no engine: the weights could not be loaded");
        return out;
    }
    const auto progress = [this](int, int) { return !m_cancel->load(); };
    try {
        out.result = std::make_shared<an::ImageResult>(m_analyzer->analyze(path.toStdString(), progress));
        out.usedGamma = m_usedGamma;
        out.ok = true;
    } catch (const an::Cancelled&) {
        out.cancelled = true;
        out.error = tr("cancelled");
    } catch (const std::bad_alloc&) {
        out.error = tr("%1: out of memory while analysing").arg(path);
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

} // namespace featscale::ui
