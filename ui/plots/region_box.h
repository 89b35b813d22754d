// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/core/region.h"

#include <QComboBox>
#include <QString>

#include <vector>

namespace featscale::analysis {
struct Histogram;
struct NormMap;
struct RegionMask;
} // namespace featscale::analysis

namespace featscale::ui {

/// The "Region" choice of the plots over annotated images: all cells, object vs background
/// overlaid, or the COCO size classes (small, medium, large) overlaid. Offered only while the
/// current image has boxes (setAvailable); otherwise it reads All. GUI thread.
class RegionBox : public QComboBox {
    Q_OBJECT
public:
    enum class Split { All, ObjectBackground, Sizes };
    explicit RegionBox(QWidget* parent = nullptr);

    Split split() const;
    void setSplit(Split split);
    void setAvailable(bool available);
    /// The regions the choice overlays, in drawing order ({All} for All).
    std::vector<analysis::Region> regions() const;
    /// "object vs background", "small, medium, large": what a title says; empty for All.
    QString title() const;

    /// "object", "background", "small", … in the GUI language.
    static QString regionName(analysis::Region region);
    /// The histogram of a norm map over the cells of `region` (cells whose centre lies in a box, the
    /// engine's RegionMask), in the bins of `like`.
    static analysis::Histogram histogramOf(const analysis::NormMap& map, const analysis::RegionMask& mask,
                                           analysis::Region region, const analysis::Histogram& like);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
};

} // namespace featscale::ui
