// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/untrained_banner.h"

#include "analysis/weights/catalog.h"
#include "analysis/weights/discovery.h"
#include "ui/weights_discovery.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace featscale::ui {

namespace wt = featscale::analysis::weights;

namespace {
QString sizeOf(const char* name)
{
    const wt::CatalogEntry* e = wt::findEntry(wt::builtinCatalog(), name);
    return e ? QString::fromStdString(wt::describeSize(*e)) : QString();
}
} // namespace

UntrainedBanner::UntrainedBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("untrainedBanner"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#untrainedBanner { background: #fde7e9; border: 1px solid #c62828; }"));
    auto* text = new QLabel(tr("<b>The default weights are UNTRAINED</b> (random, seeded): the plots show an untrained "
                               "network. The ParseNet scale gap — conv4_3's features far larger than fc7's — appears "
                               "only with trained weights."),
                            this);
    text->setWordWrap(true);
    auto* vgg = new QPushButton(tr("Download VGG16 (ImageNet, %1)").arg(sizeOf("vgg16")), this);
    vgg->setObjectName(QStringLiteral("bannerVgg16"));
    auto* ssd = new QPushButton(tr("Download SSD300 (COCO, %1)").arg(sizeOf("ssd300-coco")), this);
    ssd->setObjectName(QStringLiteral("bannerSsd300"));
    auto* more = new QPushButton(tr("More…"), this);
    auto* close = new QToolButton(this);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(text, 1);
    layout->addWidget(vgg);
    layout->addWidget(ssd);
    layout->addWidget(more);
    layout->addWidget(close);
    connect(vgg, &QPushButton::clicked, this, [this] { Q_EMIT downloadRequested(QStringLiteral("vgg16")); });
    connect(ssd, &QPushButton::clicked, this, [this] { Q_EMIT downloadRequested(QStringLiteral("ssd300-coco")); });
    connect(more, &QPushButton::clicked, this, &UntrainedBanner::moreRequested);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

bool UntrainedBanner::noTrainedWeightsAnywhere()
{
    if (hasRecentWeights())
        return false;
    for (const wt::DiscoveredWeights& w : wt::discoverWeights(/*hash=*/false))
        if (w.check != wt::DiscoveredWeights::Check::Mismatch)
            return false;
    return true;
}

} // namespace featscale::ui
