"""Export a catalogue, a fonds or series, a list of records or search results in any format.

Every format reads the same record stream (:func:`archivist.ops.records_stream.open_stream`:
native dicts, depth-first) and hands it to its writer in :mod:`archivist.ops.exchange`. Single
files are written beside the target and renamed into place when complete; folder formats
(BagIt, IIIF, EAC-CPF) write into a new folder. PDF is made by the GUI layer from the HTML
finding aid (see ``archivist.gui.exchange.pdf``), so this module never imports Qt.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archivist.core.errors import ArchivistError, InvalidValue
from archivist.ops.exchange.aspace_csv import write_aspace_csv
from archivist.ops.exchange.atom_csv import write_atom_csv
from archivist.ops.exchange.bagit_export import write_bagit
from archivist.ops.exchange.common import ExportOptions
from archivist.ops.exchange.csv_native import write_csv_native
from archivist.ops.exchange.dublin_core import write_dublin_core
from archivist.ops.exchange.eac_cpf import write_eac_cpf
from archivist.ops.exchange.ead2002 import write_ead2002
from archivist.ops.exchange.ead3 import write_ead3
from archivist.ops.exchange.finding_aid_html import write_finding_aid_html
from archivist.ops.exchange.iiif import write_iiif
from archivist.ops.exchange.csv_native import write_csv_native_fast
from archivist.ops.native_json import atomic_write, write_native_fast
from archivist.ops.records_stream import Progress, open_stream
from archivist.store import records as record_store

#: Format name → (writer, kind): kind is "text", "binary" or "folder".
WRITERS = {"csv": (write_csv_native, "text"), "atom-csv": (write_atom_csv, "text"),
           "aspace-csv": (write_aspace_csv, "text"), "dc": (write_dublin_core, "binary"),
           "ead3": (write_ead3, "binary"), "ead2002": (write_ead2002, "binary"),
           "html": (write_finding_aid_html, "text"), "eac-cpf": (write_eac_cpf, "folder"),
           "iiif": (write_iiif, "folder"), "bagit": (write_bagit, "folder")}
FORMATS = ("json", "csv", "atom-csv", "aspace-csv", "dc", "ead3", "ead2002", "eac-cpf", "bagit",
           "iiif", "html", "pdf")
#: The file name extension each single-file format suggests.
EXTENSIONS = {"json": ".json", "csv": ".csv", "atom-csv": ".csv", "aspace-csv": ".csv",
              "dc": ".xml", "ead3": ".xml", "ead2002": ".xml", "html": ".html", "pdf": ".pdf"}
FOLDER_FORMATS = ("eac-cpf", "iiif", "bagit")


@dataclass
class ExportResult:
    """What an export wrote."""

    format: str
    path: Path
    count: int


def search_available() -> bool:
    """Whether the catalogue can be searched (so ``--query`` can choose what to export)."""
    try:
        import archivist.store.search  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_scope(cat, scope: list[str | int] | None = None,
                  query: str | None = None) -> list[int] | None:
    """Record ids to export (each with its subtree), or None for the whole catalogue.

    Args:
        scope: record keys (UUID, reference code or id).
        query: a search query; its hits are added to the scope.

    Raises:
        NotFound: a key matches no record.
        InvalidQuery: the query is malformed.
    """
    if not scope and not query:
        return None
    ids = [record_store.resolve_record(cat, key, include_trashed=False) for key in scope or []]
    if query:
        if not search_available():
            raise ArchivistError("search is not available in this version")
        from archivist.store.search import HIT_CAP, search
        result = search(cat, query, limit=HIT_CAP, snippets=False)
        ids.extend(hit.id for hit in result.hits)
    return list(dict.fromkeys(ids))


def export(cat, fmt: str, out: str | Path, *, scope: list[str | int] | None = None,
           query: str | None = None, public: bool = False, base_url: str | None = None,
           iiif_tiles: bool = False, progress: Progress | None = None,
           cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Export records in ``fmt`` to ``out`` (a file, or a new folder for BagIt, IIIF, EAC-CPF).

    Args:
        cat: the open catalogue.
        fmt: one of :data:`FORMATS` except ``pdf`` (the GUI layer prints the HTML to PDF).
        out: target file or folder.
        scope: record keys to export with their subtrees (None with no query: everything).
        query: search query whose hits are exported.
        public: leave out restricted and closed records (and all below them) and internal fields.
        base_url: IIIF only: where the manifests will be served from.
        iiif_tiles: IIIF only: write static level 0 image tiles instead of copies of the files.
        progress: called with (records done, total).
        cancelled: polled between batches; returning True cancels (nothing is left behind).

    Returns:
        The format, path and number of records (or files, for EAC-CPF and IIIF) written.

    Raises:
        InvalidValue: unknown format.
        ArchivistError: the scope, query or target is not usable.
    """
    if fmt not in FORMATS or fmt == "pdf":
        raise InvalidValue(f"unknown export format {fmt!r}; use one of "
                           f"{', '.join(f for f in FORMATS if f != 'pdf')}")
    out = Path(out)
    ids = resolve_scope(cat, scope, query)
    if ids == [] and query:
        raise ArchivistError(f"no record matches {query!r}; nothing to export")
    stream = open_stream(cat, scope=ids, public=public, progress=progress, cancelled=cancelled)
    if fmt == "json":
        count = atomic_write(out, lambda fh: write_native_fast(cat, stream, fh, progress=progress,
                                                               cancelled=cancelled))
        return ExportResult(fmt, out, count)
    if fmt == "csv":
        count = atomic_write(out, lambda fh: write_csv_native_fast(
            cat, stream, fh, progress=progress, cancelled=cancelled), binary=True)
        return ExportResult(fmt, out, count)
    writer, kind = WRITERS[fmt]
    roots = 1
    if fmt in ("ead3", "ead2002"):  # one root is the archdesc; several need a collection
        roots = sum(1 for _, depth in stream.ids if depth == 0)
    options = ExportOptions(public=public, catalogue=stream.catalogue, media_root=cat.path,
                            collection_wrapper=roots != 1, iiif_tiles=iiif_tiles,
                            **({"base_url": base_url} if base_url else {}))
    if kind == "folder":
        if fmt != "bagit" and out.exists() and any(out.iterdir()):
            raise ArchivistError(f"{out} is not empty; choose a new folder")
        created = not out.exists()
        try:
            result = writer(stream.records, stream.authorities, out, options=options)
        except BaseException:
            if created and fmt != "bagit":
                shutil.rmtree(out, ignore_errors=True)
            raise
        count = stream.total if fmt == "bagit" else result
        return ExportResult(fmt, out, count)
    count = atomic_write(out, lambda fh: writer(stream.records, stream.authorities, fh,
                                                options=options),
                         binary=True)
    return ExportResult(fmt, out, count)
