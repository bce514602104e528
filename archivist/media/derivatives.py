"""Thumbnails and viewer previews of pages, kept in a catalogue's ``cache/`` and remade on demand.

A page is decoded once, at preview size (the fast paths of :func:`archivist.media.decode.load_page`),
and the thumbnail is scaled from that preview, so making both costs one reduced decode; a thumbnail
alone is decoded at thumbnail scale (ingest makes only thumbnails of JPEG and PDF pages and leaves
their previews to a background pass, see ``archivist.ops.ingest``). Files are written to a
temporary name in their final folder and renamed, so a reader never sees half a JPEG.
:func:`make_many` does many pages on a worker pool sized to the machine.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from archivist.core.errors import BadFile
from archivist.media.decode import load_page
from archivist.media.hashing import is_sha256

CACHE_DIR = "cache"
THUMB_SIZE = 256
#: The preview's long side: about this, between 0.8 and 1.5 times it when a whole-factor reduction
#: lands there (see ``archivist.media.decode.FAST_RANGE``), never more than the page itself.
PREVIEW_SIZE = 2048
JPEG_QUALITY = 85

KINDS = {"thumb": THUMB_SIZE, "preview": PREVIEW_SIZE}

#: Long sides a thumbnail made straight from the original may have, as fractions of
#: :data:`THUMB_SIZE`: never more, and at least 205 px.
THUMB_RANGE = (0.8, 1.0)


@dataclass(frozen=True)
class PageRef:
    """One page to make derivatives for: a stored original and a page inside it.

    Attributes:
        source: the original file.
        sha256: its checksum (names the cache files).
        page_index: the page inside the file, from 0.
    """

    source: Path
    sha256: str
    page_index: int = 0


@dataclass(frozen=True)
class Derivatives:
    """The cache files of one page (None for a kind not made)."""

    thumb: Path | None
    preview: Path | None


@dataclass
class BatchResult:
    """What :func:`make_many` did.

    Attributes:
        made: derivatives per page, in the order of the input for the pages done.
        failed: pages refused, with the error that refused them.
        cancelled: True when the batch stopped early because ``cancelled()`` said so.
    """

    made: dict[PageRef, Derivatives]
    failed: dict[PageRef, BadFile]
    cancelled: bool = False


def cache_root(catalogue_dir: str | os.PathLike[str]) -> Path:
    """The ``cache/`` folder of a catalogue folder."""
    return Path(catalogue_dir) / CACHE_DIR


def cache_path(cache_dir: str | os.PathLike[str], sha256: str, page_index: int, kind: str) -> Path:
    """Where a page's thumbnail or preview lives: ``<cache>/<kind>/ab/<sha256>-<page>.jpg``.

    Args:
        cache_dir: the catalogue's ``cache/`` folder.
        sha256: the original's checksum.
        page_index: the page inside the original.
        kind: ``"thumb"`` or ``"preview"``.

    Returns:
        The path (which may not exist yet).

    Raises:
        ValueError: unknown kind or malformed checksum.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown derivative kind {kind!r}")
    if not is_sha256(sha256):
        raise ValueError(f"not a SHA-256 checksum: {sha256!r}")
    return Path(cache_dir) / kind / sha256[:2] / f"{sha256}-{int(page_index)}.jpg"


