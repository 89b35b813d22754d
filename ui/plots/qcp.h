// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Include QCustomPlot through this header, never <qcustomplot.h> directly.
//
// The project defines QT_NO_KEYWORDS (LibTorch has members named `slots`), but qcustomplot.h
// itself is written with Qt's keyword macros `signals` and `foreach`. Map them to their
// Q_-prefixed forms for the duration of the include only, so the rest of the project stays
// keyword-free.
#if defined(QT_NO_KEYWORDS) && !defined(FEATSCALE_QCP_INCLUDED)
#define FEATSCALE_QCP_INCLUDED
#include <QtCore/qforeach.h>
#include <QtCore/qglobal.h>
#include <QtCore/qobjectdefs.h>
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h>
#endif
