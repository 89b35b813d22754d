// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI in Simplified Chinese: run under LANG=zh_CN.UTF-8 (ctest sets it), the window built as
// featscale's main builds it shows its menus, dock, tab and group titles in Chinese, Qt's own
// buttons too, and View → Language switches to English and back without a restart.
#include "ui/panels/help_dialog.h"
#include "ui/window/main_window.h"
#include "ui/window/translations.h"
#include "ui_test_support.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QGroupBox>
#include <QLibraryInfo>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTest>

#include <memory>

using namespace featscale::ui;

namespace {
const char* const kWindow = "featscale::ui::MainWindow";

bool hasCjk(const QString& s)
{
    for (const QChar c : s)
        if (c.unicode() >= 0x3400 && c.unicode() <= 0x9fff)
            return true;
    return false;
}

QString inWindow(const char* source) { return QCoreApplication::translate(kWindow, source); }

QStringList menuTitles(const MainWindow& w)
{
    QStringList out;
    for (QAction* a : w.menuBar()->actions())
        out << a->text();
    return out;
}

QString dockTitle(const MainWindow& w, const char* objectName)
{
    auto* dock = w.findChild<QDockWidget*>(QString::fromLatin1(objectName));
    return dock ? dock->windowTitle() : QString();
}

QStringList tabTitles(const MainWindow& w)
{
    QStringList out;
    for (int i = 0; i < w.plotTabs()->count(); ++i)
        out << w.plotTabs()->tabText(i);
    return out;
}

QAction* languageAction(const MainWindow& w, const char* name)
{
    return w.findChild<QAction*>(QString::fromLatin1(name));
}
} // namespace

