// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/app_model.h"
#include "analysis/runs/run_data.h"
#include "ui/state/feature_cache_store.h"

#include "analysis/core/topology.h"
#include "analysis/engine/probe.h"

#include <QHash>
#include <QSet>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace featscale::ui {

namespace an = featscale::analysis;

QString toString(ImageState s)
{
    switch (s) {
    case ImageState::Queued:
        return QStringLiteral("queued");
    case ImageState::Running:
        return QStringLiteral("running");
    case ImageState::Done:
        return QStringLiteral("done");
    case ImageState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString stageName(Stage s) { return QString::fromStdString(analysis::toString(s)); }

namespace {
/// What one entry adds to the batch counts.
BatchCounts countOf(const ImageEntry& e)
{
    BatchCounts c;
    c.total = e.inBatch ? 1 : 0;
    c.done = e.inBatch && !e.pending && (e.state == ImageState::Done || e.state == ImageState::Failed) ? 1 : 0;
    return c;
}
} // namespace

struct AppModel::Impl {
    std::vector<ImageEntry> images;
    /// path -> index in images, rebuilt on the first look-up after the list changed: decodes and
    /// results arrive by path, for lists of a million images.
    mutable QHash<QString, int> index;
    mutable bool indexValid = false;
    /// The batch counts, kept up to date image by image while a batch runs (a count per image
    /// result would cost the whole list each time) and recounted after any other change.
    mutable BatchCounts counts;
    mutable bool countsValid = false;
    void recount(const BatchCounts& before, const ImageEntry& after);
    FeatureCacheStore caches; // parallel to images: FeatureCaches, their after-data, the byte budget
    int current = -1;

    an::AnalyzerOptions options;
    EngineInfo engine;
    bool hasEngine = false;
    bool loadingEngine = false;
    QString loadingWeightsPath;

    std::map<std::string, std::vector<float>> gamma;
    std::map<std::string, std::vector<float>> pendingGamma;
    quint64 gammaRevision = 1;
    QUndoStack* undoStack = nullptr;

    std::string selectedLayer;
    std::optional<QPointF> pinRelative; // 0..1 in both axes
    BinHighlight highlight;

    static const std::vector<float>& empty()
    {
        static const std::vector<float> e;
        return e;
    }

    bool valid(int i) const { return i >= 0 && i < static_cast<int>(images.size()); }

    QSize sizeOf(int i) const
    {
        if (!valid(i))
            return {};
        const ImageEntry& e = images[i];
        if (e.result && e.result->originalWidth > 0)
            return {e.result->originalWidth, e.result->originalHeight};
        return e.imageSize;
    }

    const an::LayerResult* layerResult(int i, const std::string& layer) const
    {
        return valid(i) && images[i].result ? images[i].result->find(layer) : nullptr;
    }

    /// After-data of `layer` in image i under the current gamma, from its cache; nullptr when the
    /// image has no cache (the stored after-data then apply).
    const an::AfterResult* freshAfter(int i, const std::string& layer)
    {
        if (!valid(i) || !images[i].result)
            return nullptr;
        return caches.after(i, layer, *images[i].result, gamma, gammaRevision);
    }

    /// Computes the current image's after-data now (memoised), so every view's next frame agrees.
    void computeCurrentAfter()
    {
        if (valid(current) && images[current].result)
            caches.after(current, *images[current].result, gamma, gammaRevision);
    }
};

AppModel::AppModel(QObject* parent) : QObject(parent), d(std::make_unique<Impl>())
{
    d->undoStack = new QUndoStack(this);
}

AppModel::~AppModel()
{
    delete d->undoStack; // its commands point at this model: gone before the model's state
}

// ---- image list ----------------------------------------------------------------------------

int AppModel::imageCount() const { return static_cast<int>(d->images.size()); }
const ImageEntry& AppModel::image(int index) const { return d->images.at(static_cast<size_t>(index)); }

int AppModel::indexOf(const QString& path) const
{
    if (!d->indexValid) {
        d->index.clear();
        d->index.reserve(static_cast<qsizetype>(d->images.size()));
        for (int i = 0; i < imageCount(); ++i)
            d->index.insert(d->images[static_cast<std::size_t>(i)].path, i);
        d->indexValid = true;
    }
    return d->index.value(path, -1);
}

int AppModel::addImages(const QStringList& paths)
{
    // Linear in the list and the paths: a session or a folder may bring a million images.
    QSet<QString> known;
    known.reserve(static_cast<qsizetype>(d->images.size() + static_cast<std::size_t>(paths.size())));
    for (const ImageEntry& e : d->images)
        known.insert(e.path);
    d->images.reserve(d->images.size() + static_cast<std::size_t>(paths.size()));
    int added = 0;
    for (const QString& p : paths) {
        if (p.isEmpty() || known.contains(p))
            continue;
        known.insert(p);
        ImageEntry e;
        e.path = p;
        d->images.push_back(std::move(e));
        d->indexValid = false;
        d->countsValid = false;
        d->caches.insert(d->caches.size());
        ++added;
    }
    if (added == 0)
        return 0;
    Q_EMIT imagesChanged();
    if (d->current < 0)
        setCurrentIndex(0);
    return added;
}

std::vector<ImageEntry> imageEntriesFor(const QStringList& paths)
{
    QSet<QString> seen;
    seen.reserve(paths.size());
    std::vector<ImageEntry> out;
    out.reserve(static_cast<std::size_t>(paths.size()));
    for (const QString& p : paths) {
        if (p.isEmpty() || seen.contains(p))
            continue;
        seen.insert(p);
        ImageEntry e;
        e.path = p;
        out.push_back(std::move(e));
    }
    return out;
}

void AppModel::replaceImages(std::vector<ImageEntry> entries)
{
    d->images = std::move(entries);
    d->indexValid = false;
    d->countsValid = false;
    d->caches.reset(static_cast<int>(d->images.size()));
    d->current = -1;
    Q_EMIT imagesChanged();
    if (!d->images.empty())
        setCurrentIndex(0);
    else
        Q_EMIT currentChanged(-1);
    Q_EMIT afterChanged();
}

void AppModel::removeImages(QList<int> indices)
{
    std::sort(indices.begin(), indices.end(), std::greater<int>());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    const QString currentPath = d->valid(d->current) ? d->images[d->current].path : QString();
    bool removed = false;
    for (int i : indices) {
        if (!d->valid(i))
            continue;
        d->images.erase(d->images.begin() + i);
        d->indexValid = false;
        d->countsValid = false;
        d->caches.erase(i);
        removed = true;
    }
    if (!removed)
        return;
    const int stillThere = indexOf(currentPath);
    const int oldCurrent = d->current;
    d->current = -1;
    Q_EMIT imagesChanged();
    if (stillThere >= 0)
        setCurrentIndex(stillThere);
    else if (!d->images.empty())
        setCurrentIndex(std::min(std::max(oldCurrent, 0), imageCount() - 1));
    else
        Q_EMIT currentChanged(-1);
}

void AppModel::clearImages()
{
    if (d->images.empty())
        return;
    d->images.clear();
    d->indexValid = false;
    d->countsValid = false;
    d->caches.clear();
    d->current = -1;
    Q_EMIT imagesChanged();
    Q_EMIT currentChanged(-1);
    Q_EMIT afterChanged();
}

std::vector<std::pair<int, ImageEntry>> AppModel::takeImages(QList<int> indices)
{
    d->countsValid = false;
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::vector<std::pair<int, ImageEntry>> taken;
    for (int i : indices) {
        if (!d->valid(i))
            continue;
        ImageEntry e = d->images[i]; // without its cache: rebuilt on demand if the removal is undone
        if (e.state == ImageState::Running)
            e.state = e.result ? ImageState::Done : ImageState::Queued;
        e.inBatch = false;
        taken.emplace_back(i, std::move(e));
    }
    if (taken.size() == static_cast<size_t>(imageCount()))
        clearImages();
    else
        removeImages(indices);
    return taken;
}

void AppModel::restoreImages(std::vector<std::pair<int, ImageEntry>> entries, const QString& current)
{
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    bool added = false;
    for (auto& [index, entry] : entries) {
        if (indexOf(entry.path) >= 0)
            continue;
        const int at = std::clamp(index, 0, imageCount());
        d->images.insert(d->images.begin() + at, std::move(entry));
        d->indexValid = false;
        d->countsValid = false;
        d->caches.insert(at);
        added = true;
    }
    if (!added)
        return;
    const QString was = d->valid(d->current) ? d->images[d->current].path : QString();
    d->current = -1;
    Q_EMIT imagesChanged();
    int next = indexOf(current);
    if (next < 0)
        next = std::max(0, indexOf(was));
    setCurrentIndex(next);
}

int AppModel::currentIndex() const { return d->current; }

void AppModel::setCurrentIndex(int index)
{
    if (!d->valid(index) || index == d->current)
        return;
    d->current = index;
    Q_EMIT currentChanged(index);
    const ImageEntry& e = d->images[index];
    if (e.state == ImageState::Done && !d->caches.cache(index))
        Q_EMIT cacheNeeded(index);
    d->caches.setCurrent(index);
    if (d->pinRelative)
        Q_EMIT pinChanged();
    // Compute eagerly so the first frame of every view is consistent.
    d->computeCurrentAfter();
    Q_EMIT afterChanged();
}

const ImageEntry* AppModel::currentImage() const { return d->valid(d->current) ? &d->images[d->current] : nullptr; }

std::shared_ptr<const an::ImageResult> AppModel::currentResult() const
{
    const ImageEntry* e = currentImage();
    return e ? e->result : nullptr;
}

std::shared_ptr<const an::FeatureCache> AppModel::currentCache() const { return d->caches.cache(d->current); }

std::shared_ptr<const an::FeatureCache> AppModel::cache(int index) const { return d->caches.cache(index); }

void AppModel::setImageState(int index, ImageState state, const QString& error)
{
    if (!d->valid(index))
        return;
    ImageEntry& e = d->images[index];
    const BatchCounts before = countOf(e);
    e.state = state;
    e.error = error;
    if (state == ImageState::Failed)
        e.pending = false;
    if (state == ImageState::Failed) {
        // A failed re-run must not leave numbers from other settings on screen.
        e.result.reset();
        d->caches.drop(index);
    }
    d->recount(before, e);
    Q_EMIT imageStateChanged(index);
    if (index == d->current && state == ImageState::Failed)
        Q_EMIT afterChanged();
    if (state == ImageState::Failed && e.inBatch) {
        const BatchCounts c = batchCounts();
        Q_EMIT runProgress(c.done, c.total);
    }
}

void AppModel::setImageResult(int index, an::ImageResult result, std::map<std::string, std::vector<float>> usedGamma)
{
    if (!d->valid(index))
        return;
    ImageEntry& e = d->images[index];
    const BatchCounts before = countOf(e);
    std::shared_ptr<const an::FeatureCache> cache = std::move(result.cache);
    result.cache.reset();
    e.error = QString::fromStdString(result.note);
    e.result = std::make_shared<const an::ImageResult>(std::move(result));
    e.resultGamma = std::move(usedGamma);
    e.state = ImageState::Done;
    e.pending = false;
    d->caches.setCache(index, std::move(cache));
    d->recount(before, e);
    const bool inBatch = e.inBatch;
    Q_EMIT imageStateChanged(index);
    Q_EMIT resultReady(index);
    if (inBatch) {
        const BatchCounts c = batchCounts();
        Q_EMIT runProgress(c.done, c.total);
    }
    if (index == d->current) {
        d->computeCurrentAfter();
        Q_EMIT afterChanged();
        if (d->pinRelative)
            Q_EMIT pinChanged();
    }
}

void AppModel::setThumbnail(int index, const QImage& thumbnail, QSize imageSize)
{
    if (!d->valid(index))
        return;
    d->images[index].thumbnail = thumbnail;
    d->images[index].imageSize = imageSize;
    Q_EMIT imageStateChanged(index);
    if (index == d->current && d->pinRelative)
        Q_EMIT pinChanged();
}

QList<int> AppModel::queuedImages() const
{
    QList<int> out;
    for (int i = 0; i < imageCount(); ++i) {
        const ImageEntry& e = d->images[i];
        if (e.state == ImageState::Queued || (e.pending && e.state != ImageState::Running))
            out.push_back(i);
    }
    return out;
}

void AppModel::requeueAll()
{
    d->countsValid = false;
    for (int i = 0; i < imageCount(); ++i) {
        ImageEntry& e = d->images[i];
        // Old results stay on screen (and in every aggregate) until the new ones replace them.
        e.pending = true;
        if (e.state != ImageState::Done || !e.result) {
            e.state = ImageState::Queued;
            e.error.clear();
        }
        Q_EMIT imageStateChanged(i);
    }
}

void AppModel::cancelPending(const QString& note)
{
    d->countsValid = false;
    for (int i = 0; i < imageCount(); ++i) {
        ImageEntry& e = d->images[i];
        if (e.state == ImageState::Queued) {
            e.error = note;
        } else if (e.state == ImageState::Running) {
            e.state = e.result ? ImageState::Done : ImageState::Queued;
            if (!e.result)
                e.error = note;
        } else {
            continue;
        }
        Q_EMIT imageStateChanged(i);
    }
}

void AppModel::beginBatch()
{
    d->countsValid = false;
    for (ImageEntry& e : d->images)
        e.inBatch = false;
}

void AppModel::addToBatch(int index)
{
    d->countsValid = false;
    if (d->valid(index))
        d->images[index].inBatch = true;
}

void AppModel::endBatch() { Q_EMIT runFinished(); }

BatchCounts AppModel::batchCounts() const
{
    if (!d->countsValid) {
        d->counts = {};
        for (const ImageEntry& e : d->images) {
            const BatchCounts c = countOf(e);
            d->counts.total += c.total;
            d->counts.done += c.done;
        }
        d->countsValid = true;
    }
    return d->counts;
}

void AppModel::Impl::recount(const BatchCounts& before, const ImageEntry& after)
{
    if (!countsValid)
        return;
    const BatchCounts now = countOf(after);
    counts.total += now.total - before.total;
    counts.done += now.done - before.done;
}

// ---- engine ---------------------------------------------------------------------------------

const an::AnalyzerOptions& AppModel::options() const { return d->options; }

void AppModel::setOptions(const an::AnalyzerOptions& options)
{
    d->options = options;
    Q_EMIT optionsChanged();
}

bool AppModel::isLoadingEngine() const { return d->loadingEngine; }
QString AppModel::loadingWeightsPath() const { return d->loadingWeightsPath; }

void AppModel::setLoadingEngine(bool loading, const QString& weightsPath)
{
    if (loading == d->loadingEngine && weightsPath == d->loadingWeightsPath)
        return;
    d->loadingEngine = loading;
    d->loadingWeightsPath = loading ? weightsPath : QString();
    Q_EMIT engineLoadingChanged();
}

AppModel::EngineInfo AppModel::EngineInfo::of(const an::Analyzer& analyzer)
{
    EngineInfo info;
    info.run = an::describeRun(analyzer);
    info.availableLayers = analyzer.availableLayers();
    for (const std::string& layer : info.run.layers)
        info.channels[layer] = analyzer.channels(layer);
    return info;
}

const AppModel::EngineInfo& AppModel::engine() const { return d->engine; }
bool AppModel::hasEngine() const { return d->hasEngine; }
const an::WeightInfo& AppModel::weights() const { return d->engine.run.weights; }
std::vector<std::string> AppModel::layers() const { return d->engine.run.layers; }

std::vector<std::string> AppModel::l2normLayers() const { return d->engine.run.l2normLayers; }

bool AppModel::isNormalized(const std::string& layer) const
{
    const auto& l = d->engine.run.l2normLayers;
    return std::find(l.begin(), l.end(), layer) != l.end();
}

void AppModel::setEngine(const EngineInfo& info)
{
    const an::WeightInfo& was = d->engine.run.weights;
    const an::WeightInfo& now = info.run.weights;
    const bool sameWeights = d->hasEngine && was.path == now.path && was.sha256 == now.sha256 && was.seed == now.seed;
    d->engine = info;
    d->hasEngine = true;

    // Keep the user's gamma across re-runs with the same weights; reset it for new weights or
    // layers whose channel count changed.
    std::map<std::string, std::vector<float>> next;
    for (const std::string& layer : l2normLayers()) {
        auto old = d->gamma.find(layer);
        const auto ch = info.channels.find(layer);
        const int channels = ch == info.channels.end() ? 0 : ch->second;
        auto pending = d->pendingGamma.find(layer);
        if (pending != d->pendingGamma.end() && static_cast<int>(pending->second.size()) == channels)
            next[layer] = pending->second;
        else if (sameWeights && old != d->gamma.end() && static_cast<int>(old->second.size()) == channels)
            next[layer] = old->second;
        else
            next[layer] = defaultGamma(layer);
    }
    d->pendingGamma.clear();
    const bool gammaChangedNow = next != d->gamma;
    d->gamma = std::move(next);
    const std::vector<std::string>& layers = info.run.layers;
    if (d->selectedLayer.empty() || std::find(layers.begin(), layers.end(), d->selectedLayer) == layers.end()) {
        // The overlay opens on the first L2Norm layer (conv4_3): the layer the ParseNet argument is about.
        const auto& normalized = info.run.l2normLayers;
        const auto first = std::find_first_of(layers.begin(), layers.end(), normalized.begin(), normalized.end());
        d->selectedLayer = first != layers.end() ? *first : layers.empty() ? std::string() : layers.front();
        Q_EMIT selectedLayerChanged();
    }
    // The history's vectors belong to the old weights' layers.
    if (!sameWeights)
        d->undoStack->clear();
    Q_EMIT weightsChanged();
    if (gammaChangedNow) {
        ++d->gammaRevision;
        Q_EMIT gammaChanged();
        Q_EMIT afterChanged();
    }
}

// ---- gamma ----------------------------------------------------------------------------------

const std::vector<float>& AppModel::gamma(const std::string& layer) const
{
    auto it = d->gamma.find(layer);
    return it == d->gamma.end() ? Impl::empty() : it->second;
}

std::vector<float> AppModel::defaultGamma(const std::string& layer) const
{
    auto it = d->engine.run.gamma.find(layer);
    return it == d->engine.run.gamma.end() ? std::vector<float>() : it->second;
}

std::vector<float> AppModel::learnedGamma(const std::string& layer) const
{
    const auto learned = weights().gammas.find(layer);
    if (learned != weights().gammas.end() && learned->second.size() == gamma(layer).size())
        return learned->second;
    return {};
}

std::vector<float> AppModel::initGamma(const std::string& layer) const
{
    if (gamma(layer).empty())
        return {};
    return std::vector<float>(gamma(layer).size(), an::initialGamma(d->engine.run.arch, layer));
}

bool AppModel::setGamma(const std::string& layer, const std::vector<float>& gamma)
{
    auto it = d->gamma.find(layer);
    if (it == d->gamma.end() || it->second.size() != gamma.size())
        return false;
    for (float g : gamma)
        if (!std::isfinite(g))
            return false;
    it->second = gamma;
    ++d->gammaRevision;
    d->computeCurrentAfter();
    Q_EMIT gammaChanged();
    Q_EMIT afterChanged();
    return true;
}

void AppModel::setUniformGamma(const std::string& layer, float value)
{
    setGamma(layer, std::vector<float>(gamma(layer).size(), value));
}

void AppModel::setPendingGamma(std::map<std::string, std::vector<float>> gamma) { d->pendingGamma = std::move(gamma); }

std::map<std::string, std::vector<float>> AppModel::allGamma() const { return d->gamma; }

QUndoStack* AppModel::undoStack() const { return d->undoStack; }

quint64 AppModel::gammaRevision() const { return d->gammaRevision; }
double AppModel::lastAfterMs() const { return d->caches.lastComputeMs(); }

// ---- per-image data -------------------------------------------------------------------------

const an::NormMap* AppModel::normMap(int index, const std::string& layer, Stage stage) const
{
    const an::LayerResult* lr = d->layerResult(index, layer);
    if (!lr)
        return nullptr;
    if (stage == Stage::Before)
        return &lr->before;
    if (!lr->normalized && !isNormalized(layer))
        return nullptr;
    if (const an::AfterResult* fresh = d->freshAfter(index, layer))
        return &fresh->after;
    return lr->normalized && !lr->after.empty() ? &lr->after : nullptr;
}

const an::LayerStats* AppModel::stats(int index, const std::string& layer, Stage stage) const
{
    const an::LayerResult* lr = d->layerResult(index, layer);
    if (!lr)
        return nullptr;
    if (stage == Stage::Before)
        return &lr->beforeStats;
    if (const an::AfterResult* fresh = d->freshAfter(index, layer))
        return &fresh->stats;
    return lr->normalized ? &lr->afterStats : nullptr;
}

const an::Histogram* AppModel::histogram(int index, const std::string& layer, Stage stage) const
{
    const an::LayerResult* lr = d->layerResult(index, layer);
    if (!lr)
        return nullptr;
    if (stage == Stage::Before)
        return &lr->beforeHist;
    if (const an::AfterResult* fresh = d->freshAfter(index, layer))
        return &fresh->hist;
    return lr->normalized ? &lr->afterHist : nullptr;
}

bool AppModel::afterIsCurrent(int index) const
{
    if (!d->valid(index) || !d->images[index].result)
        return false;
    if (d->caches.cache(index))
        return true;
    return d->images[index].resultGamma == d->gamma;
}

const an::AfterResult* AppModel::currentAfter(const std::string& layer) const
{
    return d->freshAfter(d->current, layer);
}

Aggregate AppModel::aggregate(const std::string& layer, Stage stage) const
{
    // the engine's aggregator, so the GUI's "all images" numbers are the CLI's
    an::StageAggregator merged;
    Aggregate agg;
    for (int i = 0; i < imageCount(); ++i) {
        const ImageEntry& e = d->images[i];
        // An image being re-analysed still counts with its previous result until the new one lands.
        if ((e.state != ImageState::Done && e.state != ImageState::Running) || !e.result)
            continue;
        const an::LayerStats* s = stats(i, layer, stage);
        const an::Histogram* h = histogram(i, layer, stage);
        if (!s || !h)
            continue;
        try {
            merged.add(*s, *h);
        } catch (const an::Error& err) {
            // Histograms of different bin schemes cannot be merged; skip rather than mislead.
            Q_EMIT const_cast<AppModel*>(this)->message(
                tr("Cannot aggregate %1: %2").arg(e.path, QString::fromUtf8(err.what())));
            continue;
        }
        if (stage == Stage::After && !afterIsCurrent(i))
            ++agg.staleImages;
    }
    agg.images = merged.images();
    if (agg.images > 0) {
        agg.stats = merged.stats();
        agg.hist = merged.histogram();
    }
    return agg;
}

// ---- linked selections ----------------------------------------------------------------------

std::string AppModel::selectedLayer() const { return d->selectedLayer; }

void AppModel::setSelectedLayer(const std::string& layer)
{
    if (layer == d->selectedLayer)
        return;
    d->selectedLayer = layer;
    Q_EMIT selectedLayerChanged();
}

std::optional<QPointF> AppModel::pin() const
{
    const QSize size = d->sizeOf(d->current);
    if (!d->pinRelative || !size.isValid() || size.isEmpty())
        return std::nullopt;
    return QPointF(d->pinRelative->x() * size.width(), d->pinRelative->y() * size.height());
}

void AppModel::setPin(const QPointF& imagePixel)
{
    const QSize size = d->sizeOf(d->current);
    if (!size.isValid() || size.isEmpty())
        return;
    const QPointF rel(std::clamp(imagePixel.x() / size.width(), 0.0, 1.0),
                      std::clamp(imagePixel.y() / size.height(), 0.0, 1.0));
    d->pinRelative = rel;
    Q_EMIT pinChanged();
}

std::optional<QPointF> AppModel::pinRelative() const { return d->pinRelative; }

std::optional<QPoint> AppModel::pinnedPixel() const
{
    const auto p = pin();
    if (!p)
        return std::nullopt;
    return pixelAt(*p, d->sizeOf(d->current));
}

QPoint AppModel::pixelAt(QPointF px, QSize size)
{
    // A pin kept as a fraction comes back as 99.99999999 for a click at 100: tolerate that much.
    constexpr double kSlack = 1e-6;
    auto index = [](double v, int extent) {
        const int i = static_cast<int>(std::floor(v + kSlack));
        return extent > 0 ? std::clamp(i, 0, extent - 1) : std::max(i, 0);
    };
    return {index(px.x(), size.width()), index(px.y(), size.height())};
}

void AppModel::setPinRelative(const QPointF& fraction)
{
    d->pinRelative = QPointF(std::clamp(fraction.x(), 0.0, 1.0), std::clamp(fraction.y(), 0.0, 1.0));
    Q_EMIT pinChanged();
}

void AppModel::clearPin()
{
    if (!d->pinRelative)
        return;
    d->pinRelative.reset();
    Q_EMIT pinChanged();
}

BinHighlight AppModel::highlight() const { return d->highlight; }

void AppModel::setHighlight(const BinHighlight& h)
{
    d->highlight = h;
    Q_EMIT highlightChanged();
}

void AppModel::clearHighlight()
{
    if (!d->highlight.valid())
        return;
    d->highlight = BinHighlight{};
    Q_EMIT highlightChanged();
}

// ---- geometry -------------------------------------------------------------------------------

QPoint AppModel::cellAt(const an::ImageResult& result, const std::string& layer, QPointF px)
{
    const an::Cell c = an::cellAt(result, layer, px.x(), px.y());
    return {c.x, c.y};
}

QRectF AppModel::cellRect(const an::ImageResult& result, const std::string& layer, QPoint cell)
{
    const an::PixelRect r = an::cellRect(result, layer, an::Cell{cell.y(), cell.x()});
    return {r.x, r.y, r.width, r.height};
}

void AppModel::setCacheBudget(std::size_t bytes) { d->caches.setBudget(bytes); }

std::size_t AppModel::cacheBytes() const { return d->caches.bytes(); }

} // namespace featscale::ui
