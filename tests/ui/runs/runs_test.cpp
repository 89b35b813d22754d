// SPDX-License-Identifier: GPL-3.0-or-later
// Runs side by side: a run folder written by featscale-cli shows that run's numbers; adding,
// hiding and removing runs; the ratio table against hand-computed values; runs in the session
// file; runs computed from the model settings in the background (and cancelled); norm maps.
#include "analysis/runs/run_data.h"
#include "ui/plots/qcp.h"
#include "ui/runs/compare_panel.h"
#include "ui/runs/comparison_export.h"
#include "ui/runs/ratio_table.h"
#include "ui/runs/run_concat_view.h"
#include "ui/runs/run_overlay_view.h"
#include "ui/runs/run_set.h"
#include "ui/runs/runs_panel.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

constexpr int kMedian = Qt::UserRole + 1;

// A one-image run whose aggregates are exactly the given medians (one location per stage, so
// every percentile equals the value).
std::shared_ptr<const an::RunData> handRun(const std::map<std::pair<std::string, an::Stage>, double>& medians)
{
    auto run = std::make_shared<an::RunData>();
    run->meta.layers = {"conv4_3", "fc7"};
    run->meta.l2normLayers = {"conv4_3"};
    run->meta.weights.untrained = false;
    an::ImageRecord image;
    image.image = "hand.png";
    for (const auto& layer : run->meta.layers)
        for (an::Stage stage : {an::Stage::Before, an::Stage::After}) {
            const auto it = medians.find({layer, stage});
            if (it == medians.end())
                continue;
            an::StageRecord s;
            s.layer = layer;
            s.stage = stage;
            s.height = s.width = 1;
            const double v = it->second;
            s.stats.count = 1;
            s.stats.sum = v;
            s.stats.sumSquares = v * v;
            s.stats.min = s.stats.max = v;
            s.stats.p1 = s.stats.p5 = s.stats.p25 = s.stats.p50 = s.stats.p75 = s.stats.p95 = s.stats.p99 = v;
            s.hist = an::Histogram(run->meta.bins);
            s.hist.add(static_cast<float>(v));
            image.stages.push_back(s);
        }
    run->images.push_back(image);
    return run;
}

using Key = std::pair<std::string, an::Stage>;
std::map<Key, double> medians(double c43, double c43after, double fc7)
{
    return {{{"conv4_3", an::Stage::Before}, c43},
            {{"conv4_3", an::Stage::After}, c43after},
            {{"fc7", an::Stage::Before}, fc7}};
}

// The `*` rows of summary.csv: layer/stage -> p50, read with nothing of featscale's.
std::map<QString, double> summaryMedians(const QString& dir, int* images)
{
    std::map<QString, double> out;
    QFile f(QDir(dir).filePath(QStringLiteral("summary.csv")));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QStringList header = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char(','));
    const int p50 = static_cast<int>(header.indexOf(QStringLiteral("p50")));
    QSet<QString> names;
    while (!f.atEnd()) {
        const QStringList cols = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char(','));
        if (cols.size() != header.size())
            continue;
        if (cols[0] == QLatin1String("*"))
            out[cols[1] + QLatin1Char(' ') + cols[2]] = cols[p50].toDouble();
        else
            names.insert(cols[0]);
    }
    *images = static_cast<int>(names.size());
    return out;
}

int columnOf(QTableWidget* t, const QString& name)
{
    for (int c = 0; c < t->columnCount(); ++c)
        if (t->horizontalHeaderItem(c) && t->horizontalHeaderItem(c)->text() == name)
            return c;
    return -1;
}

int rowOf(QTableWidget* t, const QString& layer, const QString& stage)
{
    for (int r = 0; r < t->rowCount(); ++r)
        if (t->item(r, 0) && t->item(r, 1) && t->item(r, 0)->text() == layer && t->item(r, 1)->text() == stage)
            return r;
    return -1;
}

bool waitReady(RunSet& runs, int timeoutMs = 240000)
{
    QElapsedTimer t;
    t.start();
    while (runs.isBusy() && t.elapsed() < timeoutMs)
        QTest::qWait(20);
    return !runs.isBusy();
}

} // namespace

class RunsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void folderRunShowsTheNumbersOfTheRunThatWroteIt();
    void addHideRemove();
    void ratioTableMatchesHandComputedValues();
    void sessionKeepsRunsAndReportsAVanishedFolder();
    void runFromSettingsComputesInTheBackgroundAndCancels();
    void exportsComparisonCsv();
    void exportsNormMapsAsNumpyReadsThem();
    /// Not a check: renders the comparison with four runs into $FEATSCALE_RUNS_SCREENSHOTS (for
    /// looking at the layout under Xvfb); skipped without it.
    void screenshots();

private:
    QTemporaryDir m_tmp;
    QString m_runDir;
};

void RunsTest::initTestCase()
{
    test::isolateSettings();
    QVERIFY(m_tmp.isValid());
    m_runDir = m_tmp.filePath(QStringLiteral("cli_run"));
    const QStringList samples = test::samplePaths();
    QVERIFY(samples.size() >= 2);
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    cli.start(QStringLiteral(FEATSCALE_CLI),
              {QStringLiteral("analyze"), samples[0], samples[1], QStringLiteral("--out"), m_runDir,
               QStringLiteral("--size"), QStringLiteral("96"), QStringLiteral("--quiet")});
    QVERIFY2(cli.waitForFinished(300000), "featscale-cli analyze did not finish");
    QVERIFY2(cli.exitCode() == 0, cli.readAll().constData());
}

void RunsTest::folderRunShowsTheNumbersOfTheRunThatWroteIt()
{
    int images = 0;
    const std::map<QString, double> expected = summaryMedians(m_runDir, &images);
    QVERIFY(!expected.empty());
    QCOMPARE(images, 2);

    AppModel model;
    RunSet runs;
    RunsPanel panel(&model, &runs);
    RatioTable table(&runs);
    QCOMPARE(runs.addFolder(m_runDir, QStringLiteral("cli")), 0);
    QVERIFY(waitReady(runs));
    QCOMPARE(runs.run(0).state, RunEntry::State::Ready);
    QVERIFY(runs.run(0).readOnly());

    const int col = columnOf(&table, QStringLiteral("cli"));
    QVERIFY(col >= 0);
    int checked = 0;
    for (const auto& [key, median] : expected) {
        const QStringList parts = key.split(QLatin1Char(' '));
        const int row = rowOf(&table, parts[0], parts[1] == QLatin1String("before") ? tr("before") : tr("after"));
        QVERIFY2(row >= 0, qPrintable(key));
        const double shown = table.item(row, col)->data(kMedian).toDouble();
        QVERIFY2(std::abs(shown - median) <= 1e-12 * std::abs(median), qPrintable(key));
        // two images: aggregate medians come from the merged histogram, and the table says so
        QVERIFY2(table.item(row, col)->text().startsWith(QStringLiteral("≈")),
                 qPrintable(table.item(row, col)->text()));
        ++checked;
    }
    QCOMPARE(checked, static_cast<int>(expected.size()));

    // its recorded settings, as the panel shows them
    const QString details = panel.findChild<QLabel*>(QStringLiteral("runDetails"))->text();
    QVERIFY2(details.contains(QStringLiteral("UNTRAINED")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("2 analysed")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("conv4_3")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("read-only")), qPrintable(details));
}

void RunsTest::addHideRemove()
{
    AppModel model;
    RunSet runs;
    RunsPanel panel(&model, &runs);
    ComparePanel compare(&model, &runs, nullptr);
    compare.resize(1000, 700);
    compare.show();
    for (int i = 0; i < 4; ++i)
        QCOMPARE(runs.addData(handRun(medians(100.0 * (i + 1), 20, 4)), QStringLiteral("run %1").arg(i)), i);
    QCOMPARE(runs.count(), 4);
    QCOMPARE(panel.list()->rowCount(), 4);
    RatioTable* table = compare.ratioTable();
    QCOMPARE(table->columnCount(), 2 + 4);
    // every run its own colour
    QSet<QRgb> colors;
    for (int i = 0; i < 4; ++i)
        colors.insert(runs.run(i).color.rgb());
    QCOMPARE(colors.size(), 4);

    // hide run 2 by unticking it in the list: gone from the table and the figures
    panel.list()->item(2, 0)->setCheckState(Qt::Unchecked);
    QVERIFY(!runs.run(2).visible);
    QCOMPARE(table->columnCount(), 2 + 3);
    QCOMPARE(columnOf(table, QStringLiteral("run 2")), -1);
    compare.refreshNow();
    for (int i = 0; i < compare.layerScalesPlot()->plottableCount(); ++i)
        QVERIFY(!compare.layerScalesPlot()->plottable(i)->name().contains(QStringLiteral("run 2")));
    bool drawnRun1 = false;
    for (int i = 0; i < compare.layerScalesPlot()->plottableCount(); ++i)
        drawnRun1 = drawnRun1 || compare.layerScalesPlot()->plottable(i)->name().contains(QStringLiteral("run 1"));
    QVERIFY(drawnRun1);

    // rename through the list
    panel.list()->item(1, 0)->setText(QStringLiteral("renamed"));
    QCOMPARE(runs.run(1).name, QStringLiteral("renamed"));
    QVERIFY(columnOf(table, QStringLiteral("renamed")) >= 0);

    // remove run 3 through the panel
    panel.selectRun(3);
    panel.removeSelected();
    QCOMPARE(runs.count(), 3);
    QCOMPARE(panel.list()->rowCount(), 3);
    QCOMPARE(columnOf(table, QStringLiteral("run 3")), -1);
    QCOMPARE(table->columnCount(), 2 + 2);

    // at most kMaxRuns
    while (runs.count() < RunSet::kMaxRuns)
        QVERIFY(runs.addData(handRun(medians(1, 1, 1)), QStringLiteral("x")) >= 0);
    QSignalSpy messages(&runs, &RunSet::message);
    QCOMPARE(runs.addFolder(m_runDir), -1);
    QCOMPARE(messages.size(), 1);
}

