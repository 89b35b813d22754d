// SPDX-License-Identifier: GPL-3.0-or-later
// "Nothing is lost" for γ: every kind of γ change (slider drag, typed value, Set all, Scale, one
// channel, a loaded file, Fit γ kept or reverted) is one step on the model's undo stack that
// restores the exact vectors; the wheel moves the slider only when it has focus; the fit's
// keep-or-revert question goes away when γ changes otherwise. On a real engine result (default
// weights, one bundled photo).
#include "analysed_photos.h"
#include "ui/panels/gamma_fit_widget.h"
#include "ui/panels/gamma_panel.h"
#include "ui/state/app_model.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QAction>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace featscale;
using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {

QPushButton* button(QWidget& panel, const QString& text)
{
    for (QPushButton* b : panel.findChildren<QPushButton*>())
        if (b->text() == text)
            return b;
    return nullptr;
}

std::vector<float> ramp(std::size_t n, float from, float step)
{
    std::vector<float> g(n);
    for (std::size_t c = 0; c < n; ++c)
        g[c] = from + step * static_cast<float>(c);
    return g;
}

/// Sends one notch of the wheel (up) to a widget, at its centre.
void wheel(QWidget* w)
{
    const QPointF at(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent e(at, w->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                  /*inverted=*/false);
    QApplication::sendEvent(w, &e);
}

} // namespace

class GammaUndoTest : public QObject {
    Q_OBJECT
    std::unique_ptr<test::AnalysedPhotos> m_fx;
    QTemporaryDir m_tmp;

    /// Undo restores `before`, redo restores `after`, each exactly.
    static void undoRedo(AppModel& model, const std::string& layer, const std::vector<float>& before,
                         const std::vector<float>& after)
    {
        model.undoStack()->undo();
        QCOMPARE(model.gamma(layer), before);
        model.undoStack()->redo();
        QCOMPARE(model.gamma(layer), after);
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::isolateSettings();
        m_fx = std::make_unique<test::AnalysedPhotos>(std::vector<const char*>{"coffee.jpg"});
    }
    void cleanupTestCase() { m_fx.reset(); }

    void sliderDragIsOneStep()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        QUndoStack* stack = model.undoStack();
        QCOMPARE(stack->count(), 0);
        const std::vector<float> start = model.gamma("conv4_3");
        // a fitted-looking per-channel γ that one nudge of the slider would otherwise wipe out
        const std::vector<float> fitted = ramp(start.size(), 0.5f, 0.3f);
        QVERIFY(model.setGamma("conv4_3", fitted));

        QSlider* s = panel.slider();
        s->setSliderDown(true); // as a mouse press on the handle: sliderPressed
        for (int pos : {500, 520, 610, 700, 730}) {
            s->setValue(pos);
            QCoreApplication::processEvents(); // each turn applies the latest value
        }
        s->setSliderDown(false);
        QCoreApplication::processEvents();
        QVERIFY(panel.appliedUpdates() >= 3); // the drag did move γ on the way
        QCOMPARE(stack->count(), 1);          // ... yet it is one step
        const std::vector<float> dragged(start.size(), float(GammaPanel::sliderGamma(730)));
        QCOMPARE(model.gamma("conv4_3"), dragged);
        undoRedo(model, "conv4_3", fitted, dragged);

        // a second drag is a second step; undoing both brings the per-channel γ back
        s->setSliderDown(true);
        s->setValue(300);
        QCoreApplication::processEvents();
        s->setValue(310);
        QCoreApplication::processEvents();
        s->setSliderDown(false);
        QCOMPARE(stack->count(), 2);
        stack->undo();
        stack->undo();
        QCOMPARE(model.gamma("conv4_3"), fitted);
        QVERIFY(std::abs(panel.spinBox()->value() - (double(fitted[255]) + double(fitted[256])) / 2) <
                1e-3); // box shows the median again

        // a typed value: one step
        stack->redo();
        panel.spinBox()->setValue(3.5);
        QTRY_COMPARE(model.gamma("conv4_3"), std::vector<float>(start.size(), 3.5f));
        QCOMPARE(stack->count(), 2); // the redo branch was replaced
        undoRedo(model, "conv4_3", dragged, std::vector<float>(start.size(), 3.5f));
    }

    void setAllScaleChannelAndLoadAreSteps()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        QUndoStack* stack = model.undoStack();
        const std::size_t n = model.gamma("conv4_3").size();
        QVERIFY(model.setGamma("conv4_3", ramp(n, 1.0f, 0.01f)));

        std::vector<float> before = model.gamma("conv4_3");
        // Set all: the box's value for every channel
        {
            QSignalBlocker block(panel.spinBox()); // type without applying, then press Set all
            panel.spinBox()->setValue(6.25);
        }
        QVERIFY(button(panel, "Set all"));
        button(panel, "Set all")->click();
        QCOMPARE(model.gamma("conv4_3"), std::vector<float>(n, 6.25f));
        QCOMPARE(stack->count(), 1);
        undoRedo(model, "conv4_3", before, std::vector<float>(n, 6.25f));

        // Scale
        before = model.gamma("conv4_3");
        QDoubleSpinBox* factor = nullptr;
        for (QDoubleSpinBox* s : panel.findChildren<QDoubleSpinBox*>())
            if (s->prefix().startsWith(QStringLiteral("×")))
                factor = s;
        QVERIFY(factor);
        factor->setValue(0.5);
        button(panel, "Scale")->click();
        QCOMPARE(model.gamma("conv4_3"), std::vector<float>(n, 3.125f));
        QCOMPARE(stack->count(), 2);
        undoRedo(model, "conv4_3", before, std::vector<float>(n, 3.125f));

        // one channel, through the channel row
        before = model.gamma("conv4_3");
        panel.setEditedChannel(17);
        QDoubleSpinBox* channelValue = nullptr;
        for (QDoubleSpinBox* s : panel.findChildren<QDoubleSpinBox*>())
            if (s != panel.spinBox() && s != factor)
                channelValue = s;
        QVERIFY(channelValue);
        QCOMPARE(channelValue->value(), 3.125); // shows that channel's γ
        channelValue->setValue(44.0);
        button(panel, "Set channel")->click();
        std::vector<float> one = before;
        one[17] = 44.0f;
        QCOMPARE(model.gamma("conv4_3"), one);
        QCOMPARE(stack->count(), 3);
        undoRedo(model, "conv4_3", before, one);

        // a loaded file
        before = model.gamma("conv4_3");
        const QString csv = m_tmp.filePath("gamma.csv");
        QByteArray text = "channel,gamma\n";
        for (std::size_t c = 0; c < n; ++c)
            text += QByteArray::number(qulonglong(c)) + "," + QByteArray::number(2.0 + 0.5 * double(c)) + "\n";
        QVERIFY(test::writeFile(csv, text));
        QSignalSpy loaded(&panel, &GammaPanel::gammaFileLoaded);
        panel.loadGammaFile(csv);
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.front().front().toBool());
        const std::vector<float> fromFile = ramp(n, 2.0f, 0.5f);
        QCOMPARE(model.gamma("conv4_3"), fromFile);
        QCOMPARE(stack->count(), 4);
        QVERIFY(stack->undoText().contains("gamma.csv"));
        undoRedo(model, "conv4_3", before, fromFile);

        // the whole history, back to the start and forward again
        while (stack->canUndo())
            stack->undo();
        QCOMPARE(model.gamma("conv4_3"), ramp(n, 1.0f, 0.01f));
        while (stack->canRedo())
            stack->redo();
        QCOMPARE(model.gamma("conv4_3"), fromFile);
    }

    void fitKeepAndRevertGoThroughTheStack()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        GammaFitWidget* fit = panel.fitWidget();
        QVERIFY(!fit->isPerChannel()); // the uniform closed form is the default
        fit->setTargetLayer("fc7");
        QUndoStack* stack = model.undoStack();
        const std::vector<float> start = ramp(model.gamma("conv4_3").size(), 3.0f, 0.1f);
        QVERIFY(model.setGamma("conv4_3", start));

        QSignalSpy ended(fit, &GammaFitWidget::fitEnded);
        QVERIFY(fit->startFit());
        QVERIFY(ended.wait(60000));
        QVERIFY(ended.front().front().toBool());
        const std::vector<float> fitted = model.gamma("conv4_3");
        QVERIFY(fitted != start);
        QVERIFY(std::all_of(fitted.begin(), fitted.end(), [&](float v) { return v == fitted.front(); }));
        QCOMPARE(stack->count(), 1);
        QVERIFY(fit->status().contains("Keep or revert?"));
        // the closed form meets the target: median after-norm = median fc7 norm, by hand here
        std::vector<float> after = model.normMap(0, "conv4_3", Stage::After)->values;
        std::vector<float> target = model.normMap(0, "fc7", Stage::Before)->values;
        auto med = [](std::vector<float> v) {
            std::sort(v.begin(), v.end());
            const std::size_t k = v.size();
            return k % 2 ? double(v[k / 2]) : 0.5 * (double(v[k / 2 - 1]) + double(v[k / 2]));
        };
        QVERIFY2(std::abs(med(after) / med(target) - 1.0) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(med(after)).arg(med(target))));

        // Keep: stays one undoable step
        fit->keep();
        QVERIFY(!fit->status().contains("Keep or revert?"));
        undoRedo(model, "conv4_3", start, fitted);

        // fitting again from the answer changes nothing and asks nothing
        ended.clear();
        QVERIFY(fit->startFit());
        QVERIFY(ended.wait(60000));
        QVERIFY2(fit->status().contains("already meets the target"), qPrintable(fit->status()));
        QCOMPARE(stack->count(), 1);
        QVERIFY(fit->previousGamma().empty());

        // Revert: the undo of the fit's step (redo brings the fit back)
        ended.clear();
        QVERIFY(model.setGamma("conv4_3", start)); // outside the stack: the fit still undoes to this
        QVERIFY(fit->startFit());
        QVERIFY(ended.wait(60000));
        const int index = stack->index();
        fit->revert();
        QCOMPARE(model.gamma("conv4_3"), start);
        QCOMPARE(stack->index(), index - 1);
        QVERIFY(stack->canRedo());
        stack->redo();
        QCOMPARE(model.gamma("conv4_3"), fitted);
    }

    void staleFitQuestionIsCleared()
    {
        AppModel model;
        m_fx->load(model);
        GammaPanel panel(&model);
        panel.show();
        GammaFitWidget* fit = panel.fitWidget();
        fit->setTargetLayer("fc7");
        QSignalSpy ended(fit, &GammaFitWidget::fitEnded);
        QVERIFY(fit->startFit());
        QVERIFY(ended.wait(60000));
        QVERIFY(fit->status().contains("Keep or revert?"));
        QVERIFY(!fit->previousGamma().empty());
        panel.spinBox()->setValue(7.0); // γ changes otherwise
        QTRY_COMPARE(model.gamma("conv4_3").front(), 7.0f);
        QVERIFY2(!fit->status().contains("Keep or revert?"), qPrintable(fit->status()));
        QVERIFY(fit->previousGamma().empty());
        // and the fitted γ is one undo away
        model.undoStack()->undo();
        QCOMPARE(model.gamma("conv4_3"), fit->lastResult().gamma);
    }

    void wheelNeedsFocus()
    {
        AppModel model;
        m_fx->load(model);
        QWidget window;
        auto* panel = new GammaPanel(&model, &window);
        auto* other = new QPushButton(QStringLiteral("elsewhere"), &window);
        other->move(0, 0);
        panel->move(0, 40);
        window.resize(600, 1000);
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        other->setFocus();
        QTRY_VERIFY(other->hasFocus());
        const std::vector<float> start = ramp(model.gamma("conv4_3").size(), 1.0f, 0.2f);
        QVERIFY(model.setGamma("conv4_3", start));
        const int pos = panel->slider()->value();

        wheel(panel->slider());
        wheel(panel->spinBox());
        QCoreApplication::processEvents();
        QCOMPARE(panel->slider()->value(), pos);
        QCOMPARE(model.gamma("conv4_3"), start);
        QCOMPARE(model.undoStack()->count(), 0);
        QVERIFY(!panel->slider()->hasFocus()); // the wheel does not hand out focus either

        panel->slider()->setFocus();
        QTRY_VERIFY(panel->slider()->hasFocus());
        wheel(panel->slider());
        QTRY_VERIFY(model.gamma("conv4_3") != start);
        QVERIFY(panel->slider()->value() > pos);
        QCOMPARE(model.gamma("conv4_3").front(), float(GammaPanel::sliderGamma(panel->slider()->value())));
        QCOMPARE(model.undoStack()->count(), 1);
        model.undoStack()->undo();
        QCOMPARE(model.gamma("conv4_3"), start);
    }

    void editMenuUndoesWithTheKeys()
    {
        MainWindow window;
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto* undo = window.findChild<QAction*>(QStringLiteral("undoAction"));
        auto* redo = window.findChild<QAction*>(QStringLiteral("redoAction"));
        QVERIFY(undo && redo);
        QVERIFY(undo->shortcuts().contains(QKeySequence(QKeySequence::Undo)));
        QVERIFY(redo->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
        QVERIFY(!undo->isEnabled());
        // the menu drives the model's stack
        QUndoStack* stack = window.model()->undoStack();
        QCOMPARE(stack->count(), 0);
        stack->push(new QUndoCommand(QStringLiteral("probe")));
        QVERIFY(undo->isEnabled());
        undo->trigger();
        QCOMPARE(stack->index(), 0);
        QVERIFY(redo->isEnabled());
        redo->trigger();
        QCOMPARE(stack->index(), 1);
        // the menu names the step it would undo and redo
        QCOMPARE(undo->text(), QStringLiteral("&Undo probe"));
        stack->undo();
        QCOMPARE(undo->text(), QStringLiteral("&Undo"));
        QCOMPARE(redo->text(), QStringLiteral("&Redo probe"));
    }

    // Ctrl+Z with the focus in the γ spin box, after a typed value was entered, is the document's
    // undo: the spin box's own text undo must not swallow it.
    void ctrlZInTheSpinBoxUndoesTheTypedGamma()
    {
        MainWindow window;
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        AppModel& model = *window.model();
        m_fx->load(model);
        auto* panel = window.findChild<GammaPanel*>(QStringLiteral("gammaPanel"));
        QVERIFY(panel);
        QDoubleSpinBox* spin = panel->spinBox();
        const std::vector<float> before = model.gamma("conv4_3");
        spin->setFocus();
        QTRY_VERIFY(spin->hasFocus());
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("40"));
        QTest::keyClick(spin, Qt::Key_Return);
        QTRY_COMPARE(model.gamma("conv4_3"), std::vector<float>(before.size(), 40.0f));
        auto* undo = window.findChild<QAction*>(QStringLiteral("undoAction"));
        QVERIFY2(undo->text().startsWith(QStringLiteral("&Undo ")), qPrintable(undo->text()));
        QVERIFY(spin->hasFocus());
        QTest::keyClick(spin, Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE(model.gamma("conv4_3"), before);
        QTest::keyClick(spin, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(model.gamma("conv4_3"), std::vector<float>(before.size(), 40.0f));
    }
};

QTEST_MAIN(GammaUndoTest)
#include "gamma_undo_test.moc"
