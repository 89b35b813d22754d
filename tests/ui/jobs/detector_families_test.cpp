// SPDX-License-Identifier: GPL-3.0-or-later
// Every detector family opened through the GUI's Open weights path: the topology the
// file defines is the one in use and shown, exactly the layers the checkpoint learned an L2Norm for
// are normalized, each with its own learned γ (non-uniform in the fixtures), the γ panel offers each
// of them, and "Reset to init" uses the family's init (SSD 20; RefineDet 10/8; S3FD 10/8/5).
// Fixtures: tests/analysis/network/topologies/make_topologies.py and
// tests/analysis/weights/detectors/make_fixtures.py (Debian's python3-torch / h5py).
#include "analysis/core/topology.h"
#include "ui/panels/gamma_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"
#include "weights_fixtures.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;
using test::fixture;

namespace {
bool uniform(const std::vector<float>& v)
{
    return std::all_of(v.begin(), v.end(), [&](float g) { return g == v.front(); });
}

// The L2Norm init each family's paper and code use (SSD: 20; RefineDet: conv4_3 10, conv5_3 8;
// S3FD: conv3_3 10, conv4_3 8, conv5_3 5), written out here rather than read from the topology table.
float publishedInit(const std::string& arch, const std::string& layer)
{
    static const std::map<std::pair<std::string, std::string>, float> kInit = {
        {{"ssd512", "conv4_3"}, 20.0f}, {{"refinedet", "conv4_3"}, 10.0f}, {{"refinedet", "conv5_3"}, 8.0f},
        {{"s3fd", "conv3_3"}, 10.0f},   {{"s3fd", "conv4_3"}, 8.0f},       {{"s3fd", "conv5_3"}, 5.0f}};
    const auto it = kInit.find({arch, layer});
    return it == kInit.end() ? std::nanf("") : it->second;
}
} // namespace

class DetectorFamiliesTest : public QObject {
    Q_OBJECT
    std::unique_ptr<MainWindow> m_window;
    AppModel* m_model = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_window = test::startOnOnePhoto("square:160");
        QVERIFY(m_window);
        m_model = m_window->model();
        an::AnalyzerOptions o = m_model->options();
        o.layers = {"conv3_3", "conv4_3", "conv5_3", "fc7"};
        o.layersAll = false;
        m_model->setOptions(o);
    }

    void opensEachFamilyWithItsNormalizedLayers_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QStringList>("normalized");
        QTest::newRow("torchvision vgg16_bn")
            << fixture("topologies/tv_vgg16_bn_fp16.pth") << "vgg16-bn" << QStringList{};
        QTest::newRow("ssd.pytorch SSD512")
            << fixture("topologies/ssdpt_ssd512_fp16.pth") << "ssd512" << QStringList{"conv4_3"};
        QTest::newRow("RefineDet.PyTorch")
            << fixture("topologies/refinedet_pytorch_fp16.pth") << "refinedet" << QStringList{"conv4_3", "conv5_3"};
        QTest::newRow("S3FD.pytorch {'weight': ...}")
            << fixture("topologies/s3fd_pytorch_fp16.pth") << "s3fd" << QStringList{"conv3_3", "conv4_3", "conv5_3"};
        QTest::newRow("face-alignment S3FD")
            << fixture("weights_detectors/fa_s3fd.pth") << "s3fd" << QStringList{"conv3_3", "conv4_3", "conv5_3"};
        QTest::newRow("lufficc SSD512") << fixture("weights_detectors/lufficc_ssd512.pth") << "ssd512"
                                        << QStringList{"conv4_3"};
        QTest::newRow("Caffe RefineDet320") << fixture("weights_detectors/caffe_refinedet320.caffemodel") << "refinedet"
                                            << QStringList{"conv4_3", "conv5_3"};
    }

    void opensEachFamilyWithItsNormalizedLayers()
    {
        QFETCH(QString, file);
        QFETCH(QString, arch);
        QFETCH(QStringList, normalized);
        const QString opened = test::openWeightsAndWait(*m_window, file);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));

        const an::WeightInfo& w = m_model->weights();
        QVERIFY(!w.untrained);
        const an::Arch used = m_model->engine().run.arch;
        QCOMPARE(QString::fromStdString(an::toString(used)), arch);
        // The topology shown is the one in use.
        auto* topology = m_window->modelPanel()->findChild<QComboBox*>(QStringLiteral("topology"));
        QVERIFY(topology);
        QCOMPARE(topology->currentData().toString(), arch);

        // Exactly the learned layers are normalized (a classifier: conv4_3 with the default 20).
        QStringList shown;
        for (const std::string& layer : m_model->l2normLayers())
            shown << QString::fromStdString(layer);
        if (normalized.isEmpty()) {
            QCOMPARE(shown, QStringList{QStringLiteral("conv4_3")});
            QVERIFY(w.gammas.empty());
            const std::vector<float>& g = m_model->gamma("conv4_3");
            QVERIFY(uniform(g) && g.front() == an::kDefaultGamma);
            return;
        }
        QCOMPARE(shown, normalized);

        auto* panel = m_window->findChild<GammaPanel*>(QStringLiteral("gammaPanel"));
        QVERIFY(panel);
        auto* layerBox = panel->findChild<QComboBox*>(QStringLiteral("gammaLayer"));
        QVERIFY(layerBox);
        for (const QString& name : normalized) {
            const std::string layer = name.toStdString();
            QVERIFY2(w.gammas.count(layer), qPrintable(name + ": no learned gamma read"));
            const std::vector<float>& learned = w.gammas.at(layer);
            QVERIFY2(!uniform(learned), qPrintable(name + ": the fixture's learned gamma should vary"));
            QCOMPARE(m_model->gamma(layer), learned);

            // The γ panel edits this layer; reset to init uses the family's value, not 20 everywhere.
            panel->setEditedLayer(layer);
            QCOMPARE(panel->editedLayer(), layer);
            QVERIFY(layerBox->findText(name) >= 0);
            const float init = publishedInit(arch.toStdString(), layer);
            QCOMPARE(an::initialGamma(used, layer), init);
            QPushButton* reset = nullptr;
            for (QPushButton* b : panel->findChildren<QPushButton*>())
                if (b->text().startsWith(QStringLiteral("Reset to init")))
                    reset = b;
            QVERIFY(reset);
            QVERIFY2(reset->text().contains(QString::number(static_cast<double>(init))), qPrintable(reset->text()));
            reset->click();
            QTRY_VERIFY(uniform(m_model->gamma(layer)) && m_model->gamma(layer).front() == init);
            // The other normalized layers keep their learned γ.
            for (const QString& other : normalized)
                if (other != name)
                    QCOMPARE(m_model->gamma(other.toStdString()), w.gammas.at(other.toStdString()));
            m_model->undoStack()->undo();
            QCOMPARE(m_model->gamma(layer), learned);
        }
    }
};

QTEST_MAIN(DetectorFamiliesTest)
#include "detector_families_test.moc"
