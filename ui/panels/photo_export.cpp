// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/photo_export.h"

#include "analysis/core/atomic_file.h"
#include "ui/panels/image_view.h"
#include "ui/panels/photo_canvas.h"
#include "ui/plots/color_bar.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QGraphicsScene>
#include <QPainter>

#include <algorithm>
#include <exception>

namespace featscale::ui {

QImage renderPhotoWithOverlay(const ImageView* view)
{
    if (!view || !view->photoLoaded())
        return {};
    QGraphicsScene* scene = view->canvas()->scene();
    const QRectF source = scene->sceneRect();
    if (source.isEmpty())
        return {};
    const double scale = std::min(1.0, kMaxPhotoExportSide / std::max(source.width(), source.height()));
    const QSize photo(qRound(source.width() * scale), qRound(source.height() * scale));

    // The colour bar drawn again at the photo's height, so it stays readable beside a large photo.
    ColorBar bar;
    bar.setScale(view->colorBar()->scale(), view->colorBar()->title());
    bar.resize(bar.sizeHint().width(), std::max(photo.height(), bar.minimumSizeHint().height()));
    const QImage barImage = bar.grab().toImage();

    QImage out(photo.width() + barImage.width(), std::max(photo.height(), barImage.height()), QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter p(&out);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    scene->render(&p, QRectF(QPointF(0, 0), QSizeF(photo)), source);
    p.drawImage(photo.width(), 0, barImage);
    p.end();
    return out;
}

bool savePhotoWithOverlay(const ImageView* view, const QString& path, QString* error)
{
    const QImage image = renderPhotoWithOverlay(view);
    auto fail = [error](const QString& text) {
        if (error)
            *error = text;
        return false;
    };
    if (image.isNull())
        return fail(QCoreApplication::translate("featscale", "%1: no photo is shown yet").arg(path));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return fail(QCoreApplication::translate("featscale", "%1: PNG encoding failed").arg(path));
    try {
        analysis::writeFileAtomically(QFile::encodeName(path).toStdString(), bytes.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    return true;
}

} // namespace featscale::ui
