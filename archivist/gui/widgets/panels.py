"""Dock panels: authorities browser, record history with revert, trash with restore."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from archivist.core.changes import Changes
from archivist.core.model import AUTHORITY_KINDS
from archivist.gui.models.lists import (AuthorityTableModel, HistoryTableModel, LinkedRecordsModel,
                                        TrashTableModel)
from archivist.store.catalogue import Catalogue


def _table(model, stretch: int = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)
    return view


def _selected_ids(view: QTableView, model) -> list[int]:
    return [model.row_id(i.row()) for i in view.selectionModel().selectedRows()]


class AuthoritiesPanel(QWidget):
    """People, organisations, families and places, with every record linked to the one selected.

    Signals:
        record_activated(int): the user double-clicked a linked record.
    """

    record_activated = Signal(int)

    def __init__(self, cat: Catalogue, parent=None):
        super().__init__(parent)
        self.model = AuthorityTableModel(cat, parent=self)
        self.linked = LinkedRecordsModel(cat, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        line = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItem("All kinds", None)
        for kind in AUTHORITY_KINDS:
            self.kind.addItem(kind.capitalize() + ("s" if not kind.endswith("y") else ""), kind)
        self.kind.setItemText(3, "Families")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter names (any script)")
        self.filter.setClearButtonEnabled(True)
        line.addWidget(self.kind)
        line.addWidget(self.filter, 1)
        layout.addLayout(line)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.view = _table(self.model)
        self.linked_view = _table(self.linked, 1)
        split.addWidget(self.view)
        split.addWidget(self.linked_view)
        layout.addWidget(split)
        self.kind.currentIndexChanged.connect(lambda _: self.reload())
        self.filter.textChanged.connect(lambda _: self.reload())
        self.view.selectionModel().selectionChanged.connect(self._show_linked)
        self.linked_view.doubleClicked.connect(
            lambda index: self.record_activated.emit(self.linked.row_id(index.row())))
        self.reload()

    def reload(self) -> None:
        """Read the authorities again."""
        self.model.set_filter(self.kind.currentData(), self.filter.text().strip())
        self._show_linked()

    def _show_linked(self, *_args) -> None:
        ids = _selected_ids(self.view, self.model)
        self.linked.set_authority(ids[0] if ids else None)

    def on_changes(self, changes: Changes) -> None:
        """Refresh on authority changes (a link changes its authority too); the linked-record
        list also when records changed (titles), without re-reading the authorities."""
        if not changes.authorities:
            if (changes.records or changes.structure) and self.linked.authority_id is not None:
                self.linked.reload()
            return
        if changes.authorities:
            selected = _selected_ids(self.view, self.model)
            self.reload()
            if selected:
                for row in range(self.model.rowCount()):
                    if self.model.row_id(row) == selected[0]:
                        self.view.selectRow(row)


class HistoryPanel(QWidget):
    """The audit log of the selected record, with a button to revert a change."""

    def __init__(self, cat: Catalogue, revert: Callable[[int], None], parent=None):
        super().__init__(parent)
        self.model = HistoryTableModel(cat, parent=self)
        self.revert = revert
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.view = _table(self.model, 2)
        self.view.setColumnWidth(0, 130)
        self.view.setColumnWidth(1, 90)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty = QLabel("No record selected.")
        self.empty.setStyleSheet("color: #666;")
        self.revert_button = QPushButton("Revert this change")
        self.revert_button.setEnabled(False)
        layout.addWidget(self.empty)
        layout.addWidget(self.view)
        layout.addWidget(self.revert_button, 0, Qt.AlignmentFlag.AlignRight)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.revert_button.setEnabled(bool(self.view.selectionModel().selectedRows())))
        self.revert_button.clicked.connect(self._revert)

    def set_record(self, record_id: int | None) -> None:
        """Show the history of ``record_id``."""
        self.model.set_record(record_id)
        self.empty.setVisible(record_id is None)
        self.revert_button.setEnabled(False)

    def _revert(self) -> None:
        ids = _selected_ids(self.view, self.model)
        if ids:
            self.revert(ids[0])

    def on_changes(self, changes: Changes) -> None:
        """Refresh when the shown record changed."""
        if self.model.record_id in changes.records or changes.structure:
            self.model.reload()


class TrashPanel(QWidget):
    """Records in the trash, with restore and delete for ever (purge)."""

    def __init__(self, cat: Catalogue, restore: Callable[[list[int]], None],
                 purge: Callable[[list[int]], None] | None = None, parent=None):
        super().__init__(parent)
        self.model = TrashTableModel(cat, parent=self)
        self.restore, self.purge = restore, purge
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.view = _table(self.model)
        self.empty = QLabel("The trash is empty.")
        self.empty.setStyleSheet("color: #666;")
        self.restore_button = QPushButton("Restore")
        self.purge_button = QPushButton("Delete for ever…")
        self.purge_button.setVisible(purge is not None)
        layout.addWidget(self.empty)
        layout.addWidget(self.view)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.purge_button)
        buttons.addWidget(self.restore_button)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self._restore)
        self.purge_button.clicked.connect(self._purge)
        self.view.doubleClicked.connect(self._restore)
        self.reload()

    def reload(self) -> None:
        """Read the trash again."""
        self.model.reload()
        self.empty.setVisible(self.model.rowCount() == 0)
        self.restore_button.setEnabled(self.model.rowCount() > 0)
        self.purge_button.setEnabled(self.model.rowCount() > 0)

    def _restore(self, *_args) -> None:
        ids = _selected_ids(self.view, self.model)
        if ids:
            self.restore(ids)

    def _purge(self) -> None:
        ids = _selected_ids(self.view, self.model)
        if ids and self.purge is not None:
            self.purge(ids)

    def on_changes(self, changes: Changes) -> None:
        """Refresh on structure changes."""
        if changes.structure:
            self.reload()
