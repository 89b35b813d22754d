// SPDX-License-Identifier: GPL-3.0-or-later
// Nothing lost on the way out: the title carries a modified mark for unsaved session changes
// (images, settings, gamma), closing asks Save / Discard / Cancel, and Clear and Remove of images
// are undo steps that bring the images back with their results.
#include "ui/jobs/batch_controller.h"
#include "ui/jobs/batch_status.h"
#include "ui/panels/image_view.h"
#include "ui/panels/images_panel.h"
#include "ui/plots/color_bar.h"
#include "ui/state/app_model.h"
#include "ui/state/session.h"
#include "ui/state/session_controller.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

#include <QAbstractButton>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <functional>
#include <memory>
#include <vector>

using namespace featscale;
using namespace featscale::ui;

namespace {
/// Answers the window's unsaved-changes question with `button` as soon as it shows.
void answerWhenAsked(MainWindow& window, QMessageBox::StandardButton button, bool* asked)
{
    auto* timer = new QTimer(&window);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, &window, [&window, button, asked, timer] {
        auto* box = window.findChild<QMessageBox*>("unsavedChanges");
        if (!box || !box->isVisible())
            return;
        timer->stop();
        timer->deleteLater();
        *asked = true;
        box->button(button)->click();
    });
    timer->start();
}
} // namespace

class UnsavedChangesTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() { test::isolateSettings(); }

    void startingIsNoChangeAndEditsAre()
    {
        MainWindow window;
        window.show();
        window.start();
        QVERIFY(test::waitForIdle(window));
        QVERIFY(window.windowTitle().contains("[*]"));
        QVERIFY(!window.isWindowModified()); // samples and the first engine are no edits
        QVERIFY(!window.sessions()->isModified());

        // gamma edited: modified
        AppModel* m = window.model();
        m->setUniformGamma("conv4_3", 7.f);
        QVERIFY(window.isWindowModified());
        // saving clears the mark; a re-run with the same weights keeps it clear
        const QString path = m_tmp.filePath("a.featscale.json");
        QVERIFY(window.sessions()->save(path));
        QVERIFY(!window.isWindowModified());
        window.controller()->rerun();
        QVERIFY(test::waitForIdle(window));
        QVERIFY(!window.isWindowModified());
        // settings changed: modified
        auto o = m->options();
        o.size = analysis::parseSizeSpec("256");
        m->setOptions(o);
        QVERIFY(window.isWindowModified());
        // opening a session: clean again, also once its engine has loaded
        QVERIFY(test::openSession(*window.sessions(), path));
        QVERIFY(!window.isWindowModified());
        QVERIFY(test::waitForIdle(window));
        QVERIFY(!window.isWindowModified());
        QCOMPARE(m->gamma("conv4_3").front(), 7.f);
        // images removed: modified
        m->removeImages({0});
        QVERIFY(window.isWindowModified());
    }

    void closingAsksAndEachAnswerDoesWhatItSays()
    {
        MainWindow window;
        window.show();
        window.start();
        QVERIFY(test::waitForIdle(window));
        AppModel* m = window.model();
        const QString path = m_tmp.filePath("b.featscale.json");
        QVERIFY(window.sessions()->save(path));

        // unmodified: closes without asking
        {
            MainWindow quiet;
            quiet.show();
            QVERIFY(quiet.close());
        }

        m->setUniformGamma("conv4_3", 3.f);
        QVERIFY(window.isWindowModified());

        // Cancel: the window stays
        bool asked = false;
        answerWhenAsked(window, QMessageBox::Cancel, &asked);
        window.close();
        QTRY_VERIFY(asked);
        QTest::qWait(50);
        QVERIFY(window.isVisible());
        QVERIFY(window.isWindowModified());

        // Save: written to the session's file, then the window closes
        asked = false;
        answerWhenAsked(window, QMessageBox::Save, &asked);
        window.close();
        QTRY_VERIFY(asked);
        QTRY_VERIFY(!window.isVisible());
        const Session saved = Session::load(path);
        QCOMPARE(saved.gamma.at("conv4_3").front(), 3.f);

        // Discard: closes, nothing written
        MainWindow other;
        other.show();
        other.start();
        QVERIFY(test::waitForIdle(other));
        QVERIFY(test::openSession(*other.sessions(), path));
        QVERIFY(test::waitForIdle(other));
        other.model()->setUniformGamma("conv4_3", 9.f);
        asked = false;
        answerWhenAsked(other, QMessageBox::Discard, &asked);
        other.close();
        QTRY_VERIFY(asked);
        QTRY_VERIFY(!other.isVisible());
        QCOMPARE(Session::load(path).gamma.at("conv4_3").front(), 3.f);
    }

    void clearAndRemoveCanBeUndone()
    {
        MainWindow window;
        window.show();
        window.start();
        QVERIFY(test::waitForIdle(window));
        AppModel* m = window.model();
        const int n = m->imageCount();
        QVERIFY(n >= 3);
        std::vector<std::shared_ptr<const analysis::ImageResult>> results;
        QStringList paths;
        for (int i = 0; i < n; ++i) {
            results.push_back(m->image(i).result);
            paths << m->image(i).path;
        }
        QUndoStack* undo = window.imageUndoStack();
        ImagesPanel* panel = window.imagesPanel();

        // Remove (the Delete key's action) on the second image
        m->setCurrentIndex(1);
        panel->view()->selectionModel()->select(panel->view()->model()->index(1, 0),
                                                QItemSelectionModel::ClearAndSelect);
        panel->removeSelected();
        QCOMPARE(m->imageCount(), n - 1);
        QCOMPARE(m->indexOf(paths[1]), -1);
        QVERIFY(undo->canUndo());
        undo->undo();
        QCOMPARE(m->imageCount(), n);
        QCOMPARE(m->image(1).path, paths[1]);
        QCOMPARE(m->image(1).result, results[1]); // back with its numbers, not re-analysed
        QCOMPARE(toString(m->image(1).state), toString(ImageState::Done));
        QCOMPARE(m->currentIndex(), 1);

        // Clear: an empty state without stale numbers, then Undo brings everything back
        panel->clearAll();
        QCOMPARE(m->imageCount(), 0);
        QVERIFY(panel->emptyState()->isVisibleTo(panel));
        QVERIFY(!panel->summary()->isVisibleTo(panel));
        QCOMPARE(window.batchStatus()->progressText(), QString("no images"));
        QVERIFY(!window.imageView()->findChild<ColorBar*>()->isVisibleTo(window.imageView())); // no stale scale
        undo->undo();
        QCOMPARE(m->imageCount(), n);
        QVERIFY(!panel->emptyState()->isVisibleTo(panel));
        for (int i = 0; i < n; ++i) {
            QCOMPARE(m->image(i).path, paths[i]);
            QCOMPARE(m->image(i).result, results[static_cast<size_t>(i)]);
        }
        QCOMPARE(m->aggregate("conv4_3", Stage::Before).images, n);
        // the cache of the current image is rebuilt on demand; nothing is left waiting
        QVERIFY(test::waitForIdle(window));
        undo->redo();
        QCOMPARE(m->imageCount(), 0);
    }
};

QTEST_MAIN(UnsavedChangesTest)
#include "unsaved_changes_test.moc"
