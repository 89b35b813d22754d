// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QToolButton;

namespace featscale::ui {

/// A non-modal message strip above the views: shows the latest error or note with a count of
/// earlier ones (full list in the tool tip) and a close button. Never blocks the user.
class MessageBar : public QWidget {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);

    void showMessage(const QString& text);
    QStringList messages() const { return m_messages; }
    QString currentText() const;

public Q_SLOTS:
    void dismiss();

protected:
    void changeEvent(QEvent* event) override;

private:
    QLabel* m_label;
    QToolButton* m_close;
    QStringList m_messages;
};

} // namespace featscale::ui
