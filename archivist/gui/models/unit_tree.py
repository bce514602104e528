"""The hierarchy tree: fonds, series and files, children fetched when a node is expanded.

Items (the lowest level) are not shown here; they appear in the record table. Dropping records
on a node asks for a move through :attr:`UnitTreeModel.move_requested`; the model never writes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from archivist.core.levels import LEVEL_LABELS
from archivist.gui.text import alignment
from archivist.gui.models.record_table import MIME_RECORDS, decode_ids, encode_ids
from archivist.store import hierarchy, records, views
from archivist.store.catalogue import Catalogue

ROOT = 0
Index = QModelIndex | QPersistentModelIndex


class _Node:
    __slots__ = ("id", "parent", "title", "level", "code", "has_units", "children")

    def __init__(self, id: int, parent: int | None, title="", level="", code=None, has_units=True):
        self.id, self.parent, self.title, self.level = id, parent, title, level
        self.code, self.has_units = code, has_units
        self.children: list[int] | None = None


class UnitTreeModel(QAbstractItemModel):
    """Units of description as a lazily loaded tree.

    Signals:
        move_requested(list, object, object): record ids dropped on a unit, with the new parent id
            (None: top level) and position among its children (None: last).
    """

    RecordIdRole = Qt.ItemDataRole.UserRole + 1
    move_requested = Signal(list, object, object)

    def __init__(self, cat: Catalogue, parent=None):
        super().__init__(parent)
        self.cat = cat
        self._nodes: dict[int, _Node] = {}
        self._reset_nodes()

    def _reset_nodes(self) -> None:
        self._nodes = {ROOT: _Node(ROOT, None)}
        self._ensure(self._nodes[ROOT])

    def reload(self) -> None:
        """Forget everything loaded; views re-expand what they need."""
        self.beginResetModel()
        self._reset_nodes()
        self.endResetModel()

    def loaded_ids(self) -> list[int]:
        """Ids of the units loaded so far (parents before children)."""
        return [rid for rid in self._nodes if rid != ROOT]

    def loaded_index(self, record_id: int) -> QModelIndex:
        """The index of a unit already loaded (no queries); invalid when it is not loaded."""
        node = self._nodes.get(record_id)
        if node is None or record_id == ROOT:
            return QModelIndex()
        parent = self._nodes.get(node.parent if node.parent is not None else ROOT)
        if parent is None or parent.children is None or record_id not in parent.children:
            return QModelIndex()
        return self.createIndex(parent.children.index(record_id), 0, record_id)

    def refresh_records(self, ids) -> None:
        """Re-read the titles and codes of loaded units among ``ids`` (after an edit)."""
        loaded = [i for i in ids if i in self._nodes and i != ROOT]
        for rid, row in views.record_rows(self.cat, loaded).items():
            node = self._nodes[rid]
            node.title, node.code = row["title"], row["reference_code"]
            index = self.loaded_index(rid)
            if index.isValid():
                self.dataChanged.emit(index, index)

    def _node(self, index: Index) -> _Node:
        return self._nodes[index.internalId()] if index.isValid() else self._nodes[ROOT]

    def _load(self, node: _Node) -> list[dict]:
        return views.unit_children(self.cat, None if node.id == ROOT else node.id)

    def _ensure(self, node: _Node) -> None:
        if node.children is None:
            rows = self._load(node)
            for r in rows:
                self._nodes[r["id"]] = _Node(r["id"], node.id, r["title"], r["level"],
                                             r["reference_code"], r["has_units"])
            node.children = [r["id"] for r in rows]

    # Qt API ----------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or node.children is None or not (0 <= row < len(node.children)):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._nodes[index.internalId()]
        if node.parent in (None, ROOT):
            return QModelIndex()
        parent = self._nodes[node.parent]
        grand = self._nodes[parent.parent if parent.parent is not None else ROOT]
        return self.createIndex(grand.children.index(parent.id), 0, parent.id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        node = self._node(parent)
        return len(node.children) if node.children is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        node = self._node(parent)
        return node.has_units if node.children is None else bool(node.children)

    def canFetchMore(self, parent: Index) -> bool:
        node = self._node(parent)
        return node.children is None and node.has_units

    def fetchMore(self, parent: Index) -> None:
        node = self._node(parent)
        if node.children is not None:
            return
        rows = self._load(node)
        if not rows:
            node.children = []
            return
        self.beginInsertRows(parent, 0, len(rows) - 1)
        for r in rows:
            self._nodes[r["id"]] = _Node(r["id"], node.id, r["title"], r["level"],
                                         r["reference_code"], r["has_units"])
        node.children = [r["id"] for r in rows]
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        if role == Qt.ItemDataRole.DisplayRole:
            return node.title
        if role == Qt.ItemDataRole.ToolTipRole:
            code = f" ({node.code})" if node.code else ""
            return f"{LEVEL_LABELS.get(node.level, node.level)}{code}: {node.title}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(node.title)
        if role == self.RecordIdRole:
            return node.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    # lookup ----------------------------------------------------------------------------
    def index_of(self, record_id: int) -> QModelIndex:
        """The index of a unit, loading its ancestors; invalid when it is not in the tree."""
        path = list(reversed(hierarchy.ancestors(self.cat, record_id))) + [record_id]
        parent = QModelIndex()
        for rid in path:
            node = self._node(parent)
            if node.children is None:
                self.fetchMore(parent)
            if rid not in (node.children or []):
                return QModelIndex()
            parent = self.createIndex(node.children.index(rid), 0, rid)
        return parent

    # drag and drop ---------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [MIME_RECORDS]

    def mimeData(self, indexes) -> QMimeData:
        return encode_ids([i.internalId() for i in indexes if i.isValid()])

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return bool(decode_ids(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        ids = decode_ids(data)
        if not ids or action == Qt.DropAction.IgnoreAction:
            return False
        node = self._node(parent)
        new_parent = None if node.id == ROOT else node.id
        position = None
        if row >= 0:
            # rows count units only; translate to a position among all children
            self._ensure(node)
            if row < len(node.children or []):
                target = node.children[row]
                position = records.get_record(self.cat, target).position
        self.move_requested.emit(ids, new_parent, position)
        return False  # the move happens through the undo stack; views refresh on the change

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:
        return False
