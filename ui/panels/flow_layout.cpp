// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/flow_layout.h"

#include <QHBoxLayout>
#include <QWidget>

#include <algorithm>
#include <utility>
#include <vector>

namespace featscale::ui {

FlowLayout::FlowLayout(QWidget* parent) : QLayout(parent) { }

FlowLayout::~FlowLayout()
{
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

QWidget* FlowLayout::together(std::initializer_list<QWidget*> widgets)
{
    auto* box = new QWidget;
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (QWidget* w : widgets)
        layout->addWidget(w, ++i == static_cast<int>(widgets.size()) ? 1 : 0);
    return box;
}

void FlowLayout::addItem(QLayoutItem* item) { m_items.append(item); }
int FlowLayout::count() const { return static_cast<int>(m_items.size()); }
QLayoutItem* FlowLayout::itemAt(int index) const
{
    return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    QLayoutItem* item = m_items.takeAt(index);
    invalidate();
    return item;
}

Qt::Orientations FlowLayout::expandingDirections() const { return {}; }
bool FlowLayout::hasHeightForWidth() const { return true; }
int FlowLayout::heightForWidth(int width) const { return arrange(QRect(0, 0, width, 0), /*apply=*/false); }

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem* item : m_items)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // Everything on one line.
    int width = 0, height = 0, visible = 0;
    for (const QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize s = item->sizeHint();
        width += s.width();
        height = std::max(height, s.height());
        ++visible;
    }
    const QMargins m = contentsMargins();
    return {width + std::max(0, visible - 1) * std::max(0, spacing()) + m.left() + m.right(),
            height + m.top() + m.bottom()};
}

void FlowLayout::setGeometry(const QRect& rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, /*apply=*/true);
}

int FlowLayout::arrange(const QRect& rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    const int gap = spacing() >= 0 ? spacing() : 6;
    int x = area.x(), y = area.y(), lineHeight = 0;
    std::vector<std::pair<QLayoutItem*, QSize>> line; // placed once the line's height is known
    auto placeLine = [&] {
        int left = area.x();
        for (const auto& [item, size] : line) {
            if (apply) // centred vertically on the line
                item->setGeometry(QRect(QPoint(left, y + (lineHeight - size.height()) / 2), size));
            left += size.width() + gap;
        }
        line.clear();
    };
    for (QLayoutItem* item : m_items) {
        if (item->isEmpty())
            continue;
        // Never narrower than its minimum, never wider than the line.
        const QSize hint = item->sizeHint().expandedTo(item->minimumSize());
        const int width = std::min(hint.width(), std::max(item->minimumSize().width(), area.width()));
        if (!line.empty() && x + width > area.right() + 1) { // does not fit: next line
            placeLine();
            x = area.x();
            y += lineHeight + gap;
            lineHeight = 0;
        }
        line.emplace_back(item, QSize(width, hint.height()));
        x += width + gap;
        lineHeight = std::max(lineHeight, hint.height());
    }
    placeLine();
    return y + lineHeight - rect.y() + contentsMargins().bottom();
}

} // namespace featscale::ui
