// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUndoCommand>

#include <string>
#include <vector>

namespace featscale::ui {

class AppModel;

/// One undoable change of a normalized layer's γ: the slider, Set all, Scale, one channel, a
/// loaded file, a reset, a Fit γ result. Holds the γ before and after, so undo and redo restore
/// the exact vectors (a fitted per-channel γ survives a nudge of the global slider).
///
/// A slider drag is one step: commands carrying the same non-zero drag number merge (id() /
/// mergeWith(), as Qt's undoframework merges a move), keeping the first "before" and the last
/// "after". GUI thread only; the model must outlive the command (AppModel owns the stack).
class ChangeGamma : public QUndoCommand {
public:
    ChangeGamma(AppModel* model, std::string layer, std::vector<float> before, std::vector<float> after,
                const QString& text, int dragNumber = 0);

    /// Pushes the change onto the model's undo stack (which applies it). Returns false, pushing
    /// nothing, when the γ does not fit the layer (size or non-finite values); true when γ is
    /// already that value (nothing to record).
    static bool push(AppModel* model, const std::string& layer, const std::vector<float>& gamma, const QString& text,
                     int dragNumber = 0);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

    const std::string& layer() const { return m_layer; }

private:
    AppModel* m_model;
    std::string m_layer;
    std::vector<float> m_before;
    std::vector<float> m_after;
    int m_dragNumber;
};

} // namespace featscale::ui
