// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysed_photos.h"

#include "analysis/network/layer_catalog.h"
#include "ui/jobs/batch_worker.h"
#include "ui/state/app_model.h"

#include <QDir>
#include <QStringList>

#include <algorithm>

namespace featscale::ui::test {

namespace an = featscale::analysis;

AnalysedPhotos::AnalysedPhotos(const std::vector<const char*>& photos, const std::vector<std::string>& l2normLayers)
    : AnalysedPhotos(photos, an::AnalyzerOptions{}, l2normLayers)
{ }

AnalysedPhotos::AnalysedPhotos(const std::vector<const char*>& photos, an::AnalyzerOptions o,
                               const std::vector<std::string>& l2normLayers)
{
    o.keepActivations = true;
    if (!l2normLayers.empty()) {
        o.l2normLayers = l2normLayers;
        o.layers = an::LayerCatalog::defaultLayers();
        for (const std::string& layer : l2normLayers)
            if (std::find(o.layers.begin(), o.layers.end(), layer) == o.layers.end())
                o.layers.push_back(layer);
    }
    o.threads = 2;
    m_analyzer = std::make_unique<an::Analyzer>(o);
    for (const char* name : photos)
        results.push_back(std::make_shared<an::ImageResult>(
            m_analyzer->analyze(QDir(QStringLiteral(FEATSCALE_SAMPLES)).filePath(QLatin1String(name)).toStdString())));
}

AnalysedPhotos::~AnalysedPhotos() = default;

void AnalysedPhotos::load(AppModel& model) const
{
    const AppModel::EngineInfo info = AppModel::EngineInfo::of(*m_analyzer);
    model.setEngine(info);
    QStringList paths;
    for (const auto& r : results)
        paths << QString::fromStdString(r->path);
    model.addImages(paths);
    for (int i = 0; i < static_cast<int>(results.size()); ++i)
        model.setImageResult(i, *results[static_cast<std::size_t>(i)], info.run.gamma);
    model.setCurrentIndex(0);
}

} // namespace featscale::ui::test
