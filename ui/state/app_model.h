// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"
#include "analysis/runs/run_data.h"
#include "analysis/stats/histogram.h"
#include "analysis/stats/layer_stats.h"
#include "analysis/stats/norm_map.h"
#include "analysis/weights/weight_info.h"

#include <QImage>
#include <QObject>
#include <QPoint>
#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QUndoStack;

namespace featscale::ui {
Q_NAMESPACE

/// Lifecycle of one image in the list.
enum class ImageState { Queued, Running, Done, Failed };
Q_ENUM_NS(ImageState)

/// Which side of L2Norm a view shows (the engine's Stage). After exists only for normalized layers.
using analysis::Stage;
/// "before" / "after", as in every export.
QString stageName(Stage s);

QString toString(ImageState s);

/// One entry of the image list. Plain data owned by AppModel.
///
/// `result` never carries the FeatureCache (its `cache` member is always null): AppModel keeps the
/// caches apart (AppModel::cache(), FeatureCacheStore) so that they can be dropped for images that
/// are not on screen without copying the result. Statistics and norm maps stay for every analysed
/// image; the cache (normalized features and activations, a few MB per image) is kept for the
/// current image and a bounded LRU set.
struct ImageEntry {
    QString path;
    ImageState state = ImageState::Queued;
    QString error;    ///< failure reason (Failed), or a note from the engine (Done, e.g. resized)
    QImage thumbnail; ///< small preview; null until decoded
    QSize imageSize;  ///< original size, EXIF orientation applied; invalid until known
    std::shared_ptr<const analysis::ImageResult> result; ///< null until Done
    /// The gamma the stored result's after-statistics were computed with (per normalized layer).
    std::map<std::string, std::vector<float>> resultGamma;
    /// Waiting for (re-)analysis. A Done entry keeps showing its previous result until the new one
    /// replaces it; a cancelled re-run leaves it Done with that result (and still pending).
    bool pending = false;
    /// Part of the current (or last) batch: what the progress bar counts.
    bool inBatch = false;
};

/// A Queued entry for each path, in order, without empty paths and repeats: what
/// AppModel::replaceImages takes. Plain data, linear in the paths; any thread.
std::vector<ImageEntry> imageEntriesFor(const QStringList& paths);

/// Progress of the current (or last) batch, counted from the image list itself so that the
/// progress bar and the list never disagree.
struct BatchCounts {
    int done = 0;  ///< batch images finished in this batch (Done or Failed, not pending)
    int total = 0; ///< images in the batch
};

/// The histogram bin a user clicked, shown as highlighted locations on the image view.
struct BinHighlight {
    std::string layer;
    Stage stage = Stage::Before;
    double lo = 0, hi = 0; ///< highlight locations whose norm v satisfies lo <= v < hi
    bool valid() const { return !layer.empty(); }
};

/// Statistics of one layer and stage over all analysed images, from analysis::StageAggregator (the
/// CLI's aggregation): exact counts, exact percentiles for one image, else bounded histogram ones.
struct Aggregate {
    analysis::LayerStats stats;
    analysis::Histogram hist;
    int images = 0;      ///< images that contributed
    int staleImages = 0; ///< after-stage only: images whose cache was dropped, counted with the
                         ///< gamma they were analysed with instead of the current one
};

/// The shared state of the GUI: the image list, engine settings, the current gamma and the
/// selections that link the views (selected layer, pinned location, highlighted bin).
///
/// Every panel takes an AppModel* and listens to its signals; panels never talk to each other.
/// Thread affinity: GUI thread only. The BatchController's worker produces results on another thread
/// and hands them over through queued signals; AppModel itself never runs the network.
///
/// After-statistics of the current image are recomputed synchronously from its FeatureCache on
/// every gamma change (about a millisecond at 300x300), so sliders stay fluid without re-running
/// the network. The caches, their memoised after-data and the caches' byte budget belong to a
/// FeatureCacheStore inside the model; AppModel holds the user's data and delegates to it.
class AppModel : public QObject {
    Q_OBJECT
public:
    explicit AppModel(QObject* parent = nullptr);
    ~AppModel() override;

    // ---- image list ------------------------------------------------------------------------
    int imageCount() const;
    const ImageEntry& image(int index) const; ///< index must be valid
    int indexOf(const QString& path) const;   ///< -1 if absent
    /// Appends paths not yet in the list (as Queued); returns how many were added. Emits imagesChanged.
    int addImages(const QStringList& paths);
    /// Replaces the whole list at once with entries from imageEntriesFor (built on any thread):
    /// one imagesChanged, then the first image is current. A session of a million images is
    /// applied so without the window pausing for seconds.
    void replaceImages(std::vector<ImageEntry> entries);
    void removeImages(QList<int> indices);
    void clearImages();
    /// Removes the entries and hands them back with their indices (ascending), results included
    /// and caches dropped, so that restoreImages() can undo the removal.
    std::vector<std::pair<int, ImageEntry>> takeImages(QList<int> indices);
    /// Puts entries taken by takeImages() back at their indices (paths already in the list are
    /// skipped) and makes `current` (a path) the current image when it is there.
    void restoreImages(std::vector<std::pair<int, ImageEntry>> entries, const QString& current = {});

