// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/message_bar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QTime>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace featscale::ui {

namespace {
constexpr int kKeep = 50;       // messages kept for Details…
constexpr int kShortText = 160; // longer texts are cut on the bar and kept whole in the details
} // namespace

MessageBar::MessageBar(QWidget* parent)
    : QWidget(parent), m_label(new QLabel(this)), m_detailsButton(new QPushButton(this)),
      m_close(new QToolButton(this)), m_autoHide(new QTimer(this))
{
    setObjectName(QStringLiteral("messageBar"));
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(255, 243, 205));
    pal.setColor(QPalette::WindowText, QColor(90, 60, 0));
    setPalette(pal);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_label->setObjectName(QStringLiteral("messageText"));
    m_label->setWordWrap(false);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // elided, never widens the window
    m_detailsButton->setObjectName(QStringLiteral("messageDetails"));
    m_detailsButton->setFlat(true);
    m_close->setObjectName(QStringLiteral("messageClose"));
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_autoHide->setSingleShot(true);
    m_autoHide->setInterval(kAutoHideMs);
    retranslate();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 1, 3, 1);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_detailsButton);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    connect(m_detailsButton, &QPushButton::clicked, this, &MessageBar::showDetails);
    connect(m_autoHide, &QTimer::timeout, this, &MessageBar::dismiss);
    hide();
}

void MessageBar::retranslate()
{
    m_close->setToolTip(tr("Dismiss"));
    m_detailsButton->setText(tr("Details…"));
    m_detailsButton->setToolTip(tr("The full message and the earlier ones"));
}

void MessageBar::showMessage(const QString& text, const QString& details)
{
    QString shown = text.trimmed();
    QString more = details.trimmed();
    const qsizetype newline = shown.indexOf(QLatin1Char('\n'));
    if (newline >= 0 || shown.size() > kShortText) {
        // The bar holds one line: the whole text goes to the details.
        more = more.isEmpty() ? shown : shown + QStringLiteral("\n\n") + more;
        shown = shown.left(newline >= 0 ? std::min<qsizetype>(newline, kShortText) : kShortText).trimmed() +
                QStringLiteral("…");
    }
    m_text = shown;
    m_details = more;
    QString entry = QTime::currentTime().toString(QStringLiteral("HH:mm:ss ")) + text.trimmed();
    if (!details.trimmed().isEmpty())
        entry += QStringLiteral("\n    ") + details.trimmed();
    m_messages.prepend(entry);
    while (m_messages.size() > kKeep)
        m_messages.removeLast();
    m_detailsButton->setVisible(!m_details.isEmpty() || m_messages.size() > 1);
    elide();
    m_label->setToolTip(m_details.isEmpty() ? m_text : m_text + QStringLiteral("\n\n") + m_details);
    show();
    // Errors with details wait for the user; plain notes go away by themselves.
    if (m_details.isEmpty())
        m_autoHide->start();
    else
        m_autoHide->stop();
    if (m_detailsBox && m_detailsBox->isVisible())
        showDetails();
}

QString MessageBar::currentText() const
{
    return isVisible() && !m_messages.isEmpty() ? m_messages.front() : QString();
}

QString MessageBar::currentDetails() const { return m_details; }

void MessageBar::elide()
{
    const int width = std::max(40, m_label->width());
    m_label->setText(m_label->fontMetrics().elidedText(m_text, Qt::ElideRight, width));
}

void MessageBar::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    elide();
}

void MessageBar::showDetails()
{
    if (!m_detailsBox) {
        m_detailsBox = new QMessageBox(QMessageBox::Information, tr("Messages"), QString(), QMessageBox::Close, this);
        m_detailsBox->setObjectName(QStringLiteral("messageDetailsBox"));
        m_detailsBox->setModal(false);
        m_detailsBox->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_detailsBox->setText(m_text);
    m_detailsBox->setInformativeText(m_details);
    QStringList earlier = m_messages.mid(1);
    m_detailsBox->setDetailedText(earlier.isEmpty() ? QString()
                                                    : tr("Earlier messages:\n%1").arg(earlier.join(QLatin1Char('\n'))));
    m_detailsBox->show();
    m_detailsBox->raise();
}

void MessageBar::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate(); // messages already shown keep their language
}

void MessageBar::dismiss()
{
    m_autoHide->stop();
    hide();
}

} // namespace featscale::ui
