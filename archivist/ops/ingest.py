"""Ingest scans into a catalogue: copy with fixity, inspect, make derivatives, add pages.

Each file goes through the same steps on a worker pool (threads, one per core: Pillow and hashlib
release the GIL while they work, and only paths and facts pass between threads, never pixels): it
is inspected (:func:`archivist.media.probe.probe`), copied into the content-addressed store while
it is hashed (read once), and every page is decoded once to make its thumbnail (and, for formats
that must be decoded in full anyway, its preview), which also proves the data is whole. JPEG and
PDF pages are decoded at thumbnail scale only, which is several times cheaper; their previews are
made afterwards by :func:`make_previews` (a background pass) or on demand by the viewer.

Workers copy without flushing and hand each new copy to a flushing thread, which writes it to
disk while the worker decodes it. On the calling thread each run of finished files is then made
durable together (:func:`archivist.ops.ingest_commit.commit_batch`: the early flushes are waited
for, the files and their folders flushed) and only then, in file order, one transaction per file
writes its ``files`` row, its pages (or a new item record), and an ``ingestion`` event. A file is
therefore either fully ingested or not at all: a refused or cancelled file leaves nothing, and a
crash leaves at worst a stored file without a row, which :func:`archivist.store.media.reconcile`
removes when the catalogue is opened again.

The report types and :func:`collect_files` live in :mod:`archivist.ops.ingest_report`, the
committing side in :mod:`archivist.ops.ingest_commit`; both are re-exported here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from pathlib import Path

from archivist.core.errors import BadFile, InvalidValue
from archivist.core.levels import check_containment
from archivist.media import derivatives, filestore, locks
from archivist.media.derivatives import PageRef
from archivist.media.probe import bad_file, probe
from archivist.ops.ingest_commit import Prepared, abandon, commit_batch
from archivist.ops.ingest_report import IngestedFile, IngestReport, Refused, collect_files
from archivist.store import records
from archivist.store.catalogue import Catalogue

__all__ = ["DEFERRED_PREVIEW_FORMATS", "IngestReport", "IngestedFile", "Refused", "collect_files",
           "ingest", "ingest_task", "make_previews", "previews_task"]

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

#: Files finished ahead of a slow one that may wait to be committed.
_MAX_BUFFERED = 256


#: Formats whose pages decode (or render) far more cheaply at thumbnail scale than at preview scale:
#: ingest decodes them small, which proves the data whole, and leaves the preview for later.
DEFERRED_PREVIEW_FORMATS = {"JPEG", "PDF"}


def _prepare(cat_dir: Path, cache_dir: Path, path: Path, previews: bool,
             flusher: Executor | None = None) -> Prepared:
    """Worker: inspect, store and decode one file (no SQL). Raises BadFile naming ``path``.

    With a ``flusher``, a new copy is flushed to disk there while this thread decodes it.
    """
    info = probe(path)
    try:
        stored = filestore.put_file(cat_dir, path, ext=info.ext, sync=False)
    except OSError as exc:
        raise bad_file(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    flushed = None
    if flusher is not None and not stored.duplicate:
        flushed = flusher.submit(filestore.flush_file, stored.path)
    defer = not previews and info.format in DEFERRED_PREVIEW_FORMATS
    pending = []
    try:
        for page in info.pages:
            ref = PageRef(stored.path, stored.sha256, page.index)
            missing = set(derivatives.missing_kinds(ref, cache_dir))
            if stored.duplicate and not missing:
                continue
            if defer and "preview" in missing:
                pending.append(ref)
                missing.discard("preview")
            # A duplicate whose thumbnail exists was proven whole when it first came in.
            if missing or not stored.duplicate:
                derivatives.make_derivatives(ref, cache_dir, missing or {"thumb"})
    except BadFile as exc:
        if not stored.duplicate:
            filestore.remove_file(cat_dir, stored.sha256, stored.ext)
        raise bad_file(path, getattr(exc, "reason", str(exc))) from exc
    return Prepared(path, info, stored, tuple(pending), flushed)


def ingest(
    cat: Catalogue,
    paths: Iterable[str | os.PathLike[str]],
    *,
    record_id: int | None = None,
    parent_id: int | None = None,
    level: str = "item",
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    workers: int | None = None,
    previews: bool = False,
) -> IngestReport:
    """Ingest files and folders as pages of one record, or as one new record per file.

    Give exactly one of ``record_id`` (every file's pages are appended to that record, in order)
    and ``parent_id`` (each file becomes a new record at ``level`` under that parent, titled with
    the file's name).

    Args:
        cat: the open catalogue (used only from the calling thread).
        paths: files and folders (see :func:`collect_files`).
        record_id: the record to add pages to.
        parent_id: the parent of the new records.
        level: the level of the new records.
        progress: called ``progress(files_done, files_total)`` on the calling thread.
        cancelled: polled between files; once True no further file is started, files in flight
            are finished and committed, and the report says it was cancelled.
        workers: pool size (default: one per CPU).
        previews: also make the previews of JPEG and PDF pages now. By default ingest decodes
            them only at thumbnail scale (a JPEG's DCT scaling by 8 still reads all its data, so
            damage is found) and lists them in ``previews_pending`` for a background pass;
            other formats are decoded in full anyway, so their previews come from that decode.

    Returns:
        What was ingested, what was refused and why.

    Raises:
        InvalidValue: both or neither of ``record_id`` and ``parent_id``, or a missing path.
        InvalidHierarchy: the parent cannot hold records at ``level``.
        NotFound: the record or parent does not exist.
        DiskFull, ReadOnly: the store cannot be written (the batch stops; finished files stay).
    """
    if (record_id is None) == (parent_id is None):
        raise InvalidValue("give either a record to add pages to or a parent for new records")
    target = records.get_record(cat, record_id if record_id is not None else parent_id)
    if parent_id is not None:
        check_containment(target.level, level)
    files = collect_files(paths)
    report = IngestReport(total=len(files))
    if progress is not None:
        progress(0, len(files))
    # One worker per core: the flushes are done per batch on this thread, so workers no longer
    # wait on the disk; a spare worker only split the cores three ways (measured: 2 workers ingest
    # 4 A4 TIFFs at ~460 MB/s against ~400 with 3, JPEGs at the same rate).
    workers = workers or derivatives.default_workers()
    cache_dir = cat.cache_dir
    with (locks.ingesting(cat.path), ThreadPoolExecutor(1, "ingest-flush") as flusher,
          ThreadPoolExecutor(workers, "ingest") as pool):
        _run(cat, files, pool, flusher, workers, cache_dir, record_id, parent_id, level, report,
             progress, cancelled, previews)
    return report


def ingest_task(paths: Iterable[str | os.PathLike[str]], **options) -> Callable[..., IngestReport]:
    """An ingest as a background task ``fn(cat, progress, cancelled)`` (``gui.tasks.TaskRunner``).

    Args:
        paths: files and folders.
        **options: keywords of :func:`ingest` (``record_id`` or ``parent_id``, ``level`` ...).
    """
    paths = list(paths)

    def task(cat: Catalogue, progress: Progress, cancelled: IsCancelled) -> IngestReport:
        return ingest(cat, paths, progress=progress, cancelled=cancelled, **options)

    return task


def previews_task(pages: Iterable[PageRef]) -> Callable[..., derivatives.BatchResult]:
    """The background pass for an ingest's pending previews, as ``fn(cat, progress, cancelled)``."""
    pages = list(pages)

    def task(cat: Catalogue, progress: Progress, cancelled: IsCancelled) -> derivatives.BatchResult:
        return make_previews(cat, pages, progress=progress, cancelled=cancelled)

    return task


def make_previews(
    cat: Catalogue, pages: Iterable[PageRef], *, progress: Progress | None = None,
    cancelled: IsCancelled | None = None, workers: int | None = None,
) -> derivatives.BatchResult:
    """Make the previews an ingest left pending (a background pass; safe to cancel and redo).

    Args:
        cat: the catalogue (only its folder is used: no SQL).
        pages: ``IngestReport.previews_pending``.
        progress, cancelled, workers: as for :func:`archivist.media.derivatives.make_many`.
    """
    return derivatives.make_many(pages, cat.cache_dir, progress=progress, cancelled=cancelled,
                                 workers=workers, kinds=("preview",))


def _run(cat: Catalogue, files: Sequence[Path], pool: ThreadPoolExecutor, flusher: Executor,
         workers: int,
         cache_dir: Path, record_id: int | None, parent_id: int | None, level: str,
         report: IngestReport, progress: Progress | None, cancelled: IsCancelled | None,
         previews: bool) -> None:
    """Keep up to 2 × workers files decoding; commit finished ones in the order given.

    Files finished ahead of a slow one wait (as small ``Prepared`` values, no pixels) until it
    is committed; the wait is always on unfinished futures, so the loop never spins.
    """
    in_flight: dict[int, Future[Prepared]] = {}
    next_submit = next_commit = 0
    try:
        while True:
            running = sum(not f.done() for f in in_flight.values())
            while (next_submit < len(files) and running < 2 * workers
                   and len(in_flight) < _MAX_BUFFERED and not (cancelled and cancelled())):
                in_flight[next_submit] = pool.submit(_prepare, cat.path, cache_dir, files[next_submit],
                                                     previews, flusher)
                next_submit += 1
                running += 1
            batch: list[tuple[int, Prepared | Refused]] = []
            while (next_commit + len(batch) in in_flight
                   and in_flight[next_commit + len(batch)].done()):
                index = next_commit + len(batch)
                future = in_flight.pop(index)
                try:
                    batch.append((index, future.result()))
                except BadFile as exc:
                    batch.append((index, Refused(files[index], getattr(exc, "reason", str(exc)))))
                except BaseException:  # e.g. DiskFull: keep the files finished before it
                    if batch:
                        commit_batch(cat, batch, record_id, parent_id, level, report, progress,
                                     len(files))
                    raise
            committed = bool(batch)
            if batch:
                next_commit = commit_batch(cat, batch, record_id, parent_id, level, report,
                                           progress, len(files))
            if not in_flight:
                break
            if not committed:
                wait([f for f in in_flight.values() if not f.done()], return_when=FIRST_COMPLETED)
    except BaseException:
        abandon(cat, in_flight)
        raise
    report.cancelled = next_commit < len(files)


