// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/session_controller.h"

#include "ui/state/app_model.h"
#include "ui/state/session.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QMenu>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace featscale::ui {

struct SessionController::ReadSession {
    Session session;
    std::vector<ImageEntry> images;
    QString error;
};

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

bool SessionController::sameImagesAsClean() const
{
    // Compared in place: asked on every change of a list that may hold a million images.
    if (m_model->imageCount() != m_cleanImages.size())
        return false;
    for (int i = 0; i < m_model->imageCount(); ++i)
        if (m_model->image(i).path != m_cleanImages.at(i))
            return false;
    return true;
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
    const bool modified = m_gammaEdited || !sameImagesAsClean() || optionsKey() != m_cleanOptions;
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
    auto read = std::make_shared<ReadSession>();
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, generation, path, read] {
        watcher->deleteLater();
        if (generation != m_openGeneration)
            return; // cancelled, or another open replaced it: this read changes nothing
        finishOpen(path, *read);
    });
    // A session names up to millions of images and is validated as a whole before anything is
    // applied: read, parsed and turned into image entries on a worker, never on the GUI thread.
    watcher->setFuture(QtConcurrent::run([path, read] {
        try {
            read->session = Session::load(path);
            read->images = imageEntriesFor(read->session.images);
        } catch (const std::exception& e) {
            read->error = QString::fromUtf8(e.what());
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

void SessionController::finishOpen(const QString& path, ReadSession& read)
{
    if (!read.error.isEmpty()) {
        setOpening(false);
        Q_EMIT message(tr("Session not opened: %1").arg(read.error));
        Q_EMIT openFailed(path, read.error);
        return;
    }
    apply(read.session, std::move(read.images));
    m_path = path;
    remember(path);
    markClean();
    setOpening(false);
    Q_EMIT message(
        tr("Session %1 opened: %n image(s)", nullptr, m_model->imageCount()).arg(QDir::toNativeSeparators(path)));
    Q_EMIT sessionOpened(path);
    Q_EMIT sessionChanged(path);
}

void SessionController::apply(const Session& s) { apply(s, imageEntriesFor(s.images)); }

void SessionController::apply(const Session& s, std::vector<ImageEntry> images)
{
    // The sha256 is checked once the engine has loaded the file.
    if (!s.weightsSha256.isEmpty()) {
        const QString expected = s.weightsSha256;
        const std::string expectedPath = s.weightsPath.toStdString();
        auto conn = std::make_shared<QMetaObject::Connection>();
        *conn = connect(m_model, &AppModel::weightsChanged, this, [this, expected, expectedPath, conn] {
            disconnect(*conn);
            if (m_model->weights().path != expectedPath)
                return; // that file failed to load (already reported) or the user moved on
            const QString actual = QString::fromStdString(m_model->weights().sha256);
            if (actual != expected)
                Q_EMIT message(
                    tr("The weight file %1 changed since the session was saved "
                       "(sha256 %2… then, %3… now): results will differ.")
                        .arg(QString::fromStdString(m_model->weights().path), expected.left(12), actual.left(12)));
        });
    }
    m_model->clearImages();
    m_model->setOptions(s.options);
    m_model->setPendingGamma(s.gamma);
    // The session's engine first: its images must not start on the engine in use now.
    Q_EMIT rerunRequested();
    m_model->replaceImages(std::move(images));
    if (s.current >= 0)
        m_model->setCurrentIndex(s.current);
    if (!s.selectedLayer.empty())
        m_model->setSelectedLayer(s.selectedLayer);
    if (s.pin)
        m_model->setPinRelative(*s.pin);
    else
        m_model->clearPin();
    if (m_restore)
        m_restore(s.view);
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
