"""The record table: holds only record ids and fetches the values of visible rows lazily.

Shaped after Anki's browser table model: the id list for a million records is one query of
integers; row values are fetched a page at a time when a view asks for them, and cached.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from archivist.core.changes import Changes
from archivist.gui.icons import padlock_icon
from archivist.gui.models.columns import COLUMNS
from archivist.gui.text import alignment
from archivist.store import views
from archivist.store.catalogue import Catalogue

MIME_RECORDS = "application/x-archivist-record-ids"
PAGE_SIZE = 120
CACHE_LIMIT = 6000
#: Up to this many records the whole id list is fetched at once; above it, in chunks on demand.
FULL_LIST_LIMIT = 100_000
CHUNK = 4096
CHUNK_LIMIT = 256

Index = QModelIndex | QPersistentModelIndex


def encode_ids(ids: list[int]) -> QMimeData:
    """Record ids as drag-and-drop data."""
    mime = QMimeData()
    mime.setData(MIME_RECORDS, json.dumps(ids).encode())
    return mime


def decode_ids(mime: QMimeData) -> list[int]:
    """Record ids from drag-and-drop data ([] when it carries none)."""
    if not mime.hasFormat(MIME_RECORDS):
        return []
    return [int(i) for i in json.loads(bytes(mime.data(MIME_RECORDS)).decode())]


class RecordTableModel(QAbstractTableModel):
    """Records of one unit (or of the whole catalogue, or a filter), one row each.

    Args:
        cat: the open catalogue.
        columns: keys of :data:`COLUMNS` to show, in order.
        thumbnails: optional callable ``(row dict) -> QIcon`` for the grid view's decoration.

    Signals:
        reloaded(): the id list was fetched again (scope, sort or structure changed).
    """

    SortRole = Qt.ItemDataRole.UserRole
    RecordIdRole = Qt.ItemDataRole.UserRole + 1
    reloaded = Signal()

    def __init__(self, cat: Catalogue, columns: list[str] | None = None,
                 thumbnails: Callable[[dict], Any] | None = None, parent=None, runner=None):
        super().__init__(parent)
        self.cat = cat
        self.runner = runner  # reads the full id list of very large scopes in the background
        self._generation = 0
        self.columns = [COLUMNS[k] for k in (columns or list(COLUMNS)) if k in COLUMNS]
        self.thumbnails = thumbnails
        self.parent_id: int | None = None
        self.everything = False
        self.text: str | None = None
        self.sort_key = "position"
        self.descending = False
        self._ids: list[int] | None = []
        self._chunks: dict[int, list[int]] = {}
        self._count = 0
        self._rows: dict[int, dict] = {}
        self._pos: dict[int, int] | None = None
        self.fetches = 0

    # scope ------------------------------------------------------------------------
    def set_scope(self, parent_id: int | None = None, *, everything: bool = False,
                  text: str | None = None) -> None:
        """Show the children of ``parent_id``, or every record, optionally filtered by text."""
        self.parent_id, self.everything, self.text = parent_id, everything, (text or None)
        self.reload()

    def reload(self) -> None:
        """Fetch the id list again (row values are fetched when shown).

        Up to :data:`FULL_LIST_LIMIT` records the whole list is read; above it only the count,
        and the ids come in chunks as rows are shown.
        """
        self.beginResetModel()
        self._load_ids()
        self._rows.clear()
        self.endResetModel()
        self.reloaded.emit()

    def _query(self, **extra) -> list[int]:
        return views.record_ids(self.cat, self.parent_id, everything=self.everything,
                                sort=self.sort_key, descending=self.descending, text=self.text,
                                **extra)

    def _load_ids(self) -> None:
        self._count = views.count_ids(self.cat, self.parent_id, everything=self.everything,
                                      text=self.text)
        self._chunks = {}
        self._pos = None
        self._generation += 1
        self._ids = self._query() if self._count <= FULL_LIST_LIMIT else None
        if self._ids is not None:
            self._count = len(self._ids)
        elif self.runner is not None:
            self._read_all_in_background()

    def _read_all_in_background(self) -> None:
        generation = self._generation
        scope = dict(parent_id=self.parent_id, everything=self.everything, sort=self.sort_key,
                     descending=self.descending, text=self.text)

        def op(cat, progress, cancelled) -> list[int]:
            return views.record_ids(cat, **scope)

        def arrived(ids: list[int]) -> None:
            if generation == self._generation and len(ids) == self._count:
                self._ids, self._chunks, self._pos = ids, {}, None

        self.runner.run(op, label="Reading the record list", on_success=arrived)

    @property
    def chunked(self) -> bool:
        """Whether ids are fetched in chunks (a very large scope)."""
        return self._ids is None

    def _id_at(self, row: int) -> int | None:
        if self._ids is not None:
            return self._ids[row]
        k, offset = divmod(row, CHUNK)
        chunk = self._chunks.get(k)
        if chunk is None:
            if len(self._chunks) >= CHUNK_LIMIT:
                self._chunks.clear()
            chunk = self._chunks[k] = self._query(limit=CHUNK, offset=k * CHUNK)
        return chunk[offset] if offset < len(chunk) else None

    def set_columns(self, keys: list[str]) -> None:
        """Show these columns, in this order."""
        self.beginResetModel()
        self.columns = [COLUMNS[k] for k in keys if k in COLUMNS]
        self.endResetModel()

    def column_keys(self) -> list[str]:
        """Keys of the visible columns."""
        return [c.key for c in self.columns]

    # ids --------------------------------------------------------------------------
    def ids(self) -> list[int]:
        """Record ids in display order (all of them: avoid on very large scopes)."""
        return list(self._ids) if self._ids is not None else self._query()

    def record_id(self, row: int) -> int:
        """The record id shown at ``row``."""
        rid = self._id_at(row)
        if rid is None:
            raise IndexError(f"no record at row {row}")
        return rid

    def row_of(self, record_id: int) -> int | None:
        """The row showing ``record_id``, or None (in chunked mode: only among loaded rows)."""
        if self._pos is None:
            if self._ids is not None:
                self._pos = {rid: i for i, rid in enumerate(self._ids)}
            else:
                self._pos = {rid: k * CHUNK + i for k, chunk in self._chunks.items()
                             for i, rid in enumerate(chunk)}
        row = self._pos.get(record_id)
        if row is None and self._ids is None:
            self._pos = None  # chunks may load later
        return row

    def row_values(self, row: int) -> dict | None:
        """The values of one row (fetching its page if needed); None if it vanished."""
        rid = self._id_at(row)
        if rid is None:
            return None
        values = self._rows.get(rid)
        if values is None:
            self._fetch_page(row)
            values = self._rows.get(rid)
        return values

    def _fetch_page(self, row: int) -> None:
        if len(self._rows) > CACHE_LIMIT:
            self._rows.clear()
        start = max(0, row - PAGE_SIZE // 4)
        page = [self._id_at(i) for i in range(start, min(start + PAGE_SIZE, self._count))]
        page = [i for i in page if i is not None and i not in self._rows]
        self._rows.update(views.record_rows(self.cat, page))
        self.fetches += 1

    # Qt API -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return self.columns[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._count):
            return None
        if role == self.RecordIdRole:
            return self._id_at(index.row())
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.DecorationRole,
                        self.SortRole):
            return None
        values = self.row_values(index.row())
        if values is None:
            return None
        column = self.columns[index.column()]
        restricted = values.get("access", "open") != "open"
        if role == Qt.ItemDataRole.DecorationRole:
            if self.thumbnails is not None and column.key == "title":
                return self.thumbnails(values)
            if restricted and column.key == "reference_code":
                return padlock_icon()
            return None
        if role == Qt.ItemDataRole.ToolTipRole and restricted and column.key == "reference_code":
            return f"Access {values['access']}: left out of public views and exports"
        rendered = values.setdefault("_text", {})  # cached per row: alignment needs it too
        text = rendered.get(column.key)
        if text is None:
            text = rendered[column.key] = column.render(values)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(text)
        if role == Qt.ItemDataRole.ToolTipRole and column.key != "title":
            return None
        return text

    _FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)):
            return
        self.sort_key = self.columns[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def mimeTypes(self) -> list[str]:
        return [MIME_RECORDS]

    def mimeData(self, indexes) -> QMimeData:
        ids = []
        for index in indexes:
            rid = self._id_at(index.row())
            if rid is not None and rid not in ids:
                ids.append(rid)
        return encode_ids(ids)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    # changes ----------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """Refresh after a committed change: the id list on structure changes, else the rows."""
        if changes.structure:
            self.reload()
            return
        for rid in changes.records:
            if rid in self._rows:
                del self._rows[rid]
                row = self.row_of(rid)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        if changes.media and self.thumbnails is not None:
            for rid in changes.media:
                self._rows.pop(rid, None)
