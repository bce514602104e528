"""Import records from native JSON, native CSV, AtoM CSV (descriptions or authorities) and EAD3.

Each reader in :mod:`archivist.ops.exchange` turns the file into native dicts and a list of
refusals; any refusal refuses the whole file (with every reason and line). The dicts are then
applied by the native importer (:func:`archivist.ops.native_json.apply_document`) in one
transaction: all or nothing, a dry run rolls back and reports what would be created and updated,
and records already in the catalogue (same UUID, or the same AtoM ``legacyId``) are updated
instead of duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archivist.core.errors import ImportRefused, InvalidValue
from archivist.ops.exchange.atom_import import read_atom_authority_csv, read_atom_isad_csv
from archivist.ops.exchange.common import ReadResult, safe_relative_path
from archivist.ops.exchange.csv_native import read_csv_native
from archivist.ops.exchange.ead3_read import read_ead3
from archivist.ops.native_json import FORMAT, VERSION, ImportReport, apply_document, import_native
from archivist.ops.records_stream import Progress
from archivist.store import authorities as auth_store
from archivist.store import records as record_store

READERS = {"csv": read_csv_native, "atom-csv": read_atom_isad_csv,
           "atom-authority-csv": read_atom_authority_csv, "ead3": read_ead3}
IMPORT_FORMATS = ("json",) + tuple(READERS)


@dataclass
class ImportOutcome:
    """The importer's report plus what the conversion left aside (not refused)."""

    report: ImportReport
    notes: list[str] = field(default_factory=list)


def guess_format(path: Path) -> str | None:
    """The import format a file's name and first bytes suggest, or None."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix == ".xml":
        return "ead3"
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline()
        if header.startswith("uuid,") or ",uuid," in header:
            return "csv"
        if "authorizedFormOfName" in header:
            return "atom-authority-csv"
        if "legacyId" in header:
            return "atom-csv"
    return None


def read_file(path: Path, fmt: str, **extra) -> ReadResult:
    """Run the reader of ``fmt`` on ``path`` (``extra`` goes to the reader).

    Raises:
        InvalidValue: unknown format.
        ImportRefused: the file cannot be read at all (hostile or malformed XML, not UTF-8).
    """
    if fmt not in READERS:
        raise InvalidValue(f"unknown import format {fmt!r}; use one of {', '.join(IMPORT_FORMATS)}")
    try:
        return READERS[fmt](path, **extra)
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path} is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from exc


def _resolve_stub_authorities(cat, result: ReadResult) -> list[dict]:
    """Keep only authorities that are new; point links at existing ones with the same name.

    Readers that know an authority only by its name (AtoM, EAD3) must not overwrite the
    catalogue's fuller record of it.
    """
    keep, remap = [], {}
    for auth in result.authorities:
        if auth_store.id_for_uuid(cat, auth["uuid"]) is not None:
            if result.stub_authorities:
                continue
            keep.append(auth)
            continue
        same = [a for a in auth_store.find_authorities(cat, auth["name"], auth["kind"], limit=50)
                if a.name == auth["name"]]
        if same:
            remap[auth["uuid"]] = same[0].uuid
            continue
        keep.append(auth)
    if remap:
        for rec in result.records:
            for link in rec.get("links") or []:
                link["authority"] = remap.get(link["authority"], link["authority"])
    return keep


def _drop_missing_pages(cat, result: ReadResult, base_dir: Path, notes: list[str]) -> None:
    """Leave out pages of new records whose files are not beside the import file (noted).

    Records already in the catalogue keep their pages: the importer does not touch them.
    """
    for rec in result.records:
        if record_store.id_for_uuid(cat, rec["uuid"]) is not None:
            continue
        kept = []
        for page in rec.get("media") or []:
            rel = safe_relative_path(page.get("file") or "")
            if rel and (base_dir / rel).is_file():
                kept.append(page)
            else:
                notes.append(f"{rec['title']}: page {page.get('label') or page.get('file')} left "
                             f"out (its file {page.get('file')} is not beside the import file)")
        rec["media"] = kept


def import_file(cat, path: str | Path, fmt: str | None = None, *, dry_run: bool = False,
                progress: Progress | None = None) -> ImportOutcome:
    """Import one file, all or nothing.

    Args:
        cat: the open catalogue.
        path: the file.
        fmt: ``json``, ``csv``, ``atom-csv``, ``atom-authority-csv`` or ``ead3``; None guesses
            from the file.
        dry_run: check and count everything, write nothing.
        progress: called with (done, total) while applying.

    Returns:
        The report (created, updated, unchanged counts) and notes on what was left aside.

    Raises:
        ImportRefused: anything in the file is refused; ``problems`` lists each reason with
            its line. Nothing was written.
    """
    path = Path(path)
    fmt = fmt or guess_format(path)
    if fmt is None:
        raise InvalidValue(f"cannot tell the format of {path.name}; give --format "
                           f"({', '.join(IMPORT_FORMATS)})")
    if fmt == "json":
        return ImportOutcome(import_native(cat, path, dry_run=dry_run, progress=progress))
    extra = {}
    if fmt == "atom-csv":  # parentId may name a record imported from an earlier file
        extra["known_parent"] = lambda uid: record_store.id_for_uuid(cat, uid) is not None
    result = read_file(path, fmt, **extra)
    result.raise_if_refused(str(path))
    notes: list[str] = []
    if fmt in ("ead3", "csv"):
        _drop_missing_pages(cat, result, path.parent, notes)
    authorities = _resolve_stub_authorities(cat, result)
    doc = {"format": FORMAT, "version": VERSION, "authorities": authorities,
           "records": result.records}
    report = apply_document(cat, doc, base_dir=path.parent, dry_run=dry_run, progress=progress,
                            source=str(path))
    return ImportOutcome(report, notes)
