// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/histogram_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }

QJsonObject stageJson(const std::string& image, const an::StageRecord& s)
{
    QJsonArray counts;
    for (std::uint64_t c : s.hist.counts)
        counts.append(static_cast<double>(c)); // exact below 2^53 locations
    QJsonObject o{{QStringLiteral("image"), q(image)},
                  {QStringLiteral("layer"), q(s.layer)},
                  {QStringLiteral("stage"), q(s.stage)},
                  {QStringLiteral("counts"), counts},
                  {QStringLiteral("zero"), static_cast<double>(s.hist.zero)},
                  {QStringLiteral("underflow"), static_cast<double>(s.hist.underflow)},
                  {QStringLiteral("overflow"), static_cast<double>(s.hist.overflow)},
                  {QStringLiteral("nan"), static_cast<double>(s.hist.nan)}};
    if (s.width > 0)
        o[QStringLiteral("map_size")] = QJsonArray{s.width, s.height};
    return o;
}
} // namespace

std::string histogramsJson(const an::RunData& run)
{
    const an::RunMetadata& m = run.meta;
    QJsonArray edges;
    for (double e : m.bins.edges())
        edges.append(e);
    QJsonObject gamma;
    for (const auto& [layer, values] : m.gamma) {
        QJsonArray g;
        for (float v : values)
            g.append(static_cast<double>(v));
        gamma[q(layer)] = g;
    }
    QJsonArray entries;
    for (const an::ImageRecord& img : run.images)
        for (const an::StageRecord& s : img.stages)
            entries.append(stageJson(img.image, s));
    QJsonArray aggregate;
    for (const an::StageRecord& s : an::aggregate(run))
        aggregate.append(stageJson("(all images)", s));

    QJsonObject root{
        {QStringLiteral("format"), QStringLiteral("featscale-histograms")},
        {QStringLiteral("format_version"), 1},
        {QStringLiteral("untrained"), m.weights.untrained},
        {QStringLiteral("warning"),
         m.weights.untrained ? QStringLiteral("UNTRAINED weights: these are the numbers of the default, untrained "
                                              "network, not of a trained VGG16")
                             : QString()},
        {QStringLiteral("weights"), q(m.weights.summary())},
        {QStringLiteral("weights_sha256"), q(m.weights.sha256)},
        {QStringLiteral("arch"), q(an::toString(m.arch))},
        {QStringLiteral("preset"), q(an::toString(m.preset))},
        {QStringLiteral("eps"), q(an::toString(m.eps))},
        {QStringLiteral("input_size"), q(an::toString(m.size))},
        {QStringLiteral("bins"), q(m.bins.describe())},
        {QStringLiteral("bin_edges"), edges},
        {QStringLiteral("bin_rule"), QStringLiteral("counts[i] holds values v with bin_edges[i] <= v < bin_edges[i+1]; "
                                                    "zero, underflow, overflow and nan are counted apart")},
        {QStringLiteral("gamma"), gamma},
        {QStringLiteral("histograms"), entries},
        {QStringLiteral("aggregate"), aggregate}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

} // namespace featscale::ui
