// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

class QCommandLineParser;

namespace featscale::ui {

/// featscale's command line, split before QApplication exists. QGuiApplication takes "-session"
/// (X11 session management), "-style", "-platform" and others out of argv as its own, so
/// `featscale --session FILE` would never reach featscale: its options are taken out of argv first,
/// Qt gets the rest, and the parser reads both (featscale's after Qt's). `--help` and `--version`
/// need no display: main answers them with a QCoreApplication.
struct CommandLineSplit {
    /// argv[0] and everything featscale's options are not: paths and Qt's own options. QApplication
    /// removes what it takes; the paths are what QCoreApplication::arguments() keeps after argv[0].
    std::vector<char*> qtArgv;
    QStringList ours;      ///< featscale's options, as "--name=value", then "--" and what follows it
    bool textOnly = false; ///< --help, --help-all or --version was asked for
};

CommandLineSplit splitCommandLine(int argc, char** argv);

/// The GUI's options, described once for help and parsing.
struct CommandLine {
    QString session;     ///< --session FILE, or a sole path argument named as a session (isSessionFileName)
    QString weights;     ///< --weights FILE|NAME
    QString screenshots; ///< --screenshots DIR
    QString annotations; ///< --annotations PATH (VOC folder, COCO .json, WIDER FACE .txt)
    QStringList paths;   ///< images or folders
};

/// Adds featscale's options and positional arguments to `parser` (help, version included).
void describeCommandLine(QCommandLineParser& parser);
/// The values from a parser that describeCommandLine() set up and that has parsed.
CommandLine readCommandLine(const QCommandLineParser& parser);

} // namespace featscale::ui
