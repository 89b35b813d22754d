// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/ratio_table.h"

#include "ui/plots/color_map.h"
#include "ui/runs/run_set.h"

#include <QEvent>
#include <QHeaderView>

#include <cmath>
#include <limits>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {

QString approx(bool fromHistogram) { return fromHistogram ? QStringLiteral("≈") : QString(); }

QString ratioText(double r)
{
    return std::isfinite(r) ? QStringLiteral("×") + QString::number(r, 'g', 3) : QStringLiteral("—");
}

QTableWidgetItem* cell(const QString& text, double value, const QString& tip = {},
                       double median = std::numeric_limits<double>::quiet_NaN())
{
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, value);
    item->setData(Qt::UserRole + 1, median);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (!tip.isEmpty())
        item->setToolTip(tip);
    return item;
}

QTableWidgetItem* label(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

RatioTable::RatioTable(RunSet* runs, QWidget* parent) : QTableWidget(parent), m_runs(runs)
{
    setObjectName(QStringLiteral("ratioTable"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setWordWrap(false);
    setAlternatingRowColors(true);
    connect(m_runs, &RunSet::dataChanged, this, &RatioTable::rebuild);
    rebuild();
}

void RatioTable::changeEvent(QEvent* event)
{
    QTableWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        rebuild();
}

void RatioTable::rebuild()
{
    clear();
    m_comparison = {};
    const std::vector<const RunEntry*> shown = m_runs->shownRuns();
    const int refIndex = m_runs->reference();
    std::size_t reference = 0;
    for (std::size_t i = 0; i < shown.size(); ++i)
        if (refIndex >= 0 && shown[i] == &m_runs->run(refIndex))
            reference = i;
    setColumnCount(2 + static_cast<int>(shown.size()));
    QStringList headers{tr("Layer"), tr("Stage")};
    for (const RunEntry* r : shown)
        headers << r->name;
    setHorizontalHeaderLabels(headers);
    for (std::size_t i = 0; i < shown.size(); ++i) {
        QTableWidgetItem* h = horizontalHeaderItem(2 + static_cast<int>(i));
        h->setForeground(shown[i]->color);
        h->setToolTip(shown[i]->settingsText());
    }
    if (shown.empty()) {
        setRowCount(0);
        return;
    }
    QString error;
    try {
        m_comparison = m_runs->compare();
    } catch (const an::Error& e) {
        error = QString::fromUtf8(e.what());
    }

    const std::size_t nRuns = shown.size();
    const int medianRows = static_cast<int>(m_comparison.rows.size() / nRuns);
    setRowCount(medianRows + 3 + (error.isEmpty() ? 0 : 1));
    int row = 0;
    if (!error.isEmpty())
        setItem(row++, 0, label(error));
    for (std::size_t k = 0; k < m_comparison.rows.size(); k += nRuns, ++row) {
        const an::ComparedStage& first = m_comparison.rows[k];
        setItem(row, 0, label(QString::fromStdString(first.layer)));
        setItem(row, 1, label(first.stage == an::Stage::Before ? tr("before") : tr("after")));
        for (std::size_t r = 0; r < nRuns; ++r) {
            const an::ComparedStage& c = m_comparison.rows[k + r];
            const QString median = approx(c.histogramPercentiles) + formatNorm(c.median);
            // two short lines keep four runs side by side in a narrow window
            const QString text = r == reference
                                     ? median + QLatin1Char('\n') + tr("(reference)")
                                     : median + QLatin1Char('\n') + approx(c.histogramPercentiles) + ratioText(c.ratio);
            setItem(row, 2 + static_cast<int>(r),
                    cell(text, c.ratio,
                         tr("median %1, 5–95 %: %2 … %3; ratio to the reference run's median %4%5")
                             .arg(formatNorm(c.median), formatNorm(c.p5), formatNorm(c.p95), ratioText(c.ratio),
                                  c.histogramPercentiles ? tr(" (medians from binned histograms: approximate)")
                                                         : QString()),
                         c.median));
        }
    }

    // Within-run ratios, each run with the layers it has.
    auto* header = label(tr("Within each run"));
    QFont bold = header->font();
    bold.setBold(true);
    header->setFont(bold);
    setItem(row++, 0, header);
    const int beforeRow = row++, afterRow = row++;
    const auto within = m_runs->withinRunRatios();
    // The row says which layers when every run compares the same two; otherwise each cell does.
    QString commonPair;
    bool samePair = true;
    for (const auto& ratios : within) {
        if (ratios.empty())
            continue;
        const QString pair = QString::fromStdString(ratios.front().numerator + " / " + ratios.front().denominator);
        if (commonPair.isEmpty())
            commonPair = pair;
        else if (pair != commonPair)
            samePair = false;
    }
    for (std::size_t r = 0; r < nRuns && r < within.size(); ++r) {
        const auto& ratios = within[r];
        if (ratios.empty())
            continue;
        const QString num = QString::fromStdString(ratios.front().numerator);
        const QString den = QString::fromStdString(ratios.front().denominator);
        for (const an::WithinRunRatio& w : ratios) {
            const int at = w.stage == an::Stage::Before ? beforeRow : afterRow;
            const QString value = approx(w.histogramPercentiles) + ratioText(w.ratio);
            setItem(at, 2 + static_cast<int>(r),
                    cell(samePair ? value : num + QStringLiteral(" / ") + den + QLatin1Char('\n') + value, w.ratio,
                         tr("median of %1 over median of %2").arg(num, den)));
        }
        if (ratios.size() < 2)
            setItem(afterRow, 2 + static_cast<int>(r), cell(tr("no L2Norm"), std::numeric_limits<double>::quiet_NaN()));
    }
    const QString rowLabel = samePair && !commonPair.isEmpty() ? commonPair : tr("median ratio");
    setItem(beforeRow, 0, label(rowLabel));
    setItem(beforeRow, 1, label(tr("before")));
    setItem(afterRow, 0, label(rowLabel));
    setItem(afterRow, 1, label(tr("after")));
}

} // namespace featscale::ui
