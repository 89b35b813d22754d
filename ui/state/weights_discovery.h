// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace featscale::ui {

/// One weight file the model panel offers.
struct WeightsChoice {
    QString path;
    QString label; ///< file name plus what it is, e.g. "vgg16-397923af.pth — torchvision vgg16 (ImageNet)"
};

/// Weight files to offer in the model panel: recently opened ones (QSettings) that still exist,
/// then those the engine's discovery finds in the PyTorch and Keras caches. No duplicates.
/// Nothing is opened to find them.
QList<WeightsChoice> discoveredWeights();
/// The folders searched, for the "nothing found" tool tip.
QStringList discoveryFolders();
/// Records a weight file that loaded (most recent first, bounded list).
void rememberWeights(const QString& path);
/// True when a weight file opened before still exists.
bool hasRecentWeights();

} // namespace featscale::ui
