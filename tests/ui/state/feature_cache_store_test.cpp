// SPDX-License-Identifier: GPL-3.0-or-later
// FeatureCacheStore: the LRU byte budget over per-image FeatureCaches (sizes chosen by hand), the
// current image's cache never dropped, after-data memoised per gamma revision (calls counted),
// slots shifting with the image list, and after-values checked against L2Norm worked out by hand.
// The FeatureCache here is a test double holding raw activations x; its after() applies
// x/||x|| * gamma itself, so the store's routing (which image, which layer, which gamma, which
// bins) is what the hand-computed numbers check.
#include "after_result.h"
#include "ui/state/app_model.h"
#include "ui/state/feature_cache_store.h"
#include "ui/state/image_commands.h"

#include <QTest>
#include <QUndoStack>

#include <cmath>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

/// Raw activations of normalized layers, location-major (x[cell * channels + c]); counts after().
class RawCache : public an::FeatureCache {
public:
    struct Layer {
        int h = 1, w = 1, c = 1;
        std::vector<float> x;
    };
    RawCache(std::map<std::string, Layer> layers, std::size_t bytes) : m_layers(std::move(layers)), m_bytes(bytes) { }

    an::AfterResult after(const std::string& layer, const std::vector<float>& gamma,
                          const an::BinScheme& bins) const override
    {
        ++calls[layer];
        const Layer& l = m_layers.at(layer);
        std::vector<float> norms;
        for (int i = 0; i < l.h * l.w; ++i) {
            const float* x = &l.x[static_cast<std::size_t>(i) * l.c];
            double norm = 0;
            for (int c = 0; c < l.c; ++c)
                norm += double(x[c]) * x[c];
            norm = std::sqrt(norm);
            double s = 0;
            for (int c = 0; c < l.c; ++c) {
                const double v = norm > 0 ? gamma[c] * x[c] / norm : 0.0;
                s += v * v;
            }
            norms.push_back(static_cast<float>(std::sqrt(s)));
        }
        return test::afterResultOf(layer, l.h, l.w, std::move(norms), bins);
    }
    std::vector<std::string> normalizedLayers() const override
    {
        std::vector<std::string> out;
        for (const auto& [name, l] : m_layers)
            out.push_back(name);
        return out;
    }
    std::vector<float> normalizedAt(const std::string&, int, int) const override { return {}; }
    std::vector<float> activationAt(const std::string&, int, int) const override { return {}; }
    an::NormalizedSquares normalizedSquares(const std::string&) const override { return {}; }
    std::size_t bytes() const override { return m_bytes; }

    int callsOf(const std::string& layer) const
    {
        const auto it = calls.find(layer);
        return it == calls.end() ? 0 : it->second;
    }
    mutable std::map<std::string, int> calls;

private:
    std::map<std::string, Layer> m_layers;
    std::size_t m_bytes;
};

/// A cache of `bytes` bytes with a one-cell "conv4_3" of x = (3, 4).
std::shared_ptr<RawCache> sized(std::size_t bytes)
{
    return std::make_shared<RawCache>(std::map<std::string, RawCache::Layer>{{"conv4_3", {1, 1, 2, {3.f, 4.f}}}},
                                      bytes);
}

an::BinScheme linear0to10()
{
    an::BinScheme s;
    s.kind = an::BinScheme::Kind::Linear;
    s.lo = 0;
    s.hi = 10;
    s.bins = 10;
    return s;
}

/// What the engine records for a normalized layer: its channel count and after-histogram scheme.
an::ImageResult resultOf(const std::map<std::string, int>& channels, const an::BinScheme& bins = linear0to10())
{
    an::ImageResult r;
    for (const auto& [layer, c] : channels) {
        an::LayerResult lr;
        lr.layer = layer;
        lr.channels = c;
        lr.normalized = true;
        lr.afterHist = an::Histogram(bins);
        r.layers.push_back(lr);
    }
    return r;
}

/// conv4_3 1x2 cells, x = (3, 4) and (0, -2); fc7 1x1, x = (1, 2, 2).
std::shared_ptr<RawCache> twoLayers(std::size_t bytes = 1000)
{
    return std::make_shared<RawCache>(
        std::map<std::string, RawCache::Layer>{
            {"conv4_3", {1, 2, 2, {3.f, 4.f, 0.f, -2.f}}},
            {"fc7", {1, 1, 3, {1.f, 2.f, 2.f}}},
        },
        bytes);
}

