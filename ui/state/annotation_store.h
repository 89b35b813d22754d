// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/state/view_state.h"

#include "analysis/regions/annotations.h"

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>

template <typename T> class QFutureWatcher;

namespace featscale::ui {

/// The object boxes of the loaded images: one annotation file or folder (VOC folder of NAME.xml,
/// COCO instances JSON, WIDER FACE ground truth), matched to the image list by name through the
/// engine's Annotations. Owned by the main window; views read it and listen to changed().
///
/// Reading runs on a worker thread (a COCO file can be hundreds of MB); a load started while one
/// runs replaces it. GUI thread only. Its view state is the path, so a session reopens it.
class AnnotationStore : public QObject, public ViewStateOwner {
    Q_OBJECT
public:
    explicit AnnotationStore(QObject* parent = nullptr);
    ~AnnotationStore() override;

    /// Reads path off the GUI thread; changed() (or message() on failure) follows.
    void load(const QString& path);
    void clear();
    bool isLoading() const { return m_loading > 0; }
    bool hasAnnotations() const { return static_cast<bool>(m_annotations); }
    /// The file or folder the loaded annotations came from; empty when none.
    QString path() const;
    /// The boxes of an image file; nullptr when it has no annotation (or none are loaded).
    const analysis::ImageAnnotation* find(const QString& imagePath) const;
    std::shared_ptr<const analysis::Annotations> annotations() const { return m_annotations; }
    /// Entries the reader left out (malformed, unreadable), each naming its file.
    const QStringList& loadProblems() const { return m_loadProblems; }

    /// What a user should know about the list against the annotations: images without an
    /// annotation, and boxes reaching outside an image of known size. One line each, by name.
    QStringList problemsFor(const QStringList& imagePaths, const QList<QSize>& imageSizes) const;

    QString viewStateKey() const override { return QStringLiteral("annotations"); }
    QJsonObject viewState() const override;
    void restoreViewState(const QJsonObject& state) override;

Q_SIGNALS:
    void changed(); ///< annotations loaded or cleared
    /// A load failed: for the message bar, `details` says why.
    void message(const QString& text, const QString& details = {});

private:
    struct Loaded {
        std::shared_ptr<const analysis::Annotations> annotations;
        QString error;
    };
    void finished(const QString& path, const Loaded& loaded);

    std::shared_ptr<const analysis::Annotations> m_annotations;
    QString m_path;
    QStringList m_loadProblems;
    int m_loading = 0;
    quint64 m_generation = 0; ///< a newer load makes an older one's result stale
};

} // namespace featscale::ui
