"""The hits of a search as a Qt table model (one row per hit, the snippet in its own column)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from archivist.core.dates import humanize
from archivist.gui.icons import padlock_icon
from archivist.gui.text import alignment

COL_REF, COL_TITLE, COL_DATE, COL_SNIPPET = range(4)
HEADERS = ("Reference", "Title", "Date", "Match")
HitRole = Qt.ItemDataRole.UserRole
RecordIdRole = Qt.ItemDataRole.UserRole + 1


class SearchResultsModel(QAbstractTableModel):
    """Rows are :class:`~archivist.store.search.Hit` values.

    Restricted records carry the record table's padlock icon before the title and a tooltip;
    hits found only through transliteration are shown in italics. Dates are shown for people
    ("April 1994 onwards"), the EDTF expression in the date's tooltip. The snippet's matched
    words are in the tooltip as bold HTML.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list = []

    def set_hits(self, hits: list) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int):
        """The hit of a row."""
        return self._hits[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_REF:
                return hit.reference_code or ""
            if col == COL_TITLE:
                return hit.title
            if col == COL_DATE:
                return humanize(hit.date) if hit.date else ""
            if col == COL_SNIPPET:
                return hit.snippet
        if role == Qt.ItemDataRole.DecorationRole and col == COL_TITLE and hit.restricted:
            return padlock_icon()
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_DATE:
            return hit.date or None
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = []
            if hit.restricted:
                notes.append("<i>Restricted: access is not open.</i>")
            if not hit.exact:
                notes.append("<i>Found through transliteration of a name.</i>")
            snippet = _html(hit.snippet, hit.highlights)
            return "<br>".join(notes + ([snippet] if snippet else [])) or None
        if role == Qt.ItemDataRole.FontRole and not hit.exact:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and hit.restricted and col == COL_TITLE:
            return QColor("#a04000")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_TITLE, COL_SNIPPET):
            return alignment(hit.title if col == COL_TITLE else hit.snippet)
        if role == HitRole:
            return hit
        if role == RecordIdRole:
            return hit.id
        return None


def _html(text: str, spans: list[tuple[int, int]]) -> str:
    from html import escape
    out, last = [], 0
    for a, b in spans:
        out.append(escape(text[last:a]) + "<b>" + escape(text[a:b]) + "</b>")
        last = b
    return "".join(out) + escape(text[last:])
