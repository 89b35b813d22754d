// SPDX-License-Identifier: GPL-3.0-or-later
// The plots' shared definitions against hand-computed values: the floor where a box plot on a log
// axis draws values <= 0, and the UNTRAINED sentence of plot titles (the engine's, untranslated).
#include "analysis/weights/untrained.h"
#include "ui/plots/log_box_floor.h"
#include "ui/state/untrained_text.h"

#include <QTest>

#include <limits>

using namespace featscale::ui;

class PlotStyleTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void boxFloorIsAThirdBelowTheSmallestPositiveValue()
    {
        plot_style::LogBoxFloor boxFloor;
        for (double v : {0.0, 0.6, 1.2, 2.4, 4.8})
            boxFloor.add(v);
        QCOMPARE(boxFloor.minPositive, 0.6);
        QCOMPARE(boxFloor.value(), 0.2);
        QCOMPARE(boxFloor.clamp(0.0), 0.2); // a dead location sits on the floor
        QCOMPARE(boxFloor.clamp(-1.0), 0.2);
        QCOMPARE(boxFloor.clamp(2.4), 2.4); // positive values stay where they are
        boxFloor.add(0.03);
        QCOMPARE(boxFloor.value(), 0.01);
    }

    void boxFloorWithoutPositiveValuesIsOneThousandth()
    {
        plot_style::LogBoxFloor boxFloor;
        QCOMPARE(boxFloor.value(), 1e-3);
        boxFloor.add(0.0);
        boxFloor.add(-2.0);
        boxFloor.add(std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(boxFloor.value(), 1e-3);
        QCOMPARE(boxFloor.clamp(0.0), 1e-3);
        QCOMPARE(boxFloor.clamp(std::numeric_limits<double>::quiet_NaN()), 1e-3);
    }

    void untrainedSentenceIsTheEnginesWithoutATranslator()
    {
        QCOMPARE(UntrainedText::sentence(), QString::fromUtf8(featscale::analysis::kUntrainedSentence));
        QCOMPARE(UntrainedText::sentence(3), QString::fromStdString(featscale::analysis::untrainedSentence(3)));
        QCOMPARE(UntrainedText::mark(), QStringLiteral("UNTRAINED weights"));
        QVERIFY(UntrainedText::sentence().startsWith(UntrainedText::mark()));
    }
};

QTEST_GUILESS_MAIN(PlotStyleTest)
#include "plot_style_test.moc"
