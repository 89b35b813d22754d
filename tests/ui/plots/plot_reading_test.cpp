// SPDX-License-Identifier: GPL-3.0-or-later
// Reading the plots: wheel zoom and a double-click back to the panel's ranges, the hover read-out
// against the engine's statistics and bins, the y axis holding still while gamma moves, "≈" on
// ratios of binned (all-images) medians, concat labels that fit their segments, exports named by
// the plot's title at a fixed size, and colour-bar ticks at round values.
#include "analysed_photos.h"
#include "analysis/network/layer_catalog.h"
#include "ui/panels/image_view.h"
#include "ui/panels/photo_export.h"
#include "ui/plots/color_bar.h"
#include "ui/plots/color_map.h"
#include "ui/plots/concat_panel.h"
#include "ui/plots/histogram_panel.h"
#include "ui/plots/layer_scales_panel.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/plot_interaction.h"
#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <memory>

using namespace featscale;
using namespace featscale::ui;

namespace {
void wheel(QWidget* w, QPoint pos, int delta)
{
    QWheelEvent e(QPointF(pos), QPointF(w->mapToGlobal(pos)), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

bool sameRange(const QCPRange& a, const QCPRange& b)
{
    return std::abs(a.lower - b.lower) <= 1e-9 * std::abs(b.lower) + 1e-12 &&
           std::abs(a.upper - b.upper) <= 1e-9 * std::abs(b.upper) + 1e-12;
}
} // namespace

class PlotReadingTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::AnalysedPhotos> m_photos;

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        m_photos = std::make_unique<test::AnalysedPhotos>();
    }
    void cleanupTestCase() { m_photos.reset(); }

    void wheelZoomsAndDoubleClickRestores()
    {
        AppModel model;
        m_photos->load(model);
        LayerScalesPanel panel(&model);
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refreshNow();
        QCustomPlot* plot = panel.plots().front();
        plot->replot();
        const QCPRange x0 = plot->xAxis->range(), y0 = plot->yAxis->range();
        const QPoint centre = plot->axisRect()->rect().center();
        wheel(plot, centre, 240);
        plot->replot();
        QVERIFY(!sameRange(plot->xAxis->range(), x0));
        QVERIFY(PlotInteraction::of(plot)->zoomed());
        const QCPRange zoomedX = plot->xAxis->range();
        // The same view redrawn (as on every gamma tick) keeps the zoom.
        panel.refreshNow();
        QVERIFY(sameRange(plot->xAxis->range(), zoomedX));
        QTest::mouseDClick(plot, Qt::LeftButton, {}, centre);
        QVERIFY(sameRange(plot->xAxis->range(), x0));
        QVERIFY(sameRange(plot->yAxis->range(), y0));
        QVERIFY(!PlotInteraction::of(plot)->zoomed());
    }

