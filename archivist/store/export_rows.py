"""Batched reads for exports: records in depth-first order and their details by the thousand.

Exports must stream a million records with flat memory and at tens of thousands of records a
second, so nothing here reads one record at a time.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Callable, Iterable, Iterator, TypeVar

from archivist.store.catalogue import Catalogue

BATCH = 1000
T = TypeVar("T")
_decode = json.JSONDecoder().decode


def walk_ids(cat: Catalogue, roots: list[int] | None = None) -> Iterator[tuple[int, int]]:
    """(record id, depth) of live records, depth-first in sibling order, parents first.

    Args:
        roots: start from these records (each with its subtree); None: every top-level record
            (the whole tree is then read with one query instead of one per parent).
    """
    if roots is None:
        yield from _walk_all(cat)
        return
    levels = dict(cat.conn.execute("SELECT id, level FROM records WHERE id IN (%s)" % ",".join(
        str(int(r)) for r in roots))) if roots else {}
    stack = [(rid, 0, levels.get(rid)) for rid in reversed(roots)]
    while stack:
        rid, depth, level = stack.pop()
        yield rid, depth
        if level == "item":
            continue
        kids = cat.conn.execute("SELECT id, level FROM records WHERE parent_id = ? AND trashed_at IS NULL"
                                " ORDER BY position DESC, id DESC", (rid,)).fetchall()
        stack.extend((kid, depth + 1, klevel) for kid, klevel in kids)


def _walk_all(cat: Catalogue) -> Iterator[tuple[int, int]]:
    """:func:`walk_ids` of the whole catalogue: children lists of every parent, then the walk.

    The live-children index holds parent, position and id: the records' rows are not read
    (only their parents'), which keeps the walk fast and out of the page cache.
    """
    children: dict[int, list[int]] = {}
    for parent, rid in cat.conn.execute(
            "SELECT r.parent_id, r.id FROM records r INDEXED BY records_live_parent"
            " JOIN records p ON p.id = r.parent_id WHERE r.trashed_at IS NULL AND p.level != 'item'"
            " ORDER BY r.parent_id, r.position, r.id"):
        if parent in children:
            children[parent].append(rid)
        else:
            children[parent] = [rid]
    stack = [(rid, 0) for rid, in reversed(cat.conn.execute(
        "SELECT id FROM records WHERE parent_id IS NULL AND trashed_at IS NULL"
        " ORDER BY position, id").fetchall())]
    while stack:
        rid, depth = stack.pop()
        yield rid, depth
        kids = children.pop(rid, None)
        if kids:
            depth += 1
            stack.extend([(kid, depth) for kid in reversed(kids)])


def _in(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def authority_rows(cat: Catalogue, ids: list[int] | None = None) -> Iterator[dict]:
    """Native dicts of authority records (all live ones, or ``ids``)."""
    sql = ("SELECT id, uuid, kind, name, dates, description, identifiers FROM authorities"
           " WHERE trashed_at IS NULL")
    if ids is not None:
        sql += f" AND id IN ({_in(ids) or 'NULL'})"
    rows = cat.conn.execute(sql + " ORDER BY kind, name").fetchall()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        variants: dict[int, list] = {r[0]: [] for r in chunk}
        for aid, name, lang, script in cat.conn.execute(
                "SELECT authority_id, name, language, script FROM authority_names"
                f" WHERE authority_id IN ({_in(list(variants))}) ORDER BY authority_id, position"):
            variants[aid].append({"name": name, "language": lang, "script": script})
        for aid, uuid, kind, name, dates, desc, idents in chunk:
            yield {"uuid": uuid, "kind": kind, "name": name, "variants": variants[aid],
                   "dates": dates, "description": desc, "identifiers": json.loads(idents),
                   "_id": aid}


def linked_authority_ids(cat: Catalogue, record_ids: list[int]) -> set[int]:
    """Authorities linked to any of ``record_ids``."""
    out: set[int] = set()
    for start in range(0, len(record_ids), BATCH):
        q = _in(record_ids[start:start + BATCH])
        out.update(r[0] for r in cat.conn.execute(
            f"SELECT DISTINCT authority_id FROM links WHERE record_id IN ({q})"))
    return out


def _fields_sql(hidden: set[str]) -> str:
    if not hidden:
        return "json(r.fields)"
    paths = ", ".join(f"'$.{h}'" for h in sorted(hidden))
    return f"json_remove(r.fields, {paths})"


# Dates come in index order (record_id, position), so without a sort per record; tags,
# relations and pages, which most records lack, are looked for before they are sorted.
_RECORD_JSON = """
SELECT r.id, json_object(
  'uuid', r.uuid, 'parent', p.uuid, 'level', r.level, 'identifier', r.identifier,
  'reference_code', CASE WHEN r.ref_custom THEN r.reference_code END, 'title', r.title,
  'type', r.type,
  'dates', (SELECT json_group_array(json_object('expression', d.expression, 'label', d.label{date_extra}))
            FROM record_dates d INDEXED BY record_dates_record WHERE d.record_id = r.id),
  'access', json_object('status', r.access_status, 'reason', r.access_reason,
                        'until', r.access_until),
  'description_status', r.description_status,
  'fields', {fields},
  'tags', CASE WHEN NOT EXISTS (SELECT 1 FROM record_tags WHERE record_id = r.id) THEN json_array()
          ELSE (SELECT json_group_array(t.name) FROM (SELECT t.name FROM record_tags rt
           JOIN tags t ON t.id = rt.tag_id WHERE rt.record_id = r.id
           ORDER BY t.name COLLATE NOCASE) t) END,
  'links', (SELECT json_group_array(json_object('authority', l.uuid, 'role', l.role))
            FROM (SELECT a.uuid, l.role FROM links l JOIN authorities a ON a.id = l.authority_id
                  WHERE l.record_id = r.id AND a.trashed_at IS NULL ORDER BY l.position, l.id) l),
  'relations', CASE WHEN NOT EXISTS (SELECT 1 FROM relations WHERE source_id = r.id)
   THEN json_array() ELSE (SELECT json_group_array(json_object('type', x.type, 'target', x.uuid))
                FROM (SELECT x.type, t.uuid FROM relations x JOIN records t ON t.id = x.target_id
                      WHERE x.source_id = r.id AND t.trashed_at IS NULL {relation_filter}
                      ORDER BY x.id) x) END,
  'media', CASE WHEN NOT EXISTS (SELECT 1 FROM pages WHERE record_id = r.id) THEN json_array()
   ELSE (SELECT json_group_array(json(pg.j)) FROM (SELECT json_object(
      'file', 'media/' || substr(f.sha256, 1, 2) || '/' || substr(f.sha256, 3, 2) || '/'
              || f.sha256 || '.' || f.ext,
      'sha256', f.sha256, 'page_index', p2.page_index, 'label', p2.label,
      'transcriptions', (SELECT json_group_array(json_object('kind', kind, 'language', language,
                                                             'text', text))
                         FROM (SELECT kind, language, text FROM page_texts
                               WHERE page_id = p2.id ORDER BY id)),
      'regions', (SELECT json_group_array(json_object('x', x, 'y', y, 'w', w, 'h', h,
                                                      'title', title, 'description', description,
                                                      'transcription', transcription))
                  FROM (SELECT x, y, w, h, title, description, transcription FROM regions
                        WHERE page_id = p2.id ORDER BY id)){page_extra}) AS j
      FROM pages p2 JOIN files f ON f.id = p2.file_id WHERE p2.record_id = r.id
      ORDER BY p2.position, p2.id) pg) END{record_extra}
)
FROM records r LEFT JOIN records p ON p.id = r.parent_id WHERE r.id IN ({ids})
"""


def record_json(cat: Catalogue, ids: list[int], *, hidden_fields: set[str] = frozenset(),
                open_targets_only: bool = False) -> dict[int, str]:
    """The native JSON text of records ``ids``, built by SQLite itself (the fast export path).

    Args:
        hidden_fields: field ids to leave out (internal fields in public exports).
        open_targets_only: keep only relations to open records (public exports).

    Returns:
        JSON text by record id; the same content as :func:`record_rows` without private keys.
    """
    if not ids:
        return {}
    sql = _RECORD_JSON.format(
        fields=_fields_sql(set(hidden_fields)), ids=_in(ids), date_extra="", page_extra="",
        record_extra="", relation_filter="AND t.access_status = 'open'" if open_targets_only else "")
    return dict(cat.conn.execute(sql).fetchall())


_PRIVATE = dict(
    date_extra=", '_earliest', d.earliest, '_latest', d.latest, '_certainty', d.certainty",
    page_extra=", '_width', coalesce(p2.width, f.width), '_height', coalesce(p2.height, f.height),"
               " '_format', f.format",
    record_extra=", '_id', r.id, '_reference_code', r.reference_code, '_control', json_object("
                 "'created_at', r.created_at, 'created_by', r.created_by,"
                 " 'modified_at', r.modified_at, 'modified_by', r.modified_by)")


def record_rows(cat: Catalogue, ids: list[int]) -> dict[int, dict]:
    """The native dicts of records ``ids`` (at most a few thousand), keyed by id.

    Besides the keys of the native format they carry the stream's private keys (``_id``,
    ``_reference_code``, ``_control``; ``_earliest``/``_latest``/``_certainty`` on dates;
    ``_width``/``_height``/``_format`` on pages). SQLite builds each record as JSON and the C
    decoder reads it back: much faster than assembling the dicts from seven result sets.
    """
    if not ids:
        return {}
    sql = _RECORD_JSON.format(fields="json(r.fields)", ids=_in(ids), relation_filter="", **_PRIVATE)
    return {rid: _decode(text) for rid, text in cat.conn.execute(sql)}


def _escaped(expr: str) -> str:
    """SQL for ``expr`` with ``\\`` and ``|`` escaped by a backslash (a value of a joined cell)."""
    return f"replace(replace({expr}, '\\', '\\\\'), '|', '\\|')"


def _joined(expr: str, source: str, *, guard: str = "") -> str:
    """SQL joining ``expr`` over ``source`` rows with ``|``, escaping ``\\`` and ``|`` inside.

    ``guard`` (a table and condition) skips the subquery, and its sort, for records without rows.
    """
    sql = f"coalesce((SELECT group_concat({_escaped(expr)}, '|') FROM {source}), '')"
    return f"CASE WHEN EXISTS (SELECT 1 FROM {guard}) THEN {sql} ELSE '' END" if guard else sql


_MEDIA = _RECORD_JSON.split("'media', ", 1)[1].rsplit("{record_extra}", 1)[0].replace(
    "{page_extra}", "")

#: Unit separator between the expressions and labels of a record's dates (labels are names).
DATES_SEPARATOR = "\x1f"

# One JSON array per batch, built by SQLite alone: the statement steps once, without Python's
# lock, so it can run on the side reader while the caller writes the previous batch; the fields
# arrive decoded with the rest. Dates come in index order (record_id, position): no sort per
# record. Tags and relations, which most records lack, are looked for before they are sorted.
_CSV_PARTS = f"""
SELECT json_group_array(json_array(r.id, r.uuid, coalesce(p.uuid, ''), r.level,
  coalesce(r.identifier, ''), CASE WHEN r.ref_custom THEN coalesce(r.reference_code, '') ELSE '' END,
  r.title, coalesce(r.type, ''),
  (SELECT group_concat({_escaped("expression")}, '|') || char(31) || group_concat(label, '|')
   FROM record_dates INDEXED BY record_dates_record WHERE record_id = r.id),
  r.access_status, coalesce(r.access_reason, ''), coalesce(r.access_until, ''),
  r.description_status, json(r.fields),
  {_joined("t.name", "(SELECT t.name FROM record_tags rt JOIN tags t ON t.id = rt.tag_id"
                     " WHERE rt.record_id = r.id ORDER BY t.name COLLATE NOCASE) t",
           guard="record_tags WHERE record_id = r.id")},
  {_joined("x", "(SELECT l.role || '=' || a.uuid AS x FROM links l JOIN authorities a"
                " ON a.id = l.authority_id WHERE l.record_id = r.id AND a.trashed_at IS NULL"
                " ORDER BY l.position, l.id)")},
  {_joined("x", "(SELECT x.type || '=' || t.uuid AS x FROM relations x JOIN records t"
                " ON t.id = x.target_id WHERE x.source_id = r.id AND t.trashed_at IS NULL"
                "{relation_filter} ORDER BY x.id)", guard="relations WHERE source_id = r.id")},
  CASE WHEN EXISTS (SELECT 1 FROM pages WHERE record_id = r.id) THEN {_MEDIA} END))
