// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main_window.h"

#include "analysis/model/layer_catalog.h"
#include "analysis/weights/catalog.h"
#include "ui/app_model.h"
#include "ui/concat_panel.h"
#include "ui/export_actions.h"
#include "ui/gamma_panel.h"
#include "ui/help_dialog.h"
#include "ui/histogram_panel.h"
#include "ui/image_view.h"
#include "ui/images_panel.h"
#include "ui/layer_scales_panel.h"
#include "ui/message_bar.h"
#include "ui/model_panel.h"
#include "ui/resource_paths.h"
#include "ui/run_controller.h"
#include "ui/run_status.h"
#include "ui/session_controller.h"
#include "ui/photo_store.h"
#include "ui/trained_weights_dialog.h"
#include "ui/untrained_banner.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QJsonValue>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMetaObject>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
/// The GUI analyses every tap by default: the layer-scale view is the ParseNet argument across depth.
an::AnalyzerOptions defaultGuiOptions()
{
    an::AnalyzerOptions o;
    for (const auto& tap : an::LayerCatalog(o.arch).taps())
        o.layers.push_back(tap.name);
    o.keepActivations = true;
    return o;
}

QJsonObject invokeViewState(QWidget* w)
{
    QJsonObject state;
    if (w->metaObject()->indexOfMethod("viewState()") >= 0)
        QMetaObject::invokeMethod(w, "viewState", Qt::DirectConnection, Q_RETURN_ARG(QJsonObject, state));
    return state;
}

/// Panels scroll instead of forcing the window wider (or taller) than the screen when their
/// controls need more room than a small screen offers.
QScrollArea* scrollable(QWidget* panel)
{
    auto* area = new QScrollArea;
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setObjectName(panel->objectName() + QStringLiteral("Scroll"));
    return area;
}

/// First-start widths of the side docks for a window of width w (the centre keeps the rest).
int leftDockWidth(int w) { return std::clamp(w / 7, 220, 300); }
int rightDockWidth(int w) { return std::clamp(w / 4, 400, 460); }
/// Below this window width three columns of panels do not fit: the side docks share one column.
constexpr int kNarrowWindow = 1500;

