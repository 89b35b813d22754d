// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/window/main_window.h"

#include "analysis/network/layer_catalog.h"
#include "analysis/weights/download/catalog.h"
#include "ui/jobs/batch_controller.h"
#include "ui/jobs/batch_status.h"
#include "ui/panels/gamma_panel.h"
#include "ui/panels/help_dialog.h"
#include "ui/panels/image_view.h"
#include "ui/panels/images_panel.h"
#include "ui/panels/message_bar.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/photo_export.h"
#include "ui/panels/trained_weights_dialog.h"
#include "ui/panels/untrained_banner.h"
#include "ui/plots/concat_panel.h"
#include "ui/plots/histogram_panel.h"
#include "ui/plots/layer_scales_panel.h"
#include "ui/plots/plot_interaction.h"
#include "ui/runs/compare_panel.h"
#include "ui/runs/comparison_export.h"
#include "ui/runs/run_set.h"
#include "ui/runs/runs_panel.h"
#include "ui/runs/training_panel.h"
#include "ui/state/annotation_store.h"
#include "ui/state/app_model.h"
#include "ui/state/photo_store.h"
#include "ui/state/session_controller.h"
#include "ui/state/untrained_text.h"
#include "ui/window/export_actions.h"
#include "ui/window/resource_paths.h"
#include "ui/window/translations.h"
#include "ui/window/window_layout.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonValue>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMetaObject>
#include <QPointer>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
/// The GUI analyses every tap by default, a detector's extra layers included: the layer-scale view
/// is the ParseNet argument across depth.
an::AnalyzerOptions defaultGuiOptions()
{
    an::AnalyzerOptions o;
    o.layersAll = true;
    o.keepActivations = true;
    return o;
}

