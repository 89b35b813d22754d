// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/plot_export.h"

#include "ui/plots/plot_style.h"
#include "ui/plots/qcp.h"
#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QTemporaryFile>

#include "analysis/core/atomic_file.h"

#include <exception>

namespace featscale::ui {

namespace {
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
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (pm.isNull() || !pm.save(&buffer, "PNG"))
        return fail(error, QCoreApplication::translate("featscale", "%1: PNG encoding failed").arg(path));
    return writePlotFile(path, bytes, error);
}

bool saveSvg(QCustomPlot* plot, const QString& path, QString* error, int w, int h)
{
    if (w <= 0)
        w = plot->width();
    if (h <= 0)
        h = plot->height();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(QFileInfo(path).completeBaseName());
        generator.setDescription(QCoreApplication::translate("featscale", "featscale plot"));
        QCPPainter painter;
        if (!painter.begin(&generator))
            return fail(error, QCoreApplication::translate("featscale", "%1: cannot start the SVG painter").arg(path));
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        plot->toPainter(&painter, w, h);
        painter.end();
    }
    return writePlotFile(path, bytes, error);
}

bool savePdf(QCustomPlot* plot, const QString& path, QString* error, int w, int h)
{
    // QCustomPlot writes PDFs by file name only: render into a private temporary file, check the
    // document is complete, then write it to its place like the other formats.
    QTemporaryFile tmp(QDir::temp().filePath(QStringLiteral("featscale-plot-XXXXXX.pdf")));
    if (!tmp.open())
        return fail(error,
                    QCoreApplication::translate("featscale", "%1: cannot create a temporary file for the PDF: %2")
                        .arg(path, tmp.errorString()));
    tmp.close();
    if (!plot->savePdf(tmp.fileName(), w, h, QCP::epNoCosmetic, QStringLiteral("featscale"),
                       QFileInfo(path).completeBaseName()))
        return fail(error, QCoreApplication::translate("featscale", "%1: PDF export failed").arg(path));
    if (!tmp.open())
        return fail(error, QCoreApplication::translate("featscale", "%1: cannot read back the rendered PDF: %2")
                               .arg(path, tmp.errorString()));
    const QByteArray bytes = tmp.readAll();
    if (!bytes.startsWith("%PDF") || !bytes.trimmed().endsWith("%%EOF"))
        return fail(error, QCoreApplication::translate(
                               "featscale", "%1: PDF export failed (the rendered document is incomplete; is %2 full?)")
                               .arg(path, QDir::tempPath()));
    return writePlotFile(path, bytes, error);
}
} // namespace

// Every format is rendered into memory first and written by the engine's atomic writer, so a
// full disk or a read-only folder is reported the same way everywhere ("…: write failed (No
// space left on device); any earlier file is unchanged") and never leaves a partial file.
bool writePlotFile(const QString& path, const QByteArray& bytes, QString* error)
{
    try {
        analysis::writeFileAtomically(QFile::encodeName(path).toStdString(), bytes.toStdString());
    } catch (const std::exception& e) {
        return fail(error, QString::fromUtf8(e.what()));
    }
    return true;
}

QString plotTitle(const QCustomPlot* plot)
{
    if (plot)
        if (QCPLayoutGrid* header = plot_style::titleHeader(plot))
            if (auto* title = qobject_cast<QCPTextElement*>(header->element(0, 0))) {
                const QString full = title->property("fullText").toString();
                const QString text = full.isEmpty() ? title->text() : full;
                if (!text.trimmed().isEmpty())
                    return text.simplified();
            }
    return plot && !plot->objectName().isEmpty() ? plot->objectName() : QStringLiteral("plot");
}

QString plotFileBaseName(const QCustomPlot* plot)
{
    QString name;
    for (const QChar c : plotTitle(plot).toLower()) {
        if (c.isLetterOrNumber())
            name += c;
        else if (!name.isEmpty() && !name.endsWith(QLatin1Char('-')))
            name += QLatin1Char('-');
    }
    while (name.endsWith(QLatin1Char('-')))
        name.chop(1);
    // "chelsea.jpg" in a title becomes "chelsea-jpg": drop a trailing image suffix.
    for (const char* suffix : {"-jpg", "-jpeg", "-png", "-bmp", "-tif", "-tiff", "-webp"})
        if (name.endsWith(QLatin1String(suffix)))
            name.chop(static_cast<int>(qstrlen(suffix)));
    return name.left(80).isEmpty() ? QStringLiteral("plot") : name.left(80);
}

bool savePlot(QCustomPlot* plot, const QString& path, QString* error, int width, int height)
{
    if (width <= 0 || height <= 0) {
        width = kExportWidth;
        height = kExportHeight;
    }
    if (!plot)
        return fail(error, QCoreApplication::translate("featscale", "%1: no plot to export").arg(path));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return savePng(plot, path, error, width, height);
    if (suffix == QLatin1String("svg"))
        return saveSvg(plot, path, error, width, height);
    if (suffix == QLatin1String("pdf"))
        return savePdf(plot, path, error, width, height);
    return fail(error,
                QCoreApplication::translate("featscale", "%1: unknown plot format \"%2\" (use .png, .svg or .pdf)")
                    .arg(path, suffix));
}

QString plotFileFilter()
{
    return QCoreApplication::translate("featscale",
                                       "PNG image (*.png);;SVG vector graphics (*.svg);;PDF document (*.pdf)");
}

} // namespace featscale::ui
