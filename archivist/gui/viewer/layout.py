"""The viewer's split between the picture and the side panel of texts and regions.

The picture gets most of the width: the side panel starts at :data:`SIDE_FRACTION` of it, can be
collapsed (dragged to the edge, or :meth:`ViewerSplitter.set_side_collapsed`), and the sizes the
user leaves are kept in QSettings for the next time.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QSplitter, QWidget

#: The side panel's share of the viewer's width before the user moves the handle.
SIDE_FRACTION = 0.3

#: The narrowest the open side panel gets (its text wraps).
SIDE_MIN_WIDTH = 180

#: Where the sizes are kept.
SETTINGS_KEY = "viewer/splitter"


class ViewerSplitter(QSplitter):
    """Picture (left) and side panel (right), the side panel at ~30 % and collapsible.

    Args:
        picture: the left widget (the page and its strip).
        side: the right widget (texts and regions).
        settings: where the sizes are kept (None: not kept).
        parent: the parent widget.

    Signals:
        collapsed_changed(bool): the side panel was collapsed (True) or opened by
            :meth:`set_side_collapsed`.
    """

    collapsed_changed = Signal(bool)

    def __init__(self, picture: QWidget, side: QWidget, settings: QSettings | None = None,
                 parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("viewer-splitter")
        self.settings = settings
        self.addWidget(picture)
        self.addWidget(side)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setCollapsible(0, False)
        self.setCollapsible(1, True)
        side.setMinimumWidth(SIDE_MIN_WIDTH)  # below its size hint: the picture comes first
        self._sized = False
        self._open_side = 0  # the side's width before it was collapsed
        saved = settings.value(SETTINGS_KEY) if settings is not None else None
        if saved is not None:
            self._sized = bool(self.restoreState(saved))
        self.splitterMoved.connect(lambda _pos, _index: self.save())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self._sized and event.size().width() > 0:
            self._sized = True
            self.set_side_fraction(SIDE_FRACTION)

    def set_side_fraction(self, fraction: float) -> None:
        """Give the side panel ``fraction`` of the width and the picture the rest."""
        total = max(sum(self.sizes()), self.width())
        side = round(total * fraction)
        self.setSizes([total - side, side])

    def side_collapsed(self) -> bool:
        """Whether the side panel is collapsed to nothing (not before the splitter is laid out)."""
        sizes = self.sizes()
        return sum(sizes) > 0 and sizes[1] == 0

    def set_side_collapsed(self, collapsed: bool) -> None:
        """Collapse the side panel (the picture takes the whole width), or open it again."""
        if collapsed == self.side_collapsed():
            return
        total = sum(self.sizes())
        if collapsed:
            self._open_side = self.sizes()[1]
            self.setSizes([total, 0])
        else:
            side = self._open_side or round(total * SIDE_FRACTION)
            self.setSizes([total - side, side])
        self.save()
        self.collapsed_changed.emit(collapsed)

    def save(self) -> None:
        """Keep the sizes for the next time."""
        if self.settings is not None:
            self.settings.setValue(SETTINGS_KEY, self.saveState())
