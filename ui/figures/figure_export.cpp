// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/figures/figure_export.h"
#include "ui/plots/plot_export.h"

#include "analysis/core/atomic_file.h"

#include "ui/plots/qcp.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QScreen>
#include <QSvgGenerator>

#include <cmath>
#include <exception>

namespace featscale::ui {
/// The translation context of the texts in figures.
class FigureExport {
    Q_DECLARE_TR_FUNCTIONS(featscale::ui::FigureExport)
};
} // namespace featscale::ui

namespace featscale::ui::figure_export {

namespace {

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

/// The resolution QCustomPlot lays out at: QFontMetrics measure text at the screen's logical dpi.
double layoutDpi()
{
    const QScreen* screen = QGuiApplication::primaryScreen();
    const double dpi = screen ? screen->logicalDotsPerInchY() : 96.0;
    return dpi > 0 ? dpi : 96.0;
}

QSize layoutSize(QSizeF sizePt, double dpi)
{
    return QSize(std::max(1, static_cast<int>(std::lround(sizePt.width() * dpi / 72))),
                 std::max(1, static_cast<int>(std::lround(sizePt.height() * dpi / 72))));
}

bool savePng(QCustomPlot& plot, const QString& path, QSizeF sizePt, int pngDpi, QString* error)
{
    const double dpi = layoutDpi();
    const QSize logical = layoutSize(sizePt, dpi);
    const QSize target(std::max(1, static_cast<int>(std::lround(sizePt.width() * pngDpi / 72))),
                       std::max(1, static_cast<int>(std::lround(sizePt.height() * pngDpi / 72))));
    QImage image = plot.toPixmap(logical.width(), logical.height(), pngDpi / dpi).toImage();
    if (image.isNull())
        return fail(error, FigureExport::tr("%1: PNG rendering failed").arg(path));
    // The layout size is whole logical pixels: the rendering may miss the target by a pixel.
    if (image.size() != target)
        image = image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const int dotsPerMeter = static_cast<int>(std::lround(pngDpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return fail(error, FigureExport::tr("%1: PNG encoding failed").arg(path));
    return writePlotFile(path, bytes, error);
}

/// Draws the plot as vectors (no cached pixmaps) onto a paint device laid out at `logical` pixels.
/// False when the device cannot be painted on.
bool paintVector(QCustomPlot& plot, QPaintDevice* device, QSize logical)
{
    QCPPainter painter;
    if (!painter.begin(device))
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setFont(plot.font()); // what elements without text of their own name are written with
    plot.toPainter(&painter, logical.width(), logical.height());
    painter.end();
    return true;
}

/// XML 1.0 holds no C0 control but TAB, LF and CR, no U+FFFE or U+FFFF and no lone surrogate:
/// a name holding one (a run folder named with \x01) would make the whole SVG unreadable. Each
/// becomes U+FFFD; bytes that were not UTF-8 already did when the text was decoded.
QString xmlText(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        const bool pair = QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        if (pair) {
            out += text.at(i);
            out += text.at(++i);
        } else if ((c < 0x20 && c != u'\t' && c != u'\n' && c != u'\r') || c == 0xfffe || c == 0xffff ||
                   QChar::isSurrogate(c)) {
            out += QChar(QChar::ReplacementCharacter);
        } else {
            out += text.at(i);
        }
    }
    return out;
}

bool saveSvg(QCustomPlot& plot, const QString& path, QSizeF sizePt, QString* error)
{
    const double dpi = layoutDpi();
    const QSize logical = layoutSize(sizePt, dpi);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setResolution(static_cast<int>(std::lround(dpi)));
        generator.setSize(logical);
        generator.setViewBox(QRect(QPoint(0, 0), logical));
        generator.setTitle(QFileInfo(path).completeBaseName());
        generator.setDescription(FigureExport::tr("featscale figure"));
        if (!paintVector(plot, &generator, logical))
            return fail(error, FigureExport::tr("%1: cannot start the SVG painter").arg(path));
    }
    // Fonts are named, not embedded: a viewer without the family falls back to a sans-serif one.
    QString svg = xmlText(QString::fromUtf8(bytes));
    static const QRegularExpression family(QStringLiteral("font-family=\"([^\"]*)\""));
    svg.replace(family, QStringLiteral("font-family=\"\\1, sans-serif\""));
    return writePlotFile(path, svg.toUtf8(), error);
}

bool savePdf(QCustomPlot& plot, const QString& path, QSizeF sizePt, QString* error)
{
    const double dpi = layoutDpi();
    const QSize logical = layoutSize(sizePt, dpi);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("featscale"));
        writer.setTitle(QFileInfo(path).completeBaseName());
        // The device's pixels are the layout's: a point-sized font is drawn at its size on the page.
        writer.setResolution(static_cast<int>(std::lround(dpi)));
        const QPageSize page(sizePt, QPageSize::Point, QString(), QPageSize::ExactMatch);
        if (!writer.setPageLayout(QPageLayout(page, QPageLayout::Portrait, QMarginsF(0, 0, 0, 0))))
            return fail(error, FigureExport::tr("%1: the PDF page size is not accepted").arg(path));
        if (!paintVector(plot, &writer, logical))
            return fail(error, FigureExport::tr("%1: cannot start the PDF painter").arg(path));
    }
    if (!bytes.startsWith("%PDF") || !bytes.trimmed().endsWith("%%EOF"))
        return fail(error, FigureExport::tr("%1: PDF rendering failed").arg(path));
    return writePlotFile(path, bytes, error);
}

} // namespace

QSize layoutSize(QSizeF sizePt) { return layoutSize(sizePt, layoutDpi()); }

bool isFigureSuffix(const QString& suffix)
{
    const QString s = suffix.toLower();
    return s == QLatin1String("svg") || s == QLatin1String("pdf") || s == QLatin1String("png");
}

bool saveFigure(QCustomPlot& plot, const QString& path, QSizeF sizePt, QString* error, int pngDpi)
{
    if (!(sizePt.width() > 0 && sizePt.height() > 0))
        return fail(error, FigureExport::tr("%1: the figure size must be positive").arg(path));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return savePng(plot, path, sizePt, pngDpi, error);
    if (suffix == QLatin1String("svg"))
        return saveSvg(plot, path, sizePt, error);
    if (suffix == QLatin1String("pdf"))
        return savePdf(plot, path, sizePt, error);
    return fail(error, FigureExport::tr("%1: unknown figure format \"%2\" (use .svg, .pdf or .png)").arg(path, suffix));
}

} // namespace featscale::ui::figure_export