void RunsTest::ratioTableMatchesHandComputedValues()
{
    RunSet runs;
    RatioTable table(&runs);
    // A: conv4_3 200 (after L2Norm 20), fc7 4. B: conv4_3 500 (after 30), fc7 10. C: 50, 25, 2.
    runs.addData(handRun(medians(200, 20, 4)), QStringLiteral("A"));
    runs.addData(handRun(medians(500, 30, 10)), QStringLiteral("B"));
    runs.addData(handRun(medians(50, 25, 2)), QStringLiteral("C"));
    const int a = columnOf(&table, QStringLiteral("A")), b = columnOf(&table, QStringLiteral("B")),
              c = columnOf(&table, QStringLiteral("C"));
    const int c43 = rowOf(&table, QStringLiteral("conv4_3"), tr("before"));
    const int c43after = rowOf(&table, QStringLiteral("conv4_3"), tr("after"));
    const int fc7 = rowOf(&table, QStringLiteral("fc7"), tr("before"));
    QVERIFY(a >= 0 && b >= 0 && c >= 0 && c43 >= 0 && c43after >= 0 && fc7 >= 0);
    auto ratio = [&](int row, int col) { return table.item(row, col)->data(Qt::UserRole).toDouble(); };
    // reference A: B/A and C/A
    QCOMPARE(ratio(c43, a), 1.0);
    QCOMPARE(ratio(c43, b), 2.5);       // 500 / 200
    QCOMPARE(ratio(c43, c), 0.25);      // 50 / 200
    QCOMPARE(ratio(c43after, b), 1.5);  // 30 / 20
    QCOMPARE(ratio(c43after, c), 1.25); // 25 / 20
    QCOMPARE(ratio(fc7, b), 2.5);       // 10 / 4
    QCOMPARE(ratio(fc7, c), 0.5);       // 2 / 4
    QVERIFY(table.item(c43, b)->text().contains(QStringLiteral("×2.5")));
    QVERIFY(!table.item(c43, b)->text().contains(QStringLiteral("≈"))); // one image: exact medians
    QCOMPARE(table.item(c43, b)->data(kMedian).toDouble(), 500.0);

    // within each run: conv4_3 / fc7 before (conv4_3 before / fc7) and after (conv4_3 after / fc7)
    int within = -1;
    for (int r = 0; r < table.rowCount(); ++r)
        if (table.item(r, 0) && table.item(r, 0)->text() == QStringLiteral("conv4_3 / fc7") &&
            table.item(r, 1)->text() == tr("before"))
            within = r;
    QVERIFY(within >= 0);
    QCOMPARE(ratio(within, a), 50.0);     // 200 / 4
    QCOMPARE(ratio(within, b), 50.0);     // 500 / 10
    QCOMPARE(ratio(within, c), 25.0);     // 50 / 2
    QCOMPARE(ratio(within + 1, a), 5.0);  // 20 / 4
    QCOMPARE(ratio(within + 1, b), 3.0);  // 30 / 10
    QCOMPARE(ratio(within + 1, c), 12.5); // 25 / 2
    QCOMPARE(table.item(within, a)->text(), QStringLiteral("×50"));

    // another reference: B
    runs.setReference(1);
    QCOMPARE(ratio(c43, a), 0.4); // 200 / 500
    QCOMPARE(ratio(c43, c), 0.1); // 50 / 500
    QCOMPARE(ratio(fc7, c), 0.2); // 2 / 10
    QVERIFY(table.item(c43, b)->text().contains(tr("(reference)")));

    // hiding the reference falls back to the first shown run
    runs.setVisible(1, false);
    QCOMPARE(runs.reference(), 0);
    QCOMPARE(ratio(c43, columnOf(&table, QStringLiteral("C"))), 0.25);
}

