// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLayout>
#include <QList>

#include <initializer_list>

namespace featscale::ui {

/// Lays its items out left to right and starts a new line when the next one would not fit the
/// width, so a row of buttons or of label + value pairs stays on one line in a wide dock and wraps
/// into two or more in a narrow one instead of forcing the dock (and its scroll area) wider.
/// Its minimum width is that of its widest item; its height follows the width (heightForWidth).
/// Wrap a label with the control it names in one widget to keep the two on one line.
class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr);
    ~FlowLayout() override;

    void addItem(QLayoutItem* item) override;
    int count() const override;
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect& rect) override;

    /// One widget holding `widgets` side by side (a label and the control it names): a flow
    /// item that never breaks. The last widget takes the spare width.
    static QWidget* together(std::initializer_list<QWidget*> widgets);

private:
    /// Places the items in `rect` (or only measures when `apply` is false); returns the height used.
    int arrange(const QRect& rect, bool apply) const;

    QList<QLayoutItem*> m_items;
};

} // namespace featscale::ui
