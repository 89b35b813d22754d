// SPDX-License-Identifier: GPL-3.0-or-later
// Several normalized layers at once (conv3_3, conv4_3, conv5_3 on the default weights): the gamma
// panel edits each one; an edit changes exactly that layer's after-statistics, which match
// ‖γ ⊙ x‖ / sqrt(Σx² + 1e-10) computed here from the raw activations; reset to the family's
// initial γ; Fit γ on a layer other than conv4_3; a session keeps every layer's γ.
#include "analysed_photos.h"
#include "analysis/engine/analyzer.h"
#include "analysis/runs/run_data.h"
#include "ui/jobs/run_export.h"
#include "ui/panels/gamma_fit_widget.h"
#include "ui/panels/gamma_panel.h"
#include "ui/plots/concat_panel.h"
#include "ui/state/app_model.h"
#include "ui/state/session.h"
#include "ui_test_support.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

const std::vector<std::string> kNormalized = {"conv3_3", "conv4_3", "conv5_3"};

/// After-norm map of a layer from its raw activations and γ, computed here (Caffe eps).
std::vector<double> handAfter(const AppModel& model, const std::string& layer, const std::vector<float>& gamma)
{
    const an::NormMap& before = *model.normMap(0, layer, Stage::Before);
    std::vector<double> out;
    for (int y = 0; y < before.height; ++y)
        for (int x = 0; x < before.width; ++x) {
            const std::vector<float> a = model.currentCache()->activationAt(layer, y, x);
            double ss = 0, gs = 0;
            for (std::size_t c = 0; c < a.size(); ++c) {
                ss += double(a[c]) * a[c];
                gs += std::pow(double(gamma[c]) * a[c], 2);
            }
            out.push_back(std::sqrt(gs) / std::sqrt(ss + 1e-10));
        }
    return out;
}

QPushButton* buttonStartingWith(QWidget& panel, const QString& text)
{
    for (QPushButton* b : panel.findChildren<QPushButton*>())
        if (b->text().startsWith(text))
            return b;
    return nullptr;
}

} // namespace

class GammaLayersTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::AnalysedPhotos> m_fx;

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        m_fx = std::make_unique<test::AnalysedPhotos>(std::vector<const char*>{"coffee.jpg"}, kNormalized);
    }
    void cleanupTestCase() { m_fx.reset(); }

    void eachLayerEditChangesExactlyThatLayer()
    {
        AppModel model;
        m_fx->load(model);
        QCOMPARE(model.l2normLayers(), kNormalized);
        GammaPanel panel(&model);
        panel.show();
        auto* layerBox = panel.findChild<QComboBox*>();
        QVERIFY(layerBox);
        QStringList names;
        for (QComboBox* box : panel.findChildren<QComboBox*>())
            if (box->count() == 3 && box->itemText(0) == "conv3_3")
                layerBox = box;
        for (int i = 0; i < layerBox->count(); ++i)
            names << layerBox->itemText(i);
        QCOMPARE(names, (QStringList{"conv3_3", "conv4_3", "conv5_3"}));
        const std::map<std::string, std::size_t> channels = {{"conv3_3", 256}, {"conv4_3", 512}, {"conv5_3", 512}};

        for (const std::string& layer : kNormalized) {
            QCOMPARE(model.gamma(layer).size(), channels.at(layer));
            std::map<std::string, std::vector<float>> others;
            for (const std::string& o : kNormalized)
                others[o] = model.normMap(0, o, Stage::After)->values;

            // per-channel γ through the panel: Set all, then one channel
            panel.setEditedLayer(layer);
            QCOMPARE(panel.editedLayer(), layer);
            panel.spinBox()->setValue(4.0);
            QTRY_COMPARE(model.gamma(layer), std::vector<float>(channels.at(layer), 4.0f));
            for (int c : {0, 3, 100})
                panel.setChannelGamma(c, 9.0 + c);
            std::vector<float> expected(channels.at(layer), 4.0f);
            for (int c : {0, 3, 100})
                expected[std::size_t(c)] = float(9.0 + c);
            QCOMPARE(model.gamma(layer), expected);

            // that layer's after-norms are ‖γ ⊙ x‖ / ‖x‖ with the new γ, by hand
            const std::vector<double> want = handAfter(model, layer, expected);
            const std::vector<float>& got = model.normMap(0, layer, Stage::After)->values;
            QCOMPARE(got.size(), want.size());
            for (std::size_t i = 0; i < got.size(); ++i)
                QVERIFY2(std::abs(got[i] - want[i]) <= 1e-4 * std::max(1.0, want[i]),
                         qPrintable(QString("%1 at %2: %3 vs %4")
                                        .arg(QString::fromStdString(layer))
                                        .arg(i)
                                        .arg(got[i])
                                        .arg(want[i])));
            // its summary statistics follow the map
            std::vector<float> sorted = got;
            std::sort(sorted.begin(), sorted.end());
            QCOMPARE(model.stats(0, layer, Stage::After)->max, double(sorted.back()));
            // ... and no other layer moved
            for (const std::string& o : kNormalized)
                if (o != layer)
                    QCOMPARE(model.normMap(0, o, Stage::After)->values, others.at(o));
            QVERIFY(model.normMap(0, layer, Stage::After)->values != others.at(layer));
        }
        // the overview names every normalized layer
        auto* overview = panel.findChild<QLabel*>(QStringLiteral("gammaOverview"));
        QVERIFY(overview && overview->isVisible());
        for (const std::string& layer : kNormalized)
            QVERIFY2(overview->text().contains(QString::fromStdString(layer)), qPrintable(overview->text()));
    }

    void concatViewHasEveryNormalizedLayer()
    {
        AppModel model;
        m_fx->load(model);
        ConcatPanel panel(&model);
        panel.show();
        const QSize size = model.image(0).imageSize.isValid() ? model.image(0).imageSize : QSize(300, 300);
        model.setPin(QPointF(size.width() * 0.4, size.height() * 0.55));
        model.setUniformGamma("conv3_3", 3.0f);
        panel.refreshNow();
        QTRY_VERIFY(!panel.segments().empty());
        std::vector<std::string> shown;
        for (const auto& s : panel.segments()) {
            shown.push_back(s.layer);
            if (s.layer == "conv3_3") {
                // γ ⊙ x̂ with the edited γ: its norm is 3 wherever x is not tiny
                QVERIFY(s.normalized);
                QVERIFY2(s.beforeNorm < 1e-3 || std::abs(s.afterNorm - 3.0) < 1e-3,
                         qPrintable(QString::number(s.afterNorm)));
            }
        }
        QCOMPARE(shown, (std::vector<std::string>{"conv3_3", "conv4_3", "conv5_3", "fc7"}));
    }

    void resetToFamilyInit()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        for (const std::string& layer : kNormalized) {
            panel.setEditedLayer(layer);
            panel.spinBox()->setValue(0.5);
            QTRY_COMPARE(model.gamma(layer).front(), 0.5f);
            // SSD's family (the default weights): every normalized layer starts at 20
            QPushButton* reset = buttonStartingWith(panel, QStringLiteral("Reset to init"));
            QVERIFY(reset);
            QCOMPARE(reset->text(), QStringLiteral("Reset to init (20)"));
            reset->click();
            QCOMPARE(model.gamma(layer), std::vector<float>(model.gamma(layer).size(), 20.0f));
            // the default weights learned nothing: nothing to reset to
            QPushButton* learned = buttonStartingWith(panel, QStringLiteral("Reset to learned"));
            QVERIFY(learned && !learned->isEnabled());
        }
    }

    void familyInitOfEachLayer()
    {
        // S3FD's family: conv3_3, conv4_3, conv5_3 start at 10, 8 and 5 (the Caffe S3FD prototxt)
        an::AnalyzerOptions o;
        o.arch = an::Arch::S3fd;
        o.archFromWeights = false;
        o.threads = 1;
        const an::Analyzer analyzer(o);
        AppModel model;
        model.setEngine(AppModel::EngineInfo::of(analyzer));
        QCOMPARE(model.l2normLayers(), kNormalized); // the family's layers without being asked
        GammaPanel panel(&model);
        const std::map<std::string, float> init = {{"conv3_3", 10.0f}, {"conv4_3", 8.0f}, {"conv5_3", 5.0f}};
        for (const auto& [layer, g] : init) {
            QCOMPARE(model.gamma(layer), std::vector<float>(model.gamma(layer).size(), g));
            panel.setEditedLayer(layer);
            panel.setChannelGamma(0, 99.0);
            QCOMPARE(model.gamma(layer).front(), 99.0f);
            QPushButton* reset = buttonStartingWith(panel, QStringLiteral("Reset to init"));
            QVERIFY(reset);
            QCOMPARE(reset->text(), QStringLiteral("Reset to init (%1)").arg(double(g)));
            reset->click();
            QCOMPARE(model.gamma(layer), std::vector<float>(model.gamma(layer).size(), g));
        }
    }

    void fitAnyNormalizedLayer()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        panel.setEditedLayer("conv5_3");
        GammaFitWidget* fit = panel.fitWidget();
        fit->setTargetLayer("fc7");
        const std::vector<float> conv3 = model.gamma("conv3_3"), conv4 = model.gamma("conv4_3");
        QSignalSpy ended(fit, &GammaFitWidget::fitEnded);
        QVERIFY(fit->startFit());
        QVERIFY(ended.wait(60000));
        QVERIFY(ended.front().front().toBool());
        QVERIFY(fit->status().contains("conv5_3"));
        QVERIFY(model.gamma("conv5_3") != std::vector<float>(512, 20.0f));
        QCOMPARE(model.gamma("conv3_3"), conv3);
        QCOMPARE(model.gamma("conv4_3"), conv4);
    }

    void runExportHoldsEveryLayersGamma()
    {
        AppModel model;
        m_fx->load(model);
        std::map<std::string, float> value = {{"conv3_3", 3.0f}, {"conv4_3", 6.0f}, {"conv5_3", 12.0f}};
        for (const auto& [layer, g] : value)
            model.setUniformGamma(layer, g);
        const RunExport exported = RunExport::fromModel(model, /*allImages=*/false);
        QTemporaryDir dir;
        an::writeRun(exported.run, dir.filePath("run").toStdString());
        QFile f(dir.filePath("run/run.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject gamma = QJsonDocument::fromJson(f.readAll()).object().value("gamma").toObject();
        QCOMPARE(gamma.size(), 3);
        for (const auto& [layer, g] : value) {
            const QJsonArray a = gamma.value(QString::fromStdString(layer)).toArray();
            QCOMPARE(std::size_t(a.size()), model.gamma(layer).size());
            for (const auto& v : a)
                QCOMPARE(v.toDouble(), double(g));
        }
        // the after-stage of each layer in the export: a uniform γ puts every non-zero location at γ
        int afterStages = 0;
        for (const an::StageRecord& s : exported.run.images.front().stages)
            if (s.stage == Stage::After) {
                ++afterStages;
                QVERIFY2(std::abs(s.stats.max - value.at(s.layer)) < 1e-3 * value.at(s.layer), s.layer.c_str());
            }
        QCOMPARE(afterStages, 3);
    }

    void saveAndLoadEveryLayerInOneStep()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        std::map<std::string, std::vector<float>> set;
        for (const std::string& layer : kNormalized) {
            std::vector<float> g(model.gamma(layer).size());
            for (std::size_t c = 0; c < g.size(); ++c)
                g[c] = float(layer.size()) + 0.25f * float(c % 7) + (layer == "conv5_3" ? 100.0f : 0.0f);
            QVERIFY(model.setGamma(layer, g));
            set[layer] = g;
        }
        QTemporaryDir dir;
        const QString path = dir.filePath("gamma.csv");
        QVERIFY(panel.saveGammaFile(path));
        // read by hand: comments, the header, then layer,channel,gamma rows
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::map<std::string, std::vector<float>> read;
        bool header = false, untrained = false;
        for (const QByteArray& raw : f.readAll().split('\n')) {
            const QByteArray line = raw.trimmed();
            if (line.isEmpty())
                continue;
            if (line.startsWith('#')) {
                untrained = untrained || line.contains("UNTRAINED");
                continue;
            }
            if (!header) {
                QCOMPARE(line, QByteArray("layer,channel,gamma"));
                header = true;
                continue;
            }
            const QList<QByteArray> cells = line.split(',');
            QCOMPARE(cells.size(), 3);
            auto& g = read[cells[0].toStdString()];
            QCOMPARE(cells[1].toInt(), int(g.size()));
            g.push_back(cells[2].toFloat());
        }
        QVERIFY(untrained); // the default weights are labelled as such
        QVERIFY(read == set);

        // change every layer, then load the file back: all three in one undo step
        for (const std::string& layer : kNormalized)
            model.setUniformGamma(layer, 1.0f);
        QSignalSpy loaded(&panel, &GammaPanel::gammaFileLoaded);
        panel.loadGammaFile(path);
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.front().front().toBool());
        for (const std::string& layer : kNormalized)
            QCOMPARE(model.gamma(layer), set.at(layer));
        QCOMPARE(model.undoStack()->count(), 1);
        model.undoStack()->undo();
        for (const std::string& layer : kNormalized)
            QCOMPARE(model.gamma(layer), std::vector<float>(model.gamma(layer).size(), 1.0f));

        // a file naming a layer that is not normalized here changes nothing and says why
        QFile other(dir.filePath("other.csv"));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write("layer,channel,gamma\nconv4_3,0,5\nfc7,0,3\n");
        other.close();
        QSignalSpy messages(&panel, &GammaPanel::message);
        loaded.clear();
        panel.loadGammaFile(other.fileName());
        QVERIFY(loaded.wait(10000));
        QVERIFY(!loaded.front().front().toBool());
        QVERIFY(messages.back().front().toString().contains("fc7"));
        QCOMPARE(model.gamma("conv4_3"), std::vector<float>(512, 1.0f));
    }

    void sessionKeepsEveryLayersGamma()
    {
        AppModel a;
        an::AnalyzerOptions o = a.options();
        o.l2normLayers = kNormalized;
        a.setOptions(o);
        m_fx->load(a);
        std::map<std::string, std::vector<float>> set;
        float base = 1.0f;
        for (const std::string& layer : kNormalized) {
            std::vector<float> g(a.gamma(layer).size());
            for (std::size_t c = 0; c < g.size(); ++c)
                g[c] = base + 0.001f * float(c);
            QVERIFY(a.setGamma(layer, g));
            set[layer] = g;
            base += 10.0f;
        }
        const Session saved = Session::capture(a);
        const QByteArray bytes = QJsonDocument(saved.toJson()).toJson();
        const Session read = Session::fromJson(bytes, QStringLiteral("mem"));
        QCOMPARE(read.gamma.size(), std::size_t(3));
        QVERIFY(read.options.l2normLayers == kNormalized);

        AppModel b;
        b.setPendingGamma(read.gamma);
        m_fx->load(b); // the engine arrives: every layer takes its saved γ
        for (const std::string& layer : kNormalized)
            QCOMPARE(b.gamma(layer), set.at(layer));
    }
};

QTEST_MAIN(GammaLayersTest)
#include "gamma_layers_test.moc"
