// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace featscale::ui {

/// Weight files to offer in the model panel: recently opened ones (QSettings) that still exist,
/// followed by those the engine's discovery finds in the usual places. No duplicates.
QStringList discoveredWeights();
/// Records a weight file the user opened (most recent first, bounded list).
void rememberWeights(const QString& path);

} // namespace featscale::ui