    int currentIndex() const; ///< -1 when the list is empty
    void setCurrentIndex(int index);
    const ImageEntry* currentImage() const;
    /// Current image's result (null until analysed) and its cache (null if not kept or not yet refreshed).
    std::shared_ptr<const analysis::ImageResult> currentResult() const;
    std::shared_ptr<const analysis::FeatureCache> currentCache() const;
    /// FeatureCache of an image: null when not analysed, dropped by the byte budget, or not yet
    /// refreshed (cacheNeeded asks for the current image's).
    std::shared_ptr<const analysis::FeatureCache> cache(int index) const;

    // Called by BatchController (GUI thread). setImageResult takes the cache out of the result.
    void setImageState(int index, ImageState state, const QString& error = {});
    /// usedGamma: the gamma the result's after-statistics were computed with.
    void setImageResult(int index, analysis::ImageResult result,
                        std::map<std::string, std::vector<float>> usedGamma = {});
    void setThumbnail(int index, const QImage& thumbnail, QSize imageSize);
    /// Indices of images waiting for analysis (Queued, or Done with a pending re-analysis), in
    /// list order.
    QList<int> queuedImages() const;
    /// Marks every image for re-analysis (e.g. after settings changed). Done images stay Done
    /// with their old results until the new ones replace them.
    void requeueAll();
    /// Stops waiting: images without a result become Queued with `note`; pending Done images
    /// keep their previous result (and stay pending, so the next start picks them up again).
    void cancelPending(const QString& note);
    /// Starts a new batch (forgets which images the last one counted).
    void beginBatch();
    void addToBatch(int index);
    BatchCounts batchCounts() const;
    /// The batch is over (finished or cancelled): emits runFinished.
    void endBatch();

    // ---- engine settings and weights --------------------------------------------------------
    /// Options for the next run. Changing them does not re-run by itself; the model panel's
    /// Re-run (or BatchController) does.
    const analysis::AnalyzerOptions& options() const;
    void setOptions(const analysis::AnalyzerOptions& options); ///< emits optionsChanged

    /// True while an engine is being created (weights being read); the views say so.
    bool isLoadingEngine() const;
    /// The weight file being loaded (empty: default weights); meaningful while isLoadingEngine().
    QString loadingWeightsPath() const;
    void setLoadingEngine(bool loading, const QString& weightsPath = {}); ///< emits engineLoadingChanged

    /// What the last created Analyzer reported. Set by BatchController; resets gamma to the
    /// weights' default when the weights or the normalized layers changed.
    /// What the engine in use does: the metadata its runs record (weights, topology, preset,
    /// analysed and normalized layers, their gamma from the weights) plus the model's taps.
    struct EngineInfo {
        analysis::RunMetadata run;                ///< analysis::describeRun; run.gamma = the weights' gamma
        std::vector<std::string> availableLayers; ///< every tap of the loaded model
        std::map<std::string, int> channels;      ///< per analysed tap
        static EngineInfo of(const analysis::Analyzer& analyzer);
    };
    const EngineInfo& engine() const;
    bool hasEngine() const;
    void setEngine(const EngineInfo& info); ///< emits weightsChanged (and gammaChanged if reset)
    const analysis::WeightInfo& weights() const;
    std::vector<std::string> layers() const;       ///< analysed taps, network order
    std::vector<std::string> l2normLayers() const; ///< options().l2normLayers that are analysed
    bool isNormalized(const std::string& layer) const;

    // ---- gamma -----------------------------------------------------------------------------
    /// Current gamma of a normalized layer (one value per channel); empty for other layers.
    const std::vector<float>& gamma(const std::string& layer) const;
    /// Gamma the engine started the layer with (the run's γ: given, learned or the family's init).
    std::vector<float> defaultGamma(const std::string& layer) const;
    /// The γ the weight file learned for the layer; empty when it carries none for it.
    std::vector<float> learnedGamma(const std::string& layer) const;
    /// The network family's initial γ for the layer (SSD 20; RefineDet, S3FD per layer), one value
    /// per channel; empty for a layer that is not normalized.
    std::vector<float> initGamma(const std::string& layer) const;
    /// Replaces the layer's gamma (size must equal its channel count, else ignored and false).
    /// Recomputes the current image's after-statistics, then emits gammaChanged and afterChanged.
    bool setGamma(const std::string& layer, const std::vector<float>& gamma);
    void setUniformGamma(const std::string& layer, float value);
    /// Gamma to apply when the next engine is ready (session restore): layers whose channel count
    /// matches take it instead of the weights' default.
    void setPendingGamma(std::map<std::string, std::vector<float>> gamma);
    /// Every normalized layer's current gamma.
    std::map<std::string, std::vector<float>> allGamma() const;
    /// Undo history of γ edits (ChangeGamma commands), owned by the model so every panel pushes
    /// onto it and the main window's Edit menu undoes them. Cleared when new weights reset γ.
    QUndoStack* undoStack() const;
    /// Monotonic counter, bumped on every gamma change (lets views skip redundant work).
    quint64 gammaRevision() const;
    /// Duration (ms) of the last after-statistics recomputation, for the status bar and benchmarks.
    double lastAfterMs() const;

