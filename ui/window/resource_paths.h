// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace featscale::ui {

/// featscale's data folder, `<exe>/../share/featscale` (analysis::dataDir(): one rule for the
/// build tree, an installed tree and a moved one). Empty if it does not exist.
QString resourceDir();
/// The bundled sample photos (`<data folder>/samples/*.jpg`), sorted.
QStringList sampleImages();

} // namespace featscale::ui
