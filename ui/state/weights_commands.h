// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/engine/analyzer.h"

#include <QString>
#include <QUndoCommand>

#include <functional>

namespace featscale::ui {

class AppModel;

/// One undoable change of the current weights (a checkpoint clicked in the Training tab): the
/// analysis options before and after, so undo brings back the weights file and the input
/// convention that went with it. Each apply sets the options and calls rerun (the window's
/// BatchController re-run, as the Model panel's weights chooser does). GUI thread only; the model
/// must outlive the command (AppModel owns the stack).
class ChangeWeights : public QUndoCommand {
public:
    ChangeWeights(AppModel* model, analysis::AnalyzerOptions before, analysis::AnalyzerOptions after,
                  std::function<void()> rerun, const QString& text);

    /// Pushes "use the weights at path" onto the model's undo stack (which applies it); nothing
    /// when path is already the current weights. Returns whether a command was pushed.
    static bool push(AppModel* model, const std::string& path, std::function<void()> rerun, const QString& text);

    void undo() override;
    void redo() override;

private:
    void apply(const analysis::AnalyzerOptions& options);

    AppModel* m_model;
    analysis::AnalyzerOptions m_before;
    analysis::AnalyzerOptions m_after;
    std::function<void()> m_rerun;
};

} // namespace featscale::ui
