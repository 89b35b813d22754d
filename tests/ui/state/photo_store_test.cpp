// SPDX-License-Identifier: GPL-3.0-or-later
// PhotoStore: each image of the list is decoded once for thumbnail, photo and size; the size is
// the engine's decoder's; browsing decodes nothing again while photos fit the cache; an evicted
// photo is decoded again when shown; a file that cannot be decoded shows its error.
#include "ui/panels/image_view.h"
#include "ui/state/app_model.h"
#include "ui/state/photo_store.h"

#include "analysis/images/preprocess.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace featscale::ui;
namespace an = featscale::analysis;

namespace {
QStringList samplePhotos()
{
    QStringList paths;
    const QDir dir(QStringLiteral(FEATSCALE_SAMPLES));
    for (const QString& name : dir.entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name))
        paths << dir.filePath(name);
    return paths;
}
} // namespace

class PhotoStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneDecodePerImageForThumbnailPhotoAndSize()
    {
        AppModel model;
        PhotoStore store(&model);
        ImageView view(&model, &store);
        const QStringList paths = samplePhotos();
        QVERIFY(paths.size() >= 2);
        model.addImages(paths);
        QTRY_COMPARE_WITH_TIMEOUT(store.pending(), 0, 30000);
        QCOMPARE(store.decodes(), paths.size());
        for (int i = 0; i < model.imageCount(); ++i) {
            const ImageEntry& e = model.image(i);
            QVERIFY(!e.thumbnail.isNull());
            QVERIFY(e.thumbnail.width() <= PhotoStore::kThumbnailSide &&
                    e.thumbnail.height() <= PhotoStore::kThumbnailSide);
            // the size every cell mapping uses is what the engine's decoder makes of the file
            const an::DecodedImage d = an::decodeImage(QFile::encodeName(e.path).toStdString());
            QCOMPARE(e.imageSize, QSize(d.width, d.height));
            model.setCurrentIndex(i);
            QTRY_VERIFY_WITH_TIMEOUT(view.photoLoaded(), 10000);
            QCOMPARE(store.photo(e.path).size(), QSize(d.width, d.height).boundedTo(QSize(4096, 4096)));
        }
        QCOMPARE(store.decodes(), paths.size()); // browsing every photo decoded nothing again
    }

    void anEvictedPhotoIsDecodedAgainWhenShown()
    {
        AppModel model;
        PhotoStore store(&model, nullptr, /*budgetBytes=*/1); // room for the newest photo only
        ImageView view(&model, &store);
        const QStringList paths = samplePhotos();
        model.addImages(paths);
        QTRY_COMPARE_WITH_TIMEOUT(store.pending(), 0, 30000);
        QCOMPARE(store.decodes(), paths.size());
        int cached = 0;
        for (const QString& p : paths)
            cached += !store.photo(p).isNull();
        QCOMPARE(cached, 1);
        // show a photo that was evicted: one more decode, then it is on screen
        int evicted = -1;
        for (int i = 0; i < paths.size() && evicted < 0; ++i)
            if (i != model.currentIndex() && store.photo(paths[i]).isNull())
                evicted = i;
        QVERIFY(evicted >= 0);
        model.setCurrentIndex(evicted);
        QTRY_VERIFY_WITH_TIMEOUT(view.photoLoaded(), 10000);
        QCOMPARE(store.decodes(), paths.size() + 1);
        QVERIFY(store.cachedBytes() <= static_cast<std::size_t>(store.photo(paths[evicted]).sizeInBytes()));
    }

    void aFileThatCannotBeDecodedKeepsItsError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("not-a-photo.jpg"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is text, not a JPEG");
        f.close();
        AppModel model;
        PhotoStore store(&model);
        model.addImages({path});
        QTRY_COMPARE_WITH_TIMEOUT(store.pending(), 0, 10000);
        QVERIFY(store.photo(path).isNull());
        QVERIFY2(store.error(path).contains(QStringLiteral("not-a-photo.jpg")), qPrintable(store.error(path)));
        QVERIFY(model.image(0).thumbnail.isNull());
    }
};

QTEST_MAIN(PhotoStoreTest)
#include "photo_store_test.moc"
