"""What an ingest reports (files ingested, refused, pending previews) and which files it takes.

Split from :mod:`archivist.ops.ingest`, which re-exports every name here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from natsort import natsorted, ns

from archivist.core.errors import InvalidValue
from archivist.media.derivatives import PageRef

#: File names never taken from a folder (system clutter).
_SKIP_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class Refused:
    """A file that was not ingested, and why (in words for the user)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


@dataclass(frozen=True)
class IngestedFile:
    """A file that became pages.

    Attributes:
        path: the source file.
        sha256: its checksum.
        file_id: its ``files`` row.
        record_id: the record its pages were added to.
        page_ids: the pages added (empty when the record already had them all).
        duplicate: the same content was already in the catalogue (it is stored once).
    """

    path: Path
    sha256: str
    file_id: int
    record_id: int
    page_ids: tuple[int, ...]
    duplicate: bool


@dataclass
class IngestReport:
    """The outcome of an ingest.

    Attributes:
        ingested: files that became pages, in the order they were given (natural sort).
        refused: files refused, each with its reason.
        created_records: items made in one-record-per-file mode.
        cancelled: the user cancelled; files not yet started were left out.
        total: files found.
        previews_pending: pages ingested with a thumbnail but no preview yet (JPEG and PDF,
            unless ``previews=True``); make them in the background with
            :func:`make_previews`, or let the viewer make each on demand.
    """

    ingested: list[IngestedFile] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    created_records: list[int] = field(default_factory=list)
    cancelled: bool = False
    total: int = 0
    previews_pending: list[PageRef] = field(default_factory=list)

    @property
    def duplicates(self) -> list[IngestedFile]:
        """Ingested files whose content the catalogue already held."""
        return [f for f in self.ingested if f.duplicate]

    @property
    def page_count(self) -> int:
        """Pages added."""
        return sum(len(f.page_ids) for f in self.ingested)

    def summary(self) -> str:
        """One line for the user: counts of pages, files, duplicates, refusals."""
        parts = [f"{self.page_count} page(s) from {len(self.ingested)} file(s)"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in the catalogue (stored once)")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        if self.cancelled:
            parts.append(f"cancelled: {self.total - len(self.ingested) - len(self.refused)} not done")
        return "; ".join(parts)


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and folders into the files to ingest, each folder in natural order.

    Folders are walked recursively; hidden files and system clutter (``Thumbs.db``) are skipped.
    Files named explicitly are kept as given, even hidden ones. Order: the arguments' order, and
    inside a folder the natural sort of relative paths (``page2`` before ``page10``, case ignored).

    Raises:
        InvalidValue: a path does not exist.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.name.lower() not in _SKIP_NAMES
            ]
            found = natsorted(found, key=lambda p: p.relative_to(path).as_posix(),
                              alg=ns.PATH | ns.IGNORECASE)
        elif path.exists() or path.is_symlink():
            found = [path]
        else:
            raise InvalidValue(f"{path} does not exist")
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out
