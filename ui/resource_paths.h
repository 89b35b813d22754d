// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace featscale::ui {

/// The resources folder (samples, licences): FEATSCALE_RESOURCE_DIR when it exists (build tree),
/// else next to the executable (../share/featscale/resources, ./resources) for installed or
/// relocated copies. Empty if none is found.
QString resourceDir();
/// The bundled sample photos (resources/samples/*.jpg), sorted.
QStringList sampleImages();

} // namespace featscale::ui
