"""The viewer's toolbar: page turning, zoom, orientation, display adjustments, regions, order.

Split from :mod:`archivist.gui.viewer.panel`; :func:`build_toolbar` fills the panel's toolbar with
actions bound to the panel's methods.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QToolBar, QWidget


def add_action(owner: QWidget, toolbar: QToolBar, text: str, tip: str, slot, shortcut=None,
               checkable: bool = False) -> QAction:
    """An action on the toolbar and on ``owner`` (its shortcut works while ``owner`` has focus).

    The tooltip names the shortcut in the platform's words.
    """
    action = QAction(text, owner)
    action.setCheckable(checkable)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
    action.setToolTip(tip)
    action.triggered.connect(slot)
    owner.addAction(action)
    toolbar.addAction(action)
    return action


def add_slider(toolbar: QToolBar, label: str, tip: str, slot) -> QSlider:
    """A labelled −100 … 100 slider on the toolbar, calling ``slot`` when it moves."""
    toolbar.addWidget(QLabel(f" {label} "))
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(-100, 100)
    slider.setFixedWidth(90)
    slider.setToolTip(tip)
    slider.valueChanged.connect(slot)
    toolbar.addWidget(slider)
    return slider


def build_toolbar(panel) -> dict[str, QAction]:
    """Fill ``panel.toolbar``; sets ``panel.brightness`` and ``panel.contrast`` (sliders).

    Args:
        panel: the ``ViewerPanel`` (the actions call its methods, private ones included: this
            module is the panel's own toolbar, kept apart to keep the panel small).

    Returns:
        The actions by name (``prev``, ``next``, ``zoom_in`` … ``move_later``).
    """
    toolbar = panel.toolbar

    def act(text, tip, slot, shortcut=None, checkable=False):
        return add_action(panel, toolbar, text, tip, slot, shortcut, checkable)

    a, sep = {}, toolbar.addSeparator
    a["prev"] = act("◀", "Previous page", lambda: panel.show_page(panel._index - 1), "Ctrl+PgUp")
    a["next"] = act("▶", "Next page", lambda: panel.show_page(panel._index + 1), "Ctrl+PgDown")
    sep()
    a["zoom_in"] = act("+", "Zoom in", lambda: panel.view.zoom_by(1.25),
                       QKeySequence.StandardKey.ZoomIn)
    a["zoom_out"] = act("−", "Zoom out", lambda: panel.view.zoom_by(0.8),
                        QKeySequence.StandardKey.ZoomOut)
    # The page itself takes 1, W and 0 (Ctrl+digits belong to the main window's View menu).
    a["actual"] = act("1:1", "Actual size (1)", panel.view.actual_size)
    a["fit_width"] = act("↔", "Fit width (W)", panel.view.fit_width)
    a["fit_page"] = act("▣", "Fit page (0)", panel.view.fit_page)
    sep()
    a["rotate_left"] = act("⟲", "Rotate left", lambda: panel._turn(-90), "Ctrl+L")
    a["rotate_right"] = act("⟳", "Rotate right", lambda: panel._turn(90), "Ctrl+R")
    a["mirror"] = act("⇋", "Mirror", panel._mirror, "Ctrl+M", checkable=True)
    sep()
    panel.brightness = add_slider(toolbar, "☀", "Brightness", panel._adjustments_changed)
    panel.contrast = add_slider(toolbar, "◐", "Contrast", panel._adjustments_changed)
    a["invert"] = act("Invert", "Invert (negative)", panel._adjustments_changed, "Ctrl+I",
                      checkable=True)
    a["reset"] = act("Reset", "Show the page as it is", panel.reset_adjustments)
    sep()
    a["draw"] = act("▭ Region", "Draw a region", panel._toggle_drawing, "Ctrl+Shift+D",
                    checkable=True)
    a["full_screen"] = act("⛶", "Full screen", panel.set_full_screen, "F11", checkable=True)
    sep()
    a["move_earlier"] = act("⇤", "Move this page earlier", lambda: panel.move_page(-1),
                            "Ctrl+Shift+Left")
    a["move_later"] = act("⇥", "Move this page later", lambda: panel.move_page(1),
                          "Ctrl+Shift+Right")
    return a
