// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/gamma_commands.h"

#include "ui/state/app_model.h"

#include <QUndoStack>

#include <cmath>

namespace featscale::ui {

namespace {
constexpr int kGammaDragId = 0x67616d; ///< any id shared by drag steps and no other command
}

ChangeGamma::ChangeGamma(AppModel* model, std::string layer, std::vector<float> before, std::vector<float> after,
                         const QString& text, int dragNumber)
    : m_model(model), m_layer(std::move(layer)), m_before(std::move(before)), m_after(std::move(after)),
      m_dragNumber(dragNumber)
{
    setText(text);
}

bool ChangeGamma::push(AppModel* model, const std::string& layer, const std::vector<float>& gamma, const QString& text,
                       int dragNumber)
{
    const std::vector<float>& current = model->gamma(layer);
    if (current.empty() || current.size() != gamma.size())
        return false;
    for (float g : gamma)
        if (!std::isfinite(g))
            return false;
    if (current == gamma)
        return true;
    model->undoStack()->push(new ChangeGamma(model, layer, current, gamma, text, dragNumber));
    return true;
}

void ChangeGamma::undo() { m_model->setGamma(m_layer, m_before); }
void ChangeGamma::redo() { m_model->setGamma(m_layer, m_after); }

int ChangeGamma::id() const { return m_dragNumber != 0 ? kGammaDragId : -1; }

bool ChangeGamma::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const ChangeGamma*>(other);
    if (!next || next->m_dragNumber != m_dragNumber || next->m_layer != m_layer)
        return false;
    m_after = next->m_after;
    setText(next->text());
    // A drag that ends where it began changed nothing: drop the step.
    setObsolete(m_after == m_before);
    return true;
}

} // namespace featscale::ui
