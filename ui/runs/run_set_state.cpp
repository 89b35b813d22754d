// SPDX-License-Identifier: GPL-3.0-or-later
// The runs in the session file: RunSet::toJson and RunSet::restore.
#include "ui/runs/run_set.h"

#include "analysis/core/types.h"

#include <QFileInfo>
#include <QJsonObject>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {

QJsonArray strings(const std::vector<std::string>& v)
{
    QJsonArray a;
    for (const auto& s : v)
        a.append(QString::fromStdString(s));
    return a;
}

std::vector<std::string> strings(const QJsonValue& v)
{
    std::vector<std::string> out;
    for (const QJsonValue& s : v.toArray())
        out.push_back(s.toString().toStdString());
    return out;
}

QJsonObject settingsJson(const an::AnalyzerOptions& o)
{
    QJsonObject s;
    s[QStringLiteral("weights")] = QString::fromStdString(o.weightsPath);
    s[QStringLiteral("seed")] = QString::number(o.seed);
    s[QStringLiteral("arch")] = QString::fromStdString(an::toString(o.arch));
    s[QStringLiteral("archFromWeights")] = o.archFromWeights;
    s[QStringLiteral("preset")] = o.preset ? QJsonValue(QString::fromStdString(an::toString(*o.preset))) : QJsonValue();
    s[QStringLiteral("size")] = QString::fromStdString(an::toString(o.size));
    s[QStringLiteral("layers")] = strings(o.layers);
    s[QStringLiteral("layersAll")] = o.layersAll;
    // Unset (null): the weights' family decides, as in the engine.
    s[QStringLiteral("l2normLayers")] = o.l2normLayers ? QJsonValue(strings(*o.l2normLayers)) : QJsonValue();
    s[QStringLiteral("eps")] = o.eps ? QJsonValue(QString::fromStdString(an::toString(*o.eps))) : QJsonValue();
    s[QStringLiteral("bins")] = QString::fromStdString(o.bins.toSpec());
    QJsonArray gamma;
    for (float g : o.gamma)
        gamma.append(static_cast<double>(g));
    s[QStringLiteral("gamma")] = gamma;
    QJsonObject perLayer;
    for (const auto& [layer, values] : o.gammas) {
        QJsonArray a;
        for (float g : values)
            a.append(static_cast<double>(g));
        perLayer[QString::fromStdString(layer)] = a;
    }
    s[QStringLiteral("gammas")] = perLayer;
    return s;
}

// Throws analysis::Error on a setting this featscale does not know.
an::AnalyzerOptions settingsFromJson(const QJsonObject& s)
{
    an::AnalyzerOptions o;
    o.weightsPath = s.value(QStringLiteral("weights")).toString().toStdString();
    o.seed = s.value(QStringLiteral("seed")).toString().toULongLong();
    o.arch = an::parseArch(s.value(QStringLiteral("arch")).toString().toStdString());
    o.archFromWeights = s.value(QStringLiteral("archFromWeights")).toBool(true);
    if (s.value(QStringLiteral("preset")).isString())
        o.preset = an::parsePreset(s.value(QStringLiteral("preset")).toString().toStdString());
    o.size = an::parseSizeSpec(s.value(QStringLiteral("size")).toString().toStdString());
    o.layers = strings(s.value(QStringLiteral("layers")));
    o.layersAll = s.value(QStringLiteral("layersAll")).toBool();
    if (s.value(QStringLiteral("l2normLayers")).isArray())
        o.l2normLayers = strings(s.value(QStringLiteral("l2normLayers")));
    if (s.value(QStringLiteral("eps")).isString())
        o.eps = an::parseEpsMode(s.value(QStringLiteral("eps")).toString().toStdString());
    o.bins = an::BinScheme::parse(s.value(QStringLiteral("bins")).toString().toStdString());
    for (const QJsonValue& g : s.value(QStringLiteral("gamma")).toArray())
        o.gamma.push_back(static_cast<float>(g.toDouble()));
    const QJsonObject perLayer = s.value(QStringLiteral("gammas")).toObject();
    for (auto it = perLayer.begin(); it != perLayer.end(); ++it) {
        std::vector<float>& values = o.gammas[it.key().toStdString()];
        for (const QJsonValue& g : it.value().toArray())
            values.push_back(static_cast<float>(g.toDouble()));
    }
    return o;
}

} // namespace

QJsonArray RunSet::toJson() const
{
    QJsonArray out;
    const int ref = reference();
    for (int i = 0; i < count(); ++i) {
        const RunEntry& e = run(i);
        QJsonObject o;
        o[QStringLiteral("name")] = e.name;
        o[QStringLiteral("color")] = e.color.name();
        o[QStringLiteral("hidden")] = !e.visible;
        if (i == ref && indexOfId(m_reference) == i)
            o[QStringLiteral("reference")] = true;
        if (e.source == RunEntry::Source::Folder) {
            if (e.folder.isEmpty())
                continue; // in memory only: nothing to reopen it from
            o[QStringLiteral("folder")] = e.folder;
        } else {
            o[QStringLiteral("settings")] = settingsJson(e.options);
            QJsonArray images;
            for (const QString& p : e.images)
                images.append(p);
            o[QStringLiteral("images")] = images;
        }
        out.append(o);
    }
    return out;
}

QStringList RunSet::restore(const QJsonArray& runs)
{
    clear();
    QStringList problems;
    for (const QJsonValue& v : runs) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QStringLiteral("name")).toString();
        int index = -1;
        if (o.contains(QStringLiteral("folder"))) {
            const QString folder = o.value(QStringLiteral("folder")).toString();
            if (!QFileInfo(folder).isDir()) {
                problems << tr("Run \"%1\" was not restored: its folder %2 no longer exists.").arg(name, folder);
                continue;
            }
            index = addFolder(folder, name);
        } else if (o.contains(QStringLiteral("settings"))) {
            an::AnalyzerOptions options;
            try {
                options = settingsFromJson(o.value(QStringLiteral("settings")).toObject());
            } catch (const an::Error& e) {
                problems << tr("Run \"%1\" was not restored: %2").arg(name, QString::fromUtf8(e.what()));
                continue;
            }
            QStringList images;
            for (const QJsonValue& p : o.value(QStringLiteral("images")).toArray())
                if (QFileInfo::exists(p.toString()))
                    images << p.toString();
            if (images.isEmpty()) {
                problems << tr("Run \"%1\" was not restored: none of its images exists any more.").arg(name);
                continue;
            }
            index = addSettingsRun(options, images, name);
        } else {
            problems << tr("A run of the session file has neither a folder nor settings; it was skipped.");
            continue;
        }
        if (index < 0)
            continue;
        const QColor color(o.value(QStringLiteral("color")).toString());
        if (color.isValid())
            setColor(index, color);
        setVisible(index, !o.value(QStringLiteral("hidden")).toBool());
        if (o.value(QStringLiteral("reference")).toBool())
            setReference(index);
    }
    for (const QString& p : problems)
        Q_EMIT message(p);
    return problems;
}

} // namespace featscale::ui