void RunsTest::sessionKeepsRunsAndReportsAVanishedFolder()
{
    const QString gone = m_tmp.filePath(QStringLiteral("gone_run"));
    QVERIFY(QDir().mkpath(gone));
    QVERIFY(test::copyFile(QDir(m_runDir).filePath(QStringLiteral("run.json")),
                           QDir(gone).filePath(QStringLiteral("run.json"))));
    QJsonObject saved;
    {
        AppModel model;
        RunSet runs;
        RunsPanel panel(&model, &runs);
        QCOMPARE(runs.addFolder(m_runDir, QStringLiteral("from disk")), 0);
        QCOMPARE(runs.addFolder(gone, QStringLiteral("vanishing")), 1);
        an::AnalyzerOptions o;
        o.size = an::parseSizeSpec("64");
        o.layers = {"conv4_3", "fc7"};
        o.gamma = {7.5f};
        QCOMPARE(runs.addSettingsRun(o, {test::samplePaths().first()}, QStringLiteral("settings")), 2);
        runs.setColor(0, QColor(QStringLiteral("#123456")));
        runs.setVisible(2, false);
        runs.cancel(2);
        QVERIFY(waitReady(runs));
        saved = QJsonDocument::fromJson(QJsonDocument(panel.viewState()).toJson()).object();
    }
    QVERIFY(QDir(gone).removeRecursively());

    AppModel model;
    RunSet runs;
    RunsPanel panel(&model, &runs);
    QSignalSpy messages(&panel, &RunsPanel::message);
    panel.restoreViewState(saved);
    QCOMPARE(runs.count(), 2); // the vanished folder is reported, the others restored
    QCOMPARE(messages.size(), 1);
    QVERIFY(messages.first().first().toString().contains(QStringLiteral("vanishing")));
    QVERIFY(messages.first().first().toString().contains(gone));
    QCOMPARE(runs.run(0).name, QStringLiteral("from disk"));
    QCOMPARE(runs.run(0).color, QColor(QStringLiteral("#123456")));
    QCOMPARE(runs.run(0).folder, QDir::cleanPath(m_runDir));
    QVERIFY(runs.run(0).visible);
    QCOMPARE(runs.run(1).name, QStringLiteral("settings"));
    QVERIFY(!runs.run(1).visible);
    QCOMPARE(runs.run(1).source, RunEntry::Source::Settings);
    QCOMPARE(runs.run(1).options.size.value, 64);
    QCOMPARE(runs.run(1).options.layers, (std::vector<std::string>{"conv4_3", "fc7"}));
    QCOMPARE(runs.run(1).options.gamma, std::vector<float>{7.5f});
    QCOMPARE(runs.run(1).images, QStringList{test::samplePaths().first()});
    runs.cancel(1);
    QVERIFY(waitReady(runs));
    QCOMPARE(runs.run(0).state, RunEntry::State::Ready);
}

void RunsTest::runFromSettingsComputesInTheBackgroundAndCancels()
{
    AppModel model;
    an::AnalyzerOptions o = model.options();
    o.size = an::parseSizeSpec("96");
    model.setOptions(o);
    model.addImages({test::samplePaths()[0], test::samplePaths()[1]});
    RunSet runs;
    ComparePanel compare(&model, &runs, nullptr);
    QCOMPARE(runs.addFromSettings(model), 0);
    QVERIFY(runs.isBusy());
    QCOMPARE(runs.run(0).state, RunEntry::State::Computing);
    QVERIFY(waitReady(runs)); // the event loop ran all along: the work is on another thread
    const RunEntry& r = runs.run(0);
    QCOMPARE(r.state, RunEntry::State::Ready);
    QCOMPARE(static_cast<int>(r.data->images.size()), 2);
    QCOMPARE(static_cast<int>(r.results.size()), 2);
    QVERIFY(!r.caches.empty());
    QVERIFY(r.data->meta.weights.untrained);

    // the overlay of this run on the current image
    model.setCurrentIndex(1);
    compare.overlayView()->refresh();
    QVERIFY2(!compare.overlayView()->overlay().isNull(), qPrintable(compare.overlayView()->notice()));

    // a second run, cancelled at once
    QCOMPARE(runs.addFromSettings(model), 1);
    runs.cancel(1);
    QVERIFY(waitReady(runs));
    QCOMPARE(runs.run(1).state, RunEntry::State::Cancelled);
}