/// Panels scroll vertically instead of forcing the window taller than the screen when their
/// controls need more room than a small screen offers. Plot panels never scroll sideways: they are
/// laid out for the width they get (a plot scrolled sideways loses its title, legend and axis);
/// control panels do only when narrower than their controls, rather than clip them.
QScrollArea* scrollable(QWidget* panel, bool sideways = false)
{
    auto* area = new QScrollArea;
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setHorizontalScrollBarPolicy(sideways ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    area->setFrameShape(QFrame::NoFrame);
    area->setObjectName(panel->objectName() + QStringLiteral("Scroll"));
    return area;
}

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kSplitKey = QStringLiteral("window/split");
const QString kScreenKey = QStringLiteral("window/screen");
const QString kVersionKey = QStringLiteral("window/layoutVersion");

QRect availableGeometry(const QWidget* w)
{
    if (const QScreen* screen = w->screen())
        return screen->availableGeometry();
    if (const QScreen* screen = QGuiApplication::primaryScreen())
        return screen->availableGeometry();
    return QRect(0, 0, 1280, 720);
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_model(new AppModel(this)), m_controller(new BatchController(m_model, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    m_model->setOptions(defaultGuiOptions());
    // One history for the user's edits: γ changes and image removals share the model's stack.
    m_imageUndo = m_model->undoStack();
    m_photos = new PhotoStore(m_model, this);
    buildPanels();
    buildMenus();
    m_sessions = new SessionController(
        m_model, this, [this] { return viewState(); }, [this](const QJsonObject& s) { restoreViewState(s); });

    // Messages and re-run requests come from their senders; the model relays neither.
    connect(m_model, &AppModel::message, m_messages, &MessageBar::showMessage);
    connect(m_controller, &BatchController::message, m_messages, &MessageBar::showMessage);
    connect(m_sessions, &SessionController::message, m_messages, &MessageBar::showMessage);
    connect(m_sessions, &SessionController::rerunRequested, m_controller, &BatchController::rerun);
    connect(m_modelPanel, &ModelPanel::message, m_messages, &MessageBar::showMessage);
    connect(m_modelPanel, &ModelPanel::rerunRequested, m_controller, &BatchController::rerun);
    connect(m_images, &ImagesPanel::message, m_messages, &MessageBar::showMessage);
    connect(findChild<RunsPanel*>(QStringLiteral("runsPanel")), &RunsPanel::message, m_messages,
            &MessageBar::showMessage);
    connect(findChild<ComparePanel*>(QStringLiteral("comparePanel")), &ComparePanel::message, m_messages,
            &MessageBar::showMessage);
    auto* training = findChild<TrainingPanel*>(QStringLiteral("trainingPanel"));
    connect(training, &TrainingPanel::message, m_messages, &MessageBar::showMessage);
    connect(training, &TrainingPanel::rerunRequested, m_controller, &BatchController::rerun);
    auto* gamma = findChild<GammaPanel*>(QStringLiteral("gammaPanel"));
    connect(gamma, &GammaPanel::message, m_messages, &MessageBar::showMessage);
    connect(gamma, &GammaPanel::rerunRequested, m_controller, &BatchController::rerun);
    connect(m_model, &AppModel::weightsChanged, this, &MainWindow::updateTitle);
    connect(m_model, &AppModel::currentChanged, this, &MainWindow::updateTitle);
    connect(m_sessions, &SessionController::sessionChanged, this, &MainWindow::updateTitle);
    connect(m_sessions, &SessionController::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_sessions, &SessionController::sessionOpened, m_imageUndo, &QUndoStack::clear);
    m_images->setUndoStack(m_imageUndo);
    m_images->setAnnotationStore(m_annotations);
    m_imageView->setAnnotations(m_annotations);
    findChild<HistogramPanel*>(QStringLiteral("histogramPanel"))->setAnnotations(m_annotations);
    findChild<LayerScalesPanel*>(QStringLiteral("layerScalesPanel"))->setAnnotations(m_annotations);
    updateTitle();
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanels()
{
    m_messages = new MessageBar(this);
    m_annotations = new AnnotationStore(this);
    m_imageView = new ImageView(m_model, m_photos, this);
    m_plotTabs = new QTabWidget(this);
    m_plotTabs->setObjectName(QStringLiteral("plotTabs"));
    m_plotTabs->setDocumentMode(true);
    m_tabTitles = {QT_TR_NOOP("Layer scales"), QT_TR_NOOP("Histograms"), QT_TR_NOOP("ParseNet concat")};
    auto* layerScales = new LayerScalesPanel(m_model, this);
    m_plotTabs->addTab(scrollable(layerScales), tr(m_tabTitles[0]));
    auto* histograms = new HistogramPanel(m_model, this);
    m_plotTabs->addTab(scrollable(histograms), tr(m_tabTitles[1]));
    auto* concat = new ConcatPanel(m_model, this);
    m_plotTabs->addTab(scrollable(concat), tr(m_tabTitles[2]));
    m_views = {m_imageView, layerScales, histograms, concat, m_annotations};
    // A first start opens on the histograms, before and after L2Norm side by side: the ParseNet point
    // (conv4_3 far above fc7 until L2Norm brings it to gamma's scale) at first sight. Sessions keep the tab.
    m_plotTabs->setCurrentIndex(1);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(QStringLiteral("centralSplit"));
    m_split->addWidget(m_imageView);
    m_split->addWidget(m_plotTabs);
    // The photo yields to the plots: extra width goes to the plots twice as fast, and the plots
    // never collapse nor shrink below the width their axes and titles are laid out for.
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 2);
    m_split->setCollapsible(1, false);
    m_imageView->setMinimumWidth(window_layout::kImageMinimumWidth);
    m_plotTabs->setMinimumWidth(window_layout::kPlotMinimumWidth);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_messages);
    m_banner = new UntrainedBanner(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_split, 1);
    setCentralWidget(central);

    m_images = new ImagesPanel(m_model, this);
    auto* imagesDock = new QDockWidget(tr("Images"), this);
    m_dockTitles.emplace_back(imagesDock, QT_TR_NOOP("Images"));
    imagesDock->setObjectName(QStringLiteral("imagesDock"));
    imagesDock->setWidget(m_images);
    imagesDock->setMinimumWidth(window_layout::kDockMinimumWidth);
    addDockWidget(Qt::LeftDockWidgetArea, imagesDock);

    m_modelPanel = new ModelPanel(m_model, this);
    auto* modelDock = new QDockWidget(tr("Model"), this);
    m_dockTitles.emplace_back(modelDock, QT_TR_NOOP("Model"));
    modelDock->setObjectName(QStringLiteral("modelDock"));
    modelDock->setWidget(scrollable(m_modelPanel, /*sideways=*/true));
    modelDock->setMinimumWidth(window_layout::kDockMinimumWidth);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    connect(m_banner, &UntrainedBanner::moreRequested, m_modelPanel, &ModelPanel::showTrainedWeightsDialog);
    connect(layerScales, &LayerScalesPanel::trainedWeightsRequested, m_modelPanel,
            &ModelPanel::showTrainedWeightsDialog);
    connect(m_banner, &UntrainedBanner::downloadRequested, this, [this](const QString& name) {
        m_modelPanel->showTrainedWeightsDialog();
        m_modelPanel->trainedWeightsDialog()->startDownload(name);
    });
    connect(m_model, &AppModel::weightsChanged, this, [this] {
        if (m_model->hasEngine() && !m_model->weights().untrained)
            m_banner->hide();
    });

    auto* gamma = new GammaPanel(m_model, this);
    m_views.push_back(gamma);
    auto* gammaDock = new QDockWidget(tr("Gamma (L2Norm)"), this);
    m_dockTitles.emplace_back(gammaDock, QT_TR_NOOP("Gamma (L2Norm)"));
    gammaDock->setObjectName(QStringLiteral("gammaDock"));
    gammaDock->setWidget(scrollable(gamma, /*sideways=*/true));
    gammaDock->setMinimumWidth(window_layout::kDockMinimumWidth);
    addDockWidget(Qt::LeftDockWidgetArea, gammaDock);

    // Runs side by side: the run list in a dock beside gamma, their comparison as a plot tab.
    auto* runSet = new RunSet(this);
    auto* runs = new RunsPanel(m_model, runSet, this);
    m_views.push_back(runs);
    auto* runsDock = new QDockWidget(tr("Runs"), this);
    m_dockTitles.emplace_back(runsDock, QT_TR_NOOP("Runs"));
    runsDock->setObjectName(QStringLiteral("runsDock"));
    runsDock->setWidget(scrollable(runs));
    addDockWidget(Qt::RightDockWidgetArea, runsDock);
    tabifyDockWidget(gammaDock, runsDock);
    gammaDock->raise();
    m_tabTitles.push_back(QT_TR_NOOP("Compare runs"));
    auto* compare = new ComparePanel(m_model, runSet, m_photos, this);
    m_views.push_back(compare);
    m_plotTabs->addTab(scrollable(compare), tr(m_tabTitles.back()));
    // A training run's checkpoints: after the tabs older sessions number, so their saved tab holds.
    m_tabTitles.push_back(QT_TR_NOOP("Training"));
    auto* training = new TrainingPanel(m_model, this);
    m_views.push_back(training);
    m_plotTabs->addTab(scrollable(training), tr(m_tabTitles.back()));

    m_status = new BatchStatus(m_model, m_controller, this);
    statusBar()->addPermanentWidget(m_status);
}

void MainWindow::buildMenus()
{
    // Texts are set by translated() from their English sources, so a language change can redo them.
    QMenu* file = menuBar()->addMenu(QString());
    translated(file->menuAction(), QT_TR_NOOP("&File"));
    QAction* addFiles = translated(file->addAction(QString(), m_images, &ImagesPanel::addFilesDialog),
                                   QT_TR_NOOP("Add &images…"));
    addFiles->setShortcut(QKeySequence::Open);
    QAction* addFolder = translated(file->addAction(QString(), m_images, &ImagesPanel::addFolderDialog),
                                    QT_TR_NOOP("Add &folder…"));
    addFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    translated(file->addAction(QString(), this, &MainWindow::loadSamples), QT_TR_NOOP("Add the bundled &samples"));
    QAction* openWeights = translated(file->addAction(QString(), m_modelPanel, &ModelPanel::openWeightsDialog),
                                      QT_TR_NOOP("Open &weights…"));
    openWeights->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    translated(file->addAction(QString(), m_modelPanel, &ModelPanel::showTrainedWeightsDialog),
               QT_TR_NOOP("Get &trained weights…"));
    file->addSeparator();
    QAction* openSession = translated(file->addAction(QString(), this, [this] { m_sessions->openDialog(); }),
                                      QT_TR_NOOP("Open &session…"));
    openSession->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    QMenu* recent = file->addMenu(QString());
    translated(recent->menuAction(), QT_TR_NOOP("Recent sessions"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] { m_sessions->populateRecentMenu(recent); });
    QAction* save = translated(file->addAction(QString(), this, [this] { m_sessions->saveDialog(); }),
                               QT_TR_NOOP("&Save session"));
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = translated(file->addAction(QString(), this, [this] { m_sessions->saveAsDialog(); }),
                                 QT_TR_NOOP("Save session &as…"));
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();

    m_exports = new ExportActions(m_model, this);
    connect(m_exports, &ExportActions::message, m_messages, &MessageBar::showMessage);
    PlotInteraction::setExportHandler([exports = QPointer<ExportActions>(m_exports)](QCustomPlot* plot) {
        if (exports)
            exports->exportPlotDialog(plot);
    });
    QAction* exportCurrent = translated(
        file->addAction(QString(), this, [this] { m_exports->exportRunDialog(/*allImages=*/false); }),
        QT_TR_NOOP("&Export histograms and summaries (current image)…"));
    exportCurrent->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* exportAll = translated(
        file->addAction(QString(), this, [this] { m_exports->exportRunDialog(/*allImages=*/true); }),
        QT_TR_NOOP("Export histograms and summaries (&all images)…"));
    exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    if (auto* compare = findChild<ComparePanel*>()) {
        translated(file->addAction(QString(), compare->exporter(),
                                   [compare] { compare->exporter()->exportNormMapsDialog(false); }),
                   QT_TR_NOOP("Export norm maps (current image)…"));
        translated(file->addAction(QString(), compare->exporter(),
                                   [compare] { compare->exporter()->exportNormMapsDialog(true); }),
                   QT_TR_NOOP("Export norm maps (all images)…"));
    }
    QMenu* plots = file->addMenu(QString());
    translated(plots->menuAction(), QT_TR_NOOP("Export &plot"));
    connect(plots, &QMenu::aboutToShow, this, [this, plots] { m_exports->populatePlotMenu(plots); });
    QAction* exportPlot = translated(file->addAction(QString(), m_exports, &ExportActions::exportVisiblePlotDialog),
                                     QT_TR_NOOP("Export visible plot…"));
    exportPlot->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    translated(file->addAction(QString(), this, &MainWindow::exportPhotoDialog),
               QT_TR_NOOP("Export image with &overlay…"));
    file->addSeparator();
    QAction* quit = translated(file->addAction(QString(), this, &QWidget::close), QT_TR_NOOP("&Quit"));
    quit->setShortcut(QKeySequence::Quit);

    buildEditMenu();

    QMenu* view = menuBar()->addMenu(QString());
    translated(view->menuAction(), QT_TR_NOOP("&View"));
    QAction* next = translated(view->addAction(QString(), this, &MainWindow::nextImage), QT_TR_NOOP("&Next image"));
    next->setShortcuts({QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::ALT | Qt::Key_Right)});
    QAction* prev = translated(view->addAction(QString(), this, &MainWindow::previousImage),
                               QT_TR_NOOP("&Previous image"));
    prev->setShortcuts({QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::ALT | Qt::Key_Left)});
    QAction* clearPin = translated(view->addAction(QString(), m_model, &AppModel::clearPin),
                                   QT_TR_NOOP("Clear pinned location"));
    clearPin->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    QAction* clearHighlight = translated(view->addAction(QString(), m_model, &AppModel::clearHighlight),
                                         QT_TR_NOOP("Clear histogram highlight"));
    clearHighlight->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    QAction* reset = translated(view->addAction(QString(), this, &MainWindow::resetLayout),
                                QT_TR_NOOP("Reset &layout"));
    reset->setObjectName(QStringLiteral("resetLayoutAction"));
    view->addSeparator();
    buildLanguageMenu(view);

    QMenu* run = menuBar()->addMenu(QString());
    translated(run->menuAction(), QT_TR_NOOP("&Run"));
    QAction* rerun = translated(run->addAction(QString(), m_modelPanel, &ModelPanel::applyAndRerun),
                                QT_TR_NOOP("&Re-run all images"));
    rerun->setShortcut(QKeySequence(Qt::Key_F5));
    // Esc while a session is being read cancels that open (the window keeps what it shows);
    // otherwise it cancels the analysis.
    QAction* cancel = translated(run->addAction(QString(), this,
                                                [this] {
                                                    if (m_sessions->isOpening())
                                                        m_sessions->cancelOpen();
                                                    else
                                                        m_controller->cancel();
                                                }),
                                 QT_TR_NOOP("&Cancel"));
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu* help = menuBar()->addMenu(QString());
    translated(help->menuAction(), QT_TR_NOOP("&Help"));
    QAction* explain = translated(help->addAction(QString(), this, &MainWindow::showHelp),
                                  QT_TR_NOOP("The ParseNet argument and the &plots"));
    explain->setShortcut(QKeySequence::HelpContents);
    QAction* about = help->addAction(QString(), this, [this] {
        auto* box = new QMessageBox(QMessageBox::Information, tr("About featscale"),
                                    tr("featscale %1\nFeature scale of VGG16 layers before and after L2Norm "
                                       "(ParseNet / SSD).\nLicence: GPL-3.0-or-later.")
                                        .arg(QStringLiteral(FEATSCALE_VERSION)),
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // non-modal for the event loop
    });
    translated(about, QT_TR_NOOP("&About featscale"));
}

void MainWindow::buildLanguageMenu(QMenu* view)
{
    QMenu* menu = view->addMenu(QString());
    menu->setObjectName(QStringLiteral("languageMenu"));
    translated(menu->menuAction(), QT_TR_NOOP("&Language"));
    auto* group = new QActionGroup(this);
    const QString saved = translations::savedChoice();
    // Each language is named in itself, as people look for it; only "System default" is translated.
    const std::pair<QString, QString> choices[] = {{QString(), QString()},
                                                   {QStringLiteral("en"), QStringLiteral("English")},
                                                   {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
    for (const auto& [code, name] : choices) {
        QAction* a = menu->addAction(name);
        if (code.isEmpty())
            translated(a, QT_TR_NOOP("System default"));
        a->setObjectName(QStringLiteral("language_") + (code.isEmpty() ? QStringLiteral("system") : code));
        a->setData(code);
        a->setCheckable(true);
        a->setChecked(code == saved);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] { setLanguage(code); });
        m_languageActions << a;
    }
}

void MainWindow::buildEditMenu()
{
    // γ edits are commands on the model's stack (ChangeGamma); the menu only drives it.
    QUndoStack* stack = m_model->undoStack();
    QMenu* edit = menuBar()->addMenu(QString());
    translated(edit->menuAction(), QT_TR_NOOP("&Edit"));
    QAction* undo = translated(edit->addAction(QString(), stack, &QUndoStack::undo), QT_TR_NOOP("&Undo"));
    undo->setObjectName(QStringLiteral("undoAction"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = translated(edit->addAction(QString(), stack, &QUndoStack::redo), QT_TR_NOOP("&Redo"));
    redo->setObjectName(QStringLiteral("redoAction"));
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z); // the platform's may be Ctrl+Y only
    redo->setShortcuts(redoKeys);
    undo->setEnabled(stack->canUndo());
    redo->setEnabled(stack->canRedo());
    connect(stack, &QUndoStack::canUndoChanged, undo, &QAction::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, redo, &QAction::setEnabled);
    // The menu names the step it would undo ("Undo γ of conv4_3 = 40"), as its tooltip does.
    m_undoAction = undo;
    m_redoAction = redo;
    connect(stack, &QUndoStack::undoTextChanged, this, &MainWindow::updateUndoTexts);
    connect(stack, &QUndoStack::redoTextChanged, this, &MainWindow::updateUndoTexts);
    updateUndoTexts();
    // Ctrl+Z in a text field or spin box is the document's undo, not the field's own: a typed γ,
    // once entered, is a step of the document like any other edit.
    qApp->installEventFilter(this);
}

void MainWindow::updateUndoTexts()
{
    const QUndoStack* stack = m_model->undoStack();
    const QString undo = stack->undoText(), redo = stack->redoText();
    m_undoAction->setText(undo.isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(undo));
    m_redoAction->setText(redo.isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(redo));
    m_undoAction->setStatusTip(undo);
    m_undoAction->setToolTip(undo);
    m_redoAction->setStatusTip(redo);
    m_redoAction->setToolTip(redo);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        auto* widget = qobject_cast<QWidget*>(watched);
        const bool editor = qobject_cast<QLineEdit*>(watched) || qobject_cast<QAbstractSpinBox*>(watched);
        if (editor && widget->window() == this &&
            (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo) ||
             key->keyCombination() == QKeyCombination(Qt::CTRL | Qt::SHIFT, Qt::Key_Z))) {
            event->ignore(); // not the field's: the shortcut goes to Edit → Undo/Redo
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

QAction* MainWindow::translated(QAction* action, const char* source)
{
    action->setText(tr(source));
    m_actionTexts.emplace_back(action, source);
    return action;
}

void MainWindow::setLanguage(const QString& code)
{
    translations::saveChoice(code);
    for (QAction* a : m_languageActions)
        a->setChecked(a->data().toString() == code);
    translations::apply(code); // every widget gets QEvent::LanguageChange and retranslates itself
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslate();
}

void MainWindow::retranslate()
{
    for (const auto& [action, source] : m_actionTexts)
        action->setText(tr(source));
    updateUndoTexts();
    for (const auto& [dock, source] : m_dockTitles)
        dock->setWindowTitle(tr(source));
    for (int i = 0; i < m_plotTabs->count() && i < static_cast<int>(m_tabTitles.size()); ++i)
        m_plotTabs->setTabText(i, tr(m_tabTitles[static_cast<size_t>(i)]));
    updateTitle();
}

QWidget* MainWindow::panel(const QString& objectName) const { return findChild<QWidget*>(objectName); }

void MainWindow::start(const QStringList& paths)
{
    // First start without trained weights anywhere: say so over the plots (nothing downloads by itself).
    if (m_model->options().weightsPath.empty() && UntrainedBanner::noTrainedWeightsAnywhere())
        m_banner->show();
    // What the window starts with is no unsaved change: the folder scan ends later.
    if (!paths.isEmpty()) {
        connect(m_images, &ImagesPanel::scanFinished, m_sessions, &SessionController::markClean,
                Qt::SingleShotConnection);
        addPaths(paths);
    } else if (m_model->imageCount() == 0) {
        loadSamples();
    }
    m_sessions->markClean();
    m_controller->start();
}

void MainWindow::startWithSession(const QString& session, const QStringList& paths)
{
    // Whichever comes first ends both: a session that cannot be opened (its reason is in the
    // message bar) leaves the window as a start without it would.
    auto failed = std::make_shared<QMetaObject::Connection>();
    auto opened = std::make_shared<QMetaObject::Connection>();
    *failed = connect(m_sessions, &SessionController::openFailed, this, [this, paths, failed, opened] {
        disconnect(*failed);
        disconnect(*opened);
        start(paths);
    });
    *opened = connect(m_sessions, &SessionController::sessionOpened, this, [failed, opened] {
        disconnect(*failed);
        disconnect(*opened);
    });
    m_sessions->open(session);
}

void MainWindow::addPaths(const QStringList& paths) { m_images->addPaths(paths); }

void MainWindow::loadSamples()
{
    const QStringList samples = sampleImages();
    if (samples.isEmpty()) {
        m_messages->showMessage(tr("The bundled sample images were not found (share/featscale/samples beside the "
                                   "program's folder)."));
        return;
    }
    m_model->addImages(samples);
}

void MainWindow::setInitialWeights(const QString& path)
{
    an::AnalyzerOptions o = m_model->options();
    o.weightsPath = path.toStdString();
    try { // a catalogue name ("vgg16") works here as on the command line
        o.weightsPath = an::weights::resolveWeightsArgument(o.weightsPath,
                                                            an::weights::CatalogSettings::fromEnvironment());
    } catch (const an::Error& e) {
        m_messages->showMessage(QString::fromUtf8(e.what())); // the engine then reports the file as missing
    }
    m_model->setOptions(o);
}

void MainWindow::exportPhotoDialog()
{
    const ImageEntry* e = m_model->currentImage();
    if (!e || !m_imageView->photoLoaded()) {
        m_messages->showMessage(tr("No image is shown to export."));
        return;
    }
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/lastExportDir"), QDir::homePath()).toString();
    const QString name = QFileInfo(e->path).completeBaseName() + QLatin1Char('-') +
                         QString::fromStdString(m_model->selectedLayer()) + QStringLiteral("-overlay.png");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export image with overlay"), QDir(dir).filePath(name),
                                                      tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastExportDir"), QFileInfo(path).absolutePath());
    QString error;
    if (savePhotoWithOverlay(m_imageView, path, &error))
        m_messages->showMessage(tr("Saved the image with its overlay to %1").arg(QDir::toNativeSeparators(path)));
    else
        m_messages->showMessage(tr("Image export failed: %1").arg(error));
}

void MainWindow::nextImage()
{
    if (m_model->imageCount() > 0)
        m_model->setCurrentIndex((m_model->currentIndex() + 1) % m_model->imageCount());
}

void MainWindow::previousImage()
{
    const int n = m_model->imageCount();
    if (n > 0)
        m_model->setCurrentIndex((m_model->currentIndex() - 1 + n) % n);
}

void MainWindow::showHelp()
{
    if (!m_help)
        m_help = new HelpDialog(this);
    m_help->show();
    m_help->raise();
}

QJsonObject MainWindow::viewState() const
{
    QJsonObject o;
    o[QStringLiteral("plotTab")] = m_plotTabs->currentIndex();
    for (const ViewStateOwner* v : m_views)
        o[v->viewStateKey()] = v->viewState();
    return o;
}

void MainWindow::restoreViewState(const QJsonObject& state)
{
    const int tab = state.value(QStringLiteral("plotTab")).toInt(-1);
    if (tab >= 0 && tab < m_plotTabs->count())
        m_plotTabs->setCurrentIndex(tab);
    for (ViewStateOwner* v : m_views)
        if (state.contains(v->viewStateKey()))
            v->restoreViewState(state.value(v->viewStateKey()).toObject());
}

void MainWindow::updateTitle()
{
    QString title = QStringLiteral("featscale[*]"); // [*]: the unsaved-changes mark
    if (const ImageEntry* e = m_model->currentImage())
        title = QFileInfo(e->path).fileName() + QStringLiteral(" — ") + title;
    if (m_model->hasEngine() && m_model->weights().untrained)
        title += QStringLiteral(" — ") + UntrainedText::mark();
    if (!m_sessions->currentPath().isEmpty())
        title += QStringLiteral(" [%1]").arg(QFileInfo(m_sessions->currentPath()).fileName());
    setWindowTitle(title);
}

void MainWindow::restoreSettings()
{
    // The arrangement buildPanels() made, before any saved state: the base of the default layout.
    // One dock column, so that the window's minimum width stays small until it knows its size.
    auto* images = findChild<QDockWidget*>(QStringLiteral("imagesDock"));
    tabifyDockWidget(images, findChild<QDockWidget*>(QStringLiteral("modelDock")));
    tabifyDockWidget(images, findChild<QDockWidget*>(QStringLiteral("gammaDock")));
    tabifyDockWidget(images, findChild<QDockWidget*>(QStringLiteral("runsDock")));
    images->raise();
    m_defaultDocks = saveState(window_layout::kLayoutVersion);
    QSettings settings;
    const QRect available = availableGeometry(this);
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    // A layout saved for another screen (or squeezed by an older arrangement) is not restored: the
    // window opens with the default layout for this screen instead.
    bool restored = settings.value(kVersionKey).toInt() == window_layout::kLayoutVersion &&
                    window_layout::savedLayoutFits(settings.value(kScreenKey).toSize(),
                                                   settings.value(QStringLiteral("window/rect")).toRect(), available) &&
                    restoreGeometry(geometry);
    restored = restored && restoreState(settings.value(kStateKey).toByteArray(), window_layout::kLayoutVersion) &&
               m_split->restoreState(settings.value(kSplitKey).toByteArray());
    if (!restored) {
        restoreState(m_defaultDocks, window_layout::kLayoutVersion);
        resize(defaultSize());
    }
    m_defaultLayoutPending = !restored;
}

QSize MainWindow::defaultSize() const
{
    // Nearly the whole screen: the plots are the product and want the room.
    const QRect available = availableGeometry(this);
    return QSize(available.width() * 96 / 100, available.height() * 94 / 100);
}

void MainWindow::applyDefaultLayout()
{
    // The arrangement as built may need more width than this window has (two dock columns); the
    // window keeps its size, the arrangement is fitted to it.
    const QSize size = this->size();
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        dock->setFloating(false);
        dock->show();
    }
    restoreState(m_defaultDocks, window_layout::kLayoutVersion);
    auto* images = findChild<QDockWidget*>(QStringLiteral("imagesDock"));
    auto* gamma = findChild<QDockWidget*>(QStringLiteral("gammaDock"));
    const window_layout::Plan plan = window_layout::plan(width());
    if (plan.oneDockColumn) {
        // As built: one left column of tabs, Images | Model | Gamma | Runs; the photo and plots keep the rest.
        images->raise();
        resizeDocks({images}, {plan.leftDock}, Qt::Horizontal);
    } else {
        // Room for three columns: images and model on the left, gamma and runs on the right.
        addDockWidget(Qt::RightDockWidgetArea, gamma);
        tabifyDockWidget(gamma, findChild<QDockWidget*>(QStringLiteral("runsDock")));
        gamma->raise();
        resizeDocks({images, gamma}, {plan.leftDock, plan.rightDock}, Qt::Horizontal);
    }
    if (this->size() != size)
        resize(size);
    if (layout())
        layout()->activate();
    m_split->setSizes({plan.image, plan.plots});
    m_defaultLayoutPending = false;
}

void MainWindow::resetLayout()
{
    QSettings settings;
    for (const QString& key :
         {kGeometryKey, kStateKey, kSplitKey, kScreenKey, kVersionKey, QStringLiteral("window/rect")})
        settings.remove(key);
    if (!isMaximized() && !isFullScreen()) {
        const QRect available = availableGeometry(this);
        if (width() > available.width() || height() > available.height())
            resize(defaultSize());
    }
    applyDefaultLayout();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // Docks and the splitter take their default widths once the window has its real size.
    if (m_defaultLayoutPending)
        applyDefaultLayout();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maySave()) {
        event->ignore();
        return;
    }
    saveWindowSettings();
    m_controller->cancel();
    event->accept();
}

void MainWindow::saveWindowSettings()
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(window_layout::kLayoutVersion));
    settings.setValue(kSplitKey, m_split->saveState());
    settings.setValue(kScreenKey, availableGeometry(this).size());
    settings.setValue(QStringLiteral("window/rect"), geometry());
    settings.setValue(kVersionKey, window_layout::kLayoutVersion);
}

bool MainWindow::maySave()
{
    if (m_closeConfirmed || !m_sessions->isModified())
        return true;
    if (findChild<QMessageBox*>(QStringLiteral("unsavedChanges")))
        return false; // already asking
    // Non-modal (the event loop and a running analysis go on); the answer closes the window again.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Unsaved changes"),
                                tr("The session has unsaved changes (images, settings or gamma)."),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("unsavedChanges"));
    box->setInformativeText(tr("Save them before closing?"));
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box] {
        const auto answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Discard) {
            m_closeConfirmed = true;
        } else if (answer == QMessageBox::Save) {
            m_sessions->saveDialog();
            m_closeConfirmed = !m_sessions->isModified(); // saved, not cancelled or failed
        }
        if (m_closeConfirmed)
            QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
    });
    box->open();
    return false;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!ImagesPanel::localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList paths = ImagesPanel::localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

} // namespace featscale::ui
