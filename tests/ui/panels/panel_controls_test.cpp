// SPDX-License-Identifier: GPL-3.0-or-later
// The controls of each panel, on real engine results (default weights, two bundled photos):
// histogram defaults, units and scopes against counts made here from the norm maps; layer-scale
// axis and ratio of any two layers; gamma set-all / scale / reset / load-from-file and the
// L2Norm settings re-run; image list states, remove, clear, Delete key and folder scanning;
// overlay toggle, opacity, zoom and pan.
#include "analysed_photos.h"
#include "analysis/engine/analyzer.h"
#include "ui/panels/gamma_panel.h"
#include "ui/panels/image_view.h"
#include "ui/panels/images_panel.h"
#include "ui/panels/photo_canvas.h"
#include "ui/plots/color_bar.h"
#include "ui/plots/histogram_panel.h"
#include "ui/plots/layer_scales_panel.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"
#include "ui/state/image_list_model.h"
#include "ui/state/image_loading.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

using Fixture = test::AnalysedPhotos;

/// Locations of a norm map inside [lo, hi), counted here.
int countIn(const an::NormMap& map, double lo, double hi)
{
    int n = 0;
    for (float v : map.values)
        n += (v >= lo && v < hi) ? 1 : 0;
    return n;
}

bool near(double a, double b, double rel)
{
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + 1e-12;
}

} // namespace