void RunsTest::exportsComparisonCsv()
{
    AppModel model;
    RunSet runs;
    ComparisonExport exporter(&model, &runs, nullptr);
    runs.addData(handRun(medians(200, 20, 4)), QStringLiteral("A"));
    runs.addData(handRun(medians(500, 30, 10)), QStringLiteral("B"));
    const QString dir = m_tmp.filePath(QStringLiteral("csv"));
    QVERIFY(exporter.exportCsv(dir));
    QFile f(QDir(dir).filePath(QStringLiteral("comparison.csv")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(f.readAll());
    QVERIFY2(csv.contains(QStringLiteral("conv4_3,before,B,500,500,500,2.5,false,1,exact")), qPrintable(csv));
    QFile w(QDir(dir).filePath(QStringLiteral("within_run_ratios.csv")));
    QVERIFY(w.open(QIODevice::ReadOnly));
    const QString within = QString::fromUtf8(w.readAll());
    QVERIFY2(within.contains(QStringLiteral("A,conv4_3,fc7,before,50,exact")), qPrintable(within));
    QVERIFY2(within.contains(QStringLiteral("B,conv4_3,fc7,after,3,exact")), qPrintable(within));
}

void RunsTest::exportsNormMapsAsNumpyReadsThem()
{
    AppModel model;
    an::AnalyzerOptions o;
    o.size = an::parseSizeSpec("64");
    o.layers = {"conv3_3", "conv4_3", "fc7"};
    an::Analyzer analyzer(o);
    model.setOptions(o);
    model.setEngine(AppModel::EngineInfo::of(analyzer));
    const QStringList paths{test::samplePaths()[0], test::samplePaths()[2]};
    model.addImages(paths);
    std::vector<an::ImageResult> results;
    for (int i = 0; i < paths.size(); ++i) {
        results.push_back(analyzer.analyze(paths[i].toStdString()));
        model.setImageResult(i, results.back());
    }
    model.setCurrentIndex(1);

    ComparisonExport exporter(&model, nullptr, nullptr);
    QSignalSpy done(&exporter, &ComparisonExport::exported);
    QSignalSpy failed(&exporter, &ComparisonExport::failed);
    const QString current = m_tmp.filePath(QStringLiteral("current.npz")),
                  all = m_tmp.filePath(QStringLiteral("all.npz"));
    QVERIFY(exporter.exportNormMaps(current, /*allImages=*/false));
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000);
    QVERIFY(exporter.exportNormMaps(all, /*allImages=*/true));
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 60000);
    QCOMPARE(failed.size(), 0);

    // numpy reads both; keys IMAGE:LAYER:STAGE; each map's shape and sum as the engine computed them
    auto listing = [](const QString& npz) {
        QProcess py;
        py.start(QStringLiteral(FEATSCALE_PYTHON),
                 {QStringLiteral("-c"),
                  QStringLiteral("import sys, numpy as np\n"
                                 "z = np.load(sys.argv[1])\n"
                                 "for k in sorted(z.files):\n"
                                 "    a = z[k]\n"
                                 "    print('%s|%d|%d|%s|%.9g' % (k, a.shape[0], a.shape[1], a.dtype, "
                                 "float(a.astype(np.float64).sum())))\n"),
                  npz});
        py.waitForFinished(60000);
        return QString::fromUtf8(py.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    };
    auto expected = [&](const std::vector<int>& images) {
        QStringList lines;
        for (int i : images)
            for (const auto& l : results[static_cast<std::size_t>(i)].layers)
                for (int stage = 0; stage < (l.normalized ? 2 : 1); ++stage) {
                    const an::NormMap& m = stage == 0 ? l.before : l.after;
                    double sum = 0;
                    for (float v : m.values)
                        sum += v;
                    lines << QStringLiteral("%1:%2:%3|%4|%5|float32|%6")
                                 .arg(paths[i], QString::fromStdString(l.layer), stage == 0 ? "before" : "after")
                                 .arg(m.height)
                                 .arg(m.width)
                                 .arg(sum, 0, 'g', 9);
                }
        lines.sort();
        return lines;
    };
    // keys, shapes and dtype exactly; sums to 1e-9 (numpy adds pairwise, the test in order)
    auto same = [](const QStringList& got, const QStringList& want) {
        if (got.size() != want.size())
            return false;
        for (int i = 0; i < got.size(); ++i) {
            const QStringList g = got[i].split(QLatin1Char('|')), w = want[i].split(QLatin1Char('|'));
            if (g.size() != 5 || g.mid(0, 4) != w.mid(0, 4))
                return false;
            const double a = g[4].toDouble(), b = w[4].toDouble();
            if (std::abs(a - b) > 1e-9 * std::max(std::abs(a), std::abs(b)))
                return false;
        }
        return true;
    };
    const QStringList gotCurrent = listing(current), gotAll = listing(all);
    QVERIFY2(same(gotCurrent, expected({1})), qPrintable(gotCurrent.join(QLatin1Char('\n'))));
    QVERIFY2(same(gotAll, expected({0, 1})), qPrintable(gotAll.join(QLatin1Char('\n'))));
    QCOMPARE(gotAll.size(), 2 * 4); // three layers before, conv4_3 after, per image
}

void RunsTest::screenshots()
{
    const QString dir = qEnvironmentVariable("FEATSCALE_RUNS_SCREENSHOTS");
    if (dir.isEmpty())
        QSKIP("set FEATSCALE_RUNS_SCREENSHOTS=DIR to render the comparison view");
    const QString size = qEnvironmentVariable("FEATSCALE_RUNS_SCREENSHOT_SIZE", QStringLiteral("1366x768"));
    const QStringList wh = size.split(QLatin1Char('x'));
    MainWindow window;
    window.resize(wh[0].toInt(), wh[1].toInt());
    window.show();
    window.start(test::samplePaths());
    QVERIFY(test::waitForIdle(window));
    AppModel* model = window.model();
    auto* runs = window.findChild<RunSet*>();
    QVERIFY(runs);
    runs->addFromSettings(*model);
    runs->setName(0, QStringLiteral("default γ"));
    model->setUniformGamma("conv4_3", 10.f);
    runs->addFromSettings(*model);
    runs->setName(1, QStringLiteral("γ = 10"));
    runs->addFolder(m_runDir, QStringLiteral("CLI run, 96 px"));
    an::AnalyzerOptions o = model->options();
    o.eps = an::EpsMode::Tf;
    o.gamma = {40.f};
    runs->addSettingsRun(o, test::samplePaths(), QStringLiteral("γ = 40, eps tf"));
    QVERIFY(waitReady(*runs, 600000));
    const ImageEntry* e = model->currentImage();
    QVERIFY(e && e->imageSize.isValid());
    model->setPin(QPointF(e->imageSize.width() * 0.5, e->imageSize.height() * 0.4));
    window.findChild<QDockWidget*>(QStringLiteral("runsDock"))->raise();
    auto* compare = window.findChild<ComparePanel*>();
    for (int t = 0; t < window.plotTabs()->count(); ++t)
        if (window.plotTabs()->widget(t)->isAncestorOf(compare))
            window.plotTabs()->setCurrentIndex(t);
    QVERIFY(compare->isVisible());
    if (qEnvironmentVariableIsSet("FEATSCALE_LAYOUT_DEBUG"))
        for (QWidget* w : compare->findChildren<QWidget*>())
            if (w->minimumSizeHint().width() > 250 || w->minimumWidth() > 250)
                qInfo() << w->metaObject()->className() << w->objectName() << w->minimumSizeHint() << w->minimumWidth();
    QDir().mkpath(dir);
    const QStringList names{"scales", "ratios", "histograms", "concat", "image"};
    for (int t = 0; t < compare->tabs()->count(); ++t) {
        compare->tabs()->setCurrentIndex(t);
        compare->refreshNow();
        compare->concatView()->refresh();
        QTest::qWait(400);
        QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("compare-%1-%2.png").arg(size, names[t]))));
    }
}

QTEST_MAIN(RunsTest)
#include "runs_test.moc"
