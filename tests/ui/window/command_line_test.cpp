// SPDX-License-Identifier: GPL-3.0-or-later
// featscale's command line against Qt's: every spelling of --session, --weights and --screenshots
// reaches featscale and never QApplication (which takes "-session" as X11 session management);
// Qt's own options and the paths stay with Qt; --help/--version are answered without a display;
// a sole session file argument opens as a session; saving adds the extension the open filter shows.
#include "ui/state/session.h"
#include "ui/window/command_line.h"

#include <QCommandLineParser>
#include <QtTest>

#include <string>
#include <vector>

using namespace featscale::ui;

namespace {

// argv as main() gets it, with storage that outlives the split.
struct Argv {
    explicit Argv(std::vector<std::string> args) : strings(std::move(args))
    {
        for (auto& s : strings)
            pointers.push_back(s.data());
    }
    int argc() const { return static_cast<int>(pointers.size()); }
    char** argv() { return pointers.data(); }
    std::vector<std::string> strings;
    std::vector<char*> pointers;
};

QStringList qtPart(const CommandLineSplit& s)
{
    QStringList out;
    for (char* p : s.qtArgv)
        out << QString::fromLocal8Bit(p);
    return out;
}

CommandLine parse(const CommandLineSplit& s)
{
    // What QApplication leaves of its part here (it takes none of these), then featscale's options.
    QCommandLineParser parser;
    describeCommandLine(parser);
    if (!parser.parse(qtPart(s) + s.ours))
        qWarning("%s", qPrintable(parser.errorText()));
    return readCommandLine(parser);
}

} // namespace

class CommandLineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sessionInEverySpellingReachesFeatscale_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--session FILE") << QStringList{"--session", "/tmp/a b.featscale.json"};
        QTest::newRow("-session FILE") << QStringList{"-session", "/tmp/a b.featscale.json"};
        QTest::newRow("--session=FILE") << QStringList{"--session=/tmp/a b.featscale.json"};
        QTest::newRow("-session=FILE") << QStringList{"-session=/tmp/a b.featscale.json"};
        QTest::newRow("sole session path") << QStringList{"/tmp/a b.featscale.json"};
    }
    void sessionInEverySpellingReachesFeatscale()
    {
        QFETCH(QStringList, args);
        std::vector<std::string> raw{"featscale"};
        for (const QString& a : args)
            raw.push_back(a.toStdString());
        Argv argv(raw);
        const CommandLineSplit split = splitCommandLine(argv.argc(), argv.argv());
        // No session option goes to Qt, whose QGuiApplication would take it.
        for (const QString& a : qtPart(split))
            QVERIFY2(!a.startsWith(QLatin1String("-session")) && !a.startsWith(QLatin1String("--session")),
                     qPrintable(a));
        const CommandLine c = parse(split);
        QCOMPARE(c.session, QStringLiteral("/tmp/a b.featscale.json"));
        QVERIFY(c.paths.isEmpty());
        QVERIFY(!split.textOnly);
    }

    void qtOptionsAndPathsStayWithQt()
    {
        Argv argv({"featscale", "-platform", "offscreen", "--weights", "vgg16", "img1.jpg", "-style=fusion",
                   "-screenshots", "/tmp/shots", "dir two", "--", "-odd.jpg"});
        const CommandLineSplit split = splitCommandLine(argv.argc(), argv.argv());
        QCOMPARE(qtPart(split),
                 (QStringList{"featscale", "-platform", "offscreen", "img1.jpg", "-style=fusion", "dir two"}));
        QCOMPARE(split.ours, (QStringList{"--weights=vgg16", "--screenshots=/tmp/shots", "--", "-odd.jpg"}));
        // Here QApplication would have taken -platform offscreen and -style=fusion.
        QCommandLineParser parser;
        describeCommandLine(parser);
        QVERIFY2(parser.parse(QStringList{"featscale", "img1.jpg", "dir two"} + split.ours),
                 qPrintable(parser.errorText()));
        const CommandLine c = readCommandLine(parser);
        QCOMPARE(c.weights, QStringLiteral("vgg16"));
        QCOMPARE(c.screenshots, QStringLiteral("/tmp/shots"));
        QCOMPARE(c.paths, (QStringList{"img1.jpg", "dir two", "-odd.jpg"}));
        QVERIFY(c.session.isEmpty());
    }

    void helpAndVersionNeedNoDisplay()
    {
        for (const char* opt : {"--help", "-h", "--help-all", "--version", "-v"}) {
            Argv argv({"featscale", "-session", "x.featscale.json", opt});
            const CommandLineSplit split = splitCommandLine(argv.argc(), argv.argv());
            QVERIFY2(split.textOnly, opt);
            QVERIFY(split.ours.contains(QString::fromLatin1(opt)));
        }
        Argv plain({"featscale", "photo.jpg"});
        QVERIFY(!splitCommandLine(plain.argc(), plain.argv()).textOnly);
    }

    void missingValueIsLeftForTheParserToName()
    {
        Argv argv({"featscale", "--session"});
        const CommandLineSplit split = splitCommandLine(argv.argc(), argv.argv());
        QCOMPARE(split.ours, QStringList{"--session"});
        QCommandLineParser parser;
        describeCommandLine(parser);
        QVERIFY(!parser.parse(QStringList{"featscale"} + split.ours));
        QVERIFY2(parser.errorText().contains(QLatin1String("session")), qPrintable(parser.errorText()));
    }

    void severalPathsAreImagesEvenIfOneIsASession()
    {
        Argv argv({"featscale", "a.featscale.json", "b.jpg"});
        const CommandLine c = parse(splitCommandLine(argv.argc(), argv.argv()));
        QVERIFY(c.session.isEmpty());
        QCOMPARE(c.paths, (QStringList{"a.featscale.json", "b.jpg"}));
    }

    void sessionNamesMatchTheOpenFilter()
    {
        QVERIFY(isSessionFileName(QStringLiteral("/x/run.featscale.json")));
        QVERIFY(isSessionFileName(QStringLiteral("/x/run.featscale")));
        QVERIFY(isSessionFileName(QStringLiteral("/x/RUN.FEATSCALE")));
        QVERIFY(!isSessionFileName(QStringLiteral("/x/photo.jpg")));
        QCOMPARE(withSessionExtension(QStringLiteral("/x/mine")), QStringLiteral("/x/mine.featscale.json"));
        QCOMPARE(withSessionExtension(QStringLiteral("/x/mine.featscale")), QStringLiteral("/x/mine.featscale"));
        QCOMPARE(withSessionExtension(QStringLiteral("/x/mine.json")), QStringLiteral("/x/mine.json"));
        QCOMPARE(withSessionExtension(QStringLiteral("/x/mine.txt")), QStringLiteral("/x/mine.txt.featscale.json"));
    }
};

QTEST_MAIN(CommandLineTest)
#include "command_line_test.moc"
