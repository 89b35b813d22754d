// SPDX-License-Identifier: GPL-3.0-or-later
// The histogram panel's "before | after L2Norm" mode, the one a first start opens on: both stages of
// conv4_3 and fc7 in two plots, the after plot's bins against norms of γ ⊙ x/‖x‖ computed here from
// the raw activations (uniform γ = g puts every non-zero location at exactly g), live updates of the
// after plot only, one x range for both plots, the mode in the view state, clicks in either plot,
// an empty state without stale legends, and both plots whole at 1366×768.
#include "analysed_photos.h"
#include "analysis/stats/feature_cache.h"
#include "ui/plots/histogram_panel.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QDir>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <cmath>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

void settle(int ms = 50)
{
    QApplication::processEvents();
    QTest::qWait(ms);
    QApplication::processEvents();
}

/// For looking at the panel (not an assertion): testdata/panels/<name>.png
void savePanel(QWidget& w, const QString& name)
{
    const QString dir = QStringLiteral(FEATSCALE_TEST_DATA) + QStringLiteral("/panels");
    QDir().mkpath(dir);
    for (QCustomPlot* plot : w.findChildren<QCustomPlot*>())
        plot->replot();
    w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

/// The series of a layer drawn in the plot of `side`, or null.
const HistogramPanel::Series* seriesOf(const HistogramPanel& panel, const std::string& layer, Stage side)
{
    for (const auto& s : panel.series())
        if (s.layer == layer && s.side == side)
            return &s;
    return nullptr;
}

/// A graph's drawn points, to tell whether a redraw changed what is shown.
QVector<QPointF> points(QCustomPlot* plot, int graph)
{
    QVector<QPointF> out;
    for (auto it = plot->graph(graph)->data()->constBegin(); it != plot->graph(graph)->data()->constEnd(); ++it)
        out << QPointF(it->key, it->value);
    return out;
}

/// The norm ‖γ ⊙ x/‖x‖‖ at every location of a layer, from the raw activations (0 where x = 0).
std::vector<double> afterNorms(const an::FeatureCache& cache, const an::NormMap& map, const std::vector<float>& gamma)
{
    std::vector<double> out;
    for (int y = 0; y < map.height; ++y)
        for (int x = 0; x < map.width; ++x) {
            const std::vector<float> a = cache.activationAt("conv4_3", y, x);
            double n2 = 0;
            for (float v : a)
                n2 += double(v) * v;
            if (n2 == 0) {
                out.push_back(0);
                continue;
            }
            const double n = std::sqrt(n2);
            double s = 0;
            for (size_t c = 0; c < a.size(); ++c) {
                const double v = gamma[c] * (a[c] / n);
                s += v * v;
            }
            out.push_back(std::sqrt(s));
        }
    return out;
}

/// Every way a plot fails to draw whole inside its panel, as text (empty: none).
QString clipping(QCustomPlot* plot)
{
    QStringList problems;
    if (!plot->isVisible())
        problems << QStringLiteral("not visible");
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QRect bounds = plot->rect();
    QCPAxisRect* rect = plot->axisRect();
    if (!bounds.contains(rect->outerRect()))
        problems << QStringLiteral("axes outside the widget");
    if (rect->width() < 150 || rect->height() < 80)
        problems << QStringLiteral("data area only %1×%2").arg(rect->width()).arg(rect->height());
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        const QFontMetrics fm(axis->labelFont());
        const int length = axis == plot->xAxis ? bounds.width() : bounds.height();
        for (const QString& line : axis->label().split(QLatin1Char('\n')))
            if (fm.horizontalAdvance(line) > length)
                problems << QStringLiteral("axis label \"%1\" longer than the plot").arg(line);
    }
    // The x tick labels neither collide nor run out: at least three are readable.
    const QVector<double> ticks = plot->xAxis->tickVector();
    const QVector<QString> labels = plot->xAxis->tickVectorLabels();
    const QFontMetrics tickFm(plot->xAxis->tickLabelFont());
    int shown = 0;
    double lastRight = -1e9;
    for (int i = 0; i < ticks.size(); ++i) {
        if (!plot->xAxis->range().contains(ticks[i]))
            continue;
        const double centre = plot->xAxis->coordToPixel(ticks[i]);
        const double half = tickFm.horizontalAdvance(labels[i]) / 2.0;
        if (centre - half < lastRight + 2)
            problems << QStringLiteral("x tick label %1 runs into its neighbour").arg(labels[i]);
        lastRight = centre + half;
        ++shown;
    }
    if (shown < 3)
        problems << QStringLiteral("only %1 x tick labels").arg(shown);
    if (QCPLayoutGrid* header = plot_style::titleHeader(plot))
        for (int i = 0; i < header->elementCount(); ++i)
            if (auto* text = qobject_cast<QCPTextElement*>(header->elementAt(i)); text && text->visible())
                for (const QString& line : text->text().split(QLatin1Char('\n')))
                    if (QFontMetrics(text->font()).horizontalAdvance(line) > bounds.width() ||
                        !bounds.contains(text->outerRect()))
                        problems << QStringLiteral("title \"%1\" clipped").arg(line);
    if (!bounds.contains(plot->legend->outerRect()))
        problems << QStringLiteral("legend outside the widget");
    if (plot->legend->outerRect().intersects(rect->rect()))
        problems << QStringLiteral("legend over the data");
    // Inside the visible part of its scroll area (the plot tab).
    for (QWidget* w = plot->parentWidget(); w; w = w->parentWidget())
        if (auto* area = qobject_cast<QScrollArea*>(w)) {
            const QRect inView(plot->mapTo(area->viewport(), QPoint(0, 0)), plot->size());
            if (!area->viewport()->rect().contains(inView))
                problems << QStringLiteral("%1 not inside the visible %2")
                                .arg(QDebug::toString(inView), QDebug::toString(area->viewport()->rect()));
            break;
        }
    return problems.join(QStringLiteral("; "));
}

} // namespace

class HistogramSideBySideTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::AnalysedPhotos> m_photos;

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        m_photos = std::make_unique<test::AnalysedPhotos>();
    }
    void cleanupTestCase() { m_photos.reset(); }

    void freshWindowShowsBothStagesOfConv4_3AndFc7()
    {
        MainWindow window;
        auto* panel = qobject_cast<HistogramPanel*>(window.panel(QStringLiteral("histogramPanel")));
        QVERIFY(panel);
        QVERIFY(panel->sideBySide());
        // The histograms are the tab a first start shows.
        QCOMPARE(qobject_cast<QScrollArea*>(window.plotTabs()->currentWidget())->widget(), panel);
        m_photos->load(*window.model());
        window.resize(1366, 768 - 64);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        settle();
        panel->refreshNow();
        QCOMPARE(panel->tickedLayers(), (std::vector<std::string>{"conv4_3", "fc7"}));
        QVERIFY(panel->plot()->isVisible());
        QVERIFY(panel->afterPlot()->isVisible());
        QCOMPARE(panel->plots().size(), 2);
        for (QCustomPlot* plot : {panel->plot(), panel->afterPlot()}) {
            QCOMPARE(plot->graphCount(), 2);
            QVERIFY(plot->graph(0)->name().startsWith(QLatin1String("conv4_3: ")));
            QVERIFY(plot->graph(1)->name().startsWith(QLatin1String("fc7: ")));
            QVERIFY(!plot->graph(0)->data()->isEmpty() && !plot->graph(1)->data()->isEmpty());
            // Untrained default weights are labelled on both plots.
            auto* tag = qobject_cast<QCPTextElement*>(plot_style::titleHeader(plot)->element(1, 0));
            QVERIFY(tag && tag->visible() && tag->text().contains(QLatin1String("UNTRAINED")));
        }
        auto* beforeTitle = qobject_cast<QCPTextElement*>(plot_style::titleHeader(panel->plot())->element(0, 0));
        auto* afterTitle = qobject_cast<QCPTextElement*>(plot_style::titleHeader(panel->afterPlot())->element(0, 0));
        QVERIFY2(beforeTitle->property("fullText").toString().startsWith(QLatin1String("before L2Norm")),
                 qPrintable(beforeTitle->property("fullText").toString()));
        QVERIFY2(afterTitle->property("fullText").toString().startsWith(QStringLiteral("after L2Norm (γ = 20)")),
                 qPrintable(afterTitle->property("fullText").toString()));
        QVERIFY(panel->afterPlot()->graph(1)->name().contains(QLatin1String("no L2Norm")));
        const auto* c43Before = seriesOf(*panel, "conv4_3", Stage::Before);
        const auto* c43After = seriesOf(*panel, "conv4_3", Stage::After);
        const auto* fc7Before = seriesOf(*panel, "fc7", Stage::Before);
        const auto* fc7After = seriesOf(*panel, "fc7", Stage::After);
        QVERIFY(c43Before && c43After && fc7Before && fc7After);
        QVERIFY(c43Before->stage == Stage::Before && c43After->stage == Stage::After);
        QVERIFY(fc7After->stage == Stage::Before); // fc7 has no L2Norm: the after plot shows it unchanged
        QCOMPARE(fc7After->value, fc7Before->value);
    }

    void withoutFc7TheComparisonLayerIsConv5_3()
    {
        an::AnalyzerOptions options;
        options.layers = {"conv4_3", "conv5_3"};
        const test::AnalysedPhotos photos({"coffee.jpg"}, options);
        AppModel model;
        photos.load(model);
        HistogramPanel panel(&model);
        panel.refreshNow();
        QCOMPARE(panel.tickedLayers(), (std::vector<std::string>{"conv4_3", "conv5_3"}));
        QCOMPARE(panel.series().size(), size_t(4)); // both layers in both plots
    }

    void afterPlotHoldsNormsOfGammaTimesUnitVectors()
    {
        AppModel model;
        m_photos->load(model);
        // A γ that differs per channel, so the after norm depends on the direction of x, not only its length.
        std::vector<float> g(model.gamma("conv4_3").size());
        for (size_t c = 0; c < g.size(); ++c)
            g[c] = 2.0f + static_cast<float>(c % 11) * 1.5f;
        QVERIFY(model.setGamma("conv4_3", g));
        HistogramPanel panel(&model);
        panel.resize(1000, 600);
        panel.show();
        panel.refreshNow();
        const auto* s = seriesOf(panel, "conv4_3", Stage::After);
        QVERIFY(s && s->stage == Stage::After);
        const an::NormMap& map = *model.normMap(0, "conv4_3", Stage::Before);
        const auto cache = model.currentCache();
        QVERIFY(cache);
        const std::vector<double> norms = afterNorms(*cache, map, g);
        QCOMPARE(s->total, quint64(norms.size()));
        // Bin the hand-made norms on the plotted edges. A norm within float rounding of an edge may
        // land in either neighbour; those are few and counted apart.
        std::vector<double> counts(s->lo.size(), 0);
        int zeros = 0, nearEdge = 0;
        for (double v : norms) {
            if (v == 0) {
                ++zeros;
                continue;
            }
            for (size_t i = 0; i < s->lo.size(); ++i) {
                if (std::abs(v - s->lo[i]) < 1e-5 * v || std::abs(v - s->hi[i]) < 1e-5 * v)
                    ++nearEdge;
                if (v >= s->lo[i] && v < s->hi[i])
                    counts[i] += 1;
            }
        }
        QCOMPARE(quint64(zeros), s->zeros);
        double differ = 0, drawn = 0;
        for (size_t i = 0; i < counts.size(); ++i) {
            differ += std::abs(counts[i] - s->value[i]);
            drawn += s->value[i];
        }
        QVERIFY2(differ <= 2 * nearEdge && nearEdge * 100 < int(norms.size()),
                 qPrintable(QStringLiteral("%1 locations in other bins, %2 near an edge").arg(differ).arg(nearEdge)));
        QCOMPARE(drawn + zeros, double(norms.size()));
        // The norms spread over several bins (a non-uniform γ), unlike the uniform case below.
        QVERIFY(std::count_if(s->value.begin(), s->value.end(), [](double v) { return v > 0; }) >= 3);

        // Uniform γ = g: ‖g · x/‖x‖‖ = g at every non-zero location, so one bin holds them all.
        // 7.5 and 150 are off the bin edges (10^(k/20)), so rounding cannot straddle two bins.
        for (float gu : {7.5f, 150.f}) {
            model.setUniformGamma("conv4_3", gu);
            panel.refreshNow();
            const auto* u = seriesOf(panel, "conv4_3", Stage::After);
            QVERIFY(u);
            double total = 0, in = 0;
            for (size_t i = 0; i < u->value.size(); ++i) {
                total += u->value[i];
                if (u->lo[i] <= gu && gu < u->hi[i])
                    in = u->value[i];
            }
            QVERIFY(total > 0);
            QCOMPARE(in, total);
            QCOMPARE(quint64(total) + u->zeros, u->total);
        }
    }

    void gammaMovesTheAfterPlotOnlyAndBothShareTheXRange()
    {
        AppModel model;
        m_photos->load(model);
        HistogramPanel panel(&model);
        panel.resize(1000, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refreshNow();
        QCOMPARE(panel.plot()->xAxis->range(), panel.afterPlot()->xAxis->range());
        QCOMPARE(panel.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(panel.afterPlot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(panel.plot()->xAxis->label().contains(plot_style::normAxisLabel()));
        QVERIFY(panel.afterPlot()->xAxis->label().contains(plot_style::normAxisLabel()));
        const auto before0 = points(panel.plot(), 0), before1 = points(panel.plot(), 1);
        const auto after0 = points(panel.afterPlot(), 0), after1 = points(panel.afterPlot(), 1);

        // As the γ slider does: the panel follows on its own (no refreshNow).
        model.setUniformGamma("conv4_3", 150.f);
        QTRY_VERIFY(points(panel.afterPlot(), 0) != after0);
        settle();
        QCOMPARE(points(panel.plot(), 0), before0);
        QCOMPARE(points(panel.plot(), 1), before1);
        savePanel(panel, QStringLiteral("histogram_side_by_side_gamma150"));
        QCOMPARE(points(panel.afterPlot(), 1), after1); // fc7 has no γ
        auto* afterTitle = qobject_cast<QCPTextElement*>(plot_style::titleHeader(panel.afterPlot())->element(0, 0));
        QVERIFY(afterTitle->property("fullText").toString().startsWith(QStringLiteral("after L2Norm (γ = 150)")));
        // The after data moved to 150: both plots widened to hold it, on one range.
        const QCPRange r = panel.plot()->xAxis->range();
        QCOMPARE(r, panel.afterPlot()->xAxis->range());
        QVERIFY(r.contains(150.0));
        const auto* c43 = seriesOf(panel, "conv4_3", Stage::Before);
        for (size_t i = 0; i < c43->value.size(); ++i)
            if (c43->value[i] > 0)
                QVERIFY(r.contains(c43->lo[i]) && r.contains(c43->hi[i]));

        // All images (debounced) likewise.
        panel.setAggregate(true);
        panel.refreshNow();
        const auto aggBefore = points(panel.plot(), 0), aggAfter = points(panel.afterPlot(), 0);
        model.setUniformGamma("conv4_3", 7.5f);
        QTRY_VERIFY(points(panel.afterPlot(), 0) != aggAfter);
        QCOMPARE(points(panel.plot(), 0), aggBefore);
        QCOMPARE(panel.plot()->xAxis->range(), panel.afterPlot()->xAxis->range());

        // Linear x: one range too.
        panel.setLogX(false);
        panel.refreshNow();
        QCOMPARE(panel.afterPlot()->xAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(panel.plot()->xAxis->range(), panel.afterPlot()->xAxis->range());
    }

    void modeRoundTripsThroughViewState()
    {
        AppModel model;
        m_photos->load(model);
        HistogramPanel a(&model), b(&model);
        QVERIFY(a.sideBySide() && b.sideBySide());
        a.setStage(Stage::After);
        QVERIFY(!a.sideBySide());
        b.restoreViewState(a.viewState());
        QVERIFY(!b.sideBySide());
        QVERIFY(b.stage() == Stage::After);
        QVERIFY(b.afterPlot()->isHidden());
        QCOMPARE(b.plots().size(), 1);
        b.refreshNow();
        for (const auto& s : b.series())
            QVERIFY(s.side == Stage::After);

        a.setSideBySide(true);
        b.restoreViewState(a.viewState());
        QVERIFY(b.sideBySide());
        QCOMPARE(b.viewState(), a.viewState());
        // A state saved before the two-plot mode existed shows the one stage it names.
        b.restoreViewState(QJsonObject{{QStringLiteral("stage"), stageName(Stage::Before)}});
        QVERIFY(!b.sideBySide());
        QVERIFY(b.stage() == Stage::Before);
    }

    void clickingABinInEitherPlotHighlightsIt()
    {
        AppModel model;
        m_photos->load(model);
        model.setUniformGamma("conv4_3", 7.5f);
        HistogramPanel panel(&model);
        panel.resize(1100, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refreshNow();
        for (QCustomPlot* plot : panel.plots())
            plot->replot(); // lay the axis rects out now, so coordinates map to pixels
        auto clickBin = [&](QCustomPlot* plot, const HistogramPanel::Series& s, size_t bin) {
            const QPoint at(qRound(plot->xAxis->coordToPixel(std::sqrt(s.lo[bin] * s.hi[bin]))),
                            qRound(plot->yAxis->coordToPixel(s.value[bin] / 2)));
            QTest::mouseClick(plot, Qt::LeftButton, {}, at);
        };
        auto fullest = [](const HistogramPanel::Series& s) {
            return size_t(std::max_element(s.value.begin(), s.value.end()) - s.value.begin());
        };
        // conv4_3's spike at γ in the after plot: the after bin.
        const auto* c43 = seriesOf(panel, "conv4_3", Stage::After);
        clickBin(panel.afterPlot(), *c43, fullest(*c43));
        BinHighlight h = model.highlight();
        QCOMPARE(h.layer, std::string("conv4_3"));
        QVERIFY(h.stage == Stage::After);
        QVERIFY(h.lo <= 7.5 && 7.5 < h.hi);
        // fc7 in the after plot is fc7 before L2Norm: the highlight shows in both plots.
        const auto* fc7 = seriesOf(panel, "fc7", Stage::After);
        const size_t bin = fullest(*fc7);
        clickBin(panel.afterPlot(), *fc7, bin);
        h = model.highlight();
        QCOMPARE(h.layer, std::string("fc7"));
        QVERIFY(h.stage == Stage::Before);
        QCOMPARE(h.lo, fc7->lo[bin]);
        settle();
        for (QCustomPlot* plot : panel.plots()) {
            bool shown = false;
            for (int i = 0; i < plot->itemCount(); ++i)
                if (auto* rect = qobject_cast<QCPItemRect*>(plot->item(i)); rect && rect->visible())
                    shown = rect->topLeft->coords().x() == h.lo && rect->bottomRight->coords().x() == h.hi;
            QVERIFY2(shown, qPrintable(plot->objectName()));
        }
        // And the before plot's conv4_3 bins are the before stage.
        const auto* c43b = seriesOf(panel, "conv4_3", Stage::Before);
        const size_t peak = fullest(*c43b);
        clickBin(panel.plot(), *c43b, peak);
        QCOMPARE(model.highlight().layer, std::string("conv4_3"));
        QVERIFY(model.highlight().stage == Stage::Before);
        // The same place in the after plot, above fc7's bar there, hits nothing: a plot's clicks
        // select only the bars it draws (conv4_3 before L2Norm is not among them).
        const double x = std::sqrt(c43b->lo[peak] * c43b->hi[peak]);
        const double y = 0.9 * c43b->value[peak];
        for (size_t i = 0; i < fc7->lo.size(); ++i)
            if (fc7->lo[i] <= x && x < fc7->hi[i])
                QVERIFY(fc7->value[i] < y);
        model.clearHighlight(); // (a click on the highlighted bin would toggle it off)
        QTest::mouseClick(panel.afterPlot(), Qt::LeftButton, {},
                          QPoint(qRound(panel.afterPlot()->xAxis->coordToPixel(x)),
                                 qRound(panel.afterPlot()->yAxis->coordToPixel(y))));
        QVERIFY(!model.highlight().valid());
    }

    void emptyStateHasNoStaleLegends()
    {
        AppModel model; // no engine, no image
        HistogramPanel panel(&model);
        panel.resize(1000, 600);
        panel.show();
        panel.refreshNow();
        auto check = [&] {
            QVERIFY(panel.series().empty());
            for (QCustomPlot* plot : {panel.plot(), panel.afterPlot()}) {
                QCOMPARE(plot->graphCount(), 0);
                QCOMPARE(plot->legend->itemCount(), 0);
                QCPLayoutGrid* header = plot_style::titleHeader(plot);
                QVERIFY(header);
                auto* title = qobject_cast<QCPTextElement*>(header->element(0, 0));
                QVERIFY(title && title->property("fullText").toString().contains(QLatin1String("nothing to show")));
                // Title and bare axes fill the plot (an empty legend must not squeeze them).
                plot->replot(QCustomPlot::rpImmediateRefresh);
                QVERIFY2(
                    plot->axisRect()->width() > plot->width() / 2,
                    qPrintable(QStringLiteral("axes %1 px of %2").arg(plot->axisRect()->width()).arg(plot->width())));
            }
        };
        check();
        savePanel(panel, QStringLiteral("histogram_empty"));
        // Results shown, then every image removed: the legends go with the graphs.
        m_photos->load(model);
        panel.refreshNow();
        QCOMPARE(panel.afterPlot()->legend->itemCount(), 2);
        model.clearImages();
        QTRY_VERIFY(panel.series().empty());
        settle();
        check();
        savePanel(panel, QStringLiteral("histogram_emptied"));
    }

    void bothPlotsWholeAt1366x768AndStackedWhenNarrow()
    {
        MainWindow window;
        m_photos->load(*window.model());
        window.model()->setCurrentIndex(1); // chelsea, as the screenshots: norms over ~1.2 decades
        window.resize(1366, 768 - 64);      // the screen less the window manager's frame and panel
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.applyDefaultLayout();
        settle();
        auto* panel = qobject_cast<HistogramPanel*>(window.panel(QStringLiteral("histogramPanel")));
        window.plotTabs()->setCurrentWidget(panel->parentWidget()->parentWidget());
        settle();
        panel->refreshNow();
        QVERIFY(panel->sideBySide());
        QVERIFY(!panel->stacked()); // ~680 px hold two plots next to each other
        const QRect before(panel->plot()->mapTo(panel, QPoint(0, 0)), panel->plot()->size());
        const QRect after(panel->afterPlot()->mapTo(panel, QPoint(0, 0)), panel->afterPlot()->size());
        QVERIFY(!before.intersects(after));
        QVERIFY(after.left() >= before.right());
        QVERIFY(panel->rect().contains(before) && panel->rect().contains(after));
        for (QCustomPlot* plot : {panel->plot(), panel->afterPlot()}) {
            const QString problems = clipping(plot);
            QVERIFY2(problems.isEmpty(), qPrintable(plot->objectName() + QStringLiteral(": ") + problems));
        }

        // A panel narrower than two plots need stacks them.
        HistogramPanel narrow(window.model());
        narrow.resize(480, 900);
        narrow.show();
        QVERIFY(QTest::qWaitForWindowExposed(&narrow));
        narrow.refreshNow();
        settle();
        QVERIFY(narrow.stacked());
        QVERIFY(narrow.afterPlot()->y() >= narrow.plot()->y() + narrow.plot()->height());
        for (QCustomPlot* plot : {narrow.plot(), narrow.afterPlot()}) {
            const QString problems = clipping(plot);
            QVERIFY2(problems.isEmpty(), qPrintable(plot->objectName() + QStringLiteral(" (stacked): ") + problems));
        }
        savePanel(narrow, QStringLiteral("histogram_stacked"));
    }
};

QTEST_MAIN(HistogramSideBySideTest)
#include "histogram_side_by_side_test.moc"
