"""The committing side of an ingest: flush a run of finished files, then one transaction per file.

Runs on the calling thread only (the catalogue's connection is not shared). A worker hands over a
:class:`Prepared` file (paths and facts, no pixels); :func:`commit_batch` waits for the copies'
flushes, flushes their folders, and writes each file's row, pages and ingestion event in its own
transaction, in the order given. Split from :mod:`archivist.ops.ingest`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from archivist.media import filestore
from archivist.media.derivatives import PageRef
from archivist.media.probe import FileInfo
from archivist.ops.ingest_report import IngestedFile, IngestReport, Refused
from archivist.store import media as store_media
from archivist.store import records
from archivist.store.catalogue import Catalogue
from archivist.store.pages import add_page

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Prepared:
    """A file a worker has stored and decoded, ready to be committed.

    Attributes:
        path: the source file.
        info: what the file is.
        stored: its copy in the store (written, maybe not yet flushed).
        previews_pending: pages whose preview was left for the background pass.
        flushed: the copy's early flush (:func:`archivist.media.filestore.flush_file` on the
            flushing thread), or None when there was none (a duplicate, or no flushing thread).
    """

    path: Path
    info: FileInfo
    stored: filestore.StoredFile
    previews_pending: tuple[PageRef, ...] = ()
    flushed: Future[None] | None = None


def _file_info_columns(info: FileInfo) -> dict:
    dpi = info.pages[0].dpi
    return {
        "format": info.format, "mode": info.pages[0].mode, "width": info.width,
        "height": info.height, "dpi_x": dpi, "dpi_y": dpi, "orientation": info.orientation,
        "page_count": info.page_count, "capture": info.capture,
    }


def _commit(cat: Catalogue, prep: Prepared, record_id: int | None, parent_id: int | None,
            level: str, report: IngestReport) -> None:
    """One transaction: the file row, the pages (and the new item), the ingestion event."""
    name = unicodedata.normalize("NFC", prep.path.name)
    with cat.atomic():
        file_id, created = store_media.ensure_file_row(
            cat, sha256=prep.stored.sha256, ext=prep.stored.ext, size=prep.stored.size,
            info=_file_info_columns(prep.info), original_name=name)
        if record_id is None:
            title = unicodedata.normalize("NFC", prep.path.stem) or name
            record_id = records.create_record(cat, title=title, level=level, parent_id=parent_id)
            report.created_records.append(record_id)
        page_ids = []
        for page in prep.info.pages:
            if store_media.record_has_page(cat, record_id, file_id, page.index):
                continue
            page_ids.append(add_page(cat, record_id, file_id, page_index=page.index,
                                     width=page.width, height=page.height))
        duplicate = not created  # already in the catalogue (or earlier in this batch)
        store_media.log_event(
            cat, store_media.EVENT_INGESTION, file_id=file_id,
            outcome="duplicate" if duplicate else "success",
            detail={"sha256": prep.stored.sha256, "algorithm": "SHA-256", "size": prep.stored.size,
                    "original_name": name, "record_id": record_id, "pages": len(page_ids)})
    report.ingested.append(IngestedFile(prep.path, prep.stored.sha256, file_id, record_id,
                                        tuple(page_ids), duplicate))
    report.previews_pending.extend(prep.previews_pending)


def commit_batch(cat: Catalogue, batch: list[tuple[int, Prepared | Refused]],
                 record_id: int | None, parent_id: int | None, level: str, report: IngestReport,
                 progress: Progress | None, total: int) -> int:
    """Make a run of finished files durable together, then commit each in order.

    The stored copies were written without flushing (``put_file(sync=False)``) and flushed early
    on the flushing thread. Here those flushes are waited for (a failed one fails the batch: a
    second flush through another descriptor might not see the error), then one pass flushes the
    files (already written, so cheap) and their folders, so every file is durable before its row
    commits while the folders are flushed once per batch rather than once per file. A crash
    before the rows commit leaves files without rows, which ``reconcile`` removes. Returns the
    next index to commit. On an error, files of the batch not yet committed are taken out of the
    store.
    """
    preps = [item for _, item in batch if isinstance(item, Prepared)]
    done = 0
    try:
        for prep in preps:
            if prep.flushed is not None:
                prep.flushed.result()  # DiskFull, ReadOnly or OSError, as sync_stored raises
        filestore.sync_stored(p.stored.path for p in preps)
        for index, item in batch:
            if isinstance(item, Refused):
                report.refused.append(item)
            else:
                _commit(cat, item, record_id, parent_id, level, report)
            done += 1
            if progress is not None:
                progress(index + 1, total)
    except BaseException:
        for _, item in batch[done:]:
            if isinstance(item, Prepared):
                forget(cat, item)
        raise
    return batch[-1][0] + 1


def forget(cat: Catalogue, prep: Prepared) -> None:
    """Undo the store side of a file whose transaction failed (if no row claims it)."""
    if not prep.stored.duplicate and store_media.find_file(cat, prep.stored.sha256) is None:
        filestore.remove_file(cat.path, prep.stored.sha256, prep.stored.ext)


def abandon(cat: Catalogue, in_flight: dict[int, Future[Prepared]]) -> None:
    """After an error: let running files finish, then remove what they stored without a row."""
    for future in in_flight.values():
        future.cancel()
    for future in in_flight.values():
        if future.cancelled():
            continue
        try:
            prep = future.result()
        except Exception:  # noqa: BLE001 - already failing; this file stored nothing to undo
            continue
        forget(cat, prep)
