// SPDX-License-Identifier: GPL-3.0-or-later
// The analysis panels on a real engine result (default weights, bundled photos): the plotted
// numbers are checked against the engine's own statistics and caches, and against values
// computed here by hand (uniform gamma g ⇒ every after-norm is g; cells by proportional mapping).
#include "analysed_photos.h"
#include "analysis/engine/analyzer.h"
#include "ui/panels/gamma_fit_widget.h"
#include "ui/panels/gamma_panel.h"
#include "ui/plots/concat_panel.h"
#include "ui/plots/histogram_panel.h"
#include "ui/plots/layer_scales_panel.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"

#include <QDir>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <cmath>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

using Fixture = test::AnalysedPhotos;

void settle()
{
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
}

bool near(double a, double b, double rel)
{
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + 1e-12;
}

void savePanel(QWidget& w, const QString& name)
{
    // For looking at the panels (not an assertion): testdata/panels/<name>.png
    const QString dir = QStringLiteral(FEATSCALE_TEST_DATA) + QStringLiteral("/panels");
    QDir().mkpath(dir);
    for (QCustomPlot* plot : w.findChildren<QCustomPlot*>())
        plot->replot(); // panels queue their replots; draw now
    w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestPlotPanels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_fixture = std::make_unique<Fixture>(); }
    void cleanupTestCase() { m_fixture.reset(); }

    void layerScaleBoxesEqualEnginePercentiles()
    {
        AppModel model;
        m_fixture->load(model);
        LayerScalesPanel panel(&model);
        panel.resize(1000, 600);
        panel.show();
        panel.refreshNow();
        const an::ImageResult& r = *m_fixture->results[0];
        int seen = 0;
        for (const auto& box : panel.boxes()) {
            const an::LayerResult* lr = r.find(box.layer);
            QVERIFY(lr);
            const an::LayerStats& s = box.stage == Stage::Before ? lr->beforeStats
                                                                 : model.currentAfter(box.layer)->stats;
            QCOMPARE(box.p5, s.p5);
            QCOMPARE(box.p25, s.p25);
            QCOMPARE(box.p50, s.p50);
            QCOMPARE(box.p75, s.p75);
            QCOMPARE(box.p95, s.p95);
            ++seen;
        }
        QCOMPARE(seen, 4); // conv4_3 before+after, conv5_3, fc7
        const double ratio = r.find("conv4_3")->beforeStats.p50 / r.find("fc7")->beforeStats.p50;
        QVERIFY(near(panel.ratio(), ratio, 1e-12));
        QVERIFY2(panel.ratioText().startsWith(QStringLiteral("conv4_3 / fc7 = ")), qPrintable(panel.ratioText()));
        savePanel(panel, QStringLiteral("layer_scales"));

        // All images: percentiles of the merged histograms.
        panel.setAggregate(true);
        panel.refreshNow();
        for (const auto& box : panel.boxes()) {
            if (box.stage != Stage::Before)
                continue;
            an::Histogram merged = m_fixture->results[0]->find(box.layer)->beforeHist;
            merged.merge(m_fixture->results[1]->find(box.layer)->beforeHist);
            // read inside the data's range over both images, as the engine's aggregate does
            const an::LayerStats& s0 = m_fixture->results[0]->find(box.layer)->beforeStats;
            const an::LayerStats& s1 = m_fixture->results[1]->find(box.layer)->beforeStats;
            const double lo = std::min(s0.min, s1.min), hi = std::max(s0.max, s1.max);
            QVERIFY(near(box.p25, merged.percentile(25, lo, hi), 1e-9));
            QVERIFY(near(box.p50, merged.percentile(50, lo, hi), 1e-9));
            QVERIFY(near(box.p95, merged.percentile(95, lo, hi), 1e-9));
            QVERIFY(box.p25 >= lo && box.p95 <= hi);
            QCOMPARE(box.count, merged.total() - merged.nan);
        }
    }

    void gammaSliderUniformGammaGivesMedianG()
    {
        AppModel model;
        m_fixture->load(model);
        GammaPanel gamma(&model);
        LayerScalesPanel scales(&model);
        HistogramPanel hist(&model);
        hist.setStage(Stage::After);
        hist.setTickedLayers({"conv4_3"});
        hist.resize(900, 500);
        hist.show();
        gamma.resize(900, 900);
        gamma.show();
        QCOMPARE(gamma.editedLayer(), std::string("conv4_3"));
        // Positions whose gamma is not on a histogram bin edge (edges sit at 10^(k/20)), so float
        // rounding of ||g·x̂|| cannot straddle two bins.
        for (int pos : {205, 455, 733}) {
            gamma.slider()->setValue(pos);
            settle();
            const double g = GammaPanel::sliderGamma(pos);
            for (float v : model.gamma("conv4_3"))
                QCOMPARE(v, static_cast<float>(g));
            scales.refreshNow();
            hist.refreshNow();
            bool found = false;
            for (const auto& box : scales.boxes())
                if (box.layer == "conv4_3" && box.stage == Stage::After) {
                    // ||g·x̂|| = g at every location with x ≠ 0, so the median is g.
                    QVERIFY2(near(box.p50, g, 1e-5), qPrintable(QStringLiteral("%1 vs %2").arg(box.p50).arg(g)));
                    found = true;
                }
            QVERIFY(found);
            QCOMPARE(hist.series().size(), size_t(1));
            const auto& s = hist.series()[0];
            QVERIFY(s.stage == Stage::After);
            double inBin = 0, total = 0;
            for (size_t i = 0; i < s.value.size(); ++i) {
                total += s.value[i];
                if (s.lo[i] <= g && g < s.hi[i])
                    inBin = s.value[i];
            }
            QCOMPARE(inBin, total); // every non-zero location lies in g's bin
            QVERIFY(total > 0);
        }
        savePanel(gamma, QStringLiteral("gamma"));
        savePanel(hist, QStringLiteral("histogram_after"));
    }

    void concatMatchesFeatureCache()
    {
        AppModel model;
        m_fixture->load(model);
        // A non-uniform gamma, so after = γ ⊙ x̂ is checked channel by channel.
        std::vector<float> g(model.gamma("conv4_3").size());
        for (size_t c = 0; c < g.size(); ++c)
            g[c] = 1.0f + static_cast<float>(c % 7);
        QVERIFY(model.setGamma("conv4_3", g));
        ConcatPanel panel(&model);
        panel.resize(1100, 650);
        panel.show();
        panel.refreshNow();
        QVERIFY(!panel.notice().isEmpty()); // nothing pinned yet
        const an::ImageResult& r = *m_fixture->results[0];
        const QPointF pin(0.37 * r.originalWidth, 0.61 * r.originalHeight);
        model.setPin(pin);
        panel.refreshNow();
        QVERIFY2(panel.notice().isEmpty(), qPrintable(panel.notice()));
        const auto& segs = panel.segments();
        QCOMPARE(segs.size(), size_t(3));
        auto cache = model.currentCache();
        QVERIFY(cache);
        int offset = 0;
        for (const auto& s : segs) {
            const an::LayerResult* lr = r.find(s.layer);
            const int cx = static_cast<int>(std::floor(pin.x() * lr->before.width / r.originalWidth));
            const int cy = static_cast<int>(std::floor(pin.y() * lr->before.height / r.originalHeight));
            QCOMPARE(QPoint(s.cell.x, s.cell.y), QPoint(cx, cy));
            QCOMPARE(s.offset, offset);
            offset += lr->channels;
            const auto x = cache->activationAt(s.layer, cy, cx);
            QCOMPARE(s.before, x);
            // ||x|| at the cell is the engine's norm map value there.
            QVERIFY(near(s.beforeNorm, lr->before.at(cy, cx), 1e-5));
            if (s.layer == "conv4_3") {
                QVERIFY(s.normalized);
                const auto xhat = cache->normalizedAt(s.layer, cy, cx);
                for (size_t c = 0; c < xhat.size(); ++c)
                    QCOMPARE(s.after[c], g[c] * xhat[c]);
                QVERIFY(near(s.afterNorm, model.currentAfter("conv4_3")->after.at(cy, cx), 1e-5));
            } else {
                QVERIFY(!s.normalized);
                QCOMPARE(s.after, s.before);
            }
        }
        savePanel(panel, QStringLiteral("concat"));
    }

    void histogramBinClickSetsHighlight()
    {
        AppModel model;
        m_fixture->load(model);
        HistogramPanel panel(&model);
        panel.setTickedLayers({"conv4_3"});
        panel.setStage(Stage::Before); // one plot; both plots of the side-by-side mode: histogram_side_by_side_test
        panel.resize(900, 560);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refreshNow();
        panel.plot()->replot(); // lay out the axis rect now, so coordinates map to pixels
        QCOMPARE(panel.series().size(), size_t(1));
        const auto& s = panel.series()[0];
        size_t peak = 0;
        for (size_t i = 0; i < s.value.size(); ++i)
            if (s.value[i] > s.value[peak])
                peak = i;
        QCustomPlot* plot = panel.plot();
        const QPoint inside(qRound(plot->xAxis->coordToPixel(std::sqrt(s.lo[peak] * s.hi[peak]))),
                            qRound(plot->yAxis->coordToPixel(s.value[peak] / 2)));
        QSignalSpy spy(&model, &AppModel::highlightChanged);
        QTest::mouseClick(plot, Qt::LeftButton, {}, inside);
        QCOMPARE(spy.count(), 1);
        const BinHighlight h = model.highlight();
        QCOMPARE(h.layer, std::string("conv4_3"));
        QVERIFY(h.stage == Stage::Before);
        QCOMPARE(h.lo, s.lo[peak]);
        QCOMPARE(h.hi, s.hi[peak]);
        // The highlighted bin holds exactly the locations whose norm falls inside it.
        int inside_count = 0;
        for (float v : m_fixture->results[0]->find("conv4_3")->before.values)
            inside_count += (v >= h.lo && v < h.hi) ? 1 : 0;
        QCOMPARE(static_cast<double>(inside_count), s.value[peak]);
        savePanel(panel, QStringLiteral("histogram_highlight"));
        // Same bin again toggles it off.
        QTest::mouseClick(plot, Qt::LeftButton, {}, inside);
        QVERIFY(!model.highlight().valid());
    }

    void fitGammaReachesTargetAndReverts()
    {
        AppModel model;
        m_fixture->load(model);
        GammaPanel panel(&model);
        GammaFitWidget* fit = panel.fitWidget();
        fit->setPerChannel(true);
        fit->setTargetLayer("fc7");
        QSignalSpy ended(fit, &GammaFitWidget::fitEnded);
        QVERIFY(fit->startFit());
        QVERIFY(ended.wait(120000));
        QCOMPARE(ended.first().first().toBool(), true);
        const double target = m_fixture->results[0]->find("fc7")->beforeStats.p50;
        const double achieved = model.currentAfter("conv4_3")->stats.p50;
        QVERIFY2(near(achieved, target, 0.01), qPrintable(QStringLiteral("%1 vs %2").arg(achieved).arg(target)));
        QCOMPARE(model.gamma("conv4_3"), fit->lastResult().gamma);
        // the loss curve shows the optimizer's losses, step by step, and they went down
        const auto& losses = fit->lastResult().loss;
        QVERIFY(losses.size() >= 2);
        QCPGraph* curve = fit->plots().front()->graph(0);
        QVERIFY(curve);
        QCOMPARE(curve->dataCount(), static_cast<int>(losses.size()));
        for (int i = 0; i < curve->dataCount(); ++i)
            QVERIFY(near(curve->data()->at(i)->value, std::max(losses[size_t(i)], 1e-16), 1e-12));
        QVERIFY(losses.back() < losses.front());
        QVERIFY(!fit->previousGamma().empty());
        panel.resize(900, 900);
        panel.show();
        settle();
        savePanel(panel, QStringLiteral("gamma_fit"));
        fit->revert();
        for (float v : model.gamma("conv4_3"))
            QCOMPARE(v, 20.0f);
        QVERIFY(fit->previousGamma().empty());
    }

    void fitGammaKeep()
    {
        AppModel model;
        m_fixture->load(model);
        GammaFitWidget fit(&model);
        fit.setLayer("conv4_3");
        fit.setTargetLayer("conv5_3");
        fit.setPerChannel(true);
        fit.setSteps(60);
        QSignalSpy ended(&fit, &GammaFitWidget::fitEnded);
        QVERIFY(fit.startFit());
        QVERIFY(ended.wait(120000));
        QCOMPARE(ended.first().first().toBool(), true);
        const std::vector<float> fitted = fit.lastResult().gamma;
        QVERIFY(fitted != std::vector<float>(fitted.size(), 20.0f)); // the fit moved γ
        QCOMPARE(model.gamma("conv4_3"), fitted);                    // previewed
        fit.keep();
        QVERIFY(fit.previousGamma().empty()); // nothing left to revert to
        QCOMPARE(model.gamma("conv4_3"), fitted);
        fit.revert(); // no-op after keep
        QCOMPARE(model.gamma("conv4_3"), fitted);
    }

    void fitGammaCancels()
    {
        AppModel model;
        m_fixture->load(model);
        GammaFitWidget fit(&model);
        fit.setLayer("conv4_3");
        fit.setPerChannel(true);
        fit.setEarlyStop(false); // a fit that would run for minutes
        fit.setSteps(100000);
        QSignalSpy ended(&fit, &GammaFitWidget::fitEnded);
        QVERIFY(fit.startFit());
        // the loss curve grows while the fit runs
        QCustomPlot* lossPlot = fit.plots().front();
        QTRY_VERIFY_WITH_TIMEOUT(lossPlot->graphCount() > 0 && lossPlot->graph(0)->dataCount() > 0, 30000);
        const int early = lossPlot->graph(0)->dataCount();
        QTRY_VERIFY_WITH_TIMEOUT(lossPlot->graph(0)->dataCount() > early, 30000);
        QVERIFY(ended.isEmpty()); // still running: the curve is live
        fit.cancelFit();
        QVERIFY(ended.wait(30000));
        QCOMPARE(ended.first().first().toBool(), false);
        for (float v : model.gamma("conv4_3"))
            QCOMPARE(v, 20.0f); // unchanged
    }

private:
    std::unique_ptr<Fixture> m_fixture;
};

QTEST_MAIN(TestPlotPanels)
#include "plot_panels_test.moc"
