// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/state/annotation_store.h"

#include "analysis/core/types.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace featscale::ui {

AnnotationStore::AnnotationStore(QObject* parent) : QObject(parent) { }
AnnotationStore::~AnnotationStore() = default;

QString AnnotationStore::path() const { return m_path; }

void AnnotationStore::load(const QString& path)
{
    const quint64 generation = ++m_generation;
    ++m_loading;
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, path, generation] {
        watcher->deleteLater();
        --m_loading;
        if (generation == m_generation)
            finished(path, watcher->result());
    });
    const std::string file = QDir::toNativeSeparators(path).toStdString();
    watcher->setFuture(QtConcurrent::run([file]() -> Loaded {
        try {
            return {std::make_shared<const analysis::Annotations>(analysis::Annotations::read(file)), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}

void AnnotationStore::finished(const QString& path, const Loaded& loaded)
{
    if (!loaded.annotations) {
        Q_EMIT message(tr("Could not read the annotations %1").arg(QFileInfo(path).fileName()), loaded.error);
        return;
    }
    m_annotations = loaded.annotations;
    m_path = path;
    m_loadProblems.clear();
    for (const std::string& p : m_annotations->problems())
        m_loadProblems << QString::fromStdString(p);
    if (m_annotations->problemsLeftOut() > 0)
        m_loadProblems << tr("… and %n more problem(s)", nullptr, static_cast<int>(m_annotations->problemsLeftOut()));
    Q_EMIT changed();
}

void AnnotationStore::clear()
{
    ++m_generation;
    m_annotations.reset();
    m_path.clear();
    m_loadProblems.clear();
    Q_EMIT changed();
}

const analysis::ImageAnnotation* AnnotationStore::find(const QString& imagePath) const
{
    return m_annotations ? m_annotations->find(QDir::toNativeSeparators(imagePath).toStdString()) : nullptr;
}

QStringList AnnotationStore::problemsFor(const QStringList& imagePaths, const QList<QSize>& imageSizes) const
{
    QStringList problems;
    if (!m_annotations)
        return problems;
    for (qsizetype i = 0; i < imagePaths.size(); ++i) {
        const analysis::ImageAnnotation* a = find(imagePaths[i]);
        if (!a) {
            problems << tr("%1: no annotation").arg(QFileInfo(imagePaths[i]).fileName());
            continue;
        }
        const QSize size = i < imageSizes.size() ? imageSizes[i] : QSize();
        if (size.isValid())
            for (const std::string& p : analysis::Annotations::check(*a, size.width(), size.height()))
                problems << QString::fromStdString(p);
    }
    return problems;
}

QJsonObject AnnotationStore::viewState() const
{
    return m_path.isEmpty() ? QJsonObject{} : QJsonObject{{QStringLiteral("path"), m_path}};
}

void AnnotationStore::restoreViewState(const QJsonObject& state)
{
    const QString path = state.value(QStringLiteral("path")).toString();
    if (path.isEmpty())
        clear();
    else if (path != m_path)
        load(path);
}

} // namespace featscale::ui
