// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMainWindow>
#include <QStringList>

#include <utility>
#include <vector>

class QAction;
class QDockWidget;
class QMenu;
class QTabWidget;
class QUndoStack;
class QSplitter;

namespace featscale::ui {

class AppModel;
class ExportActions;
class HelpDialog;
class ImageView;
class PhotoStore;
class ImagesPanel;
class AnnotationStore;
class MessageBar;
class ModelPanel;
class BatchController;
class BatchStatus;
class SessionController;
class UntrainedBanner;
class ViewStateOwner;

/// The featscale window: image list and model panel on the left, the image view and the plot
/// panels (layer scales, histograms, ParseNet concat) in the middle, the gamma panel on the
/// right, run status at the bottom. Owns AppModel and BatchController; every panel talks to the
/// model only. Window geometry and dock layout persist in QSettings.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Adds files/folders (or the bundled samples when paths is empty and the list is empty)
    /// and starts analysing.
    void start(const QStringList& paths = {});
    /// Opens `session` (asynchronously); when it cannot be opened, start(paths) as without it.
    void startWithSession(const QString& session, const QStringList& paths = {});
    void addPaths(const QStringList& paths);
    void loadSamples();
    /// Weights for the first run (command line); call before start().
    void setInitialWeights(const QString& path);

    AppModel* model() const { return m_model; }
    BatchController* controller() const { return m_controller; }
    ImagesPanel* imagesPanel() const { return m_images; }
    ImageView* imageView() const { return m_imageView; }
    ModelPanel* modelPanel() const { return m_modelPanel; }
    QTabWidget* plotTabs() const { return m_plotTabs; }
    MessageBar* messageBar() const { return m_messages; }
    AnnotationStore* annotations() const { return m_annotations; }
    BatchStatus* batchStatus() const { return m_status; }
    SessionController* sessions() const { return m_sessions; }
    ExportActions* exports() const { return m_exports; }
    UntrainedBanner* untrainedBanner() const { return m_banner; }
    /// Undo steps of the image list (Remove, Clear); Edit → Undo/Redo act on it.
    QUndoStack* imageUndoStack() const { return m_imageUndo; }
    /// Switches the GUI language ("" = system locale, "en", "zh_CN"; see translations.h) and saves
    /// the choice. Every window, panel and plot retranslates itself at once (QEvent::LanguageChange);
    /// messages already shown keep their language.
    void setLanguage(const QString& code);

    /// A panel placed in the window by objectName ("gammaPanel", "histogramPanel", ...), or null.
    QWidget* panel(const QString& objectName) const;

    /// View → Reset layout: the default arrangement for the current window width (plots at least
    /// half the width, photo and control docks yielding), and the saved layout forgotten.
    void resetLayout();
    /// The default arrangement for the current width, without touching the saved settings.
    void applyDefaultLayout();

    QJsonObject viewState() const;
    void restoreViewState(const QJsonObject& state);

public Q_SLOTS:
    void nextImage();
    void previousImage();
    void showHelp();
    /// File → Export image with overlay…: the photo as shown, at its own resolution, with the colour bar.
    void exportPhotoDialog();

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildPanels();
    void buildMenus();
    void buildEditMenu();
    void buildLanguageMenu(QMenu* view);
    /// Texts of the menus, docks and tabs from their English sources (QT_TR_NOOP), in the
    /// current language; called on QEvent::LanguageChange.
    void retranslate();
    void updateUndoTexts();
    bool eventFilter(QObject* watched, QEvent* event) override;
    /// `action`'s text is tr(source) now and after every language change.
    QAction* translated(QAction* action, const char* source);
    void updateTitle();
    void restoreSettings();
    QSize defaultSize() const;
    /// Asks Save / Discard / Cancel (non-modal) when the session has unsaved changes; true when
    /// the window may close now.
    bool maySave();
    void saveWindowSettings();

    AppModel* m_model;
    BatchController* m_controller;
    ImagesPanel* m_images = nullptr;
    PhotoStore* m_photos = nullptr;
    ImageView* m_imageView = nullptr;
    ModelPanel* m_modelPanel = nullptr;
    QTabWidget* m_plotTabs = nullptr;
    QSplitter* m_split = nullptr;
    QByteArray m_defaultDocks;          ///< dock arrangement as built, base of the default layout
    bool m_defaultLayoutPending = true; ///< no saved layout restored: apply the default when shown
    MessageBar* m_messages = nullptr;
    AnnotationStore* m_annotations = nullptr;
    BatchStatus* m_status = nullptr;
    SessionController* m_sessions = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    ExportActions* m_exports = nullptr;
    HelpDialog* m_help = nullptr;
    UntrainedBanner* m_banner = nullptr;
    QUndoStack* m_imageUndo = nullptr;
    bool m_closeConfirmed = false;                               ///< the user answered the unsaved-changes question
    std::vector<ViewStateOwner*> m_views;                        ///< every view whose own choices a session keeps
    std::vector<std::pair<QAction*, const char*>> m_actionTexts; ///< menus and actions, English source
    std::vector<std::pair<QDockWidget*, const char*>> m_dockTitles;
    std::vector<const char*> m_tabTitles; ///< by tab index
    QList<QAction*> m_languageActions;    ///< View → Language, data: the code
};

} // namespace featscale::ui