void invokeRestoreViewState(QWidget* w, const QJsonObject& state)
{
    if (w->metaObject()->indexOfMethod("restoreViewState(QJsonObject)") >= 0)
        QMetaObject::invokeMethod(w, "restoreViewState", Qt::DirectConnection, Q_ARG(QJsonObject, state));
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_model(new AppModel(this)), m_controller(new RunController(m_model, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    m_model->setOptions(defaultGuiOptions());
    m_photos = new PhotoStore(m_model, this);
    buildPanels();
    buildMenus();
    m_sessions = new SessionController(
        m_model, this, [this] { return viewState(); }, [this](const QJsonObject& s) { restoreViewState(s); });

    connect(m_model, &AppModel::message, m_messages, &MessageBar::showMessage);
    connect(m_model, &AppModel::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_model, &AppModel::weightsChanged, this, &MainWindow::updateTitle);
    connect(m_model, &AppModel::currentChanged, this, &MainWindow::updateTitle);
    connect(m_sessions, &SessionController::sessionChanged, this, &MainWindow::updateTitle);
    updateTitle();
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanels()
{
    m_messages = new MessageBar(this);
    m_imageView = new ImageView(m_model, m_photos, this);
    m_plotTabs = new QTabWidget(this);
    m_plotTabs->setObjectName(QStringLiteral("plotTabs"));
    m_plotTabs->setDocumentMode(true);
    m_plotPanels << new LayerScalesPanel(m_model, this);
    m_plotTabs->addTab(scrollable(m_plotPanels.back()), tr("Layer scales"));
    m_plotPanels << new HistogramPanel(m_model, this);
    m_plotTabs->addTab(scrollable(m_plotPanels.back()), tr("Histograms"));
    m_plotPanels << new ConcatPanel(m_model, this);
    m_plotTabs->addTab(scrollable(m_plotPanels.back()), tr("ParseNet concat"));

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(QStringLiteral("centralSplit"));
    m_split->addWidget(m_imageView);
    m_split->addWidget(m_plotTabs);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
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
    imagesDock->setObjectName(QStringLiteral("imagesDock"));
    imagesDock->setWidget(m_images);
    addDockWidget(Qt::LeftDockWidgetArea, imagesDock);

    m_modelPanel = new ModelPanel(m_model, this);
    auto* modelDock = new QDockWidget(tr("Model"), this);
    modelDock->setObjectName(QStringLiteral("modelDock"));
    modelDock->setWidget(m_modelPanel);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    connect(m_banner, &UntrainedBanner::moreRequested, m_modelPanel, &ModelPanel::showTrainedWeightsDialog);
    connect(m_banner, &UntrainedBanner::downloadRequested, this, [this](const QString& name) {
        m_modelPanel->showTrainedWeightsDialog();
        m_modelPanel->trainedWeightsDialog()->startDownload(name);
    });
    connect(m_model, &AppModel::weightsChanged, this, [this] {
        if (m_model->hasEngine() && !m_model->weights().untrained)
            m_banner->hide();
    });

    m_plotPanels << new GammaPanel(m_model, this);
    auto* gammaDock = new QDockWidget(tr("Gamma (L2Norm)"), this);
    gammaDock->setObjectName(QStringLiteral("gammaDock"));
    gammaDock->setWidget(scrollable(m_plotPanels.back()));
    addDockWidget(Qt::RightDockWidgetArea, gammaDock);

    m_status = new RunStatus(m_model, m_controller, this);
    statusBar()->addPermanentWidget(m_status);
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    QAction* addFiles = file->addAction(tr("Add &images…"), m_images, &ImagesPanel::addFilesDialog);
    addFiles->setShortcut(QKeySequence::Open);
    QAction* addFolder = file->addAction(tr("Add &folder…"), m_images, &ImagesPanel::addFolderDialog);
    addFolder->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    file->addAction(tr("Add the bundled &samples"), this, &MainWindow::loadSamples);
    QAction* openWeights = file->addAction(tr("Open &weights…"), m_modelPanel, &ModelPanel::openWeightsDialog);
    openWeights->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    file->addAction(tr("Get &trained weights…"), m_modelPanel, &ModelPanel::showTrainedWeightsDialog);
    file->addSeparator();
    QAction* openSession = file->addAction(tr("Open &session…"), this, [this] { m_sessions->openDialog(); });
    openSession->setShortcut(QKeySequence(tr("Ctrl+Alt+O")));
    QMenu* recent = file->addMenu(tr("Recent sessions"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] { m_sessions->populateRecentMenu(recent); });
    QAction* save = file->addAction(tr("&Save session"), this, [this] { m_sessions->saveDialog(); });
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = file->addAction(tr("Save session &as…"), this, [this] { m_sessions->saveAsDialog(); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();

    m_exports = new ExportActions(m_model, this);
    QAction* exportCurrent = file->addAction(tr("&Export histograms and summaries (current image)…"), this,
                                             [this] { m_exports->exportRunDialog(/*allImages=*/false); });
    exportCurrent->setShortcut(QKeySequence(tr("Ctrl+E")));
    QAction* exportAll = file->addAction(tr("Export histograms and summaries (&all images)…"), this,
                                         [this] { m_exports->exportRunDialog(/*allImages=*/true); });
    exportAll->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    QMenu* plots = file->addMenu(tr("Export &plot"));
    connect(plots, &QMenu::aboutToShow, this, [this, plots] { m_exports->populatePlotMenu(plots); });
    QAction* exportPlot = file->addAction(tr("Export visible plot…"), m_exports, &ExportActions::exportVisiblePlotDialog);
    exportPlot->setShortcut(QKeySequence(tr("Ctrl+Shift+P")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* view = menuBar()->addMenu(tr("&View"));
    QAction* next = view->addAction(tr("&Next image"), this, &MainWindow::nextImage);
    next->setShortcuts({QKeySequence(Qt::Key_PageDown), QKeySequence(tr("Alt+Right"))});
    QAction* prev = view->addAction(tr("&Previous image"), this, &MainWindow::previousImage);
    prev->setShortcuts({QKeySequence(Qt::Key_PageUp), QKeySequence(tr("Alt+Left"))});
    QAction* clearPin = view->addAction(tr("Clear pinned location"), m_model, &AppModel::clearPin);
    clearPin->setShortcut(QKeySequence(tr("Ctrl+U")));
    QAction* clearHighlight = view->addAction(tr("Clear histogram highlight"), m_model, &AppModel::clearHighlight);
    clearHighlight->setShortcut(QKeySequence(tr("Ctrl+Shift+U")));
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    auto* run = menuBar()->addMenu(tr("&Run"));
    QAction* rerun = run->addAction(tr("&Re-run all images"), m_modelPanel, &ModelPanel::applyAndRerun);
    rerun->setShortcut(QKeySequence(Qt::Key_F5));
    QAction* cancel = run->addAction(tr("&Cancel"), m_controller, &RunController::cancel);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));

    auto* help = menuBar()->addMenu(tr("&Help"));
    QAction* explain = help->addAction(tr("The ParseNet argument and the &plots"), this, &MainWindow::showHelp);
    explain->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About featscale"), this, [this] {
        auto* box = new QMessageBox(QMessageBox::Information, tr("About featscale"),
                                    tr("featscale %1\nFeature scale of VGG16 layers before and after L2Norm "
                                       "(ParseNet / SSD).\nLicence: GPL-3.0-or-later.")
                                        .arg(QStringLiteral(FEATSCALE_VERSION)),
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // non-modal for the event loop
    });
}

QWidget* MainWindow::panel(const QString& objectName) const
{
    return findChild<QWidget*>(objectName);
}

void MainWindow::start(const QStringList& paths)
{
    // First start without trained weights anywhere: say so over the plots (nothing downloads by itself).
    if (m_model->options().weightsPath.empty() && UntrainedBanner::noTrainedWeightsAnywhere())
        m_banner->show();
    if (!paths.isEmpty())
        addPaths(paths);
    else if (m_model->imageCount() == 0)
        loadSamples();
    m_controller->start();
}

void MainWindow::addPaths(const QStringList& paths) { m_images->addPaths(paths); }

void MainWindow::loadSamples()
{
    const QStringList samples = sampleImages();
    if (samples.isEmpty()) {
        m_model->postMessage(tr("The bundled sample images were not found (share/featscale/samples beside the "
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
        o.weightsPath = an::weights::resolveWeightsArgument(o.weightsPath, an::weights::CatalogSettings::fromEnvironment());
    } catch (const an::Error& e) {
        m_model->postMessage(QString::fromUtf8(e.what())); // the engine then reports the file as missing
    }
    m_model->setOptions(o);
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
    o[QStringLiteral("imageView")] = m_imageView->viewState();
    o[QStringLiteral("plotTab")] = m_plotTabs->currentIndex();
    for (QWidget* p : m_plotPanels)
        o[p->objectName()] = invokeViewState(p);
    return o;
}

void MainWindow::restoreViewState(const QJsonObject& state)
{
    m_imageView->restoreViewState(state.value(QStringLiteral("imageView")).toObject());
    const int tab = state.value(QStringLiteral("plotTab")).toInt(-1);
    if (tab >= 0 && tab < m_plotTabs->count())
        m_plotTabs->setCurrentIndex(tab);
    for (QWidget* p : m_plotPanels)
        if (state.contains(p->objectName()))
            invokeRestoreViewState(p, state.value(p->objectName()).toObject());
}

void MainWindow::updateTitle()
{
    QString title = QStringLiteral("featscale");
    if (const ImageEntry* e = m_model->currentImage())
        title = QFileInfo(e->path).fileName() + QStringLiteral(" — ") + title;
    if (m_model->hasEngine() && m_model->weights().untrained)
        title += tr(" — UNTRAINED weights");
    if (!m_sessions->currentPath().isEmpty())
        title += QStringLiteral(" [%1]").arg(QFileInfo(m_sessions->currentPath()).fileName());
    setWindowTitle(title);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        QSize size(1800, 1100);
        if (const QScreen* screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableSize() * 0.95);
        resize(size);
    }
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray())) {
        // First start: narrow side docks, the rest for the photo and the plots.
        auto* images = findChild<QDockWidget*>(QStringLiteral("imagesDock"));
        auto* modelDock = findChild<QDockWidget*>(QStringLiteral("modelDock"));
        auto* gamma = findChild<QDockWidget*>(QStringLiteral("gammaDock"));
        if (width() < kNarrowWindow) {
            // One left column of tabs: Images | Model | Gamma; the photo and plots keep the rest.
            addDockWidget(Qt::LeftDockWidgetArea, gamma);
            tabifyDockWidget(images, modelDock);
            tabifyDockWidget(images, gamma);
            images->raise();
            resizeDocks({images}, {rightDockWidth(width())}, Qt::Horizontal);
        } else {
            resizeDocks({images, gamma}, {leftDockWidth(width()), rightDockWidth(width())}, Qt::Horizontal);
        }
    }
    if (!m_split->restoreState(settings.value(QStringLiteral("window/split")).toByteArray())) {
        const int docks = width() < kNarrowWindow ? rightDockWidth(width()) : leftDockWidth(width()) + rightDockWidth(width());
        const int central = std::max(400, width() - docks);
        m_split->setSizes({central / 2, central / 2});
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/split"), m_split->saveState());
    m_controller->cancel();
    event->accept();
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
