"""The main window: hierarchy tree | record table or thumbnail grid | record form, plus docks.

Everything it needs comes in through the constructor (catalogue, settings, undo stack, task
runner), so tests build it on a temporary catalogue. Every view refreshes itself from the one
``CatalogueHub.changed`` signal.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QDockWidget, QLabel, QLineEdit, QMainWindow,
                               QSplitter, QStackedWidget, QTreeView)

from archivist.core.changes import Changes
from archivist.gui import actions, extensions
from archivist.gui.editing import EditingMixin
from archivist.gui.hub import CatalogueHub
from archivist.gui.layouts import ModeLayouts
from archivist.gui.models.record_table import RecordTableModel
from archivist.gui.models.unit_tree import UnitTreeModel
from archivist.gui.settings import Settings
from archivist.gui.tasks import TaskRunner
from archivist.gui.widgets.panels import AuthoritiesPanel, HistoryPanel, TrashPanel
from archivist.gui.widgets.progress import TaskProgress
from archivist.gui.widgets.record_form import RecordForm
from archivist.gui.widgets.record_views import (RecordTableView, ThumbnailGrid, Thumbnails,
                                                make_thumbnails)
from archivist.store import records, views
from archivist.store.catalogue import Catalogue

log = logging.getLogger("archivist.gui")

class MainWindow(EditingMixin, QMainWindow):
    """One open catalogue in one window.

    Args:
        cat: the open catalogue (the window does not close it; the app does).
        settings: the user's preferences.
        runner: background task runner over the same catalogue.
        stack: the catalogue's undo stack.
    """

    def __init__(self, cat: Catalogue, settings: Settings, runner: TaskRunner, stack: QUndoStack,
                 parent=None):
        super().__init__(parent)
        self.cat, self.settings, self.runner, self.stack = cat, settings, runner, stack
        self.hub = CatalogueHub(cat, self)
        runner.on_changes = self.hub.changed.emit
        self.setWindowTitle(f"{cat.path.name}[*] — Archivist")
        self.resize(1400, 860)
        self.current_unit: int | None = None
        self._build_centre()
        self._build_docks()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Filter by title or reference code (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaximumWidth(360)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.status = QLabel()
        self.progress = TaskProgress()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.status)
        runner.task_started.connect(self.progress.track)
        self.actions = actions.install(self)
        extensions.install_search(self)
        extensions.install_scans(self)
        extensions.install_exchange(self)
        self.hub.changed.connect(self.on_changes)
        self.stack.cleanChanged.connect(self._clean_changed)
        self.restore_layout()
        self.show_unit(None)

    # layout ----------------------------------------------------------------------------
    def _build_centre(self) -> None:
        self.tree_model = UnitTreeModel(self.cat, self)
        self.tree = QTreeView()
        self.tree.setObjectName("tree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree_model.move_requested.connect(self.move_records)
        self.table_model = RecordTableModel(self.cat, self.settings.columns(), parent=self,
                                            runner=self.runner)
        self.table = RecordTableView(self.table_model)
        self.table.setObjectName("table")
        self.table.columns_changed.connect(self.settings.set_columns)
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)
        self.thumbnails = Thumbnails(self.cat, request=self._want_thumbnail)
        self._wanted: list[tuple] = []
        self._thumb_timer = QTimer(self, singleShot=True, interval=100)
        self._thumb_timer.timeout.connect(self._make_thumbnails)
        self.grid = ThumbnailGrid(self.table_model, self.thumbnails)
        self.grid.selectionModel().selectionChanged.connect(self._grid_selection_changed)
        self.middle = QStackedWidget()
        self.middle.addWidget(self.table)
        self.middle.addWidget(self.grid)
        self.form = RecordForm(self.cat, self.stack, self.report)
        self.form.setObjectName("form")
        self.empty_hint = QLabel("This catalogue is empty.\n\nRecord → New top-level fonds "
                                 "(Ctrl+Shift+N) starts the hierarchy;\nCtrl+N then adds records "
                                 "inside the selected unit.")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: #666;")
        self.middle.addWidget(self.empty_hint)
        self.mode = "table"
        self.viewer = self._make_viewer()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("splitter")
        for widget in (self.tree, self.middle, self.form):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([250, 680, 470])
        self.layouts = ModeLayouts(self)
        self.setCentralWidget(self.splitter)

    def _make_viewer(self):
        """The scan viewer (another engineer's panel) as the middle's third mode, when installed."""
        try:
            from archivist.gui.viewer.panel import ViewerPanel
        except ImportError:  # pragma: no cover - the viewer is optional
            log.info("scan viewer not available")
            return None
        viewer = ViewerPanel(self.cat, settings=self.settings.q)
        self.middle.addWidget(viewer)
        self.hub.changed.connect(viewer.on_changes)
        self.table.doubleClicked.connect(lambda _i: self.set_mode("scans"))
        self.grid.doubleClicked.connect(lambda _i: self.set_mode("scans"))
        return viewer

    def set_mode(self, mode: str) -> None:
        """Show the middle as the record ``table``, the thumbnail ``grid`` or the ``scans``."""
        if mode == "scans" and self.viewer is None:
            mode = "table"
        if mode != self.mode:
            old, self.mode = self.mode, mode
            self.layouts.switch(old, mode)
        if hasattr(self, "actions"):
            self.actions.modes[mode].setChecked(True)
        self._sync_middle()

    def _sync_middle(self, figures: dict | None = None) -> None:
        figures = figures or views.counts(self.cat)
        if figures["records"] == 0:
            self.middle.setCurrentWidget(self.empty_hint)
            return
        widget = {"table": self.table, "grid": self.grid, "scans": self.viewer}[self.mode]
        self.middle.setCurrentWidget(widget)
        self._sync_viewer()

    def _sync_viewer(self) -> None:
        record_id = self.form.record_id
        if self.viewer is not None and self.mode == "scans" and self.viewer.record_id != record_id:
            self.viewer.set_record(record_id)

    def _want_thumbnail(self, ref: tuple) -> None:
        self._wanted.append(ref)
        self._thumb_timer.start()

    def _make_thumbnails(self) -> None:
        """Make the missing thumbnails the grid asked for, in the background."""
        refs, self._wanted = self._wanted, []
        if refs:
            self.runner.run(make_thumbnails(refs), label="Making thumbnails",
                            on_success=lambda _failed: self.grid.viewport().update())

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.authorities = AuthoritiesPanel(self.cat)
        self.authorities.record_activated.connect(self.select_record)
        self.history = HistoryPanel(self.cat, self.revert_change)
        self.trash = TrashPanel(self.cat, self.restore_records, self.purge_records)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.authorities_dock = self._dock("Authorities", "authorities", self.authorities, bottom)
        self.history_dock = self._dock("History", "history", self.history, bottom)
        self.trash_dock = self._dock("Trash", "trash", self.trash, bottom)
        self.tabifyDockWidget(self.authorities_dock, self.history_dock)
        self.tabifyDockWidget(self.history_dock, self.trash_dock)
        self.authorities_dock.raise_()
        self.resizeDocks([self.authorities_dock], [210], Qt.Orientation.Vertical)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def restore_layout(self) -> None:
        """Bring back the saved geometry and dock layout."""
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        sizes = self.settings.splitter_sizes("browse")
        if sizes is not None:
            self.splitter.setSizes(sizes)

    def closeEvent(self, event) -> None:
        self.layouts.save(self.mode)
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.set_columns(self.table_model.column_keys())
        self.settings.sync()
        self._search_timer.stop()
        self._thumb_timer.stop()
        if getattr(self, "search_panel", None) is not None:
            self.search_panel.close()
        if self.viewer is not None:
            self.viewer.shutdown()
        self.runner.wait()
        self.hub.detach()
        super().closeEvent(event)

    # navigation ------------------------------------------------------------------------
    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        rid = current.data(UnitTreeModel.RecordIdRole) if current.isValid() else None
        self.show_unit(rid)

    def show_unit(self, unit_id: int | None) -> None:
        """Show a unit's children in the table and the unit itself in the form."""
        self.current_unit = unit_id
        if self.search_box.text().strip():
            self.search_box.clear()
        self.table_model.set_scope(unit_id)
        self.set_form_record(unit_id)
        self.update_status()

    def set_form_record(self, record_id: int | None) -> None:
        """Show a record in the form and its history."""
        self.form.set_record(record_id)
        self.history.set_record(record_id)
        self._sync_viewer()

    def _table_selection_changed(self, *_args) -> None:
        ids = self.table.selected_ids()
        if ids:
            self.set_form_record(ids[-1])
        self.update_status()

    def _grid_selection_changed(self, *_args) -> None:
        ids = self.grid.selected_ids()
        if ids:
            self.set_form_record(ids[-1])

    def selected_ids(self) -> list[int]:
        """The records the user is working on: the table (or grid) selection, else the unit."""
        ids = self.grid.selected_ids() if self.mode == "grid" else self.table.selected_ids()
        if not ids and self.tree.hasFocus() and self.current_unit is not None:
            ids = [self.current_unit]
        return ids

    def select_record(self, record_id: int) -> None:
        """Show a record in its place: its unit in the tree, itself selected in the table."""
        rec = records.get_record(self.cat, record_id)
        index = self.tree_model.index_of(rec.parent_id) if rec.parent_id else QModelIndex()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.selectionModel().clearCurrentIndex()
            self.show_unit(rec.parent_id)
        row = self.table_model.row_of(record_id)
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.table_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(self.table_model.index(row, 0))
        self.set_form_record(record_id)

    def show_all(self) -> None:
        """Show every record of the catalogue in the table (the tree's selection is cleared)."""
        self.tree.selectionModel().blockSignals(True)
        self.tree.selectionModel().clearCurrentIndex()
        self.tree.clearSelection()
        self.tree.selectionModel().blockSignals(False)
        self.current_unit = None
        self.table_model.set_scope(everything=True)
        self.update_status()

    def apply_filter(self) -> None:
        """Show every record whose title or code contains the filter text (empty: the unit)."""
        text = self.search_box.text().strip()
        if text:
            self.table_model.set_scope(everything=True, text=text)
        else:
            self.table_model.set_scope(self.current_unit)
        self.update_status()

    def toggle_grid(self, on: bool) -> None:
        """Switch the middle between the table and the thumbnail grid."""
        self.set_mode("grid" if on else "table")

    # refresh ---------------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        """The one door: every view decides what to refresh."""
        if changes.structure:
            self._reload_tree()
        elif changes.records:
            self.tree_model.refresh_records(changes.records)
        self.table_model.on_changes(changes)
        self.form.on_changes(changes)
        self.history.on_changes(changes)
        self.trash.on_changes(changes)
        self.authorities.on_changes(changes)
        self.update_status()

    def _reload_tree(self) -> None:
        expanded = [rid for rid in self.tree_model.loaded_ids()
                    if self.tree.isExpanded(self.tree_model.loaded_index(rid))]
        current = self.current_unit
        self.tree.selectionModel().blockSignals(True)
        self.tree_model.reload()
        for rid in expanded:
            index = self.tree_model.index_of(rid)
            if index.isValid():
                self.tree.expand(index)
        if current is not None:
            index = self.tree_model.index_of(current)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self.tree.selectionModel().blockSignals(False)
        if current is not None and not self.tree_model.index_of(current).isValid():
            self.show_unit(None)  # the unit went to the trash

    def update_status(self) -> None:
        """The status bar's counts (and the empty-catalogue hint)."""
        figures = views.counts(self.cat)
        self._sync_middle(figures)
        shown = self.table_model.rowCount()
        where = ("matching the filter" if self.table_model.text else "listed"
                 if self.table_model.everything else "in this unit")
        selected = len(self.table.selected_ids())
        parts = [f"{figures['records']:,} records", f"{figures['trash']:,} in trash",
                 f"{figures['authorities']:,} authorities", f"{shown:,} {where}"]
        if selected > 1:
            parts.append(f"{selected:,} selected")
        self.status.setText("  ·  ".join(parts))