    void hoverReadsTheEngineStatistics()
    {
        AppModel model;
        m_photos->load(model);
        LayerScalesPanel panel(&model);
        panel.resize(900, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refreshNow();
        QCustomPlot* plot = panel.plots().front();
        plot->replot();
        const auto layers = model.layers();
        const auto fc7 = std::find(layers.begin(), layers.end(), "fc7") - layers.begin();
        const analysis::LayerStats* s = model.stats(model.currentIndex(), "fc7", Stage::Before);
        QVERIFY(s);
        const QPoint atFc7(qRound(plot->xAxis->coordToPixel(static_cast<double>(fc7))), plot->axisRect()->center().y());
        const QString text = panel.readoutAt(atFc7);
        QVERIFY2(text.contains(QLatin1String("fc7")) && text.contains(plot_style::formatValue(s->p50)) &&
                     text.contains(plot_style::formatValue(s->p95)),
                 qPrintable(text));
        // Caffe's debug_info magnitude, mean |x| per element, as the engine recorded it
        QVERIFY(s->elements > 0);
        QVERIFY2(text.contains(QLatin1String("mean |x| per element (Caffe's log): ") +
                               plot_style::formatValue(s->sumAbs / static_cast<double>(s->elements))),
                 qPrintable(text));
        QVERIFY(panel.readoutAt(QPoint(1, 1)).isEmpty()); // outside the data

        HistogramPanel hist(&model);
        hist.resize(900, 600);
        hist.show();
        QVERIFY(QTest::qWaitForWindowExposed(&hist));
        hist.setTickedLayers({"conv4_3"});
        hist.refreshNow();
        hist.plot()->replot();
        // The fullest bin of conv4_3 in the engine's histogram, read back under the cursor.
        const analysis::Histogram* h = model.histogram(model.currentIndex(), "conv4_3", Stage::Before);
        QVERIFY(h);
        const auto peak = std::max_element(h->counts.begin(), h->counts.end()) - h->counts.begin();
        const double mid = std::sqrt(h->edges[static_cast<size_t>(peak)] * h->edges[static_cast<size_t>(peak) + 1]);
        const QPoint atPeak(qRound(hist.plot()->xAxis->coordToPixel(mid)), hist.plot()->axisRect()->center().y());
        const QString binText = hist.readoutAt(atPeak);
        QVERIFY2(binText.startsWith(QLatin1String("conv4_3: ") + QString::number(h->counts[static_cast<size_t>(peak)]) +
                                    QLatin1Char(' ')),
                 qPrintable(binText));
    }

    void yAxisHoldsWhileGammaMoves()
    {
        AppModel model;
        m_photos->load(model);
        LayerScalesPanel panel(&model);
        panel.resize(900, 600);
        panel.show();
        panel.refreshNow();
        QCustomPlot* plot = panel.plots().front();
        model.setUniformGamma("conv4_3", 5000.0f); // after-L2Norm boxes far above the rest
        panel.refreshNow();
        const QCPRange high = plot->yAxis->range();
        QVERIFY(high.upper >= 5000);
        model.setUniformGamma("conv4_3", 20.0f); // back down: the axis does not jump with it
        panel.refreshNow();
        QVERIFY(sameRange(plot->yAxis->range(), high));
        // A different view (another image) starts from its own range.
        model.setCurrentIndex(1);
        panel.refreshNow();
        QVERIFY(plot->yAxis->range().upper < high.upper);
    }

    void binnedMediansAreMarkedApproximate()
    {
        AppModel model;
        m_photos->load(model);
        LayerScalesPanel panel(&model);
        panel.show();
        panel.setRatioLayers("conv4_3", Stage::Before, "fc7", Stage::Before);
        panel.refreshNow();
        QVERIFY2(panel.ratioText().contains(QLatin1String(" = ")) && !panel.ratioText().contains(QChar(0x2248)),
                 qPrintable(panel.ratioText()));
        panel.setAggregate(true);
        panel.refreshNow();
        // 20 bins per decade: 10^(1/20) - 1 = 12 %.
        QVERIFY2(panel.ratioText().contains(QStringLiteral("conv4_3 / fc7 ≈ ")) &&
                     panel.ratioText().contains(QLatin1String("12 %")),
                 qPrintable(panel.ratioText()));
        // And the ratio after L2Norm beside it: conv4_3 after / fc7 (not normalized) = 20 / median(fc7) for γ = 20.
        const double fc7 = model.aggregate("fc7", Stage::Before).stats.p50;
        const double after = model.aggregate("conv4_3", Stage::After).stats.p50;
        QVERIFY(panel.ratioText().contains(QStringLiteral("after L2Norm: ") + plot_style::formatRatio(after / fc7)));
    }

    /// Median labels over the layer-scale boxes never overprint one another: where they collide the
    /// ParseNet layers keep theirs. Measured from the labels as drawn, at a wide and a narrow width.
    void medianLabelsDoNotOverlap()
    {
        // Every tap, as the GUI analyses by default: 22 boxes, before and after.
        analysis::AnalyzerOptions options;
        for (const auto& tap : analysis::LayerCatalog(options.arch).taps())
            options.layers.push_back(tap.name);
        test::AnalysedPhotos photos({"chelsea.jpg"}, options);
        AppModel model;
        photos.load(model);
        LayerScalesPanel panel(&model);
        panel.setShowAfter(true);
        for (int width : {1400, 700, 360, 250}) {
            panel.resize(width, 600);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            panel.refreshNow();
            QCustomPlot* plot = panel.plots().front();
            plot->replot(QCustomPlot::rpImmediateRefresh);
            plot->replot(QCustomPlot::rpImmediateRefresh); // after the collision pass
            std::vector<std::pair<QString, QRectF>> shown;
            int all = 0;
            for (int i = 0; i < plot->itemCount(); ++i) {
                auto* label = qobject_cast<QCPItemText*>(plot->item(i));
                if (!label || label->property("tap").toString().isEmpty())
                    continue;
                ++all;
                if (!label->visible())
                    continue;
                const QPointF at = label->position->pixelPosition();
                const QFontMetricsF fm(label->font());
                const QSizeF size(fm.horizontalAdvance(label->text()), fm.height());
                shown.emplace_back(
                    label->property("tap").toString(),
                    QRectF(at.x() - size.width() / 2, at.y() - size.height(), size.width(), size.height()));
            }
            QVERIFY2(all >= static_cast<int>(model.layers().size()),
                     qPrintable(QStringLiteral("%1 labels, %2 layers").arg(all).arg(model.layers().size())));
            for (size_t i = 0; i < shown.size(); ++i)
                for (size_t j = i + 1; j < shown.size(); ++j)
                    QVERIFY2(!shown[i].second.intersects(shown[j].second),
                             qPrintable(QStringLiteral("%1 and %2 overprint at %3 px")
                                            .arg(shown[i].first, shown[j].first)
                                            .arg(width)));
            const bool fc7 = std::any_of(shown.begin(), shown.end(), [](const auto& l) { return l.first == "fc7"; });
            const bool conv4_3 = std::any_of(shown.begin(), shown.end(),
                                             [](const auto& l) { return l.first == "conv4_3"; });
            QVERIFY2(fc7 && conv4_3, qPrintable(QStringLiteral("ParseNet labels hidden at %1 px").arg(width)));
            if (width == 1400)
                QVERIFY2(shown.size() * 2 >= static_cast<size_t>(all), qPrintable(QString::number(shown.size())));
        }
    }

    void concatLabelsFitTheirSegments()
    {
        AppModel model;
        m_photos->load(model);
        const auto r = model.currentResult();
        model.setPin(QPointF(r->originalWidth * 0.5, r->originalHeight * 0.5));
        ConcatPanel panel(&model);
        for (int width : {1200, 600, 340}) {
            panel.resize(width, 700);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            panel.refreshNow();
            QCustomPlot* plot = panel.plots().front();
            plot->replot(QCustomPlot::rpImmediateRefresh);
            plot->replot(QCustomPlot::rpImmediateRefresh); // the fitted labels
            QVERIFY(!panel.segments().empty());
            int visible = 0;
            for (QCPAbstractItem* item : plot->findChildren<QCPAbstractItem*>()) {
                auto* label = qobject_cast<QCPItemText*>(item);
                if (!label || !label->visible())
                    continue;
                ++visible;
                QCPAxis* x = label->clipAxisRect()->axis(QCPAxis::atBottom);
                const double room = std::abs(x->coordToPixel(label->property("hi").toDouble()) -
                                             x->coordToPixel(label->property("lo").toDouble()));
                const int textWidth =
                    QFontMetrics(label->font()).boundingRect(QRect(0, 0, 10000, 10000), 0, label->text()).width();
                QVERIFY2(textWidth <= room,
                         qPrintable(QStringLiteral("%1 px wide in %2 px at %3").arg(textWidth).arg(room).arg(width)));
            }
            if (width == 1200)
                QCOMPARE(visible, 2 * static_cast<int>(panel.segments().size()));
        }
    }

    void exportIsNamedByTitleAtAFixedSize()
    {
        AppModel model;
        m_photos->load(model);
        LayerScalesPanel panel(&model);
        panel.resize(560, 900); // tall and narrow on screen
        panel.show();
        panel.refreshNow();
        QCustomPlot* plot = panel.plots().front();
        QCOMPARE(plotFileBaseName(plot), QStringLiteral("feature-scale-across-depth-coffee"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plot.png"));
        QString error;
        QVERIFY2(savePlot(plot, path, &error), qPrintable(error));
        const QImage image(path);
        QCOMPARE(image.size(), QSize(kExportWidth * 2, kExportHeight * 2));
    }

    void overlayOpensOnTheFirstL2NormLayer()
    {
        AppModel model;
        AppModel::EngineInfo e;
        e.run.layers = {"conv1_1", "conv3_3", "conv4_3", "conv5_3", "fc7"};
        e.run.l2normLayers = {"conv4_3"};
        e.channels = {{"conv1_1", 2}, {"conv3_3", 2}, {"conv4_3", 2}, {"conv5_3", 2}, {"fc7", 2}};
        e.run.gamma = {{"conv4_3", {20.f, 20.f}}};
        model.setEngine(e);
        QCOMPARE(model.selectedLayer(), std::string("conv4_3"));
        e.run.l2normLayers.clear(); // no L2Norm: the first tap
        e.run.gamma.clear();
        AppModel plain;
        plain.setEngine(e);
        QCOMPARE(plain.selectedLayer(), std::string("conv1_1"));
    }

    void photoExportsWithItsOverlay()
    {
        AppModel model;
        m_photos->load(model);
        ImageView view(&model);
        view.resize(700, 600);
        QSignalSpy ready(&view, &ImageView::photoReady);
        view.show();
        QVERIFY(view.photoLoaded() || ready.wait(20000));
        const auto r = model.currentResult();
        const QImage photo(QString::fromStdString(r->path));
        QVERIFY(!photo.isNull());
        view.setOverlayEnabled(true);
        const QImage with = renderPhotoWithOverlay(&view);
        // The photo at its own resolution, the colour bar beside it.
        QCOMPARE(with.height(), photo.height());
        QVERIFY(with.width() > photo.width());
        view.setOverlayEnabled(false);
        const QImage without = renderPhotoWithOverlay(&view);
        const QPoint c(photo.width() / 2, photo.height() / 2);
        // Without the overlay the photo's own pixel; with it, something else.
        const QColor plain = without.pixelColor(c), original = photo.pixelColor(c);
        QVERIFY2(std::abs(plain.red() - original.red()) <= 3 && std::abs(plain.green() - original.green()) <= 3 &&
                     std::abs(plain.blue() - original.blue()) <= 3,
                 qPrintable(plain.name() + QLatin1Char(' ') + original.name()));
        QVERIFY(with.pixelColor(c) != plain);
        QTemporaryDir dir;
        QString error;
        QVERIFY2(savePhotoWithOverlay(&view, dir.filePath(QStringLiteral("photo.png")), &error), qPrintable(error));
        QCOMPARE(QImage(dir.filePath(QStringLiteral("photo.png"))).size(), without.size());
    }

    void colourBarTicksAreRound()
    {
        using Ticks = QVector<double>;
        QCOMPARE(ColorBar::ticks(ColorMap(9.91, 97.4, true)), (Ticks{10, 20, 50}));
        QCOMPARE(ColorBar::ticks(ColorMap(0.1, 1000, true)), (Ticks{0.1, 1, 10, 100, 1000}));
        QCOMPARE(ColorBar::ticks(ColorMap(3.7, 48.2, false)), (Ticks{10, 20, 30, 40}));
        QCOMPARE(ColorBar::ticks(ColorMap(0, 1, false)), (Ticks{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
        QCOMPARE(ColorBar::ticks(ColorMap(31, 44, true)), (Ticks{35, 40}));
        // Any range: 2..6 ticks inside it, each 1, 2 or 5 × 10^k, or all multiples of such a step.
        auto isOneTwoFive = [](double v) {
            const double m = v / std::pow(10.0, std::floor(std::log10(v) + 1e-12));
            return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
        };
        for (double lo : {0.013, 0.9, 7.0, 33.0, 120.0}) // (no zero: a log scale starts above it)
            for (double span : {1.05, 1.5, 3.0, 30.0, 3000.0})
                for (bool log : {true, false}) {
                    const Ticks t = ColorBar::ticks(ColorMap(lo, lo * span, log));
                    const QString what =
                        QStringLiteral("[%1, %2] %3: %4 ticks").arg(lo).arg(lo * span).arg(log).arg(t.size());
                    QVERIFY2(t.size() >= 2 && t.size() <= 6, qPrintable(what));
                    bool allOneTwoFive = true, multiples = isOneTwoFive(t[1] - t[0]);
                    for (int i = 0; i < t.size(); ++i) {
                        QVERIFY2(t[i] >= lo * (1 - 1e-9) && t[i] <= lo * span * (1 + 1e-9), qPrintable(what));
                        allOneTwoFive = allOneTwoFive && isOneTwoFive(t[i]);
                        const double k = t[i] / (t[1] - t[0]);
                        multiples = multiples && std::abs(k - std::round(k)) < 1e-6;
                    }
                    QVERIFY2(allOneTwoFive || multiples, qPrintable(what));
                }
    }
};

QTEST_MAIN(PlotReadingTest)
#include "plot_reading_test.moc"
