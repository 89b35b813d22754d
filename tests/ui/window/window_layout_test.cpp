// SPDX-License-Identifier: GPL-3.0-or-later
// The window at the screen sizes people have (1280×720 … 2560×1440): the plots get at least half
// the width, every plot is visible, at least its minimum width and drawn whole (axes, title and
// legend inside the widget, the legend off the data, no sideways scrolling), the control docks and
// the photo's read-out reflow into the width they get (no sideways scrolling), and the window fits
// the screen. A layout saved for another screen is not restored; View → Reset layout restores the
// default and forgets the saved one.
#include "analysed_photos.h"
#include "analysis/network/layer_catalog.h"
#include "ui/panels/gamma_fit_widget.h"
#include "ui/panels/image_view.h"
#include "ui/plots/layer_scales_panel.h"
#include "ui/plots/qcp.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui/window/window_layout.h"
#include "ui_test_support.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFontMetrics>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace featscale::ui;

namespace {
/// Title bar and a desktop panel: what a screen of this size leaves for a maximised window.
constexpr int kDecorations = 64;

struct ScreenSize {
    int width, height;
};
const ScreenSize kSizes[] = {{1280, 720}, {1366, 768}, {1600, 1000}, {1920, 1080}, {2560, 1440}};

void settle(int ms = 50)
{
    QApplication::processEvents();
    QTest::qWait(ms);
    QApplication::processEvents();
}

/// The width of a text (lines by \n) in a font.
int textWidth(const QString& text, const QFont& font)
{
    return QFontMetrics(font).boundingRect(QRect(0, 0, 100000, 100000), 0, text).width();
}

/// Every way a plot can fail to draw whole, as text for QVERIFY2 (empty: none).
/// True when plot sits on a page of a tab widget inside top that is not the current page.
bool onHiddenInnerPage(QWidget* plot, QWidget* top)
{
    for (QWidget* w = plot; w && w != top; w = w->parentWidget())
        if (auto* stack = qobject_cast<QStackedWidget*>(w->parentWidget()); stack && stack->currentWidget() != w)
            return true;
    return false;
}

QString plotProblems(QCustomPlot* plot, const QString& where)
{
    QStringList problems;
    if (!plot->isVisible())
        problems << QStringLiteral("not visible");
    if (plot->width() < plot->minimumWidth())
        problems << QStringLiteral("width %1 below its minimum %2").arg(plot->width()).arg(plot->minimumWidth());
    // Inside the visible part of its scroll area: nothing cut off on the right.
    for (QWidget* w = plot->parentWidget(); w; w = w->parentWidget())
        if (auto* area = qobject_cast<QScrollArea*>(w)) {
            const QPoint right = plot->mapTo(area->viewport(), QPoint(plot->width(), 0));
            if (right.x() > area->viewport()->width())
                problems << QStringLiteral("right edge %1 beyond the visible width %2")
                                .arg(right.x())
                                .arg(area->viewport()->width());
            if (area->horizontalScrollBar()->isVisible())
                problems << QStringLiteral("scrolls sideways");
            break;
        }
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QRect bounds = plot->rect();
    for (QCPAxisRect* rect : plot->axisRects()) {
        if (!bounds.contains(rect->outerRect()))
            problems
                << QStringLiteral("axes and labels (%1) outside the widget").arg(QDebug::toString(rect->outerRect()));
        if (rect->width() < 150 || rect->height() < 80)
            problems << QStringLiteral("data area only %1×%2").arg(rect->width()).arg(rect->height());
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        auto* grid = qobject_cast<QCPLayoutGrid*>(plot->plotLayout()->elementAt(i));
        if (!grid || qobject_cast<QCPLegend*>(grid))
            continue;
        for (int j = 0; j < grid->elementCount(); ++j)
            if (auto* text = qobject_cast<QCPTextElement*>(grid->elementAt(j)); text && text->visible())
                if (textWidth(text->text(), text->font()) > bounds.width() || !bounds.contains(text->outerRect()))
                    problems << QStringLiteral("title \"%1\" clipped").arg(text->text());
    }
    if (plot->legend && plot->legend->visible()) { // figures rebuild their legend (none when empty)
        if (!bounds.contains(plot->legend->outerRect()))
            problems << QStringLiteral("legend outside the widget");
        for (QCPAxisRect* rect : plot->axisRects())
            if (plot->legend->outerRect().intersects(rect->rect()))
                problems << QStringLiteral("legend over the data");
    }
    return problems.isEmpty() ? QString() : where + QStringLiteral(": ") + problems.join(QStringLiteral("; "));
}
/// Every way the control docks fail to fit their width, as text for QVERIFY2 (empty: none): a
/// scroll area in a dock that shows a sideways bar or holds a panel wider than its viewport, a dock
/// whose contents need more width than it has. Each dock is raised (docks share tabbed columns).
QString sidewaysProblems(QMainWindow& window)
{
    QStringList problems;
    for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
        dock->raise();
        settle();
        if (!dock->isVisible()) {
            problems << dock->objectName() + QStringLiteral(" not visible");
            continue;
        }
        QWidget* content = dock->widget();
        if (content->minimumSizeHint().width() > content->width())
            problems << QStringLiteral("%1 needs %2 px, has %3")
                            .arg(dock->objectName())
                            .arg(content->minimumSizeHint().width())
                            .arg(content->width());
        auto areas = content->findChildren<QScrollArea*>();
        if (auto* area = qobject_cast<QScrollArea*>(content))
            areas.prepend(area);
        for (QScrollArea* area : areas) {
            if (!area->isVisible() || !area->widget())
                continue;
            const QString where = dock->objectName() + QLatin1Char('/') + area->objectName();
            if (area->horizontalScrollBar()->isVisible())
                problems << where + QStringLiteral(" scrolls sideways");
            const int needs = area->widget()->minimumSizeHint().expandedTo(area->widget()->minimumSize()).width();
            if (needs > area->viewport()->width())
                problems
                    << QStringLiteral("%1 needs %2 px, shows %3").arg(where).arg(needs).arg(area->viewport()->width());
            if (area->widget()->width() > area->viewport()->width())
                problems << QStringLiteral("%1 is %2 px wide, shows %3")
                                .arg(where)
                                .arg(area->widget()->width())
                                .arg(area->viewport()->width());
        }
    }
    return problems.join(QStringLiteral("; "));
}

