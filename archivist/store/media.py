"""The SQL of scans: file rows, preservation events, page editing, regions, texts, reconciliation.

Reading a record's pages is in :mod:`archivist.store.pages`; this module holds what ingest, verify
and the viewer write. Preservation events follow PREMIS: ``kind`` is an event type from the Library
of Congress vocabulary (``ingestion``, ``message digest calculation``, ``fixity check``), ``agent``
is the cataloguer, ``outcome`` ``success`` / ``failure`` / ``duplicate``, ``detail`` JSON.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archivist.core.changes import Changes
from archivist.core.errors import InvalidValue, NotFound
from archivist.media import filestore, locks
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue, now
from archivist.store.pages import add_file_row

log = logging.getLogger("archivist.store")

EVENT_INGESTION = "ingestion"
EVENT_FIXITY = "fixity check"
TEXT_KINDS = ("transcription", "translation")
_FILE_COLS = "id, sha256, ext, size, format, mode, width, height, dpi_x, dpi_y, orientation," \
             " page_count, capture, original_name, added_at, added_by"


def _file(row) -> dict:
    keys = [k.strip() for k in _FILE_COLS.split(",")]
    out = dict(zip(keys, row))
    out["capture"] = json.loads(out["capture"] or "{}")
    return out


# -- files -----------------------------------------------------------------------------------


def find_file(cat: Catalogue, sha256: str) -> dict | None:
    """The row of the stored original with this checksum, or None."""
    row = cat.conn.execute(f"SELECT {_FILE_COLS} FROM files WHERE sha256 = ?", (sha256,)).fetchone()
    return _file(row) if row else None


def get_file(cat: Catalogue, file_id: int) -> dict:
    """One file row by id.

    Raises:
        NotFound: no such file.
    """
    row = cat.conn.execute(f"SELECT {_FILE_COLS} FROM files WHERE id = ?", (file_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no file {file_id}")
    return _file(row)


def list_files(cat: Catalogue) -> list[dict]:
    """Every stored original's row, in the order they were added."""
    return [_file(r) for r in cat.conn.execute(f"SELECT {_FILE_COLS} FROM files ORDER BY id")]


def known_files(cat: Catalogue) -> list[tuple[str, str]]:
    """``(sha256, ext)`` of every file row."""
    return [(r[0], r[1]) for r in cat.conn.execute("SELECT sha256, ext FROM files")]


def ensure_file_row(cat: Catalogue, *, sha256: str, ext: str, size: int, info: dict,
                    original_name: str | None) -> tuple[int, bool]:
    """Find the row of a stored original, or insert it.

    Args:
        sha256, ext, size: the stored file.
        info: columns of :mod:`archivist.store.pages` ``add_file_row`` (format, mode, width,
            height, dpi_x, dpi_y, orientation, page_count, capture).
        original_name: the file's name when it was ingested (NFC).

    Returns:
        ``(file_id, created)``.
    """
    existing = find_file(cat, sha256)
    if existing is not None:
        return existing["id"], False
    with cat.atomic():
        file_id = add_file_row(cat, sha256=sha256, ext=ext, size=size, info=info,
                               original_name=original_name)
    return file_id, True


def file_usage(cat: Catalogue, file_id: int) -> list[dict]:
    """The records whose pages show this file: ``id``, ``reference_code``, ``title``."""
    return [{"id": r[0], "reference_code": r[1], "title": r[2]} for r in cat.conn.execute(
        "SELECT DISTINCT r.id, r.reference_code, r.title FROM pages p JOIN records r"
        " ON r.id = p.record_id WHERE p.file_id = ? ORDER BY r.id", (file_id,))]


def record_has_page(cat: Catalogue, record_id: int, file_id: int, page_index: int) -> bool:
    """Whether the record already has this page of this file."""
    return cat.conn.execute(
        "SELECT 1 FROM pages WHERE record_id = ? AND file_id = ? AND page_index = ?",
        (record_id, file_id, page_index)).fetchone() is not None


def all_page_refs(cat: Catalogue) -> list[tuple[str, str, int]]:
    """``(sha256, ext, page_index)`` of every page, for rebuilding the cache."""
    return cat.conn.execute(
        "SELECT DISTINCT f.sha256, f.ext, p.page_index FROM pages p JOIN files f ON f.id = p.file_id"
        " ORDER BY f.sha256, p.page_index").fetchall()


