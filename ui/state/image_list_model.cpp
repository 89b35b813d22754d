// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/image_list_model.h"

#include "ui/state/app_model.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QStyle>

namespace featscale::ui {

ImageListModel::ImageListModel(AppModel* model, QObject* parent) : QAbstractListModel(parent), m_model(model)
{
    connect(m_model, &AppModel::imagesChanged, this, [this] {
        beginResetModel();
        countNames();
        endResetModel();
    });
    countNames();
    connect(m_model, &AppModel::imageStateChanged, this, [this](int row) {
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i);
    });
}

int ImageListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_model->imageCount(); }

namespace {
/// The last part of a path, as QFileInfo::fileName() gives it, without QFileInfo's cost: the
/// names are counted for every image whenever the list changes, and lists hold up to millions.
QStringView fileNameOf(const QString& path) { return QStringView(path).mid(path.lastIndexOf(QLatin1Char('/')) + 1); }

QString stateLine(const ImageEntry& e)
{
    switch (e.state) {
    case ImageState::Queued:
        return e.error.isEmpty() ? ImageListModel::tr("queued") : ImageListModel::tr("queued (%1)").arg(e.error);
    case ImageState::Running:
        return ImageListModel::tr("analysing…");
    case ImageState::Failed:
        return ImageListModel::tr("FAILED: %1").arg(e.error);
    case ImageState::Done:
        if (e.pending)
            return ImageListModel::tr("done · before the re-run");
        if (e.result)
            return ImageListModel::tr("done · %1 s")
                .arg((e.result->preprocessMs + e.result->forwardMs + e.result->statsMs) / 1000.0, 0, 'f', 1);
        return ImageListModel::tr("done");
    }
    return {};
}

QString stateName(ImageState s)
{
    switch (s) {
    case ImageState::Queued:
        return ImageListModel::tr("queued");
    case ImageState::Running:
        return ImageListModel::tr("running");
    case ImageState::Done:
        return ImageListModel::tr("done");
    case ImageState::Failed:
        return ImageListModel::tr("failed");
    }
    return {};
}

constexpr int kThumbSide = 64;

/// The thumbnail centred on a fixed square, so that portraits and panoramas give rows of one height.
QPixmap squareThumbnail(const QImage& thumbnail)
{
    QPixmap pm(kThumbSide, kThumbSide);
    pm.fill(Qt::transparent);
    const QImage scaled = thumbnail.scaled(kThumbSide, kThumbSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QPainter p(&pm);
    p.drawImage((kThumbSide - scaled.width()) / 2, (kThumbSide - scaled.height()) / 2, scaled);
    return pm;
}

QPixmap placeholder(ImageState state)
{
    const int side = kThumbSide;
    QPixmap pm(side, side);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setPen(QPen(state == ImageState::Failed ? QColor(200, 40, 40) : QColor(150, 150, 150), 2));
    p.drawRect(4, 4, side - 8, side - 8);
    if (state == ImageState::Failed) {
        p.drawLine(12, 12, side - 12, side - 12);
        p.drawLine(side - 12, 12, 12, side - 12);
    }
    return pm;
}
} // namespace

QString ImageListModel::displayName(int row) const
{
    const QFileInfo file(m_model->image(row).path);
    const QString name = fileNameOf(m_model->image(row).path).toString();
    // Two "IMG_0001.jpg" from different folders are told apart by their folder.
    if (m_nameCounts.value(qHash(QStringView(name))) > 1)
        return name + QStringLiteral(" — ") + file.dir().dirName();
    return name;
}

void ImageListModel::countNames()
{
    m_nameCounts.clear();
    m_nameCounts.reserve(m_model->imageCount());
    for (int i = 0; i < m_model->imageCount(); ++i)
        ++m_nameCounts[qHash(fileNameOf(m_model->image(i).path))];
}

QVariant ImageListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_model->imageCount())
        return {};
    const ImageEntry& e = m_model->image(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayName(index.row()) + QLatin1Char('\n') + stateLine(e);
    case Qt::DecorationRole:
        return e.thumbnail.isNull() ? placeholder(e.state) : squareThumbnail(e.thumbnail);
    case Qt::ToolTipRole: {
        QString tip = e.path + QLatin1Char('\n') + stateName(e.state);
        if (!e.error.isEmpty())
            tip += QLatin1String(": ") + e.error;
        if (e.result)
            tip += ImageListModel::tr(
                       "\n%1×%2 → network input %3×%4\npreprocess %5 ms, forward %6 ms, statistics %7 ms")
                       .arg(e.result->originalWidth)
                       .arg(e.result->originalHeight)
                       .arg(e.result->inputWidth)
                       .arg(e.result->inputHeight)
                       .arg(e.result->preprocessMs, 0, 'f', 0)
                       .arg(e.result->forwardMs, 0, 'f', 0)
                       .arg(e.result->statsMs, 0, 'f', 0);
        return tip;
    }
    case Qt::ForegroundRole:
        if (e.state == ImageState::Failed)
            return QColor(190, 30, 30);
        if (e.state != ImageState::Done)
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case PathRole:
        return e.path;
    case StateRole:
        return static_cast<int>(e.state);
    case ErrorRole:
        return e.error;
    default:
        return {};
    }
}

} // namespace featscale::ui
