// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QMessageBox;
class QPushButton;
class QTimer;
class QToolButton;

namespace featscale::ui {

/// A one-line, non-modal message strip above the views: the latest error or note in a short,
/// user-level sentence, "Details…" for the engine's full wording and the earlier messages, and
/// a close button. Notes without details go away by themselves after a while; messages with
/// details stay until dismissed. Never blocks the user, never grows beyond one line.
class MessageBar : public QWidget {
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);

    /// Shows `text` (one line; a longer text is cut and kept whole in the details).
    void showMessage(const QString& text, const QString& details = {});
    QStringList messages() const { return m_messages; }
    QString currentText() const;    ///< the shown message (with its time), empty when hidden
    QString currentDetails() const; ///< what Details… shows first
    QPushButton* detailsButton() const { return m_detailsButton; }
    QToolButton* closeButton() const { return m_close; }
    /// Milliseconds after which a message without details hides itself.
    static constexpr int kAutoHideMs = 15000;

public Q_SLOTS:
    void dismiss();
    void showDetails();

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void retranslate();
    void elide();

    QLabel* m_label;
    QPushButton* m_detailsButton;
    QToolButton* m_close;
    QTimer* m_autoHide;
    QMessageBox* m_detailsBox = nullptr;
    QString m_text;
    QString m_details;
    QStringList m_messages;
};

} // namespace featscale::ui