FROM records r LEFT JOIN records p ON p.id = r.parent_id WHERE r.id IN ({{ids}})
"""


def csv_parts_json(conn: sqlite3.Connection, ids: list[int], *,
                   open_targets_only: bool = False) -> str:
    """:func:`record_csv_parts` as the JSON text SQLite builds (for a side reader's connection)."""
    if not ids:
        return "[]"
    sql = _CSV_PARTS.format(
        ids=_in(ids), relation_filter=" AND t.access_status = 'open'" if open_targets_only else "")
    return conn.execute(sql).fetchone()[0]


def record_csv_parts(cat: Catalogue, ids: list[int], *,
                     open_targets_only: bool = False) -> list[list]:
    """What the native CSV rows of records ``ids`` are made of, in one query (the fast path).

    Everything but the fields, dates and pages is a finished cell: repeated values joined with
    ``|`` (a ``|`` or ``\\`` inside escaped with ``\\``), links as ``role=uuid``, relations as
    ``type=uuid``, absent values as ``""``. The fields come as a dict: SQLite 3.40 re-parses the
    stored JSON for every ``json_extract``, which made one cell per field the slowest part of
    the export; here it is parsed once.

    Args:
        open_targets_only: keep only relations to open records (public exports).

    Returns:
        One list per record, in no particular order: id, uuid, parent uuid, level, identifier,
        hand-set reference code, title, type; the dates (None when none, else the dates cell and
        the date labels cell joined by :data:`DATES_SEPARATOR`); access status, reason, until,
        description status; the fields; the tags, links and relations cells; the pages (None
        when the record has none).
    """
    return _decode(csv_parts_json(cat.conn, ids, open_targets_only=open_targets_only))


def read_ahead(cat: Catalogue,
               jobs: Iterable[Callable[[sqlite3.Connection], T]]) -> Iterator[T]:
    """The results of ``jobs`` in order, each next job running while the caller uses a result.

    A job is given a connection: the catalogue's side reader's for the job after the current
    one (it steps without Python's lock, so on the other core), or the main connection when the
    side reader is busy or cannot be opened, or when the main connection is inside a transaction
    (whose changes the side reader would not see). At most two results exist at a time.
    """
    side = None if cat.conn.in_transaction else getattr(cat, "side", None)
    jobs = iter(jobs)
    job = next(jobs, None)
    pending = None
    while job is not None:
        result = pending.result() if pending is not None else job(cat.conn)
        job = next(jobs, None)
        pending = side.submit(job) if job is not None and side is not None else None
        yield result