def save_atomic(image: Image.Image, path: Path, quality: int = JPEG_QUALITY) -> None:
    """Write an ``RGB``/``L`` image as JPEG to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            image.save(out, "JPEG", quality=quality, optimize=False, progressive=False)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def make_derivatives(
    page: PageRef, cache_dir: str | os.PathLike[str], kinds: Iterable[str] = ("thumb", "preview")
) -> Derivatives:
    """Make (or remake) the thumbnail and/or the preview of one page, from one decode.

    With a preview, the page is decoded at preview scale and the thumbnail is scaled from it. A
    thumbnail alone is decoded at thumbnail scale, which for a JPEG or PDF is much cheaper (DCT
    scaling by 8, or rendering small) and still reads every byte of the image data, so truncated
    or corrupt data is found either way.

    Args:
        page: the page.
        cache_dir: the catalogue's ``cache/`` folder.
        kinds: ``"thumb"``, ``"preview"`` or both.

    Returns:
        The paths written.

    Raises:
        BadFile: the page cannot be decoded (truncated, corrupt, unreadable, too large).
        ValueError: an unknown kind.
    """
    kinds = set(kinds)
    if not kinds or kinds - set(KINDS):
        raise ValueError(f"derivative kinds must be among {sorted(KINDS)}, not {sorted(kinds)}")
    if "preview" in kinds:
        base = load_page(page.source, page.page_index, PREVIEW_SIZE, fast=True)
    else:
        # DCT scaling and a whole-factor box reduction to 205-256 px, without a Lanczos pass
        # (4 % of a 24 MP JPEG's ingest): a thumbnail is "about 256 px".
        base = load_page(page.source, page.page_index, THUMB_SIZE, fast=True, reducing_gap=1.0,
                         fast_range=THUMB_RANGE)
    thumb_path = preview_path = None
    if "preview" in kinds:
        preview_path = cache_path(cache_dir, page.sha256, page.page_index, "preview")
        save_atomic(base, preview_path)
    if "thumb" in kinds:
        # Box reduction to just above 256 px, then Lanczos: half the cost of a gap of 2 (4 ms
        # against 8 for an A4 preview) and no visible difference at thumbnail size.
        base.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS, reducing_gap=1.0)
        thumb_path = cache_path(cache_dir, page.sha256, page.page_index, "thumb")
        save_atomic(base, thumb_path)
    return Derivatives(thumb_path, preview_path)


def missing_kinds(page: PageRef, cache_dir: str | os.PathLike[str]) -> tuple[str, ...]:
    """The derivative kinds of a page that are not in the cache."""
    return tuple(k for k in KINDS if not cache_path(cache_dir, page.sha256, page.page_index, k).is_file())


def ensure_derivative(page: PageRef, cache_dir: str | os.PathLike[str], kind: str) -> Path:
    """The path of a page's thumbnail or preview, making it first if it is missing.

    Making a missing preview also makes a missing thumbnail (same decode).

    Args:
        page: the page.
        cache_dir: the catalogue's ``cache/`` folder.
        kind: ``"thumb"`` or ``"preview"``.

    Returns:
        The path of an existing file.

    Raises:
        BadFile: the original cannot be decoded.
    """
    path = cache_path(cache_dir, page.sha256, page.page_index, kind)
    if not path.is_file():
        kinds = {kind} | ({"thumb"} if kind == "preview" else set())
        kinds &= set(missing_kinds(page, cache_dir))
        make_derivatives(page, cache_dir, kinds or {kind})
    return path


def default_workers() -> int:
    """Workers for derivative pools: one per CPU this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def make_many(
    pages: Iterable[PageRef],
    cache_dir: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    kinds: Iterable[str] = ("thumb", "preview"),
) -> BatchResult:
    """Make derivatives for many pages on a worker pool.

    Threads are used by default: Pillow releases the GIL while it decodes and resizes, so threads
    scale across cores without the start-up and pickling costs of processes (measured in
    ``tests/benchmarks/bench_scans.py``). At most ``2 × workers`` pages are in flight, so a
    cancellation stops the batch quickly; pages already started are finished.

    Args:
        pages: the pages to do.
        cache_dir: the catalogue's ``cache/`` folder.
        progress: called as ``progress(done, total)`` after each page (on the calling thread).
        cancelled: polled between pages; when it returns True no further page is started.
        workers: pool size; defaults to :func:`default_workers`.
        executor: an executor to use instead of making one (not shut down here).
        kinds: which derivatives to make (see :func:`make_derivatives`).

    Returns:
        The pages made, the pages refused with their reasons, and whether it was cancelled.
    """
    kinds = tuple(kinds)
    todo: Sequence[PageRef] = list(pages)
    total = len(todo)
    result = BatchResult({}, {})
    if progress is not None:
        progress(0, total)
    if not total:
        return result
    workers = workers or default_workers()
    own = executor is None
    pool = executor if executor is not None else ThreadPoolExecutor(workers, "derivatives")
    in_flight: dict[Future[Derivatives], PageRef] = {}
    done = 0
    queue = iter(todo)
    try:
        while True:
            while len(in_flight) < 2 * workers and not (cancelled and cancelled()):
                page = next(queue, None)
                if page is None:
                    break
                in_flight[pool.submit(make_derivatives, page, cache_dir, kinds)] = page
            if not in_flight:
                break
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                page = in_flight.pop(future)
                try:
                    result.made[page] = future.result()
                except BadFile as exc:
                    result.failed[page] = exc
                done += 1
                if progress is not None:
                    progress(done, total)
        result.cancelled = done < total
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return result
