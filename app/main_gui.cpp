// SPDX-License-Identifier: GPL-3.0-or-later
// featscale: the desktop app. All behaviour lives in the featscale_ui library.
#include "ui/state/annotation_store.h"
#include "ui/state/session_controller.h"
#include "ui/window/command_line.h"
#include "ui/window/main_window.h"
#include "ui/window/screenshot_taker.h"
#include "ui/window/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QScreen>

#include <memory>

namespace {

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("featscale"));
    QCoreApplication::setApplicationName(QStringLiteral("featscale"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FEATSCALE_VERSION));
}

} // namespace

int main(int argc, char** argv)
{
    using namespace featscale::ui;
    CommandLineSplit split = splitCommandLine(argc, argv);
    if (split.textOnly) {
        // --help and --version print and exit: no display is needed for that.
        QCoreApplication core(argc, argv);
        nameApplication();
        translations::apply(translations::savedChoice());
        QCommandLineParser parser;
        describeCommandLine(parser);
        parser.process(QStringList{QCoreApplication::arguments().value(0)} + split.ours);
        return 0;
    }

    int qtArgc = static_cast<int>(split.qtArgv.size());
    split.qtArgv.push_back(nullptr);
    QApplication app(qtArgc, split.qtArgv.data());
    nameApplication();
    // Wayland compositors and task bars match the window to featscale.desktop (and its icon).
    QGuiApplication::setDesktopFileName(QStringLiteral("featscale"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/featscale.svg")));
    // Before any text is made: the system locale, or the language chosen under View → Language.
    translations::apply(translations::savedChoice());

    // What Qt left of its part (paths, unknown options: the parser names them), then featscale's.
    QCommandLineParser parser;
    describeCommandLine(parser);
    parser.process(QApplication::arguments() + split.ours);
    const CommandLine options = readCommandLine(parser);

    MainWindow window;
    if (!options.screenshots.isEmpty()) {
        // The window maximised on this screen, as the README shows it at each screen size.
        if (const QScreen* screen = QGuiApplication::primaryScreen())
            window.resize(screen->availableSize());
        auto* taker = new ScreenshotTaker(&window, options.screenshots);
        QObject::connect(taker, &ScreenshotTaker::finished, &app, [](bool ok) { QApplication::exit(ok ? 0 : 1); });
    }
    window.show();
    if (!options.weights.isEmpty())
        window.setInitialWeights(options.weights);
    if (!options.annotations.isEmpty())
        window.annotations()->load(options.annotations);
    if (!options.session.isEmpty())
        window.startWithSession(options.session, options.paths);
    else
        window.start(options.paths);
    return app.exec();
}
