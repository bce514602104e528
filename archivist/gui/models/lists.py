"""Small list models: the trash, authority records, a record's audit history.

Vorta-style: rows are loaded whole with ``reload()`` (these lists are short), columns are class
constants, and ``IdRole`` gives the row's entity id.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from archivist.core.errors import ArchivistError
from archivist.core.model import RELATION_LABELS, ROLE_LABELS
from archivist.gui.text import alignment
from archivist.store import audit, authorities, trash, views
from archivist.store.catalogue import Catalogue

Index = QModelIndex | QPersistentModelIndex


class _RowsModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, cat: Catalogue, parent=None):
        super().__init__(parent)
        self.cat = cat
        self._rows: list[tuple] = []  # (id, col0, col1, ...)

    def fetch(self) -> list[tuple]:  # pragma: no cover - abstract
        raise NotImplementedError

    def reload(self) -> None:
        """Read the rows again."""
        self.beginResetModel()
        self._rows = self.fetch()
        self.endResetModel()

    def row_id(self, row: int) -> int:
        """The entity id of ``row``."""
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == self.IdRole:
            return row[0]
        value = row[index.column() + 1]
        text = "" if value is None else str(value)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(text)
        return None


class TrashTableModel(_RowsModel):
    """Records trashed directly (what was trashed with them comes back with them)."""

    HEADERS = ("Title", "Reference code", "Trashed")

    def fetch(self) -> list[tuple]:
        return [(rid, title, code, (at or "").replace("T", " ")[:16])
                for rid, title, code, at in trash.list_trash(self.cat)]


class AuthorityTableModel(_RowsModel):
    """Authority records of one kind (or all), with their variant names."""

    HEADERS = ("Name", "Kind", "Variants")

    def __init__(self, cat: Catalogue, kind: str | None = None, parent=None):
        super().__init__(cat, parent)
        self.kind = kind
        self.text = ""

    def set_filter(self, kind: str | None = None, text: str = "") -> None:
        """Show one kind (None: all) whose names contain ``text``."""
        self.kind, self.text = kind, text
        self.reload()

    def fetch(self) -> list[tuple]:
        if self.text:
            found = authorities.find_authorities(self.cat, self.text, self.kind, limit=500)
        else:
            found = authorities.list_authorities(self.cat, self.kind)
        return [(a.id, a.name, a.kind, " · ".join(v["name"] for v in a.variants)) for a in found]


class LinkedRecordsModel(_RowsModel):
    """Every live record linked to one authority, with the role."""

    HEADERS = ("Reference code", "Title", "Role")

    def __init__(self, cat: Catalogue, parent=None):
        super().__init__(cat, parent)
        self.authority_id: int | None = None

    def set_authority(self, authority_id: int | None) -> None:
        """Show the records linked to ``authority_id``."""
        self.authority_id = authority_id
        self.reload()

    def fetch(self) -> list[tuple]:
        if self.authority_id is None:
            return []
        pairs = authorities.linked_record_ids(self.cat, self.authority_id)
        rows = views.record_rows(self.cat, list({rid for rid, _ in pairs}))
        return [(rid, rows[rid]["reference_code"], rows[rid]["title"], ROLE_LABELS.get(role, role))
                for rid, role in pairs]


ACTION_WORDS = {"create": "Created", "trash": "Moved to the trash", "restore": "Restored",
                "move": "Moved", "purge": "Purged", "add_page": "Page added"}


def _short(value) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(v if isinstance(v, str) else "/".join(map(str, v)) for v in value)
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return text if len(text) < 60 else text[:57] + "…"


def describe_change(cat: Catalogue, ch: audit.Change) -> str:
    """A short reading of an audit row: "title: 'Old' → 'New'", "Linked Sender: Karimi, Ahmad"."""
    if ch.action == "update":
        return f"{ch.field}: {_short(ch.old)!r} → {_short(ch.new)!r}"
    detail = ch.new if isinstance(ch.new, dict) else ch.old if isinstance(ch.old, dict) else {}
    if ch.action in ("link", "unlink") and "authority_id" in detail:
        try:
            name = authorities.get_authority(cat, detail["authority_id"]).name
        except ArchivistError:
            name = detail.get("authority", "?")
        verb = "Linked" if ch.action == "link" else "Unlinked"
        return f"{verb} {ROLE_LABELS.get(ch.field, ch.field).lower()}: {name}"
    if ch.action in ("relate", "unrelate") and "target_id" in detail:
        row = views.record_rows(cat, [detail["target_id"]]).get(detail["target_id"])
        title = row["title"] if row else detail.get("target", "?")
        verb = "Related" if ch.action == "relate" else "Unrelated"
        return f"{verb} ({RELATION_LABELS.get(ch.field, ch.field).lower()}): {_short(title)}"
    return ACTION_WORDS.get(ch.action, ch.action.replace("_", " ").capitalize())


class HistoryTableModel(_RowsModel):
    """The audit log of one record, newest first."""

    HEADERS = ("When", "Who", "Change")

    def __init__(self, cat: Catalogue, parent=None):
        super().__init__(cat, parent)
        self.record_id: int | None = None

    def set_record(self, record_id: int | None) -> None:
        """Show the history of ``record_id``."""
        self.record_id = record_id
        self.reload()

    def fetch(self) -> list[tuple]:
        if self.record_id is None:
            return []
        return [(ch.id, ch.at.replace("T", " ")[:16], ch.user, describe_change(self.cat, ch))
                for ch in audit.list_changes(self.cat, self.record_id, limit=500)]
