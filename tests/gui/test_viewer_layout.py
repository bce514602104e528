"""The scans view's layout: the picture gets most of the width, the side panel ~30 %, kept."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QLabel

from archivist.gui.main_window import MainWindow
from archivist.gui.settings import Settings
from archivist.gui.tasks import SyncTaskRunner
from archivist.gui.viewer import ViewerPanel
from archivist.gui.viewer.layout import SETTINGS_KEY, ViewerSplitter


def shown_splitter(qtbot, qsettings, width=1000):
    splitter = ViewerSplitter(QLabel("picture"), QLabel("texts " * 40), qsettings)
    qtbot.addWidget(splitter)
    splitter.resize(width, 400)
    splitter.show()
    qtbot.waitExposed(splitter)
    return splitter


def test_side_panel_starts_at_thirty_percent_even_when_it_wants_more(qtbot, qsettings):
    splitter = shown_splitter(qtbot, qsettings)
    picture, side = splitter.sizes()
    assert side / (picture + side) == pytest.approx(0.3, abs=0.02)


def test_collapse_and_open_again(qtbot, qsettings):
    splitter = shown_splitter(qtbot, qsettings)
    before = splitter.sizes()
    events = []
    splitter.collapsed_changed.connect(events.append)
    splitter.set_side_collapsed(True)
    assert splitter.side_collapsed() and splitter.sizes()[0] == sum(before)
    splitter.set_side_collapsed(False)
    assert splitter.sizes() == before and events == [True, False]


def test_sizes_are_kept_for_the_next_time(qtbot, qsettings):
    splitter = shown_splitter(qtbot, qsettings)
    splitter.setSizes([500, 500])
    splitter.save()
    assert qsettings.value(SETTINGS_KEY) is not None
    again = shown_splitter(qtbot, qsettings)
    assert again.sizes()[1] == pytest.approx(500, abs=10)
    assert shown_splitter(qtbot, None).sizes()[1] == pytest.approx(300, abs=20)


def test_viewer_panel_puts_the_strip_under_the_picture(qtbot, cat, qsettings):
    panel = ViewerPanel(cat, settings=qsettings)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    picture, side = panel.splitter.sizes()
    assert picture > 2 * side
    assert panel.splitter.widget(1) is panel.side
    column = panel.splitter.widget(0)
    assert panel.view.parent() is column and panel.strip.parent() is column
    assert panel.strip.geometry().top() >= panel.view.geometry().bottom()
    panel.shutdown()


def _window(qtbot, cat, settings: Settings, size: tuple[int, int] | None = None,
            show: bool = True) -> MainWindow:
    """A main window on ``cat``, shown at ``size`` (unless ``show`` is False)."""
    win = MainWindow(cat, settings, SyncTaskRunner(cat.path), QUndoStack())
    qtbot.addWidget(win)
    if size:
        win.resize(*size)
    if show:
        win.show()
        qtbot.waitExposed(win)
    return win


def test_main_window_widens_the_middle_for_scans_and_remembers_each_layout(qtbot, cat, tree_cat,
                                                                           qsettings):
    settings = Settings(qsettings)
    win = _window(qtbot, cat, settings, (1400, 800))
    browse_middle = win.splitter.sizes()[1]
    win.select_record(tree_cat["l1"])
    win.set_mode("scans")
    scans_sizes = win.splitter.sizes()
    assert scans_sizes[1] > browse_middle
    win.splitter.setSizes([150, scans_sizes[1] + scans_sizes[2] + scans_sizes[0] - 450, 300])
    chosen = win.splitter.sizes()
    win.set_mode("table")
    assert win.splitter.sizes()[1] == browse_middle
    win.set_mode("scans")
    assert win.splitter.sizes() == chosen
    side = win.actions.scan_side
    assert side.isChecked()
    side.setChecked(False)
    assert win.viewer.splitter.side_collapsed()
    win.viewer.splitter.set_side_collapsed(False)
    assert side.isChecked()
    win.close()
    assert settings.splitter_sizes("scans") == chosen


def test_viewer_shortcuts_do_not_clash_with_the_window(qtbot, cat, tree_cat, qsettings):
    """A key bound both in the window and in the viewer is ambiguous: Qt then runs neither."""
    win = _window(qtbot, cat, Settings(qsettings), show=False)
    window_keys = {k.toString() for action in win.findChildren(QAction)
                   if action.parent() is win for k in action.shortcuts() if not k.isEmpty()}
    viewer_keys = {k.toString() for action in win.viewer.actions_by_name.values()
                   for k in action.shortcuts() if not k.isEmpty()}
    assert "Ctrl+Shift+A" in window_keys and "Ctrl+Shift+D" in viewer_keys
    assert window_keys & viewer_keys == set()
    win.close()


def test_scans_lower_the_bottom_docks_and_browsing_gets_them_back(qtbot, cat, tree_cat, qsettings):
    settings = Settings(qsettings)
    win = _window(qtbot, cat, settings, (1280, 760))
    dock = win.authorities_dock
    browse = dock.height()
    win.select_record(tree_cat["l1"])
    win.set_mode("scans")
    qtbot.waitUntil(lambda: dock.height() < browse)
    assert dock.height() <= round(760 * 0.18) + 10
    win.set_mode("grid")
    qtbot.waitUntil(lambda: abs(dock.height() - browse) <= 4)
    win.set_mode("scans")
    win.close()  # closing in the scans view saves the browsing layout's docks
    again = _window(qtbot, cat, settings)
    assert again.authorities_dock.height() == pytest.approx(browse, abs=4)
    again.close()
