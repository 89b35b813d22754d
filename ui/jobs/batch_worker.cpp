// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/batch_worker.h"

#include "analysis/engine/options_key.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <exception>
#include <sstream>

namespace featscale::ui {

namespace an = featscale::analysis;

BatchWorker::BatchWorker(std::shared_ptr<std::atomic<bool>> cancelFlag) : m_cancel(std::move(cancelFlag)) { }
BatchWorker::~BatchWorker() = default;

std::string BatchWorker::engineKey(const an::AnalyzerOptions& o)
{
    std::ostringstream key;
    key << an::key(o);
    if (!o.weightsPath.empty()) {
        // The file's identity: a file replaced in place (same name, new contents) is read again.
        const QFileInfo file(QFile::decodeName(QByteArray::fromStdString(o.weightsPath)));
        key << file.size() << ';' << file.lastModified().toMSecsSinceEpoch() << ';';
    }
    return key.str();
}

BatchWorker::EngineOutcome BatchWorker::prepare(const an::AnalyzerOptions& options)
{
    EngineOutcome out;
    const std::string key = engineKey(options);
    if (m_current.analyzer && (key == m_current.key || key == m_current.effectiveKey)) {
        out.ok = true;
        out.reused = true;
        out.info = AppModel::EngineInfo::of(*m_current.analyzer);
        out.usedGamma = m_current.usedGamma;
        return out;
    }
    try {
        an::configureThreads(options.threads);
        Loaded next;
        next.analyzer = std::make_unique<an::Analyzer>(options);
        out.info = AppModel::EngineInfo::of(*next.analyzer);
        // The after-statistics of every result of this engine use exactly this gamma.
        out.usedGamma = out.info.run.gamma;
        next.usedGamma = out.usedGamma;
        next.key = key;
        an::AnalyzerOptions effective = options;
        effective.arch = next.analyzer->arch();
        next.effectiveKey = engineKey(effective);
        m_previous = std::move(m_current);
        m_current = std::move(next);
        out.ok = true;
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

void BatchWorker::commit() { m_previous = Loaded{}; }

void BatchWorker::revert()
{
    if (m_previous.analyzer)
        m_current = std::move(m_previous);
    m_previous = Loaded{};
}

BatchWorker::ImageOutcome BatchWorker::analyze(const QString& path)
{
    ImageOutcome out;
    if (!m_current.analyzer) {
        out.error = tr("no engine: the weights could not be loaded");
        return out;
    }
    const auto progress = [this](int, int) { return !m_cancel->load(); };
    try {
        out.result = std::make_shared<an::ImageResult>(m_current.analyzer->analyze(path.toStdString(), progress));
        out.usedGamma = m_current.usedGamma;
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
