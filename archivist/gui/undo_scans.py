"""Undo and redo of an ingest: the scans it added go away and come back.

The ingest itself runs in the background and is done by the time the command is pushed (see
:func:`archivist.gui.undo.push_done`). Undo sends the items the ingest created to the trash (with
their pages) and takes the pages it added to an existing record off it, keeping a snapshot of each
(texts and regions drawn since included); redo restores the items and puts the pages back at their
places. The stored originals stay in the content store either way, as after any page removal:
nothing the user brought in is lost.
"""

from __future__ import annotations

from archivist.gui.undo import StoreCommand
from archivist.ops.ingest_report import IngestReport
from archivist.store import media, pages, trash
from archivist.store.catalogue import Catalogue


class IngestCommand(StoreCommand):
    """Scans added by an ingest (already applied when pushed).

    Args:
        cat: the open catalogue.
        report: the ingest's report (created items, pages added).
        made: items made for the ingest before it ran (a new item for the pages dropped on a
            unit): undone with it.
    """

    def __init__(self, cat: Catalogue, report: IngestReport, made: list[int] = ()):
        count = report.page_count
        super().__init__(cat, f"Add {count} scan page{'' if count == 1 else 's'}" if count
                         else "New item for scans")
        self.created = list(made) + list(report.created_records)
        made = set(self.created)
        self.page_ids = [pid for f in report.ingested if f.record_id not in made for pid in f.page_ids]
        self.snapshots: list[dict] = []

    def apply(self) -> None:
        """Redo: the items come back from the trash and the pages go back where they were."""
        with self.cat.atomic():
            if self.created:
                trash.restore_records(self.cat, self.created)
            self.page_ids = []
            for snap in self.snapshots:
                pid = pages.add_page(self.cat, snap["record_id"], snap["file_id"],
                                     page_index=snap["page_index"], label=snap["label"],
                                     width=snap["width"], height=snap["height"],
                                     texts=snap["texts"], regions=snap["regions"])
                if snap["view"]:
                    media.set_page_view(self.cat, pid, snap["view"])
                media.move_page(self.cat, pid, snap["position"])
                self.page_ids.append(pid)

    def revert(self) -> None:
        """Undo: the created items go to the trash, the added pages come off their records."""
        with self.cat.atomic():
            self.snapshots = [pages.page_snapshot(self.cat, pid) for pid in self.page_ids]
            for pid in reversed(self.page_ids):
                media.remove_page(self.cat, pid)
            if self.created:
                trash.trash_records(self.cat, self.created)
