// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/region_box.h"

#include "analysis/regions/region_mask.h"
#include "analysis/stats/histogram.h"
#include "analysis/stats/norm_map.h"

#include <QEvent>

namespace featscale::ui {

namespace an = featscale::analysis;

RegionBox::RegionBox(QWidget* parent) : QComboBox(parent)
{
    setObjectName(QStringLiteral("regionBox"));
    addItems({QString(), QString(), QString()});
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    retranslate();
    setAvailable(false);
}

void RegionBox::retranslate()
{
    setItemText(0, tr("All cells"));
    setItemText(1, tr("Object vs background"));
    setItemText(2, tr("By size: small, medium, large"));
    setToolTip(tr("Split by the annotations' boxes: a cell is on an object when its centre lies inside a box; "
                  "sizes are COCO's (small < 32², medium < 96² pixels)"));
}

void RegionBox::changeEvent(QEvent* event)
{
    QComboBox::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
}

RegionBox::Split RegionBox::split() const { return isEnabled() ? static_cast<Split>(currentIndex()) : Split::All; }

void RegionBox::setSplit(Split split) { setCurrentIndex(static_cast<int>(split)); }

void RegionBox::setAvailable(bool available)
{
    setEnabled(available);
    setVisible(available);
}

std::vector<an::Region> RegionBox::regions() const
{
    switch (split()) {
    case Split::ObjectBackground:
        return {an::Region::Object, an::Region::Background};
    case Split::Sizes:
        return {an::Region::Small, an::Region::Medium, an::Region::Large};
    case Split::All:
        break;
    }
    return {an::Region::All};
}

QString RegionBox::title() const
{
    switch (split()) {
    case Split::ObjectBackground:
        return tr("object vs background");
    case Split::Sizes:
        return tr("objects by size");
    case Split::All:
        break;
    }
    return {};
}

QString RegionBox::regionName(an::Region region)
{
    switch (region) {
    case an::Region::All:
        return tr("all");
    case an::Region::Object:
        return tr("object");
    case an::Region::Background:
        return tr("background");
    case an::Region::Small:
        return tr("small");
    case an::Region::Medium:
        return tr("medium");
    case an::Region::Large:
        return tr("large");
    }
    return {};
}

an::Histogram RegionBox::histogramOf(const an::NormMap& map, const an::RegionMask& mask, an::Region region,
                                     const an::Histogram& like)
{
    an::Histogram h(like.scheme);
    if (mask.height != map.height || mask.width != map.width)
        return h;
    for (std::size_t i = 0; i < map.values.size(); ++i)
        if (mask.inRegion(i, region))
            h.add(map.values[i]);
    return h;
}

} // namespace featscale::ui
