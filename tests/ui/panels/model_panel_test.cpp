// SPDX-License-Identifier: GPL-3.0-or-later
// The model panel on its own: UNTRAINED badge, discovered weights, settings validation.
#include "ui/panels/model_panel.h"
#include "ui/state/app_model.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {
AppModel::EngineInfo engine(bool untrained)
{
    AppModel::EngineInfo e;
    e.run.weights.displayName = untrained ? "default (untrained, seed 0)" : "vgg16-397923af.pth";
    e.run.weights.path = untrained ? "" : "/w/vgg16-397923af.pth";
    e.run.weights.sha256 = untrained ? "" : "397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0";
    e.run.weights.format = untrained ? "builtin" : "pytorch-legacy";
    e.run.weights.untrained = untrained;
    e.run.layers = {"conv4_3", "fc7"};
    e.run.l2normLayers = {"conv4_3"};
    e.channels = {{"conv4_3", 512}, {"fc7", 1024}};
    return e;
}
} // namespace

class ModelPanelTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_torchHome;

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        // A fake PyTorch cache: discovery goes by file name only and must not open the file.
        QDir(m_torchHome.path()).mkpath("hub/checkpoints");
        QVERIFY(test::writeFile(m_torchHome.filePath("hub/checkpoints/vgg16-397923af.pth"), "not read"));
        qputenv("TORCH_HOME", m_torchHome.path().toUtf8());
        qputenv("KERAS_HOME", m_torchHome.filePath("no-keras").toUtf8());
    }

    void badgeFollowsTheWeights()
    {
        AppModel model;
        ModelPanel panel(&model);
        panel.show();
        model.setEngine(engine(/*untrained=*/true));
        QVERIFY(panel.untrainedBadge()->isVisible());
        QVERIFY(panel.untrainedBadge()->text().contains("UNTRAINED"));
        model.setEngine(engine(/*untrained=*/false));
        QVERIFY(!panel.untrainedBadge()->isVisible());
        // the sha256 prefix is shown
        const auto labels = panel.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel* l) { return l->text().contains("sha256: 397923af8e79"); }));
    }

    void discoveredWeightsAreOffered()
    {
        AppModel model;
        ModelPanel panel(&model);
        auto* combo = panel.findChild<QComboBox*>("discoveredWeights");
        QVERIFY(combo);
        QStringList paths;
        for (int i = 0; i < combo->count(); ++i)
            paths << combo->itemData(i).toString();
        QVERIFY2(paths.contains(m_torchHome.filePath("hub/checkpoints/vgg16-397923af.pth")),
                 qPrintable(paths.join(",")));
        QVERIFY(combo->isEnabled());

        // choosing one switches the weights and re-runs
        QSignalSpy rerun(&panel, &ModelPanel::rerunRequested);
        const int index = combo->findData(m_torchHome.filePath("hub/checkpoints/vgg16-397923af.pth"));
        combo->setCurrentIndex(index);
        Q_EMIT combo->activated(index);
        QCOMPARE(rerun.count(), 1);
        QCOMPARE(QString::fromStdString(model.options().weightsPath),
                 m_torchHome.filePath("hub/checkpoints/vgg16-397923af.pth"));
    }

    void invalidSettingsAreRefusedWithAMessage()
    {
        AppModel model;
        ModelPanel panel(&model);
        QSignalSpy rerun(&panel, &ModelPanel::rerunRequested);
        QSignalSpy messages(&panel, &ModelPanel::message);
        auto* layers = panel.findChild<QLineEdit*>("layersEdit");
        QVERIFY(layers);
        layers->setText("conv4_3,conv42_9");
        QVERIFY(!panel.applyAndRerun());
        QCOMPARE(rerun.count(), 0);
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.front().front().toString().contains("conv42_9"));

        layers->setText("fc7, conv4_3");
        // topology, preprocessing and input size go into the next run's options
        auto combo = [&](const char* itemText) {
            for (QComboBox* c : panel.findChildren<QComboBox*>())
                if (c->findText(itemText, Qt::MatchStartsWith) >= 0)
                    return c;
            return static_cast<QComboBox*>(nullptr);
        };
        QVERIFY(combo("VGG16 (torchvision)") && combo("torchvision (RGB") && combo("shorter side"));
        combo("VGG16 (torchvision)")->setCurrentIndex(combo("VGG16 (torchvision)")->findText("VGG16 (torchvision)"));
        combo("torchvision (RGB")
            ->setCurrentIndex(combo("torchvision (RGB")->findText("torchvision (RGB", Qt::MatchStartsWith));
        combo("shorter side")->setCurrentIndex(combo("shorter side")->findText("shorter side"));
        panel.findChild<QSpinBox*>()->setValue(256);
        QVERIFY(panel.applyAndRerun());
        QCOMPARE(rerun.count(), 1);
        QCOMPARE(model.options().layers, (std::vector<std::string>{"conv4_3", "fc7"})); // network order
        QVERIFY(model.options().arch == an::Arch::Vgg16);
        QVERIFY(model.options().preset == an::Preset::Torchvision);
        QVERIFY(model.options().size.mode == an::SizeSpec::Mode::ShorterSide);
        QCOMPARE(model.options().size.value, 256);
    }
};

QTEST_MAIN(ModelPanelTest)
#include "model_panel_test.moc"
