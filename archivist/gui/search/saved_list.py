"""The saved searches of the catalogue, for the sidebar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QInputDialog, QListWidget, QListWidgetItem, QMenu, QWidget

from archivist.core.errors import ArchivistError
from archivist.store.search_saved import (delete_saved_search, list_saved_searches,
                                          rename_saved_search, save_search)

QueryRole = Qt.ItemDataRole.UserRole
IdRole = Qt.ItemDataRole.UserRole + 1


class SavedSearchList(QListWidget):
    """A list of saved searches; activating one emits its query.

    The context menu renames or deletes; :meth:`save` stores a query under a name.

    Signals:
        search_activated(str): the query of the activated saved search.
        error(object): an expected error from the store (an :class:`ArchivistError`).
    """

    search_activated = Signal(str)
    error = Signal(object)

    def __init__(self, cat, parent: QWidget | None = None):
        super().__init__(parent)
        self.cat = cat
        self.itemActivated.connect(lambda item: self.search_activated.emit(item.data(QueryRole)))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.reload()

    def reload(self) -> None:
        """Read the saved searches again."""
        self.clear()
        for saved in list_saved_searches(self.cat):
            item = QListWidgetItem(saved.name)
            item.setToolTip(saved.query)
            item.setData(QueryRole, saved.query)
            item.setData(IdRole, saved.id)
            self.addItem(item)

    def names(self) -> list[str]:
        """The names shown, in order."""
        return [self.item(i).text() for i in range(self.count())]

    def save(self, name: str, query: str) -> bool:
        """Save ``query`` as ``name``; returns whether it was saved."""
        try:
            save_search(self.cat, name, query)
        except ArchivistError as exc:
            self.error.emit(exc)
            return False
        self.reload()
        return True

    def rename(self, saved_id: int, new_name: str) -> bool:
        """Rename a saved search; returns whether it was renamed."""
        try:
            rename_saved_search(self.cat, saved_id, new_name)
        except ArchivistError as exc:
            self.error.emit(exc)
            return False
        self.reload()
        return True

    def delete(self, saved_id: int) -> None:
        """Delete a saved search."""
        try:
            delete_saved_search(self.cat, saved_id)
        except ArchivistError as exc:
            self.error.emit(exc)
        self.reload()

    def _menu(self, pos) -> None:
        item = self.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        rename = menu.addAction("Rename…")
        delete = menu.addAction("Delete")
        chosen = menu.exec(self.mapToGlobal(pos))
        if chosen is rename:
            name, ok = QInputDialog.getText(self, "Rename saved search", "Name:", text=item.text())
            if ok:
                self.rename(item.data(IdRole), name)
        elif chosen is delete:
            self.delete(item.data(IdRole))