def unused_files(cat: Catalogue) -> list[dict]:
    """File rows no page refers to any more (after records were purged or pages removed)."""
    return [_file(r) for r in cat.conn.execute(
        f"SELECT {_FILE_COLS} FROM files WHERE id NOT IN (SELECT file_id FROM pages) ORDER BY id")]


def purge_unused_files(cat: Catalogue) -> list[dict]:
    """Delete the originals no page uses: their rows first, then their files (final).

    Rows go first, in one transaction, so a crash in between leaves only stray files, which
    :func:`reconcile` removes; never a row without its file.

    Returns:
        The rows deleted.
    """
    with cat.atomic():
        gone = unused_files(cat)
        cat.conn.executemany("DELETE FROM files WHERE id = ?", [(f["id"],) for f in gone])
        for f in gone:
            log_change(cat, "purge_file", "file", f["id"], None, field="sha256",
                       old={"sha256": f["sha256"], "original_name": f["original_name"]}, new=None)
    for f in gone:
        filestore.remove_file(cat.path, f["sha256"], f["ext"])
    return gone


# -- events ----------------------------------------------------------------------------------


def log_event(cat: Catalogue, kind: str, *, file_id: int | None = None, outcome: str = "success",
              detail: dict | None = None) -> int:
    """Record a preservation event (PREMIS) by the current cataloguer, now.

    Returns:
        The event's id.
    """
    with cat.atomic():
        return cat.conn.execute(
            "INSERT INTO events (kind, at, agent, file_id, outcome, detail) VALUES (?,?,?,?,?,?)",
            (kind, now(), cat.user, file_id, outcome,
             json.dumps(detail or {}, ensure_ascii=False, sort_keys=True))).lastrowid


def list_events(cat: Catalogue, *, kind: str | None = None, file_id: int | None = None,
                limit: int = 1000) -> list[dict]:
    """Preservation events, newest first, optionally of one kind or one file."""
    where, args = [], []
    if kind is not None:
        where.append("kind = ?")
        args.append(kind)
    if file_id is not None:
        where.append("file_id = ?")
        args.append(file_id)
    sql = "SELECT id, kind, at, agent, file_id, outcome, detail FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    return [{"id": r[0], "kind": r[1], "at": r[2], "agent": r[3], "file_id": r[4],
             "outcome": r[5], "detail": json.loads(r[6] or "{}")}
            for r in cat.conn.execute(sql, (*args, limit))]


# -- pages, regions, texts (the viewer's edits) ---------------------------------------------


