// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/session_controller.h"

#include "ui/state/app_model.h"
#include "ui/state/session.h"

#include <QDir>
#include <QFutureWatcher>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenu>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace featscale::ui {

namespace {
constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recent/sessions";

QString sessionFilter()
{
    return QObject::tr("featscale sessions (*.featscale.json *.featscale *.json);;All files (*)");
}
} // namespace

SessionController::SessionController(AppModel* model, QWidget* window, CaptureView capture, RestoreView restore)
    : QObject(window), m_model(model), m_window(window), m_capture(std::move(capture)), m_restore(std::move(restore))
{
    connect(m_model, &AppModel::imagesChanged, this, &SessionController::recompute);
    connect(m_model, &AppModel::optionsChanged, this, &SessionController::recompute);
    // setEngine sets the new gamma before it emits weightsChanged, then gammaChanged: a gamma
    // that equals what the engine brought is not an edit.
    connect(m_model, &AppModel::weightsChanged, this, [this] { m_baseGamma = m_model->allGamma(); });
    connect(m_model, &AppModel::gammaChanged, this, [this] {
        if (m_model->allGamma() != m_baseGamma)
            m_gammaEdited = true;
        recompute();
    });
    markClean();
}

QStringList SessionController::imagePaths() const
{
    QStringList paths;
    for (int i = 0; i < m_model->imageCount(); ++i)
        paths << m_model->image(i).path;
    return paths;
}

std::string SessionController::optionsKey() const
{
    // The settings a session stores; the topology only when the user chose it (otherwise the
    // weights do, and the GUI shows what they chose).
    analysis::AnalyzerOptions o = m_model->options();
    Session s;
    s.options = o;
    s.weightsPath = QString::fromStdString(o.weightsPath);
    QJsonObject json = s.toJson();
    for (const char* field : {"images", "current", "gamma", "selectedLayer", "pin", "view"})
        json.remove(QLatin1String(field));
    json[QStringLiteral("weights")] = s.weightsPath;
    if (o.archFromWeights)
        json.remove(QStringLiteral("arch"));
    return QJsonDocument(json).toJson(QJsonDocument::Compact).toStdString();
}

void SessionController::markClean()
{
    m_cleanImages = imagePaths();
    m_cleanOptions = optionsKey();
    m_gammaEdited = false;
    m_baseGamma = m_model->allGamma();
    recompute();
}

void SessionController::recompute()
{
    const bool modified = m_gammaEdited || imagePaths() != m_cleanImages || optionsKey() != m_cleanOptions;
    if (modified == m_modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

bool SessionController::save(const QString& path)
{
    Session s = Session::capture(*m_model);
    if (m_capture)
        s.view = m_capture();
    try {
        s.save(path);
    } catch (const std::exception& e) {
        Q_EMIT message(tr("Session not saved: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    m_path = path;
    remember(path);
    markClean();
    Q_EMIT message(tr("Session saved to %1").arg(QDir::toNativeSeparators(path)));
    Q_EMIT sessionChanged(path);
    return true;
}

void SessionController::open(const QString& path)
{
    const quint64 generation = ++m_openGeneration;
    setOpening(true);
    Q_EMIT message(tr("Opening session %1…").arg(QDir::toNativeSeparators(path)));
    auto* watcher = new QFutureWatcher<void>(this);
    auto session = std::make_shared<Session>();
    auto error = std::make_shared<QString>();
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, generation, path, session, error] {
        watcher->deleteLater();
        if (generation != m_openGeneration)
            return; // cancelled, or another open replaced it: this read changes nothing
        finishOpen(path, session, *error);
    });
    // A session names up to millions of images and is validated as a whole before anything is
    // applied: read and parsed on a worker, never on the GUI thread.
    watcher->setFuture(QtConcurrent::run([path, session, error] {
        try {
            *session = Session::load(path);
        } catch (const std::exception& e) {
            *error = QString::fromUtf8(e.what());
        }
    }));
}

void SessionController::cancelOpen()
{
    if (!m_opening)
        return;
    ++m_openGeneration;
    setOpening(false);
    Q_EMIT message(tr("Session not opened: cancelled; nothing changed"));
    Q_EMIT openFailed(QString(), QString());
}

void SessionController::setOpening(bool opening)
{
    if (opening == m_opening)
        return;
    m_opening = opening;
    Q_EMIT openingChanged(opening);
}

void SessionController::finishOpen(const QString& path, const std::shared_ptr<Session>& session, const QString& error)
{
    if (!error.isEmpty()) {
        setOpening(false);
        Q_EMIT message(tr("Session not opened: %1").arg(error));
        Q_EMIT openFailed(path, error);
        return;
    }
    apply(*session);
    m_path = path;
    remember(path);
    markClean();
    setOpening(false);
    Q_EMIT message(tr("Session %1 opened: %n image(s)", nullptr, static_cast<int>(session->images.size()))
                       .arg(QDir::toNativeSeparators(path)));
    Q_EMIT sessionOpened(path);
    Q_EMIT sessionChanged(path);
}

QStringList SessionController::recentSessions() const
{
    QStringList out;
    for (const QString& p : QSettings().value(QLatin1String(kRecentKey)).toStringList())
        if (QFileInfo(p).isFile())
            out << p;
    return out;
}

void SessionController::remember(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QLatin1String(kRecentKey)).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QLatin1String(kRecentKey), recent);
}

void SessionController::populateRecentMenu(QMenu* menu)
{
    menu->clear();
    const QStringList recent = recentSessions();
    for (const QString& p : recent) {
        QAction* a = menu->addAction(QFileInfo(p).fileName());
        a->setToolTip(p);
        connect(a, &QAction::triggered, this, [this, p] { open(p); });
    }
    if (recent.isEmpty())
        menu->addAction(tr("no recent sessions"))->setEnabled(false);
}

void SessionController::openDialog()
{
    const QString dir = m_path.isEmpty() ? QDir::homePath() : QFileInfo(m_path).absolutePath();
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open session"), dir, sessionFilter());
    if (!path.isEmpty())
        open(path);
}

void SessionController::saveDialog()
{
    if (m_path.isEmpty())
        saveAsDialog();
    else
        save(m_path);
}

void SessionController::saveAsDialog()
{
    const QString start = m_path.isEmpty() ? QDir::homePath() + QStringLiteral("/session.featscale.json") : m_path;
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save session"), start, sessionFilter());
    if (path.isEmpty())
        return;
    // Saved under a name the open dialog's filter shows.
    path = withSessionExtension(path);
    save(path);
}

} // namespace featscale::ui
