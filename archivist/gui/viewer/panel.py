"""The scan viewer: a record's pages with their regions, transcriptions and translations.

Embed it anywhere::

    panel = ViewerPanel(cat)            # cat: the GUI's open Catalogue
    panel.set_record(record_id)         # show a record's pages (None: nothing)
    hub.changed.connect(panel.on_changes)   # refresh when something else changes the pages

A page opens at once, fitted to the window, from its cached preview; the sharper picture is
decoded in the background and replaces it when ready. Display settings (rotation, mirror,
brightness, contrast, invert) are remembered per page in the page's ``view``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QSettings, QThreadPool, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QToolBar, QVBoxLayout, QWidget

from archivist.core.changes import Changes
from archivist.core.errors import ArchivistError
from archivist.gui.errors import show_error
from archivist.gui.viewer.annotations import PageAnnotations
from archivist.gui.viewer.imaging import Adjustments, LoadSignals, ThumbJob
from archivist.gui.viewer.layout import ViewerSplitter
from archivist.gui.viewer.page_pictures import PagePictures
from archivist.gui.viewer.page_strip import PageStrip
from archivist.gui.viewer.page_view import PageView
from archivist.gui.viewer.side_panel import SidePanel
from archivist.gui.viewer.toolbar import build_toolbar
from archivist.media import derivatives, filestore
from archivist.store import media as store_media
from archivist.store.catalogue import Catalogue
from archivist.store.pages import pages_of

log = logging.getLogger("archivist.gui")

VIEW_SAVE_DELAY_MS = 400


class ViewerPanel(QWidget):
    """Pages of one record: picture, page strip, tools, and a side panel of texts and regions.

    Args:
        cat: the open catalogue (the GUI thread's connection).
        record_id: the record to show, or None.
        parent: the parent widget.
        settings: where the split between picture and side panel is kept (None: not kept).

    Signals:
        page_changed(int): the page now shown (index among the record's pages; -1: none).
        full_screen_changed(bool): the viewer entered or left full screen.
        sharpened(int): the full-resolution picture of the page at this index is shown.
    """

    page_changed = Signal(int)
    full_screen_changed = Signal(bool)
    sharpened = Signal(int)

    def __init__(self, cat: Catalogue, record_id: int | None = None, parent: QWidget | None = None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.cat = cat
        self.record_id: int | None = None
        self._pool = QThreadPool(self)  # first child: destroyed (and waited for) before the signals
        self._pool.setMaxThreadCount(2)
        self._signals = LoadSignals(self)  # the page strip's thumbnails
        self._signals.loaded.connect(self._on_thumb)
        self._pages: list[dict] = []
        self._index = -1
        self._record_gen = 0
        self._thumb_stop = threading.Event()
        self._adj = Adjustments()
        self._writing = False
        self._pending_view: tuple[int | None, dict | None] = (None, None)
        self._was_maximized = False
        self._view_timer = QTimer(self)
        self._view_timer.setSingleShot(True)
        self._view_timer.setInterval(VIEW_SAVE_DELAY_MS)
        self._view_timer.timeout.connect(self._save_view)

        self.view = PageView()
        self.strip = PageStrip()
        self.side = SidePanel()
        self.status = QLabel()
        self.toolbar = QToolBar()
        self.actions_by_name = build_toolbar(self)
        picture = QWidget()  # the page over its strip; the side panel has the full height
        column = QVBoxLayout(picture)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.view, 1)
        column.addWidget(self.strip)
        self.splitter = ViewerSplitter(picture, self.side, settings)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

        self.pictures = PagePictures(self.view, self._pool, cat.cache_dir, self)
        self.pictures.sharpened.connect(self._on_sharpened)
        self.pictures.preview_made.connect(self._on_preview_made)
        self.pictures.failed.connect(self._on_picture_failed)
        self.annotations = PageAnnotations(cat, self.view, self.side, self.current_page,
                                           self._write, lambda: self.set_drawing(False))
        self.strip.currentRowChanged.connect(self.show_page)
        self.view.page_turn_requested.connect(lambda step: self.show_page(self._index + step))
        self.view.rotate_requested.connect(self._turn)
        self.view.zoom_changed.connect(self._update_status)
        if record_id is not None:
            self.set_record(record_id)
        else:
            self._update_status()

    # -- records and pages ---------------------------------------------------------------
    @property
    def page_count(self) -> int:
        """How many pages the record has."""
        return len(self._pages)

    @property
    def current_index(self) -> int:
        """The index of the page shown (-1: none)."""
        return self._index

    def current_page(self) -> dict | None:
        """The row of the page shown (as :func:`archivist.store.pages.pages_of` gives it)."""
        return self._pages[self._index] if 0 <= self._index < len(self._pages) else None

    def set_record(self, record_id: int | None, page: int = 0) -> None:
        """Show a record's pages, from ``page``."""
        self._leave_page()
        self.record_id = record_id
        self._pages = pages_of(self.cat, record_id) if record_id is not None else []
        self._index = -1
        cache = self.cat.cache_dir
        thumbs = [derivatives.cache_path(cache, p["sha256"], p["page_index"], "thumb")
                  for p in self._pages]
        self.strip.set_pages([p["label"] or f"{i + 1}" for i, p in enumerate(self._pages)], thumbs)
        self._record_gen += 1
        missing = [(row, self._page_ref(p)) for row, (p, t) in enumerate(zip(self._pages, thumbs))
                   if not t.is_file()]
        self._thumb_stop.set()
        self._thumb_stop = threading.Event()
        if missing:  # the cache was cleared: remake the strip's thumbnails in the background
            self._pool.start(ThumbJob(self._signals, self._record_gen, missing, cache,
                                      self._thumb_stop))
        if self._pages:
            self.show_page(max(0, min(page, len(self._pages) - 1)))
        else:
            self.pictures.clear()
            self.view.set_page(1, 1)
            self.page_changed.emit(-1)
            self._update_status()

    def move_page(self, step: int) -> None:
        """Move the page shown ``step`` places earlier (negative) or later among the record's pages."""
        page = self.current_page()
        target = self._index + step
        if page is None or not 0 <= target < len(self._pages):
            return
        self._leave_page()
        if self._write(store_media.move_page, page["id"], target) is not None:
            self.set_record(self.record_id, target)

    def reload(self) -> None:
        """Re-read the record's pages, staying on the same page where it still exists."""
        self.set_record(self.record_id, max(self._index, 0))

    def on_changes(self, changes: Changes) -> None:
        """Refresh when something else changed this record's pages (connect to the hub)."""
        if not self._writing and self.record_id is not None and self.record_id in changes.media:
            self.reload()

    def next_page(self) -> None:
        """Turn to the next page."""
        self.show_page(self._index + 1)

    def previous_page(self) -> None:
        """Turn to the previous page."""
        self.show_page(self._index - 1)

    def show_page(self, index: int) -> None:
        """Show the page at ``index`` (ignored when out of range or already shown)."""
        if not 0 <= index < len(self._pages) or index == self._index:
            return
        self._leave_page()
        self._index = index
        page = self._pages[index]
        view = page["view"] or {}
        self.view.set_page(page["width"] or 1, page["height"] or 1)
        self.view.set_orientation(view.get("rotation", 0), view.get("mirror", False))
        self._adj = Adjustments(int(view.get("brightness", 0)), int(view.get("contrast", 0)),
                                bool(view.get("invert", False)))
        self._set_adjustment_controls(self._adj)
        self.actions_by_name["mirror"].setChecked(self.view.mirrored)
        self.view.fit_page()
        self.pictures.show(page, self._source(page), self._page_ref(page), self._adj)
        self.annotations.load(page)
        self.strip.blockSignals(True)
        self.strip.setCurrentRow(index)
        self.strip.blockSignals(False)
        self._update_status()
        self.page_changed.emit(index)

    def _leave_page(self) -> None:
        self.side.flush()
        if self._view_timer.isActive():
            self._save_view()

    def _source(self, page: dict) -> Path:
        return filestore.path_for(self.cat.path, page["sha256"], page["ext"])

    def _page_ref(self, page: dict) -> derivatives.PageRef:
        return derivatives.PageRef(self._source(page), page["sha256"], page["page_index"])

    def _on_thumb(self, key, _image, path) -> None:
        if key[0] == self._record_gen:
            self.strip.set_thumb(key[2], path)

    def _on_preview_made(self) -> None:
        page = self.current_page()
        if page is not None:  # making the preview made the thumbnail too
            thumb = derivatives.cache_path(self.cat.cache_dir, page["sha256"], page["page_index"],
                                           "thumb")
            self.strip.set_thumb(self._index, thumb)

    def _on_sharpened(self) -> None:
        self.sharpened.emit(self._index)
        self._update_status()

    def _on_picture_failed(self, exc, kind: str) -> None:
        log.warning("cannot show page %s: %s", self._index + 1, exc)
        self.status.setText(f"Cannot show this page: {exc}")
        if isinstance(exc, ArchivistError) and kind == "preview":
            show_error(self, exc)

    def is_sharp(self) -> bool:
        """Whether the page is shown at its full (or budgeted) resolution."""
        return self.pictures.sharp

    # -- orientation and adjustments -----------------------------------------------------
    def _turn(self, degrees: int) -> None:
        self.view.rotate_by(degrees)
        self._view_changed()

    def _mirror(self) -> None:
        self.view.toggle_mirror()
        self.actions_by_name["mirror"].setChecked(self.view.mirrored)
        self._view_changed()

    def rotate(self, degrees: int) -> None:
        """Turn the page by a multiple of 90° (remembered for this page)."""
        self._turn(degrees)

    def mirror(self) -> None:
        """Flip the page left to right, or back (remembered for this page)."""
        self._mirror()

    def adjustments(self) -> Adjustments:
        """The current page's display adjustments."""
        return self._adj

    def set_adjustments(self, adj: Adjustments) -> None:
        """Set brightness, contrast and invert for this page (remembered)."""
        self._set_adjustment_controls(adj)
        self._adjustments_changed()

    def reset_adjustments(self) -> None:
        """Show the page as it is."""
        self.set_adjustments(Adjustments())

    def _set_adjustment_controls(self, adj: Adjustments) -> None:
        for widget, value in ((self.brightness, adj.brightness), (self.contrast, adj.contrast)):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        self.actions_by_name["invert"].setChecked(adj.invert)

    def _adjustments_changed(self, *_args) -> None:
        adj = Adjustments(self.brightness.value(), self.contrast.value(),
                          self.actions_by_name["invert"].isChecked())
        if adj == self._adj:
            return
        self._adj = adj
        self.pictures.set_adjustments(adj)
        self._view_changed()

    def _view_changed(self) -> None:
        page = self.current_page()
        if page is None:
            return
        page["view"] = {**(page["view"] or {}), "rotation": self.view.rotation,
                        "mirror": self.view.mirrored, "brightness": self._adj.brightness,
                        "contrast": self._adj.contrast, "invert": self._adj.invert}
        self._pending_view = (page["id"], dict(page["view"]))
        self._view_timer.start()

    def _save_view(self) -> None:
        self._view_timer.stop()
        page_id, view = self._pending_view
        if page_id is None:
            return
        self._pending_view = (None, None)
        self._write(store_media.set_page_view, page_id, view)

    def flush(self) -> None:
        """Save pending edits and display settings now (call before closing)."""
        self._leave_page()

    # -- full screen and drawing ---------------------------------------------------------
    def set_full_screen(self, on: bool) -> None:
        """Fill the screen with the viewer (the strip and side panel are hidden), or go back."""
        self.actions_by_name["full_screen"].setChecked(on)
        window = self.window()
        if on:
            self._was_maximized = window.isMaximized()
            window.showFullScreen()
        elif self._was_maximized:
            window.showMaximized()
        else:
            window.showNormal()
        self.side.setVisible(not on)
        self.strip.setVisible(not on)
        self.full_screen_changed.emit(on)

    def is_full_screen(self) -> bool:
        """Whether the viewer fills the screen."""
        return self.actions_by_name["full_screen"].isChecked()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.is_full_screen():
            self.set_full_screen(False)
            return
        super().keyPressEvent(event)

    def _toggle_drawing(self, on: bool) -> None:
        self.view.set_drawing(on)

    def set_drawing(self, on: bool) -> None:
        """Switch region drawing on or off (dragging then draws a rectangle)."""
        self.actions_by_name["draw"].setChecked(on)
        self.view.set_drawing(on)

    def _write(self, fn, *args):
        """Call a store function on our connection; expected errors are shown, not raised."""
        self._writing = True
        try:
            return fn(self.cat, *args)
        except ArchivistError as exc:
            show_error(self, exc)
            return None
        finally:
            self._writing = False

    def _update_status(self, *_args) -> None:
        page = self.current_page()
        if page is None:
            self.status.setText("No pages yet: drop scans here, or File → Add scans… (Ctrl+Shift+A)"
                                if self.record_id is not None
                                else "Select a record to see its scans here.")
            return
        self.status.setText(
            f"Page {self._index + 1} of {len(self._pages)} · {page['original_name'] or ''}"
            f" · {page['width']}×{page['height']} px · zoom {self.view.zoom() * 100:.0f}%")

    def shutdown(self) -> None:
        """Save pending edits and wait for background decoding to end (call before closing)."""
        self.flush()
        self.pictures.clear()
        self._thumb_stop.set()
        self._pool.clear()
        self._pool.waitForDone()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)
