// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/weights/download/catalog.h"

#include <QFuture>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace featscale::ui {

/// Runs analysis::weights::downloadEntry off the GUI thread (QtConcurrent) and reports through
/// queued signals: progress a few times a second, then exactly one of finished / failed /
/// cancelled. Cancel leaves only FILE.part (the next download of the entry resumes from it).
///
/// Owned by a widget on the GUI thread; one download at a time. The destructor cancels a running
/// download and waits for it (libcurl calls back at least once a second, also while a connection
/// stalls), so no signal reaches a destroyed receiver.
class WeightsDownloadRunner : public QObject {
    Q_OBJECT
public:
    explicit WeightsDownloadRunner(QObject* parent = nullptr);
    ~WeightsDownloadRunner() override;

    bool isRunning() const;
    /// Starts a download; false (and nothing happens) while one is running.
    bool start(const analysis::weights::CatalogEntry& entry, const analysis::weights::CatalogSettings& settings);
    void cancel();
    void waitForFinished(); ///< for tests and shutdown
    QString currentName() const { return m_name; }

Q_SIGNALS:
    /// bytes on disk, total (0 unknown), bytes per second, seconds left (negative unknown)
    void progress(qint64 bytes, qint64 total, double rate, double eta);
    void finished(const QString& name, const QString& path, const QString& sha256, const QStringList& notes);
    void failed(const QString& name, const QString& message);
    void cancelled(const QString& name);

private:
    QFuture<void> m_future;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QString m_name;
};

} // namespace featscale::ui
