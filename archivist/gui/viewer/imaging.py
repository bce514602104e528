"""Pixels for the viewer: display adjustments, Pillow → QImage, and background page loading.

Decoding happens on a thread pool (Pillow releases the GIL), never on the GUI thread. A load job
turns a page into a ready ``QImage`` (``QImage`` may be built off the GUI thread; ``QPixmap`` may
not) and posts it back with the generation it was asked for, so the panel can drop results for a
page the user has already left.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtGui import QImage

from archivist.gui.viewer.pixels import display_image, screen_view, use_single_blocks
from archivist.media.decode import ScreenPage, load_screen_page
from archivist.media.derivatives import PageRef, ensure_derivative

#: The most pixels the viewer decodes for one page. Larger scans (300 MP and more) are decoded
#: reduced by a whole factor (JPEG DCT scaling; uncompressed TIFF band by band) to about this
#: budget (at most 1.5² times it where only a power of two is possible): 40 MP is 160 MB.
FULL_RES_BUDGET = 40_000_000

# Decoded pages are allocated in one block, so that they reach the screen without a packing copy
# (see :mod:`archivist.gui.viewer.pixels`).
use_single_blocks()


@dataclass(frozen=True)
class Adjustments:
    """Non-destructive display settings of a page (kept in the page's ``view``)."""

    brightness: int = 0  # -100 … 100
    contrast: int = 0  # -100 … 100
    invert: bool = False

    @property
    def neutral(self) -> bool:
        """True when the picture is shown as it is."""
        return not (self.brightness or self.contrast or self.invert)


def lookup_table(adj: Adjustments) -> list[int]:
    """The 256-entry tone curve for brightness, contrast and inversion."""
    factor = math.tan((adj.contrast + 100) / 200 * math.pi / 2)  # 0 → 1, -100 → 0, 100 → ∞
    factor = min(factor, 50.0)
    offset = adj.brightness * 255 / 100
    table = []
    for value in range(256):
        out = (value - 127.5) * factor + 127.5 + offset
        out = 255 - out if adj.invert else out
        table.append(max(0, min(255, round(out))))
    return table


def adjust(image: Image.Image, adj: Adjustments) -> Image.Image:
    """Apply display adjustments to an ``RGB`` or ``L`` image (returns it unchanged if neutral)."""
    if adj.neutral:
        return image
    table = lookup_table(adj)
    return image.point(table * len(image.getbands()))


class Picture:
    """A page's pixels ready for the screen: a ``Format_RGB32`` ``QImage``.

    Build it off the GUI thread (making it is at most one pass over the picture); on the GUI
    thread ``QPixmap.fromImage(picture.qimage)`` then takes the pixels without converting or
    copying them: the pixmap shares them, so keep the picture for as long as the pixmap
    (``PageView`` does). Usually Qt owns the pixels; a page decoded in screen byte order is shown
    straight from the decoded memory, which the picture keeps alive.

    Args:
        image: an ``RGB`` or ``L`` image.
        bgr: its red and blue bands are swapped (``ScreenPage.bgr``).
        opaque: its pad bytes are all 255 (``ScreenPage.opaque``): with ``bgr``, no pass at all.
    """

    def __init__(self, image: Image.Image, bgr: bool = False, opaque: bool = False):
        self._keep = None
        view = screen_view(image) if bgr and opaque else None
        if view is not None:
            self.qimage, self._keep = view
        else:
            self.qimage = display_image(image, bgr)

    @classmethod
    def of(cls, page: ScreenPage, adj: Adjustments = Adjustments()) -> Picture:
        """The picture of a decoded page with display adjustments applied."""
        if adj.neutral:
            return cls(page.image, page.bgr, page.opaque)
        return cls(adjust(page.image, adj), page.bgr)  # adjusted pixels have pad bytes of 0

    def width(self) -> int:
        """Pixels across."""
        return self.qimage.width()


def to_qimage(image: Image.Image) -> QImage:
    """An owned ``QImage`` of an ``RGB`` or ``L`` Pillow image (safe off the GUI thread)."""
    return display_image(image)


def full_res_side(width: int, height: int, budget: int = FULL_RES_BUDGET) -> int | None:
    """The long side to decode a page at so it fits the pixel budget (None: full resolution).

    The side is the page's divided by the smallest whole factor that fits the budget, so the
    decode can take the fast whole-factor paths (``load_screen_page``, like ``load_page(fast=True)``).
    """
    if width * height <= budget:
        return None
    factor = math.ceil(math.sqrt(width * height / budget))
    return max(1, -(-max(width, height) // factor))


class LoadSignals(QObject):
    """Signals of :class:`LoadJob` (a ``QRunnable`` cannot emit signals itself).

    Signals:
        loaded(object, object, object): the job's key, the image (a Pillow image, or a
            ``ScreenPage`` for a decoded original) and the adjusted
            :class:`Picture`.
        failed(object, object): the job's key and the exception.
    """

    loaded = Signal(object, object, object)
    failed = Signal(object, object)


class ThumbJob(QRunnable):
    """Remake missing thumbnails off the GUI thread, reporting each as it is written.

    Args:
        signals: ``loaded(key, None, path)`` per thumbnail (key: ``(generation, "thumb", row)``);
            ``failed(key, exc)`` for a page that cannot be decoded.
        generation: echoed back in the keys.
        pages: ``(row, PageRef)`` of the pages without a thumbnail.
        cache_dir: the catalogue's cache folder.
        stop: an event the owner sets to end the job early (kept by the owner: Qt deletes a
            finished runnable).
    """

    def __init__(self, signals: LoadSignals, generation: int, pages: list[tuple[int, PageRef]],
                 cache_dir: Path, stop: threading.Event):
        super().__init__()
        self.signals, self.generation, self.pages, self.cache_dir = signals, generation, pages, cache_dir
        self.stop = stop  # set by the owner to end the job after the thumbnail in hand

    def run(self) -> None:
        for row, page in self.pages:
            if self.stop.is_set():
                return
            key = (self.generation, "thumb", row)
            try:
                path = ensure_derivative(page, self.cache_dir, "thumb")
            except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
                self.signals.failed.emit(key, exc)
                continue
            self.signals.loaded.emit(key, None, path)


class LoadJob(QRunnable):
    """Decode a page (or re-adjust an already decoded one) off the GUI thread.

    Args:
        signals: where to report (created on the GUI thread).
        key: echoed back (e.g. page generation, adjustment generation, kind) so the receiver can
            drop stale results.
        source: what to show: a cached preview to make if missing (``(PageRef, cache_dir)``), an
            original to decode (``Path``; it is reported as a ``ScreenPage``), or an already
            decoded image to re-adjust (a Pillow image or a ``ScreenPage``).
        page_index: the page inside a multi-page original.
        max_side: bound on the long side when decoding an original.
        adjustments: display adjustments to apply.
    """

    def __init__(self, signals: LoadSignals, key: object,
                 source: Path | Image.Image | ScreenPage | tuple[PageRef, Path], page_index: int = 0,
                 max_side: int | None = None, adjustments: Adjustments = Adjustments()):
        super().__init__()
        self.signals = signals
        self.key = key
        self.source = source
        self.page_index = page_index
        self.max_side = max_side
        self.adjustments = adjustments

    def run(self) -> None:
        try:
            if isinstance(self.source, ScreenPage):
                image = self.source
                picture = Picture.of(image, self.adjustments)
            elif isinstance(self.source, Image.Image):
                image = self.source
                picture = Picture(adjust(image, self.adjustments))
            elif isinstance(self.source, tuple):
                page, cache_dir = self.source
                image = read_preview(ensure_derivative(page, cache_dir, "preview"))
                picture = Picture(adjust(image, self.adjustments))
            else:
                image = load_screen_page(self.source, self.page_index, self.max_side)
                picture = Picture.of(image, self.adjustments)
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
            self.signals.failed.emit(self.key, exc)
            return
        self.signals.loaded.emit(self.key, image, picture)


def read_preview(path: Path) -> Image.Image:
    """Load a cached preview (a JPEG the derivatives step wrote: upright, ``RGB`` or ``L``)."""
    with Image.open(path) as cached:
        cached.load()
        return cached.copy() if cached.mode in ("RGB", "L") else cached.convert("RGB")
