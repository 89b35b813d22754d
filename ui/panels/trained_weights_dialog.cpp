// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/trained_weights_dialog.h"

#include "analysis/core/types.h"
#include "analysis/weights/download/download.h"
#include "analysis/weights/download/verified_files.h"
#include "ui/jobs/weights_download_runner.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <filesystem>

namespace featscale::ui {

namespace wt = featscale::analysis::weights;

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }

QString formatRate(double bytesPerSecond)
{
    return q(wt::formatBytes(static_cast<std::uint64_t>(std::max(0.0, bytesPerSecond)))) + QStringLiteral("/s");
}

QString formatEta(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("--:--");
    const int s = static_cast<int>(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString stateText(const wt::CatalogEntry& e, const wt::CatalogSettings& settings)
{
    std::string path;
    try {
        path = wt::destinationPath(e, settings);
    } catch (const analysis::Error& err) {
        return QString::fromUtf8(err.what());
    }
    const wt::FileCheck c = wt::checkEntryFile(e, path, /*hash=*/false);
    switch (c.state) {
    case wt::FileState::Verified:
        return QObject::tr("on disk, verified");
    case wt::FileState::Mismatch:
        return QObject::tr("on disk, NOT the published file");
    case wt::FileState::Unverified:
        return QObject::tr("on disk, not verified yet");
    case wt::FileState::Unverifiable:
        return QObject::tr("on disk, not verifiable: no published full digest");
    case wt::FileState::Missing:
        break;
    }
    std::error_code ec;
    if (std::filesystem::exists(path + ".part", ec))
        return QObject::tr("partly downloaded (resumes)");
    return QObject::tr("not downloaded");
}
} // namespace

TrainedWeightsDialog::TrainedWeightsDialog(QWidget* parent)
    : QDialog(parent), m_table(new QTableWidget(this)), m_details(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)), m_download(new QPushButton(this)), m_open(new QPushButton(this)),
      m_cancel(new QPushButton(this)), m_close(new QPushButton(this)), m_intro(new QLabel(this)),
      m_runner(new WeightsDownloadRunner(this))
{
    setObjectName(QStringLiteral("trainedWeightsDialog"));
    setModal(false);
    m_intro->setWordWrap(true);
    m_table->setObjectName(QStringLiteral("catalogTable"));
    m_table->setColumnCount(4);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->setWordWrap(true);
    m_details->setObjectName(QStringLiteral("entryDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setObjectName(QStringLiteral("downloadProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status->setObjectName(QStringLiteral("downloadStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_download->setObjectName(QStringLiteral("downloadButton"));
    m_open->setObjectName(QStringLiteral("openButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    retranslate();

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_download);
    buttons->addWidget(m_open);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    buttons->addWidget(m_close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_details);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    resize(900, 520);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, &TrainedWeightsDialog::showSelected);
    connect(m_download, &QPushButton::clicked, this, &TrainedWeightsDialog::downloadSelected);
    connect(m_open, &QPushButton::clicked, this, &TrainedWeightsDialog::openSelected);
    connect(m_cancel, &QPushButton::clicked, m_runner, &WeightsDownloadRunner::cancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_runner, &WeightsDownloadRunner::progress, this,
            [this](qint64 bytes, qint64 total, double rate, double eta) {
                if (total > 0) {
                    m_progress->setRange(0, 1000);
                    m_progress->setValue(
                        static_cast<int>(1000.0 * static_cast<double>(bytes) / static_cast<double>(total)));
                } else {
                    m_progress->setRange(0, 0); // busy indicator: size unknown
                }
                m_status->setText(
                    tr("%1: %2 of %3, %4, %5 left")
                        .arg(m_runner->currentName(), q(wt::formatBytes(static_cast<std::uint64_t>(bytes))),
                             total > 0 ? q(wt::formatBytes(static_cast<std::uint64_t>(total))) : tr("unknown size"),
                             formatRate(rate), formatEta(eta)));
            });
    connect(m_runner, &WeightsDownloadRunner::finished, this,
            [this](const QString& name, const QString& path, const QString& sha256, const QStringList& notes) {
                setBusy(false);
                m_progress->setRange(0, 1000);
                m_progress->setValue(1000);
                refresh();
                selectEntry(name);
                const wt::CatalogEntry* e = wt::findEntry(m_catalog, name.toStdString());
                QString text = e && !e->verifiable()
                                   ? tr("%1: downloaded, not verifiable: no published full digest, %2\nsha256 %3")
                                         .arg(name, path, sha256)
                                   : tr("%1: verified, %2\nsha256 %3").arg(name, path, sha256);
                if (!notes.isEmpty())
                    text += QLatin1Char('\n') + notes.join(QLatin1Char('\n'));
                if (e && !e->unsupported.empty()) {
                    m_status->setText(text + QLatin1Char('\n') +
                                      tr("featscale cannot open it yet: it %1").arg(q(e->unsupported)));
                    return;
                }
                m_status->setText(text + QLatin1Char('\n') + tr("Opened in featscale."));
                Q_EMIT weightsReady(path);
            });
    connect(m_runner, &WeightsDownloadRunner::failed, this, [this](const QString& name, const QString& message) {
        setBusy(false);
        m_progress->setRange(0, 1000);
        m_progress->setValue(0);
        m_status->setText(tr("%1: download failed: %2").arg(name, message));
        refresh();
        selectEntry(name);
    });
    connect(m_runner, &WeightsDownloadRunner::cancelled, this, [this](const QString& name) {
        setBusy(false);
        m_progress->setRange(0, 1000);
        m_status->setText(
            tr("%1: cancelled; the part already downloaded is kept and the next download resumes from it").arg(name));
        refresh();
        selectEntry(name);
    });
    refresh();
}

TrainedWeightsDialog::~TrainedWeightsDialog() = default;

void TrainedWeightsDialog::retranslate()
{
    setWindowTitle(tr("Get trained weights"));
    m_intro->setText(tr("featscale's default weights are untrained; the ParseNet scale gap between conv4_3 "
                        "and fc7 appears only with trained ones. Files go to the PyTorch and Keras caches "
                        "(~/.cache/torch/hub/checkpoints, ~/.keras/models), where those tools find them "
                        "too; each is checked against its published hash before it is used."));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Size"), tr("What it is"), tr("On disk")});
    m_download->setText(tr("Download")); // "Check again" for a verified file: showSelected()
    m_open->setText(tr("Open"));
    m_cancel->setText(tr("Cancel download"));
    m_close->setText(tr("Close"));
}

void TrainedWeightsDialog::changeEvent(QEvent* event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refresh(); // states and the Download / Check again button
    }
}

void TrainedWeightsDialog::refresh()
{
    const QString current = selected() ? q(selected()->name) : QString();
    m_settings = wt::CatalogSettings::fromEnvironment();
    QString catalogProblem;
    try {
        m_catalog = wt::loadCatalog(m_settings);
    } catch (const analysis::Error& e) {
        m_catalog = wt::builtinCatalog();
        catalogProblem = tr("Lab catalogue not used: %1").arg(QString::fromUtf8(e.what()));
    }
    m_table->setRowCount(static_cast<int>(m_catalog.size()));
    for (int row = 0; row < static_cast<int>(m_catalog.size()); ++row) {
        const wt::CatalogEntry& e = m_catalog[static_cast<std::size_t>(row)];
        auto* name = new QTableWidgetItem(q(e.name) + (e.lab ? tr(" (lab)") : QString()));
        name->setData(Qt::UserRole, q(e.name));
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, new QTableWidgetItem(q(wt::describeSize(e))));
        auto* what = new QTableWidgetItem(q(e.description));
        what->setToolTip(q(e.description + "\n\n" + e.attribution));
        m_table->setItem(row, 2, what);
        m_table->setItem(row, 3,
                         new QTableWidgetItem(e.unsupported.empty()
                                                  ? stateText(e, m_settings)
                                                  : stateText(e, m_settings) + tr(" — cannot be opened yet")));
    }
    m_table->resizeColumnToContents(0);
    m_table->resizeColumnToContents(1);
    m_table->resizeColumnToContents(3);
    m_table->resizeRowsToContents();
    if (!catalogProblem.isEmpty())
        m_status->setText(catalogProblem);
    if (current.isEmpty() || !selectEntry(current))
        selectEntry(QStringLiteral("vgg16"));
    showSelected();
}

bool TrainedWeightsDialog::selectEntry(const QString& name)
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == name) {
            m_table->selectRow(row);
            return true;
        }
    return false;
}

