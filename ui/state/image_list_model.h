// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QHash>

namespace featscale::ui {

class AppModel;

/// Qt item model over AppModel's image list for the images panel: name, state line, thumbnail,
/// tool tip with the full path and the failure reason. Holds no data of its own.
class ImageListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, StateRole, ErrorRole };

    explicit ImageListModel(AppModel* model, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    /// The file name, with its folder when another image in the list has the same name.
    QString displayName(int row) const;

private:
    void countNames();

    AppModel* m_model;
    QHash<QString, int> m_nameCounts; ///< images per file name
};

} // namespace featscale::ui
