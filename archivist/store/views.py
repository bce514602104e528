"""Read queries shaped for the desktop views: ids in sort order, one page of row values.

Designed for catalogues of a million records: a table asks for the ids of what it shows (one
integer per record) and then, as rows scroll into view, for the values of one page of ids. The
tree asks only for units (levels above ``item``), one parent at a time.
"""

from __future__ import annotations

import json

from archivist.store.catalogue import Catalogue

#: Sort keys a table column may ask for, mapped to SQL expressions over ``records r``.
SORT_KEYS = {
    "position": "r.position",
    "id": "r.id",
    "reference_code": "r.reference_code",
    "title": "r.title COLLATE NOCASE",
    "type": "r.type",
    "level": "r.level",
    "status": "r.description_status",
    "access": "r.access_status",
    "modified": "r.modified_at",
    "date": "(SELECT min(d.earliest) FROM record_dates d WHERE d.record_id = r.id)",
    "pages": "(SELECT count(*) FROM pages p WHERE p.record_id = r.id)",
}

#: The levels shown in the hierarchy tree (items appear only in the table).
UNIT_LEVELS = ("fonds", "subfonds", "series", "subseries", "file")


def _scope(parent_id: int | None, everything: bool, text: str | None) -> tuple[str, list]:
    where, args = ["r.trashed_at IS NULL"], []
    if not everything:
        where.append("r.parent_id IS ?")
        args.append(parent_id)
    if text:
        where.append("(r.title LIKE ? OR r.reference_code LIKE ?)")
        args += [f"%{text}%", f"%{text}%"]
    return " AND ".join(where), args


