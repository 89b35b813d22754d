// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plot_export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include "ui/qcp.h"

#include <cstdio>

namespace featscale::ui {

namespace {
QString tr(const char* s) { return QCoreApplication::translate("featscale", s); }

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

bool savePng(QCustomPlot* plot, const QString& path, QString* error, int w, int h)
{
    // Twice the on-screen resolution: plots end up in slides and papers.
    const QPixmap pm = plot->toPixmap(w, h, /*scale=*/2.0);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, tr("%1: cannot write: %2").arg(path, file.errorString()));
    if (!pm.save(&file, "PNG"))
        return fail(error, tr("%1: PNG encoding failed").arg(path));
    if (!file.commit())
        return fail(error, tr("%1: cannot write: %2").arg(path, file.errorString()));
    return true;
}

bool saveSvg(QCustomPlot* plot, const QString& path, QString* error, int w, int h)
{
    if (w <= 0)
        w = plot->width();
    if (h <= 0)
        h = plot->height();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, tr("%1: cannot write: %2").arg(path, file.errorString()));
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(QFileInfo(path).completeBaseName());
        generator.setDescription(tr("featscale plot"));
        QCPPainter painter;
        if (!painter.begin(&generator))
            return fail(error, tr("%1: cannot start the SVG painter").arg(path));
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        plot->toPainter(&painter, w, h);
        painter.end();
    }
    if (!file.commit())
        return fail(error, tr("%1: cannot write: %2").arg(path, file.errorString()));
    return true;
}

bool savePdf(QCustomPlot* plot, const QString& path, QString* error, int w, int h)
{
    // QCustomPlot writes PDFs by file name only: write a temporary sibling, then rename.
    QTemporaryFile tmp(QFileInfo(path).absolutePath() + QStringLiteral("/.featscale-XXXXXX.pdf"));
    if (!tmp.open())
        return fail(error, tr("%1: cannot write in this folder: %2").arg(path, tmp.errorString()));
    tmp.close();
    if (!plot->savePdf(tmp.fileName(), w, h, QCP::epNoCosmetic, QStringLiteral("featscale"),
                       QFileInfo(path).completeBaseName()))
        return fail(error, tr("%1: PDF export failed").arg(path));
    if (std::rename(QFile::encodeName(tmp.fileName()).constData(), QFile::encodeName(path).constData()) != 0)
        return fail(error, tr("%1: cannot replace the file").arg(path));
    tmp.setAutoRemove(false); // renamed away
    return true;
}
} // namespace

bool savePlot(QCustomPlot* plot, const QString& path, QString* error, int width, int height)
{
    if (!plot)
        return fail(error, tr("%1: no plot to export").arg(path));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return savePng(plot, path, error, width, height);
    if (suffix == QLatin1String("svg"))
        return saveSvg(plot, path, error, width, height);
    if (suffix == QLatin1String("pdf"))
        return savePdf(plot, path, error, width, height);
    return fail(error, tr("%1: unknown plot format \"%2\" (use .png, .svg or .pdf)").arg(path, suffix));
}

QString plotFileFilter()
{
    return tr("PNG image (*.png);;SVG vector graphics (*.svg);;PDF document (*.pdf)");
}

} // namespace featscale::ui
