"""The pictures of the page shown: its preview at once, then the sharper picture from the original.

The preview is read from the cache on the GUI thread (a small JPEG) or, when it is missing, made
on the thread pool; the original is decoded on the pool (at full resolution, or reduced to the
viewer's pixel budget for very large scans) and shown when ready. Every job carries the page and
adjustment generations it was asked for, so results for a page already left, or for settings
already changed, are dropped or redone. Split from :mod:`archivist.gui.viewer.panel`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from archivist.gui.viewer.imaging import (Adjustments, LoadJob, LoadSignals, Picture, adjust,
                                          full_res_side, read_preview)
from archivist.gui.viewer.page_view import PageView
from archivist.media import derivatives


class PagePictures(QObject):
    """Shows one page at a time in a :class:`PageView`: preview first, then sharper.

    Args:
        view: where the pictures go.
        pool: the thread pool for decoding (shared with the page strip's thumbnails).
        cache_dir: the catalogue's ``cache/`` folder.
        parent: the owning widget.

    Signals:
        sharpened(): the page is shown at its full (or budgeted) resolution.
        preview_made(): a missing preview (and its thumbnail) was made for the page.
        failed(object, str): the page cannot be shown: the exception, and ``"preview"`` or
            ``"full"`` for the picture that failed.
    """

    sharpened = Signal()
    preview_made = Signal()
    failed = Signal(object, str)

    def __init__(self, view: PageView, pool: QThreadPool, cache_dir: Path,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.view, self.pool, self.cache_dir = view, pool, cache_dir
        self._signals = LoadSignals(self)
        self._signals.loaded.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self._gen = 0
        self._adj_gen = 0
        self._adj = Adjustments()
        self._page: dict | None = None
        self._source: Path | None = None
        self._preview = None  # Pillow image of the preview
        self._full = None  # ScreenPage of the sharper picture, once decoded
        self._sharp = False
        self._full_started = False

    @property
    def sharp(self) -> bool:
        """Whether the page is shown at its full (or budgeted) resolution."""
        return self._sharp

    def clear(self) -> None:
        """Forget the page: results still coming for it are dropped."""
        self._gen += 1
        self._page = self._source = self._preview = self._full = None
        self._sharp = self._full_started = False

    def show(self, page: dict, source: Path, ref: derivatives.PageRef, adj: Adjustments) -> None:
        """Show a page (a row of ``pages_of``): its preview now, the sharper picture when decoded.

        Args:
            page: the page's row (``width``, ``height``, ``sha256``, ``page_index``).
            source: its stored original.
            ref: the page for the derivatives cache.
            adj: its display adjustments.
        """
        self.clear()
        self._page, self._source, self._adj = page, source, adj
        self._adj_gen += 1
        path = derivatives.cache_path(self.cache_dir, page["sha256"], page["page_index"], "preview")
        try:
            self._preview = read_preview(path)
        except OSError:  # not made yet, or deleted: make it in the background
            self.pool.start(LoadJob(self._signals, (self._gen, self._adj_gen, "preview"),
                                    (ref, self.cache_dir), adjustments=adj))
            if max(page["width"] or 0, page["height"] or 0) > derivatives.PREVIEW_SIZE * 1.5:
                self._start_full()  # the preview will surely be reduced: start now
            return
        self.view.set_preview(Picture(adjust(self._preview, adj)))
        self._after_preview()

    def set_adjustments(self, adj: Adjustments) -> None:
        """Show the page with other display adjustments (the sharper picture is redone off the
        GUI thread from its decoded pixels)."""
        if adj == self._adj:
            return
        self._adj = adj
        self._adj_gen += 1
        if self._preview is not None:
            self.view.set_preview(Picture(adjust(self._preview, adj)))
        if self._full is not None:
            self._start_adjust()

    def _after_preview(self) -> None:
        """Sharpen: the preview may already be the page at full size; else decode the original."""
        if self._preview is not None and self._preview.width >= (self._page["width"] or 0):
            self._set_sharp()
        elif not self._full_started:
            self._start_full()

    def _start_full(self) -> None:
        self._full_started = True
        page = self._page
        side = full_res_side(page["width"], page["height"])
        self.pool.start(LoadJob(self._signals, (self._gen, self._adj_gen, "full"), self._source,
                                page["page_index"], side, self._adj))

    def _start_adjust(self) -> None:
        self.pool.start(LoadJob(self._signals, (self._gen, self._adj_gen, "full"), self._full,
                                adjustments=self._adj))

    def _set_sharp(self) -> None:
        if not self._sharp:
            self._sharp = True
            self.sharpened.emit()

    def _on_loaded(self, key, image, picture) -> None:
        gen, adj_gen, kind = key
        if gen != self._gen or self._page is None:
            return
        if kind == "preview":
            self._preview = image
            self.view.set_preview(picture if adj_gen == self._adj_gen
                                  else Picture(adjust(image, self._adj)))
            self.preview_made.emit()
            if self._full is None:
                self._after_preview()
            return
        self._full = image
        if adj_gen != self._adj_gen:  # adjusted for settings since changed: redo from the pixels
            self._start_adjust()
            return
        self.view.set_full(picture)  # the view keeps the picture: its pixmap shares the pixels
        self._set_sharp()

    def _on_failed(self, key, exc) -> None:
        if key[0] == self._gen:
            self.failed.emit(exc, key[2])
