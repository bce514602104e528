"""A histogram of hits by year; dragging across it selects a span of years."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_BAR_WIDTH = 36.0  # a few years must not make slabs
LABEL_WIDTH = 40.0  # room a year's label needs


class TimelineWidget(QWidget):
    """Bars of hit counts per year (from the ``year`` facet).

    Press and drag to select a span (it is highlighted); release emits it. A click without a drag
    selects one year; a double-click clears the selection.

    Signals:
        span_selected(int, int): first and last year of the selected span.
        span_cleared(): the selection was cleared.
    """

    span_selected = Signal(int, int)
    span_cleared = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._counts: dict[int, int] = {}
        self._years: list[int] = []
        self._drag_from: int | None = None
        self._drag_to: int | None = None
        self.span: tuple[int, int] | None = None
        self.setMinimumHeight(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(300, 70)

    def set_counts(self, counts: dict[int, int]) -> None:
        """Show these counts (year → hits); the range runs from the first year to the last."""
        self._counts = {int(k): int(v) for k, v in counts.items() if v}
        if self._counts:
            self._years = list(range(min(self._counts), max(self._counts) + 1))
        else:
            self._years = []
        self.setToolTip("" if not self._years else
                        f"{self._years[0]}–{self._years[-1]}: drag to select years")
        self.update()

    def years(self) -> list[int]:
        """The years shown, left to right."""
        return list(self._years)

    def clear_span(self) -> None:
        """Forget the selected span (emits span_cleared)."""
        self.span = None
        self.update()
        self.span_cleared.emit()

    # geometry ------------------------------------------------------------------------
    def year_at(self, x: float) -> int | None:
        """The year under horizontal position ``x``."""
        if not self._years or self.width() <= 0:
            return None
        i = int(x / self.width() * len(self._years))
        return self._years[max(0, min(i, len(self._years) - 1))]

    def x_of(self, year: int) -> float:
        """The horizontal centre of a year's bar."""
        i = self._years.index(year)
        return (i + 0.5) * self.width() / len(self._years)

    # mouse ---------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        year = self.year_at(event.position().x())
        if year is None:
            return
        self._drag_from = self._drag_to = year
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is None:
            return
        self._drag_to = self.year_at(event.position().x())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag_from is None:
            return
        end = self.year_at(event.position().x())
        start, stop = sorted((self._drag_from, end if end is not None else self._drag_from))
        self._drag_from = self._drag_to = None
        self.span = (start, stop)
        self.update()
        self.span_selected.emit(start, stop)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag_from = self._drag_to = None
        self.clear_span()

    # painting ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if not self._years:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no dated hits")
            return
        width = self.width() / len(self._years)
        bar_width = max(1.0, min(width - 2, MAX_BAR_WIDTH))
        top = max(self._counts.values())
        h = self.height() - 14
        selected = self._current_span()
        for i, year in enumerate(self._years):
            count = self._counts.get(year, 0)
            bar = h * count / top if top else 0
            inside = selected and selected[0] <= year <= selected[1]
            colour = QColor("#2e86c1") if inside else QColor("#95a5a6")
            left = i * width + (width - bar_width) / 2
            painter.fillRect(QRectF(left, h - bar, bar_width, bar), colour)
        painter.setPen(self.palette().text().color())
        for year in self._labelled_years(width):
            centre = self.x_of(year)
            painter.drawText(QRectF(centre - 30, h, 60, 14), Qt.AlignmentFlag.AlignCenter,
                             str(year))

    def _labelled_years(self, width: float) -> list[int]:
        """Every year when there is room; else the first, the last and the decades between."""
        if width >= LABEL_WIDTH:
            return list(self._years)
        first, last = self._years[0], self._years[-1]
        step = next((s for s in (5, 10, 25, 50, 100) if s * width >= LABEL_WIDTH), None)
        inner = [] if step is None else [
            y for y in self._years if y % step == 0
            and (y - first) * width >= LABEL_WIDTH and (last - y) * width >= LABEL_WIDTH]
        return [first] + inner + ([last] if last != first else [])

    def _current_span(self) -> tuple[int, int] | None:
        if self._drag_from is not None and self._drag_to is not None:
            return tuple(sorted((self._drag_from, self._drag_to)))
        return self.span
