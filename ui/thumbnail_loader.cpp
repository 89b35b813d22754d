// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/thumbnail_loader.h"

#include "ui/app_model.h"
#include "ui/image_loading.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

namespace featscale::ui {

namespace {
struct Thumb {
    QImage image;
    QSize size;
};
} // namespace

ThumbnailLoader::ThumbnailLoader(AppModel* model, QObject* parent) : QObject(parent), m_model(model)
{
    connect(m_model, &AppModel::imagesChanged, this, &ThumbnailLoader::loadMissing);
    loadMissing();
}

void ThumbnailLoader::loadMissing()
{
    for (int i = 0; i < m_model->imageCount(); ++i) {
        const ImageEntry& e = m_model->image(i);
        if (!e.thumbnail.isNull() || m_pending.contains(e.path) || m_failed.contains(e.path))
            continue;
        const QString path = e.path;
        m_pending.insert(path);
        QtConcurrent::run([path] {
            Thumb t;
            QString error;
            t.image = loadDisplayImage(path, QSize(kThumbnailSide, kThumbnailSide), &t.size, &error);
            return t;
        }).then(this, [this, path](const Thumb& t) {
            m_pending.remove(path);
            const int index = m_model->indexOf(path);
            if (index < 0)
                return;
            if (t.image.isNull())
                m_failed.insert(path);
            else
                m_model->setThumbnail(index, t.image, t.size);
        });
    }
}

} // namespace featscale::ui
