// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/images_panel.h"

#include "ui/state/annotation_store.h"
#include "ui/state/app_model.h"
#include "ui/state/image_commands.h"
#include "ui/state/image_list_model.h"
#include "ui/state/image_loading.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStackedLayout>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace featscale::ui {

namespace {
struct Scan {
    QStringList files;
    QStringList errors;
};
} // namespace

ImagesPanel::ImagesPanel(AppModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_listModel(new ImageListModel(model, this)), m_view(new QListView(this)),
      m_summary(new QLabel(this)), m_remove(new QPushButton(this)), m_addFiles(new QPushButton(this)),
      m_addFolder(new QPushButton(this)), m_clear(new QPushButton(this)), m_annotationsButton(new QPushButton(this)),
      m_annotationsFile(new QAction(this)), m_annotationsFolder(new QAction(this)),
      m_annotationsForget(new QAction(this)), m_removeKey(new QAction(m_view)), m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("imagesPanel"));
    setAcceptDrops(true);
    m_view->setModel(m_listModel);
    m_view->setIconSize(QSize(64, 64));
    m_view->setUniformItemSizes(true); // rows of one height: thumbnails are padded to a square
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setSpacing(2);

    connect(m_addFiles, &QPushButton::clicked, this, &ImagesPanel::addFilesDialog);
    connect(m_addFolder, &QPushButton::clicked, this, &ImagesPanel::addFolderDialog);
    connect(m_remove, &QPushButton::clicked, this, &ImagesPanel::removeSelected);
    m_removeKey->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    m_removeKey->setShortcutContext(Qt::WidgetWithChildrenShortcut); // only while the list has focus
    connect(m_removeKey, &QAction::triggered, this, &ImagesPanel::removeSelected);
    m_view->addAction(m_removeKey);
    connect(m_clear, &QPushButton::clicked, this, &ImagesPanel::clearAll);
    m_annotationsButton->setObjectName(QStringLiteral("loadAnnotations"));
    auto* annotationsMenu = new QMenu(m_annotationsButton);
    annotationsMenu->addAction(m_annotationsFile);
    annotationsMenu->addAction(m_annotationsFolder);
    annotationsMenu->addAction(m_annotationsForget);
    m_annotationsButton->setMenu(annotationsMenu);
    m_annotationsButton->setEnabled(false); // until the window gives a store
    connect(m_annotationsFile, &QAction::triggered, this, &ImagesPanel::loadAnnotationsFile);
    connect(m_annotationsFolder, &QAction::triggered, this, &ImagesPanel::loadAnnotationsFolder);
    connect(m_annotationsForget, &QAction::triggered, this, [this] {
        if (m_annotations)
            m_annotations->clear();
    });
    retranslate();

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_addFiles);
    buttons->addWidget(m_addFolder);
    auto* buttons2 = new QHBoxLayout;
    buttons2->setContentsMargins(0, 0, 0, 0);
    buttons2->addWidget(m_remove);
    buttons2->addWidget(m_clear);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addLayout(buttons2);
    layout->addWidget(m_annotationsButton);
    // An empty list says how to fill it instead of showing an empty box.
    m_empty->setObjectName(QStringLiteral("imagesEmpty"));
    m_summary->setObjectName(QStringLiteral("imagesSummary"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false);
    auto* stack = new QStackedLayout;
    stack->addWidget(m_view);
    stack->addWidget(m_empty);
    m_stack = stack;
    layout->addLayout(stack, 1);
    layout->addWidget(m_summary);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            m_model->setCurrentIndex(current.row());
    });
    connect(m_model, &AppModel::currentChanged, this, &ImagesPanel::syncSelection);
    connect(m_model, &AppModel::imagesChanged, this, [this] {
        syncSelection();
        updateSummary();
    });
    // One image's new state need not recount a list of a million at once: at most every 100 ms.
    m_summaryTimer = new QTimer(this);
    m_summaryTimer->setSingleShot(true);
    m_summaryTimer->setInterval(100);
    connect(m_summaryTimer, &QTimer::timeout, this, &ImagesPanel::updateSummary);
    connect(m_model, &AppModel::imageStateChanged, this, [this] {
        if (!m_summaryTimer->isActive())
            m_summaryTimer->start();
    });
    connect(m_model, &AppModel::runFinished, this, &ImagesPanel::updateSummary); // the last state at once
    syncSelection();
    updateSummary();
}

