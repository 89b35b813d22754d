// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui_test_support.h"

#include "ui/jobs/batch_controller.h"
#include "ui/state/app_model.h"
#include "ui/state/session_controller.h"
#include "ui/window/main_window.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace featscale::ui::test {

void isolateSettings()
{
    // One settings folder per test process: suites run in parallel under ctest, and a shared
    // ~/.qttest file would let one suite's recent weights or layout reach another mid-test.
    static QTemporaryDir settingsRoot(QDir::tempPath() + QStringLiteral("/featscale-settings-XXXXXX"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsRoot.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsRoot.path());
    QCoreApplication::setOrganizationName(QStringLiteral("featscale-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("featscale-tests"));
    QSettings().clear();
}

bool openSession(SessionController& sessions, const QString& path, int timeoutMs)
{
    QSignalSpy opened(&sessions, &SessionController::sessionOpened);
    QSignalSpy failed(&sessions, &SessionController::openFailed);
    sessions.open(path);
    QDeadlineTimer deadline(timeoutMs);
    while (opened.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
        QTest::qWait(10);
    return !opened.isEmpty();
}

bool waitForIdle(MainWindow& window, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    auto idle = [&] {
        AppModel* m = window.model();
        if (!m->hasEngine() || window.controller()->isBusy())
            return false;
        for (int i = 0; i < m->imageCount(); ++i) {
            const auto s = m->image(i).state;
            if (s == ImageState::Running || (s == ImageState::Queued && m->image(i).error.isEmpty()))
                return false;
        }
        return true;
    };
    while (!deadline.hasExpired()) {
        if (idle()) {
            QTest::qWait(20); // let queued signals of the last result reach the views
            if (idle())
                return true;
        }
        QTest::qWait(20);
    }
    // Say why, so a timeout in CI is diagnosable.
    AppModel* m = window.model();
    qWarning("waitForIdle timed out: engine %s, controller %s, %d/%d done", m->hasEngine() ? "ready" : "missing",
             window.controller()->isBusy() ? "busy" : "idle", window.controller()->batchDone(),
             window.controller()->batchTotal());
    for (int i = 0; i < m->imageCount(); ++i)
        qWarning("  %s: %s %s", qPrintable(m->image(i).path), qPrintable(toString(m->image(i).state)),
                 qPrintable(m->image(i).error));
    return false;
}

QStringList samplePaths()
{
    QStringList out;
    const QDir dir(QStringLiteral(FEATSCALE_SAMPLES));
    for (const QString& n : dir.entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name))
        out << dir.absoluteFilePath(n);
    return out;
}

bool copyFile(const QString& from, const QString& to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    return f.write(bytes) == bytes.size();
}

} // namespace featscale::ui::test