    // ---- per-image data (index = image index) ------------------------------------------------
    /// Norm map / stats / histogram of one layer. Stage::After uses the current gamma when the
    /// image's cache is present, else the result's stored after-data. nullptr if unavailable.
    const analysis::NormMap* normMap(int index, const std::string& layer, Stage stage) const;
    const analysis::LayerStats* stats(int index, const std::string& layer, Stage stage) const;
    const analysis::Histogram* histogram(int index, const std::string& layer, Stage stage) const;
    /// True when Stage::After data of this image reflect the current gamma.
    bool afterIsCurrent(int index) const;
    /// Convenience for the current image.
    const analysis::AfterResult* currentAfter(const std::string& layer) const;

    /// Merged statistics of a layer over every Done image. Costs one FeatureCache::after() per
    /// cached image for Stage::After under a gamma not yet seen; views showing aggregates should
    /// debounce on gammaChanged.
    Aggregate aggregate(const std::string& layer, Stage stage) const;

    // ---- linked selections ---------------------------------------------------------------------
    std::string selectedLayer() const;
    void setSelectedLayer(const std::string& layer); ///< emits selectedLayerChanged

    /// Pinned location in pixels of the current image as displayed (original size, EXIF applied).
    /// Kept across image changes at the same relative position. Unset while the current image's
    /// size is unknown.
    std::optional<QPointF> pin() const;
    void setPin(const QPointF& imagePixel); ///< emits pinChanged
    /// The pin as a fraction of the image size (0..1 in both axes), size-independent (sessions).
    std::optional<QPointF> pinRelative() const;
    /// The pixel the pin lies in (what every view prints), from pixelAt().
    std::optional<QPoint> pinnedPixel() const;
    /// The image pixel containing a point given in pixels: pixel (i, j) covers [i, i+1) x [j, j+1),
    /// as the norm-map cells do; points on the far edge belong to the last pixel. Tolerates the
    /// rounding of a pin stored as a fraction of the size. The one mapping every view uses.
    static QPoint pixelAt(QPointF imagePixel, QSize imageSize);
    void setPinRelative(const QPointF& fraction);
    void clearPin();

    BinHighlight highlight() const;
    void setHighlight(const BinHighlight& h); ///< emits highlightChanged
    void clearHighlight();

    // ---- geometry shared by all views ----------------------------------------------------------
    /// Cell of a layer's norm map under an image pixel. The map covers the whole (resized) input,
    /// so the mapping is proportional: cell.x = floor(px.x * mapWidth / originalWidth).
    /// Returns (-1,-1) outside the image.
    static QPoint cellAt(const analysis::ImageResult& result, const std::string& layer, QPointF imagePixel);
    /// The image-pixel rectangle a cell covers (inverse of cellAt).
    static QRectF cellRect(const analysis::ImageResult& result, const std::string& layer, QPoint cell);

    /// Byte budget for FeatureCaches of non-current images (LRU); the current image's is always kept.
    void setCacheBudget(std::size_t bytes);
    std::size_t cacheBytes() const;

Q_SIGNALS:
    void imagesChanged();              ///< entries added/removed/cleared (indices may shift)
    void imageStateChanged(int index); ///< state, error or thumbnail of one entry
    void currentChanged(int index);
    void resultReady(int index); ///< a result (or a refreshed cache) arrived for index
    void cacheNeeded(int index); ///< current image is Done but has no cache: BatchController refreshes it
    void optionsChanged();
    void weightsChanged(); ///< engine info (weights, layers, default gamma) changed
    void gammaChanged();
    void afterChanged(); ///< current image's after-data changed (gamma or new result)
    void selectedLayerChanged();
    void pinChanged();
    void highlightChanged();
    void runProgress(int done, int total); ///< batchCounts() changed: an image of the batch finished
    void runFinished();                    ///< endBatch()
    /// A problem the model itself met (e.g. histograms that cannot be merged), for the message bar.
    /// Other objects report through signals of their own; the model relays nothing.
    void message(const QString& text, const QString& details = {});
    void engineLoadingChanged();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace featscale::ui
