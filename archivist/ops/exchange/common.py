"""What every exchange writer and reader shares: options, the public filter, reference codes,
results with refusals, and safe file paths."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from archivist import __version__
from archivist.core.errors import ArchivistError, ImportRefused

#: Fields left out of public exports (ISAD(G) 3.7.1 and the shelf location).
INTERNAL_FIELDS = frozenset({"archivist_note", "location_repository", "location_box",
                             "location_folder", "location_shelf"})

#: The text fields of the native format, in the ISAD(G) order used by the flat writers.
TEXT_FIELDS = ("extent_medium", "admin_history", "archival_history", "acquisition",
               "scope_content", "appraisal", "accruals", "arrangement", "access_conditions",
               "reproduction_conditions", "language_note", "physical_characteristics",
               "finding_aids", "originals_location", "copies_location", "related_units",
               "publication_note", "archivist_note", "rules", "source_citation",
               "location_repository", "location_box", "location_folder", "location_shelf",
               "url", "publisher", "place_of_publication", "pages", "isbn", "series_title",
               "publication", "edition", "material", "dimensions", "interviewer", "interviewee",
               "page_range")
#: Repeatable fields (a list of strings).
LIST_FIELDS = ("languages", "scripts", "general_note")
KNOWN_FIELDS = frozenset(TEXT_FIELDS) | frozenset(LIST_FIELDS)

AGENT = f"Archivist {__version__}"


class ExportError(ArchivistError):
    """An export cannot be written as asked (e.g. records not in depth-first order)."""


@dataclass
class ExportOptions:
    """Options every writer understands (each uses the ones it needs).

    Attributes:
        public: leave out records that are not open (and everything below them) and the
            internal fields (archivist_note, location_*).
        catalogue: the native ``catalogue`` header (name, country_code, repository_code,
            description_language).
        base_url: where IIIF files will be served from (http or https).
        media_root: folder that page ``file`` paths are relative to.
        resolve_file: callable page dict → Path of its file; overrides ``media_root``.
        excluded: uuids known in advance to be left out of a public export (relations to them
            are dropped even when the target comes later in the stream).
        collection_wrapper: EAD only: describe the catalogue as a collection with every root
            record as a component (needed when the stream has more than one root).
        iiif_tiles: IIIF only: static level 0 image tiles beside each manifest.
    """

    public: bool = False
    catalogue: dict = field(default_factory=dict)
    base_url: str = "https://example.org/iiif"
    media_root: Path | None = None
    resolve_file: Callable[[dict], Path] | None = None
    excluded: frozenset[str] = frozenset()
    collection_wrapper: bool = False
    iiif_tiles: bool = False

    def file_of(self, page: dict) -> Path | None:
        """Return the local file of ``page``, or None when unknown."""
        if self.resolve_file is not None:
            return self.resolve_file(page)
        if self.media_root is not None and page.get("file"):
            return Path(self.media_root) / page["file"]
        return None


@dataclass(frozen=True)
class Refusal:
    """One refused row or element of an imported file."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class ReadResult:
    """What a reader found: native dicts, and what it refused.

    ``records`` come parents first; ``refusals`` list each refused row or element with its line.
    """

    records: list[dict] = field(default_factory=list)
    authorities: list[dict] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    catalogue: dict | None = None
    #: True when ``authorities`` are stubs (uuid, kind, name) to create only where missing.
    stub_authorities: bool = False

    def refuse(self, line: int | None, reason: str) -> None:
        """Record a refusal."""
        self.refusals.append(Refusal(line, reason))

    def raise_if_refused(self, what: str) -> None:
        """Raise ImportRefused listing every refusal, if there is any."""
        if self.refusals:
            raise ImportRefused(f"{what}: {len(self.refusals)} problem(s); nothing imported",
                                [str(r) for r in self.refusals])


