// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/download/catalog.h"

#include <QDialog>

#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace featscale::ui {

class WeightsDownloadRunner;

/// Model panel → "Get trained weights…": the catalogue (built-in entries and the lab catalogue of
/// FEATSCALE_CATALOG) with size, what each file is, its attribution and whether it is on disk;
/// Download with a progress bar and Cancel (the download runs in WeightsDownloadRunner, the event
/// loop never waits for it); Open for a file already there. A verified download is announced
/// with weightsReady(path), which the model panel opens like Model → Open weights.
///
/// Non-modal, GUI thread. Nothing is downloaded without a click (or startDownload()).
class TrainedWeightsDialog : public QDialog {
    Q_OBJECT
public:
    explicit TrainedWeightsDialog(QWidget* parent = nullptr);
    ~TrainedWeightsDialog() override;

    /// Re-reads the catalogue and each file's state (cheap: files are not hashed here).
    void refresh();
    /// Selects an entry's row; false when there is no such entry.
    bool selectEntry(const QString& name);
    /// Selects the entry and starts its download; false when unknown, unsupported or busy.
    bool startDownload(const QString& name);
    WeightsDownloadRunner* runner() const { return m_runner; }
    QString statusText() const;

Q_SIGNALS:
    void weightsReady(const QString& path);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void showSelected();
    void downloadSelected();
    void openSelected();
    void setBusy(bool busy);
    const analysis::weights::CatalogEntry* selected() const;

    std::vector<analysis::weights::CatalogEntry> m_catalog;
    analysis::weights::CatalogSettings m_settings;
    QTableWidget* m_table;
    QLabel* m_details;
    QProgressBar* m_progress;
    QLabel* m_status;
    QPushButton* m_download;
    QPushButton* m_open;
    QPushButton* m_cancel;
    QPushButton* m_close;
    QLabel* m_intro;
    WeightsDownloadRunner* m_runner;
};

} // namespace featscale::ui
