// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace featscale::ui {

class MainWindow;

/// Renders the window's main views into PNG files once the first run has finished, then quits
/// the application (`featscale --screenshots DIR`, used by `make screenshots` under Xvfb).
/// Files: main.png (window as started), then one per plot tab, dock-NAME.png per control dock
/// (as shown) with dock-NAME-whole.png (its whole scrolling panel), image-after.png (overlay after
/// L2Norm) and help.png. With FEATSCALE_LAYOUT_DEBUG set it also lists every named widget whose
/// minimum width exceeds 300 px (what makes the window too wide).
class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(MainWindow* window, const QString& dir, int timeoutSeconds = 600);

Q_SIGNALS:
    void finished(bool ok);

private:
    void capture();
    bool grab(QWidget* widget, const QString& name);

    MainWindow* m_window;
    QString m_dir;
    bool m_started = false;
};

} // namespace featscale::ui