def strip_private(value):
    """A native value without the record stream's private ``_`` keys, recursively."""
    if isinstance(value, dict):
        return {k: strip_private(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [strip_private(v) for v in value]
    return value


def is_open(record: dict) -> bool:
    """Whether a record's access status lets it into a public export."""
    return (record.get("access") or {}).get("status", "open") == "open"


def public_records(records: Iterable[dict], options: ExportOptions) -> Iterator[dict]:
    """Yield the records an export may contain under ``options``.

    With ``options.public`` a record is dropped when it is not open, when its parent was dropped,
    or when its uuid is in ``options.excluded``; internal fields are removed, and relations to
    dropped records too. Records are copied before being changed; the input is never modified.
    """
    if not options.public:
        yield from records
        return
    dropped: set[str] = set(options.excluded)
    for rec in records:
        if rec.get("uuid") in dropped or rec.get("parent") in dropped or not is_open(rec):
            dropped.add(rec.get("uuid"))
            continue
        out = dict(rec)
        out["fields"] = {k: v for k, v in (rec.get("fields") or {}).items()
                         if k not in INTERNAL_FIELDS}
        out["relations"] = [r for r in rec.get("relations") or [] if r.get("target") not in dropped]
        yield out


class ReferenceCodes:
    """Reference codes derived along the stream: parent's code + "-" + identifier.

    The store's effective code (private key ``_reference_code`` of the record stream) wins; else a
    hand-edited ``reference_code`` overrides the derived one (and is the base of its children).
    """

    def __init__(self) -> None:
        self._codes: dict[str, str | None] = {}

    def code(self, record: dict) -> str | None:
        """Return (and remember) the reference code of ``record``."""
        parent_code = self._codes.get(record.get("parent"))
        code = record.get("_reference_code") or record.get("reference_code")
        if not code:
            ident = record.get("identifier")
            if ident and parent_code:
                code = f"{parent_code}-{ident}"
            else:
                code = ident or parent_code
        self._codes[record["uuid"]] = code
        return code

    def get(self, uuid: str | None) -> str | None:
        """The code already computed for ``uuid`` (None if unseen)."""
        return self._codes.get(uuid)

    def derived(self, parent_uuid: str | None, identifier: str | None) -> str | None:
        """The code a child of ``parent_uuid`` with ``identifier`` would get without an override."""
        parent_code = self._codes.get(parent_uuid)
        if identifier and parent_code:
            return f"{parent_code}-{identifier}"
        return identifier or parent_code


class Tree:
    """Follows a depth-first record stream and says which open components to close.

    Use :meth:`enter` for each record: it returns how many open components end before it.
    A record whose parent is not in the stream is a root.
    """

    def __init__(self) -> None:
        self.path: list[str] = []
        self.seen: set[str] = set()

    def enter(self, record: dict) -> int:
        """Register ``record``; return the number of components to close before opening it.

        Raises:
            ExportError: a record arrives after its parent's subtree was already closed.
        """
        parent = record.get("parent")
        close = 0
        if parent in self.seen:
            if parent not in self.path:
                raise ExportError(
                    f"record {record.get('uuid')} comes after its parent's other children were "
                    "closed; records must be in depth-first order")
            close = len(self.path) - self.path.index(parent) - 1
        else:
            close = len(self.path)
        del self.path[len(self.path) - close:]
        self.path.append(record["uuid"])
        self.seen.add(record["uuid"])
        return close


def sort_depth_first(records: Iterable[dict]) -> list[dict]:
    """Put any parent-before-child list into depth-first order (stable among siblings).

    This holds every record in memory; use it only on small inputs (tests, imports).
    """
    records = list(records)
    ids = {r["uuid"] for r in records}
    children: dict[str | None, list[dict]] = {}
    for rec in records:
        parent = rec.get("parent") if rec.get("parent") in ids else None
        children.setdefault(parent, []).append(rec)
    out: list[dict] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        rec = stack.pop()
        out.append(rec)
        stack.extend(reversed(children.get(rec["uuid"], [])))
    return out


class Replay:
    """Records that can be iterated again and again: ``replay()`` gives a new iterator.

    Lists and tuples are reused; a one-shot iterator is spooled to a temporary JSON Lines file so
    that memory stays flat. Use it as a context manager (or call :meth:`close`) to remove the
    file.
    """

    def __init__(self, records: Iterable[dict]):
        self.records = records if isinstance(records, (list, tuple)) else None
        self.spool = None
        if self.records is None:
            self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")
            for rec in records:
                self.spool.write(json.dumps(rec, ensure_ascii=False))
                self.spool.write("\n")

    def __call__(self) -> Iterator[dict]:
        if self.records is not None:
            return iter(self.records)
        return self._read()

    def _read(self) -> Iterator[dict]:
        self.spool.seek(0)
        for line in self.spool:
            yield json.loads(line)

    def close(self) -> None:
        """Remove the spool file, if any."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def __enter__(self) -> "Replay":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def reiterable(records: Iterable[dict]) -> Replay:
    """Return a :class:`Replay` of ``records`` (call it for each pass; close it at the end)."""
    return Replay(records)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def safe_relative_path(path: str) -> str | None:
    """Return ``path`` if it is a safe relative path inside a folder, else None.

    Refused: absolute paths, drive letters, URLs, backslashes, ``..`` and empty parts.
    """
    if not path or "\x00" in path or "\\" in path or _SCHEME.match(path):
        return None
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(p in ("..", "") for p in path.split("/")):
        return None
    return str(pure)


@contextmanager
def text_out(out) -> Iterator[IO[str]]:
    """Yield a text stream (UTF-8, no newline translation) for a path or a text/binary stream."""
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            yield fh
    elif isinstance(out, io.TextIOBase):
        yield out
    else:
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()


@contextmanager
def binary_out(out) -> Iterator[IO[bytes]]:
    """Yield a binary stream for a path or a binary stream."""
    if isinstance(out, (str, os.PathLike)):
        with open(out, "wb") as fh:
            yield fh
    else:
        yield out


# -- CSV text -------------------------------------------------------------------------------

def csv_lines(rows: Iterable[list]) -> str:
    """``rows`` as CSV text, lines ended by ``\\n``, as ``csv.writer`` writes them.

    A row whose cells hold no comma, quote or line break (nearly all) is joined with commas
    directly, several times faster than the csv module; any other row goes through it, and a
    cell holding a carriage return is quoted too (``csv.writer(lineterminator="\\n")`` alone
    would leave a lone ``\\r`` bare, and a reader would end the row there).
    """
    lines = []
    for row in rows:
        try:
            line = ",".join(row)
        except TypeError:  # a non-text cell: let the csv module format it
            line = None
        if (line is None or line.count(",") != len(row) - 1 or '"' in line or "\n" in line
                or "\r" in line):
            buf = io.StringIO()  # the line end decides quoting: \r\n quotes both; dropped after
            csv.writer(buf, lineterminator="\r\n").writerow(row)
            line = buf.getvalue()[:-2]
        lines.append(line)
    lines.append("")
    return "\n".join(lines)


class DictCsvWriter:
    """Like ``csv.DictWriter(fh, fieldnames, lineterminator="\\n")``, through :func:`csv_lines`
    (so a cell holding a lone carriage return is quoted and reads back whole)."""

    def __init__(self, fh, fieldnames: Iterable[str]):
        self.fh, self.fieldnames = fh, list(fieldnames)

    def writeheader(self) -> None:
        self.fh.write(csv_lines([self.fieldnames]))

    def writerow(self, row: dict) -> None:
        unknown = row.keys() - set(self.fieldnames)
        if unknown:
            raise ValueError(f"dict contains fields not in fieldnames: {sorted(unknown)}")
        self.fh.write(csv_lines([[row.get(k, "") for k in self.fieldnames]]))
