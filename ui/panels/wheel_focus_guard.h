// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QWidget;

namespace featscale::ui {

/// Keeps the mouse wheel from changing a value control (slider, spin box) the user is only
/// scrolling past: without keyboard focus the wheel event goes on to the scroll area around it.
/// The control also stops taking focus from the wheel (Qt::StrongFocus), so a click or Tab is what
/// arms it. GUI thread only; the guard is a child of the control it watches.
class WheelFocusGuard : public QObject {
    Q_OBJECT
public:
    static void install(QWidget* control);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit WheelFocusGuard(QObject* parent);
};

} // namespace featscale::ui
