// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/model_panel.h"
#include "ui/panels/flow_layout.h"

#include "analysis/core/topology.h"
#include "analysis/network/layer_catalog.h"
#include "analysis/weights/download/catalog.h"
#include "analysis/weights/download/discovery.h"
#include "ui/panels/trained_weights_dialog.h"
#include "ui/state/app_model.h"
#include "ui/state/weights_discovery.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace featscale::ui {

namespace an = featscale::analysis;

namespace {
constexpr int kShaPrefix = 12;

/// Every topology the engine knows, in its own order: a new one appears here without GUI changes.
std::vector<an::Arch> knownArchs()
{
    std::vector<an::Arch> out;
    for (const an::TopologyInfo& t : an::topologies())
        out.push_back(t.arch);
    return out;
}

/// The menu entry of a topology: a description for the ones the GUI explains, else its name.
QString archTitle(an::Arch arch)
{
    switch (arch) {
    case an::Arch::Vgg16Reduced:
        return ModelPanel::tr("VGG16 reduced (SSD / ParseNet)");
    case an::Arch::Vgg16:
        return ModelPanel::tr("VGG16 (torchvision)");
    default:
        return QString::fromUtf8(an::topologyInfo(arch).title); // the engine's one description
    }
}

/// An explicit list, as given ("all" is AnalyzerOptions::layersAll, shown by the caller).
QString layersText(const std::vector<std::string>& layers)
{
    QStringList names;
    for (const auto& l : layers)
        names << QString::fromStdString(l);
    return names.join(QLatin1Char(','));
}
} // namespace

ModelPanel::ModelPanel(AppModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_name(new QLabel(this)), m_badge(new QLabel(this)), m_details(new QLabel(this)),
      m_discovered(new QComboBox(this)), m_arch(new QComboBox(this)), m_archFromWeights(new QCheckBox(this)),
      m_preset(new QComboBox(this)), m_sizeMode(new QComboBox(this)), m_sizeValue(new QSpinBox(this)),
      m_layers(new QLineEdit(this)), m_rerun(new QPushButton(this)), m_open(new QPushButton(this)),
      m_useDefault(new QPushButton(this)), m_getTrained(new QPushButton(this)), m_weightsBox(new QGroupBox(this)),
      m_netBox(new QGroupBox(this)), m_form(new QFormLayout(m_netBox)), m_archLabel(new QLabel(this)),
      m_presetLabel(new QLabel(this)), m_sizeLabel(new QLabel(this)), m_layersLabel(new QLabel(this)),
      m_rerunHint(new QLabel(this))
{
    m_rerunHint->setObjectName(QStringLiteral("rerunHint"));
    m_rerunHint->setWordWrap(true);
    m_rerunHint->setStyleSheet(QStringLiteral("QLabel { color: #8a5a00; font-weight: bold; }"));
    m_rerunHint->hide();
    setObjectName(QStringLiteral("modelPanel"));
    m_name->setWordWrap(true);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_badge->setObjectName(QStringLiteral("untrainedBadge"));
    m_badge->setWordWrap(true);
    m_badge->setStyleSheet(QStringLiteral(
        "QLabel { background: #c62828; color: white; font-weight: bold; padding: 4px; border-radius: 3px; }"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_getTrained->setObjectName(QStringLiteral("getTrainedWeights"));
    m_discovered->setObjectName(QStringLiteral("discoveredWeights"));

    auto* wl = new QVBoxLayout(m_weightsBox);
    wl->addWidget(m_name);
    wl->addWidget(m_badge);
    wl->addWidget(m_details);
    auto* buttons = new FlowLayout; // side by side when they fit, else one under the other
    buttons->addWidget(m_open);
    buttons->addWidget(m_useDefault);
    wl->addLayout(buttons);
    wl->addWidget(m_getTrained);
    wl->addWidget(m_discovered);

    // Item texts are set in retranslate(); the data (the engine's name) identifies the choice.
    m_arch->setObjectName(QStringLiteral("topology"));
    for (an::Arch arch : knownArchs())
        m_arch->addItem(QString(), QString::fromStdString(an::toString(arch)));
    m_preset->addItem(QString(), QString());
    m_preset->addItem(QString(), QStringLiteral("caffe"));
    m_preset->addItem(QString(), QStringLiteral("torchvision"));
    m_preset->addItem(QString(), QStringLiteral("caffe-rgb"));
    m_sizeMode->addItems({QString(), QString(), QString()}); // square, shorter side, original
    m_sizeValue->setRange(32, 1600);
    m_layers->setObjectName(QStringLiteral("layersEdit"));
    // Long item texts must not dictate the dock's width.
    for (QComboBox* box : {m_discovered, m_arch, m_preset, m_sizeMode}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }

    // In a narrow dock a field goes under its label rather than widening the dock.
    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(m_archLabel, m_arch);
    m_form->addRow(QString(), m_archFromWeights);
    m_form->addRow(m_presetLabel, m_preset);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_sizeMode);
    sizeRow->addWidget(m_sizeValue);
    m_form->addRow(m_sizeLabel, sizeRow);
    m_form->addRow(m_layersLabel, m_layers);
    m_form->addRow(m_rerunHint);
    m_form->addRow(m_rerun);
    retranslate();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_weightsBox);
    layout->addWidget(m_netBox);
    layout->addStretch(1);

    connect(m_open, &QPushButton::clicked, this, &ModelPanel::openWeightsDialog);
    connect(m_useDefault, &QPushButton::clicked, this, &ModelPanel::useDefaultWeights);
    connect(m_getTrained, &QPushButton::clicked, this, &ModelPanel::showTrainedWeightsDialog);
    connect(m_rerun, &QPushButton::clicked, this, &ModelPanel::applyAndRerun);
    connect(m_sizeMode, &QComboBox::currentIndexChanged, this,
            [this](int mode) { m_sizeValue->setEnabled(mode != 2); });
    connect(m_discovered, &QComboBox::activated, this, [this](int i) {
        const QString path = m_discovered->itemData(i).toString();
        if (!path.isEmpty())
            openWeights(path);
    });
    connect(m_model, &AppModel::weightsChanged, this, &ModelPanel::showWeights);
    connect(m_model, &AppModel::engineLoadingChanged, this, &ModelPanel::showWeights);
    // Any edit that differs from the settings in use says that a re-run is needed.
    connect(m_arch, &QComboBox::currentIndexChanged, this, &ModelPanel::updateRerunHint);
    connect(m_archFromWeights, &QCheckBox::toggled, this, &ModelPanel::updateRerunHint);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ModelPanel::updateRerunHint);
    connect(m_sizeMode, &QComboBox::currentIndexChanged, this, &ModelPanel::updateRerunHint);
    connect(m_sizeValue, &QSpinBox::valueChanged, this, &ModelPanel::updateRerunHint);
    connect(m_layers, &QLineEdit::textChanged, this, &ModelPanel::updateRerunHint);
    connect(m_model, &AppModel::optionsChanged, this, &ModelPanel::showOptions);
    showWeights();
    showOptions();
    refreshDiscovered();
    // Discovered files are listed at once as "not verified yet"; hashing them (seconds for a
    // 500 MB file, remembered afterwards) runs in the pool and the list is refreshed when done.
    auto* verify = new QFutureWatcher<void>(this);
    connect(verify, &QFutureWatcher<void>::finished, this, &ModelPanel::refreshDiscovered);
    verify->setFuture(QtConcurrent::run([] { an::weights::discoverWeights(/*hash=*/true); }));
}

