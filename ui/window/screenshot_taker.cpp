// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/screenshot_taker.h"

#include "ui/jobs/batch_controller.h"
#include "ui/panels/help_dialog.h"
#include "ui/panels/image_view.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QPixmap>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

namespace featscale::ui {

namespace {
/// Lets queued work (photo decoding, plot replots) settle before a grab.
void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}
} // namespace

ScreenshotTaker::ScreenshotTaker(MainWindow* window, const QString& dir, int timeoutSeconds)
    : QObject(window), m_window(window), m_dir(dir)
{
    QDir().mkpath(dir);
    connect(window->model(), &AppModel::runFinished, this, [this] {
        if (!m_started) {
            m_started = true;
            QTimer::singleShot(500, this, &ScreenshotTaker::capture);
        }
    });
    QTimer::singleShot(timeoutSeconds * 1000, this, [this] {
        if (!m_started) {
            QTextStream(stderr) << "screenshots: the run did not finish in time\n";
            Q_EMIT finished(false);
        }
    });
}

bool ScreenshotTaker::grab(QWidget* widget, const QString& name)
{
    const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
    const bool ok = widget->grab().save(path);
    QTextStream(stderr) << (ok ? "wrote " : "FAILED to write ") << path << "\n";
    return ok;
}

void ScreenshotTaker::capture()
{
    AppModel* model = m_window->model();
    // Show chelsea (a cat fills the frame) when present: the overlay reads best on it.
    for (int i = 0; i < model->imageCount(); ++i)
        if (model->image(i).path.contains(QStringLiteral("chelsea")))
            model->setCurrentIndex(i);
    model->setSelectedLayer("conv4_3");
    settle(1500);
    bool ok = grab(m_window, QStringLiteral("main"));
    if (qEnvironmentVariableIsSet("FEATSCALE_LAYOUT_DEBUG"))
        for (QWidget* w : m_window->findChildren<QWidget*>())
            if (w->minimumSizeHint().width() > 300 && !w->objectName().isEmpty())
                QTextStream(stderr) << w->objectName() << " " << w->metaObject()->className() << " minHint "
                                    << w->minimumSizeHint().width() << " min " << w->minimumWidth() << " w "
                                    << w->width() << "\n";

    QTabWidget* tabs = m_window->plotTabs();
    // main.png shows the tab a first start opens on (the histograms); each other tab gets its own.
    const int first = tabs->currentIndex();
    for (int t = 0; t < tabs->count(); ++t) {
        if (t == first)
            continue;
        tabs->setCurrentIndex(t);
        settle(400);
        // File names from the panels, not the tab texts: those follow the GUI language.
        const QString panel = tabs->widget(t)->objectName();
        const QString name = panel.startsWith(QLatin1String("histogram"))     ? QStringLiteral("histograms")
                             : panel.startsWith(QLatin1String("layerScales")) ? QStringLiteral("layer-scales")
                             : panel.startsWith(QLatin1String("concat"))      ? QStringLiteral("parsenet-concat")
                                                                              : panel;
        if (name == QLatin1String("parsenet-concat")) {
            if (auto r = model->currentResult())
                model->setPin(QPointF(r->originalWidth * 0.45, r->originalHeight * 0.4));
            settle(600);
        }
        ok &= grab(m_window, QStringLiteral("tab-") + name);
    }

    // Each control dock raised in turn (they share a tabbed column below 2200 px), the γ dock last
    // so that it is the one left showing.
    QList<QDockWidget*> docks = m_window->findChildren<QDockWidget*>();
    std::stable_partition(docks.begin(), docks.end(),
                          [](const QDockWidget* d) { return d->objectName() != QLatin1String("gammaDock"); });
    for (QDockWidget* dock : docks) {
        dock->raise();
        settle(300);
        ok &= grab(dock, QStringLiteral("dock-") + dock->objectName());
        if (auto* area = qobject_cast<QScrollArea*>(dock->widget()); area && area->widget())
            ok &= grab(area->widget(), QStringLiteral("dock-") + dock->objectName() + QStringLiteral("-whole"));
    }

    m_window->imageView()->setStage(Stage::After);
    settle(400);
    ok &= grab(m_window->imageView(), QStringLiteral("image-after"));
    m_window->imageView()->setStage(Stage::Before);

    HelpDialog help(m_window);
    help.show();
    settle(300);
    ok &= grab(&help, QStringLiteral("help"));
    Q_EMIT finished(ok);
}

} // namespace featscale::ui
