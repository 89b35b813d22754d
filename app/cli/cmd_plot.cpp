// SPDX-License-Identifier: GPL-3.0-or-later
// featscale-cli plot: the GUI's run-comparison figures (ui/figures) written to SVG, PDF or PNG.
// The only command that starts Qt: the other commands never construct a QApplication.
#include "analysis/core/file_names.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/run_figures.h"
#include "ui/figures/trajectory_figure.h"
#include "ui/plots/qcp.h"

#include <QApplication>
#include <QFileInfo>

#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

namespace featscale::cli {
namespace {

const char* kHelp =
    "Usage: featscale-cli plot RUN_DIR... --kind layer-scales|histogram --out FILE.svg|.pdf|.png\n"
    "                         [--layers L1,L2,...] [--stage before|after|both] [--size WxH] [--title T]\n"
    "       featscale-cli plot TRAJECTORY_DIR --kind trajectory --out FILE.svg|.pdf|.png [--layers ...]\n"
    "\n"
    "Draws the GUI's run-comparison figures from run directories written by 'analyze' or 'merge',\n"
    "the runs side by side in the order given, each in its colour (a colour-blind-safe palette) and\n"
    "named by its directory. Runs made with the UNTRAINED default weights are marked UNTRAINED in the\n"
    "legend and under the title. Needs no display: Qt's offscreen platform is always used, so a\n"
    "figure comes out the same on every machine.\n"
    "\n"
    "  --kind layer-scales|histogram|trajectory\n"
    "                   layer-scales: per layer one box per run (whiskers p5-p95, box p25-p75, line at\n"
    "                   the median of the run's aggregate), log norm axis; histogram: one panel per\n"
    "                   layer and stage overlaying the runs' distributions (density per decade);\n"
    "                   trajectory: a directory 'featscale-cli trajectory' wrote: each layer's median\n"
    "                   over the steps before and after L2Norm (made with --images), gamma's mean with\n"
    "                   its min-max band, and a channel x step heatmap of gamma\n"
    "  --out FILE.svg|.pdf|.png\n"
    "                   output file, format by suffix, replaced atomically. PDF: vector, fonts\n"
    "                   embedded; SVG: text as text, font family named with sans-serif as fallback;\n"
    "                   PNG: 300 dpi\n"
    "  --layers L1,L2,...\n"
    "                   layers to show, in this order (default: the layers every run has)\n"
    "  --stage before|after|both\n"
    "                   before or after L2Norm, or both (default; after only for normalized layers)\n"
    "  --size WxH       figure size in points (1/72 inch, 36-1440), or WxHpx for a PNG's pixels at\n"
    "                   300 dpi (150-6000)\n"
    "                   (default 252x189, a paper's column of 3.5 in; histograms 189 pt taller per\n"
    "                   further row of two panels); text is 6.75-8.25 pt whatever the size\n"
    "  --title T        title above the figure (default: what it shows)\n";

constexpr double kFontPt = 7.5;         ///< labels and legend; ticks 6.75 pt, title 8.25 pt
constexpr double kHistogramRowPt = 126; ///< each further row of histogram panels
constexpr double kMaxSizePt = 1440;

std::vector<std::string> splitList(const std::string& s)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t comma = s.find(',', start);
        const std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty())
            out.push_back(item);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

/// "WxH" in points, "WxHpx" in pixels at the PNG resolution; throws UsageError.
QSizeF parseSize(const std::string& text)
{
    std::string s = text;
    double unit = 1;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, "px") == 0) {
        s.resize(s.size() - 2);
        unit = 72.0 / ui::figure_export::kPngDpi;
    } else if (s.size() > 2 && s.compare(s.size() - 2, 2, "pt") == 0) {
        s.resize(s.size() - 2);
    }
    const std::size_t x = s.find('x');
    try {
        if (x == std::string::npos)
            throw std::invalid_argument("no x");
        std::size_t used = 0;
        const double w = std::stod(s.substr(0, x), &used);
        if (used != x)
            throw std::invalid_argument("width");
        const std::string hs = s.substr(x + 1);
        const double h = std::stod(hs, &used);
        if (used != hs.size())
            throw std::invalid_argument("height");
        // 36 pt (half an inch) leaves no room for the axes; 1440 pt (20 inches) is a poster, and
        // as a 300 dpi PNG already 6000 x 6000 pixels (144 MB while it is drawn).
        if (!(w * unit >= 36 && h * unit >= 36 && w * unit <= kMaxSizePt && h * unit <= kMaxSizePt))
            throw std::out_of_range("size");
        return QSizeF(w * unit, h * unit);
    } catch (const std::logic_error&) {
        throw UsageError("--size '" + text +
                         "': expected WxH in points (36..1440, e.g. 252x189) or WxHpx in pixels "
                         "(150..6000, e.g. 1050x788px)");
    }
}

