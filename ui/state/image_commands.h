// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/app_model.h"

#include <QString>
#include <QStringList>
#include <QUndoCommand>

#include <utility>
#include <vector>

namespace featscale::ui {

/// Removing images from the list (Delete, Clear) as an undo step. The removed entries keep their
/// results (caches are dropped and rebuilt on demand), so Undo brings back the images with the
/// numbers they had, without re-analysing them. Identified by path: indices shift meanwhile.
class RemoveImagesCommand : public QUndoCommand {
public:
    RemoveImagesCommand(AppModel* model, const QList<int>& indices, QUndoCommand* parent = nullptr);

    void redo() override;
    void undo() override;
    int count() const { return static_cast<int>(m_paths.size()); }

private:
    AppModel* m_model;
    QStringList m_paths;
    QString m_current;
    std::vector<std::pair<int, ImageEntry>> m_taken;
};

} // namespace featscale::ui