const wt::CatalogEntry* TrainedWeightsDialog::selected() const
{
    const auto rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    if (rows.isEmpty())
        return nullptr;
    const int row = rows.front().row();
    return row >= 0 && row < static_cast<int>(m_catalog.size()) ? &m_catalog[static_cast<std::size_t>(row)] : nullptr;
}

void TrainedWeightsDialog::showSelected()
{
    const wt::CatalogEntry* e = selected();
    if (!e) {
        m_details->clear();
        m_download->setEnabled(false);
        m_open->setEnabled(false);
        return;
    }
    std::string path;
    try {
        path = wt::destinationPath(*e, m_settings);
    } catch (const analysis::Error& err) {
        m_details->setText(QString::fromUtf8(err.what()));
        m_download->setEnabled(false);
        m_open->setEnabled(false);
        return;
    }
    QString text = tr("<b>%1</b> — %2, %3<br>%4<br>from %5<br>to %6<br><i>%7</i>")
                       .arg(q(e->file).toHtmlEscaped(), q(wt::describeSize(*e)), q(wt::describeCheck(*e)),
                            q(e->description).toHtmlEscaped(), q(wt::downloadUrl(*e, m_settings)).toHtmlEscaped(),
                            q(path).toHtmlEscaped(), q(e->attribution).toHtmlEscaped());
    if (!e->unsupported.empty())
        text += tr("<br><b>featscale cannot open it yet:</b> it %1").arg(q(e->unsupported).toHtmlEscaped());
    m_details->setText(text);
    const bool busy = m_runner->isRunning();
    const wt::FileState state = wt::checkEntryFile(*e, path, /*hash=*/false).state;
    m_download->setEnabled(!busy);
    m_download->setText(state == wt::FileState::Verified ? tr("Check again") : tr("Download"));
    m_open->setEnabled(!busy && e->unsupported.empty() &&
                       (state == wt::FileState::Verified || state == wt::FileState::Unverified ||
                        state == wt::FileState::Unverifiable));
}

void TrainedWeightsDialog::setBusy(bool busy)
{
    m_cancel->setEnabled(busy);
    m_table->setEnabled(!busy);
    showSelected();
    m_download->setEnabled(!busy);
}

bool TrainedWeightsDialog::startDownload(const QString& name)
{
    if (m_runner->isRunning() || !selectEntry(name))
        return false;
    const wt::CatalogEntry* e = selected();
    if (!e)
        return false;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status->setText(tr("%1: connecting to %2 …").arg(name, q(wt::downloadUrl(*e, m_settings))));
    if (!m_runner->start(*e, m_settings))
        return false;
    setBusy(true);
    return true;
}

void TrainedWeightsDialog::downloadSelected()
{
    if (const wt::CatalogEntry* e = selected())
        startDownload(q(e->name));
}

void TrainedWeightsDialog::openSelected()
{
    const wt::CatalogEntry* e = selected();
    if (!e || !e->unsupported.empty())
        return;
    Q_EMIT weightsReady(q(wt::destinationPath(*e, m_settings)));
}

QString TrainedWeightsDialog::statusText() const { return m_status->text(); }

} // namespace featscale::ui
