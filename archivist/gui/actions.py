"""Menus, toolbar and shortcuts of the main window."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar

from archivist.core.levels import LEVEL_LABELS
from archivist.core.model import ACCESS_STATUSES, DESCRIPTION_STATUSES
from archivist.core.templates import load_templates

if TYPE_CHECKING:
    from archivist.gui.main_window import MainWindow


def _action(win, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, win)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    win.addAction(action)
    return action


def _scan_side_action(win: "MainWindow") -> QAction:
    """View → Texts and regions beside the scans: open or collapse the viewer's side panel."""
    splitter = win.viewer.splitter
    action = QAction("Texts and regions &beside the scans", win)
    action.setCheckable(True)
    action.setChecked(not splitter.side_collapsed())
    action.toggled.connect(lambda on: splitter.set_side_collapsed(not on))

    def sync(*_args) -> None:
        action.blockSignals(True)
        action.setChecked(not splitter.side_collapsed())
        action.blockSignals(False)

    splitter.splitterMoved.connect(sync)
    splitter.collapsed_changed.connect(sync)
    action.sync = sync
    return action


def install(win: "MainWindow") -> SimpleNamespace:
    """Build the menus and toolbar of ``win``; returns the actions by name.

    The File menu's New / Open / Open Recent are added by the application, which owns catalogues.
    """
    a = SimpleNamespace()
    bar = win.menuBar()
    a.file_menu = bar.addMenu("&File")
    a.close = _action(win, "&Quit", win.close, QKeySequence.StandardKey.Quit)

    edit = bar.addMenu("&Edit")
    a.undo = win.stack.createUndoAction(win, "&Undo")
    a.undo.setShortcut(QKeySequence.StandardKey.Undo)
    a.redo = win.stack.createRedoAction(win, "&Redo")
    a.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addAction(a.undo)
    edit.addAction(a.redo)
    edit.addSeparator()
    a.rename = _action(win, "&Rename (edit title)", win.focus_title, "F2")
    a.find = _action(win, "&Find…", lambda: (win.search_box.setFocus(), win.search_box.selectAll()),
                     QKeySequence.StandardKey.Find)
    a.trash = _action(win, "Move to &Trash", win.trash_selected, QKeySequence.StandardKey.Delete)
    for action in (a.rename, a.find, a.trash):
        edit.addAction(action)
    status_menu = edit.addMenu("Set description &status on selected")
    for status in DESCRIPTION_STATUSES:
        status_menu.addAction(status, lambda s=status: win.set_on_selected("description_status", s))
    access_menu = edit.addMenu("Set &access on selected")
    for status in ACCESS_STATUSES:
        if status != "restricted":
            access_menu.addAction(status, lambda s=status: win.set_on_selected("access_status", s))

    record = bar.addMenu("&Record")
    a.new = _action(win, "&New record in this unit", lambda: win.new_record(), QKeySequence.StandardKey.New)
    record.addAction(a.new)
    a.new_fonds = _action(win, "New top-level &fonds", lambda: win.new_record("fonds", top_level=True),
                          "Ctrl+Shift+N")
    record.addAction(a.new_fonds)
    a.new_series_top = _action(win, "New top-level &series", lambda: win.new_record("series", top_level=True))
    record.addAction(a.new_series_top)
    level_menu = record.addMenu("New unit in this unit")
    for level in ("subfonds", "series", "subseries", "file"):
        level_menu.addAction(LEVEL_LABELS[level], lambda lv=level: win.new_record(lv))
    type_menu = record.addMenu("New &item in this unit")
    a.new_item = {}
    for key, template in load_templates().items():
        a.new_item[key] = type_menu.addAction(template.label, lambda k=key: win.new_record("item", k))
    record.addSeparator()
    a.duplicate = _action(win, "&Duplicate", win.duplicate_selected, "Ctrl+D")
    record.addAction(a.duplicate)

    view = bar.addMenu("&View")
    group = QActionGroup(win)
    a.modes = {}
    for mode, text, key in (("table", "Record &table", "Ctrl+1"), ("grid", "Thumbnail &grid", "Ctrl+2"),
                            ("scans", "&Scans of the record", "Ctrl+3")):
        action = _action(win, text, lambda m=mode: win.set_mode(m), key)
        action.setCheckable(True)
        action.setActionGroup(group)
        action.setEnabled(mode != "scans" or win.viewer is not None)
        view.addAction(action)
        a.modes[mode] = action
    a.modes["table"].setChecked(True)
    a.grid = a.modes["grid"]
    if win.viewer is not None:
        a.scan_side = _scan_side_action(win)
        view.addAction(a.scan_side)
        view.aboutToShow.connect(a.scan_side.sync)
    view.addSeparator()
    a.show_all = _action(win, "&All records", win.show_all, "Ctrl+0")
    view.addAction(a.show_all)
    view.addSeparator()
    for dock in (win.authorities_dock, win.history_dock, win.trash_dock):
        view.addAction(dock.toggleViewAction())

    for view_widget in (win.tree, win.table, win.grid):
        view_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (a.new, type_menu.menuAction(), a.duplicate, a.rename, a.trash):
            view_widget.addAction(action)

    tools = QToolBar("Main", win)
    tools.setObjectName("main-toolbar")
    tools.setMovable(False)
    for action in (a.new, a.duplicate, a.trash):
        tools.addAction(action)
    tools.addSeparator()
    tools.addAction(a.undo)
    tools.addAction(a.redo)
    tools.addSeparator()
    for action in a.modes.values():
        tools.addAction(action)
    tools.addSeparator()
    tools.addWidget(win.search_box)
    win.addToolBar(tools)
    a.toolbar = tools
    return a
