// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run_worker.h"

#include "analysis/layer_catalog.h"

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
        AppModel::EngineInfo& info = out.info;
        info.weights = analyzer->weights();
        info.layers = analyzer->layers();
        info.availableLayers = analyzer->availableLayers();
        info.defaultGamma = analyzer->gamma();
        info.preset = analyzer->preset();
        info.arch = analyzer->arch();
        const an::LayerCatalog catalog(info.arch, info.weights.hasExtras);
        for (const std::string& layer : info.layers)
            if (auto tap = catalog.find(layer))
                info.channels[layer] = tap->channels;
        // The engine applies its gamma to the first normalized layer and the SSD default to the
        // others; record that so AppModel can tell stale after-statistics apart.
        bool first = true;
        for (const std::string& layer : info.layers) {
            const auto& l2 = options.l2normLayers;
            if (std::find(l2.begin(), l2.end(), layer) == l2.end())
                continue;
            const int channels = info.channels[layer];
            if (first && static_cast<int>(info.defaultGamma.size()) == channels)
                out.usedGamma[layer] = info.defaultGamma;
            else
                out.usedGamma[layer] = std::vector<float>(static_cast<size_t>(channels), an::kDefaultGamma);
            first = false;
        }
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
