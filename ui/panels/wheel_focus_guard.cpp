// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/wheel_focus_guard.h"

#include <QEvent>
#include <QWidget>

namespace featscale::ui {

WheelFocusGuard::WheelFocusGuard(QObject* parent) : QObject(parent) { }

void WheelFocusGuard::install(QWidget* control)
{
    control->setFocusPolicy(Qt::StrongFocus);
    control->installEventFilter(new WheelFocusGuard(control));
}

bool WheelFocusGuard::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Wheel) {
        auto* w = qobject_cast<QWidget*>(watched);
        if (w && !w->hasFocus()) {
            // Ignored and filtered: QApplication hands the event to the parents (the scroll area).
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace featscale::ui
