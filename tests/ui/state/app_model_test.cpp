// SPDX-License-Identifier: GPL-3.0-or-later
// AppModel on hand-made results: gamma updates, cell geometry, aggregates, pin, cache budget.
// The FeatureCache here is a test double whose numbers are computed by hand in each test.
#include "after_result.h"
#include "ui/state/app_model.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

/// x̂ of one normalized layer stored explicitly; after() is ||gamma ⊙ x̂|| per location.
class FakeCache : public an::FeatureCache {
public:
    FakeCache(std::string layer, int h, int w, int c, std::vector<float> xhat, std::size_t bytes = 1000)
        : m_layer(std::move(layer)), m_h(h), m_w(w), m_c(c), m_xhat(std::move(xhat)), m_bytes(bytes)
    { }
    an::AfterResult after(const std::string& layer, const std::vector<float>& gamma,
                          const an::BinScheme& bins) const override
    {
        ++calls;
        std::vector<float> norms;
        for (int i = 0; i < m_h * m_w; ++i) {
            double s = 0;
            for (int c = 0; c < m_c; ++c) {
                const double v = gamma[c] * m_xhat[static_cast<size_t>(i) * m_c + c];
                s += v * v;
            }
            norms.push_back(static_cast<float>(std::sqrt(s)));
        }
        return test::afterResultOf(layer, m_h, m_w, std::move(norms), bins);
    }
    std::vector<std::string> normalizedLayers() const override { return {m_layer}; }
    std::vector<float> normalizedAt(const std::string&, int y, int x) const override
    {
        const auto* p = &m_xhat[(static_cast<size_t>(y) * m_w + x) * m_c];
        return {p, p + m_c};
    }
    std::vector<float> activationAt(const std::string&, int, int) const override { return {}; }
    an::NormalizedSquares normalizedSquares(const std::string&) const override
    {
        an::NormalizedSquares out;
        out.rows = m_h * m_w;
        out.cols = m_c;
        for (float v : m_xhat)
            out.values.push_back(v * v);
        return out;
    }
    std::size_t bytes() const override { return m_bytes; }
    mutable int calls = 0;

private:
    std::string m_layer;
    int m_h, m_w, m_c;
    std::vector<float> m_xhat;
    std::size_t m_bytes;
};

an::NormMap map(const std::string& layer, int h, int w, std::vector<float> v)
{
    an::NormMap m;
    m.layer = layer;
    m.height = h;
    m.width = w;
    m.values = std::move(v);
    return m;
}

an::LayerResult layerResult(const an::NormMap& before, int channels, bool normalized)
{
    an::LayerResult lr;
    lr.layer = before.layer;
    lr.channels = channels;
    lr.before = before;
    lr.beforeStats = an::LayerStats::of(before.values);
    lr.beforeHist = an::Histogram(an::BinScheme{});
    lr.beforeHist.addAll(before.values);
    lr.normalized = normalized;
    return lr;
}

/// A 2-channel "conv4_3" (1x2 cells) with x̂ = (1,0) and (0.6,0.8), plus a 1x1 "fc7".
an::ImageResult makeResult(const std::string& path, int ow, int oh, std::size_t cacheBytes = 1000,
                           std::shared_ptr<FakeCache>* cacheOut = nullptr)
{
    an::ImageResult r;
    r.path = path;
    r.originalWidth = ow;
    r.originalHeight = oh;
    r.inputWidth = r.inputHeight = 300;
    auto conv = layerResult(map("conv4_3", 1, 2, {50.f, 100.f}), 2, true);
    conv.after = map("conv4_3", 1, 2, {20.f, 20.f}); // what the engine computed with gamma 20
    conv.afterStats = an::LayerStats::of(conv.after.values);
    conv.afterHist = an::Histogram(an::BinScheme{});
    conv.afterHist.addAll(conv.after.values);
    r.layers.push_back(conv);
    r.layers.push_back(layerResult(map("fc7", 1, 1, {2.f}), 4, false));
    auto cache = std::make_shared<FakeCache>("conv4_3", 1, 2, 2, std::vector<float>{1.f, 0.f, 0.6f, 0.8f}, cacheBytes);
    if (cacheOut)
        *cacheOut = cache;
    r.cache = cache;
    return r;
}

