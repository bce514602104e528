"""Small icons drawn in code, so they look the same whatever icon theme or fonts a system has."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


@lru_cache(maxsize=1)
def padlock_icon() -> QIcon:
    """A dark red padlock: the mark of a restricted or closed record."""
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(150, 30, 30)
    painter.setPen(QPen(colour, 3.2))
    shackle = QPainterPath()
    shackle.moveTo(10, 15)
    shackle.lineTo(10, 10)
    shackle.arcTo(QRectF(10, 3, 12, 14), 180, -180)
    shackle.lineTo(22, 15)
    painter.drawPath(shackle)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(6, 14, 20, 15), 3, 3)
    painter.setBrush(QColor(255, 255, 255))
    painter.drawEllipse(QRectF(14, 18.5, 4, 4))
    painter.drawRect(QRectF(15.2, 21, 1.6, 4))
    painter.end()
    return QIcon(pixmap)
