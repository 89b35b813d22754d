// SPDX-License-Identifier: GPL-3.0-or-later
// FlowLayout: items left to right, a new line when the next one does not fit, each line as tall as
// its tallest item (the others centred on it); the minimum width is the widest item, the height
// follows the width. Expected positions are worked out by hand from the item sizes.
#include "ui/panels/flow_layout.h"

#include <QApplication>
#include <QTest>
#include <QWidget>

using featscale::ui::FlowLayout;

class FlowLayoutTest : public QObject {
    Q_OBJECT
    QWidget m_box;
    QWidget* m_a = nullptr;
    QWidget* m_b = nullptr;
    QWidget* m_c = nullptr;
    FlowLayout* m_flow = nullptr;

private Q_SLOTS:
    void init()
    {
        delete m_box.layout();
        qDeleteAll(m_box.findChildren<QWidget*>(Qt::FindDirectChildrenOnly));
        m_flow = new FlowLayout(&m_box);
        m_flow->setContentsMargins(0, 0, 0, 0);
        m_flow->setSpacing(10);
        for (auto [w, size] : {std::pair{&m_a, QSize(100, 20)}, {&m_b, QSize(80, 30)}, {&m_c, QSize(60, 20)}}) {
            *w = new QWidget(&m_box);
            (*w)->setFixedSize(size);
            m_flow->addWidget(*w);
        }
    }

    void oneLineWhenEverythingFits()
    {
        QCOMPARE(m_flow->sizeHint(), QSize(100 + 10 + 80 + 10 + 60, 30));
        QCOMPARE(m_flow->heightForWidth(260), 30);
        m_flow->setGeometry(QRect(0, 0, 300, 30));
        QCOMPARE(m_a->geometry(), QRect(0, 5, 100, 20)); // centred on the 30 px line
        QCOMPARE(m_b->geometry(), QRect(110, 0, 80, 30));
        QCOMPARE(m_c->geometry(), QRect(200, 5, 60, 20));
    }

    void wrapsWhatDoesNotFit()
    {
        QCOMPARE(m_flow->heightForWidth(259), 30 + 10 + 20); // c goes to a second line
        m_flow->setGeometry(QRect(0, 0, 200, 60));
        QCOMPARE(m_a->geometry(), QRect(0, 5, 100, 20));
        QCOMPARE(m_b->geometry(), QRect(110, 0, 80, 30));
        QCOMPARE(m_c->geometry(), QRect(0, 40, 60, 20));
        QCOMPARE(m_flow->heightForWidth(189), 20 + 10 + 30);           // b and c share the second line
        QCOMPARE(m_flow->heightForWidth(149), 20 + 10 + 30 + 10 + 20); // one item a line
    }

    void minimumIsTheWidestItemAndHiddenItemsTakeNoRoom()
    {
        QCOMPARE(m_flow->minimumSize(), QSize(100, 30));
        m_b->hide();
        QCOMPARE(m_flow->sizeHint(), QSize(100 + 10 + 60, 20));
        QCOMPARE(m_flow->heightForWidth(170), 20);
        QVERIFY(m_flow->hasHeightForWidth());
    }

    void marginsAreKept()
    {
        m_flow->setContentsMargins(5, 7, 5, 3);
        QCOMPARE(m_flow->minimumSize(), QSize(110, 40));
        QCOMPARE(m_flow->heightForWidth(270), 7 + 30 + 3);
        m_flow->setGeometry(QRect(0, 0, 270, 40));
        QCOMPARE(m_a->geometry(), QRect(5, 12, 100, 20));
    }

    void togetherKeepsALabelWithItsControl()
    {
        auto* label = new QWidget;
        label->setFixedSize(40, 20);
        auto* field = new QWidget;
        field->setFixedSize(50, 20);
        QWidget* pair = FlowLayout::together({label, field});
        QCOMPARE(label->parentWidget(), pair);
        QCOMPARE(field->parentWidget(), pair);
        QVERIFY(pair->minimumSizeHint().width() >= 90);
        delete pair;
    }
};

QTEST_MAIN(FlowLayoutTest)
#include "flow_layout_test.moc"
