// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/message_bar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTime>
#include <QToolButton>

namespace featscale::ui {

namespace {
constexpr int kKeep = 50; // messages kept for the tool tip
}

MessageBar::MessageBar(QWidget* parent) : QWidget(parent), m_label(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(255, 243, 205));
    pal.setColor(QPalette::WindowText, QColor(90, 60, 0));
    setPalette(pal);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 3, 3);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    hide();
}

void MessageBar::showMessage(const QString& text)
{
    m_messages.prepend(QTime::currentTime().toString(QStringLiteral("HH:mm:ss ")) + text);
    while (m_messages.size() > kKeep)
        m_messages.removeLast();
    const QString more = m_messages.size() > 1 ? tr("  (+%1 earlier — hover to see)").arg(m_messages.size() - 1) : QString();
    m_label->setText(text + more);
    setToolTip(m_messages.join(QLatin1Char('\n')));
    show();
}

QString MessageBar::currentText() const { return isVisible() && !m_messages.isEmpty() ? m_messages.front() : QString(); }

void MessageBar::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        m_close->setToolTip(tr("Dismiss")); // messages already shown keep their language
}

void MessageBar::dismiss()
{
    hide();
}

} // namespace featscale::ui
