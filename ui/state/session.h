// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <QJsonObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace featscale::ui {

class AppModel;

/// A saved GUI session: images, weights (path + sha256), run settings, gamma, selections and
/// view state. Plain data; reading validates the whole file before anything is applied, so a
/// corrupt or newer file is refused as a unit and the running session stays untouched.
///
/// File format (JSON): {"format": "featscale-session", "version": 1, "images": [...],
/// "current": i, "weights": {"path", "sha256", "untrained"}, "arch", "archFromWeights",
/// "preset" (or null), "size", "layers", "layersAll" (every tap of the network), "l2normLayers", "eps", "bins",
/// "gamma": {layer: [..]}, "selectedLayer", "pin": [fx, fy] (fractions) or null, "view": {...}}.
struct Session {
    static constexpr int kVersion = 1;
    static constexpr const char* kFormat = "featscale-session";

    QStringList images;
    int current = -1;
    QString weightsPath;   ///< empty: default weights
    QString weightsSha256; ///< of the file when saved (to warn if it changed)
    bool untrained = true;
    analysis::AnalyzerOptions options;
    std::map<std::string, std::vector<float>> gamma;
    std::string selectedLayer;
    std::optional<QPointF> pin; ///< fractions of the image size
    QJsonObject view;           ///< per view: viewStateKey() -> viewState() (ui/state/view_state.h)

    /// Snapshot of the model (view states are added by the caller).
    static Session capture(const AppModel& model);
    QJsonObject toJson() const;
    /// Throws analysis::Error naming source and the problem (not JSON, wrong format, newer
    /// version, missing or mistyped field, invalid setting).
    static Session fromJson(const QByteArray& bytes, const QString& source);

    /// Atomic write (QSaveFile); throws analysis::Error naming the file.
    void save(const QString& path) const;
    /// Reads and validates; throws analysis::Error naming the file.
    static Session load(const QString& path);
};

/// True for the names sessions are saved under (`*.featscale.json`, `*.featscale`): what the open
/// dialog shows and `featscale FILE` opens as a session.
bool isSessionFileName(const QString& path);
/// `path`, with ".featscale.json" added unless it already ends in a session name or ".json".
QString withSessionExtension(const QString& path);

} // namespace featscale::ui
