// SPDX-License-Identifier: GPL-3.0-or-later
// The run-comparison figures on hand-built runs whose statistics are known by construction: one
// image per run holding the norms 1..101 times a scale, so the aggregate's (exact) percentiles are
// p5 = 6s, p25 = 26s, p50 = 51s, p75 = 76s, p95 = 96s (numpy's linear rule on 101 values).
#include "ui/figures/run_figures.h"
#include "ui/plots/qcp.h"

#include <QDir>
#include <QTest>

#include <cmath>
#include <map>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

/// A run of one image; every layer's norms are 1..101 times scale[layer] (after L2Norm: times
/// afterScale), conv4_3 normalized. zeros extra locations at 0 in every layer.
std::shared_ptr<an::RunData> makeRun(const std::map<std::string, double>& scale, double afterScale, bool untrained,
                                     int zeros = 0)
{
    auto run = std::make_shared<an::RunData>();
    run->meta.weights.untrained = untrained;
    run->meta.bins = an::BinScheme{};
    an::ImageRecord image;
    image.image = "a.jpg";
    for (const auto& [layer, s] : scale)
        run->meta.layers.push_back(layer);
    std::sort(run->meta.layers.begin(), run->meta.layers.end()); // conv4_3, conv5_3, fc7: network order
    run->meta.l2normLayers = {"conv4_3"};
    for (const std::string& layer : run->meta.layers)
        for (an::Stage stage : {an::Stage::Before, an::Stage::After}) {
            if (stage == an::Stage::After && layer != "conv4_3")
                continue;
            std::vector<float> values;
            for (int i = 1; i <= 101; ++i)
                values.push_back(static_cast<float>(i * (stage == an::Stage::After ? afterScale : scale.at(layer))));
            values.insert(values.end(), static_cast<std::size_t>(zeros), 0.0f);
            an::StageRecord rec;
            rec.layer = layer;
            rec.stage = stage;
            rec.height = 1;
            rec.width = static_cast<int>(values.size());
            rec.stats = an::LayerStats::of(values);
            rec.hist = an::Histogram(run->meta.bins);
            rec.hist.addAll(values);
            image.stages.push_back(rec);
        }
    run->images.push_back(image);
    return run;
}

std::vector<FigureRun> twoRuns()
{
    return {{QStringLiteral("trained"), run_figures::runColor(0), makeRun({{"conv4_3", 10}, {"fc7", 0.5}}, 20, false)},
            {QStringLiteral("seed1"), run_figures::runColor(1), makeRun({{"conv4_3", 3}, {"fc7", 2}}, 7, true)}};
}

QCPTextElement* element(QCustomPlot& plot, const QString& name)
{
    for (QCPTextElement* e : plot.findChildren<QCPTextElement*>())
        if (e->objectName() == name)
            return e;
    for (QCPLayoutElement* e : plot.plotLayout()->elements(/*recursive=*/true))
        if (auto* t = qobject_cast<QCPTextElement*>(e); t && t->objectName() == name)
            return t;
    return nullptr;
}

/// For looking at the figures at a window's size and font (not an assertion): testdata/figures/<name>.png
void saveForLooking(QCustomPlot& plot, const QString& name)
{
    const QString dir = QStringLiteral(FEATSCALE_TEST_DATA) + QStringLiteral("/figures");
    QDir().mkpath(dir);
    plot.savePng(dir + QLatin1Char('/') + name + QStringLiteral(".png"), 700, 480);
}

bool blank(const QImage& image)
{
    const QRgb first = image.pixel(0, 0);
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            if (image.pixel(x, y) != first)
                return false;
    return true;
}

} // namespace

