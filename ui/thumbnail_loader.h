// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSet>
#include <QString>

namespace featscale::ui {

class AppModel;

/// Decodes thumbnails (and learns each image's oriented size) for new entries of AppModel on
/// the global thread pool and hands them to the model on the GUI thread. Decoding failures are
/// left to the engine to report: an entry without a thumbnail simply keeps a placeholder.
class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    static constexpr int kThumbnailSide = 96;

    explicit ThumbnailLoader(AppModel* model, QObject* parent = nullptr);
    int pending() const { return m_pending.size(); }

private:
    void loadMissing();

    AppModel* m_model;
    QSet<QString> m_pending;
    QSet<QString> m_failed; ///< not retried until the list changes them
};

} // namespace featscale::ui
