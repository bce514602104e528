"""The native JSON format (docs/native-format.md): lossless export and all-or-nothing import.

Export streams: the file is written record by record to a temporary file beside the target and
renamed into place when complete, so a failed or cancelled export leaves nothing half-written.
Import validates everything inside one transaction; a dry run rolls it back and reports what
would have been created and updated.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from archivist.core.errors import ArchivistError, Cancelled, ImportRefused
from archivist.media import locks
from archivist.ops.records_stream import Progress, RecordStream, internal_fields, open_stream
from archivist.store import authorities as auth_store, hierarchy, trash
from archivist.store import audit, export_rows, links, pages, records
from archivist.store.catalogue import Catalogue

FORMAT = "archivist-native"
VERSION = 1
RECORD_KEYS = {"uuid", "parent", "level", "identifier", "reference_code", "title", "type", "dates",
               "access", "description_status", "fields", "tags", "links", "relations", "media"}
AUTHORITY_KEYS = {"uuid", "kind", "name", "variants", "dates", "description", "identifiers"}


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k[0] != "_"}


def public_dict(d: dict) -> dict:
    """A RECORD or AUTHORITY dict without the stream's private ``_`` keys.

    Private keys sit only at the top, on dates and on pages (see ``records_stream``), so only
    those are looked at: field values are user text and are copied as they are.
    """
    out = _strip(d)
    if isinstance(out.get("dates"), list):
        out["dates"] = [_strip(x) for x in out["dates"]]
    if out.get("media"):
        out["media"] = [_strip(x) for x in out["media"]]
    return out


def _write_head(stream: RecordStream, out) -> None:
    out.write('{\n"format": "%s",\n"version": %d,\n"catalogue": ' % (FORMAT, VERSION))
    out.write(json.dumps(stream.catalogue, ensure_ascii=False))
    out.write(',\n"authorities": [')
    for i, a in enumerate(stream.authorities.values()):
        out.write(("\n" if i == 0 else ",\n") + json.dumps(public_dict(a), ensure_ascii=False))
    out.write('\n],\n"records": [')


def write_native(stream: RecordStream, out) -> int:
    """Write a stream as native JSON to the text file ``out``; returns the number of records."""
    _write_head(stream, out)
    n = 0
    for n, rec in enumerate(stream.records, start=1):
        out.write(("\n" if n == 1 else ",\n") + json.dumps(public_dict(rec), ensure_ascii=False))
    out.write("\n]\n}\n")
    return n


def atomic_write(path: Path, write: Callable, *, binary: bool = False):
    """Run ``write(fh)`` on a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8",
                                                                        "newline": "\n"})) as fh:
            result = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def write_native_fast(cat: Catalogue, stream: RecordStream, out, *,
                      progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None) -> int:
    """Write ``stream`` as native JSON, each record's JSON built by SQLite (the fast path).

    The content equals :func:`write_native` on the same stream; building the JSON in SQLite
    (``export_rows.record_json``) is several times faster than Python dicts and ``json.dumps``.
    """
    _write_head(stream, out)
    hidden = internal_fields() if stream.public else frozenset()
    total, done = len(stream.ids), 0
    for start in range(0, total, export_rows.BATCH):
        if cancelled and cancelled():
            raise Cancelled("the export was cancelled")
        chunk = stream.ids[start:start + export_rows.BATCH]
        texts = export_rows.record_json(cat, [i for i, _ in chunk], hidden_fields=hidden,
                                        open_targets_only=stream.public)
        batch = []
        for rid, depth in chunk:
            text = texts[rid]
            if depth == 0 and stream.scoped:  # the scope's top: its parent is not exported
                rec = json.loads(text)
                rec["parent"] = None
                text = json.dumps(rec, ensure_ascii=False)
            batch.append(text)
        out.write(("\n" if done == 0 else ",\n") + ",\n".join(batch))  # one write per batch
        done += len(batch)
        if progress:
            progress(done, total)
    out.write("\n]\n}\n")
    return done


def export_native(cat: Catalogue, out_path: str | os.PathLike, *, scope: list[int] | None = None,
                  public: bool = False, progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """Export records (all, or ``scope`` with subtrees) to a native JSON file; returns the count."""
    stream = open_stream(cat, scope=scope, public=public)
    return atomic_write(Path(out_path), lambda fh: write_native_fast(
        cat, stream, fh, progress=progress, cancelled=cancelled))


def record_as_dict(cat: Catalogue, record_id: int) -> dict:
    """One record as its native dict plus the effective reference code and id (for ``show``)."""
    from archivist.store.export_rows import record_rows
    rec = record_rows(cat, [record_id])[record_id]
    return rec


# -- import ----------------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    created_records: int = 0
    updated_records: int = 0
    unchanged_records: int = 0
    created_authorities: int = 0
    updated_authorities: int = 0
    pages: int = 0
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)
    new_files: list[Path] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        """JSON-friendly form."""
        return {k: v for k, v in self.__dict__.items() if k != "new_files"}


