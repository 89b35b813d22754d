// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QTextBrowser;

namespace featscale::ui {

/// Help → "The ParseNet argument and the plots": a short, non-modal explanation of why feature
/// scales differ across VGG16's depth, what L2Norm with gamma does about it, and how to read
/// each view of the window.
class HelpDialog : public QDialog {
    Q_OBJECT
public:
    explicit HelpDialog(QWidget* parent = nullptr);
    static QString helpHtml();

protected:
    /// View → Language: the text follows at once.
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QTextBrowser* m_text;
};

} // namespace featscale::ui
