"""The GUI's one door for change notifications: a Qt signal over ``Catalogue.subscribe``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from archivist.core.changes import Changes
from archivist.store.catalogue import Catalogue


class CatalogueHub(QObject):
    """Re-emits every committed change of an open catalogue as a Qt signal.

    Changes made by background tasks on their own connection are emitted here too, by the
    task runner, once the task has finished.

    Signals:
        changed(Changes): something was committed; each view decides whether to refresh.
    """

    changed = Signal(object)

    def __init__(self, cat: Catalogue, parent: QObject | None = None):
        super().__init__(parent)
        self.cat = cat
        cat.subscribe(self._on_commit)

    def _on_commit(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        """Stop listening to the catalogue (before it is closed)."""
        self.cat.unsubscribe(self._on_commit)
