// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QImage>
#include <QList>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QString>

#include <cstddef>
#include <deque>

namespace featscale::ui {

class AppModel;

/// The photos of AppModel's image list, each decoded once. Every new entry is decoded on the
/// global thread pool, a few at a time (a list of a million images is a queue, not a million
/// tasks), the photo a view asks for ahead of the others, with the engine's own decoder (EXIF orientation,
/// decompression-bomb guard), and that one decode gives the list's thumbnail, the image view's photo and the image size
/// handed to AppModel — which therefore equals the engine's ImageResult::originalWidth/Height by
/// construction. Photos are kept in a least-recently-used cache bounded in bytes; one evicted and
/// asked for again is decoded again. A file that cannot be decoded keeps its error for the image
/// view (the engine reports it in the list when it runs).
///
/// Lives on the GUI thread; results arrive through decoded().
class PhotoStore : public QObject {
    Q_OBJECT
public:
    static constexpr int kThumbnailSide = 96;
    /// Photos are shown at most this large; scene coordinates stay in original pixels.
    static constexpr int kMaxDisplaySide = 4096;

    explicit PhotoStore(AppModel* model, QObject* parent = nullptr, std::size_t budgetBytes = std::size_t(256) << 20);

    /// The photo of `path` when it has been decoded and is still cached; null otherwise.
    QImage photo(const QString& path);
    /// Why `path` could not be decoded; empty if it could (or has not been tried).
    QString error(const QString& path) const;
    /// The full size of a decoded file, EXIF orientation applied (invalid until decoded).
    QSize size(const QString& path) const { return m_sizes.value(path); }
    /// Decodes `path` next (ahead of the list's entries) unless it is being decoded; decoded(path) follows.
    void request(const QString& path);

    /// Decodes asked for or running (the list's entries start as others end).
    int pending() const { return static_cast<int>(m_decoding.size() + m_asked.size()); }
    int decodes() const { return m_decodes; } ///< decodes started so far
    std::size_t cachedBytes() const { return m_bytes; }

Q_SIGNALS:
    void decoded(const QString& path); ///< photo(path) or error(path) is now available

private:
    void decodeNewEntries();
    void startDecodes();
    void start(const QString& path);
    void finished(const QString& path, const QImage& photo, const QImage& thumbnail, QSize size, const QString& error);
    void insert(const QString& path, const QImage& photo);

    AppModel* m_model;
    std::size_t m_budget;
    std::size_t m_bytes = 0;
    QHash<QString, QImage> m_photos;
    QList<QString> m_recent; ///< least recently used first
    QHash<QString, QString> m_errors;
    QSet<QString> m_decoding;    ///< being decoded now
    std::deque<QString> m_asked; ///< requested by a view: decoded first
    int m_scan = 0;              ///< the list's entries before this index need no decode started
    int m_maxDecoding = 2;
    QHash<QString, QImage> m_thumbnails; ///< small; kept for every decoded file (an entry re-added)
    QHash<QString, QSize> m_sizes;
    int m_decodes = 0;
};

} // namespace featscale::ui