/// The legend name of a run: its directory's last component; runs sharing it get as many of their
/// last components as tell them apart (else the path as given).
std::vector<QString> runNames(const std::vector<std::string>& dirs)
{
    std::vector<QStringList> parts;
    for (const std::string& dir : dirs)
        parts.push_back(QString::fromStdString(analysis::printable(dir)).split(QLatin1Char('/'), Qt::SkipEmptyParts));
    auto tail = [&](std::size_t i, int n) {
        const QStringList& p = parts[i];
        return p.isEmpty() ? QString::fromStdString(analysis::printable(dirs[i]))
                           : p.mid(std::max(0, static_cast<int>(p.size()) - n)).join(QLatin1Char('/'));
    };
    std::vector<QString> names;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        QString name;
        for (int n = 1; n <= parts[i].size() && name.isEmpty(); ++n) {
            const QString candidate = tail(i, n);
            bool unique = true;
            for (std::size_t j = 0; j < dirs.size(); ++j)
                unique = unique && (j == i || tail(j, n) != candidate || dirs[j] == dirs[i]);
            if (unique)
                name = candidate;
        }
        names.push_back(name.isEmpty() ? QString::fromStdString(analysis::printable(dirs[i])) : name);
    }
    return names;
}

/// The QApplication the figures need, always on the offscreen platform: a figure is never shown,
/// a desktop's QT_QPA_PLATFORM=wayland or xcb would abort where there is no display, and the
/// offscreen screen's fixed resolution (96 dpi, no scaling) makes a figure the same on every machine.
std::unique_ptr<QApplication> startQt()
{
    // Without a session (a batch job) Qt notes that XDG_RUNTIME_DIR is unset; nothing here needs it.
    static const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType type, const QMessageLogContext& context, const QString& message) {
            if (!message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
                previous(type, context, message);
        });
    qputenv("QT_QPA_PLATFORM", "offscreen");
    for (const char* scaling :
         {"QT_FONT_DPI", "QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "QT_ENABLE_HIGHDPI_SCALING"})
        qunsetenv(scaling);
    static int argc = 1;
    static char name[] = "featscale-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

/// --kind trajectory: one trajectory directory, three panels stacked, a column wide.
int plotTrajectory(const ArgParser& args, const ui::FigureOptions& options, const std::optional<QSizeF>& size,
                   const QString& outPath)
{
    if (args.positionals().size() != 1)
        throw UsageError("--kind trajectory draws one trajectory directory, not " +
                         std::to_string(args.positionals().size()));
    if (args.has("stage"))
        throw UsageError("--stage does not apply to --kind trajectory (it shows both stages)");
    const std::string& dir = args.positionals().front();
    const analysis::TrajectoryData data = analysis::readTrajectory(dir); // before Qt: a broken one is named at once
    const auto app = startQt();
    QCustomPlot plot;
    QFont font = plot.font();
    font.setPointSizeF(kFontPt);
    ui::run_figures::setFigureFont(plot, font);
    QSizeF sizePt(ui::figure_export::kColumnWidthPt, ui::figure_export::kColumnHeightPt);
    plot.resize(ui::figure_export::layoutSize(size ? *size : sizePt));
    ui::trajectory_figure::drawTrajectory(plot, data, options);
    sizePt.rheight() += kHistogramRowPt * std::max(0, plot.axisRectCount() - 1);
    if (size)
        sizePt = *size;
    QString error;
    if (!ui::figure_export::saveFigure(plot, outPath, sizePt, &error))
        throw analysis::Error(error.toStdString());
    std::cerr << "plotted the trajectory of " << data.checkpoints.size() << " checkpoint(s) -> "
              << analysis::printable(outPath.toStdString()) << " (" << std::lround(sizePt.width()) << "x"
              << std::lround(sizePt.height()) << " pt)\n";
    return kExitOk;
}

} // namespace

int cmdPlot(const std::vector<std::string>& argv)
{
    ArgParser args({"kind", "out", "layers", "stage", "size", "title"}, {"help"});
    args.parse(argv);
    if (args.has("help")) {
        std::cout << kHelp;
        return kExitOk;
    }
    const auto kind = args.value("kind");
    if (!kind)
        throw UsageError("--kind layer-scales|histogram is required");
    if (*kind != "layer-scales" && *kind != "histogram" && *kind != "trajectory")
        throw UsageError("unknown --kind '" + *kind + "' (use layer-scales, histogram or trajectory)");
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out FILE.svg|.pdf|.png is required");
    const QString outPath = QString::fromStdString(*out);
    if (!ui::figure_export::isFigureSuffix(QFileInfo(outPath).suffix()))
        throw UsageError("--out " + *out + ": unknown figure format (use .svg, .pdf or .png)");
    if (args.positionals().empty())
        throw UsageError("no run directories given");

    ui::FigureOptions options;
    if (auto layers = args.value("layers")) {
        options.layers = splitList(*layers);
        if (options.layers.empty())
            throw UsageError("--layers is empty");
    }
    const std::string stage = args.value("stage", "both");
    if (stage == "before")
        options.stages = ui::FigureOptions::Stages::Before;
    else if (stage == "after")
        options.stages = ui::FigureOptions::Stages::After;
    else if (stage != "both")
        throw UsageError("unknown --stage '" + stage + "' (use before, after or both)");
    options.title = QString::fromStdString(args.value("title", ""));
    const std::optional<QSizeF> size = args.value("size") ? std::optional<QSizeF>(parseSize(*args.value("size")))
                                                          : std::nullopt;

    if (*kind == "trajectory")
        return plotTrajectory(args, options, size, outPath);

    // Read every run before starting Qt: a missing or broken run directory is named at once.
    const std::vector<std::string>& dirs = args.positionals();
    const std::vector<QString> names = runNames(dirs);
    std::vector<ui::FigureRun> runs;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        auto data = std::make_shared<const analysis::RunData>(analysis::readRun(dirs[i]));
        if (data->meta.weights.untrained)
            std::cerr << "warning: run " << i + 1 << " (" << analysis::printable(dirs[i])
                      << ") used the UNTRAINED default weights; the figure marks it UNTRAINED\n";
        runs.push_back({names[i], ui::run_figures::runColor(static_cast<int>(i)), std::move(data)});
    }

    const auto app = startQt();
    QCustomPlot plot;
    QFont font = plot.font();
    font.setPointSizeF(kFontPt);
    ui::run_figures::setFigureFont(plot, font);
    QSizeF sizePt(ui::figure_export::kColumnWidthPt, ui::figure_export::kColumnHeightPt);
    plot.resize(ui::figure_export::layoutSize(size ? *size : sizePt)); // the legend wraps to this width
    if (*kind == "layer-scales") {
        ui::run_figures::drawLayerScales(plot, runs, options);
    } else {
        constexpr int kColumns = 2;
        ui::run_figures::drawHistogramGrid(plot, runs, options, kColumns);
        const int rows = (plot.axisRectCount() + kColumns - 1) / kColumns;
        sizePt.rheight() += kHistogramRowPt * std::max(0, rows - 1);
    }
    if (size)
        sizePt = *size;

    QString error;
    if (!ui::figure_export::saveFigure(plot, outPath, sizePt, &error))
        throw analysis::Error(error.toStdString());
    std::cerr << "plotted " << runs.size() << " run(s), " << *kind << " -> " << analysis::printable(*out) << " ("
              << std::lround(sizePt.width()) << "x" << std::lround(sizePt.height()) << " pt)\n";
    return kExitOk;
}

} // namespace featscale::cli
