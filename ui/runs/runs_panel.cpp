// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/runs/runs_panel.h"

#include "ui/panels/flow_layout.h"
#include "ui/runs/run_set.h"
#include "ui/state/app_model.h"

#include <QColorDialog>
#include <QEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace featscale::ui {

namespace {

QIcon swatch(const QColor& color)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setPen(Qt::black);
    p.setBrush(color);
    p.drawRect(0, 0, 13, 13);
    return QIcon(pm);
}

} // namespace

RunsPanel::RunsPanel(AppModel* model, RunSet* runs, QWidget* parent)
    : QWidget(parent), m_model(model), m_runs(runs), m_list(new QTableWidget(this)), m_details(new QLabel(this)),
      m_add(new QPushButton(this)), m_open(new QPushButton(this)), m_color(new QPushButton(this)),
      m_cancel(new QPushButton(this)), m_remove(new QPushButton(this))
{
    setObjectName(viewStateKey());
    m_list->setObjectName(QStringLiteral("runList"));
    m_list->setColumnCount(2);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_details->setObjectName(QStringLiteral("runDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_add->setObjectName(QStringLiteral("addRunButton"));
    m_open->setObjectName(QStringLiteral("openRunButton"));

    // As many buttons on a line as the dock's width holds.
    auto* buttons = new FlowLayout;
    for (QPushButton* b : {m_add, m_open, m_color, m_cancel, m_remove})
        buttons->addWidget(b);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_details);

    connect(m_add, &QPushButton::clicked, this, &RunsPanel::addFromSettings);
    connect(m_open, &QPushButton::clicked, this, &RunsPanel::openFolderDialog);
    connect(m_color, &QPushButton::clicked, this, &RunsPanel::chooseColorDialog);
    connect(m_cancel, &QPushButton::clicked, this, &RunsPanel::cancelSelected);
    connect(m_remove, &QPushButton::clicked, this, &RunsPanel::removeSelected);
    connect(m_list, &QTableWidget::itemSelectionChanged, this, [this] {
        updateDetails();
        updateButtons();
    });
    connect(m_list, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (m_updating || item->column() != 0 || item->row() >= m_runs->count())
            return;
        m_runs->setVisible(item->row(), item->checkState() == Qt::Checked);
        m_runs->setName(item->row(), item->text());
    });
    connect(m_runs, &RunSet::runsChanged, this, &RunsPanel::rebuild);
    connect(m_runs, &RunSet::runChanged, this, &RunsPanel::updateRow);
    connect(m_runs, &RunSet::message, this, [this](const QString& text) { Q_EMIT message(text); });
    retranslate();
    rebuild();
}

void RunsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
}

void RunsPanel::retranslate()
{
    m_add->setText(tr("Add from settings"));
    m_add->setToolTip(tr("Analyse the loaded images again with the model settings and gamma in force now, "
                         "as a new run (in the background)"));
    m_open->setText(tr("Open run folder…"));
    m_open->setToolTip(tr("A folder written by featscale-cli analyze or merge (read-only)"));
    m_color->setText(tr("Colour…"));
    m_cancel->setText(tr("Cancel"));
    m_remove->setText(tr("Remove"));
    m_list->setHorizontalHeaderLabels({tr("Run"), tr("State")});
    m_list->horizontalHeaderItem(0)->setToolTip(tr("Tick to show the run, double-click to rename it"));
    for (int i = 0; i < m_runs->count(); ++i)
        updateRow(i);
    updateDetails();
}

int RunsPanel::selectedRun() const
{
    const auto rows = m_list->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.front().row();
}

void RunsPanel::selectRun(int index) { m_list->selectRow(index); }

void RunsPanel::rebuild()
{
    const int selected = selectedRun();
    m_updating = true;
    m_list->setRowCount(m_runs->count());
    m_updating = false;
    for (int i = 0; i < m_runs->count(); ++i)
        updateRow(i);
    if (m_runs->count() > 0)
        m_list->selectRow(std::clamp(selected < 0 ? m_runs->count() - 1 : selected, 0, m_runs->count() - 1));
    updateDetails();
    updateButtons();
}

