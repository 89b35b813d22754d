// SPDX-License-Identifier: GPL-3.0-or-later
// Model → Get trained weights…: the first-start banner, a download through the dialog from a local
// server (tests/support/weights_server.py on 127.0.0.1) that switches the model to the new weights,
// Cancel mid-transfer. Expected digests come from QCryptographicHash over the served bytes.
#include "ui/jobs/weights_download_runner.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/trained_weights_dialog.h"
#include "ui/panels/untrained_banner.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace featscale;
using namespace featscale::ui;

namespace {
QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}
} // namespace

class WeightsDownloadTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_root;
    QProcess m_server;
    QString m_served, m_log, m_checkpoints;
    int m_port = 0;
    QByteArray m_tiny, m_blob;

    QString url(const QString& path) const { return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(path); }
    int requestsSeen() const { return test::readFile(m_log).count('\n'); }

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        const QString fixtures = QStringLiteral(FEATSCALE_TEST_DATA "/download");
        m_tiny = test::readFile(fixtures + "/tiny_reducedfc.pth");
        m_blob = test::readFile(fixtures + "/blob.bin");
        QVERIFY2(!m_tiny.isEmpty() && !m_blob.isEmpty(), "download fixtures missing (ctest fixture download_data)");
        m_served = m_root.filePath("served");
        QDir().mkpath(m_served);
        QVERIFY(test::writeFile(m_served + "/tiny.pth", m_tiny));
        QVERIFY(test::writeFile(m_served + "/blob.bin", m_blob));
        for (const char* proxy : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy"})
            qunsetenv(proxy);
        qputenv("HOME", m_root.filePath("home").toUtf8());
        qputenv("TORCH_HOME", m_root.filePath("torch").toUtf8());
        qputenv("KERAS_HOME", m_root.filePath("keras").toUtf8());
        qputenv("XDG_CACHE_HOME", m_root.filePath("xdg").toUtf8());
        qputenv("FEATSCALE_DOWNLOAD_RETRIES", "2:0.05");
        qunsetenv("FEATSCALE_WEIGHTS_MIRROR");
        m_checkpoints = m_root.filePath("torch/hub/checkpoints");

        m_log = m_root.filePath("requests.log");
        m_server.setProgram(QStringLiteral(FEATSCALE_PYTHON));
        m_server.setArguments(
            {QStringLiteral(FEATSCALE_WEIGHTS_SERVER), m_served, "--log", m_log, "--exit-with-stdin"});
        m_server.start();
        QVERIFY(m_server.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(m_server.canReadLine(), 20000);
        const QByteArray line = m_server.readLine().trimmed();
        QVERIFY2(line.startsWith("PORT "), line.constData());
        m_port = line.mid(5).toInt();

        QJsonArray catalog;
        catalog.append(QJsonObject{{"name", "tiny"},
                                   {"file", "tiny-reducedfc.pth"},
                                   {"url", url("files/tiny.pth")},
                                   {"sha256", sha256Hex(m_tiny)},
                                   {"description", "tiny reduced VGG16 for tests"}});
        catalog.append(QJsonObject{{"name", "slow"},
                                   {"file", "slow.pth"},
                                   {"url", url("slow/100000/blob.bin")},
                                   {"sha256", sha256Hex(m_blob)},
                                   {"size", m_blob.size()}});
        QVERIFY(test::writeFile(m_root.filePath("lab.json"), QJsonDocument(catalog).toJson()));
        qputenv("FEATSCALE_CATALOG", m_root.filePath("lab.json").toUtf8());
    }

    void cleanupTestCase()
    {
        m_server.kill();
        m_server.waitForFinished(5000);
    }

    void firstStartShowsTheBannerAndDownloadsNothing()
    {
        QVERIFY(UntrainedBanner::noTrainedWeightsAnywhere());
        MainWindow window;
        window.show();
        window.start({test::samplePaths().first()});
        UntrainedBanner* banner = window.untrainedBanner();
        QVERIFY(banner->isVisible());
        auto* vgg = banner->findChild<QPushButton*>("bannerVgg16");
        auto* ssd = banner->findChild<QPushButton*>("bannerSsd300");
        QVERIFY(vgg && ssd);
        QVERIFY2(vgg->text().contains("ImageNet, 528 MB"), qPrintable(vgg->text()));
        QVERIFY2(ssd->text().contains("COCO, 136 MB"), qPrintable(ssd->text()));
        QVERIFY(test::waitForIdle(window));
        QTest::qWait(200);
        QCOMPARE(requestsSeen(), 0); // nothing without a click

        // A click fetches through the dialog; here from a mirror (the local server) that lacks the file.
        qputenv("FEATSCALE_WEIGHTS_MIRROR", url("files").toUtf8());
        QTest::mouseClick(ssd, Qt::LeftButton);
        TrainedWeightsDialog* dialog = window.modelPanel()->trainedWeightsDialog();
        QVERIFY(dialog->isVisible());
        QSignalSpy failed(dialog->runner(), &WeightsDownloadRunner::failed);
        QVERIFY(failed.count() == 1 || failed.wait(20000));
        qunsetenv("FEATSCALE_WEIGHTS_MIRROR");
        QVERIFY2(dialog->statusText().contains("HTTP 404"), qPrintable(dialog->statusText()));
        QVERIFY(test::readFile(m_log).contains("/files/ssd300_vgg16_coco-b556d3b4.pth"));
        QVERIFY(!QFileInfo::exists(m_checkpoints + "/ssd300_vgg16_coco-b556d3b4.pth.part"));
        dialog->close();
    }

    void entriesAreExplained()
    {
        TrainedWeightsDialog dialog;
        QVERIFY(dialog.selectEntry("vgg16-bn"));
        auto* details = dialog.findChild<QLabel*>("entryDetails");
        QVERIFY(details->text().contains("vgg16-bn topology"));
        QVERIFY(!details->text().contains("cannot open"));                   // featscale builds vgg16-bn
        QVERIFY(!dialog.findChild<QPushButton*>("openButton")->isEnabled()); // not downloaded
        QVERIFY(dialog.selectEntry("tiny")); // the lab catalogue's entries are listed too
        QVERIFY(details->text().contains("tiny-reducedfc.pth"));
    }

    void downloadThroughTheDialogOpensTheWeights()
    {
        MainWindow window;
        window.show();
        window.start({test::samplePaths().first()});
        QVERIFY(test::waitForIdle(window));
        QVERIFY(window.model()->weights().untrained);
        window.modelPanel()->showTrainedWeightsDialog();
        TrainedWeightsDialog* dialog = window.modelPanel()->trainedWeightsDialog();
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->selectEntry("tiny"));
        int ticks = 0; // the event loop keeps running while the worker downloads
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
        ticker.start(10);
        QSignalSpy finished(dialog->runner(), &WeightsDownloadRunner::finished);
        QTest::mouseClick(dialog->findChild<QPushButton*>("downloadButton"), Qt::LeftButton);
        QVERIFY(dialog->runner()->isRunning() || finished.count() == 1);
        QVERIFY2(finished.wait(60000) || finished.count() == 1, qPrintable(dialog->statusText()));
        const QString target = m_checkpoints + "/tiny-reducedfc.pth";
        QCOMPARE(finished.front().at(1).toString(), target);
        QVERIFY(ticks > 0);
        QCOMPARE(sha256Hex(test::readFile(target)), sha256Hex(m_tiny));
        QVERIFY(!QFileInfo::exists(target + ".part"));
        // The model switches to the new weights and every UNTRAINED mark goes.
        QTRY_VERIFY_WITH_TIMEOUT(window.model()->hasEngine() && !window.model()->weights().untrained, 60000);
        QCOMPARE(QString::fromStdString(window.model()->weights().path), target);
        QCOMPARE(QString::fromStdString(window.model()->weights().sha256), sha256Hex(m_tiny));
        QVERIFY(!window.modelPanel()->untrainedBadge()->isVisible());
        QVERIFY(!window.untrainedBanner()->isVisible());
        QVERIFY(!window.windowTitle().contains("UNTRAINED", Qt::CaseInsensitive));
        QVERIFY(test::waitForIdle(window));
        QVERIFY(!UntrainedBanner::noTrainedWeightsAnywhere());
        // `featscale --weights tiny` starts with the downloaded file, as the CLI's --weights NAME does
        MainWindow second;
        second.setInitialWeights("tiny");
        QCOMPARE(QString::fromStdString(second.model()->options().weightsPath), target);
    }

    void cancelKeepsOnlyThePart()
    {
        TrainedWeightsDialog dialog;
        dialog.show();
        QSignalSpy progress(dialog.runner(), &WeightsDownloadRunner::progress);
        QSignalSpy cancelled(dialog.runner(), &WeightsDownloadRunner::cancelled);
        QVERIFY(dialog.startDownload("slow"));
        auto* cancel = dialog.findChild<QPushButton*>("cancelButton");
        QVERIFY(cancel->isEnabled());
        const QString part = m_checkpoints + "/slow.pth.part";
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(part).size() > 100000, 20000);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(cancelled.wait(10000) || cancelled.count() == 1);
        QVERIFY(progress.count() > 0);
        QVERIFY(!dialog.runner()->isRunning());
        QVERIFY(!QFileInfo::exists(m_checkpoints + "/slow.pth"));
        const QByteArray kept = test::readFile(part);
        QVERIFY(kept.size() > 0 && kept.size() < m_blob.size());
        QCOMPARE(kept, m_blob.left(kept.size()));
        QVERIFY2(dialog.statusText().contains("cancelled"), qPrintable(dialog.statusText()));
        QVERIFY(!cancel->isEnabled());
    }
};

QTEST_MAIN(WeightsDownloadTest)
#include "weights_download_test.moc"
