// SPDX-License-Identifier: GPL-3.0-or-later
// GUI launch benchmark: time from process start (exec, before the dynamic loader maps Qt and
// LibTorch) to the first analysed image shown in the main window, and to the end of the run,
// on the bundled sample images with the default weights. The window is the application's own
// MainWindow, started exactly as app/main_gui.cpp starts it.
//
// Run: QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME=$(mktemp -d) ./gui_launch_bench. Target: <= 3 s.
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

/// Seconds since this process was started by the kernel (/proc/self/stat field 22).
double secondsSinceProcessStart()
{
    std::ifstream in("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // the command name (field 2) may contain spaces: fields are counted after its ')'
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));
    std::string field;
    unsigned long long startTicks = 0;
    for (int i = 3; i <= 22 && rest >> field; ++i)
        if (i == 22)
            startTicks = std::stoull(field);
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9 -
           static_cast<double>(startTicks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("featscale-bench"));
    QApplication::setApplicationName(QStringLiteral("featscale-bench"));
    const double appReady = secondsSinceProcessStart();

    featscale::ui::MainWindow window;
    window.resize(1600, 1000);
    double firstResult = -1, firstShown = -1, finished = -1;
    int results = 0;
    QObject::connect(window.model(), &featscale::ui::AppModel::resultReady, &app, [&](int) {
        ++results;
        if (firstResult >= 0)
            return;
        firstResult = secondsSinceProcessStart();
        // the panels refresh from queued signals: shown = once the event loop has drained them
        QTimer::singleShot(0, &app, [&] { firstShown = secondsSinceProcessStart(); });
    });
    QObject::connect(window.model(), &featscale::ui::AppModel::runFinished, &app, [&] {
        finished = secondsSinceProcessStart();
        QTimer::singleShot(50, &app, &QApplication::quit);
    });
    QTimer::singleShot(120000, &app, &QApplication::quit); // a hung run must not hang the bench
    window.show();
    window.start({});
    app.exec();
    std::printf("{\"figure\": \"gui_launch\", \"qt_ready_s\": %.3f, \"first_result_s\": %.3f, \"first_shown_s\": %.3f, "
                "\"run_finished_s\": %.3f, \"results\": %d, \"images\": %d}\n",
                appReady, firstResult, firstShown, finished, results, window.model()->imageCount());
    return firstShown >= 0 ? 0 : 1;
}
