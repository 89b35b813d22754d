// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QHash>

#include <cstddef>

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
    /// Images per file name, keyed by the name's hash: counted on every change of a list of up to
    /// millions, without a copy of each name. Two names of one hash (a chance of about 1e-8 in a
    /// million) would only show their folders as if they were the same name.
    QHash<std::size_t, int> m_nameCounts;
};

} // namespace featscale::ui