def load_document(path: Path) -> dict:
    """Read and check the envelope of a native JSON file."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path} is not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno},"
                            f" column {exc.colno}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportRefused(f"{path} is not an Archivist native file (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != VERSION:
        raise ImportRefused(f"{path} is native format version {doc.get('version')}; this Archivist"
                            f" reads version {VERSION}")
    return doc


def import_native(cat: Catalogue, path: str | os.PathLike, *, dry_run: bool = False,
                  progress: Progress | None = None) -> ImportReport:
    """Import a native JSON file: all or nothing; records matched by UUID are updated, not duplicated.

    Raises:
        ImportRefused: the file or any record in it is invalid; ``problems`` lists each with its
            place in the file. Nothing is written.
    """
    path = Path(path)
    doc = load_document(path)
    return apply_document(cat, doc, base_dir=path.parent, dry_run=dry_run, progress=progress,
                          source=str(path))


class _DryRun(Exception):
    pass


def apply_document(cat: Catalogue, doc: dict, *, base_dir: Path | None, dry_run: bool = False,
                   progress: Progress | None = None, source: str = "the file") -> ImportReport:
    """Apply a native document (already parsed) to the catalogue in one transaction.

    Other importers (CSV, AtoM, EAD3) convert to this document shape and call this function.
    """
    report = ImportReport(dry_run=dry_run)
    auths = doc.get("authorities") or []
    recs = doc.get("records") or []
    total = len(auths) + len(recs)
    try:
        with locks.ingesting(cat.path), cat.atomic():  # files are copied before their rows commit
            if doc.get("catalogue"):
                _apply_catalogue_info(cat, doc["catalogue"])
            auth_ids: dict[str, int] = {}
            for n, a in enumerate(auths):
                where = f"authority {n + 1} ({a.get('name', '?') if isinstance(a, dict) else '?'})"
                _guard(report, where, lambda: auth_ids.__setitem__(a["uuid"], _apply_authority(cat, a, report)))
            rec_ids: dict[str, int] = {}
            pending_relations = []
            for n, r in enumerate(recs):
                where = f"record {n + 1} ({r.get('title', '?') if isinstance(r, dict) else '?'})"
                if _guard(report, where, lambda: rec_ids.__setitem__(
                        r["uuid"], _apply_record(cat, r, rec_ids, auth_ids, base_dir, report))):
                    pending_relations.extend((r["uuid"], rel, where) for rel in r.get("relations") or [])
                if progress and n % 200 == 0:
                    progress(len(auths) + n, total)
            for src, rel, where in pending_relations:
                _guard(report, where, lambda: _apply_relation(cat, rec_ids, src, rel))
            if report.problems:
                raise ImportRefused(f"{source}: {len(report.problems)} problem(s); nothing was imported",
                                    report.problems)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException:
        for stored in report.new_files:  # originals copied for pages that were rolled back
            stored.unlink(missing_ok=True)
        raise
    if progress:
        progress(total, total)
    return report


def _guard(report: ImportReport, where: str, fn) -> bool:
    try:
        fn()
        return True
    except (ArchivistError, KeyError, TypeError, ValueError) as exc:
        msg = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        report.problems.append(f"{where}: {msg}")
        return False


def _apply_catalogue_info(cat: Catalogue, info: dict) -> None:
    for key in ("name", "country_code", "repository_code", "description_language"):
        if info.get(key) and not cat.get_setting(key):
            cat.set_setting(key, info[key])


def _apply_authority(cat: Catalogue, a: dict, report: ImportReport) -> int:
    unknown = set(a) - AUTHORITY_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    existing = auth_store.id_for_uuid(cat, a["uuid"])
    values = {"kind": a["kind"], "name": a["name"], "variants": a.get("variants") or [],
              "dates": a.get("dates"), "description": a.get("description"),
              "identifiers": a.get("identifiers") or []}
    if existing is not None:
        before = audit.last_change_id(cat)
        auth_store.update_authority(cat, existing, values)
        if audit.last_change_id(cat) > before:
            report.updated_authorities += 1
        return existing
    report.created_authorities += 1
    return auth_store.create_authority(cat, uuid=a["uuid"], **values)


def _apply_record(cat, r: dict, rec_ids: dict, auth_ids: dict, base_dir, report) -> int:
    unknown = set(r) - RECORD_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    parent_uuid = r.get("parent")
    parent_id = None
    if parent_uuid:
        parent_id = rec_ids.get(parent_uuid) or records.id_for_uuid(cat, parent_uuid)
        if parent_id is None:
            raise ValueError(f"its parent {parent_uuid} is not in the file before it, nor in"
                             " the catalogue")
    access = r.get("access") or {}
    dates = [(d["expression"], d.get("label") or "creation") for d in r.get("dates") or []]
    attrs = dict(title=r["title"], level=r["level"], type=r.get("type"),
                 identifier=r.get("identifier"),
                 access_status=access.get("status") or "open", access_reason=access.get("reason"),
                 access_until=access.get("until"),
                 description_status=r.get("description_status") or "draft")
    existing = records.id_for_uuid(cat, r["uuid"])
    if existing is None:
        rid = records.create_record(cat, parent_id=parent_id, fields=r.get("fields") or {},
                                    dates=dates, uuid=r["uuid"],
                                    reference_code=r.get("reference_code"), **attrs)
        report.created_records += 1
        new = True
    else:
        rid = existing
        before = audit.last_change_id(cat)
        rec = records.get_record(cat, rid)
        if rec.trashed_at:
            trash.restore_records(cat, [rid])
        if rec.parent_id != parent_id:
            hierarchy.move_record(cat, rid, parent_id)
        values = dict(attrs, dates=dates)
        if r.get("reference_code"):
            values["reference_code"] = r["reference_code"]
        values.update({f"fields.{k}": v for k, v in (r.get("fields") or {}).items()})
        values.update({f"fields.{k}": None for k in rec.fields if k not in (r.get("fields") or {})})
        records.update_record(cat, rid, values)
        new = False
    if r.get("tags"):
        links.add_tags(cat, [rid], r["tags"])
    for lk in r.get("links") or []:
        aid = auth_ids.get(lk["authority"]) or auth_store.id_for_uuid(cat, lk["authority"])
        if aid is None:
            raise ValueError(f"it links to authority {lk['authority']}, which is not in the file")
        links.link(cat, rid, aid, lk["role"])
    if new:
        for page in r.get("media") or []:
            _apply_page(cat, rid, page, base_dir, report)
            report.pages += 1
    else:
        if audit.last_change_id(cat) > before:
            report.updated_records += 1
        else:
            report.unchanged_records += 1
    return rid


def _safe_media_path(base_dir: Path | None, rel: str) -> Path:
    if base_dir is None:
        raise ValueError("pages with files can only be imported from a file on disk")
    p = PurePosixPath(unicodedata.normalize("NFC", rel))
    if p.is_absolute() or ".." in p.parts or "\\" in rel or ":" in rel:
        raise ValueError(f"file path {rel!r} points outside the import folder")
    return base_dir / Path(*p.parts)


def _apply_page(cat: Catalogue, rid: int, page: dict, base_dir: Path | None,
                report: ImportReport) -> None:
    from archivist.media import filestore, hashing, probe
    src = _safe_media_path(base_dir, page["file"])
    if not src.is_file():
        raise ValueError(f"page file {page['file']} does not exist")
    info = probe.probe(src)
    if report.dry_run:
        digest, _ = hashing.hash_file(src)
        if page.get("sha256") and digest != page["sha256"]:
            raise ValueError(f"page file {page['file']} does not match its checksum")
        return
    stored = filestore.put_file(cat.path, src, info.ext)
    if not stored.duplicate:
        report.new_files.append(stored.path)
    if page.get("sha256") and stored.sha256 != page["sha256"]:
        raise ValueError(f"page file {page['file']} does not match its checksum"
                         f" (expected {page['sha256']}, found {stored.sha256})")
    idx = int(page.get("page_index") or 0)
    if idx >= info.page_count:
        raise ValueError(f"page file {page['file']} has {info.page_count} page(s); no page {idx}")
    pg = info.pages[idx]
    file_id = pages.add_file_row(cat, sha256=stored.sha256, ext=stored.ext, size=stored.size,
                                 original_name=src.name, info={
                                     "format": info.format, "mode": info.pages[0].mode,
                                     "width": info.width, "height": info.height,
                                     "dpi_x": info.dpi, "dpi_y": info.dpi,
                                     "orientation": info.orientation, "page_count": info.page_count,
                                     "capture": info.capture})
    pages.add_page(cat, rid, file_id, page_index=idx, label=page.get("label"), width=pg.width,
                   height=pg.height, texts=page.get("transcriptions") or [],
                   regions=page.get("regions") or [])


def _apply_relation(cat: Catalogue, rec_ids: dict, src_uuid: str, rel: dict) -> None:
    src = rec_ids[src_uuid]
    target = rec_ids.get(rel["target"]) or records.id_for_uuid(cat, rel["target"])
    if target is None:
        raise ValueError(f"its relation points to {rel['target']}, which is not in the file")
    links.relate(cat, src, target, rel["type"])


def iter_documents(paths: Iterable[Path]):
    """Load several native files (used by tests and the demo)."""
    for p in paths:
        yield load_document(p)