void ImagesPanel::retranslate()
{
    m_addFiles->setText(tr("Add files…"));
    m_addFolder->setText(tr("Add folder…"));
    m_remove->setText(tr("Remove"));
    m_clear->setText(tr("Clear"));
    m_addFiles->setToolTip(tr("Add image files (or drop files and folders onto this list)"));
    m_addFolder->setToolTip(tr("Add every image in a folder and its subfolders"));
    m_remove->setToolTip(tr("Remove the selected images from the list (Delete)"));
    m_removeKey->setText(tr("Remove selected images"));
    m_clear->setToolTip(tr("Remove every image from the list (Edit → Undo brings them back)"));
    m_annotationsButton->setText(tr("Load annotations…"));
    m_annotationsButton->setToolTip(tr("Object boxes for the listed images, matched by file name: the image view "
                                       "draws them and the plots can split by region"));
    m_annotationsFile->setText(tr("Annotation file (COCO JSON, WIDER FACE txt)…"));
    m_annotationsFolder->setText(tr("VOC folder of NAME.xml…"));
    m_annotationsForget->setText(tr("Forget annotations"));
    m_empty->setText(tr("No images.\n\nAdd files or a folder, or drop them here."));
}

void ImagesPanel::setAnnotationStore(AnnotationStore* store)
{
    m_annotations = store;
    m_annotationsButton->setEnabled(store != nullptr);
    if (!store)
        return;
    connect(store, &AnnotationStore::message, this, &ImagesPanel::message);
    connect(store, &AnnotationStore::changed, this, [this] {
        m_annotationsForget->setEnabled(m_annotations->hasAnnotations());
        if (!m_annotations->hasAnnotations())
            return;
        QString details;
        const QString text = annotationSummary(&details);
        Q_EMIT message(text, details);
    });
    m_annotationsForget->setEnabled(store->hasAnnotations());
}

QString ImagesPanel::annotationSummary(QString* details) const
{
    if (!m_annotations || !m_annotations->hasAnnotations())
        return {};
    QStringList paths;
    QList<QSize> sizes;
    int matched = 0;
    for (int i = 0; i < m_model->imageCount(); ++i) {
        paths << m_model->image(i).path;
        const ImageEntry& e = m_model->image(i);
        // The analysed size when the thumbnail has not told it yet: both are EXIF-oriented.
        sizes << (e.imageSize.isValid() || !e.result ? e.imageSize
                                                     : QSize(e.result->originalWidth, e.result->originalHeight));
        matched += m_annotations->find(paths.back()) != nullptr;
    }
    const QStringList problems = m_annotations->loadProblems() + m_annotations->problemsFor(paths, sizes);
    if (details)
        *details = problems.join(QLatin1Char('\n'));
    QString text = tr("Annotations %1: boxes for %2 of %n image(s)", nullptr, static_cast<int>(paths.size()))
                       .arg(QFileInfo(m_annotations->path()).fileName())
                       .arg(matched);
    if (!problems.isEmpty())
        text += QStringLiteral("; ") + tr("%n problem(s)", nullptr, static_cast<int>(problems.size()));
    return text;
}

void ImagesPanel::loadAnnotationsFile()
{
    if (!m_annotations)
        return;
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("annotationsDir")).toString();
    const QString file = QFileDialog::getOpenFileName(this, tr("Load annotations"), dir,
                                                      tr("Annotations (*.json *.txt);;All files (*)"));
    if (file.isEmpty())
        return;
    settings.setValue(QStringLiteral("annotationsDir"), QFileInfo(file).absolutePath());
    m_annotations->load(file);
}

void ImagesPanel::loadAnnotationsFolder()
{
    if (!m_annotations)
        return;
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Load VOC annotations (a folder of NAME.xml)"),
                                                          settings.value(QStringLiteral("annotationsDir")).toString());
    if (dir.isEmpty())
        return;
    settings.setValue(QStringLiteral("annotationsDir"), dir);
    m_annotations->load(dir);
}

void ImagesPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        updateSummary();
        m_view->viewport()->update(); // the states under the file names
    }
}

void ImagesPanel::syncSelection()
{
    const int row = m_model->currentIndex();
    const QModelIndex idx = m_listModel->index(row);
    if (row >= 0 && m_view->currentIndex() != idx) {
        m_view->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect);
        m_view->scrollTo(idx);
    }
}

void ImagesPanel::updateSummary()
{
    int done = 0, failed = 0, waiting = 0, previous = 0;
    for (int i = 0; i < m_model->imageCount(); ++i) {
        switch (m_model->image(i).state) {
        case ImageState::Done:
            ++done;
            previous += m_model->image(i).pending ? 1 : 0;
            break;
        case ImageState::Failed:
            ++failed;
            break;
        default:
            ++waiting;
            break;
        }
    }
    QString text = tr("%n image(s): %1 done", nullptr, m_model->imageCount()).arg(done);
    if (previous)
        text += tr(" (%1 from before the re-run)").arg(previous);
    if (failed)
        text += tr(", %1 failed").arg(failed);
    if (waiting)
        text += tr(", %1 waiting").arg(waiting);
    const bool empty = m_model->imageCount() == 0;
    m_summary->setText(empty ? QString() : text);
    m_summary->setVisible(!empty);
    m_stack->setCurrentIndex(empty ? 1 : 0);
    m_remove->setEnabled(!empty);
    m_clear->setEnabled(!empty);
}

void ImagesPanel::addPaths(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    ++m_pendingScans;
    QtConcurrent::run([paths] {
        Scan s;
        s.files = collectImageFiles(paths, &s.errors);
        return s;
    }).then(this, [this, paths](const Scan& s) {
        --m_pendingScans;
        for (const QString& e : s.errors)
            Q_EMIT message(e);
        const int added = m_model->addImages(s.files);
        if (s.files.isEmpty() && s.errors.isEmpty())
            Q_EMIT message(tr("No images found in %1.").arg(paths.join(QLatin1String(", "))),
                           tr("Images are files named *.%1 (formats: %2).")
                               .arg(imageSuffixes().join(QLatin1String(", *.")), imageFormatsText()));
        Q_EMIT scanFinished(added);
    });
}

QStringList ImagesPanel::localPaths(const QMimeData* mime)
{
    QStringList out;
    if (!mime || !mime->hasUrls())
        return out;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            out << url.toLocalFile();
    return out;
}

void ImagesPanel::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ImagesPanel::dropEvent(QDropEvent* event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

void ImagesPanel::addFilesDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/lastImageDir")).toString();
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add images"), dir, imageFileFilter());
    if (files.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastImageDir"), QFileInfo(files.front()).absolutePath());
    addPaths(files);
}

void ImagesPanel::addFolderDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/lastImageDir")).toString();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder of images"), dir);
    if (folder.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastImageDir"), folder);
    addPaths({folder});
}

void ImagesPanel::setUndoStack(QUndoStack* stack) { m_undo = stack; }

void ImagesPanel::remove(const QList<int>& rows)
{
    if (rows.isEmpty())
        return;
    auto* command = new RemoveImagesCommand(m_model, rows);
    const int n = command->count();
    const bool all = n == m_model->imageCount();
    if (!m_undo) {
        command->redo();
        delete command;
        return;
    }
    m_undo->push(command); // runs it
    Q_EMIT message(all ? tr("Image list cleared (%n image(s)); Edit → Undo brings them back.", nullptr, n)
                       : tr("%n image(s) removed; Edit → Undo brings them back.", nullptr, n));
}

void ImagesPanel::removeSelected()
{
    QList<int> rows;
    for (const QModelIndex& i : m_view->selectionModel()->selectedIndexes())
        rows << i.row();
    if (rows.isEmpty() && m_model->currentIndex() >= 0)
        rows << m_model->currentIndex();
    remove(rows);
}

void ImagesPanel::clearAll()
{
    QList<int> rows;
    for (int i = 0; i < m_model->imageCount(); ++i)
        rows << i;
    remove(rows);
}

} // namespace featscale::ui
