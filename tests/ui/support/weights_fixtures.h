// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <memory>

namespace featscale::ui {
class MainWindow;
}

namespace featscale::ui::test {

/// A generated fixture: relative is below the build tree's test data (FEATSCALE_TEST_DATA).
QString fixture(const char* relative);
/// A shown main window, settings isolated, that has analysed the first bundled photo with the
/// default weights (one photo keeps each re-run after opening weights short) and then analyses at
/// sizeSpec (analysis::parseSizeSpec). Null when that first run did not finish (waitForIdle says why).
std::unique_ptr<MainWindow> startOnOnePhoto(const char* sizeSpec);
/// Opens file through the model panel's Open weights path and waits until the model holds it and
/// the re-run is done (each wait up to timeoutMs). Empty on success; otherwise what went wrong,
/// naming the file.
QString openWeightsAndWait(MainWindow& window, const QString& file, int timeoutMs = 300000);

} // namespace featscale::ui::test
