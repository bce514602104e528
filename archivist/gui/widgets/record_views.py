"""The middle of the window: the record table (columns chosen by the user) and the thumbnail grid."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListView, QMenu, QTableView

from archivist.core.levels import LEVEL_LABELS
from archivist.gui.models.columns import COLUMNS
from archivist.gui.models.record_table import RecordTableModel
from archivist.core.errors import BadFile
from archivist.media.derivatives import PageRef, cache_path, ensure_derivative
from archivist.store.pages import file_path
from archivist.store.catalogue import Catalogue

ROW_HEIGHT = 22
THUMB = 96


class RecordTableView(QTableView):
    """The record table: fixed row heights, no resize-to-contents, a header menu to pick columns.

    Signals:
        columns_changed(list): the visible column keys changed.
    """

    columns_changed = Signal(list)

    def __init__(self, model: RecordTableModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.table_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)  # by the indicator: none until the user clicks a header
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        model.modelReset.connect(self.apply_widths)
        self.apply_widths()

    def apply_widths(self) -> None:
        """Give each column its default width (never resize-to-contents: it reads every row)."""
        for i, column in enumerate(self.table_model.columns):
            self.setColumnWidth(i, column.width)

    def _column_menu(self, pos) -> None:
        menu = QMenu(self)
        shown = self.table_model.column_keys()
        for key, column in COLUMNS.items():
            action = menu.addAction(column.label)
            action.setCheckable(True)
            action.setChecked(key in shown)
            action.setEnabled(key != "title")
            action.toggled.connect(lambda on, k=key: self.toggle_column(k, on))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def toggle_column(self, key: str, on: bool) -> None:
        """Show or hide a column."""
        keys = [k for k in self.table_model.column_keys() if k != key]
        if on:
            order = list(COLUMNS)
            keys.append(key)
            keys.sort(key=order.index)
        sort_key, descending = self.table_model.sort_key, self.table_model.descending
        self.horizontalHeader().blockSignals(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table_model.set_columns(keys)
        section = next((i for i, c in enumerate(self.table_model.columns) if c.sort == sort_key), -1)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.horizontalHeader().setSortIndicator(section, order)
        self.horizontalHeader().blockSignals(False)
        self.columns_changed.emit(keys)

    def selected_ids(self) -> list[int]:
        """Ids of the selected records, in row order."""
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        return [self.table_model.record_id(r) for r in rows]


def make_thumbnails(refs: list[tuple[str, int, str]]):
    """A background operation making the thumbnails of ``refs`` ((sha256, page, ext) each).

    Returns:
        The refs that could not be decoded.
    """
    def op(cat, progress, cancelled) -> list:
        failed = []
        for done, (sha, index, ext) in enumerate(refs):
            if cancelled():
                break
            try:
                ensure_derivative(PageRef(file_path(cat, sha, ext), sha, index), cat.cache_dir, "thumb")
            except (BadFile, OSError):
                failed.append((sha, index, ext))
            progress(done + 1, len(refs))
        return failed
    return op


class Thumbnails:
    """Icons for the grid: the first page's cached thumbnail, or a placeholder naming the level.

    Args:
        cat: the open catalogue.
        request: called with the refs of thumbnails that are missing from the cache, so the
            window can make them in the background (nothing is decoded on the GUI thread).
    """

    def __init__(self, cat: Catalogue, size: int = THUMB, request=None):
        self.cat, self.size = cat, size
        self.request = request
        self._icons: dict[Any, QIcon] = {}
        self.asked: set[tuple] = set()

    def icon(self, row: dict) -> QIcon:
        """The icon for a row of the record table."""
        thumb = row.get("thumb")
        if thumb:
            path = cache_path(self.cat.cache_dir, thumb[0], thumb[1], "thumb")
            if path.exists():
                key = str(path)
                if key not in self._icons:
                    if len(self._icons) > 2000:
                        self._icons.clear()
                    self._icons[key] = QIcon(str(path))
                return self._icons[key]
            if self.request is not None and tuple(thumb) not in self.asked:
                self.asked.add(tuple(thumb))
                self.request(tuple(thumb))
        return self.placeholder(row.get("level") or "", bool(thumb))

    def placeholder(self, level: str, has_pages: bool) -> QIcon:
        """A grey card with the level's name ("scan pending" when pages exist but no thumbnail)."""
        key = (level, has_pages)
        if key not in self._icons:
            pix = QPixmap(self.size, self.size)
            pix.fill(QColor("#e8e8e8"))
            painter = QPainter(pix)
            painter.setPen(QColor("#777"))
            font = QFont()
            font.setPointSize(9)
            painter.setFont(font)
            text = LEVEL_LABELS.get(level, level) + ("\n(scan pending)" if has_pages else "\nno scan")
            painter.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, text)
            painter.end()
            self._icons[key] = QIcon(pix)
        return self._icons[key]


class ThumbnailProxy(QIdentityProxyModel):
    """The record table model with a thumbnail as the title column's decoration."""

    def __init__(self, source: RecordTableModel, thumbnails: Thumbnails, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.thumbnails = thumbnails

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and index.isValid():
            source: RecordTableModel = self.sourceModel()
            values = source.row_values(index.row())
            return self.thumbnails.icon(values) if values is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        return super().data(index, role)


class ThumbnailGrid(QListView):
    """The same records as the table, as a grid of thumbnails with titles."""

    def __init__(self, model: RecordTableModel, thumbnails: Thumbnails, parent=None):
        super().__init__(parent)
        self.table_model = model
        self.proxy = ThumbnailProxy(model, thumbnails, self)
        self.setModel(self.proxy)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)  # large scopes lay out a batch at a time
        self.setBatchSize(500)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 64, THUMB + 40))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self._sync_column()
        model.modelReset.connect(self._sync_column)

    def _sync_column(self) -> None:
        keys = self.table_model.column_keys()
        self.setModelColumn(keys.index("title") if "title" in keys else 0)

    def selected_ids(self) -> list[int]:
        """Ids of the selected records, in row order."""
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [self.table_model.record_id(r) for r in rows]
