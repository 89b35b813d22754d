// SPDX-License-Identifier: GPL-3.0-or-later
// Every weight format opened through the GUI's Open weights path: the model panel names format,
// family and input convention, the run uses the family's preset, SSD checkpoints bring their
// learned gamma ("Reset to init (20)" replaces it, "Reset to learned" brings it back) and their extra layers. Fixtures
// come from the weight suites' generators (Debian's python3-torch / torchvision / h5py / onnx).
#include "ui/panels/model_panel.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"
#include "weights_fixtures.h"

#include <QLabel>
#include <QPushButton>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;
using test::fixture;

namespace {
QString modelPanelText(ModelPanel* panel)
{
    QStringList texts;
    for (const QLabel* label : panel->findChildren<QLabel*>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}

double stddev(const std::vector<float>& v)
{
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double ss = 0;
    for (float x : v)
        ss += (x - mean) * (x - mean);
    return std::sqrt(ss / static_cast<double>(v.size()));
}
} // namespace

class WeightsOpenTest : public QObject {
    Q_OBJECT
    std::unique_ptr<MainWindow> m_window;
    AppModel* m_model = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_window = test::startOnOnePhoto("square:128");
        QVERIFY(m_window);
        m_model = m_window->model();
    }

    void opensEveryFormatWithItsConvention_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("learnedGamma");
        QTest::addColumn<bool>("extras");
        QTest::newRow("torchvision legacy .pth")
            << fixture("weights/layouts/tv_vgg16_legacy_fp16.pth") << "pytorch-legacy"
            << "torchvision"
            << "vgg16"
            << "torchvision" << false << false;
        QTest::newRow("ssd.pytorch SSD300 zip") << fixture("weights/layouts/ssdpt_ssd300_fp16.pth") << "pytorch-zip"
                                                << "ssd.pytorch"
                                                << "vgg16-reduced"
                                                << "caffe" << true << true;
        QTest::newRow("torchvision ssd300_vgg16") << fixture("weights/layouts/tv_ssd300.pth") << "pytorch-zip"
                                                  << "torchvision-ssd"
                                                  << "vgg16-reduced"
                                                  << "caffe-rgb" << true << true;
        QTest::newRow("mmdetection SSD300") << fixture("weights/layouts/mmdet_ssd300_fp16.pth") << "pytorch-zip"
                                            << "mmdet"
                                            << "vgg16-reduced"
                                            << "caffe-rgb" << true << true;
        QTest::newRow("TorchScript backbone")
            << fixture("weights/layouts/ssdpt_backbone_script_fp16.pt") << "torchscript"
            << "ssd.pytorch"
            << "vgg16-reduced"
            << "caffe" << false << false;
        QTest::newRow("Caffe SSD300") << fixture("weights_formats/caffe_ssd300_v2.caffemodel") << "caffe"
                                      << "caffe"
                                      << "vgg16-reduced"
                                      << "caffe" << true << true;
        QTest::newRow("Caffe VGG16") << fixture("weights_formats/caffe_vgg16_v2.caffemodel") << "caffe"
                                     << "caffe"
                                     << "vgg16"
                                     << "caffe" << false << false;
        QTest::newRow("ONNX VGG16") << fixture("weights_formats/onnx_vgg16_torch.onnx") << "onnx"
                                    << "onnx"
                                    << "vgg16"
                                    << "torchvision" << false << false;
        QTest::newRow("Keras 2 .h5") << fixture("weights_formats/keras2_vgg16_model.h5") << "keras-h5"
                                     << "keras"
                                     << "vgg16"
                                     << "caffe" << false << false;
    }

    void opensEveryFormatWithItsConvention()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QFETCH(QString, family);
        QFETCH(QString, arch);
        QFETCH(QString, preset);
        QFETCH(bool, learnedGamma);
        QFETCH(bool, extras);
        const QString opened = test::openWeightsAndWait(*m_window, file);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));

        const an::WeightInfo& w = m_model->weights();
        QVERIFY(!w.untrained);
        QCOMPARE(QString::fromStdString(w.format), format);
        QCOMPARE(QString::fromStdString(w.family), family);
        QCOMPARE(QString::fromStdString(an::toString(m_model->engine().run.arch)), arch);
        QCOMPARE(QString::fromStdString(an::toString(m_model->engine().run.preset)), preset);
        QVERIFY(!m_window->modelPanel()->untrainedBadge()->isVisible());
        const QString shown = modelPanelText(m_window->modelPanel());
        QVERIFY2(shown.contains(QStringLiteral("family: ") + family), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("input: ") + preset), qPrintable(shown));
        QVERIFY2(m_model->image(0).state == ImageState::Done, qPrintable(m_model->image(0).error));

        const auto& available = m_model->engine().availableLayers;
        const bool hasExtras = std::find(available.begin(), available.end(), "conv11_2") != available.end();
        QCOMPARE(hasExtras, extras);

        const std::vector<float>& gamma = m_model->gamma("conv4_3");
        QCOMPARE(gamma.size(), std::size_t(512));
        if (learnedGamma) {
            // The fixtures' learned gammas vary around 20 (20 + 3 N(0,1) or similar): not SSD's init.
            QVERIFY(w.gammas.count("conv4_3"));
            QVERIFY2(stddev(gamma) > 0.5, "the learned gamma was not applied");
            QCOMPARE(gamma, w.gammas.at("conv4_3"));
            const std::vector<float> learned = gamma;
            QPushButton* reset = nullptr;
            QPushButton* back = nullptr;
            for (QPushButton* b : m_window->findChildren<QPushButton*>()) {
                if (b->text() == QStringLiteral("Reset to init (20)"))
                    reset = b;
                if (b->text() == QStringLiteral("Reset to learned"))
                    back = b;
            }
            QVERIFY(reset && back);
            reset->click();
            QTRY_VERIFY(std::all_of(m_model->gamma("conv4_3").begin(), m_model->gamma("conv4_3").end(),
                                    [](float g) { return g == 20.0f; }));
            QVERIFY(back->isEnabled());
            back->click();
            QCOMPARE(m_model->gamma("conv4_3"), learned);
        } else {
            QVERIFY(std::all_of(gamma.begin(), gamma.end(), [](float g) { return g == 20.0f; }));
        }
    }
};

QTEST_MAIN(WeightsOpenTest)
#include "weights_open_test.moc"