class PanelControlsTest : public QObject {
    Q_OBJECT
    std::unique_ptr<Fixture> m_fx;
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        m_fx = std::make_unique<Fixture>();
    }
    void cleanupTestCase() { m_fx.reset(); }

    void histogramDefaultsCountsAndDensity()
    {
        AppModel model;
        m_fx->load(model);
        HistogramPanel panel(&model);
        panel.resize(900, 600);
        panel.show();
        panel.setStage(Stage::Before); // the single-stage mode (side by side: histogram_side_by_side_test)
        panel.refreshNow();
        QCOMPARE(panel.tickedLayers(), (std::vector<std::string>{"conv4_3", "fc7"}));
        QCOMPARE(panel.series().size(), size_t(2));
        QCOMPARE(panel.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        for (const auto& s : panel.series()) {
            const an::NormMap& map = *model.normMap(0, s.layer, Stage::Before);
            QCOMPARE(s.total, quint64(map.width * map.height));
            double sum = 0;
            for (size_t i = 0; i < s.value.size(); ++i) {
                QCOMPARE(s.value[i], double(countIn(map, s.lo[i], s.hi[i])));
                sum += s.value[i];
            }
            QCOMPARE(sum + double(s.zeros), double(s.total)); // every location in one bin
        }

        // density on a log axis: fraction of locations per decade; the areas add up to 1
        panel.setDensity(true);
        panel.refreshNow();
        QVERIFY(panel.plot()->yAxis->label().contains("density"));
        for (const auto& s : panel.series()) {
            const an::NormMap& map = *model.normMap(0, s.layer, Stage::Before);
            double area = 0;
            for (size_t i = 0; i < s.value.size(); ++i) {
                const double expected = countIn(map, s.lo[i], s.hi[i]) / double(s.total) /
                                        std::log10(s.hi[i] / s.lo[i]);
                QVERIFY(near(s.value[i], expected, 1e-12));
                area += s.value[i] * std::log10(s.hi[i] / s.lo[i]);
            }
            QVERIFY(near(area + double(s.zeros) / double(s.total), 1.0, 1e-9));
        }
        // linear x: per activation unit
        panel.setLogX(false);
        panel.refreshNow();
        QCOMPARE(panel.plot()->xAxis->scaleType(), QCPAxis::stLinear);
        int nonEmpty = 0;
        for (const auto& s : panel.series())
            for (size_t i = 0; i < s.value.size(); ++i)
                if (s.value[i] > 0) {
                    QVERIFY(near(s.value[i] * (s.hi[i] - s.lo[i]) * double(s.total),
                                 countIn(*model.normMap(0, s.layer, Stage::Before), s.lo[i], s.hi[i]), 1e-9));
                    ++nonEmpty;
                }
        QVERIFY2(nonEmpty >= 10, "the linear-axis check compared (almost) no bins");
    }

    void histogramAfterStageAndAllImages()
    {
        AppModel model;
        m_fx->load(model);
        model.setUniformGamma("conv4_3", 7.5f);
        HistogramPanel panel(&model);
        panel.show();
        // ticking through the check boxes, as a user does
        for (QCheckBox* box : panel.findChildren<QCheckBox*>())
            box->setChecked(box->text() == "conv4_3" || box->text() == "fc7");
        panel.setStage(Stage::After);
        panel.refreshNow();
        QCOMPARE(panel.series().size(), size_t(2));
        QCOMPARE(panel.series()[0].layer, std::string("conv4_3"));
        QVERIFY(panel.series()[0].stage == Stage::After);
        QVERIFY(panel.series()[1].stage == Stage::Before); // fc7 has no L2Norm: shown unchanged
        double total = 0, in = 0;
        const auto& s = panel.series()[0];
        for (size_t i = 0; i < s.value.size(); ++i) {
            total += s.value[i];
            if (s.lo[i] <= 7.5 && 7.5 < s.hi[i])
                in = s.value[i];
        }
        QCOMPARE(in, total); // ||7.5 · x̂|| = 7.5 at every non-zero location

        // all images: the counts of both photos
        panel.setStage(Stage::Before);
        panel.setAggregate(true);
        panel.refreshNow();
        for (const auto& agg : panel.series()) {
            const an::NormMap& a = *model.normMap(0, agg.layer, Stage::Before);
            const an::NormMap& b = *model.normMap(1, agg.layer, Stage::Before);
            QCOMPARE(agg.total, quint64(a.values.size() + b.values.size()));
            for (size_t i = 0; i < agg.value.size(); ++i)
                QCOMPARE(agg.value[i], double(countIn(a, agg.lo[i], agg.hi[i]) + countIn(b, agg.lo[i], agg.hi[i])));
        }
        // view state round trip
        HistogramPanel other(&model);
        other.restoreViewState(panel.viewState());
        QCOMPARE(other.tickedLayers(), panel.tickedLayers());
        QCOMPARE(other.viewState(), panel.viewState());
    }

    void layerScalesLogAxisAndAnyRatio()
    {
        AppModel model;
        m_fx->load(model);
        model.setUniformGamma("conv4_3", 30.f);
        LayerScalesPanel panel(&model);
        panel.resize(1000, 600);
        panel.show();
        panel.refreshNow();
        QCOMPARE(panel.plots().front()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        // boxes in network order
        std::vector<std::string> order;
        for (const auto& b : panel.boxes())
            if (b.stage == Stage::Before)
                order.push_back(b.layer);
        QCOMPARE(order, model.layers());

        const an::ImageResult& r = *m_fx->results[0];
        panel.setRatioLayers("conv5_3", Stage::Before, "fc7", Stage::Before);
        panel.refreshNow();
        QVERIFY(near(panel.ratio(), r.find("conv5_3")->beforeStats.p50 / r.find("fc7")->beforeStats.p50, 1e-12));
        QVERIFY2(panel.ratioText().startsWith("conv5_3 / fc7 = "), qPrintable(panel.ratioText()));
        // after L2Norm with uniform γ = 30 the numerator's median is 30
        panel.setRatioLayers("conv4_3", Stage::After, "fc7", Stage::Before);
        panel.refreshNow();
        QVERIFY(near(panel.ratio(), 30.0 / r.find("fc7")->beforeStats.p50, 1e-5));

        // all images: medians of the merged histograms
        panel.setRatioLayers("conv4_3", Stage::Before, "fc7", Stage::Before);
        panel.setAggregate(true);
        panel.refreshNow();
        an::Histogram a = m_fx->results[0]->find("conv4_3")->beforeHist, b = m_fx->results[0]->find("fc7")->beforeHist;
        a.merge(m_fx->results[1]->find("conv4_3")->beforeHist);
        b.merge(m_fx->results[1]->find("fc7")->beforeHist);
        // the engine's aggregate: inside each layer's [min, max] over both images
        auto bounds = [&](const char* layer) {
            const an::LayerStats& s0 = m_fx->results[0]->find(layer)->beforeStats;
            const an::LayerStats& s1 = m_fx->results[1]->find(layer)->beforeStats;
            return std::make_pair(std::min(s0.min, s1.min), std::max(s0.max, s1.max));
        };
        const auto [aLo, aHi] = bounds("conv4_3");
        const auto [bLo, bHi] = bounds("fc7");
        QVERIFY(near(panel.ratio(), a.percentile(50, aLo, aHi) / b.percentile(50, bLo, bHi), 1e-9));
    }

    void gammaButtonsAndLearnedGammaFile()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        auto button = [&](const QString& text) {
            for (QPushButton* b : panel.findChildren<QPushButton*>())
                if (b->text() == text)
                    return b;
            return static_cast<QPushButton*>(nullptr);
        };
        QCOMPARE(panel.spinBox()->value(), 20.0); // SSD's initial value
        QCOMPARE(GammaPanel::sliderGamma(panel.slider()->value()), 20.0);

        panel.spinBox()->setValue(3.5);
        QTRY_COMPARE(model.gamma("conv4_3").front(), 3.5f);
        // per-channel values, then Scale multiplies each by the factor
        std::vector<float> g(512);
        for (size_t c = 0; c < g.size(); ++c)
            g[c] = 1.0f + float(c) / 100.f;
        QVERIFY(model.setGamma("conv4_3", g));
        QDoubleSpinBox* factor = nullptr;
        for (QDoubleSpinBox* s : panel.findChildren<QDoubleSpinBox*>())
            if (s->prefix().startsWith(QStringLiteral("×")))
                factor = s;
        QVERIFY(factor);
        factor->setValue(3.0);
        QVERIFY(button("Scale"));
        button("Scale")->click();
        for (size_t c = 0; c < g.size(); ++c)
            QCOMPARE(model.gamma("conv4_3")[c], g[c] * 3.0f);
        // the box shows the median of a per-channel γ; Set all gives every channel that value
        QVERIFY(model.setGamma("conv4_3", g));
        const double shown = panel.spinBox()->value();
        QVERIFY2(near(shown, (g[255] + g[256]) / 2.0, 1e-6), qPrintable(QString::number(shown)));
        button("Set all")->click();
        QTRY_VERIFY(std::all_of(model.gamma("conv4_3").begin(), model.gamma("conv4_3").end(),
                                [&](float v) { return v == float(shown); }));
        // Reset to the family's initial γ (SSD: 20)
        button("Reset to init (20)")->click();
        QTRY_VERIFY(std::all_of(model.gamma("conv4_3").begin(), model.gamma("conv4_3").end(),
                                [](float v) { return v == 20.f; }));

        // learned γ from a channel,gamma CSV
        const QString csv = m_tmp.filePath("gamma.csv");
        QByteArray text = "channel,gamma\n";
        for (int c = 0; c < 512; ++c)
            text += QByteArray::number(c) + "," + QByteArray::number(5.0 + c * 0.25) + "\n";
        QVERIFY(test::writeFile(csv, text));
        QSignalSpy loaded(&panel, &GammaPanel::gammaFileLoaded);
        panel.loadGammaFile(csv);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.front().front().toBool(), true);
        for (int c = 0; c < 512; ++c)
            QCOMPARE(model.gamma("conv4_3")[size_t(c)], float(5.0 + c * 0.25));
        // the after-statistics follow: ||γ ⊙ x̂|| lies between min γ and max γ
        for (float v : model.normMap(0, "conv4_3", Stage::After)->values)
            QVERIFY(v == 0.f || (v >= 5.f - 1e-3f && v <= 5.f + 511 * 0.25f + 1e-3f));

        // a Lua Torch .t7 table keyed by layer name ({fc7 = ..., conv4_3 = ...}, written here as
        // torch.save lays it out): the edited layer's entry
        QByteArray t7;
        auto i32 = [&](qint32 v) { t7.append(reinterpret_cast<const char*>(&v), 4); };
        auto i64 = [&](qint64 v) { t7.append(reinterpret_cast<const char*>(&v), 8); };
        auto chars = [&](const QByteArray& b) {
            i32(qint32(b.size()));
            t7.append(b);
        };
        int index = 1;
        auto tensor = [&](int n, float first) {
            i32(4), i32(index++), chars("V 1"), chars("torch.FloatTensor");
            i32(1), i64(n), i64(1), i64(1);
            i32(4), i32(index++), chars("V 1"), chars("torch.FloatStorage"), i64(n);
            for (int c = 0; c < n; ++c) {
                const float v = first + float(c) * 0.5f;
                t7.append(reinterpret_cast<const char*>(&v), 4);
            }
        };
        i32(3), i32(index++), i32(2);
        i32(2), chars("fc7"), tensor(1024, 100.f);
        i32(2), chars("conv4_3"), tensor(512, 2.f);
        const QString t7File = m_tmp.filePath("gamma.t7");
        QVERIFY(test::writeFile(t7File, t7));
        loaded.clear();
        panel.loadGammaFile(t7File);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.front().front().toBool(), true);
        for (int c = 0; c < 512; ++c)
            QCOMPARE(model.gamma("conv4_3")[size_t(c)], 2.f + float(c) * 0.5f);

        // a file of the wrong length is refused with a message naming it; γ unchanged
        const QString shortFile = m_tmp.filePath("short.txt");
        QVERIFY(test::writeFile(shortFile, "1\n2\n3\n"));
        const std::vector<float> before = model.gamma("conv4_3");
        QSignalSpy messages(&panel, &GammaPanel::message);
        loaded.clear();
        panel.loadGammaFile(shortFile);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.front().front().toBool(), false);
        QCOMPARE(model.gamma("conv4_3"), before);
        QVERIFY(!messages.isEmpty());
        QVERIFY2(messages.back().front().toString().contains("short.txt"),
                 qPrintable(messages.back().front().toString()));
    }

    void l2normLayersAndEpsNeedARerun()
    {
        AppModel model;
        m_fx->load(model);
        an::AnalyzerOptions o = model.options();
        o.layers = model.layers();
        model.setOptions(o);
        GammaPanel panel(&model);
        panel.show();
        auto* list = panel.findChild<QListWidget*>();
        QVERIFY(list);
        QPushButton* apply = nullptr;
        for (QPushButton* b : panel.findChildren<QPushButton*>())
            if (b->text().contains("re-run"))
                apply = b;
        QVERIFY(apply);
        QVERIFY(!apply->isEnabled()); // nothing changed yet
        const auto items = list->findItems("fc7", Qt::MatchExactly);
        QCOMPARE(items.size(), 1);
        items.front()->setCheckState(Qt::Checked);
        QVERIFY(apply->isEnabled());
        QComboBox* eps = nullptr;
        for (QComboBox* c : panel.findChildren<QComboBox*>())
            if (c->findText("tf") >= 0)
                eps = c;
        QVERIFY(eps);
        eps->setCurrentIndex(eps->findText("tf"));
        QSignalSpy rerun(&panel, &GammaPanel::rerunRequested);
        apply->click();
        QCOMPARE(rerun.count(), 1);
        std::vector<std::string> normalized = model.options().l2normLayers.value_or(std::vector<std::string>{});
        std::sort(normalized.begin(), normalized.end());
        QCOMPARE(normalized, (std::vector<std::string>{"conv4_3", "fc7"}));
        QVERIFY(model.options().eps == an::EpsMode::Tf);
    }

    void imageListStatesRemoveClearAndDelete()
    {
        AppModel model;
        m_fx->load(model);
        const QString bad = m_tmp.filePath("broken.jpg");
        model.addImages({bad, m_tmp.filePath("waiting.jpg")});
        model.setImageState(2, ImageState::Failed, QStringLiteral("broken.jpg: not an image (cannot decode)"));
        ImagesPanel panel(&model);
        panel.show();
        QApplication::setActiveWindow(&panel); // shortcuts need an active window
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        QAbstractItemModel* list = panel.view()->model();
        QCOMPARE(list->rowCount(), 4);
        QVERIFY(list->index(0, 0).data().toString().contains("done"));
        const QString failed = list->index(2, 0).data().toString();
        QVERIFY2(failed.contains("FAILED") && failed.contains("cannot decode"), qPrintable(failed));
        QVERIFY(list->index(2, 0).data(Qt::ToolTipRole).toString().contains("cannot decode"));
        QVERIFY(list->index(3, 0).data().toString().contains("queued"));

        // Remove: the selected rows
        panel.view()->selectionModel()->select(list->index(2, 0), QItemSelectionModel::ClearAndSelect);
        panel.removeSelected();
        QCOMPARE(model.imageCount(), 3);
        QCOMPARE(model.indexOf(bad), -1);
        // Delete key on the list does the same
        panel.view()->setFocus();
        panel.view()->selectionModel()->setCurrentIndex(list->index(2, 0), QItemSelectionModel::ClearAndSelect);
        QTest::keyClick(panel.view(), Qt::Key_Delete);
        QCOMPARE(model.imageCount(), 2);
        // Clear
        for (QPushButton* b : panel.findChildren<QPushButton*>())
            if (b->text() == "Clear")
                b->click();
        QCOMPARE(model.imageCount(), 0);
    }

    void folderScanIsRecursiveAndImageTypesOnly()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("a/b"));
        const QString sample = test::samplePaths().front();
        QVERIFY(test::copyFile(sample, dir.filePath("top.jpg")));
        QVERIFY(test::copyFile(sample, dir.filePath("a/b/deep.JPEG")));
        QVERIFY(test::writeFile(dir.filePath("a/mid.png"), "not really a png, but the type is right"));
        QVERIFY(test::writeFile(dir.filePath("a/readme.txt"), "text"));
        QVERIFY(test::writeFile(dir.filePath("a/b/model.pth"), "weights"));
        AppModel model;
        ImagesPanel panel(&model);
        QSignalSpy messages(&panel, &ImagesPanel::message);
        panel.addPaths({dir.path(), m_tmp.filePath("does-not-exist")});
        QTRY_COMPARE_WITH_TIMEOUT(panel.pendingScans(), 0, 30000);
        QVERIFY(std::any_of(messages.begin(), messages.end(), [](const QList<QVariant>& m) {
            return m.front().toString().contains("does-not-exist");
        })); // a missing path is reported, naming it
        QStringList names;
        for (int i = 0; i < model.imageCount(); ++i)
            names << QDir(dir.path()).relativeFilePath(model.image(i).path);
        names.sort();
        QCOMPARE(names, (QStringList{"a/b/deep.JPEG", "a/mid.png", "top.jpg"}));
    }

    void overlayToggleOpacityZoomAndPan()
    {
        AppModel model;
        m_fx->load(model);
        model.setSelectedLayer("conv4_3");
        ImageView view(&model);
        view.resize(700, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(view.photoLoaded(), 10000);
        PhotoCanvas* canvas = view.canvas();
        QVERIFY(!canvas->overlayImage().isNull());

        auto* toggle = view.findChild<QCheckBox*>("overlayToggle");
        QVERIFY(toggle);
        toggle->setChecked(false);
        QVERIFY(canvas->overlayImage().isNull());
        QVERIFY(view.colorBar()->scale().valid()); // the colour bar still explains the scale
        toggle->setChecked(true);
        QVERIFY(!canvas->overlayImage().isNull());

        auto* opacity = view.findChild<QSlider*>("overlayOpacity");
        QVERIFY(opacity);
        opacity->setValue(25);
        QCOMPARE(canvas->overlayOpacity(), 0.25);
        opacity->setValue(90);
        QCOMPARE(canvas->overlayOpacity(), 0.9);

        // wheel zooms in around the cursor
        canvas->fitToWindow();
        const double fitted = canvas->zoom();
        const QPoint centre = canvas->viewport()->rect().center();
        QWheelEvent wheel(centre, canvas->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120 * 3), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas->viewport(), &wheel);
        QVERIFY2(canvas->zoom() > fitted * 1.5, qPrintable(QString("%1 -> %2").arg(fitted).arg(canvas->zoom())));
        // dragging pans: the scene point under the viewport centre moves, the pin does not
        const QPointF before = canvas->mapToScene(centre);
        QTest::mousePress(canvas->viewport(), Qt::LeftButton, Qt::NoModifier, centre);
        for (int i = 1; i <= 5; ++i)
            QTest::mouseMove(canvas->viewport(), centre + QPoint(20 * i, 10 * i));
        QTest::mouseRelease(canvas->viewport(), Qt::LeftButton, Qt::NoModifier, centre + QPoint(100, 50));
        const QPointF after = canvas->mapToScene(centre);
        QVERIFY2(
            QLineF(before, after).length() > 10,
            qPrintable(QString("(%1,%2) -> (%3,%4)").arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
        QVERIFY(!model.pin().has_value());
    }
};

QTEST_MAIN(PanelControlsTest)
#include "panel_controls_test.moc"