/// Whether the image view's read-out fits its width (no sideways bar, nothing cut off) and shows
/// every layer; text for QVERIFY2 (empty: it does).
QString readoutProblems(ImageView* view, const std::vector<std::string>& layers)
{
    QStringList problems;
    auto* area = view->findChild<QScrollArea*>(QStringLiteral("readoutScroll"));
    auto* label = view->findChild<QLabel*>(QStringLiteral("readout"));
    if (!area || !label)
        return QStringLiteral("no read-out");
    const int shown = area->viewport()->width();
    if (area->horizontalScrollBar()->isVisible())
        problems << QStringLiteral("read-out scrolls sideways");
    if (label->width() > shown)
        problems << QStringLiteral("read-out %1 px wide, shows %2").arg(label->width()).arg(shown);
    if (label->minimumSizeHint().width() > shown)
        problems << QStringLiteral("read-out needs %1 px, shows %2").arg(label->minimumSizeHint().width()).arg(shown);
    if (label->height() < label->heightForWidth(label->width()))
        problems << QStringLiteral("read-out cut off at the bottom");
    // The controls above the photo show their whole text.
    for (QComboBox* box : view->findChildren<QComboBox*>())
        if (box->isVisible() && box->width() < box->sizeHint().width())
            problems << QStringLiteral("\"%1\" cut to %2 of %3 px")
                            .arg(box->currentText())
                            .arg(box->width())
                            .arg(box->sizeHint().width());
    const QString text = view->readoutText();
    if (!text.contains(QStringLiteral("Pinned")))
        problems << QStringLiteral("no pinned pixel in \"%1\"").arg(text);
    for (const std::string& layer : layers)
        if (!text.contains(QString::fromStdString(layer)))
            problems << QStringLiteral("%1 missing").arg(QString::fromStdString(layer));
    return problems.isEmpty() ? QString()
                              : problems.join(QStringLiteral("; ")) + QStringLiteral(" in a read-out of ") +
                                    QString::number(shown) + QStringLiteral(" px");
}
} // namespace

class WindowLayoutTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::AnalysedPhotos> m_photos;

    void loadPhotos(MainWindow& window)
    {
        m_photos->load(*window.model());
        const auto r = window.model()->currentResult();
        QVERIFY(r);
        window.model()->setPin(QPointF(r->originalWidth * 0.45, r->originalHeight * 0.4));
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        // Every tap, as the window analyses by default: 20 layers in the histogram's check boxes and the
        // layer-scale axis.
        featscale::analysis::AnalyzerOptions options;
        for (const auto& tap : featscale::analysis::LayerCatalog(options.arch).taps())
            options.layers.push_back(tap.name);
        m_photos = std::make_unique<test::AnalysedPhotos>(std::vector<const char*>{"chelsea.jpg", "coffee.jpg"},
                                                          options);
    }

    void init() { QSettings().clear(); }

    void plotsGetHalfTheWidthAndDrawWhole_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        for (const ScreenSize& s : kSizes)
            QTest::newRow(qPrintable(QStringLiteral("%1x%2").arg(s.width).arg(s.height))) << s.width << s.height;
    }

    void plotsGetHalfTheWidthAndDrawWhole()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        MainWindow window;
        loadPhotos(window);
        window.resize(width, height - kDecorations);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.applyDefaultLayout();
        settle();
        // The window fits the screen: nothing forces it larger than the screen offers.
        const QSize minimum = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(minimum.width() <= width && minimum.height() <= height - kDecorations,
                 qPrintable(QStringLiteral("minimum size %1×%2").arg(minimum.width()).arg(minimum.height())));
        QCOMPARE(window.size(), QSize(width, height - kDecorations));

        QTabWidget* tabs = window.plotTabs();
        QVERIFY2(tabs->width() * 2 >= width - 2,
                 qPrintable(QStringLiteral("plots %1 px of %2").arg(tabs->width()).arg(width)));
        QVERIFY(window.imageView()->isVisible());
        QVERIFY(window.imageView()->width() >= window_layout::kImageMinimumWidth);
        // Wide screens give gamma its own column; narrower ones tab it with the other controls.
        auto* gamma = window.findChild<QDockWidget*>(QStringLiteral("gammaDock"));
        QCOMPARE(window.dockWidgetArea(gamma),
                 width >= window_layout::kThreeColumnWidth ? Qt::RightDockWidgetArea : Qt::LeftDockWidgetArea);
        for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
            QVERIFY(!dock->isFloating());
            QVERIFY2(dock->width() >= window_layout::kDockMinimumWidth, qPrintable(dock->objectName()));
        }
        // The docks are tabs of their column, never stacked: each one shown gets the column's whole
        // height (Runs is a tab beside γ, not a strip under the image list).
        auto* runs = window.findChild<QDockWidget*>(QStringLiteral("runsDock"));
        QVERIFY(window.tabifiedDockWidgets(gamma).contains(runs));
        for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
            if (dock->visibleRegion().isEmpty())
                continue;                                                         // a tab not raised
            QVERIFY2(dock->height() >= window.centralWidget()->height() * 9 / 10, // less only the tab bar
                     qPrintable(QStringLiteral("%1 is %2 px high, the column %3")
                                    .arg(dock->objectName())
                                    .arg(dock->height())
                                    .arg(window.centralWidget()->height())));
        }
        // The control panels (γ with its Fit γ section and loss plot included) reflow into the
        // dock's width: no sideways scrolling.
        window.findChild<GammaFitWidget*>()->setPerChannel(true); // shows steps, lr and the loss plot
        const QString docks = sidewaysProblems(window);
        QVERIFY2(docks.isEmpty(), qPrintable(docks));
        // The pinned pixel's read-out (every layer's cell and norms) fits the photo's width.
        QTRY_VERIFY(window.imageView()->photoLoaded());
        settle();
        const QString readout = readoutProblems(window.imageView(), window.model()->layers());
        QVERIFY2(readout.isEmpty(), qPrintable(readout));

        for (int t = 0; t < tabs->count(); ++t) {
            tabs->setCurrentIndex(t);
            settle();
            auto* area = qobject_cast<QScrollArea*>(tabs->widget(t));
            QVERIFY(area);
            QVERIFY2(area->widget()->minimumSizeHint().width() <= area->viewport()->width(),
                     qPrintable(QStringLiteral("%1 needs %2 px, has %3")
                                    .arg(area->objectName())
                                    .arg(area->widget()->minimumSizeHint().width())
                                    .arg(area->viewport()->width())));
            QMetaObject::invokeMethod(area->widget(), "refreshNow", Qt::DirectConnection);
            const auto plots = area->widget()->findChildren<QCustomPlot*>();
            QVERIFY(!plots.isEmpty());
            for (QCustomPlot* plot : plots) {
                if (onHiddenInnerPage(plot, area->widget()))
                    continue; // a page of an inner tab widget (the compare view's figures) not shown now
                const QString problems = plotProblems(plot, plot->objectName());
                QVERIFY2(problems.isEmpty(), qPrintable(problems));
            }
        }
    }

    /// The control docks yield down to kDockMinimumWidth and the photo down to kImageMinimumWidth:
    /// even there no panel scrolls sideways and the read-out fits.
    void controlsFitTheNarrowestColumns()
    {
        MainWindow window;
        loadPhotos(window);
        window.resize(1280, 720 - kDecorations);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.applyDefaultLayout();
        window.findChild<GammaFitWidget*>()->setPerChannel(true);
        settle();
        auto* images = window.findChild<QDockWidget*>(QStringLiteral("imagesDock"));
        window.resizeDocks({images}, {window_layout::kDockMinimumWidth}, Qt::Horizontal);
        auto* split = window.findChild<QSplitter*>(QStringLiteral("centralSplit"));
        split->setSizes({window_layout::kImageMinimumWidth, 4000});
        settle();
        QVERIFY2(images->width() <= window_layout::kDockMinimumWidth + 2, qPrintable(QString::number(images->width())));
        QVERIFY2(window.imageView()->width() <= window_layout::kImageMinimumWidth + 2,
                 qPrintable(QString::number(window.imageView()->width())));
        const QString docks = sidewaysProblems(window);
        QVERIFY2(docks.isEmpty(), qPrintable(docks));
        QTRY_VERIFY(window.imageView()->photoLoaded());
        settle();
        const QString readout = readoutProblems(window.imageView(), window.model()->layers());
        QVERIFY2(readout.isEmpty(), qPrintable(readout));
    }

    void resetLayoutRestoresTheDefaultAndForgetsTheSavedOne()
    {
        MainWindow window;
        window.resize(1600, 1000 - kDecorations);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        settle();
        // Squeeze the plots as far as they go: wide docks and a wide photo.
        auto* images = window.findChild<QDockWidget*>(QStringLiteral("imagesDock"));
        window.resizeDocks({images}, {700}, Qt::Horizontal);
        auto* split = window.findChild<QSplitter*>(QStringLiteral("centralSplit"));
        split->setSizes({2000, 1});
        settle();
        QVERIFY(window.plotTabs()->width() * 2 < 1600);
        QVERIFY(window.plotTabs()->width() >= window_layout::kPlotMinimumWidth); // minimum honoured
        window.close();                                                          // saves the squeezed layout
        QVERIFY(QSettings().contains(QStringLiteral("window/state")));

        QAction* reset = window.findChild<QAction*>(QStringLiteral("resetLayoutAction"));
        QVERIFY(reset);
        window.show();
        reset->trigger();
        settle();
        QVERIFY2(window.plotTabs()->width() * 2 >= 1600 - 2,
                 qPrintable(QStringLiteral("plots %1, photo %2, images dock %3")
                                .arg(window.plotTabs()->width())
                                .arg(window.imageView()->width())
                                .arg(images->width())));
        QVERIFY(!QSettings().contains(QStringLiteral("window/state")));
        QVERIFY(!QSettings().contains(QStringLiteral("window/geometry")));
    }

    void aLayoutSavedOnTheSameScreenComesBack()
    {
        {
            MainWindow window;
            window.resize(1500, 900);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            settle();
            window.findChild<QDockWidget*>(QStringLiteral("gammaDock"))->hide();
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(1500, 900));
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        settle();
        QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("gammaDock"))->isHidden());
    }

    void aLayoutSavedForAnotherScreenIsNotRestored_data()
    {
        QTest::addColumn<QSize>("screen");
        QTest::addColumn<QRect>("rect");
        QTest::newRow("larger screen") << QSize(3840, 2160) << QRect(0, 0, 1500, 900);
        QTest::newRow("window larger than this screen") << QSize(2560, 1440) << QRect(0, 0, 3800, 2100);
    }

    void aLayoutSavedForAnotherScreenIsNotRestored()
    {
        QFETCH(QSize, screen);
        QFETCH(QRect, rect);
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            settle();
            window.findChild<QDockWidget*>(QStringLiteral("gammaDock"))->hide();
            window.close();
        }
        QSettings settings;
        settings.setValue(QStringLiteral("window/screen"), screen);
        settings.setValue(QStringLiteral("window/rect"), rect);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        settle();
        QCOMPARE(window.screen()->availableGeometry().size(), QSize(2560, 1440));
        QVERIFY(window.width() <= 2560 && window.height() <= 1440);
        QVERIFY(!window.findChild<QDockWidget*>(QStringLiteral("gammaDock"))->isHidden()); // the default, not the saved
    }

    void savedLayoutFitsOnlyItsScreen()
    {
        const QRect screen(0, 0, 1600, 1000);
        QVERIFY(window_layout::savedLayoutFits(QSize(1600, 1000), QRect(10, 10, 1500, 950), screen));
        QVERIFY(!window_layout::savedLayoutFits(QSize(2560, 1440), QRect(10, 10, 1500, 950), screen));
        QVERIFY(!window_layout::savedLayoutFits(QSize(1600, 1000), QRect(0, 0, 1700, 950), screen));
        QVERIFY(!window_layout::savedLayoutFits(QSize(), QRect(0, 0, 1500, 950), screen));
    }

    void defaultPlanGivesThePlotsHalfAtEverySize()
    {
        for (const ScreenSize& s : kSizes) {
            const window_layout::Plan p = window_layout::plan(s.width);
            QVERIFY(p.plots * 2 >= s.width);
            QVERIFY(p.image >= window_layout::kImageMinimumWidth);
            QVERIFY(p.leftDock >= window_layout::kDockMinimumWidth);
            QVERIFY(p.leftDock + p.rightDock + p.image + p.plots <= s.width);
        }
    }

    void cleanupTestCase() { m_photos.reset(); }
};

// The offscreen platform's one screen is 800×600 unless configured: give it the largest size tested,
// so windows of every tested size fit it.
int main(int argc, char** argv)
{
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("screens.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(R"({"screens": [{"name": "test", "x": 0, "y": 0, "width": 2560, "height": 1440,
                          "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})") < 0)
        return 2;
    file.close();
    qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + QFile::encodeName(config));
    QApplication app(argc, argv);
    WindowLayoutTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "window_layout_test.moc"