class TranslationsTest : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        translations::saveChoice(QString()); // an earlier, interrupted run may have saved one
        QVERIFY2(QLocale::system().name().startsWith(QLatin1String("zh")),
                 qPrintable(QStringLiteral("run under LANG=zh_CN.UTF-8 (ctest does); the system locale is ") +
                            QLocale::system().name()));
        // As featscale's main does, before any widget exists.
        const QString file = translations::apply(translations::savedChoice());
        QVERIFY2(!file.isEmpty(), "no featscale_zh_CN.qm found for the Chinese system locale");
        qInfo() << "featscale messages from" << file;
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1500, 950);
        m_window->show();
    }

    void cleanupTestCase() { m_window.reset(); }

    void menusAreChinese()
    {
        const QStringList expected{inWindow("&File"), inWindow("&Edit"), inWindow("&View"), inWindow("&Run"),
                                   inWindow("&Help")};
        QCOMPARE(menuTitles(*m_window), expected);
        for (const QString& t : expected)
            QVERIFY2(hasCjk(t) && t.contains(QLatin1Char('&')), qPrintable(t));
        QCOMPARE(expected.front(), QStringLiteral("文件(&F)"));
        // Items inside the menus too.
        QMenu* file = m_window->menuBar()->actions().front()->menu();
        QVERIFY(file);
        QCOMPARE(file->actions().front()->text(), inWindow("Add &images…"));
        QVERIFY(hasCjk(file->actions().front()->text()));
    }

    void panelTitlesAreChinese()
    {
        for (const auto& [name, source] : {std::pair{"imagesDock", "Images"}, std::pair{"modelDock", "Model"},
                                           std::pair{"gammaDock", "Gamma (L2Norm)"}}) {
            const QString title = dockTitle(*m_window, name);
            QCOMPARE(title, inWindow(source));
            QVERIFY2(hasCjk(title) || title.startsWith(QStringLiteral("γ")), qPrintable(title));
        }
        const QStringList tabs = tabTitles(*m_window);
        QCOMPARE(tabs, (QStringList{inWindow("Layer scales"), inWindow("Histograms"), inWindow("ParseNet concat"),
                                    inWindow("Compare runs"), inWindow("Training")}));
        for (const QString& t : tabs)
            QVERIFY2(hasCjk(t), qPrintable(t));
        // Group boxes of the model and gamma panels: Chinese, field terms kept.
        const auto groups = m_window->findChildren<QGroupBox*>();
        QVERIFY(groups.size() >= 4);
        for (QGroupBox* g : groups)
            QVERIFY2(hasCjk(g->title()), qPrintable(g->objectName() + QStringLiteral(": ") + g->title()));
        bool keptL2Norm = false;
        for (QGroupBox* g : groups)
            keptL2Norm = keptL2Norm || g->title().contains(QStringLiteral("L2Norm"));
        QVERIFY(keptL2Norm);
    }

    void qtsOwnButtonsAreChinese()
    {
        const QString qtbase = QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_zh_CN.qm");
        if (!QFileInfo::exists(qtbase))
            QSKIP("Debian's qt6-translations-l10n is not installed (no qtbase_zh_CN.qm)");
        HelpDialog help(m_window.get());
        auto* box = help.findChild<QDialogButtonBox*>();
        QVERIFY(box);
        QPushButton* close = box->button(QDialogButtonBox::Close);
        QVERIFY(close);
        QVERIFY2(hasCjk(close->text()), qPrintable(close->text()));
        QVERIFY(hasCjk(help.windowTitle()));
    }

    void languageMenuSwitchesOnTheFly()
    {
        QAction* system = languageAction(*m_window, "language_system");
        QAction* english = languageAction(*m_window, "language_en");
        QAction* chinese = languageAction(*m_window, "language_zh_CN");
        QVERIFY(system && english && chinese);
        QVERIFY(system->isChecked());
        QCOMPARE(english->text(), QStringLiteral("English"));
        QCOMPARE(chinese->text(), QStringLiteral("简体中文"));
        QVERIFY(hasCjk(system->text()));

        english->trigger();
        QCOMPARE(menuTitles(*m_window), (QStringList{"&File", "&Edit", "&View", "&Run", "&Help"}));
        QCOMPARE(dockTitle(*m_window, "imagesDock"), QStringLiteral("Images"));
        QCOMPARE(dockTitle(*m_window, "gammaDock"), QStringLiteral("Gamma (L2Norm)"));
        QCOMPARE(tabTitles(*m_window),
                 (QStringList{"Layer scales", "Histograms", "ParseNet concat", "Compare runs", "Training"}));
        QCOMPARE(system->text(), QStringLiteral("System default"));
        // The panels retranslate themselves too: group boxes, check boxes, plots' titles.
        for (QGroupBox* g : m_window->findChildren<QGroupBox*>())
            QVERIFY2(!hasCjk(g->title()), qPrintable(g->title()));
        auto* overlay = m_window->findChild<QCheckBox*>(QStringLiteral("overlayToggle"));
        QVERIFY(overlay);
        QCOMPARE(overlay->text(), QStringLiteral("Norm overlay"));
        QVERIFY(english->isChecked());
        QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("en"));
        QCOMPARE(translations::savedChoice(), QStringLiteral("en"));

        chinese->trigger();
        QCOMPARE(menuTitles(*m_window).front(), QStringLiteral("文件(&F)"));
        QVERIFY(hasCjk(dockTitle(*m_window, "imagesDock")));
        QVERIFY(hasCjk(tabTitles(*m_window).front()));
        QVERIFY(hasCjk(overlay->text()));
        for (QGroupBox* g : m_window->findChildren<QGroupBox*>())
            QVERIFY2(hasCjk(g->title()), qPrintable(g->title()));
        QVERIFY(chinese->isChecked());

        system->trigger(); // the system locale is Chinese here
        QVERIFY(hasCjk(menuTitles(*m_window).front()));
        QVERIFY(!QSettings().contains(QStringLiteral("ui/language")));
    }

    void savedChoiceWinsOverTheSystemLocale()
    {
        translations::saveChoice(QStringLiteral("en"));
        QVERIFY(translations::apply(translations::savedChoice()).isEmpty());
        MainWindow english;
        QCOMPARE(menuTitles(english).front(), QStringLiteral("&File"));
        QVERIFY(languageAction(english, "language_en")->isChecked());
        translations::saveChoice(QString());
        QVERIFY(!translations::apply(translations::savedChoice()).isEmpty());
    }
};

QTEST_MAIN(TranslationsTest)
#include "translations_test.moc"
