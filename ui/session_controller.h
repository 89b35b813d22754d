// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QMenu;
class QWidget;

namespace featscale::ui {

class AppModel;
struct Session;

/// File → Open/Save session and the recent-sessions list (QSettings). A session file is read
/// and validated completely before anything changes; a corrupt or newer file is refused with a
/// message and the running session is left as it was. View state is gathered from and given
/// back to the window through the two callbacks.
class SessionController : public QObject {
    Q_OBJECT
public:
    using CaptureView = std::function<QJsonObject()>;
    using RestoreView = std::function<void(const QJsonObject&)>;

    SessionController(AppModel* model, QWidget* window, CaptureView capture, RestoreView restore);

    bool save(const QString& path);
    bool open(const QString& path);
    void apply(const Session& session);
    QString currentPath() const { return m_path; }
    QStringList recentSessions() const;
    void populateRecentMenu(QMenu* menu);

public Q_SLOTS:
    void openDialog();
    void saveDialog();   ///< to the current path, or asks
    void saveAsDialog();

Q_SIGNALS:
    void sessionChanged(const QString& path);

private:
    void remember(const QString& path);

    AppModel* m_model;
    QWidget* m_window;
    CaptureView m_capture;
    RestoreView m_restore;
    QString m_path;
};

} // namespace featscale::ui
