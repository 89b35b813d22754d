// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace featscale::ui {

/// A strip over the plots on a first start with no trained weights anywhere: the default weights
/// are untrained, the ParseNet gap needs trained ones; buttons fetch VGG16 (ImageNet) or SSD300
/// (COCO) through the "Get trained weights" dialog, or open that dialog. Non-modal; it never
/// downloads by itself. Hidden by its close button or once trained weights are loaded.
class UntrainedBanner : public QFrame {
    Q_OBJECT
public:
    explicit UntrainedBanner(QWidget* parent = nullptr);

    /// True when no weight file that may be trained is known: nothing opened before, nothing in
    /// the PyTorch/Keras caches except files whose hash shows they are not what their name says.
    /// Cheap (reads no weight file).
    static bool noTrainedWeightsAnywhere();

Q_SIGNALS:
    void downloadRequested(const QString& catalogName);
    void moreRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QLabel* m_text;
    QPushButton* m_vgg;
    QPushButton* m_ssd;
    QPushButton* m_more;
    QToolButton* m_close;
};

} // namespace featscale::ui
