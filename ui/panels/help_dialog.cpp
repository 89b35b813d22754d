// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/help_dialog.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace featscale::ui {

HelpDialog::HelpDialog(QWidget* parent) : QDialog(parent), m_text(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("helpDialog"));
    m_text->setOpenExternalLinks(false);
    retranslate();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(buttons);
    resize(640, 600);
}

void HelpDialog::retranslate()
{
    setWindowTitle(tr("featscale — the ParseNet argument"));
    m_text->setHtml(helpHtml());
}

void HelpDialog::changeEvent(QEvent* event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
}

QString HelpDialog::helpHtml()
{
    return tr(R"(<h2>Why feature scale matters</h2>
<p>At every spatial location, a convolutional layer produces a vector with one value per channel.
Its <b>L2 norm over the channels</b>, ‖x‖₂, is the location's <i>feature scale</i>. In VGG16 this scale
differs by orders of magnitude between layers: an early layer such as <b>conv4_3</b> has many locations
with large activations, while deep layers such as <b>conv5_3</b> and <b>fc7</b> are much smaller.</p>
<p><b>ParseNet</b> (Liu, Rabinovich &amp; Berg, 2015) observed that when features of several layers are
concatenated — or, as in <b>SSD</b>, when several layers feed detection heads — the layer with the largest
scale dominates and the others barely contribute; training becomes unstable. Their remedy is
<b>L2Norm</b>: divide each location's vector by its norm, x̂ = x / ‖x‖₂, and multiply by a learnable
per-channel scale <b>gamma</b> (SSD initialises it to 20). After L2Norm the norm at every location is
‖gamma ⊙ x̂‖₂ — exactly 20 for a uniform gamma of 20, whatever the input was.</p>
<p><b>Untrained weights.</b> Without a trained weight file featscale uses seeded random weights and
labels every view and export <b>UNTRAINED</b>: the spread of scales is a property of trained networks,
so open real VGG16 weights (Model panel → Open weights…) to see the effect the papers describe.</p>

<h2>What each view shows</h2>
<ul>
<li><b>Images</b> — the images to analyse, with their state (queued, analysing, done, failed and why).
Drop files or folders onto the list. Page Up / Page Down switch images.</li>
<li><b>Image view</b> — the photo with the selected layer's per-location norm as a colour overlay. Each
coloured square is one cell of that layer (its stride in input pixels). The colour bar gives the norm
(log scale by default); <i>after L2Norm</i> shows the normalized norms with the current gamma. Hover to
read the norm of every layer at that point; click to pin a location (used by the concat view); scroll to
zoom, drag to pan.</li>
<li><b>Layer scales</b> — one box per layer in network order: the box spans the 25–75 % percentiles of
the per-location norms, whiskers 5–95 %, the line is the median, on a log axis. Before and after L2Norm,
for the current image or all images. The ratio of medians of two chosen layers ("conv4_3 / fc7 = 37×")
is the ParseNet argument in one number.</li>
<li><b>Histograms</b> — the distributions of the per-location norms of the ticked layers, overlaid.
It opens on <i>before | after L2Norm</i>: conv4_3 and fc7 in two plots on one x axis, so the change of
scale that L2Norm makes is seen at once; <i>before</i> or <i>after</i> alone are in the stage menu.
Click a bin to highlight those locations on the photo.</li>
<li><b>ParseNet concat</b> — the feature vector at the pinned location, conv4_3 ‖ conv5_3 ‖ fc7 side
by side (x: channel index across the concatenation), before and after L2Norm: before, one layer's
activations dwarf the others; after, each layer contributes on a comparable scale.</li>
<li><b>Gamma</b> — which layers get L2Norm (any number at once, each with its own gamma) and the eps
rule; for the layer chosen in <i>Layer</i>: a global gamma, set all, scale, one channel's value (click a
bar to pick it), reset to the learned gamma of the weights or to the family's initial gamma, load a
gamma file. <i>Fit gamma</i> makes the normalized layer's median norm match a target layer's, on the
cached normalized features (no network re-run): one uniform gamma in closed form, or a gamma per channel
with Adam (stops early when the loss stops improving; one median does not determine hundreds of
channels, so that answer is one of many). Every gamma change updates the after-views at once and is
one step of <i>Edit → Undo</i> (Ctrl+Z) / <i>Redo</i> (Ctrl+Shift+Z); a slider drag is one step. The
mouse wheel changes the slider or a box only after you click it.</li>
<li><b>Model</b> — the weights in use (name, format, family, sha256), the topology, the input
convention and size, the analysed layers; Re-run (F5) applies changes.</li>
</ul>
<h2>Exports</h2>
<p>File → Export writes histograms and summaries with the engine's exact bin edges (the same files as
<code>featscale-cli analyze</code>), and any plot as PNG, SVG or PDF. Sessions (File → Save session)
keep images, weights, settings, gamma and view state.</p>)");
}

} // namespace featscale::ui
