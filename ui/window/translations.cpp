// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/translations.h"

#include "ui/window/resource_paths.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

namespace featscale::ui::translations {

namespace {
const char* const kSettingsKey = "ui/language";

/// The two translators live as long as the application; apply() swaps what they hold.
QTranslator* translator(QPointer<QTranslator>& slot)
{
    if (!slot)
        slot = new QTranslator(QCoreApplication::instance());
    return slot;
}

QPointer<QTranslator> g_featscale;
QPointer<QTranslator> g_qt;

/// The first of the locale's UI languages that featscale has a catalogue for, loaded into t;
/// stops at English, the language of the source texts (LANGUAGE=en_GB:zh_CN means English).
bool loadFeatscale(QTranslator* t, const QLocale& locale)
{
    for (const QString& lang : locale.uiLanguages()) {
        const QLocale l(lang);
        if (l.language() == QLocale::English || l.language() == QLocale::C)
            return false;
        for (const QString& dir : searchPath())
            if (t->load(l, QStringLiteral("featscale"), QStringLiteral("_"), dir))
                return true;
    }
    return false;
}
} // namespace

QStringList available() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }

QString savedChoice()
{
    const QString code = QSettings().value(QLatin1String(kSettingsKey)).toString();
    return available().contains(code) ? code : QString();
}

void saveChoice(const QString& code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(QLatin1String(kSettingsKey));
    else
        settings.setValue(QLatin1String(kSettingsKey), code);
}

QLocale localeFor(const QString& code) { return code.isEmpty() ? QLocale::system() : QLocale(code); }

QStringList searchPath()
{
    // A catalogue on disk wins over the compiled-in copy: a packager's or translator's newer .qm
    // takes effect without a rebuild.
    QStringList path;
    if (const QString data = resourceDir(); !data.isEmpty())
        path << data + QStringLiteral("/translations");
    return path << QStringLiteral(":/i18n");
}

QString apply(const QString& code)
{
    QTranslator* own = translator(g_featscale);
    QTranslator* qt = translator(g_qt);
    QCoreApplication::removeTranslator(own);
    QCoreApplication::removeTranslator(qt);
    QString file;
    if (loadFeatscale(own, localeFor(code))) {
        // Qt's standard dialogs (file dialogs, message box buttons) from Debian's qt6-translations-l10n;
        // in English they stay English, so the window speaks one language.
        if (qt->load(QLocale(own->language()), QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(qt);
        QCoreApplication::installTranslator(own);
        file = own->filePath();
    }
    // Qt posts QEvent::LanguageChange to the windows; deliver it now, so that the widgets speak the
    // new language when apply() returns.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    return file;
}

} // namespace featscale::ui::translations
