"""Reading a record's pages, their files, regions and texts (ingest writes them: media.py)."""

from __future__ import annotations

import json

from archivist.core.changes import Changes
from archivist.core.errors import InvalidValue, NotFound
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue, now


def pages_of(cat: Catalogue, record_id: int) -> list[dict]:
    """A record's pages in order, each with its file's checksum, format and pixel size."""
    rows = cat.conn.execute(
        "SELECT p.id, p.position, p.page_index, p.label, coalesce(p.width, f.width),"
        " coalesce(p.height, f.height), p.view, f.id, f.sha256, f.ext, f.size, f.format,"
        " f.original_name FROM pages p JOIN files f ON f.id = p.file_id WHERE p.record_id = ?"
        " ORDER BY p.position, p.id", (record_id,)).fetchall()
    return [{"id": r[0], "position": r[1], "page_index": r[2], "label": r[3], "width": r[4],
             "height": r[5], "view": json.loads(r[6]), "file_id": r[7], "sha256": r[8],
             "ext": r[9], "size": r[10], "format": r[11], "original_name": r[12]} for r in rows]


def regions_of(cat: Catalogue, page_id: int) -> list[dict]:
    """Regions drawn on a page."""
    return [{"id": r[0], "x": r[1], "y": r[2], "w": r[3], "h": r[4], "title": r[5],
             "description": r[6], "transcription": r[7]} for r in cat.conn.execute(
        "SELECT id, x, y, w, h, title, description, transcription FROM regions WHERE page_id = ?"
        " ORDER BY id", (page_id,))]


def texts_of(cat: Catalogue, page_id: int) -> list[dict]:
    """Transcriptions and translations of a page."""
    return [{"id": r[0], "kind": r[1], "language": r[2], "text": r[3]} for r in cat.conn.execute(
        "SELECT id, kind, language, text FROM page_texts WHERE page_id = ? ORDER BY id", (page_id,))]


def page_snapshot(cat: Catalogue, page_id: int) -> dict:
    """Everything needed to put a removed page back with :func:`add_page` (and its position).

    Raises:
        NotFound: there is no such page.
    """
    row = cat.conn.execute("SELECT record_id, file_id, page_index, label, width, height, position,"
                           " view FROM pages WHERE id = ?", (page_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no page {page_id}")
    keep = ("x", "y", "w", "h", "title", "description", "transcription")
    return {"record_id": row[0], "file_id": row[1], "page_index": row[2], "label": row[3],
            "width": row[4], "height": row[5], "position": row[6], "view": json.loads(row[7]),
            "texts": [{k: t[k] for k in ("kind", "language", "text")} for t in texts_of(cat, page_id)],
            "regions": [{k: g[k] for k in keep} for g in regions_of(cat, page_id)]}


def file_path(cat: Catalogue, sha256: str, ext: str):
    """Where an original with this checksum lives in the catalogue."""
    return cat.media_dir / sha256[:2] / sha256[2:4] / f"{sha256}.{ext}"


def add_file_row(cat: Catalogue, *, sha256: str, ext: str, size: int, info: dict | None = None,
                 original_name: str | None = None) -> int:
    """Insert (or find) the row of a stored original and return its id."""
    row = cat.conn.execute("SELECT id FROM files WHERE sha256 = ?", (sha256,)).fetchone()
    if row:
        return row[0]
    info = info or {}
    cur = cat.conn.execute(
        "INSERT INTO files (sha256, ext, size, format, mode, width, height, dpi_x, dpi_y, orientation,"
        " page_count, capture, original_name, added_at, added_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (sha256, ext, size, info.get("format"), info.get("mode"), info.get("width"), info.get("height"),
         info.get("dpi_x"), info.get("dpi_y"), info.get("orientation"), info.get("page_count", 1),
         json.dumps(info.get("capture", {}), ensure_ascii=False), original_name, now(), cat.user))
    return cur.lastrowid


def add_page(cat: Catalogue, record_id: int, file_id: int, *, page_index: int = 0,
             label: str | None = None, width: int | None = None, height: int | None = None,
             texts: list[dict] = (), regions: list[dict] = ()) -> int:
    """Append a page (a file, or one page of a multi-page file) to a record."""
    with cat.atomic():
        if cat.conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is None:
            raise NotFound(f"there is no record {record_id}")
        pos = cat.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM pages WHERE record_id = ?",
                               (record_id,)).fetchone()[0]
        pid = cat.conn.execute(
            "INSERT INTO pages (record_id, position, file_id, page_index, label, width, height)"
            " VALUES (?,?,?,?,?,?,?)", (record_id, pos, file_id, page_index, label, width, height)).lastrowid
        for t in texts:
            if t.get("kind") not in ("transcription", "translation"):
                raise InvalidValue(f"unknown text kind {t.get('kind')!r}")
            cat.conn.execute("INSERT INTO page_texts (page_id, kind, language, text) VALUES (?,?,?,?)",
                             (pid, t["kind"], t.get("language"), t.get("text") or ""))
        for r in regions:
            for k in ("x", "y", "w", "h"):
                if not 0 <= float(r[k]) <= 1:
                    raise InvalidValue(f"region {k} must be a fraction between 0 and 1")
            cat.conn.execute("INSERT INTO regions (page_id, x, y, w, h, title, description, transcription)"
                             " VALUES (?,?,?,?,?,?,?,?)", (pid, r["x"], r["y"], r["w"], r["h"],
                                                          r.get("title"), r.get("description"),
                                                          r.get("transcription")))
        ruuid = cat.conn.execute("SELECT uuid FROM records WHERE id = ?", (record_id,)).fetchone()[0]
        log_change(cat, "add_page", "page", pid, ruuid, record_id=record_id, field="pages",
                   new={"file_id": file_id, "page_index": page_index})
        cat.note(Changes(records={record_id}, media={record_id}))
    return pid
