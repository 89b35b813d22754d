// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/weights_commands.h"

#include "ui/state/app_model.h"

#include <QUndoStack>

namespace featscale::ui {

ChangeWeights::ChangeWeights(AppModel* model, analysis::AnalyzerOptions before, analysis::AnalyzerOptions after,
                             std::function<void()> rerun, const QString& text)
    : QUndoCommand(text), m_model(model), m_before(std::move(before)), m_after(std::move(after)),
      m_rerun(std::move(rerun))
{ }

bool ChangeWeights::push(AppModel* model, const std::string& path, std::function<void()> rerun, const QString& text)
{
    const analysis::AnalyzerOptions before = model->options();
    if (before.weightsPath == path)
        return false;
    analysis::AnalyzerOptions after = before;
    after.weightsPath = path;
    // as the Model panel opens a file: the topology and input convention come from the file
    after.archFromWeights = true;
    after.preset.reset();
    model->undoStack()->push(new ChangeWeights(model, before, after, std::move(rerun), text));
    return true;
}

void ChangeWeights::undo() { apply(m_before); }

void ChangeWeights::redo() { apply(m_after); }

void ChangeWeights::apply(const analysis::AnalyzerOptions& options)
{
    m_model->setOptions(options);
    if (m_rerun)
        m_rerun();
}

} // namespace featscale::ui