AppModel::EngineInfo engine()
{
    AppModel::EngineInfo e;
    e.run.weights.displayName = "default (untrained, seed 0)";
    e.run.weights.untrained = true;
    e.run.layers = {"conv4_3", "fc7"};
    e.run.l2normLayers = {"conv4_3"};
    e.channels = {{"conv4_3", 2}, {"fc7", 4}};
    e.run.gamma = {{"conv4_3", {20.f, 20.f}}};
    return e;
}

std::map<std::string, std::vector<float>> gamma20() { return {{"conv4_3", {20.f, 20.f}}}; }

} // namespace

class AppModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resultKeepsCacheOutsideTheResult()
    {
        AppModel m;
        m.setEngine(engine());
        QCOMPARE(m.addImages({"a.jpg", "b.jpg", "a.jpg"}), 2); // duplicates are skipped
        QCOMPARE(m.currentIndex(), 0);
        QSignalSpy ready(&m, &AppModel::resultReady);
        m.setImageResult(0, makeResult("a.jpg", 640, 480), gamma20());
        QCOMPARE(ready.count(), 1);
        QVERIFY(m.image(0).result);
        QVERIFY(!m.image(0).result->cache); // stripped: the list keeps stats, not features
        QVERIFY(m.cache(0));
        QCOMPARE(toString(m.image(0).state), toString(ImageState::Done));
    }

    void afterFollowsGammaWithoutRerun()
    {
        AppModel m;
        m.setEngine(engine());
        m.addImages({"a.jpg"});
        m.setImageResult(0, makeResult("a.jpg", 640, 480), gamma20());
        // gamma 20: ||20·(1,0)|| = 20 and ||20·(0.6,0.8)|| = 20
        const an::NormMap* after = m.normMap(0, "conv4_3", Stage::After);
        QVERIFY(after);
        QCOMPARE(after->values[0], 20.f);
        QCOMPARE(after->values[1], 20.f);

        QSignalSpy gammaSpy(&m, &AppModel::gammaChanged);
        QSignalSpy afterSpy(&m, &AppModel::afterChanged);
        QVERIFY(m.setGamma("conv4_3", {3.f, 4.f}));
        QCOMPARE(gammaSpy.count(), 1);
        QCOMPARE(afterSpy.count(), 1);
        // by hand: (3·1, 4·0) -> 3; (3·0.6, 4·0.8) = (1.8, 3.2) -> sqrt(3.24 + 10.24) = 3.67151
        after = m.normMap(0, "conv4_3", Stage::After);
        QCOMPARE(after->values[0], 3.f);
        QVERIFY(std::abs(after->values[1] - 3.6715120f) < 1e-5f);
        QVERIFY(std::abs(m.stats(0, "conv4_3", Stage::After)->max - 3.6715120) < 1e-5);
        QVERIFY(m.currentAfter("conv4_3"));
        QCOMPARE(m.histogram(0, "conv4_3", Stage::After)->total(), 2u);

        // uniform gamma g puts every unit vector at norm g
        m.setUniformGamma("conv4_3", 7.5f);
        QCOMPARE(m.stats(0, "conv4_3", Stage::After)->p50, 7.5);

        // wrong size or non-finite gamma is refused and changes nothing
        const quint64 rev = m.gammaRevision();
        QVERIFY(!m.setGamma("conv4_3", {1.f}));
        QVERIFY(!m.setGamma("conv4_3", {1.f, NAN}));
        QVERIFY(!m.setGamma("fc7", {1.f, 1.f, 1.f, 1.f})); // not normalized
        QCOMPARE(m.gammaRevision(), rev);
        QCOMPARE(m.gamma("conv4_3"), (std::vector<float>{7.5f, 7.5f}));

        // non-normalized layers have no after stage; before is the engine's map as is
        QVERIFY(!m.normMap(0, "fc7", Stage::After));
        QCOMPARE(m.normMap(0, "fc7", Stage::Before)->values[0], 2.f);
    }

    void cellGeometryIsProportional()
    {
        const an::ImageResult r = makeResult("a.jpg", 640, 480);
        // conv4_3 here is 1 row x 2 columns over 640x480: columns split at x = 320
        QCOMPARE(AppModel::cellAt(r, "conv4_3", {0, 0}), QPoint(0, 0));
        QCOMPARE(AppModel::cellAt(r, "conv4_3", {319.9, 479}), QPoint(0, 0));
        QCOMPARE(AppModel::cellAt(r, "conv4_3", {320, 100}), QPoint(1, 0));
        QCOMPARE(AppModel::cellAt(r, "conv4_3", {639.5, 479.5}), QPoint(1, 0));
        QCOMPARE(AppModel::cellAt(r, "conv4_3", {640, 10}), QPoint(-1, -1));
        QCOMPARE(AppModel::cellAt(r, "conv4_3", {-0.5, 10}), QPoint(-1, -1));
        QCOMPARE(AppModel::cellAt(r, "nope", {1, 1}), QPoint(-1, -1));
        QCOMPARE(AppModel::cellRect(r, "conv4_3", {1, 0}), QRectF(320, 0, 320, 480));

        an::ImageResult big = r;
        big.layers[0].before = map("conv4_3", 38, 38, std::vector<float>(38 * 38, 1.f));
        // 38 cells over 640 px: floor(100 * 38 / 640) = 5, floor(400 * 38 / 480) = 31
        QCOMPARE(AppModel::cellAt(big, "conv4_3", {100, 400}), QPoint(5, 31));
    }

    void aggregateMergesExactCounts()
    {
        AppModel m;
        m.setEngine(engine());
        m.addImages({"a.jpg", "b.jpg", "c.jpg"});
        m.setImageResult(0, makeResult("a.jpg", 640, 480), gamma20());
        an::ImageResult b = makeResult("b.jpg", 100, 100);
        b.layers[0].before = map("conv4_3", 1, 2, {5.f, 500.f});
        b.layers[0].beforeStats = an::LayerStats::of(b.layers[0].before.values);
        b.layers[0].beforeHist = an::Histogram(an::BinScheme{});
        b.layers[0].beforeHist.addAll(b.layers[0].before.values);
        m.setImageResult(1, std::move(b), gamma20());
        m.setImageState(2, ImageState::Failed, "c.jpg: not an image");

        const Aggregate agg = m.aggregate("conv4_3", Stage::Before);
        QCOMPARE(agg.images, 2); // the failed image contributes nothing
        QCOMPARE(agg.stats.count, 4u);
        QCOMPARE(agg.stats.min, 5.0);
        QCOMPARE(agg.stats.max, 500.0);
        QCOMPARE(agg.stats.sum, 655.0);
        QCOMPARE(agg.hist.total(), 4u);
        QVERIFY(agg.stats.percentilesFromHistogram);

        m.setUniformGamma("conv4_3", 2.f);
        const Aggregate after = m.aggregate("conv4_3", Stage::After);
        QCOMPARE(after.images, 2);
        QCOMPARE(after.staleImages, 0);
        QCOMPARE(after.stats.min, 2.0);
        QCOMPARE(after.stats.max, 2.0);
        // every norm is 2: so is every percentile (the bin holding 2 reaches 2.24)
        QCOMPARE(after.stats.p1, 2.0);
        QCOMPARE(after.stats.p50, 2.0);
        QCOMPARE(after.stats.p99, 2.0);
    }

    void pinKeepsRelativePositionAcrossImages()
    {
        AppModel m;
        m.setEngine(engine());
        m.addImages({"a.jpg", "b.jpg"});
        m.setImageResult(0, makeResult("a.jpg", 200, 100), gamma20());
        m.setImageResult(1, makeResult("b.jpg", 400, 400), gamma20());
        QSignalSpy pinSpy(&m, &AppModel::pinChanged);
        m.setPin({50, 25});
        QCOMPARE(pinSpy.count(), 1);
        QCOMPARE(*m.pin(), QPointF(50, 25));
        QCOMPARE(*m.pinRelative(), QPointF(0.25, 0.25));
        m.setCurrentIndex(1);
        QCOMPARE(*m.pin(), QPointF(100, 100));
        m.clearPin();
        QVERIFY(!m.pin());
    }

    void highlightAndSelection()
    {
        AppModel m;
        QSignalSpy h(&m, &AppModel::highlightChanged);
        m.setHighlight({"conv4_3", Stage::Before, 10, 20});
        QCOMPARE(h.count(), 1);
        QVERIFY(m.highlight().valid());
        m.clearHighlight();
        QVERIFY(!m.highlight().valid());
        m.setEngine(engine());
        QCOMPARE(m.selectedLayer(), std::string("conv4_3")); // first analysed tap by default
    }

    void cacheBudgetKeepsCurrentAndAsksForMissingCaches()
    {
        AppModel m;
        m.setEngine(engine());
        m.setCacheBudget(1500); // room for one non-current cache of 1000 bytes
        m.addImages({"a.jpg", "b.jpg", "c.jpg"});
        for (int i = 0; i < 3; ++i)
            m.setImageResult(i, makeResult(m.image(i).path.toStdString(), 10, 10), gamma20());
        // current (a) always kept; of b and c only the most recent one fits
        QVERIFY(m.cache(0));
        QVERIFY(!m.cache(1));
        QVERIFY(m.cache(2));
        QCOMPARE(m.cacheBytes(), std::size_t(2000));
        QVERIFY(m.image(1).result); // statistics and maps stay

        // a dropped cache: after-data fall back to the engine's stored ones, flagged as stale
        m.setUniformGamma("conv4_3", 3.f);
        QVERIFY(!m.afterIsCurrent(1));
        QCOMPARE(m.normMap(1, "conv4_3", Stage::After)->values[0], 20.f);
        QCOMPARE(m.aggregate("conv4_3", Stage::After).staleImages, 1);

        QSignalSpy needed(&m, &AppModel::cacheNeeded);
        m.setCurrentIndex(1);
        QCOMPARE(needed.count(), 1);
        QCOMPARE(needed.front().front().toInt(), 1);
    }

    void removingImagesKeepsTheCurrentOne()
    {
        AppModel m;
        m.addImages({"a.jpg", "b.jpg", "c.jpg", "d.jpg"});
        m.setCurrentIndex(2);
        m.removeImages({0, 1});
        QCOMPARE(m.imageCount(), 2);
        QCOMPARE(m.currentIndex(), 0);
        QCOMPARE(m.image(0).path, QString("c.jpg"));
        m.removeImages({0});
        QCOMPARE(m.currentIndex(), 0);
        QCOMPARE(m.image(0).path, QString("d.jpg"));
        QSignalSpy current(&m, &AppModel::currentChanged);
        m.clearImages();
        QCOMPARE(m.imageCount(), 0);
        QCOMPARE(m.currentIndex(), -1);
        QCOMPARE(current.count(), 1);
    }

    void failedImageDropsItsResult()
    {
        AppModel m;
        m.setEngine(engine());
        m.addImages({"a.jpg"});
        m.setImageResult(0, makeResult("a.jpg", 10, 10), gamma20());
        m.setImageState(0, ImageState::Failed, "a.jpg: truncated");
        QVERIFY(!m.image(0).result);
        QVERIFY(!m.normMap(0, "conv4_3", Stage::Before));
        QCOMPARE(m.image(0).error, QString("a.jpg: truncated"));
    }

    void gammaSurvivesRerunWithSameWeightsOnly()
    {
        AppModel m;
        m.setEngine(engine());
        m.setUniformGamma("conv4_3", 5.f);
        m.setEngine(engine()); // same weights: the user's gamma stays
        QCOMPARE(m.gamma("conv4_3"), (std::vector<float>{5.f, 5.f}));
        auto other = engine();
        other.run.weights.path = "/tmp/other.pth";
        other.run.weights.sha256 = "abc";
        other.run.gamma = {{"conv4_3", {9.f, 10.f}}};
        m.setEngine(other); // new weights: their gamma
        QCOMPARE(m.gamma("conv4_3"), (std::vector<float>{9.f, 10.f}));
        m.setPendingGamma({{"conv4_3", {1.f, 2.f}}});
        m.setEngine(other); // a session's gamma wins once
        QCOMPARE(m.gamma("conv4_3"), (std::vector<float>{1.f, 2.f}));
    }
};

QTEST_MAIN(AppModelTest)
#include "app_model_test.moc"
