// SPDX-License-Identifier: GPL-3.0-or-later
// Runs through the real window: cancel stops within one image and loses nothing; a session
// saved from one window restores images, gamma, pin, selection and view state in another.
#include "ui/jobs/batch_controller.h"
#include "ui/jobs/batch_status.h"
#include "ui/panels/image_view.h"
#include "ui/state/app_model.h"
#include "ui/state/session_controller.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

class BatchControlTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void cancelStopsWithinOneImage()
    {
        const QStringList samples = test::samplePaths();
        const int copies = 10;
        for (int i = 0; i < copies; ++i)
            QVERIFY(test::copyFile(samples[i % samples.size()],
                                   m_tmp.filePath(QString("img%1.jpg").arg(i, 2, 10, QChar('0')))));
        MainWindow window;
        window.show();
        AppModel* model = window.model();
        QSignalSpy progress(model, &AppModel::runProgress);
        // The event loop must never stall while the engine works: a 10 ms timer keeps firing.
        QElapsedTimer sinceTick;
        qint64 longestStallMs = 0;
        QTimer heartbeat;
        connect(&heartbeat, &QTimer::timeout, this, [&] {
            if (sinceTick.isValid())
                longestStallMs = std::max(longestStallMs, sinceTick.elapsed());
            sinceTick.restart();
        });
        heartbeat.start(10);
        window.start({m_tmp.path()});
        QTRY_COMPARE_WITH_TIMEOUT(model->imageCount(), copies, 10000);

        // wait for the first finished image, timing it
        QElapsedTimer perImage;
        QTRY_VERIFY_WITH_TIMEOUT(model->image(0).state == ImageState::Running, 120000);
        perImage.start();
        QTRY_VERIFY_WITH_TIMEOUT(model->image(0).state == ImageState::Done, 120000);
        const qint64 imageMs = perImage.elapsed();

        // status bar: images done of the batch, ETA, the last forward time, Cancel enabled
        BatchStatus* status = window.batchStatus();
        QTRY_VERIFY(status->progressBar()->format().contains(QString("/ %1 images").arg(copies)));
        QVERIFY2(status->progressBar()->format().contains("ETA"), qPrintable(status->progressBar()->format()));
        QCOMPARE(status->progressBar()->maximum(), copies);
        QVERIFY(status->progressBar()->value() >= 1);
        const QList<QLabel*> labels = status->findChildren<QLabel*>();
        QVERIFY(window.controller()->lastForwardMs() > 0);
        QVERIFY(std::any_of(labels.begin(), labels.end(), [&](QLabel* l) {
            return l->text() == QString("forward %1 ms").arg(window.controller()->lastForwardMs(), 0, 'f', 0);
        }));
        QVERIFY(status->cancelButton()->isEnabled());
        heartbeat.stop();
        qInfo("longest event-loop stall during the run: %lld ms", longestStallMs);
        QVERIFY2(longestStallMs < 500, qPrintable(QString::number(longestStallMs)));

        QElapsedTimer stop;
        stop.start();
        QTest::mouseClick(status->cancelButton(), Qt::LeftButton); // the user's Cancel
        int doneAtCancel = 0;
        for (int i = 0; i < copies; ++i)
            doneAtCancel += model->image(i).state == ImageState::Done;
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isBusy(), 120000);
        const qint64 stopMs = stop.elapsed();
        qInfo("one image %lld ms, cancel took %lld ms", imageMs, stopMs);
        QVERIFY2(stopMs <= imageMs * 2 + 2000, qPrintable(QString::number(stopMs)));

        int done = 0, queued = 0;
        for (int i = 0; i < copies; ++i) {
            const ImageEntry& e = model->image(i);
            QVERIFY(e.state != ImageState::Running);
            QVERIFY(e.state != ImageState::Failed);
            if (e.state == ImageState::Done)
                ++done;
            else {
                ++queued;
                QCOMPARE(e.error, QString("cancelled"));
            }
        }
        QVERIFY(done <= doneAtCancel + 1); // at most the image in flight completed
        QVERIFY(queued >= copies - doneAtCancel - 1);
        QVERIFY(queued > 0);
        QVERIFY(!progress.isEmpty());

        // nothing is lost: starting again analyses exactly the rest
        window.controller()->start();
        QVERIFY(test::waitForIdle(window));
        for (int i = 0; i < copies; ++i)
            QCOMPARE(toString(model->image(i).state), toString(ImageState::Done));
    }

    /// Cancel at every stage of a run: while the engine is being built, right after the first
    /// image starts, mid-batch, and repeatedly in a row. After each: nothing is left Running, every
    /// Done image has its result and statistics, nothing is Failed, the panels redraw, and starting
    /// again completes exactly the images that were not done.
    void cancelAtAnyPointLeavesTheAppConsistent()
    {
        QTemporaryDir dir;
        const QStringList samples = test::samplePaths();
        const int copies = 6;
        for (int i = 0; i < copies; ++i)
            QVERIFY(test::copyFile(samples[i % samples.size()], dir.filePath(QString("c%1.jpg").arg(i))));
        MainWindow window;
        window.show();
        AppModel* model = window.model();
        BatchController* run = window.controller();

        auto countIn = [&](ImageState state) {
            int n = 0;
            for (int i = 0; i < model->imageCount(); ++i)
                n += model->image(i).state == state;
            return n;
        };
        auto checkConsistent = [&](const char* when) {
            qInfo("%s", when);
            QTRY_VERIFY_WITH_TIMEOUT(!run->isBusy(), 120000);
            for (int i = 0; i < model->imageCount(); ++i) {
                const ImageEntry& e = model->image(i);
                QVERIFY2(e.state != ImageState::Running, when);
                QVERIFY2(e.state != ImageState::Failed, qPrintable(QString("%1: %2").arg(when, e.error)));
                if (e.state == ImageState::Done) {
                    QVERIFY2(e.result, when);
                    QVERIFY2(model->stats(i, "conv4_3", Stage::Before), when);
                    QVERIFY2(model->histogram(i, "conv4_3", Stage::After), when);
                }
            }
            // the window still draws every panel without trouble
            for (QWidget* w : window.findChildren<QWidget*>())
                if (w->metaObject()->indexOfMethod("refreshNow()") >= 0)
                    QMetaObject::invokeMethod(w, "refreshNow", Qt::DirectConnection);
            QCoreApplication::processEvents();
        };

        // 1. during engine preparation (before any image can start): the engine still gets built,
        //    but no image runs (before the fix every image ran as if Cancel had not been pressed)
        window.start({dir.path()});
        QTRY_COMPARE_WITH_TIMEOUT(model->imageCount(), copies, 10000); // the folder scan is quick
        const bool stillPreparing = run->isBusy() && !run->isRunning() && countIn(ImageState::Running) == 0;
        run->cancel();
        checkConsistent("cancel during engine preparation");
        if (stillPreparing) {
            QCOMPARE(countIn(ImageState::Done), 0);
            QCOMPARE(countIn(ImageState::Queued), copies);
            QCOMPARE(model->image(0).error, QString("cancelled"));
            QVERIFY(model->hasEngine());
        } else {
            qInfo("the engine was ready before Cancel: preparation case not exercised");
        }

        // 2. as soon as the first image is running
        run->start();
        QTRY_VERIFY_WITH_TIMEOUT(countIn(ImageState::Running) > 0, 120000);
        run->cancel();
        checkConsistent("cancel of the first running image");

        // 3. mid-batch, after at least one more image finished
        const int doneBefore = countIn(ImageState::Done);
        run->start();
        QTRY_VERIFY_WITH_TIMEOUT(countIn(ImageState::Done) > doneBefore, 120000);
        run->cancel();
        checkConsistent("cancel mid-batch");

        // 4. start and cancel five times in a row without waiting
        for (int k = 0; k < 5; ++k) {
            run->start();
            QTest::qWait(k * 20);
            run->cancel();
        }
        checkConsistent("repeated start/cancel");

        // starting again finishes exactly the rest
        run->start();
        QVERIFY(test::waitForIdle(window));
        for (int i = 0; i < copies; ++i)
            QCOMPARE(toString(model->image(i).state), toString(ImageState::Done));
    }

    /// Closing the window while a run is in flight neither hangs nor crashes: the controller
    /// cancels its worker and waits for it.
    void closingTheWindowMidRunIsClean()
    {
        QTemporaryDir dir;
        const QStringList samples = test::samplePaths();
        for (int i = 0; i < 4; ++i)
            QVERIFY(test::copyFile(samples[i % samples.size()], dir.filePath(QString("d%1.jpg").arg(i))));
        for (int delayMs : {0, 300, 1500}) {
            auto window = std::make_unique<MainWindow>();
            window->show();
            window->start({dir.path()});
            QTest::qWait(delayMs);
            QElapsedTimer closing;
            closing.start();
            window->close();
            window.reset();
            qInfo("closed %d ms after start in %lld ms", delayMs, closing.elapsed());
            QVERIFY(closing.elapsed() < 60000);
        }
    }

    void sessionRoundTripBetweenWindows()
    {
        const QString path = m_tmp.filePath("roundtrip.featscale.json");
        QStringList images;
        std::vector<float> gamma;
        {
            MainWindow a;
            a.show();
            a.start();
            QVERIFY(test::waitForIdle(a));
            AppModel* m = a.model();
            m->setCurrentIndex(1);
            gamma = m->gamma("conv4_3");
            for (size_t c = 0; c < gamma.size(); ++c)
                gamma[c] = 5.f + 0.01f * float(c); // per-channel, not uniform
            QVERIFY(m->setGamma("conv4_3", gamma));
            m->setSelectedLayer("conv5_3");
            m->setPinRelative({0.3, 0.6});
            a.imageView()->setStage(Stage::After);
            a.imageView()->restoreViewState(QJsonObject{{"opacity", 35}, {"logColours", false}});
            for (int i = 0; i < m->imageCount(); ++i)
                images << m->image(i).path;
            QVERIFY(a.sessions()->save(path));
        }
        MainWindow b;
        b.show();
        QVERIFY(test::openSession(*b.sessions(), path));
        QVERIFY(test::waitForIdle(b));
        AppModel* m = b.model();
        QCOMPARE(m->imageCount(), images.size());
        for (int i = 0; i < images.size(); ++i) {
            QCOMPARE(m->image(i).path, images[i]);
            QCOMPARE(toString(m->image(i).state), toString(ImageState::Done));
        }
        QCOMPARE(m->currentIndex(), 1);
        QCOMPARE(m->gamma("conv4_3"), gamma);
        QCOMPARE(m->selectedLayer(), std::string("conv5_3"));
        QVERIFY(std::abs(m->pinRelative()->x() - 0.3) < 1e-12);
        QVERIFY(std::abs(m->pinRelative()->y() - 0.6) < 1e-12);
        const QJsonObject view = b.imageView()->viewState();
        QCOMPARE(view.value("stage").toString(), QString("after"));
        QCOMPARE(view.value("opacity").toInt(), 35);
        QCOMPARE(view.value("logColours").toBool(), false);
        // the restored gamma drives the after-statistics: ||γ ⊙ x̂|| lies within [min γ, max γ]
        for (float v : m->normMap(1, "conv4_3", Stage::After)->values)
            QVERIFY(v == 0.f || (v >= 5.f - 1e-3f && v <= 5.f + 0.01f * 511 + 1e-3f));
    }
};

QTEST_MAIN(BatchControlTest)
#include "batch_control_test.moc"
