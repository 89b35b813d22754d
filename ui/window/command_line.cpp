// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/command_line.h"

#include "ui/state/session.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>

#include <iterator>
#include <string>

namespace featscale::ui {
namespace {

// featscale's options that take a value; anything else that is not a path is Qt's.
const char* const kValueOptions[] = {"session", "weights", "screenshots", "annotations"};
const char* const kTextOptions[] = {"h", "help", "help-all", "?", "v", "version"};

bool isOneOf(const std::string& name, const char* const* list, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        if (name == list[i])
            return true;
    return false;
}

} // namespace

CommandLineSplit splitCommandLine(int argc, char** argv)
{
    CommandLineSplit split;
    if (argc > 0)
        split.qtArgv.push_back(argv[0]);
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") { // the rest are paths, even those starting with '-'
            for (int j = i; j < argc; ++j)
                split.ours << QString::fromLocal8Bit(argv[j]);
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') { // a path, or the value of one of Qt's options
            split.qtArgv.push_back(argv[i]);
            continue;
        }
        const std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
        const std::size_t eq = body.find('=');
        const std::string name = body.substr(0, eq);
        if (isOneOf(name, kValueOptions, std::size(kValueOptions))) {
            if (eq != std::string::npos)
                split.ours << QStringLiteral("--") + QString::fromLocal8Bit(body.c_str());
            else if (i + 1 < argc)
                split.ours << QStringLiteral("--%1=%2").arg(QString::fromStdString(name),
                                                            QString::fromLocal8Bit(argv[++i]));
            else
                split.ours << QStringLiteral("--") + QString::fromStdString(name); // the parser says what is missing
            continue;
        }
        if (eq == std::string::npos && isOneOf(name, kTextOptions, std::size(kTextOptions))) {
            split.textOnly = true;
            split.ours << QString::fromLocal8Bit(argv[i]);
            continue;
        }
        split.qtArgv.push_back(argv[i]);
    }
    return split;
}

void describeCommandLine(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Feature scale of VGG16 layers before and after L2Norm."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("paths"),
        QCoreApplication::translate("main", "Images or folders to analyse, or one saved session (.featscale.json)."),
        QStringLiteral("[paths...]"));
    parser.addOption({QStringLiteral("session"), QCoreApplication::translate("main", "Open a saved session."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("weights"),
                      QCoreApplication::translate(
                          "main", "Start with these VGG16 weights: a file, or a catalogue name such as vgg16."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("annotations"),
                      QCoreApplication::translate(
                          "main", "Load object boxes for the images: a VOC folder, a COCO .json or a WIDER FACE .txt."),
                      QStringLiteral("path")});
    parser.addOption({QStringLiteral("screenshots"),
                      QCoreApplication::translate("main", "Render the main views into DIR as PNG files, then quit."),
                      QStringLiteral("dir")});
}

CommandLine readCommandLine(const QCommandLineParser& parser)
{
    CommandLine c;
    c.session = parser.value(QStringLiteral("session"));
    c.weights = parser.value(QStringLiteral("weights"));
    c.screenshots = parser.value(QStringLiteral("screenshots"));
    c.annotations = parser.value(QStringLiteral("annotations"));
    c.paths = parser.positionalArguments();
    if (c.session.isEmpty() && c.paths.size() == 1 && isSessionFileName(c.paths.front())) {
        c.session = c.paths.front();
        c.paths.clear();
    }
    return c;
}

} // namespace featscale::ui