def record_ids(cat: Catalogue, parent_id: int | None = None, *, everything: bool = False,
               sort: str = "position", descending: bool = False, text: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[int]:
    """Ids of live records in display order.

    Args:
        parent_id: the unit whose children to list (None: top-level records).
        everything: list every live record in the catalogue instead of one unit's children.
        sort: a key of :data:`SORT_KEYS`.
        descending: reverse the order.
        text: keep only records whose title or reference code contains this text (any case).
        limit: at most this many ids (None: all), starting at ``offset`` in the order.
        offset: how many ids of the order to skip.

    Returns:
        The ids, in order.
    """
    expr = SORT_KEYS.get(sort, SORT_KEYS["position"])
    if everything and sort == "position":
        expr = SORT_KEYS["id"]
    direction = "DESC" if descending else "ASC"
    order = f"{expr} {direction}, r.id {direction}" if expr != "r.id" else f"r.id {direction}"
    where, args = _scope(parent_id, everything, text)
    sql = f"SELECT r.id FROM records r WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [row[0] for row in cat.conn.execute(sql, args)]


def count_ids(cat: Catalogue, parent_id: int | None = None, *, everything: bool = False,
              text: str | None = None) -> int:
    """How many ids :func:`record_ids` would list for this scope."""
    if everything and not text:
        return counts(cat)["records"]
    where, args = _scope(parent_id, everything, text)
    return cat.conn.execute(f"SELECT count(*) FROM records r WHERE {where}", args).fetchone()[0]


def record_rows(cat: Catalogue, ids: list[int]) -> dict[int, dict]:
    """Row values for the given record ids (one page: keep it to a few hundred ids).

    Returns:
        By id, a dict with id, reference_code, title, type, level, date (the first date's EDTF
        expression), languages (list of tags), pages (count), status, access, modified, parent_id,
        thumb (``(sha256, page_index, ext)`` of the first page, or None) and trashed (bool).
    """
    if not ids:
        return {}
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = cat.conn.execute(
            "SELECT r.id, r.reference_code, r.title, r.type, r.level, r.description_status,"
            " r.access_status, r.modified_at, r.parent_id, r.fields, r.trashed_at,"
            " (SELECT d.expression FROM record_dates d WHERE d.record_id = r.id"
            "   ORDER BY d.position LIMIT 1),"
            " (SELECT count(*) FROM pages p WHERE p.record_id = r.id),"
            " (SELECT f.sha256 || ':' || p.page_index || ':' || f.ext FROM pages p"
            "   JOIN files f ON f.id = p.file_id"
            "   WHERE p.record_id = r.id ORDER BY p.position, p.id LIMIT 1)"
            f" FROM records r WHERE r.id IN ({marks})", chunk)
        for (rid, code, title, rtype, level, status, access, modified, parent, fields, trashed,
             date, pages, thumb) in rows:
            langs = json.loads(fields).get("languages") or []
            if isinstance(langs, str):
                langs = [langs]
            thumb_ref = None
            if thumb:
                sha, index, ext = thumb.split(":", 2)
                thumb_ref = (sha, int(index), ext)
            out[rid] = {"id": rid, "reference_code": code, "title": title, "type": rtype,
                        "level": level, "status": status, "access": access, "modified": modified,
                        "parent_id": parent, "languages": langs, "date": date, "pages": pages,
                        "thumb": thumb_ref, "trashed": trashed is not None}
    return out


def unit_children(cat: Catalogue, parent_id: int | None) -> list[dict]:
    """The live units (levels above item) directly under ``parent_id``, in order.

    Returns:
        Dicts with id, title, level, reference_code and has_units (whether it holds units).
    """
    marks = ",".join("?" * len(UNIT_LEVELS))
    rows = cat.conn.execute(
        "SELECT r.id, r.title, r.level, r.reference_code,"
        f" EXISTS (SELECT 1 FROM records c WHERE c.parent_id = r.id AND c.level IN ({marks})"
        "   AND c.trashed_at IS NULL)"
        f" FROM records r WHERE r.parent_id IS ? AND r.level IN ({marks}) AND r.trashed_at IS NULL"
        " ORDER BY r.position, r.id", (*UNIT_LEVELS, parent_id, *UNIT_LEVELS)).fetchall()
    return [{"id": r[0], "title": r[1], "level": r[2], "reference_code": r[3],
             "has_units": bool(r[4])} for r in rows]


def counts(cat: Catalogue) -> dict[str, int]:
    """Figures for the status bar: live records, records in the trash, authorities."""
    total = cat.conn.execute("SELECT count(*) FROM records").fetchone()[0]
    trashed = cat.conn.execute(
        "SELECT count(*) FROM records WHERE trashed_at IS NOT NULL").fetchone()[0]
    live = total - trashed
    authorities = cat.conn.execute(
        "SELECT count(*) FROM authorities WHERE trashed_at IS NULL").fetchone()[0]
    return {"records": live, "trash": trashed, "authorities": authorities}


def find_records(cat: Catalogue, text: str, limit: int = 20,
                 exclude: int | None = None) -> list[tuple[int, str | None, str]]:
    """Live records whose title or reference code contains ``text``: (id, code, title)."""
    pattern = f"%{text}%"
    return cat.conn.execute(
        "SELECT id, reference_code, title FROM records WHERE trashed_at IS NULL"
        " AND (title LIKE ? OR reference_code LIKE ?) AND id IS NOT ?"
        " ORDER BY reference_code, id LIMIT ?", (pattern, pattern, exclude, limit)).fetchall()


def row_position(cat: Catalogue, record_id: int) -> tuple[int | None, int]:
    """A record's parent id and position among its siblings."""
    row = cat.conn.execute("SELECT parent_id, position FROM records WHERE id = ?",
                           (record_id,)).fetchone()
    return (row[0], row[1]) if row else (None, 0)


def authority_names(cat: Catalogue, kind: str | None = None) -> list[tuple[int, str]]:
    """Every authorised and variant name of live authorities: (authority id, name).

    For cross-script completion: the caller keys the names (``core.translit.name_key``) once.
    """
    sql = ("SELECT a.id, a.name FROM authorities a WHERE a.trashed_at IS NULL{k}"
           " UNION ALL SELECT a.id, n.name FROM authority_names n JOIN authorities a"
           " ON a.id = n.authority_id WHERE a.trashed_at IS NULL{k}")
    if kind:
        return cat.conn.execute(sql.format(k=" AND a.kind = ?"), (kind, kind)).fetchall()
    return cat.conn.execute(sql.format(k="")).fetchall()