void ModelPanel::retranslate()
{
    m_badge->setText(tr("UNTRAINED — random initial weights; the numbers show an untrained network"));
    m_weightsBox->setTitle(tr("Weights"));
    m_open->setText(tr("Open weights…"));
    m_open->setToolTip(
        tr("Load VGG16 weights (.pth, .pt, .caffemodel, .onnx, .h5); the file is read as data, never executed"));
    m_useDefault->setText(tr("Default"));
    m_useDefault->setToolTip(tr("Back to the built-in, untrained default weights"));
    m_getTrained->setText(tr("Get trained weights…"));
    m_getTrained->setToolTip(tr("Download torchvision's or Keras' published VGG16/SSD weights (checked against their "
                                "published hashes) into the PyTorch/Keras caches"));
    m_discovered->setToolTip(tr("Weight files found in the usual places and opened before"));

    m_netBox->setTitle(tr("Network and input"));
    m_archLabel->setText(tr("Topology"));
    m_presetLabel->setText(tr("Preprocessing"));
    m_sizeLabel->setText(tr("Input size"));
    m_layersLabel->setText(tr("Layers"));
    for (int i = 0; i < m_arch->count(); ++i)
        m_arch->setItemText(i, archTitle(an::parseArch(m_arch->itemData(i).toString().toStdString())));
    m_rerunHint->setText(tr("Settings changed: Re-run to apply them."));
    m_archFromWeights->setText(tr("topology from the weight file"));
    m_archFromWeights->setToolTip(tr("Let the weight file decide the topology when it is unambiguous"));
    m_preset->setItemText(0, tr("weights' convention"));
    m_preset->setItemText(1, tr("Caffe (BGR, mean 104/117/123)"));
    m_preset->setItemText(2, tr("torchvision (RGB, ImageNet mean/std)"));
    m_preset->setItemText(3, tr("Caffe RGB (RGB, mean 123/117/104)"));
    m_sizeMode->setItemText(0, tr("square"));
    m_sizeMode->setItemText(1, tr("shorter side"));
    m_sizeMode->setItemText(2, tr("original"));
    m_sizeValue->setSuffix(tr(" px"));
    m_layers->setToolTip(tr("Taps to analyse: \"all\" or a comma-separated list such as conv4_3,conv5_3,fc7"));
    m_layers->setPlaceholderText(tr("conv4_3,conv5_3,fc7"));
    m_rerun->setText(tr("Re-run"));
    m_rerun->setToolTip(tr("Analyse every image again with these settings (F5)"));
}

void ModelPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        showWeights();
        refreshDiscovered();
    }
}

TrainedWeightsDialog* ModelPanel::trainedWeightsDialog()
{
    if (!m_trainedDialog) {
        m_trainedDialog = new TrainedWeightsDialog(this);
        connect(m_trainedDialog, &TrainedWeightsDialog::weightsReady, this, &ModelPanel::openWeights);
    }
    return m_trainedDialog;
}

void ModelPanel::showTrainedWeightsDialog()
{
    TrainedWeightsDialog* dialog = trainedWeightsDialog();
    dialog->refresh();
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void ModelPanel::showWeights()
{
    if (m_model->isLoadingEngine() || !m_model->hasEngine()) {
        const QString path = m_model->loadingWeightsPath();
        m_name->setText(
            m_model->isLoadingEngine()
                ? tr("<i>loading %1…</i>")
                      .arg(path.isEmpty() ? tr("the default weights") : QFileInfo(path).fileName().toHtmlEscaped())
                : tr("<i>no weights loaded</i>"));
        m_name->setToolTip(path);
        // Say "untrained" only of what is in use or about to be: not of weights being replaced.
        m_badge->setVisible(m_model->isLoadingEngine() && path.isEmpty());
        m_details->clear();
        return;
    }
    m_name->setToolTip(QString());
    const an::WeightInfo& w = m_model->weights();
    m_name->setText(QStringLiteral("<b>%1</b>").arg(QString::fromStdString(w.displayName).toHtmlEscaped()));
    m_badge->setVisible(w.untrained);
    QStringList lines;
    lines << tr("format: %1").arg(QString::fromStdString(w.format));
    if (!w.family.empty())
        lines << tr("family: %1").arg(QString::fromStdString(w.family));
    if (!w.layout.empty())
        lines << tr("layout: %1").arg(QString::fromStdString(w.layout));
    if (!w.sha256.empty())
        lines << tr("sha256: %1…").arg(QString::fromStdString(w.sha256.substr(0, kShaPrefix)));
    lines << tr("topology: %1, input: %2")
                 .arg(QString::fromStdString(an::toString(m_model->engine().run.arch)),
                      QString::fromStdString(an::toString(m_model->engine().run.preset)));
    lines << tr("parameters: %L1").arg(w.parameterCount);
    for (const auto& entry : w.gammas)
        lines << tr("carries a learned L2Norm gamma for %1").arg(QString::fromStdString(entry.first));
    for (const auto& warning : w.warnings)
        lines << tr("warning: %1").arg(QString::fromStdString(warning));
    m_details->setText(lines.join(QLatin1Char('\n')));
    m_details->setToolTip(QString::fromStdString(w.path.empty() ? w.summary() : w.path + "\n" + w.sha256));
    if (!w.path.empty())
        rememberWeights(QString::fromStdString(w.path)); // only files that loaded
    refreshDiscovered();
}

void ModelPanel::showOptions()
{
    const an::AnalyzerOptions& o = m_model->options();
    m_arch->setCurrentIndex(std::max(0, m_arch->findData(QString::fromStdString(an::toString(o.arch)))));
    m_archFromWeights->setChecked(o.archFromWeights);
    const QString preset = o.preset ? QString::fromStdString(an::toString(*o.preset)) : QString();
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(preset)));
    m_sizeMode->setCurrentIndex(static_cast<int>(o.size.mode));
    m_sizeValue->setValue(o.size.value);
    m_sizeValue->setEnabled(o.size.mode != an::SizeSpec::Mode::Original);
    m_layers->setText(o.layersAll ? QStringLiteral("all") : o.layers.empty() ? QString() : layersText(o.layers));
    updateRerunHint();
}

