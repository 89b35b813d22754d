// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/plots/plot_panel.h"

#include <QEvent>

#include <QShowEvent>
#include <QTimer>

namespace featscale::ui {

namespace {
constexpr int kAggregateDebounceMs = 120;
}

ScopeBox::ScopeBox(QWidget* parent) : QComboBox(parent)
{
    addItems({QString(), QString()}); // current image, all images
    retranslate();
    // Panels may replace the tool tip (and then keep it translated themselves).
    setToolTip(tr("All images: the merged histograms of every analysed image"));
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(8);
}

void ScopeBox::retranslate()
{
    setItemText(0, tr("Current image"));
    setItemText(1, tr("All analysed images"));
}

void ScopeBox::changeEvent(QEvent* event)
{
    QComboBox::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
}

PlotPanel::PlotPanel(AppModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_refreshTimer(new QTimer(this))
{
    m_refreshTimer->setSingleShot(true);
    connect(m_refreshTimer, &QTimer::timeout, this, &PlotPanel::refreshIfShown);
}

PlotPanel::~PlotPanel() = default;

void PlotPanel::refreshNow()
{
    m_stale = false;
    m_refreshTimer->stop();
    recompute();
}

void PlotPanel::scheduleRefresh(int delayMs)
{
    if (!m_refreshTimer->isActive() || delayMs < m_refreshTimer->remainingTime())
        m_refreshTimer->start(delayMs);
}

void PlotPanel::followModel()
{
    auto refreshSoon = [this] { scheduleRefresh(0); };
    connect(m_model, &AppModel::imagesChanged, this, refreshSoon);
    connect(m_model, &AppModel::currentChanged, this, refreshSoon);
    connect(m_model, &AppModel::resultReady, this, refreshSoon);
    connect(m_model, &AppModel::runFinished, this, refreshSoon);
}

void PlotPanel::followGamma(const ScopeBox* scope, std::function<bool()> showsAfter)
{
    connect(m_model, &AppModel::afterChanged, this, [this, scope, showsAfter] {
        if (!scope->aggregate() && showsAfter())
            scheduleRefresh(0);
    });
    connect(m_model, &AppModel::gammaChanged, this, [this, scope, showsAfter] {
        if (scope->aggregate() && showsAfter())
            scheduleRefresh(kAggregateDebounceMs);
    });
}

void PlotPanel::refreshIfShown()
{
    if (isVisible())
        refreshNow();
    else
        m_stale = true;
}

void PlotPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        scheduleRefresh(0); // titles, legends and axis labels are made when drawing
    }
}

void PlotPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refreshNow();
}

} // namespace featscale::ui
