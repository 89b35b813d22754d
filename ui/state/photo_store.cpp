// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/photo_store.h"

#include "ui/state/app_model.h"

#include "analysis/images/preprocess.h"

#include <QFile>
#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>

namespace featscale::ui {

namespace {
struct Decoded {
    QImage photo;     ///< at most kMaxDisplaySide on its longer side
    QImage thumbnail; ///< at most kThumbnailSide
    QSize size;       ///< the file's full size, EXIF orientation applied
    QString error;
};

Decoded decode(const QString& path)
{
    Decoded out;
    try {
        const analysis::DecodedImage d = analysis::decodeImage(QFile::encodeName(path).toStdString());
        const QImage full(d.bgr.data(), d.width, d.height, d.width * 3, QImage::Format_BGR888);
        out.size = QSize(d.width, d.height);
        const int side = PhotoStore::kMaxDisplaySide;
        out.photo = d.width > side || d.height > side
                        ? full.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                        : full.copy(); // detach from the decoder's buffer
        out.thumbnail = out.photo.scaled(PhotoStore::kThumbnailSide, PhotoStore::kThumbnailSide, Qt::KeepAspectRatio,
                                         Qt::SmoothTransformation);
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}
} // namespace

PhotoStore::PhotoStore(AppModel* model, QObject* parent, std::size_t budgetBytes)
    : QObject(parent), m_model(model), m_budget(budgetBytes),
      m_maxDecoding(std::max(2, QThreadPool::globalInstance()->maxThreadCount()))
{
    connect(m_model, &AppModel::imagesChanged, this, &PhotoStore::decodeNewEntries);
    decodeNewEntries();
}

QImage PhotoStore::photo(const QString& path)
{
    const auto it = m_photos.constFind(path);
    if (it == m_photos.constEnd())
        return {};
    m_recent.removeOne(path);
    m_recent.append(path);
    return *it;
}

QString PhotoStore::error(const QString& path) const { return m_errors.value(path); }

void PhotoStore::decodeNewEntries()
{
    // The list is walked as decodes end, not all at once: a million new entries cost nothing here.
    m_scan = 0;
    startDecodes();
}

void PhotoStore::request(const QString& path)
{
    if (m_decoding.contains(path))
        return;
    m_asked.push_back(path);
    startDecodes();
}

void PhotoStore::startDecodes()
{
    while (m_decoding.size() < m_maxDecoding && !m_asked.empty()) {
        const QString path = m_asked.front();
        m_asked.pop_front();
        if (!m_decoding.contains(path))
            start(path);
    }
    while (m_decoding.size() < m_maxDecoding && m_scan < m_model->imageCount()) {
        const int i = m_scan++;
        const ImageEntry& e = m_model->image(i);
        if (!e.thumbnail.isNull() || m_errors.contains(e.path) || m_decoding.contains(e.path))
            continue;
        if (m_thumbnails.contains(e.path))
            m_model->setThumbnail(i, m_thumbnails.value(e.path), m_sizes.value(e.path));
        else
            start(e.path);
    }
}

void PhotoStore::start(const QString& path)
{
    m_decoding.insert(path);
    ++m_decodes;
    QtConcurrent::run([path] { return decode(path); }).then(this, [this, path](const Decoded& d) {
        finished(path, d.photo, d.thumbnail, d.size, d.error);
    });
}

void PhotoStore::finished(const QString& path, const QImage& photo, const QImage& thumbnail, QSize size,
                          const QString& error)
{
    m_decoding.remove(path);
    if (photo.isNull()) {
        m_errors.insert(path, error);
    } else {
        m_errors.remove(path);
        insert(path, photo);
        m_thumbnails.insert(path, thumbnail);
        m_sizes.insert(path, size);
        const int index = m_model->indexOf(path);
        if (index >= 0 && m_model->image(index).thumbnail.isNull())
            m_model->setThumbnail(index, thumbnail, size);
    }
    Q_EMIT decoded(path);
    startDecodes();
}

void PhotoStore::insert(const QString& path, const QImage& photo)
{
    if (m_photos.contains(path)) {
        m_bytes -= static_cast<std::size_t>(m_photos.value(path).sizeInBytes());
        m_recent.removeOne(path);
    }
    m_photos.insert(path, photo);
    m_recent.append(path);
    m_bytes += static_cast<std::size_t>(photo.sizeInBytes());
    // Evict the least recently used, but never the photo just decoded: someone asked for it.
    while (m_bytes > m_budget && m_recent.size() > 1) {
        const QString oldest = m_recent.takeFirst();
        m_bytes -= static_cast<std::size_t>(m_photos.take(oldest).sizeInBytes());
    }
}

} // namespace featscale::ui