void RunsPanel::updateRow(int index)
{
    if (index < 0 || index >= m_runs->count() || index >= m_list->rowCount())
        return;
    const RunEntry& r = m_runs->run(index);
    m_updating = true;
    auto* name = m_list->item(index, 0);
    if (!name) {
        name = new QTableWidgetItem;
        m_list->setItem(index, 0, name);
    }
    name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemIsUserCheckable);
    name->setText(r.name);
    name->setIcon(swatch(r.color));
    name->setCheckState(r.visible ? Qt::Checked : Qt::Unchecked);
    name->setToolTip(r.settingsText());
    QString state;
    switch (r.state) {
    case RunEntry::State::Computing:
        state = r.source == RunEntry::Source::Folder ? tr("reading…") : tr("%1 / %2").arg(r.done).arg(r.total);
        break;
    case RunEntry::State::Ready:
        state = r.data && r.data->meta.weights.untrained ? tr("ready, UNTRAINED") : tr("ready");
        if (r.readOnly())
            state += QStringLiteral(", ") + tr("read-only");
        break;
    case RunEntry::State::Failed:
        state = tr("failed");
        break;
    case RunEntry::State::Cancelled:
        state = tr("cancelled");
        break;
    }
    auto* st = new QTableWidgetItem(state);
    st->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    st->setToolTip(r.error);
    m_list->setItem(index, 1, st);
    m_updating = false;
    if (index == selectedRun()) {
        updateDetails();
        updateButtons();
    }
}

void RunsPanel::updateDetails()
{
    const int i = selectedRun();
    if (i < 0 || i >= m_runs->count()) {
        m_details->setText(m_runs->count() == 0
                               ? tr("No runs yet. Add one from the model settings or open a run folder written "
                                    "by featscale-cli.")
                               : QString());
        return;
    }
    const RunEntry& r = m_runs->run(i);
    QString text = r.settingsText();
    if (r.state == RunEntry::State::Failed)
        text += QLatin1Char('\n') + r.error;
    m_details->setText(text);
}

void RunsPanel::updateButtons()
{
    const int i = selectedRun();
    const bool has = i >= 0 && i < m_runs->count();
    m_add->setEnabled(m_runs->count() < RunSet::kMaxRuns);
    m_open->setEnabled(m_runs->count() < RunSet::kMaxRuns);
    m_color->setEnabled(has);
    m_remove->setEnabled(has);
    m_cancel->setEnabled(has && m_runs->run(i).state == RunEntry::State::Computing);
}

void RunsPanel::addFromSettings()
{
    const int i = m_runs->addFromSettings(*m_model);
    if (i >= 0)
        selectRun(i);
}

void RunsPanel::openFolderDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder"));
    if (dir.isEmpty())
        return;
    const int i = m_runs->addFolder(dir);
    if (i >= 0)
        selectRun(i);
}

void RunsPanel::chooseColorDialog()
{
    const int i = selectedRun();
    if (i < 0)
        return;
    const QColor c = QColorDialog::getColor(m_runs->run(i).color, this, tr("Colour of %1").arg(m_runs->run(i).name));
    if (c.isValid())
        m_runs->setColor(i, c);
}

void RunsPanel::removeSelected()
{
    const int i = selectedRun();
    if (i >= 0)
        m_runs->remove(i);
}

void RunsPanel::cancelSelected()
{
    const int i = selectedRun();
    if (i >= 0)
        m_runs->cancel(i);
}

QJsonObject RunsPanel::viewState() const { return {{QStringLiteral("runs"), m_runs->toJson()}}; }

void RunsPanel::restoreViewState(const QJsonObject& state)
{
    m_runs->restore(state.value(QStringLiteral("runs")).toArray());
}

} // namespace featscale::ui