def _page_owner(cat: Catalogue, page_id: int) -> tuple[int, str]:
    row = cat.conn.execute("SELECT r.id, r.uuid FROM pages p JOIN records r ON r.id = p.record_id"
                           " WHERE p.id = ?", (page_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no page {page_id}")
    return row[0], row[1]


def set_page_view(cat: Catalogue, page_id: int, view: dict[str, Any]) -> Changes:
    """Remember how a page is shown (rotation, mirror, brightness, contrast, invert).

    Display settings are not description: they are not written to the audit log.
    """
    with cat.atomic():
        record_id, _ = _page_owner(cat, page_id)
        cat.conn.execute("UPDATE pages SET view = ? WHERE id = ?",
                         (json.dumps(view, sort_keys=True), page_id))
        return cat.note(Changes(media={record_id}))


def move_page(cat: Catalogue, page_id: int, position: int) -> Changes:
    """Move a page to ``position`` (0-based) among its record's pages."""
    with cat.atomic():
        record_id, ruuid = _page_owner(cat, page_id)
        ids = [r[0] for r in cat.conn.execute(
            "SELECT id FROM pages WHERE record_id = ? ORDER BY position, id", (record_id,))]
        old = ids.index(page_id)
        ids.remove(page_id)
        position = max(0, min(position, len(ids)))
        ids.insert(position, page_id)
        cat.conn.executemany("UPDATE pages SET position = ? WHERE id = ?",
                             [(i, pid) for i, pid in enumerate(ids)])
        log_change(cat, "move_page", "page", page_id, ruuid, record_id=record_id,
                   field="position", old=old, new=position)
        return cat.note(Changes(records={record_id}, media={record_id}))


def remove_page(cat: Catalogue, page_id: int) -> Changes:
    """Take a page off its record (its regions and texts go with it; the stored file stays)."""
    with cat.atomic():
        record_id, ruuid = _page_owner(cat, page_id)
        row = cat.conn.execute("SELECT file_id, page_index FROM pages WHERE id = ?",
                               (page_id,)).fetchone()
        cat.conn.execute("DELETE FROM pages WHERE id = ?", (page_id,))
        log_change(cat, "remove_page", "page", page_id, ruuid, record_id=record_id,
                   field="pages", old={"file_id": row[0], "page_index": row[1]}, new=None)
        return cat.note(Changes(records={record_id}, media={record_id}))


def _check_box(x: float, y: float, w: float, h: float) -> None:
    for name, value in (("x", x), ("y", y), ("w", w), ("h", h)):
        if not 0 <= float(value) <= 1:
            raise InvalidValue(f"region {name} must be a fraction between 0 and 1")
    if w <= 0 or h <= 0 or x + w > 1.000001 or y + h > 1.000001:
        raise InvalidValue("a region must have a size and lie inside its page")


def add_region(cat: Catalogue, page_id: int, x: float, y: float, w: float, h: float, *,
               title: str | None = None, description: str | None = None,
               transcription: str | None = None) -> int:
    """Draw a region (fractions of the page's upright width and height) and return its id."""
    _check_box(x, y, w, h)
    with cat.atomic():
        record_id, ruuid = _page_owner(cat, page_id)
        rid = cat.conn.execute(
            "INSERT INTO regions (page_id, x, y, w, h, title, description, transcription)"
            " VALUES (?,?,?,?,?,?,?,?)", (page_id, x, y, w, h, title, description,
                                          transcription)).lastrowid
        log_change(cat, "add_region", "region", rid, ruuid, record_id=record_id,
                   new={"page_id": page_id, "x": x, "y": y, "w": w, "h": h, "title": title})
        cat.note(Changes(records={record_id}, media={record_id}))
    return rid


_REGION_FIELDS = ("x", "y", "w", "h", "title", "description", "transcription")


def update_region(cat: Catalogue, region_id: int, values: dict[str, Any]) -> Changes:
    """Change a region's box, title, description or transcription."""
    unknown = set(values) - set(_REGION_FIELDS)
    if unknown:
        raise InvalidValue(f"unknown region field(s): {', '.join(sorted(unknown))}")
    with cat.atomic():
        row = cat.conn.execute(f"SELECT page_id, {', '.join(_REGION_FIELDS)} FROM regions"
                               " WHERE id = ?", (region_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no region {region_id}")
        old = dict(zip(_REGION_FIELDS, row[1:]))
        new = {**old, **values}
        _check_box(new["x"], new["y"], new["w"], new["h"])
        record_id, ruuid = _page_owner(cat, row[0])
        cat.conn.execute(f"UPDATE regions SET {', '.join(f'{k} = ?' for k in _REGION_FIELDS)}"
                         " WHERE id = ?", (*(new[k] for k in _REGION_FIELDS), region_id))
        changed = {k: v for k, v in values.items() if old[k] != v}
        if changed:
            log_change(cat, "update_region", "region", region_id, ruuid, record_id=record_id,
                       old={k: old[k] for k in changed}, new=changed)
        return cat.note(Changes(records={record_id}, media={record_id}))


def delete_region(cat: Catalogue, region_id: int) -> Changes:
    """Remove a region."""
    with cat.atomic():
        row = cat.conn.execute(f"SELECT page_id, {', '.join(_REGION_FIELDS)} FROM regions"
                               " WHERE id = ?", (region_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no region {region_id}")
        record_id, ruuid = _page_owner(cat, row[0])
        cat.conn.execute("DELETE FROM regions WHERE id = ?", (region_id,))
        log_change(cat, "delete_region", "region", region_id, ruuid, record_id=record_id,
                   old={"page_id": row[0], **dict(zip(_REGION_FIELDS, row[1:]))}, new=None)
        return cat.note(Changes(records={record_id}, media={record_id}))


def save_page_text(cat: Catalogue, page_id: int, kind: str, text: str,
                   language: str | None = None, text_id: int | None = None) -> int:
    """Write a transcription or translation of a page and return its id.

    Args:
        page_id: the page.
        kind: ``transcription`` or ``translation``.
        text: the text (an empty text deletes nothing; use :func:`delete_page_text`).
        language: BCP 47 / ISO 639 code of the text.
        text_id: the text to replace; None adds one, or replaces the page's only text of this kind
            and language.
    """
    if kind not in TEXT_KINDS:
        raise InvalidValue(f"unknown text kind {kind!r}; use transcription or translation")
    with cat.atomic():
        record_id, ruuid = _page_owner(cat, page_id)
        if text_id is None:
            row = cat.conn.execute("SELECT id FROM page_texts WHERE page_id = ? AND kind = ?"
                                   " AND language IS ?", (page_id, kind, language)).fetchone()
            text_id = row[0] if row else None
        if text_id is None:
            old = None
            text_id = cat.conn.execute("INSERT INTO page_texts (page_id, kind, language, text)"
                                       " VALUES (?,?,?,?)", (page_id, kind, language, text)).lastrowid
        else:
            row = cat.conn.execute("SELECT text, language FROM page_texts WHERE id = ? AND page_id = ?",
                                   (text_id, page_id)).fetchone()
            if row is None:
                raise NotFound(f"page {page_id} has no text {text_id}")
            old = {"text": row[0], "language": row[1]}
            if old == {"text": text, "language": language}:
                return text_id
            cat.conn.execute("UPDATE page_texts SET text = ?, language = ?, kind = ? WHERE id = ?",
                             (text, language, kind, text_id))
        log_change(cat, "save_text", "page_text", text_id, ruuid, record_id=record_id, field=kind,
                   old=old, new={"text": text, "language": language})
        cat.note(Changes(records={record_id}, media={record_id}))
    return text_id


def delete_page_text(cat: Catalogue, text_id: int) -> Changes:
    """Remove a transcription or translation."""
    with cat.atomic():
        row = cat.conn.execute("SELECT page_id, kind, language, text FROM page_texts WHERE id = ?",
                               (text_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no page text {text_id}")
        record_id, ruuid = _page_owner(cat, row[0])
        cat.conn.execute("DELETE FROM page_texts WHERE id = ?", (text_id,))
        log_change(cat, "delete_text", "page_text", text_id, ruuid, record_id=record_id,
                   field=row[1], old={"text": row[3], "language": row[2]}, new=None)
        return cat.note(Changes(records={record_id}, media={record_id}))


# -- reconciliation after a crash ------------------------------------------------------------


@dataclass
class Reconciled:
    """What :func:`reconcile` found.

    Attributes:
        removed: stray files deleted (leftovers of an interrupted ingest).
        missing: ``(sha256, ext, original_name)`` of rows whose file is not in the store.
        skipped: True when an ingest was running, so strays were left alone.
    """

    removed: list[Path] = field(default_factory=list)
    missing: list[tuple[str, str, str | None]] = field(default_factory=list)
    skipped: bool = False


def reconcile(cat: Catalogue) -> Reconciled:
    """Bring the store and the rows back into step after a crash; call when a catalogue opens.

    Ingest writes a file before its row, in that order, so a crash leaves at worst a file without
    a row: such strays (and half-copied ``.part`` files) are deleted here. Rows whose file is
    missing are never deleted; they are reported (``archivist verify`` reports them too). Nothing
    is deleted while another ingest is running on the catalogue.
    """
    result = Reconciled()
    with locks.exclusive_if_idle(cat.path) as idle:
        if not idle:
            result.skipped = True
            return result
        known = known_files(cat)
        cutoff = None if locks.HAS_LOCKS else time.time() - locks.STRAY_GRACE_SECONDS
        for path in filestore.list_stray_files(cat.path, known):
            if cutoff is not None and path.stat().st_mtime > cutoff:
                continue
            filestore.remove_stray(path)
            result.removed.append(path)
        names = {r[0]: r[1] for r in cat.conn.execute("SELECT sha256, original_name FROM files")}
        for sha, ext in known:
            if not filestore.path_for(cat.path, sha, ext).exists():
                result.missing.append((sha, ext, names.get(sha)))
    if result.removed:
        log.warning("removed %d stray file(s) left by an interrupted ingest", len(result.removed))
    if result.missing:
        log.warning("%d stored original(s) are missing; run archivist verify", len(result.missing))
    return result


def stored_path(cat: Catalogue, sha256: str, ext: str) -> Path:
    """Where an original lives (same as :func:`archivist.store.pages.file_path`)."""
    return filestore.path_for(cat.path, sha256, ext)

