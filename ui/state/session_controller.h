// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

class QMenu;
class QWidget;

namespace featscale::ui {

class AppModel;
struct ImageEntry;
struct Session;

/// File → Open/Save session and the recent-sessions list (QSettings). A session file is read
/// and validated completely before anything changes; a corrupt or newer file is refused with a
/// message and the running session is left as it was. View state is gathered from and given
/// back to the window through the two callbacks.
///
/// It also knows whether the session has unsaved changes: the image list, the run settings or a
/// user edit of gamma since the last save, open or markClean() (what the window shows as its
/// modified mark and asks about on quit). Engine loads that reset gamma are not edits.
class SessionController : public QObject {
    Q_OBJECT
public:
    using CaptureView = std::function<QJsonObject()>;
    using RestoreView = std::function<void(const QJsonObject&)>;

    SessionController(AppModel* model, QWidget* window, CaptureView capture, RestoreView restore);

    bool save(const QString& path);
    /// Reads and validates the file off the GUI thread, then applies it on this thread (in steps
    /// of a few thousand images, so that the window paints between them). Returns at once;
    /// sessionOpened or openFailed follows. Another open, or cancelOpen(), while the file is still
    /// being read discards that read: nothing of it is applied and the window keeps what it has.
    void open(const QString& path);
    void cancelOpen();
    /// True from open() until sessionOpened or openFailed.
    bool isOpening() const { return m_opening; }
    void apply(const Session& session);
    QString currentPath() const { return m_path; }
    QStringList recentSessions() const;
    void populateRecentMenu(QMenu* menu);

    bool isModified() const { return m_modified; }
    /// The current state becomes the one without unsaved changes (after save, open, start-up).
    void markClean();

public Q_SLOTS:
    void openDialog();
    void saveDialog(); ///< to the current path, or asks
    void saveAsDialog();

Q_SIGNALS:
    void sessionChanged(const QString& path);
    void modifiedChanged(bool modified);
    void sessionOpened(const QString& path);                     ///< a session replaced the window's contents
    void openFailed(const QString& path, const QString& reason); ///< nothing changed (reason empty: cancelled)
    void openingChanged(bool opening);
    /// A short user-level message for the message bar; `details` (file names, the engine's wording)
    /// is shown on request.
    void message(const QString& text, const QString& details = {});
    /// Every image should be analysed again with AppModel::options() (BatchController::rerun).
    void rerunRequested();

private:
    /// What the worker of open() hands back: the validated session and its image entries, or why not.
    struct ReadSession;
    void finishOpen(const QString& path, ReadSession& read);
    void apply(const Session& session, std::vector<ImageEntry> images);
    void setOpening(bool opening);
    void remember(const QString& path);
    void recompute();
    std::string optionsKey() const;
    QStringList imagePaths() const;
    bool sameImagesAsClean() const;

    AppModel* m_model;
    QWidget* m_window;
    CaptureView m_capture;
    RestoreView m_restore;
    QString m_path;
    bool m_modified = false;
    QStringList m_cleanImages;
    std::string m_cleanOptions;
    bool m_gammaEdited = false;
    bool m_opening = false;
    quint64 m_openGeneration = 0; ///< a read that finds another value was cancelled or replaced
    std::map<std::string, std::vector<float>> m_baseGamma; ///< gamma at the last clean point or engine load
};

} // namespace featscale::ui
