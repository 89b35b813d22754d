// SPDX-License-Identifier: GPL-3.0-or-later
// Annotations in the GUI on real engine results (default weights, bundled photos): boxes drawn on
// the image view from a VOC folder and a COCO file written here, their hover text, problems named,
// the prior grid against the published SSD300 configuration, and the concat energy share against
// shares computed here from the norm maps, live with γ.
#include "analysed_photos.h"
#include "ui_test_support.h"

#include "ui/panels/annotation_overlay.h"
#include "ui/panels/image_view.h"
#include "ui/panels/images_panel.h"
#include "ui/panels/photo_canvas.h"
#include "ui/plots/concat_panel.h"
#include "ui/plots/histogram_panel.h"
#include "ui/plots/layer_scales_panel.h"
#include "ui/plots/qcp.h"
#include "ui/plots/region_box.h"
#include "ui/state/annotation_store.h"
#include "ui/state/app_model.h"

#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QHelpEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

QString samplePath(const char* name) { return QDir(QStringLiteral(FEATSCALE_SAMPLES)).filePath(QLatin1String(name)); }

// VOC boxes are 1-based and inclusive: <xmin>11</xmin>…<xmax>30</xmax> covers pixels 10..29, 20 wide.
QByteArray vocXml(const char* file, const QList<QPair<QString, QRect>>& objects)
{
    QByteArray xml = "<annotation><filename>" + QByteArray(file) +
                     "</filename><size><width>400</width><height>267</height><depth>3</depth></size>";
    for (const auto& [name, r] : objects)
        xml += "<object><name>" + name.toUtf8() + "</name><bndbox><xmin>" + QByteArray::number(r.left() + 1) +
               "</xmin><ymin>" + QByteArray::number(r.top() + 1) + "</ymin><xmax>" +
               QByteArray::number(r.left() + r.width()) + "</xmax><ymax>" + QByteArray::number(r.top() + r.height()) +
               "</ymax></bndbox></object>";
    return xml + "</annotation>\n";
}

void savePicture(QWidget& w, const QString& name)
{
    // For looking at the views (not an assertion): testdata/panels/<name>.png
    const QString dir = QStringLiteral(FEATSCALE_TEST_DATA) + QStringLiteral("/panels");
    QDir().mkpath(dir);
    for (QCustomPlot* plot : w.findChildren<QCustomPlot*>())
        plot->replot();
    w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

bool loadAndWait(AnnotationStore& store, const QString& path)
{
    QSignalSpy changed(&store, &AnnotationStore::changed);
    store.load(path);
    return changed.wait(20000);
}

} // namespace

