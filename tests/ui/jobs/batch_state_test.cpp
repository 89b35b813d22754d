// SPDX-License-Identifier: GPL-3.0-or-later
// What the window says about a run, and that nothing is lost: a cancelled re-run keeps the
// previous results and the progress bar agrees with the list; a re-run with unchanged weights
// does not read them again; "loading weights…" with Cancel whenever an engine is being created;
// the topology shown and saved is the one the weights actually run on.
#include "ui/jobs/batch_controller.h"
#include "ui/jobs/batch_status.h"
#include "ui/panels/images_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/state/app_model.h"
#include "ui/state/session_controller.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {
int countIn(const AppModel& m, ImageState state)
{
    int n = 0;
    for (int i = 0; i < m.imageCount(); ++i)
        n += m.image(i).state == state;
    return n;
}

/// The conv-only test weights have no fc6/fc7: analyse layers every topology has.
void convLayersOnly(AppModel* model)
{
    an::AnalyzerOptions o = model->options();
    o.layers = {"conv3_3", "conv4_3", "conv5_3"};
    o.layersAll = false;
    model->setOptions(o);
}

/// Images Done in this batch and not waiting any more: what the list shows as re-analysed.
int reanalysed(const AppModel& m)
{
    int n = 0;
    for (int i = 0; i < m.imageCount(); ++i)
        n += m.image(i).inBatch && !m.image(i).pending &&
             (m.image(i).state == ImageState::Done || m.image(i).state == ImageState::Failed);
    return n;
}
} // namespace

class BatchStateTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_vgg16; ///< torchvision VGG16 convolutions (random), written by torch itself

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        // VGG16's thirteen convolutions (random, fp16: 29 MB) under names no layout rule knows: the
        // engine matches them by order and shape and, with no topology asked for, runs them as VGG16.
        m_vgg16 = m_tmp.filePath("tv_vgg16_convs.pth");
        QProcess py;
        py.start(QStringLiteral(FEATSCALE_PYTHON),
                 {"-c",
                  "import sys, collections, torch, torchvision\n"
                  "torch.manual_seed(0)\n"
                  "convs = [m for m in torchvision.models.vgg16().features if isinstance(m, torch.nn.Conv2d)]\n"
                  "sd = collections.OrderedDict()\n"
                  "for i, m in enumerate(convs):\n"
                  "    sd['block%d.w' % i] = m.weight.detach().half()\n"
                  "    sd['block%d.b' % i] = m.bias.detach().half()\n"
                  "torch.save(sd, sys.argv[1])\n",
                  m_vgg16});
        if (!py.waitForFinished(300000) || py.exitCode() != 0)
            m_vgg16.clear();
    }

    void cancelAfterRerunKeepsOldResultsAndConsistentCounts()
    {
        QTemporaryDir dir;
        const QStringList samples = test::samplePaths();
        const int copies = 8;
        for (int i = 0; i < copies; ++i)
            QVERIFY(test::copyFile(samples[i % samples.size()], dir.filePath(QString("r%1.jpg").arg(i))));
        MainWindow window;
        window.show();
        AppModel* model = window.model();
        BatchController* run = window.controller();
        BatchStatus* status = window.batchStatus();
        window.start({dir.path()});
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(countIn(*model, ImageState::Done), copies);
        std::vector<std::shared_ptr<const an::ImageResult>> before;
        for (int i = 0; i < copies; ++i)
            before.push_back(model->image(i).result);

        // The bar and the list agree at every step of a re-run.
        int checks = 0;
        auto agree = [&] {
            const BatchCounts c = model->batchCounts();
            if (status->progressBar()->maximum() > 0 && status->progressBar()->value() != c.done)
                return false;
            ++checks;
            return c.done == reanalysed(*model) && run->batchDone() == c.done && run->batchTotal() == c.total;
        };
        connect(model, &AppModel::imageStateChanged, this, [&] { QVERIFY(agree()); });

        window.controller()->rerun();
        QTRY_COMPARE_WITH_TIMEOUT(model->batchCounts().total, copies, 120000);
        // nothing is thrown away up front: every image still has its result while it waits
        for (int i = 0; i < copies; ++i) {
            QVERIFY(model->image(i).result);
            QVERIFY(model->image(i).state == ImageState::Done || model->image(i).state == ImageState::Running);
        }
        QCOMPARE(model->aggregate("conv4_3", Stage::Before).images, copies);
        QTRY_VERIFY_WITH_TIMEOUT(reanalysed(*model) >= 2, 120000);
        QTest::mouseClick(status->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!run->isBusy(), 120000);
        QCoreApplication::processEvents();

        const int replaced = reanalysed(*model);
        QVERIFY2(replaced >= 2 && replaced < copies, qPrintable(QString::number(replaced)));
        int kept = 0;
        for (int i = 0; i < copies; ++i) {
            const ImageEntry& e = model->image(i);
            QCOMPARE(toString(e.state), toString(ImageState::Done)); // no "queued (cancelled)"
            QVERIFY(e.result);
            QVERIFY(model->stats(i, "conv4_3", Stage::Before));
            if (e.pending) {
                QCOMPARE(e.result, before[static_cast<size_t>(i)]); // the previous run's result
                ++kept;
            } else {
                QVERIFY(e.result != before[static_cast<size_t>(i)]);
            }
        }
        QCOMPARE(kept + replaced, copies);
        // one source of truth: bar, controller and list say the same
        QCOMPARE(status->progressBar()->value(), replaced);
        QCOMPARE(status->progressBar()->maximum(), copies);
        QVERIFY2(status->progressText().startsWith(QString("%1 / %2 images").arg(replaced).arg(copies)),
                 qPrintable(status->progressText()));
        QVERIFY2(status->progressText().contains("cancelled"), qPrintable(status->progressText()));
        QVERIFY(!status->cancelButton()->isEnabled());
        const QString expected = QString("%1 done (%2 from before the re-run)").arg(copies).arg(kept);
        QTRY_VERIFY2_WITH_TIMEOUT(window.imagesPanel()->summary()->text().contains(expected),
                                  qPrintable(window.imagesPanel()->summary()->text()), 2000);
        QVERIFY(checks > copies);
        // every aggregate still has every image
        QCOMPARE(model->aggregate("conv4_3", Stage::Before).images, copies);

        // starting again finishes the re-run: exactly the kept ones are analysed
        run->start();
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(model->batchCounts().total, kept);
        for (int i = 0; i < copies; ++i) {
            QVERIFY(!model->image(i).pending);
            QVERIFY(model->image(i).result != before[static_cast<size_t>(i)]);
        }
    }

    void rerunDoesNotReadUnchangedWeightsAgain()
    {
        if (m_vgg16.isEmpty())
            QSKIP("python3 with torch and torchvision is needed to write the weight file");
        MainWindow window;
        window.show();
        AppModel* model = window.model();
        BatchController* run = window.controller();
        connect(run, &BatchController::message, this, [](const QString& text, const QString& details) {
            qInfo("message: %s %s", qPrintable(text), qPrintable(details)); // says why a load failed
        });
        convLayersOnly(model);
        window.start({test::samplePaths().front()});
        QVERIFY(test::waitForIdle(window));
        window.modelPanel()->openWeights(m_vgg16);
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(QString::fromStdString(model->weights().path), m_vgg16);
        const int built = run->enginesBuilt();

        window.controller()->rerun(); // nothing changed: the engine stays
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(run->enginesBuilt(), built);
        QCOMPARE(toString(model->image(0).state), toString(ImageState::Done));

        // the same file name with new contents (a new modification time) is read again
        QFile f(m_vgg16);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
        f.close();
        window.controller()->rerun();
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(run->enginesBuilt(), built + 1);

        // settings that shape the engine build a new one
        an::AnalyzerOptions o = model->options();
        o.layers = {"conv4_3", "conv5_3"};
        model->setOptions(o);
        window.controller()->rerun();
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(run->enginesBuilt(), built + 2);
    }

    void loadingWeightsIsShownWithCancel()
    {
        if (m_vgg16.isEmpty())
            QSKIP("python3 with torch and torchvision is needed to write the weight file");
        MainWindow window;
        window.show();
        AppModel* model = window.model();
        BatchStatus* status = window.batchStatus();
        convLayersOnly(model);
        // the very first engine: said at once
        window.start({test::samplePaths().front()});
        QVERIFY2(status->progressText() == "loading weights…", qPrintable(status->progressText()));
        QVERIFY(status->cancelButton()->isEnabled());
        QVERIFY(test::waitForIdle(window));
        const auto previous = model->image(0).result;
        QVERIFY(model->weights().untrained);

        // new weights after the first run: the status says so before any event is processed
        window.modelPanel()->openWeights(m_vgg16);
        QCOMPARE(status->progressText(), QString("loading weights…"));
        QVERIFY(status->weightsText().contains("tv_vgg16_convs.pth"));
        QVERIFY2(!status->weightsText().contains("UNTRAINED"), qPrintable(status->weightsText()));
        QVERIFY(status->cancelButton()->isEnabled());
        QVERIFY(model->isLoadingEngine());

        // Cancel goes back to the weights in use before, results untouched
        QSignalSpy messages(window.controller(), &BatchController::message);
        QTest::mouseClick(status->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isBusy(), 120000);
        QVERIFY(!model->isLoadingEngine());
        QVERIFY(model->weights().untrained);
        QVERIFY(model->options().weightsPath.empty());
        QCOMPARE(model->image(0).result, previous);
        QCOMPARE(toString(model->image(0).state), toString(ImageState::Done));
        QVERIFY(!messages.isEmpty());
        QVERIFY2(messages.back().at(0).toString().contains("cancelled"), qPrintable(messages.back().at(0).toString()));
        // and the engine really is the old one: a re-run gives the same numbers
        window.controller()->rerun();
        QVERIFY(test::waitForIdle(window));
        QVERIFY(model->weights().untrained);
        QCOMPARE(model->stats(0, "conv4_3", Stage::Before)->mean(), previous->find("conv4_3")->beforeStats.mean());

        // reopening a session: "loading" at once, never the default weights in between
        const QString session = m_tmp.filePath("vgg16.featscale.json");
        {
            MainWindow a;
            convLayersOnly(a.model());
            a.start({test::samplePaths().front()});
            a.modelPanel()->openWeights(m_vgg16);
            QVERIFY(test::waitForIdle(a));
            QVERIFY(a.sessions()->save(session));
        }
        MainWindow b;
        b.show();
        b.start({test::samplePaths().front()});
        QVERIFY(test::waitForIdle(b));
        QVERIFY(test::openSession(*b.sessions(), session));
        QCOMPARE(b.batchStatus()->progressText(), QString("loading weights…"));
        QVERIFY(b.batchStatus()->weightsText().contains("tv_vgg16_convs.pth"));
        QVERIFY(b.batchStatus()->cancelButton()->isEnabled());
        QVERIFY(!b.modelPanel()->untrainedBadge()->isVisibleTo(b.modelPanel()));
        QVERIFY(test::waitForIdle(b));
        QCOMPARE(QString::fromStdString(b.model()->weights().path), m_vgg16);
    }

    void topologyShownAndSavedIsTheOneInUse()
    {
        if (m_vgg16.isEmpty())
            QSKIP("python3 with torch and torchvision is needed to write the weight file");
        MainWindow window;
        window.show();
        AppModel* model = window.model();
        auto* topology = window.modelPanel()->findChild<QComboBox*>("topology");
        QVERIFY(topology);
        // one entry per topology the engine knows, built from its list
        QVERIFY(topology->count() >= 2);
        for (int i = 0; i < topology->count(); ++i)
            QCOMPARE(
                QString::fromStdString(an::toString(an::parseArch(topology->itemData(i).toString().toStdString()))),
                topology->itemData(i).toString());
        QCOMPARE(topology->currentData().toString(), QString("vgg16-reduced")); // the GUI's default
        convLayersOnly(model);
        window.start({test::samplePaths().front()});
        QVERIFY(test::waitForIdle(window));
        window.modelPanel()->openWeights(m_vgg16); // a torchvision VGG16: the file decides
        QVERIFY(test::waitForIdle(window));
        QCOMPARE(an::toString(model->engine().run.arch), std::string("vgg16"));
        QCOMPARE(an::toString(model->options().arch), std::string("vgg16"));
        QCOMPARE(topology->currentData().toString(), QString("vgg16"));
        QVERIFY(!window.modelPanel()->rerunNeeded()); // what is shown is what runs

        const QString path = m_tmp.filePath("topology.featscale.json");
        QVERIFY(window.sessions()->save(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(saved.value("arch").toString(), QString("vgg16"));
    }

    void changedSettingsSayThatARerunIsNeeded()
    {
        MainWindow window;
        window.show();
        ModelPanel* panel = window.modelPanel();
        QVERIFY(!panel->rerunNeeded());
        QVERIFY(!panel->rerunHint()->isVisibleTo(panel));
        auto* layers = panel->findChild<QLineEdit*>("layersEdit");
        QVERIFY(layers);
        const QString was = layers->text();
        layers->setText("conv4_3,fc7");
        QVERIFY(panel->rerunNeeded());
        QVERIFY(panel->rerunHint()->isVisibleTo(panel));
        layers->setText(was); // back as it was: nothing to re-run
        QVERIFY(!panel->rerunHint()->isVisibleTo(panel));
        auto* topology = panel->findChild<QComboBox*>("topology");
        topology->setCurrentIndex(topology->findData("vgg16"));
        QVERIFY(panel->rerunHint()->isVisibleTo(panel));
        QVERIFY(panel->applyAndRerun()); // applied: the hint goes
        QVERIFY(!panel->rerunHint()->isVisibleTo(panel));
    }
};

QTEST_MAIN(BatchStateTest)
#include "batch_state_test.moc"
