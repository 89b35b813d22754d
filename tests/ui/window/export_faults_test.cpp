// SPDX-License-Identifier: GPL-3.0-or-later
// GUI exports under faults: the run export (histograms, summaries, histograms.json),
// plot exports (PNG, SVG, PDF) and session saves, each aimed at a full disk and at a read-only
// file system. Every one must fail with a message naming the file and the reason and leave the
// earlier file byte for byte, with no temporaries left; once space is back they must succeed.
// The faults are real tiny tmpfs mounts, which need root (as in CI); elsewhere the suite skips.
#include "analysed_photos.h"
#include "tests/support/tiny_tmpfs.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"
#include "ui/state/session_controller.h"
#include "ui/window/export_actions.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>

using namespace featscale;
using namespace featscale::ui;

namespace {

/// Earlier files a user already has in the export folder, as path → content.
std::map<QString, QByteArray> writeEarlierFiles(const QDir& dir)
{
    std::map<QString, QByteArray> files = {
        {dir.filePath("run/histograms.csv"), "earlier histograms\n"},
        {dir.filePath("run/summary.csv"), "earlier summary\n"},
        {dir.filePath("run/summary.json"), "{\"earlier\": \"summary\"}\n"},
        {dir.filePath("run/run.json"), "{\"earlier\": \"run\"}\n"},
        {dir.filePath("run/histograms.json"), "{\"earlier\": \"histograms\"}\n"},
        {dir.filePath("plot.png"), "earlier png"},
        {dir.filePath("plot.svg"), "earlier svg"},
        {dir.filePath("plot.pdf"), "earlier pdf"},
        {dir.filePath("analysis.featscale"), "{\"earlier\": \"session\"}\n"},
    };
    dir.mkpath("run");
    for (const auto& [path, bytes] : files)
        ui::test::writeFile(path, bytes);
    return files;
}

QStringList entries(const QDir& dir)
{
    return dir.entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class ExportFaultsTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ui::test::AnalysedPhotos> m_photos;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_tmp;

    /// Tries every export into `dir`; each must fail naming its file and `reason`, and leave the
    /// earlier files untouched with nothing else in the folders.
    void expectEveryExportRefused(const QDir& dir, const std::map<QString, QByteArray>& earlier,
                                  const QStringList& reasons)
    {
        auto matches = [&](const QString& text) {
            for (const QString& r : reasons)
                if (text.contains(r))
                    return true;
            return false;
        };
        const QStringList beforeTop = entries(dir), beforeRun = entries(QDir(dir.filePath("run")));
        ExportActions* exports = m_window->exports();
        QSignalSpy failed(exports, &ExportActions::failed);
        QSignalSpy exported(exports, &ExportActions::exported);
        QSignalSpy messages(m_window->sessions(), &SessionController::message);

        QVERIFY(exports->exportRun(dir.filePath("run"), /*allImages=*/true));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        const QString runError = failed.takeFirst().at(0).toString();
        QVERIFY2(runError.contains(dir.filePath("run")), qPrintable(runError));
        QVERIFY2(matches(runError), qPrintable(runError));

        QCustomPlot* plot = m_window->findChildren<QCustomPlot*>().value(0);
        QVERIFY(plot);
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString path = dir.filePath(QStringLiteral("plot.%1").arg(suffix));
            QVERIFY2(!exports->exportPlot(plot, path), suffix);
            QCOMPARE(failed.count(), 1);
            const QString error = failed.takeFirst().at(0).toString();
            QVERIFY2(error.contains(path), qPrintable(error));
            QVERIFY2(matches(error), qPrintable(error));
        }

        const QString session = dir.filePath("analysis.featscale");
        QVERIFY(!m_window->sessions()->save(session));
        QVERIFY(!messages.isEmpty());
        const QString sessionMessage = messages.last().at(0).toString();
        QVERIFY2(sessionMessage.contains("Session not saved") && sessionMessage.contains(session),
                 qPrintable(sessionMessage));
        QVERIFY2(matches(sessionMessage), qPrintable(sessionMessage));
        QCOMPARE(exported.count(), 0);

        for (const auto& [path, bytes] : earlier)
            QVERIFY2(ui::test::readFile(path) == bytes, qPrintable(path + " changed by a failed export"));
        QCOMPARE(entries(dir), beforeTop);
        QCOMPARE(entries(QDir(dir.filePath("run"))), beforeRun);
    }

    /// With the fault gone, every export succeeds and replaces the earlier files.
    void expectEveryExportSucceeds(const QDir& dir, const std::map<QString, QByteArray>& earlier)
    {
        ExportActions* exports = m_window->exports();
        QSignalSpy exported(exports, &ExportActions::exported);
        QVERIFY(exports->exportRun(dir.filePath("run"), true));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QCustomPlot* plot = m_window->findChildren<QCustomPlot*>().value(0);
        for (const char* suffix : {"png", "svg", "pdf"})
            QVERIFY(exports->exportPlot(plot, dir.filePath(QStringLiteral("plot.%1").arg(suffix))));
        QVERIFY(m_window->sessions()->save(dir.filePath("analysis.featscale")));
        for (const auto& [path, bytes] : earlier)
            QVERIFY2(ui::test::readFile(path) != bytes, qPrintable(path + " not replaced"));
        QVERIFY(ui::test::readFile(dir.filePath("plot.png")).startsWith("\x89PNG"));
        QVERIFY(ui::test::readFile(dir.filePath("plot.pdf")).startsWith("%PDF"));
        QVERIFY(ui::test::readFile(dir.filePath("run/run.json")).contains("UNTRAINED") ||
                ui::test::readFile(dir.filePath("run/run.json")).contains("untrained"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        ui::test::isolateSettings();
        QVERIFY(m_tmp.isValid());
        m_photos = std::make_unique<ui::test::AnalysedPhotos>();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        m_photos->load(*m_window->model());
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void fullDiskKeepsEarlierFilesAndSaysSo()
    {
        featscale::test::TinyTmpfs fsys(m_tmp.filePath("full").toStdString(), "512k");
        if (!fsys.mounted)
            QSKIP("cannot mount a tmpfs here (needs root, as in CI)");
        const QDir dir(QString::fromStdString(fsys.dir.string()));
        const auto earlier = writeEarlierFiles(dir);
        QVERIFY(fsys.fill() > 0);
        expectEveryExportRefused(dir, earlier, {"No space left"});
        if (QTest::currentTestFailed())
            return;
        // ... the filler was the only problem
        QVERIFY(QFile::remove(dir.filePath("filler")));
        expectEveryExportSucceeds(dir, earlier);
    }

    void readOnlyFileSystemKeepsEarlierFilesAndSaysSo()
    {
        featscale::test::TinyTmpfs fsys(m_tmp.filePath("ro").toStdString(), "4m");
        if (!fsys.mounted)
            QSKIP("cannot mount a tmpfs here (needs root, as in CI)");
        const QDir dir(QString::fromStdString(fsys.dir.string()));
        const auto earlier = writeEarlierFiles(dir);
        if (!fsys.remountReadOnly())
            QSKIP("cannot remount read-only");
        expectEveryExportRefused(dir, earlier, {"Read-only file system"});
        if (QTest::currentTestFailed())
            return;
        QVERIFY(fsys.remountWritable());
        expectEveryExportSucceeds(dir, earlier);
    }
};

QTEST_MAIN(ExportFaultsTest)
#include "export_faults_test.moc"
