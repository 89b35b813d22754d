// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/untrained_banner.h"

#include "analysis/weights/download/catalog.h"
#include "analysis/weights/download/discovery.h"
#include "ui/state/weights_discovery.h"

#include <QEvent>
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

UntrainedBanner::UntrainedBanner(QWidget* parent)
    : QFrame(parent), m_text(new QLabel(this)), m_vgg(new QPushButton(this)), m_ssd(new QPushButton(this)),
      m_more(new QPushButton(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("untrainedBanner"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#untrainedBanner { background: #fde7e9; border: 1px solid #c62828; }"));
    m_text->setWordWrap(true);
    m_vgg->setObjectName(QStringLiteral("bannerVgg16"));
    m_ssd->setObjectName(QStringLiteral("bannerSsd300"));
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    retranslate();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_vgg);
    layout->addWidget(m_ssd);
    layout->addWidget(m_more);
    layout->addWidget(m_close);
    connect(m_vgg, &QPushButton::clicked, this, [this] { Q_EMIT downloadRequested(QStringLiteral("vgg16")); });
    connect(m_ssd, &QPushButton::clicked, this, [this] { Q_EMIT downloadRequested(QStringLiteral("ssd300-coco")); });
    connect(m_more, &QPushButton::clicked, this, &UntrainedBanner::moreRequested);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void UntrainedBanner::retranslate()
{
    m_text->setText(tr("<b>The default weights are UNTRAINED</b> (random, seeded): the plots show an untrained "
                       "network. The ParseNet scale gap — conv4_3's features far larger than fc7's — appears "
                       "only with trained weights."));
    m_vgg->setText(tr("Download VGG16 (ImageNet, %1)").arg(sizeOf("vgg16")));
    m_ssd->setText(tr("Download SSD300 (COCO, %1)").arg(sizeOf("ssd300-coco")));
    m_more->setText(tr("More…"));
    m_close->setToolTip(tr("Dismiss"));
}

void UntrainedBanner::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
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
