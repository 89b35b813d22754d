// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

namespace featscale::ui {

/// The user interface language: featscale's own messages (featscale_<locale>.qm) and Qt's
/// standard dialogs (Debian's qtbase_<locale>.qm), following the system locale unless the user
/// chose one under View → Language (QSettings key "ui/language": "" = system, "en", "zh_CN").
///
/// featscale's catalogues are looked up in `<exe>/../share/featscale/translations` (the installed
/// tree, and the build tree, where the GUI sits in build/app and lrelease writes into
/// build/share/featscale/translations), then in the copy compiled into the binary (":/i18n"), so
/// tests and relocated binaries find them too. Thread affinity: GUI thread (installs translators on
/// the application).
namespace translations {

/// The languages the GUI offers, as settings codes: "en" (the source language) and "zh_CN".
QStringList available();
/// The saved choice: "" (follow the system locale) or one of available().
QString savedChoice();
void saveChoice(const QString& code);

/// The locale a choice stands for: QLocale::system() for "", else QLocale(code).
QLocale localeFor(const QString& code);

/// Folders searched for featscale_<locale>.qm, in order.
QStringList searchPath();

/// Replaces the installed translators with the ones for `code` ("" = system locale). Returns the
/// file featscale's messages came from, or an empty string when the GUI stays in English (the
/// language chosen is English, or no catalogue matches the locale). Qt sends every widget a
/// QEvent::LanguageChange.
QString apply(const QString& code);

} // namespace translations
} // namespace featscale::ui
