// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/core/atomic_file.h"
#include "analysis/core/csv.h"
#include "analysis/engine/analyzer.h"
#include "analysis/engine/prior_grid.h"
#include "analysis/engine/probe.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/weights/untrained.h"
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace featscale::cli {
namespace {

const char* kHelp =
    "Usage: featscale-cli probe IMAGE --at X,Y --out CONCAT.csv [--layers conv4_3,conv5_3,fc7] [OPTIONS]\n"
    "\n"
    "Writes ParseNet's concatenated feature vector at one location: for each layer (in --layers order)\n"
    "the channel vector of the cell under pixel (X,Y), before and after L2Norm, one row per channel:\n"
    "  layer,channel,concat_index,cell_y,cell_x,before,normalized,after\n"
    "before = activation x; normalized = x_hat = x/||x|| (eps as --eps); after = gamma * x_hat. Layers\n"
    "without L2Norm (see --l2norm) have an empty 'normalized' and after = before.\n"
    "\n"
    "  --at X,Y    pixel of the original image (after EXIF orientation), 0-based; it falls into cell\n"
    "              (floor(Y*H/height), floor(X*W/width)) of a layer's H x W map\n"
    "  --out FILE  CSV, written atomically ('#' comment lines first: image, weights, cells, and for\n"
    "              detector topologies the prior under (X,Y) on each source layer)\n"
    "  --priors FILE        also write the prior-box centres of every source layer, one row per prior:\n"
    "              config,layer,feature_map,step,min_size,max_size,aspect_ratios,i,j,cx,cy,image_x,image_y\n"
    "              (cx, cy: ((j+0.5)*step, (i+0.5)*step) in pixels of the configuration's input;\n"
    "              image_x, image_y: the same point in the original image)\n"
    "  --prior-config NAME  which published configuration (default: the topology's first; see\n"
    "              'featscale-cli weights --topologies')\n";

void parseAt(const std::string& s, double& x, double& y)
{
    const auto comma = s.find(',');
    if (comma != std::string::npos) {
        const std::string a = s.substr(0, comma), b = s.substr(comma + 1);
        char* e1 = nullptr;
        char* e2 = nullptr;
        x = std::strtod(a.c_str(), &e1);
        y = std::strtod(b.c_str(), &e2);
        if (!a.empty() && !b.empty() && *e1 == '\0' && *e2 == '\0' && std::isfinite(x) && std::isfinite(y))
            return;
    }
    throw UsageError("--at must be X,Y in image pixels (e.g. 120,80), got '" + s + "'");
}

std::string number(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

std::string priorGrid(const analysis::PriorConfig& config, const analysis::ImageResult& r)
{
    std::string out = "config,layer,feature_map,step,min_size,max_size,aspect_ratios,i,j,cx,cy,image_x,image_y\n";
    for (const analysis::PriorLayer& l : config.layers) {
        const std::string head = std::string(config.name) + "," + l.layer + "," + std::to_string(l.featureMap) + "," +
                                 number(l.step) + "," + number(l.minSize) + "," + number(l.maxSize) + "," +
                                 analysis::csvText(l.aspectRatios) + ",";
        for (const analysis::PriorCentre& c : analysis::priorCentres(l)) {
            const analysis::ImagePoint p = analysis::priorToImage(config, r, c);
            out += head + std::to_string(c.i) + "," + std::to_string(c.j) + "," + number(c.x) + "," + number(c.y) +
                   "," + number(p.x) + "," + number(p.y) + "\n";
        }
    }
    return out;
}

} // namespace

int cmdProbe(const std::vector<std::string>& argv)
{
    const auto parsed = parseEngineCommand(argv, {"out", "at", "priors", "prior-config"}, {}, kHelp);
    if (!parsed)
        return kExitOk;
    const ArgParser& args = *parsed;
    const auto out = args.value("out");
    if (!out)
        throw UsageError("--out CONCAT.csv is required");
    const auto at = args.value("at");
    if (!at)
        throw UsageError("--at X,Y is required");
    if (args.positionals().size() != 1)
        throw UsageError("probe takes exactly one image");
    double px = 0, py = 0;
    parseAt(*at, px, py);

    analysis::AnalyzerOptions options = engineOptions(args);
    if (options.layersAll)
        throw UsageError("probe needs an explicit --layers list (the concatenation order)");
    if (options.layers.empty())
        options.layers = analysis::LayerCatalog::defaultLayers();
    const std::vector<std::string> order = options.layers; // the concatenation follows the user's order
    options.keepActivations = true;
    analysis::Analyzer analyzer(options);
    const auto& w = analyzer.weights();
    reportWeights(w, "the probed activations are those of an untrained VGG16.");
    reportModel(analyzer);

    const std::string configName = args.value("prior-config").value_or("");
    const analysis::PriorConfig* priors = analysis::priorConfig(analyzer.arch(), configName);
    if (!configName.empty() && !priors)
        throw UsageError("--prior-config: " + analysis::toString(analyzer.arch()) + " has no prior configuration '" +
                         configName + "'");
    if (args.value("priors") && !priors)
        throw UsageError(
            "--priors: " + analysis::toString(analyzer.arch()) +
            " is a classifier topology without prior boxes (--arch vgg16-reduced, ssd512, refinedet, s3fd)");
    const std::string& image = args.positionals().front();
    const analysis::ImageResult r = analyzer.analyze(image);
    if (px < 0 || py < 0 || px >= r.originalWidth || py >= r.originalHeight)
        throw analysis::Error(image + ": --at " + *at + " lies outside the image (" + std::to_string(r.originalWidth) +
                              " x " + std::to_string(r.originalHeight) + " pixels)");
    const auto normalized = analyzer.l2normLayers();
    const analysis::Probe probe = analysis::probeAt(
        r, *r.cache, order,
        [&](const std::string& layer) -> const std::vector<float>* {
            return std::find(normalized.begin(), normalized.end(), layer) != normalized.end() ? &analyzer.gamma(layer)
                                                                                              : nullptr;
        },
        px, py);
    if (probe.status == analysis::Probe::Status::NotCached)
        throw analysis::Error(r.find(probe.layer) ? "activations of " + probe.layer + " were not kept"
                                                  : "layer " + probe.layer + " was not analysed");

    std::ostringstream csv;
    csv << "# featscale probe: " << image << " at x=" << number(px) << " y=" << number(py) << " (original "
        << r.originalWidth << "x" << r.originalHeight << ", network input " << r.inputWidth << "x" << r.inputHeight
        << ")\n";
    csv << "# weights: " << w.summary() << "; arch=" << analysis::toString(analyzer.arch())
        << " preset=" << analysis::toString(analyzer.preset()) << " eps=" << analysis::toString(analyzer.eps()) << "\n";
    if (w.untrained)
        csv << "# " << analysis::untrainedSentence(w.seed) << "\n";
    if (priors) {
        for (const analysis::PriorLayer& l : priors->layers) {
            const analysis::PriorCentre c = analysis::priorAt(*priors, l, r, px, py);
            const analysis::ImagePoint p = analysis::priorToImage(*priors, r, c);
            std::ostringstream line;
            line << "prior " << priors->name << " " << l.layer << ": " << l.featureMap << "x" << l.featureMap
                 << " step " << number(l.step) << " (min " << number(l.minSize) << ", max " << number(l.maxSize)
                 << "): i=" << c.i << " j=" << c.j << " centred at input (" << number(c.x) << ", " << number(c.y)
                 << "), image (" << number(p.x) << ", " << number(p.y) << ")";
            csv << "# " << line.str() << "\n";
            std::fprintf(stderr, "%s\n", line.str().c_str());
        }
    }
    csv << "layer,channel,concat_index,cell_y,cell_x,before,normalized,after\n";
    int concat = 0;
    for (const analysis::ProbeSegment& s : probe.segments) {
        for (size_t c = 0; c < s.before.size(); ++c)
            csv << s.layer << ',' << c << ',' << concat++ << ',' << s.cell.y << ',' << s.cell.x << ','
                << number(s.before[c]) << ',' << (s.normalized ? number(s.xhat[c]) : std::string()) << ','
                << number(s.after[c]) << '\n';
        std::fprintf(stderr, "%s: cell (y=%d, x=%d) of %dx%d, %zu channels, ||x|| = %.6g, after %s = %.6g\n",
                     s.layer.c_str(), s.cell.y, s.cell.x, s.mapHeight, s.mapWidth, s.before.size(), s.beforeNorm,
                     s.normalized ? "L2Norm" : "(no L2Norm)", s.afterNorm);
    }
    if (auto file = args.value("priors")) {
        analysis::writeFilesAtomically({{*out, csv.str()}, {*file, priorGrid(*priors, r)}});
        std::cerr << "wrote " << *file << " (" << priors->name << ", " << priors->source << ")\n";
    } else {
        analysis::writeFileAtomically(*out, csv.str());
    }
    std::cerr << "wrote " << *out << " (" << concat << " rows" << (w.untrained ? ", UNTRAINED weights" : "") << ")\n";
    return kExitOk;
}

} // namespace featscale::cli