class TestAnnotationsView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_fixture = std::make_unique<test::AnalysedPhotos>(); }
    void cleanupTestCase() { m_fixture.reset(); }

    void vocBoxesDrawnWithHoverText()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QRect cup(10, 20, 20, 20), table(100, 50, 200, 150);
        QVERIFY(
            test::writeFile(dir.filePath(QStringLiteral("coffee.xml")),
                            vocXml("coffee.jpg", {{QStringLiteral("cup"), cup}, {QStringLiteral("table"), table}})));
        AppModel model;
        m_fixture->load(model);
        AnnotationStore store;
        QVERIFY(loadAndWait(store, dir.path()));
        ImageView view(&model);
        view.setAnnotations(&store);
        view.resize(900, 700);
        view.show();

        PhotoCanvas* canvas = view.canvas();
        QCOMPARE(canvas->boxCount(), 2);
        // Each outline in the scene carries its own tooltip, what QGraphicsView shows on hover.
        int outlines = 0;
        for (QGraphicsItem* item : canvas->scene()->items())
            if (auto* r = dynamic_cast<QGraphicsRectItem*>(item);
                r && item->data(0).toString() == QStringLiteral("box"))
                outlines += r->rect() == QRectF(cup) || r->rect() == QRectF(table);
        QCOMPARE(outlines, 2);
        // 20 × 20 = 400 px² < 32²: COCO small; 200 × 150 = 30000 px² ≥ 96²: large.
        const QString cupTip = canvas->boxToolTipAt(QPointF(15, 25));
        QVERIFY2(cupTip.contains(QStringLiteral("cup")) && cupTip.contains(QStringLiteral("20 × 20 px")) &&
                     cupTip.contains(QStringLiteral("small")),
                 qPrintable(cupTip));
        const QString tableTip = canvas->boxToolTipAt(QPointF(200, 100));
        QVERIFY2(tableTip.contains(QStringLiteral("table")) && tableTip.contains(QStringLiteral("200 × 150 px")) &&
                     tableTip.contains(QStringLiteral("large")),
                 qPrintable(tableTip));
        QVERIFY(canvas->boxToolTipAt(QPointF(350, 250)).isEmpty());
        // What the view itself shows when the cursor rests on the table (a tooltip event on the viewport).
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPoint at = canvas->mapFromScene(QPointF(200, 100));
        QHelpEvent help(QEvent::ToolTip, at, canvas->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(canvas->viewport(), &help);
        QTRY_COMPARE(QToolTip::text(), tableTip);

        // The toggle hides them; chelsea.jpg has no annotation: no boxes.
        view.annotationOverlay()->boxesToggle()->setChecked(false);
        QVERIFY(canvas->boxToolTipAt(QPointF(15, 25)).isEmpty());
        view.annotationOverlay()->boxesToggle()->setChecked(true);
        model.setCurrentIndex(1);
        QCOMPARE(canvas->boxCount(), 0);
    }

    void cocoMatchedByFileNameAndProblemsNamed()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // chelsea.jpg is 400 × 266: the second box reaches outside it.
        const QByteArray json = R"({"images":[{"id":1,"file_name":"coffee.jpg","width":400,"height":267},
            {"id":2,"file_name":"chelsea.jpg","width":400,"height":266}],
            "annotations":[{"image_id":1,"category_id":47,"bbox":[10,20,50,40]},
            {"image_id":2,"category_id":17,"bbox":[300,200,150,100]},
            {"image_id":2,"category_id":17,"bbox":[40,30,100,120]}],
            "categories":[{"id":47,"name":"cup"},{"id":17,"name":"cat"}]})";
        const QString file = dir.filePath(QStringLiteral("instances.json"));
        QVERIFY(test::writeFile(file, json));
        AppModel model;
        m_fixture->load(model);
        model.addImages({samplePath("rocket.jpg")}); // not annotated
        AnnotationStore store;
        ImagesPanel panel(&model);
        panel.setAnnotationStore(&store);
        QSignalSpy messages(&panel, &ImagesPanel::message);
        QVERIFY(loadAndWait(store, file));
        QVERIFY(!messages.isEmpty());
        const QString text = messages.last().at(0).toString(), details = messages.last().at(1).toString();
        QVERIFY2(text.contains(QStringLiteral("2 of 3")), qPrintable(text));
        QVERIFY2(details.contains(QStringLiteral("rocket.jpg")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("chelsea.jpg")), qPrintable(details));

        ImageView view(&model);
        view.setAnnotations(&store);
        model.setCurrentIndex(1);
        QCOMPARE(view.canvas()->boxCount(), 2);
        model.setCurrentIndex(0);
        QCOMPARE(view.canvas()->boxCount(), 1);
        // A session keeps the path and reopens it.
        const QJsonObject state = store.viewState();
        AnnotationStore restored;
        QSignalSpy changed(&restored, &AnnotationStore::changed);
        restored.restoreViewState(state);
        QVERIFY(changed.wait(20000));
        QCOMPARE(restored.path(), file);
        QVERIFY(restored.find(samplePath("chelsea.jpg")));
    }

    void histogramRegionSplitCountsCellsByCentre()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QRect cup(10, 20, 20, 20), table(100, 50, 200, 150); // COCO small and large, apart
        QVERIFY(
            test::writeFile(dir.filePath(QStringLiteral("coffee.xml")),
                            vocXml("coffee.jpg", {{QStringLiteral("cup"), cup}, {QStringLiteral("table"), table}})));
        AppModel model;
        m_fixture->load(model);
        AnnotationStore store;
        QVERIFY(loadAndWait(store, dir.path()));
        HistogramPanel panel(&model);
        panel.setAnnotations(&store);
        panel.setTickedLayers({"conv4_3"});
        panel.setStage(Stage::Before);
        panel.refreshNow();
        QVERIFY(panel.regionBox()->isEnabled());
        QCOMPARE(panel.series().size(), size_t(1)); // All until a split is chosen

        // Cells whose centre lies in a box, counted here from the map's size and the image's.
        const an::ImageResult& r = *m_fixture->results[0];
        const an::NormMap& map = r.find("conv4_3")->before;
        auto inside = [&](const QRect& box) {
            quint64 n = 0;
            for (int y = 0; y < map.height; ++y)
                for (int x = 0; x < map.width; ++x) {
                    const double cx = (x + 0.5) * r.originalWidth / map.width;
                    const double cy = (y + 0.5) * r.originalHeight / map.height;
                    n += cx >= box.left() && cx < box.left() + box.width() && cy >= box.top() &&
                         cy < box.top() + box.height();
                }
            return n;
        };
        const quint64 small = inside(cup), large = inside(table);
        const quint64 cells = static_cast<quint64>(map.height) * static_cast<quint64>(map.width);
        QVERIFY(small > 0 && large > 0);

        panel.regionBox()->setSplit(RegionBox::Split::ObjectBackground);
        panel.refreshNow();
        QCOMPARE(panel.series().size(), size_t(2));
        QVERIFY(panel.series()[0].region == an::Region::Object);
        QCOMPARE(panel.series()[0].total, small + large);
        QVERIFY(panel.series()[1].region == an::Region::Background);
        QCOMPARE(panel.series()[1].total, cells - small - large);
        QVERIFY(panel.plot()->plotLayout()->elementCount() > 0);
        QStringList legend;
        for (int i = 0; i < panel.plot()->graphCount(); ++i)
            legend << panel.plot()->graph(i)->name();
        QVERIFY2(legend.join(QLatin1Char('|')).contains(QStringLiteral("conv4_3 object")) &&
                     legend.join(QLatin1Char('|')).contains(QStringLiteral("conv4_3 background")),
                 qPrintable(legend.join(QLatin1Char('|'))));

        panel.resize(1000, 600);
        panel.show();
        panel.refreshNow();
        savePicture(panel, QStringLiteral("histogram-object-background"));

        // The sizes menu: no medium box, so no medium series.
        QCOMPARE(panel.regionBox()->count(), 3);
        panel.regionBox()->setSplit(RegionBox::Split::Sizes);
        panel.refreshNow();
        QCOMPARE(panel.series().size(), size_t(2));
        QVERIFY(panel.series()[0].region == an::Region::Small);
        QCOMPARE(panel.series()[0].total, small);
        QVERIFY(panel.series()[1].region == an::Region::Large);
        QCOMPARE(panel.series()[1].total, large);

        // A session keeps the choice.
        HistogramPanel restored(&model);
        restored.setAnnotations(&store);
        restored.restoreViewState(panel.viewState());
        QCOMPARE(restored.regionBox()->split(), RegionBox::Split::Sizes);

        // The layer scales split the same cells: conv4_3's object and background boxes count them.
        LayerScalesPanel scales(&model);
        scales.setAnnotations(&store);
        scales.refreshNow();
        QVERIFY(scales.regionBox()->isEnabled());
        scales.regionBox()->setSplit(RegionBox::Split::ObjectBackground);
        scales.refreshNow();
        quint64 object = 0, background = 0;
        for (const LayerScalesPanel::Box& b : scales.boxes())
            if (b.layer == "conv4_3" && b.stage == Stage::Before) {
                object += b.region == an::Region::Object ? b.count : 0;
                background += b.region == an::Region::Background ? b.count : 0;
            }
        QCOMPARE(object, small + large);
        QCOMPARE(background, cells - small - large);
        QCOMPARE(scales.plots().front()->plottableCount(), 4); // before and after L2Norm, each object and background
        scales.resize(1000, 600);
        scales.show();
        scales.refreshNow();
        savePicture(scales, QStringLiteral("layer-scales-object-background"));

        // An image without boxes offers no split.
        model.setCurrentIndex(1);
        panel.refreshNow();
        QVERIFY(!panel.regionBox()->isEnabled());
        QCOMPARE(panel.series().size(), size_t(1));
        scales.refreshNow();
        QVERIFY(!scales.regionBox()->isEnabled());
    }

    void malformedFileNamedNeverFatal()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QVERIFY(test::writeFile(bad, QByteArray("{\"images\": [{\"id\": 1, \"file_name\": ")));
        AppModel model;
        m_fixture->load(model);
        AnnotationStore store;
        ImagesPanel panel(&model);
        panel.setAnnotationStore(&store);
        QSignalSpy messages(&panel, &ImagesPanel::message);
        store.load(bad);
        QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 20000);
        const QString all = messages.last().at(0).toString() + QLatin1Char('\n') + messages.last().at(1).toString();
        QVERIFY2(all.contains(QStringLiteral("bad.json")), qPrintable(all));
        // A missing path is the same: a message naming it, the earlier state kept.
        messages.clear();
        store.load(dir.filePath(QStringLiteral("missing.json")));
        QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), 20000);
        QVERIFY2(messages.last().at(1).toString().contains(QStringLiteral("missing.json")) ||
                     messages.last().at(0).toString().contains(QStringLiteral("missing.json")),
                 qPrintable(messages.last().at(1).toString()));
    }

    void priorGridIsThePublishedSsd300Grid()
    {
        AppModel model;
        m_fixture->load(model);
        ImageView view(&model);
        QCheckBox* priors = view.annotationOverlay()->priorsToggle();
        // ssd.pytorch's voc config: conv4_3 38 × 38 at step 8, fc7 19 × 19 at step 16.
        model.setSelectedLayer("conv4_3");
        QVERIFY(priors->isEnabled());
        priors->setChecked(true);
        QCOMPARE(view.canvas()->priorDotCount(), 38 * 38);
        view.resize(700, 600);
        view.show();
        QTest::qWait(50);
        savePicture(view, QStringLiteral("image-prior-grid-conv4_3"));
        model.setSelectedLayer("fc7");
        QCOMPARE(view.canvas()->priorDotCount(), 19 * 19);
        model.setSelectedLayer("conv5_3"); // feeds no SSD prior
        QVERIFY(!priors->isEnabled());
        QCOMPARE(view.canvas()->priorDotCount(), 0);
    }

    void energyShareSentenceFollowsGamma()
    {
        AppModel model;
        m_fixture->load(model);
        ConcatPanel panel(&model);
        panel.refreshNow();
        // conv4_3's share at each of its cells, fc7 read at the cell under that cell's centre (proportional map).
        const an::ImageResult& r = *m_fixture->results[0];
        const an::NormMap& n4 = r.find("conv4_3")->before;
        const an::NormMap& n7 = r.find("fc7")->before;
        std::vector<double> shares;
        for (int y = 0; y < n4.height; ++y)
            for (int x = 0; x < n4.width; ++x) {
                const int x7 = static_cast<int>(std::floor((x + 0.5) * n7.width / n4.width));
                const int y7 = static_cast<int>(std::floor((y + 0.5) * n7.height / n4.height));
                const double a = std::pow(n4.at(y, x), 2), b = std::pow(n7.at(y7, x7), 2);
                if (a + b > 0)
                    shares.push_back(a / (a + b));
            }
        QVERIFY(!shares.empty());
        std::sort(shares.begin(), shares.end());
        const double median = shares[shares.size() / 2];
        const QString sentence = panel.energyShareText();
        QVERIFY2(sentence.startsWith(QStringLiteral("conv4_3 carries ")), qPrintable(sentence));
        const QString before = sentence.section(QStringLiteral(" carries "), 1).section(QStringLiteral(" %"), 0, 0);
        QVERIFY2(std::abs(before.toDouble() - 100 * median) <= 1.0,
                 qPrintable(sentence + QStringLiteral(" vs ") + QString::number(100 * median)));

        QElapsedTimer timer;
        timer.start();
        constexpr int kRepeats = 20;
        for (int i = 0; i < kRepeats; ++i) {
            model.setUniformGamma("conv4_3", 1.0f + static_cast<float>(i));
            panel.refreshNow();
        }
        qInfo("gamma step with the energy share: %.2f ms", static_cast<double>(timer.elapsed()) / kRepeats);

        // γ → 1e-4: conv4_3's after-norm is 1e-4 everywhere, far below fc7's, so its after share → 0.
        model.setUniformGamma("conv4_3", 1e-4f);
        panel.refreshNow();
        const QString small = panel.energyShareText();
        QVERIFY2(small != sentence, qPrintable(small));
        QVERIFY2(small.endsWith(QStringLiteral(", 0 % after")), qPrintable(small));
        QVERIFY2(small.startsWith(QStringLiteral("conv4_3 carries ") + before + QStringLiteral(" %")),
                 qPrintable(small));
    }

private:
    std::unique_ptr<test::AnalysedPhotos> m_fixture;
};

QTEST_MAIN(TestAnnotationsView)
#include "annotations_view_test.moc"
