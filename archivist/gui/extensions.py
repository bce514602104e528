"""Panels built by other parts of Archivist, embedded in the main window.

The search panel becomes the "Search" dock (Ctrl+F); the exchange dialogs become File → Import…
and Export…; the scan ingest becomes File → Add scans…, Tools → Verify files and file drops. They
are imported here, when the window is built, rather than by the main window's module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QScrollArea

if TYPE_CHECKING:
    from archivist.gui.main_window import MainWindow


def install_search(win: "MainWindow") -> None:
    """Add the search panel as a dock; Ctrl+F focuses its box."""
    from archivist.gui.search.panel import SearchPanel

    panel = SearchPanel(win.cat, win.hub, win, runner=win.runner)
    panel.record_activated.connect(win.select_record)
    panel.error.connect(win.report)
    # In a scroll area: the panel's minimum height would otherwise hold up every bottom dock
    # tabbed with it, and with them the room left to the scans.
    scroll = QScrollArea()
    scroll.setObjectName("search-scroll")
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    dock = win._dock("Search", "search", scroll, Qt.DockWidgetArea.BottomDockWidgetArea)
    win.tabifyDockWidget(win.trash_dock, dock)
    win.authorities_dock.raise_()
    win.search_panel, win.search_dock = panel, dock
    find = win.actions.find
    find.setShortcut(QKeySequence.StandardKey.Find)
    find.triggered.disconnect()
    find.triggered.connect(lambda _checked=False: focus_search(win))
    win.actions.filter = QAction("&Filter this list", win)
    win.actions.filter.setShortcut(QKeySequence("Ctrl+Shift+F"))
    win.actions.filter.triggered.connect(
        lambda _checked=False: (win.search_box.setFocus(), win.search_box.selectAll()))
    win.addAction(win.actions.filter)
    win.search_box.setPlaceholderText("Filter by title or reference code (Ctrl+Shift+F)")


def focus_search(win: "MainWindow") -> None:
    """Show the search dock and put the cursor in its box."""
    win.search_dock.show()
    win.search_dock.raise_()
    # Results need room: the bottom docks start low (the scans come first).
    room = int(win.height() * 0.45)
    if win.search_dock.height() < room:
        win.resizeDocks([win.search_dock], [room], Qt.Orientation.Vertical)
    win.search_panel.box.setFocus()
    win.search_panel.box.selectAll()


def install_scans(win: "MainWindow") -> None:
    """Add File → Add scans…, Tools → Verify files and file drops (needs the scan viewer)."""
    from archivist.gui import scans

    scans.install(win)


def install_exchange(win: "MainWindow") -> None:
    """Add File → Import… and Export… (dialogs that run in the background)."""
    from archivist.gui.exchange.export_dialog import ExportDialog
    from archivist.gui.exchange.import_dialog import ImportDialog

    def export() -> None:
        query = getattr(getattr(win, "search_panel", None), "query", None) or None
        dialog = ExportDialog(win.runner, win.selected_ids(), query, win)
        dialog.exported.connect(lambda result: win.statusBar().showMessage("Export finished", 5000))
        dialog.exec()

    def import_() -> None:
        dialog = ImportDialog(win.runner, parent=win)
        dialog.imported.connect(lambda outcome: win.statusBar().showMessage("Import finished", 5000))
        dialog.exec()

    menu = win.actions.file_menu
    win.actions.import_ = menu.addAction("&Import…", import_)
    win.actions.export = menu.addAction("&Export…", export)
    win.actions.export.setShortcut(QKeySequence("Ctrl+E"))
    menu.addSeparator()