bool near(double a, double b) { return std::abs(a - b) < 1e-5; }

/// First value of after-data or a norm map; NaN (never near anything) when absent, so a missing
/// result fails the comparison instead of crashing the suite.
double first(const an::AfterResult* a) { return a && !a->after.values.empty() ? a->after.values[0] : NAN; }
double first(const an::NormMap* m) { return m && !m->values.empty() ? m->values[0] : NAN; }
double maxOf(const an::AfterResult* a) { return a ? a->stats.max : NAN; }

/// A result AppModel accepts: a normalized 2-channel conv4_3 (1x1) with the engine's after-data.
an::ImageResult modelResult(const std::string& path, std::shared_ptr<const an::FeatureCache> cache)
{
    an::ImageResult r = resultOf({{"conv4_3", 2}}, an::BinScheme{});
    r.path = path;
    r.originalWidth = r.originalHeight = 10;
    an::LayerResult& lr = r.layers[0];
    lr.before.layer = lr.after.layer = "conv4_3";
    lr.before.height = lr.before.width = lr.after.height = lr.after.width = 1;
    lr.before.values = {5.f};
    lr.after.values = {20.f};
    lr.beforeStats = an::LayerStats::of(lr.before.values);
    lr.afterStats = an::LayerStats::of(lr.after.values);
    lr.beforeHist = an::Histogram(an::BinScheme{});
    lr.afterHist.addAll(lr.after.values);
    r.cache = std::move(cache);
    return r;
}

AppModel::EngineInfo engine()
{
    AppModel::EngineInfo e;
    e.run.layers = {"conv4_3"};
    e.run.l2normLayers = {"conv4_3"};
    e.channels = {{"conv4_3", 2}};
    e.run.gamma = {{"conv4_3", {20.f, 20.f}}};
    return e;
}

} // namespace

class FeatureCacheStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void afterValuesAreL2NormTimesGamma()
    {
        FeatureCacheStore store;
        store.insert(0);
        store.setCache(0, twoLayers());
        const an::ImageResult r = resultOf({{"conv4_3", 2}, {"fc7", 3}});
        const FeatureCacheStore::Gamma gamma{{"conv4_3", {10.f, 5.f}}, {"fc7", {6.f, 3.f, 0.f}}};
        const auto* after = store.after(0, r, gamma, /*revision=*/1);
        QVERIFY(after);
        QCOMPARE(after->size(), std::size_t(2));

        // conv4_3: (3,4)/5 = (0.6,0.8) -> ⊙(10,5) = (6,4) -> sqrt(52) = 7.2111026;
        //          (0,-2)/2 = (0,-1)   -> ⊙(10,5) = (0,-5) -> 5
        const an::AfterResult& conv = after->at("conv4_3");
        QCOMPARE(conv.after.height, 1);
        QCOMPARE(conv.after.width, 2);
        QVERIFY(near(conv.after.values[0], 7.2111026));
        QVERIFY(near(conv.after.values[1], 5.0));
        QVERIFY(near(conv.stats.min, 5.0));
        QVERIFY(near(conv.stats.max, 7.2111026));
        QCOMPARE(conv.stats.count, 2u);
        // binned with the result's after-histogram scheme (linear 0..10, unit bins): 5 and 7.2
        QVERIFY(conv.hist.scheme == linear0to10());
        QCOMPARE(conv.hist.counts.size(), std::size_t(10));
        QCOMPARE(conv.hist.counts[5], 1u);
        QCOMPARE(conv.hist.counts[7], 1u);
        // fc7: (1,2,2)/3 -> ⊙(6,3,0) = (2,2,0) -> sqrt(8) = 2.8284271
        QVERIFY(near(after->at("fc7").after.values[0], 2.8284271));
        QVERIFY(near(maxOf(store.after(0, "fc7", r, gamma, 1)), 2.8284271));

        // a layer whose gamma is missing or has the wrong channel count gets no after-data here
        // (the result's stored ones apply); the other layer is still served
        const FeatureCacheStore::Gamma partial{{"conv4_3", {1.f, 1.f}}, {"fc7", {1.f, 1.f}}};
        QVERIFY(!store.after(0, "fc7", r, partial, 2));
        QVERIFY(near(first(store.after(0, "conv4_3", r, partial, 2)), 1.0));
        QVERIFY(!store.after(0, "fc7", r, {{"conv4_3", {1.f, 1.f}}}, 3));
        // and a layer the result does not record as analysed
        QVERIFY(!store.after(0, "fc7", resultOf({{"conv4_3", 2}}), gamma, 4));
    }

    void afterIsRecomputedExactlyWhenTheRevisionChanges()
    {
        FeatureCacheStore store;
        store.insert(0);
        store.insert(1);
        auto a = twoLayers();
        auto b = twoLayers();
        store.setCache(0, a);
        store.setCache(1, b);
        const an::ImageResult r = resultOf({{"conv4_3", 2}, {"fc7", 3}});
        FeatureCacheStore::Gamma gamma{{"conv4_3", {10.f, 5.f}}, {"fc7", {6.f, 3.f, 0.f}}};

        const auto* memo = store.after(0, r, gamma, 7);
        QCOMPARE(a->callsOf("conv4_3"), 1);
        QCOMPARE(a->callsOf("fc7"), 1);
        // same revision: the memo, even when asked per layer
        QCOMPARE(store.after(0, r, gamma, 7), memo);
        store.after(0, "conv4_3", r, gamma, 7);
        store.after(0, "fc7", r, gamma, 7);
        QCOMPARE(a->callsOf("conv4_3"), 1);
        QCOMPARE(a->callsOf("fc7"), 1);
        QCOMPARE(b->callsOf("conv4_3"), 0); // image 1 is computed only when asked for

        // a new revision with the new gamma: recomputed, with the new values (3·0.6, 4·0.8) -> 3.6715
        gamma["conv4_3"] = {3.f, 4.f};
        QVERIFY(near(first(store.after(0, "conv4_3", r, gamma, 8)), 3.6715120));
        QCOMPARE(a->callsOf("conv4_3"), 2);
        QCOMPARE(a->callsOf("fc7"), 2);
        store.after(0, r, gamma, 8);
        QCOMPARE(a->callsOf("conv4_3"), 2);

        // the revision alone decides: a gamma changed without a new revision is not seen
        gamma["conv4_3"] = {1.f, 1.f};
        QVERIFY(near(first(store.after(0, "conv4_3", r, gamma, 8)), 3.6715120));
        QCOMPARE(a->callsOf("conv4_3"), 2);

        // a new cache (a new result) is recomputed at the same revision
        store.setCache(0, a);
        QVERIFY(near(first(store.after(0, "conv4_3", r, gamma, 8)), 1.0));
        QCOMPARE(a->callsOf("conv4_3"), 3);

        // without a cache there is nothing to compute
        store.drop(0);
        QVERIFY(!store.after(0, r, gamma, 8));
        QVERIFY(!store.after(0, r, gamma, 9));
        QCOMPARE(a->callsOf("conv4_3"), 3);
    }

    void budgetDropsLeastRecentlyUsedCaches()
    {
        FeatureCacheStore store;
        for (int i = 0; i < 5; ++i)
            store.insert(i);
        store.setBudget(700); // for the caches of the images not on screen
        store.setCurrent(0);
        store.setCache(0, sized(100));
        store.setCache(1, sized(200));
        store.setCache(2, sized(300)); // non-current: 200 + 300 = 500
        QCOMPARE(store.bytes(), std::size_t(600));
        store.setCache(3, sized(400)); // 900 > 700: the oldest (1) goes, 700 fits
        QVERIFY(store.cache(0));
        QVERIFY(!store.cache(1));
        QVERIFY(store.cache(2));
        QVERIFY(store.cache(3));
        QCOMPARE(store.bytes(), std::size_t(800));

        // viewing 2 makes it the most recently used, although 3 arrived later
        store.setCurrent(2); // non-current 0 + 3 = 500
        store.setCurrent(0); // non-current 2 + 3 = 700
        QVERIFY(store.cache(2));
        QVERIFY(store.cache(3));
        store.setCache(4, sized(250)); // 300 + 400 + 250 = 950: 3 goes (550), 2 stays
        QVERIFY(store.cache(2));
        QVERIFY(!store.cache(3));
        QVERIFY(store.cache(4));
        QCOMPARE(store.bytes(), std::size_t(100 + 300 + 250));

        // a smaller budget drops the oldest first: 2 (300) then nothing more (250 <= 300)
        store.setBudget(300);
        QVERIFY(!store.cache(2));
        QVERIFY(store.cache(4));
        QCOMPARE(store.bytes(), std::size_t(350));
        store.setBudget(0);
        QCOMPARE(store.bytes(), std::size_t(100));
        QCOMPARE(store.budget(), std::size_t(0));
    }

    void currentCacheIsNeverDropped()
    {
        FeatureCacheStore store;
        store.insert(0);
        store.insert(1);
        store.setBudget(0);
        store.setCurrent(1);
        store.setCache(0, sized(100)); // not on screen, over the budget: dropped at once
        QVERIFY(!store.cache(0));
        store.setCache(1, sized(5000)); // on screen: kept, however large
        QVERIFY(store.cache(1));
        QCOMPARE(store.bytes(), std::size_t(5000));
        store.setBudget(0);
        QVERIFY(store.cache(1));

        // its after-data survive the other image's eviction too
        const an::ImageResult r = resultOf({{"conv4_3", 2}});
        auto current = std::static_pointer_cast<const RawCache>(store.cache(1));
        store.after(1, r, {{"conv4_3", {1.f, 1.f}}}, 1);
        store.setCache(0, sized(100));
        store.after(1, r, {{"conv4_3", {1.f, 1.f}}}, 1);
        QCOMPARE(current->callsOf("conv4_3"), 1);

        // once another image is current, the budget applies to it
        store.setCurrent(0);
        QVERIFY(!store.cache(1));
        store.setCurrent(-1);
        QCOMPARE(store.current(), -1);
        QCOMPARE(store.bytes(), std::size_t(0));
    }

    void slotsShiftWhenAnImageIsRemovedAndRestored()
    {
        FeatureCacheStore store;
        std::vector<std::shared_ptr<RawCache>> c{sized(100), sized(200), sized(300), sized(400)};
        for (int i = 0; i < 4; ++i) {
            store.insert(i);
            store.setCache(i, c[static_cast<std::size_t>(i)]);
        }
        store.setCurrent(2);
        const an::ImageResult r = resultOf({{"conv4_3", 2}});
        const FeatureCacheStore::Gamma gamma{{"conv4_3", {10.f, 5.f}}};
        store.after(2, r, gamma, 1);
        store.after(3, r, gamma, 1);

        store.erase(1); // remove image 1: 2 and 3 move down, with their memo and recency
        QCOMPARE(store.size(), 3);
        QCOMPARE(store.current(), 1);
        QVERIFY(store.cache(0) == c[0]);
        QVERIFY(store.cache(1) == c[2]);
        QVERIFY(store.cache(2) == c[3]);
        // (3,4)/5 ⊙ (10,5) = (6,4) -> sqrt(52), memoised before the removal
        QVERIFY(near(first(store.after(1, "conv4_3", r, gamma, 1)), 7.2111026));
        QVERIFY(near(first(store.after(2, "conv4_3", r, gamma, 1)), 7.2111026));
        QCOMPARE(c[2]->callsOf("conv4_3"), 1);
        QCOMPARE(c[3]->callsOf("conv4_3"), 1);

        store.insert(1); // undo: image 1 back, without its cache (refreshed on demand)
        QCOMPARE(store.size(), 4);
        QCOMPARE(store.current(), 2);
        QVERIFY(!store.cache(1));
        QVERIFY(!store.after(1, r, gamma, 1));
        QVERIFY(store.cache(2) == c[2]);
        QVERIFY(store.cache(3) == c[3]);
        store.after(2, r, gamma, 1);
        store.after(3, r, gamma, 1);
        QCOMPARE(c[2]->callsOf("conv4_3"), 1);
        QCOMPARE(c[3]->callsOf("conv4_3"), 1);

        // recency moved with the slots: used oldest first 0, 3, then 1 (refreshed now)
        store.setCache(1, c[1]); // non-current 100 + 200 + 400 = 700
        store.setBudget(600);    // 0 (100) is the least recently used
        QVERIFY(!store.cache(0));
        QVERIFY(store.cache(1));
        QVERIFY(store.cache(3));
        store.setBudget(200); // then 3 (400); 1 (200) fits
        QVERIFY(!store.cache(3));
        QVERIFY(store.cache(1));

        // removing the current image leaves none; inserting before it shifts it
        store.insert(0);
        QCOMPARE(store.current(), 3);
        store.erase(3);
        QCOMPARE(store.current(), -1);
        store.clear();
        QCOMPARE(store.size(), 0);
        QCOMPARE(store.bytes(), std::size_t(0));
    }

    void modelRecomputesOnlyWhenGammaChanges()
    {
        AppModel m;
        m.setEngine(engine());
        m.addImages({"a.jpg", "b.jpg"});
        auto a = sized(1000);
        auto b = sized(1000);
        m.setImageResult(0, modelResult("a.jpg", a));
        m.setImageResult(1, modelResult("b.jpg", b));
        QCOMPARE(a->callsOf("conv4_3"), 1); // a is current: computed eagerly
        QCOMPARE(b->callsOf("conv4_3"), 0); // b only when asked for

        // (3,4)/5 ⊙ (20,20) -> 20
        QVERIFY(near(first(m.normMap(0, "conv4_3", Stage::After)), 20.0));
        m.stats(0, "conv4_3", Stage::After);
        m.histogram(0, "conv4_3", Stage::After);
        m.currentAfter("conv4_3");
        m.setSelectedLayer("conv4_3");
        m.setPinRelative({0.5, 0.5});
        m.setHighlight({"conv4_3", Stage::After, 1, 2});
        QVERIFY(!m.setGamma("conv4_3", {1.f})); // refused: no new revision
        QCOMPARE(a->callsOf("conv4_3"), 1);

        // (0.6, 0.8) ⊙ (10, 5) = (6, 4) -> sqrt(52)
        QVERIFY(m.setGamma("conv4_3", {10.f, 5.f}));
        QCOMPARE(a->callsOf("conv4_3"), 2);
        QVERIFY(near(first(m.normMap(0, "conv4_3", Stage::After)), 7.2111026));
        QCOMPARE(a->callsOf("conv4_3"), 2);
        const Aggregate agg = m.aggregate("conv4_3", Stage::After); // computes b once, under this gamma
        QCOMPARE(agg.images, 2);
        QVERIFY(near(agg.stats.max, 7.2111026));
        m.aggregate("conv4_3", Stage::After);
        QCOMPARE(b->callsOf("conv4_3"), 1);
        m.setCurrentIndex(1); // memoised: nothing recomputed
        m.setCurrentIndex(0);
        QCOMPARE(a->callsOf("conv4_3"), 2);
        QCOMPARE(b->callsOf("conv4_3"), 1);
    }

    void modelKeepsCachesAlignedWhenARemovalIsUndone()
    {
        AppModel m;
        m.setEngine(engine());
        m.addImages({"a.jpg", "b.jpg", "c.jpg"});
        std::vector<std::shared_ptr<RawCache>> c{sized(100), sized(200), sized(300)};
        for (int i = 0; i < 3; ++i)
            m.setImageResult(i, modelResult(m.image(i).path.toStdString(), c[static_cast<std::size_t>(i)]));
        QVERIFY(m.setGamma("conv4_3", {10.f, 5.f}));
        m.setCurrentIndex(2);
        QCOMPARE(c[2]->callsOf("conv4_3"), 1);
        QCOMPARE(m.cacheBytes(), std::size_t(600));

        m.undoStack()->push(new RemoveImagesCommand(&m, {1}));
        QCOMPARE(m.imageCount(), 2);
        QCOMPARE(m.currentIndex(), 1);
        QVERIFY(m.cache(1) == c[2]);
        QVERIFY(m.currentCache() == c[2]);
        QCOMPARE(m.cacheBytes(), std::size_t(400));

        m.undoStack()->undo();
        QCOMPARE(m.imageCount(), 3);
        QCOMPARE(m.image(1).path, QString("b.jpg"));
        QCOMPARE(m.currentIndex(), 2);
        QVERIFY(!m.cache(1)); // dropped with the removal; its statistics came back
        QVERIFY(m.image(1).result);
        QVERIFY(!m.afterIsCurrent(1)); // stored after-data were made with gamma 20
        QCOMPARE(first(m.normMap(1, "conv4_3", Stage::After)), 20.0);
        QVERIFY(m.cache(0) == c[0]);
        QVERIFY(m.cache(2) == c[2]);
        QVERIFY(near(first(m.normMap(2, "conv4_3", Stage::After)), 7.2111026));
        QCOMPARE(c[2]->callsOf("conv4_3"), 1); // memoised through the removal and its undo
        QCOMPARE(m.cacheBytes(), std::size_t(400));
    }
};

QTEST_MAIN(FeatureCacheStoreTest)
#include "feature_cache_store_test.moc"
