// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

namespace featscale::ui {

class AppModel;

/// The concat energy share of the current image in one sentence, "conv4_3 carries 97 % of the
/// concatenation before L2Norm, 41 % after", from the engine's concatEnergyShares over the topology's
/// default group (normalized layers and fc7) with the model's current γ. Empty when there is no
/// analysed image, no group of two, or no cached features for the after side. GUI thread.
struct EnergyShareText {
    Q_DECLARE_TR_FUNCTIONS(EnergyShareText)

public:
    QString sentence;             ///< the headline: the first layer of the group
    QString details;              ///< every layer's share, before and after, for the tooltip
    double before = 0, after = 0; ///< the headline layer's median share (0..1); NaN when unknown

    static EnergyShareText of(const AppModel& model);
};

} // namespace featscale::ui