class TestRunFigures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void layerScalesDrawOneBoxPerRunAndLayerAtTheKnownPercentiles()
    {
        QCustomPlot plot;
        const auto runs = twoRuns();
        FigureOptions options; // both stages, common layers
        run_figures::drawLayerScales(plot, runs, options);
        // groups along x: conv4_3 before, conv4_3 after, fc7 before
        const std::vector<std::pair<std::string, an::Stage>> groups{
            {"conv4_3", an::Stage::Before}, {"conv4_3", an::Stage::After}, {"fc7", an::Stage::Before}};
        const std::vector<std::map<std::string, double>> scales{{{"conv4_3", 10}, {"conv4_3 after", 20}, {"fc7", 0.5}},
                                                                {{"conv4_3", 3}, {"conv4_3 after", 7}, {"fc7", 2}}};
        QCOMPARE(plot.plottableCount(), 2);
        for (int r = 0; r < 2; ++r) {
            auto* box = qobject_cast<QCPStatisticalBox*>(plot.plottable(r));
            QVERIFY(box);
            QVERIFY2(box->name().startsWith(runs[static_cast<std::size_t>(r)].name), qPrintable(box->name()));
            QCOMPARE(box->dataCount(), 3);
            QCOMPARE(box->brush().color().rgb(), runs[static_cast<std::size_t>(r)].color.rgb());
            for (auto it = box->data()->constBegin(); it != box->data()->constEnd(); ++it) {
                const int g = static_cast<int>(std::lround(it->key));
                QVERIFY(g >= 0 && g < 3);
                // run 0 left of the group's centre, run 1 right of it
                QVERIFY((r == 0) == (it->key < g));
                const auto& [layer, stage] = groups[static_cast<std::size_t>(g)];
                const double s = scales[static_cast<std::size_t>(r)].at(layer +
                                                                        (stage == an::Stage::After ? " after" : ""));
                QCOMPARE(it->minimum, 6 * s);
                QCOMPARE(it->lowerQuartile, 26 * s);
                QCOMPARE(it->median, 51 * s);
                QCOMPARE(it->upperQuartile, 76 * s);
                QCOMPARE(it->maximum, 96 * s);
            }
        }
        // tick labels name every group's layer; log norm axis with its unit
        auto ticker = plot.xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().size(), 3);
        QVERIFY(ticker->ticks().value(0).startsWith(QStringLiteral("conv4_3")));
        QVERIFY(ticker->ticks().value(1).contains(QStringLiteral("after L2Norm")));
        QVERIFY(ticker->ticks().value(2).startsWith(QStringLiteral("fc7")));
        QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(plot.yAxis->label().contains(QStringLiteral("L2 norm")));
        QVERIFY(plot.yAxis->range().lower <= 6 * 0.5 && plot.yAxis->range().upper >= 96 * 20);
        // the untrained run is marked, in the title row and in the legend
        QCPTextElement* mark = element(plot, QStringLiteral("untrainedMark"));
        QVERIFY(mark);
        QVERIFY(mark->text().contains(QStringLiteral("UNTRAINED")));
        QVERIFY(mark->text().contains(QStringLiteral("seed1")));
        QVERIFY(plot.plottable(1)->name().contains(QStringLiteral("UNTRAINED")));
        QVERIFY(!plot.plottable(0)->name().contains(QStringLiteral("UNTRAINED")));
        QCOMPARE(plot.legend->itemCount(), 2);

        const QImage image = plot.toPixmap(500, 350).toImage();
        QVERIFY(!blank(image));
        saveForLooking(plot, QStringLiteral("layer_scales"));
    }

    void stagesAndLayersAreChosen()
    {
        QCustomPlot plot;
        const auto runs = twoRuns();
        FigureOptions options;
        options.stages = FigureOptions::Stages::Before;
        options.layers = {"fc7"};
        run_figures::drawLayerScales(plot, runs, options);
        for (int r = 0; r < 2; ++r) {
            auto* box = qobject_cast<QCPStatisticalBox*>(plot.plottable(r));
            QCOMPARE(box->dataCount(), 1);
            QCOMPARE(box->data()->constBegin()->median, 51 * (r == 0 ? 0.5 : 2.0));
        }
        options.stages = FigureOptions::Stages::After;
        options.layers.clear();
        run_figures::drawLayerScales(plot, runs, options);
        for (int r = 0; r < 2; ++r)
            QCOMPARE(qobject_cast<QCPStatisticalBox*>(plot.plottable(r))->dataCount(), 1);
        // no untrained run, no mark; a second draw leaves one title row
        std::vector<FigureRun> trained{runs[0]};
        run_figures::drawLayerScales(plot, trained, FigureOptions{});
        QVERIFY(!element(plot, QStringLiteral("untrainedMark")));
        QCOMPARE(plot.axisRectCount(), 1);
    }

    void missingLayersAreNamed()
    {
        QCustomPlot plot;
        auto runs = twoRuns();
        runs.push_back({QStringLiteral("other"), run_figures::runColor(2), makeRun({{"conv5_3", 1}}, 1, false)});
        try {
            run_figures::drawLayerScales(plot, runs, FigureOptions{});
            QFAIL("no common layer accepted");
        } catch (const an::Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("no layer in common")), e.what());
        }
        FigureOptions options;
        options.layers = {"conv4_3"};
        try {
            run_figures::drawHistogramGrid(plot, runs, options);
            QFAIL("missing layer accepted");
        } catch (const an::Error& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.contains(QStringLiteral("'other'")) && what.contains(QStringLiteral("conv4_3")), e.what());
        }
        QCOMPARE(run_figures::commonLayers(twoRuns()), (std::vector<std::string>{"conv4_3", "fc7"}));
    }

    void histogramsAreDensitiesPerDecade()
    {
        QCustomPlot plot;
        auto runs = twoRuns();
        runs[1].data = makeRun({{"conv4_3", 3}, {"fc7", 2}}, 7, true, /*zeros=*/101); // half the locations at 0
        run_figures::drawHistogramOverlay(plot, runs, "conv4_3", an::Stage::Before, FigureOptions{});
        QCOMPARE(plot.graphCount(), 2);
        for (int r = 0; r < 2; ++r) {
            QCPGraph* g = plot.graph(r);
            QCOMPARE(g->pen().color().rgb(), runs[static_cast<std::size_t>(r)].color.rgb());
            // area under the steps (per decade) = share of the locations above 0
            double area = 0;
            for (int i = 0; i + 1 < g->dataCount(); ++i)
                area += g->data()->at(i)->value * std::log10(g->data()->at(i + 1)->key / g->data()->at(i)->key);
            QVERIFY2(std::abs(area - (r == 0 ? 1.0 : 0.5)) < 1e-9, qPrintable(QString::number(area)));
        }
        QVERIFY(plot.graph(1)->name().contains(QStringLiteral("50 % at 0")));
        QCOMPARE(plot.xAxis->scaleType(), QCPAxis::stLogarithmic);
        saveForLooking(plot, QStringLiteral("histogram_overlay"));

        FigureOptions options; // both stages: conv4_3 before and after, fc7 before
        run_figures::drawHistogramGrid(plot, runs, options);
        QCOMPARE(plot.axisRectCount(), 3);
        QCOMPARE(plot.graphCount(), 6);
        QCOMPARE(plot.legend->itemCount(), 2); // one legend for all panels
        saveForLooking(plot, QStringLiteral("histogram_grid"));

        run_figures::drawLayerOverlay(plot, runs[0], {"conv4_3", "fc7"}, an::Stage::After, FigureOptions{});
        QCOMPARE(plot.graphCount(), 2);
        QVERIFY(plot.graph(1)->name().contains(QStringLiteral("no L2Norm")));
        QVERIFY(!blank(plot.toPixmap(500, 350).toImage()));
        saveForLooking(plot, QStringLiteral("layer_overlay"));
    }

    void legendAndMarkWrapToTheWidth()
    {
        auto runs = twoRuns();
        runs.push_back({QStringLiteral("a_rather_long_run_name_seed2"), run_figures::runColor(2),
                        makeRun({{"conv4_3", 1}, {"fc7", 1}}, 1, true)});
        QCustomPlot plot;
        plot.resize(1600, 500);
        run_figures::drawLayerScales(plot, runs, FigureOptions{});
        QCOMPARE(plot.legend->columnCount(), 3); // one row
        QVERIFY(!element(plot, QStringLiteral("untrainedMark"))->text().contains(QLatin1Char('\n')));
        plot.resize(300, 400);
        run_figures::drawLayerScales(plot, runs, FigureOptions{});
        QCOMPARE(plot.legend->columnCount(), 1); // one entry a row
        QCOMPARE(plot.legend->rowCount(), 3);
        const QString mark = element(plot, QStringLiteral("untrainedMark"))->text();
        QVERIFY2(mark.contains(QLatin1Char('\n')), qPrintable(mark));
        QVERIFY(mark.contains(QStringLiteral("a_rather_long_run_name_seed2")));
    }

    void paletteIsDistinct()
    {
        for (int i = 0; i < 7; ++i)
            for (int j = i + 1; j < 7; ++j)
                QVERIFY(run_figures::runColor(i) != run_figures::runColor(j));
        QCOMPARE(run_figures::runColor(7), run_figures::runColor(0));
    }
};

QTEST_MAIN(TestRunFigures)
#include "run_figures_test.moc"
