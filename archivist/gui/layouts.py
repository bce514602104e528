"""The main window's two layouts: browsing records, and looking at scans.

Browsing (the record table or thumbnail grid) gives the form room; the scans view gives the page
more of the width and the height (narrower form, lower bottom docks). Each layout's column widths
and dock height are remembered when the user leaves it, and kept in QSettings between runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QTabBar

if TYPE_CHECKING:
    from archivist.gui.main_window import MainWindow

BROWSE, SCANS = "browse", "scans"

#: Default widths of the tree and the form in each layout (the middle takes the rest).
DEFAULT_SIDES = {BROWSE: (250, 470), SCANS: (210, 430)}

#: The bottom docks' share of the window's height, at most, when the scans view first opens.
SCANS_DOCK_SHARE = 0.18


def layout_of(mode: str) -> str:
    """The layout a middle mode (``table``, ``grid``, ``scans``) belongs to."""
    return SCANS if mode == "scans" else BROWSE


class ModeLayouts:
    """Remembers and applies column widths and the bottom-dock height per layout.

    Args:
        win: the main window (uses its ``splitter``, ``settings`` and bottom docks).
    """

    def __init__(self, win: "MainWindow"):
        self.win = win
        self.sizes: dict[str, list[int]] = {}
        self.dock_heights: dict[str, int] = {}

    def _bottom_dock(self):
        """The dock on show in the bottom area (the current tab of a group stands for it)."""
        for dock in self.win.findChildren(QDockWidget):
            if (dock.isVisible() and not dock.isFloating() and not dock.visibleRegion().isEmpty()
                    and self.win.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea):
                return dock
        return None

    def _tab_bar_height(self, dock: QDockWidget) -> int:
        """The tabs under a tabbed dock: resizeDocks sizes the area, tabs included."""
        for bar in self.win.findChildren(QTabBar):
            if (bar.parent() is self.win and bar.isVisible()
                    and abs(bar.geometry().top() - dock.geometry().bottom()) <= 8):
                return bar.height()
        return 0

    def remember(self, mode: str) -> None:
        """Keep the widths and dock height the user has now, for ``mode``'s layout."""
        name = layout_of(mode)
        self.sizes[name] = self.win.splitter.sizes()
        dock = self._bottom_dock()
        if dock is not None:
            self.dock_heights[name] = dock.height()

    def apply(self, mode: str) -> None:
        """Bring back ``mode``'s layout (its defaults the first time)."""
        win, name = self.win, layout_of(mode)
        sizes = self.sizes.get(name) or win.settings.splitter_sizes(name)
        if sizes is None:
            total = sum(win.splitter.sizes()) or win.width()
            tree, form = DEFAULT_SIDES[name]
            sizes = [tree, max(total - tree - form, 200), form]
        win.splitter.setSizes(sizes)
        # After the middle has switched widgets and the window has laid itself out again.
        QTimer.singleShot(0, self.win, lambda: self._apply_dock_height(name))  # not after win goes

    def _apply_dock_height(self, name: str) -> None:
        win = self.win
        dock = self._bottom_dock()
        if dock is None:
            return
        height = self.dock_heights.get(name)
        if height is None and name == SCANS:
            height = min(dock.height(), max(120, round(win.height() * SCANS_DOCK_SHARE)))
        if height is not None and height != dock.height():
            win.resizeDocks([dock], [height + self._tab_bar_height(dock)], Qt.Orientation.Vertical)

    def switch(self, old_mode: str, new_mode: str) -> None:
        """Leave one mode for another: remember the old layout, apply the new one."""
        if layout_of(old_mode) == layout_of(new_mode):
            return
        self.remember(old_mode)
        self.apply(new_mode)

    def save(self, mode: str) -> None:
        """Before closing: keep every layout's widths, and leave the docks as browsing has them
        (the window's saved state then opens in the browsing layout)."""
        self.remember(mode)
        if layout_of(mode) != BROWSE:
            height = self.dock_heights.get(BROWSE)
            dock = self._bottom_dock()
            if height is not None and dock is not None:
                self.win.resizeDocks([dock], [height + self._tab_bar_height(dock)],
                                     Qt.Orientation.Vertical)
        for name, sizes in self.sizes.items():
            self.win.settings.set_splitter_sizes(name, sizes)
