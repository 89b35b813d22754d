// SPDX-License-Identifier: GPL-3.0-or-later
// Saying what is happening: short dismissable messages with details on demand, one pixel mapping
// for the pinned location, an image list of fixed row height that tells duplicate names apart,
// the overlay on conv4_3 by default, and one list of readable image formats.
#include "analysis/images/image_files.h"
#include "analysis/images/preprocess.h"
#include "ui/panels/gamma_fit_widget.h"
#include "ui/panels/gamma_panel.h"
#include "ui/panels/image_view.h"
#include "ui/panels/images_panel.h"
#include "ui/panels/message_bar.h"
#include "ui/panels/model_panel.h"
#include "ui/runs/compare_panel.h"
#include "ui/runs/comparison_export.h"
#include "ui/state/app_model.h"
#include "ui/state/image_list_model.h"
#include "ui/state/image_loading.h"
#include "ui/state/session_controller.h"
#include "ui/window/export_actions.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <cmath>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

class StatusViewsTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void messagesAreOneLineWithDetailsOnDemand()
    {
        QWidget host;
        host.resize(900, 200);
        MessageBar bar(&host);
        bar.resize(900, 30);
        host.show();
        const QString engine =
            QString("/very/long/path/%1/weights.pth: unexpected record 'data/7' in zip archive").arg(QString(300, 'x'));
        bar.showMessage("The weights weights.pth could not be loaded; still using the default weights.", engine);
        QVERIFY(bar.isVisible());
        auto* text = bar.findChild<QLabel*>("messageText");
        QVERIFY(!text->text().contains("data/7")); // the engine's wording waits for Details…
        QVERIFY(text->text().startsWith("The weights weights.pth could not be loaded"));
        QVERIFY(bar.detailsButton()->isVisibleTo(&bar));
        QVERIFY(bar.sizeHint().height() < 3 * bar.fontMetrics().height()); // one line, not half the window
        bar.detailsButton()->click();
        auto* box = bar.findChild<QMessageBox*>("messageDetailsBox");
        QVERIFY(box && box->isVisible());
        QVERIFY(box->informativeText().contains("data/7"));
        box->close();
        bar.closeButton()->click();
        QVERIFY(!bar.isVisible());

        // a long text without details is cut on the bar and kept whole behind Details…
        bar.showMessage(QString("Something happened: %1 END").arg(QString(400, 'y')));
        QVERIFY(!text->text().contains("END"));
        QVERIFY(bar.currentDetails().contains("END"));
        QVERIFY(!bar.findChild<QTimer*>()->isActive()); // something to read later: it stays
        // short notes hide by themselves (the timer runs; its length is a constant)
        bar.showMessage("Session saved to /tmp/a.featscale.json");
        QVERIFY(bar.findChild<QTimer*>()->isActive());
        QVERIFY(!bar.detailsButton()->isHidden()); // earlier messages are behind Details…
    }

    void engineFailureIsAShortUserLevelMessage()
    {
        MainWindow window;
        window.show();
        window.start({test::samplePaths().front()});
        QVERIFY(test::waitForIdle(window));
        const QString bad = m_tmp.filePath("broken-weights.pth");
        QVERIFY(test::writeFile(bad, QByteArray("PK\x03\x04 not a checkpoint").repeated(20)));
        window.modelPanel()->openWeights(bad);
        QVERIFY(test::waitForIdle(window));
        QTRY_VERIFY(window.messageBar()->isVisible());
        const QString shown = window.findChild<QLabel*>("messageText")->text();
        QVERIFY2(shown.contains("broken-weights.pth") && shown.contains("could not be loaded"), qPrintable(shown));
        QVERIFY2(!shown.contains("engine"), qPrintable(shown));
        QVERIFY2(!shown.contains(m_tmp.path()), qPrintable(shown)); // the folder is a detail
        QVERIFY(window.messageBar()->currentDetails().contains(bad));
    }

    /// Every part reports through a signal of its own, and the window shows each in its message
    /// bar: a sender left unconnected would lose its messages. Each one is made to fail for real.
    void everySenderReachesTheMessageBar()
    {
        MainWindow window;
        window.show();
        MessageBar* bar = window.messageBar();
        auto shown = [bar](const QString& part) {
            const QStringList all = bar->messages();
            return std::any_of(all.begin(), all.end(), [&](const QString& m) { return m.contains(part); });
        };
        // images panel: a path that does not exist
        window.imagesPanel()->addPaths({m_tmp.filePath("no-such-folder")});
        QTRY_VERIFY2(shown("no-such-folder"), qPrintable(bar->messages().join("\n")));
        // model panel: an unknown layer
        window.modelPanel()->findChild<QLineEdit*>("layersEdit")->setText("conv4_3,conv42_9");
        QVERIFY(!window.modelPanel()->applyAndRerun());
        QVERIFY2(shown("conv42_9"), qPrintable(bar->messages().join("\n")));
        // session controller: a file that is not a session
        const QString junk = m_tmp.filePath("junk.featscale.json");
        QVERIFY(test::writeFile(junk, "{ not json"));
        QVERIFY(!test::openSession(*window.sessions(), junk));
        QVERIFY2(shown("Session not opened"), qPrintable(bar->messages().join("\n")));
        // export actions: nothing analysed yet
        QVERIFY(!window.exports()->exportRun(m_tmp.filePath("run"), true));
        QVERIFY2(shown("Nothing to export yet"), qPrintable(bar->messages().join("\n")));
        // compare panel (its exporter): no run
        auto* compare = window.findChild<ComparePanel*>("comparePanel");
        QVERIFY(!compare->exporter()->exportCsv(m_tmp.path()));
        QVERIFY2(shown("no run is ready"), qPrintable(bar->messages().join("\n")));
        // γ panel and its Fit γ part, before any engine: no normalized layer
        auto* gamma = window.findChild<GammaPanel*>("gammaPanel");
        QVERIFY(window.model()->allGamma().empty()); // no engine was started
        QVERIFY(!gamma->saveGammaFile(m_tmp.filePath("g.csv")));
        QVERIFY2(shown("no γ to save"), qPrintable(bar->messages().join("\n")));
        auto* fit = gamma->findChild<GammaFitWidget*>();
        QVERIFY(fit);
        const int before = bar->messages().size();
        QVERIFY(!fit->startFit());
        QVERIFY2(bar->messages().size() > before && shown("Fit γ"), qPrintable(bar->messages().join("\n")));
    }

    void pinnedPixelIsOneMappingEverywhere()
    {
        // pixel (i, j) covers [i, i+1): floor, never rounding; the far edge is the last pixel
        const QSize size(640, 480);
        QCOMPARE(AppModel::pixelAt({10.7, 3.2}, size), QPoint(10, 3));
        QCOMPARE(AppModel::pixelAt({0.0, 0.0}, size), QPoint(0, 0));
        QCOMPARE(AppModel::pixelAt({640.0, 480.0}, size), QPoint(639, 479));
        QCOMPARE(AppModel::pixelAt({-0.2, 12.999}, size), QPoint(0, 12));

        AppModel model;
        model.addImages({test::samplePaths().front()});
        model.setThumbnail(0, QImage(8, 8, QImage::Format_RGB32), QSize(451, 300)); // sizes that do not divide
        // every pixel pinned at its corner or centre reads back as itself through the stored fraction
        for (int x = 0; x < 451; ++x) {
            for (double off : {0.0, 0.5, 0.999}) {
                model.setPin({x + off, 299 + off});
                QCOMPARE(*model.pinnedPixel(), QPoint(x, 299));
            }
        }
    }

    void imageListRowsAreUniformAndNamesDistinct()
    {
        QDir root(m_tmp.path());
        QVERIFY(root.mkpath("trip/day1") && root.mkpath("trip/day2"));
        const QString a = root.filePath("trip/day1/IMG_0001.jpg");
        const QString b = root.filePath("trip/day2/IMG_0001.jpg");
        const QString c = root.filePath("trip/day2/other.jpg");
        for (const QString& p : {a, b, c})
            QVERIFY(test::copyFile(test::samplePaths().front(), p));
        AppModel model;
        model.addImages({a, b, c});
        ImageListModel list(&model);
        const QString nameA = list.data(list.index(0), Qt::DisplayRole).toString().section('\n', 0, 0);
        const QString nameB = list.data(list.index(1), Qt::DisplayRole).toString().section('\n', 0, 0);
        QCOMPARE(nameA, QString("IMG_0001.jpg — day1"));
        QCOMPARE(nameB, QString("IMG_0001.jpg — day2"));
        QCOMPARE(list.data(list.index(2), Qt::DisplayRole).toString().section('\n', 0, 0), QString("other.jpg"));
        // a portrait and a panorama thumbnail give decorations of one size
        model.setThumbnail(0, QImage(48, 128, QImage::Format_RGB32), QSize(480, 1280));
        model.setThumbnail(1, QImage(128, 40, QImage::Format_RGB32), QSize(1280, 400));
        const QSize portrait = list.data(list.index(0), Qt::DecorationRole).value<QPixmap>().size();
        const QSize panorama = list.data(list.index(1), Qt::DecorationRole).value<QPixmap>().size();
        const QSize none = list.data(list.index(2), Qt::DecorationRole).value<QPixmap>().size();
        QCOMPARE(portrait, QSize(64, 64));
        QCOMPARE(panorama, portrait);
        QCOMPARE(none, portrait);
    }

    void overlayDefaultsToConv4_3()
    {
        MainWindow window;
        window.show();
        window.start({test::samplePaths().front()});
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(window.model()->selectedLayer(), std::string("conv4_3"));
        auto* overlay = window.imageView()->findChild<QComboBox*>("overlayLayer");
        QCOMPARE(overlay->currentData().toString(), QString("conv4_3"));
    }

    void oneListOfReadableFormats()
    {
        const auto& formats = an::decodableFormats();
        QVERIFY(std::find(formats.begin(), formats.end(), "GIF") == formats.end()); // OpenCV 4.6 cannot
        QVERIFY(!imageFileFilter().contains("gif", Qt::CaseInsensitive));
        QVERIFY(imageFileFilter().contains(imageFormatsText()));
        // the engine's refusals name the same list, and never GIF as readable
        const QString text = m_tmp.filePath("notes.jpg");
        QVERIFY(test::writeFile(text, "hello, no picture here\n"));
        const QString gif = m_tmp.filePath("anim.gif");
        QByteArray g("GIF89a");
        g += QByteArray::fromHex("0a000a00800000") + QByteArray(64, '\0') + QByteArray(";");
        QVERIFY(test::writeFile(gif, g));
        for (const QString& path : {text, gif}) {
            try {
                an::decodeImage(path.toStdString());
                QFAIL("decoded");
            } catch (const an::Error& e) {
                const QString what = QString::fromUtf8(e.what());
                if (path == text || what.contains("not supported"))
                    QVERIFY2(what.contains(imageFormatsText()), qPrintable(what));
                QVERIFY2(!what.contains("GIF, ") && !what.contains("GIF or"), qPrintable(what));
            }
        }
    }
};

QTEST_MAIN(StatusViewsTest)
#include "status_views_test.moc"
