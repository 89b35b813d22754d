// SPDX-License-Identifier: GPL-3.0-or-later
// The Training tab on three checkpoints written here by torch (ssd.pytorch's layout, the step in
// the file name) with γ known to numpy: the γ-mean plot's points, hover markers in every plot,
// click to use a checkpoint and undo, the session's view state, cancel during the load, exports.
#include "analysis/trajectory/trajectory_files.h"
#include "ui/jobs/trajectory_loader.h"
#include "ui/plots/qcp.h"
#include "ui/runs/training_panel.h"
#include "ui/state/app_model.h"
#include "ui/state/session_controller.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QMouseEvent>
#include <QProcess>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <cmath>
#include <memory>

using namespace featscale;
using namespace featscale::ui;

namespace {
/// The steps in training order and their files (given in name order: 1000, 20000, 5000).
const int kSteps[] = {1000, 5000, 20000};

QString fileOf(const QTemporaryDir& dir, int step)
{
    return dir.filePath(QStringLiteral("ssd300_COCO_%1.pth").arg(step));
}

QCPGraph* gammaMeanGraph(QCustomPlot& plot)
{
    for (int i = 0; i < plot.graphCount(); ++i)
        if (plot.graph(i)->name().startsWith(QStringLiteral("γ conv4_3")))
            return plot.graph(i);
    return nullptr;
}

void send(QWidget* w, QEvent::Type type, QPoint pos, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent e(type, QPointF(pos), w->mapToGlobal(QPointF(pos)), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

/// A point in the middle of rect's height at x = key of its bottom axis.
QPoint at(QCPAxisRect* rect, double key)
{
    return QPoint(static_cast<int>(std::lround(rect->axis(QCPAxis::atBottom)->coordToPixel(key))),
                  rect->rect().center().y());
}
} // namespace

class TrainingPanelTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QList<double> m_means; ///< numpy's mean of each checkpoint's γ, in training order
    AppModel* m_model = nullptr;
    std::unique_ptr<TrainingPanel> m_panel;

    void loadAll(TrainingPanel& panel)
    {
        QVERIFY(panel.loadCheckpoints({m_dir.path()}, /*overImages=*/false));
        panel.waitForLoad();
        QCOMPARE(static_cast<int>(panel.shown().checkpoints.size()), 3);
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        QVERIFY(m_dir.isValid());
        // γ of 512 channels: 20 at step 0 drifting by step, a spread over the channels; the state
        // dict holds only what a γ reader needs besides the backbone's first key
        QProcess py;
        py.start(QStringLiteral(FEATSCALE_PYTHON),
                 {"-c",
                  "import sys, os, numpy as np, torch\n"
                  "for step in (1000, 20000, 5000):\n"
                  "    g = (20 + step / 1000.0 + 0.01 * np.arange(512) * (step / 5000.0)).astype(np.float32)\n"
                  "    sd = {'vgg.0.weight': torch.zeros(64, 3, 3, 3), 'vgg.0.bias': torch.zeros(64),\n"
                  "          'L2Norm.weight': torch.from_numpy(g)}\n"
                  "    torch.save(sd, os.path.join(sys.argv[1], 'ssd300_COCO_%d.pth' % step))\n"
                  "for step in (1000, 5000, 20000):\n"
                  "    g = (20 + step / 1000.0 + 0.01 * np.arange(512) * (step / 5000.0)).astype(np.float32)\n"
                  "    print(repr(float(g.astype(np.float64).mean())))\n",
                  m_dir.path()});
        QVERIFY(py.waitForFinished(300000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        for (const QByteArray& line : py.readAllStandardOutput().trimmed().split('\n'))
            m_means << line.toDouble();
        QCOMPARE(m_means.size(), 3);
    }

    void init()
    {
        m_model = new AppModel;
        m_panel = std::make_unique<TrainingPanel>(m_model);
        m_panel->resize(1000, 700);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    }

    void cleanup()
    {
        m_panel.reset();
        delete m_model;
    }

    void loadDrawsTheKnownGammaMeans()
    {
        loadAll(*m_panel);
        QCPGraph* means = gammaMeanGraph(*m_panel->plot());
        QVERIFY(means);
        QCOMPARE(means->dataCount(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(means->data()->at(i)->key, double(kSteps[i]));
            QVERIFY2(std::abs(means->data()->at(i)->value - m_means[i]) < 1e-5 * m_means[i],
                     qPrintable(QStringLiteral("step %1: %2 drawn, numpy %3")
                                    .arg(kSteps[i])
                                    .arg(means->data()->at(i)->value)
                                    .arg(m_means[i])));
        }
        // γ only: the γ band and the heatmap, no median plot
        QCOMPARE(m_panel->plot()->axisRectCount(), 2);
        QVERIFY(m_panel->statusText().contains(QStringLiteral("3 checkpoint(s)")));
    }

    void hoverMarksTheStepInEveryPlot()
    {
        loadAll(*m_panel);
        m_panel->plot()->replot();
        QCPAxisRect* band = m_panel->plot()->axisRect(0);
        send(m_panel->plot(), QEvent::MouseMove, at(band, 5000), Qt::NoButton, Qt::NoButton);
        QCOMPARE(m_panel->markedCheckpoint(), 1);
        QCOMPARE(static_cast<int>(m_panel->markers().size()), 2);
        // the band's x is the step; the heatmap's is the checkpoint's column (the second)
        const double expected[] = {5000, 1};
        for (int i = 0; i < 2; ++i) {
            QCPItemStraightLine* line = m_panel->markers()[static_cast<std::size_t>(i)];
            QVERIFY(line->visible());
            QCOMPARE(line->point1->coords().x(), expected[i]);
            QCOMPARE(line->point1->keyAxis(), m_panel->plot()->axisRect(i)->axis(QCPAxis::atBottom));
        }
        // hovering the heatmap's last column marks the last step in the band too
        QCPAxisRect* heat = m_panel->plot()->axisRect(1);
        send(m_panel->plot(), QEvent::MouseMove, at(heat, 2), Qt::NoButton, Qt::NoButton);
        QCOMPARE(m_panel->markedCheckpoint(), 2);
        QCOMPARE(m_panel->markers()[0]->point1->coords().x(), 20000.0);
        QVERIFY(m_panel->statusText().contains(QStringLiteral("step 20000")));
    }

    void clickUsesTheCheckpointAndUndoGoesBack()
    {
        loadAll(*m_panel);
        m_panel->plot()->replot();
        const std::string before = m_model->options().weightsPath;
        QSignalSpy reruns(m_panel.get(), &TrainingPanel::rerunRequested);
        const QPoint p = at(m_panel->plot()->axisRect(0), 20000);
        send(m_panel->plot(), QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton);
        send(m_panel->plot(), QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(QString::fromStdString(m_model->options().weightsPath), fileOf(m_dir, 20000));
        QCOMPARE(reruns.count(), 1);
        QCOMPARE(m_model->undoStack()->count(), 1);
        m_model->undoStack()->undo();
        QCOMPARE(m_model->options().weightsPath, before);
        QCOMPARE(reruns.count(), 2);
        m_model->undoStack()->redo();
        QCOMPARE(QString::fromStdString(m_model->options().weightsPath), fileOf(m_dir, 20000));
        // a drag is not a click
        const QPoint q = at(m_panel->plot()->axisRect(0), 1000);
        send(m_panel->plot(), QEvent::MouseButtonPress, q, Qt::LeftButton, Qt::LeftButton);
        send(m_panel->plot(), QEvent::MouseButtonRelease, q + QPoint(30, 0), Qt::LeftButton, Qt::NoButton);
        QCOMPARE(m_model->undoStack()->count(), 1);
    }

    void sessionRoundTripKeepsTheList()
    {
        loadAll(*m_panel);
        const QByteArray saved = QJsonDocument(m_panel->viewState()).toJson();
        AppModel model;
        TrainingPanel reopened(&model);
        reopened.restoreViewState(QJsonDocument::fromJson(saved).object());
        QVERIFY(reopened.isLoading() || !reopened.shown().checkpoints.empty()); // asynchronous
        reopened.waitForLoad();
        QCOMPARE(static_cast<int>(reopened.shown().checkpoints.size()), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(QString::fromStdString(reopened.shown().checkpoints[static_cast<std::size_t>(i)].checkpoint),
                     fileOf(m_dir, kSteps[i]));
        QCOMPARE(reopened.viewState(), m_panel->viewState());
    }

    void windowHasTheTabAndSavesItsList()
    {
        MainWindow window;
        QTabWidget* tabs = window.plotTabs();
        QCOMPARE(tabs->tabText(tabs->count() - 1), QStringLiteral("Training"));
        auto* panel = window.findChild<TrainingPanel*>(QStringLiteral("trainingPanel"));
        QVERIFY(panel);
        loadAll(*panel);
        const QJsonObject state = window.viewState().value(QStringLiteral("training")).toObject();
        QCOMPARE(state.value(QStringLiteral("checkpoints")).toArray().size(), 3);
        // through a session file: another window opening it loads the list again, in the background
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("training.featscale.json"));
        QVERIFY(window.sessions()->save(session));
        MainWindow reopened;
        QVERIFY(test::openSession(*reopened.sessions(), session));
        auto* again = reopened.findChild<TrainingPanel*>(QStringLiteral("trainingPanel"));
        again->waitForLoad();
        QCOMPARE(static_cast<int>(again->shown().checkpoints.size()), 3);
        QCOMPARE(QString::fromStdString(again->shown().checkpoints.back().checkpoint), fileOf(m_dir, 20000));
    }

    /// At 1366×768 and 1920×1080 the tab's plots, axis titles and legend lie inside the plot.
    /// FEATSCALE_TRAINING_SCREENSHOTS=DIR saves the window there; FEATSCALE_TRAINING_CHECKPOINTS=DIR
    /// shows that folder over the bundled photos instead of the γ-only fixtures (to look at it).
    void tabDrawsWholeAtScreenSizes()
    {
        const QString shots = qEnvironmentVariable("FEATSCALE_TRAINING_SCREENSHOTS");
        const QString folder = qEnvironmentVariable("FEATSCALE_TRAINING_CHECKPOINTS");
        for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
            MainWindow window;
            window.resize(size);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.applyDefaultLayout();
            window.plotTabs()->setCurrentIndex(window.plotTabs()->count() - 1);
            auto* panel = window.findChild<TrainingPanel*>(QStringLiteral("trainingPanel"));
            if (!folder.isEmpty()) {
                window.model()->addImages(test::samplePaths());
                QVERIFY(panel->loadCheckpoints({folder}, /*overImages=*/true));
                panel->waitForLoad();
                QVERIFY2(!panel->shown().checkpoints.empty(), qPrintable(panel->statusText()));
            } else {
                loadAll(*panel);
            }
            QTest::qWait(200);
            panel->refreshNow();
            QCustomPlot* plot = panel->plot();
            plot->replot(QCustomPlot::rpImmediateRefresh);
            if (!shots.isEmpty())
                QVERIFY(window.grab().save(
                    QDir(shots).filePath(QStringLiteral("training-%1x%2.png").arg(size.width()).arg(size.height()))));
            QVERIFY(plot->isVisible());
            // QCustomPlot's grid rounds each row's height: the last row may end one pixel past the
            // widget (its axis title is still drawn whole), measured at both sizes
            const QRect bounds = plot->rect().adjusted(0, 0, 0, 1);
            for (QCPAxisRect* rect : plot->axisRects()) {
                QVERIFY2(bounds.contains(rect->outerRect()),
                         qPrintable(QDebug::toString(rect->outerRect()) + QStringLiteral(" in ") +
                                    QDebug::toString(plot->rect())));
                QVERIFY2(rect->width() >= 150 && rect->height() >= 80,
                         qPrintable(QStringLiteral("%1×%2").arg(rect->width()).arg(rect->height())));
            }
            QVERIFY(plot->legend && plot->rect().contains(plot->legend->outerRect()));
        }
    }

    void cancelKeepsTheLoadedOnesAndSaysSo()
    {
        auto* loader = m_panel->findChild<TrajectoryLoader*>();
        QVERIFY(loader);
        // from the worker thread, right after the first checkpoint: a deterministic cancel point
        connect(
            loader, &TrajectoryLoader::progress, loader,
            [loader](int done, int, bool) {
                if (done == 1)
                    loader->cancel();
            },
            Qt::DirectConnection);
        QVERIFY(m_panel->loadCheckpoints({m_dir.path()}, false));
        m_panel->waitForLoad();
        QCOMPARE(static_cast<int>(m_panel->shown().checkpoints.size()), 1);
        QVERIFY2(m_panel->statusText().contains(QStringLiteral("Cancelled: 1 of 3 checkpoints loaded")),
                 qPrintable(m_panel->statusText()));
        QVERIFY(gammaMeanGraph(*m_panel->plot()));
    }

    void noReadableCheckpointSaysSo()
    {
        QTemporaryDir broken;
        QVERIFY(test::writeFile(broken.filePath(QStringLiteral("a_100.pth")), "not a checkpoint"));
        QVERIFY(m_panel->loadCheckpoints({broken.path()}, false));
        m_panel->waitForLoad();
        QVERIFY(m_panel->shown().checkpoints.empty());
        QVERIFY2(m_panel->statusText().contains(QStringLiteral("None of the 1 checkpoint(s) could be read")),
                 qPrintable(m_panel->statusText()));
        QVERIFY(m_panel->statusText().contains(QStringLiteral("a_100.pth")));
        QVERIFY(!m_panel->loadCheckpoints({broken.path()}, /*overImages=*/true)); // no images in the list
        QVERIFY(m_panel->statusText().contains(QStringLiteral("needs images")));
    }

    void exportsWriteTheCsvFilesAndTheFigure()
    {
        loadAll(*m_panel);
        QTemporaryDir out;
        QString error;
        QVERIFY2(m_panel->exportCsv(out.path(), &error), qPrintable(error));
        const QList<QByteArray> gamma = test::readFile(out.filePath(QStringLiteral("gamma.csv"))).trimmed().split('\n');
        QCOMPARE(gamma.front(), QByteArray(analysis::kGammaCsvHeader));
        QCOMPARE(gamma.size(), 1 + 3 * 512);
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("trajectory.csv"))));
        for (const char* name : {"figure.svg", "figure.png", "figure.pdf"}) {
            const QString path = out.filePath(QLatin1String(name));
            QVERIFY2(m_panel->exportFigure(path, &error), qPrintable(error));
            QVERIFY(QFileInfo(path).size() > 1000);
        }
        QVERIFY(test::readFile(out.filePath(QStringLiteral("figure.svg"))).contains("training step"));
    }
};

QTEST_MAIN(TrainingPanelTest)
#include "training_panel_test.moc"
