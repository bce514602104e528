"""A strip of page thumbnails for turning pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

THUMB_ICON = 80


class PageStrip(QListWidget):
    """Thumbnails of a record's pages in one scrolling row; the current row is the page shown.

    ``currentRowChanged(int)`` (Qt's own signal) tells which page the user picked.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(QSize(THUMB_ICON, THUMB_ICON))
        self.setSpacing(4)
        self.setUniformItemSizes(False)
        self.setGridSize(QSize(THUMB_ICON + 16, THUMB_ICON + 28))  # room for the label under any icon
        self.setFixedHeight(THUMB_ICON + 44)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QListWidget::item { color: palette(text); }"
                           " QListWidget::item:selected { background: palette(highlight);"
                           " color: palette(highlighted-text); border-radius: 3px; }")

    def set_pages(self, labels: list[str], thumbs: list[Path | None]) -> None:
        """Fill the strip: one item per page with its label and thumbnail (None: a blank)."""
        self.blockSignals(True)
        self.clear()
        for label, thumb in zip(labels, thumbs):
            item = QListWidgetItem(self._icon(thumb), label)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        self.blockSignals(False)

    def set_thumb(self, row: int, thumb: Path) -> None:
        """Put a thumbnail on a page made after the strip was filled."""
        item = self.item(row)
        if item is not None:
            item.setIcon(self._icon(thumb))

    @staticmethod
    def _icon(thumb: Path | None) -> QIcon:
        if thumb is not None and Path(thumb).is_file():
            pixmap = QPixmap(str(thumb))
            if not pixmap.isNull():
                return QIcon(pixmap)
        blank = QPixmap(THUMB_ICON * 3 // 4, THUMB_ICON)
        blank.fill(QColor(200, 200, 200))
        return QIcon(blank)
