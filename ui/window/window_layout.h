// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRect>
#include <QSize>

namespace featscale::ui::window_layout {

/// The plots are the product: a plot tab never gets narrower than this (its controls, axes and
/// titles are laid out to fit it), and the plot area gets at least half the window's width.
constexpr int kPlotMinimumWidth = 560;
/// The photo view yields to the plots down to this width.
constexpr int kImageMinimumWidth = 260;
/// Control docks (images, model, gamma) yield down to this width; their contents scroll vertically.
constexpr int kDockMinimumWidth = 260;
/// From this window width the gamma dock gets its own right-hand column; below it the control docks
/// share one tabbed column on the left so the photo keeps a usable width beside the plots.
constexpr int kThreeColumnWidth = 2200;
/// Bumped whenever the default arrangement changes: a state saved for an older arrangement (such as
/// the three-column layout that squeezed the plots at 1600 px, or the Runs dock stacked under
/// the image list) is not restored.
constexpr int kLayoutVersion = 3;

/// Widths of the columns of the default layout for a window `width` pixels wide.
struct Plan {
    bool oneDockColumn = true; ///< images, model and gamma tabbed in the left column
    int leftDock = 0;
    int rightDock = 0; ///< 0 with one dock column
    int image = 0;
    int plots = 0;
};
Plan plan(int width);

/// Whether a window layout saved on a screen whose available area was `savedScreen`, with the
/// window at `savedGeometry`, may be restored on a screen whose available area is `available`:
/// same screen size and the window inside it. (The plots' minimum width is a widget minimum, which
/// no restored layout can go below.)
bool savedLayoutFits(const QSize& savedScreen, const QRect& savedGeometry, const QRect& available);

} // namespace featscale::ui::window_layout
