// SPDX-License-Identifier: GPL-3.0-or-later
// featscale: the desktop app. All behaviour lives in the featscale_ui library.
#include "ui/state/session_controller.h"
#include "ui/window/main_window.h"
#include "ui/window/screenshot_taker.h"
#include "ui/window/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QScreen>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("featscale"));
    QApplication::setApplicationName(QStringLiteral("featscale"));
    QApplication::setApplicationVersion(QStringLiteral(FEATSCALE_VERSION));
    // Wayland compositors and task bars match the window to featscale.desktop (and its icon).
    QGuiApplication::setDesktopFileName(QStringLiteral("featscale"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/featscale.svg")));
    // Before any text is made: the system locale, or the language chosen under View → Language.
    featscale::ui::translations::apply(featscale::ui::translations::savedChoice());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Feature scale of VGG16 layers before and after L2Norm."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("paths"),
                                 QCoreApplication::translate("main", "Images or folders to analyse."),
                                 QStringLiteral("[paths...]"));
    QCommandLineOption session(QStringLiteral("session"), QCoreApplication::translate("main", "Open a saved session."),
                               QStringLiteral("file"));
    QCommandLineOption weights(
        QStringLiteral("weights"),
        QCoreApplication::translate("main",
                                    "Start with these VGG16 weights: a file, or a catalogue name such as vgg16."),
        QStringLiteral("file"));
    QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QCoreApplication::translate("main", "Render the main views into DIR as PNG files, then quit."),
        QStringLiteral("dir"));
    parser.addOptions({session, weights, screenshots});
    parser.process(app);

    featscale::ui::MainWindow window;
    if (parser.isSet(screenshots)) {
        // The window maximised on this screen, as the README shows it at each screen size.
        if (const QScreen* screen = QGuiApplication::primaryScreen())
            window.resize(screen->availableSize());
        auto* taker = new featscale::ui::ScreenshotTaker(&window, parser.value(screenshots));
        QObject::connect(taker, &featscale::ui::ScreenshotTaker::finished, &app,
                         [](bool ok) { QApplication::exit(ok ? 0 : 1); });
    }
    window.show();
    if (parser.isSet(weights))
        window.setInitialWeights(parser.value(weights));
    if (parser.isSet(session) && window.sessions()->open(parser.value(session)))
        return app.exec();
    window.start(parser.positionalArguments());
    return app.exec();
}
