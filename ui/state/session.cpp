// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/session.h"

#include "analysis/network/layer_catalog.h"
#include "ui/state/app_model.h"

#include "analysis/core/atomic_file.h"
#include "analysis/core/regular_file.h"
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
[[noreturn]] void bad(const QString& source, const QString& what)
{
    throw an::Error((source + QStringLiteral(": ") + what).toStdString());
}

QJsonValue need(const QJsonObject& o, const char* key, QJsonValue::Type type, const QString& source)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        bad(source, QCoreApplication::translate("featscale", "missing field \"%1\"").arg(QLatin1String(key)));
    if (v.type() != type)
        bad(source,
            QCoreApplication::translate("featscale", "field \"%1\" has the wrong type").arg(QLatin1String(key)));
    return v;
}

std::vector<std::string> stringList(const QJsonArray& a, const char* key, const QString& source)
{
    std::vector<std::string> out;
    for (const QJsonValue& v : a) {
        if (!v.isString())
            bad(source, QCoreApplication::translate("featscale", "\"%1\" must hold strings").arg(QLatin1String(key)));
        out.push_back(v.toString().toStdString());
    }
    return out;
}

QJsonArray toArray(const std::vector<std::string>& v)
{
    QJsonArray a;
    for (const auto& s : v)
        a.append(QString::fromStdString(s));
    return a;
}
} // namespace

Session Session::capture(const AppModel& model)
{
    Session s;
    for (int i = 0; i < model.imageCount(); ++i)
        s.images << model.image(i).path;
    s.current = model.currentIndex();
    s.options = model.options();
    s.weightsPath = QString::fromStdString(s.options.weightsPath);
    if (model.hasEngine()) {
        s.weightsSha256 = QString::fromStdString(model.weights().sha256);
        s.untrained = model.weights().untrained;
        // The topology the weights actually run on, not the one they overrode.
        if (model.weights().path == s.options.weightsPath)
            s.options.arch = model.engine().run.arch;
    }
    s.gamma = model.allGamma();
    s.selectedLayer = model.selectedLayer();
    s.pin = model.pinRelative();
    return s;
}

QJsonObject Session::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("format")] = QLatin1String(kFormat);
    o[QStringLiteral("version")] = kVersion;
    QJsonArray imageList;
    for (const QString& p : images)
        imageList.append(p);
    o[QStringLiteral("images")] = imageList;
    o[QStringLiteral("current")] = current;
    o[QStringLiteral("weights")] = QJsonObject{{QStringLiteral("path"), weightsPath},
                                               {QStringLiteral("sha256"), weightsSha256},
                                               {QStringLiteral("untrained"), untrained}};
    o[QStringLiteral("arch")] = QString::fromStdString(an::toString(options.arch));
    o[QStringLiteral("archFromWeights")] = options.archFromWeights;
    o[QStringLiteral("preset")] = options.preset ? QJsonValue(QString::fromStdString(an::toString(*options.preset)))
                                                 : QJsonValue();
    o[QStringLiteral("size")] = QString::fromStdString(an::toString(options.size));
    o[QStringLiteral("layers")] = toArray(options.layers);
    o[QStringLiteral("layersAll")] = options.layersAll;
    // null: the family's layers / eps (chosen by the engine from the weights and topology)
    o[QStringLiteral("l2normLayers")] = options.l2normLayers ? QJsonValue(toArray(*options.l2normLayers))
                                                             : QJsonValue();
    o[QStringLiteral("eps")] = options.eps ? QJsonValue(QString::fromStdString(an::toString(*options.eps)))
                                           : QJsonValue();
    o[QStringLiteral("bins")] = QString::fromStdString(options.bins.toSpec());
    QJsonObject gammas;
    for (const auto& [layer, g] : gamma) {
        QJsonArray a;
        for (float v : g)
            a.append(static_cast<double>(v));
        gammas[QString::fromStdString(layer)] = a;
    }
    o[QStringLiteral("gamma")] = gammas;
    o[QStringLiteral("selectedLayer")] = QString::fromStdString(selectedLayer);
    o[QStringLiteral("pin")] = pin ? QJsonValue(QJsonArray{pin->x(), pin->y()}) : QJsonValue();
    o[QStringLiteral("view")] = view;
    return o;
}

