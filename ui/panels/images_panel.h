// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

class QAction;
class QDragEnterEvent;
class QDropEvent;
class QListView;
class QMimeData;
class QLabel;
class QTimer;
class QPushButton;
class QStackedLayout;
class QUndoStack;

namespace featscale::ui {

class AnnotationStore;
class AppModel;
class ImageListModel;

/// The image list: thumbnails with per-image state, add files / add folder (recursive, image
/// types only) / drag-and-drop, remove, clear. Folder scans run on a worker thread; problems
/// (missing paths, unreadable folders, folders without images) become non-modal messages.
class ImagesPanel : public QWidget {
    Q_OBJECT
public:
    explicit ImagesPanel(AppModel* model, QWidget* parent = nullptr);

    /// Adds files and folders (expanded recursively off the GUI thread).
    void addPaths(const QStringList& paths);
    /// Local file paths carried by a drag, empty if none.
    static QStringList localPaths(const QMimeData* mime);
    QListView* view() const { return m_view; }
    int pendingScans() const { return m_pendingScans; }
    /// Remove and Clear become undo steps on `stack` (the window's); without one they act at once.
    void setUndoStack(QUndoStack* stack);
    /// "Load annotations…" fills `store` (the window's); problems go to the message bar.
    void setAnnotationStore(AnnotationStore* store);
    QPushButton* annotationsButton() const { return m_annotationsButton; }
    /// What loading annotations reports: how many images of the list they cover, and every
    /// problem (left-out entries, images without annotation, boxes outside their image).
    QString annotationSummary(QString* details = nullptr) const;
    QLabel* emptyState() const { return m_empty; }
    QLabel* summary() const { return m_summary; }

public Q_SLOTS:
    void addFilesDialog();
    void addFolderDialog();
    void loadAnnotationsFile();
    void loadAnnotationsFolder();
    void removeSelected();
    void clearAll();

Q_SIGNALS:
    void scanFinished(int added);
    /// A short user-level message for the message bar; `details` is shown on request.
    void message(const QString& text, const QString& details = {});

protected:
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void remove(const QList<int>& rows);
    void syncSelection();
    void updateSummary();
    void retranslate();

    AppModel* m_model;
    ImageListModel* m_listModel;
    QListView* m_view;
    QLabel* m_summary;
    QTimer* m_summaryTimer = nullptr;
    QPushButton* m_remove;
    QPushButton* m_addFiles;
    QPushButton* m_addFolder;
    QPushButton* m_clear;
    QPushButton* m_annotationsButton;
    QAction* m_annotationsFile;
    QAction* m_annotationsFolder;
    QAction* m_annotationsForget;
    AnnotationStore* m_annotations = nullptr;
    QAction* m_removeKey;
    QLabel* m_empty;
    QStackedLayout* m_stack = nullptr;
    QUndoStack* m_undo = nullptr;
    int m_pendingScans = 0;
};

} // namespace featscale::ui
