// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/image_commands.h"

#include <QCoreApplication>

namespace featscale::ui {

RemoveImagesCommand::RemoveImagesCommand(AppModel* model, const QList<int>& indices, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model)
{
    for (int i : indices)
        if (i >= 0 && i < model->imageCount() && !m_paths.contains(model->image(i).path))
            m_paths << model->image(i).path;
    if (const ImageEntry* e = model->currentImage())
        m_current = e->path;
    const int n = static_cast<int>(m_paths.size());
    if (n == model->imageCount())
        setText(QCoreApplication::translate("featscale", "Clear the image list"));
    else
        setText(QCoreApplication::translate("featscale", "Remove %n image(s)", nullptr, n));
}

void RemoveImagesCommand::redo()
{
    QList<int> indices;
    for (const QString& p : m_paths)
        if (const int i = m_model->indexOf(p); i >= 0)
            indices << i;
    m_taken = m_model->takeImages(indices);
}

void RemoveImagesCommand::undo()
{
    m_model->restoreImages(std::move(m_taken), m_current);
    m_taken.clear();
}

} // namespace featscale::ui
