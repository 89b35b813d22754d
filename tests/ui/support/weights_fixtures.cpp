// SPDX-License-Identifier: GPL-3.0-or-later
#include "weights_fixtures.h"

#include "analysis/core/types.h"
#include "ui/panels/model_panel.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QTest>

namespace featscale::ui::test {

QString fixture(const char* relative) { return QStringLiteral(FEATSCALE_TEST_DATA "/") + QLatin1String(relative); }

std::unique_ptr<MainWindow> startOnOnePhoto(const char* sizeSpec)
{
    isolateSettings();
    auto window = std::make_unique<MainWindow>();
    window->resize(1400, 900);
    window->show();
    window->start({samplePaths().front()});
    if (!waitForIdle(*window))
        return nullptr;
    analysis::AnalyzerOptions options = window->model()->options();
    options.size = analysis::parseSizeSpec(sizeSpec);
    window->model()->setOptions(options);
    return window;
}

QString openWeightsAndWait(MainWindow& window, const QString& file, int timeoutMs)
{
    if (!QFileInfo::exists(file))
        return file + QStringLiteral(" missing (weight fixtures not generated)");
    window.modelPanel()->openWeights(file);
    QDeadlineTimer deadline(timeoutMs);
    while (window.model()->weights().path != file.toStdString()) {
        if (deadline.hasExpired())
            return file + QStringLiteral(": not the model's weights after %1 ms").arg(timeoutMs);
        QTest::qWait(50);
    }
    if (!waitForIdle(window, timeoutMs))
        return file + QStringLiteral(": the run after opening it did not finish");
    return {};
}

} // namespace featscale::ui::test