std::optional<an::AnalyzerOptions> ModelPanel::optionsFromWidgets(QString* error) const
{
    an::AnalyzerOptions o = m_model->options();
    try {
        o.arch = an::parseArch(m_arch->currentData().toString().toStdString());
        o.archFromWeights = m_archFromWeights->isChecked();
        const QString preset = m_preset->currentData().toString();
        o.preset = preset.isEmpty() ? std::nullopt : std::optional<an::Preset>(an::parsePreset(preset.toStdString()));
        o.size.mode = static_cast<an::SizeSpec::Mode>(m_sizeMode->currentIndex());
        o.size.value = m_sizeValue->value();
        // "fc7, conv4_3" is how people type lists: spaces around names are not part of them.
        QStringList names = m_layers->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& n : names)
            n = n.trimmed();
        names.removeAll(QString());
        // "all" is every tap the loaded network has, a detector's extra layers included (the
        // engine knows them once the weights are read); a list may name extra layers too.
        o.layersAll = names.size() == 1 && names.front().compare(QLatin1String("all"), Qt::CaseInsensitive) == 0;
        o.layers =
            names.isEmpty() || o.layersAll
                ? std::vector<std::string>()
                : an::LayerCatalog(o.arch, /*withExtras=*/true).parseList(names.join(QLatin1Char(',')).toStdString());
    } catch (const an::Error& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return std::nullopt;
    }
    return o;
}

bool ModelPanel::rerunNeeded() const
{
    const an::AnalyzerOptions& now = m_model->options();
    const std::optional<an::AnalyzerOptions> wanted = optionsFromWidgets(nullptr);
    if (!wanted)
        return true; // an edit that is not valid yet is still an edit
    const bool size = wanted->size.mode != now.size.mode ||
                      (wanted->size.mode != an::SizeSpec::Mode::Original && wanted->size.value != now.size.value);
    return wanted->arch != now.arch || wanted->archFromWeights != now.archFromWeights || wanted->preset != now.preset ||
           size || wanted->layersAll != now.layersAll || (!now.layersAll && wanted->layers != now.layers);
}

void ModelPanel::updateRerunHint()
{
    const bool needed = rerunNeeded();
    m_rerunHint->setVisible(needed);
    QFont f = m_rerun->font();
    f.setBold(needed);
    m_rerun->setFont(f);
}

void ModelPanel::refreshDiscovered()
{
    m_discovered->clear();
    const QList<WeightsChoice> found = discoveredWeights();
    if (found.isEmpty()) {
        m_discovered->addItem(tr("no weight files found"));
        m_discovered->setToolTip(tr("Searched:\n%1\nUse Open weights… for files elsewhere.")
                                     .arg(discoveryFolders().join(QLatin1Char('\n'))));
    } else {
        m_discovered->addItem(tr("discovered weights (%1)…").arg(found.size()));
        for (const WeightsChoice& c : found)
            m_discovered->addItem(c.label, c.path);
        m_discovered->setToolTip(tr("Weight files opened before or found in the PyTorch and Keras caches"));
    }
    m_discovered->setEnabled(!found.isEmpty());
}

bool ModelPanel::applyAndRerun()
{
    QString error;
    const std::optional<an::AnalyzerOptions> o = optionsFromWidgets(&error);
    if (!o) {
        Q_EMIT message(tr("Settings not applied: %1").arg(error));
        return false;
    }
    m_model->setOptions(*o);
    Q_EMIT rerunRequested();
    return true;
}

void ModelPanel::openWeights(const QString& path)
{
    an::AnalyzerOptions o = m_model->options();
    try {
        o.weightsPath = an::weights::resolveWeightsArgument(path.toStdString(),
                                                            an::weights::CatalogSettings::fromEnvironment());
    } catch (const an::Error& e) {
        Q_EMIT message(tr("Weights not opened: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    o.archFromWeights = true;
    o.preset.reset(); // a new file brings its own input convention
    m_model->setOptions(o);
    Q_EMIT rerunRequested();
}

void ModelPanel::openWeightsDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/lastWeightsDir")).toString();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open VGG16 weights"), dir,
        tr("Weight files (*.pth *.pt *.bin *.caffemodel *.onnx *.h5 *.hdf5);;All files (*)"));
    if (file.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/lastWeightsDir"), QFileInfo(file).absolutePath());
    openWeights(file);
}

void ModelPanel::useDefaultWeights()
{
    an::AnalyzerOptions o = m_model->options();
    o.weightsPath.clear();
    o.preset.reset();
    m_model->setOptions(o);
    Q_EMIT rerunRequested();
}

} // namespace featscale::ui
