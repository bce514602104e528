"""The picture of one page: zoom, pan, rotate, mirror, and regions drawn as rectangles.

Scene coordinates of the page are its full-resolution upright pixels, whatever picture is shown
(preview first, then the sharper one), so zoom 1.0 is 1:1 and region boxes stay put when the
picture sharpens. Rotation and mirroring turn the page item (regions turn with it); zoom is the
view's scale.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (QFrame, QGraphicsItem, QGraphicsPixmapItem, QGraphicsRectItem,
                               QGraphicsScene, QGraphicsView)

ZOOM_STEP = 1.25
MIN_ZOOM = 0.01
MAX_ZOOM = 32.0

_REGION_PEN = QColor(255, 140, 0)
_REGION_FILL = QColor(255, 140, 0, 40)
_HIGHLIGHT_PEN = QColor(0, 120, 255)
_HIGHLIGHT_FILL = QColor(0, 120, 255, 60)


class PageView(QGraphicsView):
    """A zoomable, pannable, rotatable view of one page with its regions.

    Signals:
        zoom_changed(float): the scale now (1.0 is one screen pixel per page pixel).
        region_drawn(float, float, float, float): a new box as fractions x, y, w, h of the page.
        region_clicked(int): the id of a region clicked.
        page_turn_requested(int): +1 (Page Down, Space) or -1 (Page Up, Backspace).
        rotate_requested(int): 90 (R) or -90 (Shift+R); the owner turns the page and keeps it.
    """

    page_turn_requested = Signal(int)
    rotate_requested = Signal(int)
    zoom_changed = Signal(float)
    region_drawn = Signal(float, float, float, float)
    region_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(QColor(48, 48, 48)))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._page = QGraphicsRectItem()
        self._page.setPen(QPen(Qt.PenStyle.NoPen))
        self._page.setBrush(QBrush(QColor(255, 255, 255)))
        self.scene().addItem(self._page)
        self._pixmap = QGraphicsPixmapItem(self._page)
        self._pixmap.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._regions: dict[int, QGraphicsRectItem] = {}
        self._size = (1, 1)
        self._rotation = 0
        self._mirrored = False
        self._fit_mode: str | None = "page"
        self._drawing = False
        self._rubber: QGraphicsRectItem | None = None
        self._origin: QPointF | None = None
        self._low: QPixmap | None = None  # the preview
        self._high: QPixmap | None = None  # the sharper picture, once decoded
        self._sources: dict[str, object] = {}  # what owns each pixmap's shared pixels

    # -- the page ------------------------------------------------------------------------
    def set_page(self, width: int, height: int) -> None:
        """Start showing a page of ``width`` × ``height`` full-resolution pixels (no picture yet)."""
        self._size = (max(1, width), max(1, height))
        self._page.setRect(QRectF(0, 0, *self._size))
        self._pixmap.setPixmap(QPixmap())
        self._low = self._high = None
        self._sources.clear()
        self.set_regions([])
        self._apply_orientation()

    def set_preview(self, image) -> None:
        """Show the page's preview (any resolution; it is scaled to the page's size).

        Args:
            image: a ``QImage``, or an object with a ``qimage`` attribute (``imaging.Picture``).
                ``QPixmap.fromImage`` shares, not copies, a ``Format_RGB32`` image's pixels, so
                the object is kept for as long as its pixmap.
        """
        self._sources["low"] = image
        self._low = QPixmap.fromImage(getattr(image, "qimage", image))
        self._show_level()

    def set_full(self, image) -> None:
        """Add the sharper picture of the page; it is drawn when the zoom needs its detail.

        Args:
            image: as for :meth:`set_preview` (kept for as long as its pixmap).
        """
        self._sources["high"] = image
        self._high = QPixmap.fromImage(getattr(image, "qimage", image))
        self._show_level()

    @property
    def shown_width(self) -> int:
        """Width in pixels of the sharpest picture the page has (0: none yet)."""
        best = self._high if self._high is not None else self._low
        return best.width() if best is not None else 0

    def drawn_width(self) -> int:
        """Width in pixels of the picture drawn now (the preview at low zoom, else the sharper)."""
        return self._pixmap.pixmap().width()

    def _show_level(self) -> None:
        """Draw the preview while it has enough pixels for the zoom, else the sharper picture.

        The preview is properly downsampled, so at fit-page zoom it looks better than the
        full picture scaled on the fly (and paints faster).
        """
        wanted = self.zoom() * self._size[0]
        use_low = self._low is not None and (self._high is None or self._low.width() >= wanted)
        pixmap = self._low if use_low else self._high
        if pixmap is None or pixmap.cacheKey() == self._pixmap.pixmap().cacheKey():
            return
        self._pixmap.setPixmap(pixmap)
        sx = self._size[0] / max(1, pixmap.width())
        sy = self._size[1] / max(1, pixmap.height())
        self._pixmap.setTransform(QTransform.fromScale(sx, sy))

    def page_size(self) -> tuple[int, int]:
        """The page's full-resolution upright size."""
        return self._size

    # -- orientation ---------------------------------------------------------------------
    @property
    def rotation(self) -> int:
        """Rotation in degrees clockwise: 0, 90, 180 or 270."""
        return self._rotation

    @property
    def mirrored(self) -> bool:
        """Whether the page is flipped left to right."""
        return self._mirrored

    def set_orientation(self, rotation: int, mirrored: bool) -> None:
        """Turn the page to ``rotation`` degrees (a multiple of 90) and mirror it or not."""
        self._rotation = int(rotation) % 360 // 90 * 90
        self._mirrored = bool(mirrored)
        self._apply_orientation()

    def rotate_by(self, degrees: int) -> None:
        """Turn the page by a multiple of 90 degrees (positive: clockwise)."""
        self.set_orientation(self._rotation + degrees, self._mirrored)

    def toggle_mirror(self) -> None:
        """Flip the page left to right (or back)."""
        self.set_orientation(self._rotation, not self._mirrored)

    def _apply_orientation(self) -> None:
        w, h = self._size
        t = QTransform()
        t.translate(w / 2, h / 2)
        t.rotate(self._rotation)
        if self._mirrored:
            t.scale(-1, 1)
        t.translate(-w / 2, -h / 2)
        self._page.setTransform(t)
        self.scene().setSceneRect(self._page.sceneBoundingRect())
        self._refit()

    # -- zoom ----------------------------------------------------------------------------
    def zoom(self) -> float:
        """The current scale (1.0 is 1:1)."""
        return self.transform().m11()

    def set_zoom(self, scale: float) -> None:
        """Zoom to ``scale`` (clamped), leaving fit mode."""
        self._fit_mode = None
        scale = max(MIN_ZOOM, min(MAX_ZOOM, scale))
        self.setTransform(QTransform.fromScale(scale, scale))
        self._show_level()
        self.zoom_changed.emit(scale)

    def zoom_by(self, factor: float) -> None:
        """Multiply the zoom by ``factor``."""
        self.set_zoom(self.zoom() * factor)

    def actual_size(self) -> None:
        """1:1: one screen pixel per page pixel."""
        self.set_zoom(1.0)

    def fit_page(self) -> None:
        """Show the whole page (and keep doing so when the view is resized)."""
        self._fit_mode = "page"
        self._refit()

    def fit_width(self) -> None:
        """Fill the view's width with the page, top first (kept on resize)."""
        self._fit_mode = "width"
        self._refit()

    @property
    def fit_mode(self) -> str | None:
        """``"page"``, ``"width"`` or None (a chosen zoom)."""
        return self._fit_mode

    def _refit(self) -> None:
        rect = self.sceneRect()
        view = self.viewport().rect()
        if self._fit_mode is None or rect.isEmpty() or view.isEmpty():
            return
        if self._fit_mode == "page":
            scale = min(view.width() / rect.width(), view.height() / rect.height())
        else:
            scale = view.width() / rect.width()
        self.setTransform(QTransform.fromScale(scale, scale))
        if self._fit_mode == "width":
            self.centerOn(rect.center().x(), rect.top() + view.height() / scale / 2)
        else:
            self.centerOn(rect.center())
        self._show_level()
        self.zoom_changed.emit(scale)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._refit()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP ** steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_1:
            self.actual_size()
        elif key == Qt.Key.Key_0:
            self.fit_page()
        elif key == Qt.Key.Key_W:
            self.fit_width()
        elif key == Qt.Key.Key_R:  # the panel turns the page and remembers it
            self.rotate_requested.emit(-90 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                                       else 90)
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.page_turn_requested.emit(1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_Backspace):
            self.page_turn_requested.emit(-1)
        elif key == Qt.Key.Key_Escape and self._drawing:
            self.set_drawing(False)
        else:
            super().keyPressEvent(event)  # arrows pan
            return
        event.accept()

    # -- regions -------------------------------------------------------------------------
    def set_regions(self, regions: list[dict]) -> None:
        """Show regions (dicts with ``id`` and fractions ``x``, ``y``, ``w``, ``h``)."""
        for item in self._regions.values():
            self.scene().removeItem(item)
        self._regions.clear()
        w, h = self._size
        for region in regions:
            item = QGraphicsRectItem(QRectF(region["x"] * w, region["y"] * h,
                                            region["w"] * w, region["h"] * h), self._page)
            item.setData(0, region["id"])
            item.setToolTip(region.get("title") or "")
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
            self._style(item, highlighted=False)
            self._regions[region["id"]] = item

    def region_ids(self) -> list[int]:
        """Ids of the regions shown."""
        return list(self._regions)

    def region_item(self, region_id: int) -> QGraphicsRectItem:
        """The rectangle drawn for a region."""
        return self._regions[region_id]

    def highlight_region(self, region_id: int | None) -> None:
        """Draw one region highlighted (None: none) and bring it into view."""
        for rid, item in self._regions.items():
            self._style(item, highlighted=rid == region_id)
        if region_id in self._regions:
            self.ensureVisible(self._regions[region_id].sceneBoundingRect(), 40, 40)

    @staticmethod
    def _style(item: QGraphicsRectItem, highlighted: bool) -> None:
        pen = QPen(_HIGHLIGHT_PEN if highlighted else _REGION_PEN)
        pen.setCosmetic(True)
        pen.setWidth(3 if highlighted else 2)
        item.setPen(pen)
        item.setBrush(QBrush(_HIGHLIGHT_FILL if highlighted else _REGION_FILL))
        item.setZValue(2 if highlighted else 1)

    # -- drawing a region ----------------------------------------------------------------
    @property
    def drawing(self) -> bool:
        """Whether dragging draws a region instead of panning."""
        return self._drawing

    def set_drawing(self, on: bool) -> None:
        """Switch region drawing on or off."""
        self._drawing = on
        self.setDragMode(QGraphicsView.DragMode.NoDrag if on else QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.OpenHandCursor)

    def _page_point(self, pos) -> QPointF:
        return self._page.mapFromScene(self.mapToScene(pos))

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            self._origin = self._page_point(event.position().toPoint())
            self._rubber = QGraphicsRectItem(QRectF(self._origin, self._origin), self._page)
            self._style(self._rubber, highlighted=True)
            event.accept()
            return
        if not self._drawing and event.button() == Qt.MouseButton.LeftButton:
            for item in self.items(event.position().toPoint()):
                if item.data(0) is not None and item in self._regions.values():
                    self.region_clicked.emit(int(item.data(0)))
                    break
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._rubber is not None and self._origin is not None:
            point = self._page_point(event.position().toPoint())
            self._rubber.setRect(QRectF(self._origin, point).normalized())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._rubber is not None:
            rect = self._rubber.rect().normalized()
            self.scene().removeItem(self._rubber)
            self._rubber, self._origin = None, None
            w, h = self._size
            rect = rect.intersected(QRectF(0, 0, w, h))
            if rect.width() * self.zoom() >= 4 and rect.height() * self.zoom() >= 4:
                self.region_drawn.emit(rect.x() / w, rect.y() / h, rect.width() / w, rect.height() / h)
            event.accept()
            return
        super().mouseReleaseEvent(event)
