// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace featscale::ui {
class MainWindow;
class SessionController;
} // namespace featscale::ui

namespace featscale::ui::test {

/// QSettings in a folder of this process's own and QStandardPaths in test mode: suites never
/// read or write the user's settings, nor each other's.
void isolateSettings();
/// Waits (processing events) until the engine is loaded, nothing is queued or running and every
/// image is done or failed. False on timeout.
bool waitForIdle(MainWindow& window, int timeoutMs = 300000);
/// Opens a session and waits (processing events) for sessionOpened (true) or openFailed (false).
bool openSession(SessionController& sessions, const QString& path, int timeoutMs = 60000);
/// The bundled sample photos.
QStringList samplePaths();
/// Copies a file; false on failure.
bool copyFile(const QString& from, const QString& to);
/// The whole content of a file; empty when it cannot be read.
QByteArray readFile(const QString& path);
/// Writes bytes to a file; false on failure.
bool writeFile(const QString& path, const QByteArray& bytes);

} // namespace featscale::ui::test
