"""Facets with counts; ticking values narrows the search."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from archivist.store.search_facets import FACETS

FACET_LABELS = {"type": "Type", "level": "Level", "decade": "Decade", "year": "Year",
                "lang": "Language", "person": "Person", "org": "Organisation", "place": "Place",
                "tag": "Tag", "series": "Series"}
ValueRole = Qt.ItemDataRole.UserRole
FacetRole = Qt.ItemDataRole.UserRole + 1


class FacetPanel(QTreeWidget):
    """A tree: one branch per facet, one checkable leaf per value ("Letter (12)").

    Values stay ticked across refreshes while they still occur (or are ticked). Values of one
    facet are OR-ed, facets are AND-ed (see ``search(selected=...)``).

    Signals:
        selection_changed(dict): facet → list of ticked values.
    """

    selection_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self._selected: dict[str, list[str]] = {}
        self._updating = False
        self.itemChanged.connect(self._on_item_changed)

    def selected(self) -> dict[str, list[str]]:
        """The ticked values by facet."""
        return {k: list(v) for k, v in self._selected.items() if v}

    def clear_selection(self) -> None:
        """Untick everything (without emitting)."""
        self._selected = {}
        self._updating = True
        try:
            for i in range(self.topLevelItemCount()):
                top = self.topLevelItem(i)
                for j in range(top.childCount()):
                    top.child(j).setCheckState(0, Qt.CheckState.Unchecked)
        finally:
            self._updating = False

    def set_facets(self, facets: dict | None, exact: bool = True) -> None:
        """Show the counts of a search result (``SearchResult.facets``)."""
        self._updating = True
        try:
            self.clear()
            for name in FACETS:
                values = list((facets or {}).get(name, []))
                if name == "year":
                    continue  # the timeline shows years
                ticked = set(self._selected.get(name, []))
                shown = {v.value for v in values}
                if not values and not ticked:
                    continue
                top = QTreeWidgetItem([FACET_LABELS.get(name, name)])
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
                top.setData(0, FacetRole, name)
                self.addTopLevelItem(top)
                approx = "" if exact else "~"
                for v in values:
                    self._leaf(top, name, v.value, f"{v.label} ({approx}{v.count})", v.value in ticked)
                for value in sorted(ticked - shown):
                    self._leaf(top, name, value, f"{value} (0)", True)
                top.setExpanded(True)
        finally:
            self._updating = False

    def _leaf(self, top, facet: str, value: str, text: str, checked: bool) -> None:
        item = QTreeWidgetItem([text])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(0, ValueRole, value)
        item.setData(0, FacetRole, facet)
        top.addChild(item)

    def leaf(self, facet: str, value: str) -> QTreeWidgetItem | None:
        """The item of one facet value (for tests and keyboard navigation)."""
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            for j in range(top.childCount()):
                item = top.child(j)
                if item.data(0, FacetRole) == facet and item.data(0, ValueRole) == value:
                    return item
        return None

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._updating or item.parent() is None:
            return
        facet, value = item.data(0, FacetRole), item.data(0, ValueRole)
        values = self._selected.setdefault(facet, [])
        if item.checkState(0) == Qt.CheckState.Checked and value not in values:
            values.append(value)
        elif item.checkState(0) != Qt.CheckState.Checked and value in values:
            values.remove(value)
        # Queued: a new search rebuilds this tree, and must not delete ``item`` while Qt is
        # still inside its setData (that crashed inside Qt).
        QTimer.singleShot(0, self, lambda: self.selection_changed.emit(self.selected()))
