"""The viewer's edits of a page's description: regions drawn on it, its transcription and translation.

:class:`PageAnnotations` connects the picture (:class:`PageView`) and the side panel
(:class:`SidePanel`) to the store: it loads a page's regions and texts, and turns the user's
drawing and typing into store calls through the panel's ``write`` door (which shows expected
errors and keeps the panel from reloading on its own changes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archivist.gui.viewer.page_view import PageView
from archivist.gui.viewer.side_panel import SidePanel
from archivist.store import media as store_media
from archivist.store.catalogue import Catalogue
from archivist.store.pages import regions_of, texts_of


class PageAnnotations:
    """Regions and texts of the page shown.

    Args:
        cat: the catalogue.
        view: the picture, which draws regions and reports new ones.
        side: the side panel with the text editors and the region list.
        current_page: returns the row of the page shown (or None).
        write: calls ``fn(cat, *args)`` and returns its result, or None after showing an error.
        drawing_done: called after a region was drawn (to leave drawing mode).
    """

    def __init__(self, cat: Catalogue, view: PageView, side: SidePanel,
                 current_page: Callable[[], dict | None], write: Callable[..., Any],
                 drawing_done: Callable[[], None]):
        self.cat = cat
        self.view = view
        self.side = side
        self.current_page = current_page
        self.write = write
        self.drawing_done = drawing_done
        self.text_ids: dict[str, int] = {}
        view.region_drawn.connect(self.add_region)
        view.region_clicked.connect(self.region_clicked)
        side.regions.region_selected.connect(
            lambda rid: view.highlight_region(rid if rid >= 0 else None))
        side.regions.region_edited.connect(self.edit_region)
        side.regions.region_deleted.connect(self.delete_region)
        for editor in side.editors():
            editor.edited.connect(self.save_text)

    def load(self, page: dict) -> None:
        """Show a page's regions and texts."""
        self.load_regions(page)
        self.load_texts(page)

    def load_regions(self, page: dict) -> None:
        """Show a page's regions on the picture and in the list."""
        regions = regions_of(self.cat, page["id"])
        self.view.set_regions(regions)
        self.side.regions.set_regions(regions)

    def add_region(self, x: float, y: float, w: float, h: float) -> None:
        """Store a region just drawn (fractions of the page) and select it."""
        page = self.current_page()
        if page is None:
            return
        region_id = self.write(store_media.add_region, page["id"], x, y, w, h)
        if region_id is None:
            return
        self.load_regions(page)
        self.side.setCurrentWidget(self.side.regions)
        self.side.regions.select(region_id)
        self.view.highlight_region(region_id)
        self.drawing_done()

    def region_clicked(self, region_id: int) -> None:
        """Select a region clicked on the picture."""
        self.side.setCurrentWidget(self.side.regions)
        self.side.regions.select(region_id)

    def edit_region(self, region_id: int, values: dict) -> None:
        """Store a region's changed title, description or transcription."""
        self.write(store_media.update_region, region_id, values)
        if "title" in values and region_id in self.view.region_ids():
            self.view.region_item(region_id).setToolTip(values["title"] or "")

    def delete_region(self, region_id: int) -> None:
        """Delete a region."""
        if self.write(store_media.delete_region, region_id) is not None:
            page = self.current_page()
            if page is not None:
                self.load_regions(page)

    def load_texts(self, page: dict) -> None:
        """Show a page's transcription and translation."""
        self.text_ids = {}
        texts = texts_of(self.cat, page["id"])
        for editor in self.side.editors():
            text = next((t for t in texts if t["kind"] == editor.kind), None)
            editor.set_text(text["language"] if text else None, text["text"] if text else "")
            if text:
                self.text_ids[editor.kind] = text["id"]

    def save_text(self, kind: str, language: str, text: str) -> None:
        """Store an edited transcription or translation of the page shown."""
        page = self.current_page()
        if page is None:
            return
        text_id = self.write(store_media.save_page_text, page["id"], kind, text, language or None,
                             self.text_ids.get(kind))
        if text_id is not None:
            self.text_ids[kind] = text_id
