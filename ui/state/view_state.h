// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

namespace featscale::ui {

/// A view's own choices (stage, layers, scope, zoom, mode, …), as opposed to the user's data in
/// AppModel. A session file keeps them: the main window stores each view's viewState() under its
/// viewStateKey() and gives it back through restoreViewState() when the session is opened.
///
/// The key is part of the session format: keep it stable. restoreViewState() tolerates missing or
/// unknown members (a state written by an older or newer version) and keeps its current choice
/// for them.
class ViewStateOwner {
public:
    virtual ~ViewStateOwner() = default;

    virtual QString viewStateKey() const = 0;
    virtual QJsonObject viewState() const = 0;
    virtual void restoreViewState(const QJsonObject& state) = 0;

protected:
    ViewStateOwner() = default;
    ViewStateOwner(const ViewStateOwner&) = default;
    ViewStateOwner& operator=(const ViewStateOwner&) = default;
};

} // namespace featscale::ui