Session Session::fromJson(const QByteArray& bytes, const QString& source)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError)
        bad(source, QCoreApplication::translate("featscale", "not a valid session file (JSON error at byte %1: %2)")
                        .arg(err.offset)
                        .arg(err.errorString()));
    if (!doc.isObject())
        bad(source, QCoreApplication::translate("featscale", "not a session file (expected a JSON object)"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        bad(source, QCoreApplication::translate("featscale", "not a featscale session file"));
    const int version = need(o, "version", QJsonValue::Double, source).toInt();
    if (version > kVersion)
        bad(source, QCoreApplication::translate(
                        "featscale", "written by a newer featscale (session version %1, this one reads up to %2)")
                        .arg(version)
                        .arg(kVersion));
    if (version < 1)
        bad(source, QCoreApplication::translate("featscale", "invalid session version %1").arg(version));

    Session s;
    for (const QJsonValue& v : need(o, "images", QJsonValue::Array, source).toArray()) {
        if (!v.isString())
            bad(source, QCoreApplication::translate("featscale", "\"images\" must hold file paths"));
        s.images << v.toString();
    }
    s.current = need(o, "current", QJsonValue::Double, source).toInt();
    if (s.current < -1 || s.current >= s.images.size())
        bad(source, QCoreApplication::translate("featscale", "\"current\" is out of range"));
    const QJsonObject w = need(o, "weights", QJsonValue::Object, source).toObject();
    s.weightsPath = need(w, "path", QJsonValue::String, source).toString();
    s.weightsSha256 = need(w, "sha256", QJsonValue::String, source).toString();
    s.untrained = w.value(QStringLiteral("untrained")).toBool(s.weightsPath.isEmpty());
    try {
        s.options.weightsPath = s.weightsPath.toStdString();
        s.options.arch = an::parseArch(need(o, "arch", QJsonValue::String, source).toString().toStdString());
        s.options.archFromWeights = need(o, "archFromWeights", QJsonValue::Bool, source).toBool();
        const QJsonValue preset = o.value(QStringLiteral("preset"));
        if (preset.isString())
            s.options.preset = an::parsePreset(preset.toString().toStdString());
        else if (!preset.isNull() && !preset.isUndefined())
            bad(source, QCoreApplication::translate("featscale", "field \"preset\" has the wrong type"));
        s.options.size = an::parseSizeSpec(need(o, "size", QJsonValue::String, source).toString().toStdString());
        s.options.layers = stringList(need(o, "layers", QJsonValue::Array, source).toArray(), "layers", source);
        // Sessions written before "layersAll" existed list their layers.
        const QJsonValue all = o.value(QStringLiteral("layersAll"));
        if (all.isBool())
            s.options.layersAll = all.toBool();
        else if (!all.isUndefined())
            bad(source, QCoreApplication::translate("featscale", "field \"layersAll\" has the wrong type"));
        const QJsonValue l2norm = o.value(QStringLiteral("l2normLayers"));
        if (l2norm.isArray())
            s.options.l2normLayers = stringList(l2norm.toArray(), "l2normLayers", source);
        else if (!l2norm.isNull())
            bad(source, QCoreApplication::translate("featscale", "field \"l2normLayers\" has the wrong type"));
        const QJsonValue eps = o.value(QStringLiteral("eps"));
        if (eps.isString())
            s.options.eps = an::parseEpsMode(eps.toString().toStdString());
        else if (!eps.isNull())
            bad(source, QCoreApplication::translate("featscale", "field \"eps\" has the wrong type"));
        s.options.bins = an::BinScheme::parse(need(o, "bins", QJsonValue::String, source).toString().toStdString());
        // Unknown layer names would only fail later, after the images were already replaced.
        const an::LayerCatalog catalog(s.options.arch, /*withExtras=*/true);
        catalog.inNetworkOrder(s.options.layers);
        if (s.options.l2normLayers)
            catalog.inNetworkOrder(*s.options.l2normLayers);
    } catch (const an::Error& e) {
        const QString what = QString::fromUtf8(e.what());
        if (what.startsWith(source))
            throw;
        bad(source, what);
    }
    const QJsonObject gammas = need(o, "gamma", QJsonValue::Object, source).toObject();
    for (auto it = gammas.begin(); it != gammas.end(); ++it) {
        if (!it.value().isArray())
            bad(source, QCoreApplication::translate("featscale", "gamma of %1 must be an array").arg(it.key()));
        std::vector<float> g;
        for (const QJsonValue& v : it.value().toArray()) {
            if (!v.isDouble() || !std::isfinite(v.toDouble()))
                bad(source,
                    QCoreApplication::translate("featscale", "gamma of %1 holds a non-numeric value").arg(it.key()));
            g.push_back(static_cast<float>(v.toDouble()));
        }
        s.gamma[it.key().toStdString()] = std::move(g);
    }
    s.selectedLayer = o.value(QStringLiteral("selectedLayer")).toString().toStdString();
    const QJsonValue pin = o.value(QStringLiteral("pin"));
    if (pin.isArray()) {
        const QJsonArray a = pin.toArray();
        if (a.size() != 2 || !a[0].isDouble() || !a[1].isDouble())
            bad(source, QCoreApplication::translate("featscale", "\"pin\" must be two numbers"));
        s.pin = QPointF(a[0].toDouble(), a[1].toDouble());
    } else if (!pin.isNull() && !pin.isUndefined()) {
        bad(source, QCoreApplication::translate("featscale", "field \"pin\" has the wrong type"));
    }
    s.view = o.value(QStringLiteral("view")).toObject();
    return s;
}

void Session::save(const QString& path) const
{
    // The engine's atomic writer: temporary sibling, fsync, rename; its Error names the path and
    // the cause and states that an earlier file is unchanged.
    an::writeFileAtomically(QFile::encodeName(path).toStdString(),
                            QJsonDocument(toJson()).toJson(QJsonDocument::Indented).toStdString());
}

Session Session::load(const QString& path)
{
    // Only a regular file, bounded by the bytes really read: a FIFO would block, /dev/zero (whose
    // size reads 0) would never end, and sessions are small.
    constexpr std::uint64_t kMaxSessionBytes = 64ULL << 20;
    const std::string limit = QCoreApplication::translate("featscale", "the limit for a session file").toStdString();
    an::RegularFile file(
        QFile::encodeName(path).toStdString(), path.toStdString(),
        QCoreApplication::translate("featscale", "give a session file (*.featscale.json)").toStdString());
    if (file.size() > kMaxSessionBytes)
        throw an::Error(
            QCoreApplication::translate("featscale", "%1: %2 bytes, too large for a session file (at most %3)")
                .arg(path)
                .arg(file.size())
                .arg(kMaxSessionBytes)
                .toStdString());
    return fromJson(QByteArray::fromStdString(file.readAll(kMaxSessionBytes, limit)), path);
}

bool isSessionFileName(const QString& path)
{
    return path.endsWith(QStringLiteral(".featscale.json"), Qt::CaseInsensitive) ||
           path.endsWith(QStringLiteral(".featscale"), Qt::CaseInsensitive);
}

QString withSessionExtension(const QString& path)
{
    if (isSessionFileName(path) || path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))
        return path;
    return path + QStringLiteral(".featscale.json");
}

} // namespace featscale::ui
