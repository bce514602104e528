"""Reading records into what the search index holds: texts, search_meta and search_facets rows.

:func:`_documents` reads a batch of records (and their dates, links, tags, pages, regions) in a
few set-based queries; :mod:`archivist.store.search_index_build` turns the texts into FTS rows and
:mod:`archivist.store.search_index` writes them.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Iterable

from archivist.store.search_index_build import Memo, Piece

BATCH = 500
#: A date spanning more years than this is not counted under each year (only its decades).
MAX_YEAR_SPAN = 30
_KIND_COLUMN = {"person": "person", "family": "person", "organisation": "org", "place": "place"}
_SKIP_FIELDS = {"languages", "scripts"}


def _chunks(ids: list[int], size: int = BATCH):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _fields(fields_json: str) -> dict:
    try:
        fields = json.loads(fields_json or "{}")
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def _field_texts(fields: dict) -> Iterable[str]:
    for key, value in fields.items():
        if key in _SKIP_FIELDS or value is None:
            continue
        if isinstance(value, list):
            yield from (str(v) for v in value if v is not None)
        else:
            yield str(value)


def _languages(fields: dict) -> list[str]:
    langs = fields.get("languages") or []
    if isinstance(langs, str):
        langs = [langs]
    try:
        return sorted({str(x).lower() for x in langs if x})
    except TypeError:
        return []


def _series_of(conn: sqlite3.Connection, record_id: int, cache: dict) -> int | None:
    """The nearest ancestor-or-self at level series (walks up, caching what it reads)."""
    path = []
    current = record_id
    result = None
    while current is not None:
        if current in cache:
            result = cache[current]
            break
        row = conn.execute("SELECT parent_id, level FROM records WHERE id = ?", (current,)).fetchone()
        if row is None:
            break
        path.append(current)
        if row[1] == "series":
            result = current
            break
        current = row[0]
    for rid in path:
        cache[rid] = result
    return result


def _years(earliest: str | None, latest: str | None) -> tuple[list[int], list[int]]:
    if not earliest and not latest:
        return [], []
    lo = int((earliest or latest)[:4])
    hi = int((latest or earliest)[:4])
    if not earliest or not latest:  # open span: count only its known end
        return [lo if earliest else hi], [(lo if earliest else hi) // 10 * 10]
    decades = list(range(lo // 10 * 10, hi // 10 * 10 + 1, 10))
    if len(decades) > MAX_YEAR_SPAN // 3:  # a century or more says nothing about any decade
        decades = []
    if hi - lo + 1 > MAX_YEAR_SPAN:
        return [], decades
    return list(range(lo, hi + 1)), decades


class _State:
    """What one reindex run carries from batch to batch.

    Attributes:
        series: record id -> its series (see :func:`_series_of`).
        memo: normalised texts and name keys of short strings (see :class:`Memo`).
        auth: authority id -> (column, name, variant names), or None when trashed or gone.
        has_keys: whether the ``search_keys`` table exists (None until looked up).
    """

    def __init__(self):
        self.series: dict = {}
        self.memo = Memo()
        self.has_keys: bool | None = None
        self.auth: dict[int, tuple[str, str, list[str]] | None] = {}

    def authorities(self, conn: sqlite3.Connection, ids: set[int]) -> dict:
        """(column, name, variant names) of each live authority of ``ids`` (read once per run)."""
        known = self.auth
        missing = sorted(i for i in ids if i not in known)
        for chunk in _chunks(missing):
            m = _marks(len(chunk))
            for aid in chunk:
                known[aid] = None
            for aid, kind, name in conn.execute(
                    f"SELECT id, kind, name FROM authorities WHERE id IN ({m})"
                    f" AND trashed_at IS NULL", chunk):
                known[aid] = (_KIND_COLUMN.get(kind, "person"), name, [])
            for aid, name in conn.execute(
                    f"SELECT authority_id, name FROM authority_names WHERE authority_id IN ({m})"
                    f" ORDER BY authority_id, position, id", chunk):
                if known[aid] is not None:
                    known[aid][2].append(name)
        return known


def _documents(conn: sqlite3.Connection, ids: list[int], state: _State
               ) -> tuple[list[Piece], list[tuple], list[tuple]]:
    """The texts, search_meta rows and search_facets rows of the records of ``ids`` that exist.

    The texts go to :func:`archivist.store.search_index_build.build` for the FTS rows.
    """
    series_cache = state.series
    contiguous = ids[-1] - ids[0] + 1 == len(ids)

    def where(col: str) -> str:  # a range is much cheaper than a long IN list
        return f"{col} BETWEEN ? AND ?" if contiguous else f"{col} IN ({_marks(len(ids))})"

    args = [ids[0], ids[-1]] if contiguous else list(ids)
    rows = conn.execute(f"SELECT id, title, identifier, fields, parent_id, level FROM records"
                        f" WHERE {where('id')}", args).fetchall()
    body: dict[int, list[str]] = defaultdict(list)
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    facets: dict[int, set[tuple[str, str]]] = defaultdict(set)
    tags: dict[int, list[str]] = defaultdict(list)
    flags: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    span_facets: dict[tuple, list[tuple[str, str]]] = {}
    for rid, expr, earliest, latest in conn.execute(
            f"SELECT record_id, expression, earliest, latest FROM record_dates"
            f" WHERE {where('record_id')} ORDER BY record_id, position", args):
        body[rid].append(expr)
        found = span_facets.get((earliest, latest))
        if found is None:
            years, decades = _years(earliest, latest)
            found = span_facets[(earliest, latest)] = (
                [("year", str(y)) for y in years] + [("decade", str(d)) for d in decades])
        facets[rid].update(found)
    linked_aids: dict[int, list[int]] = defaultdict(list)
    for rid, aid in conn.execute(
            f"SELECT record_id, authority_id FROM links WHERE {where('record_id')}"
            f" ORDER BY record_id, authority_id", args):
        linked_aids[rid].append(aid)
    authorities = state.authorities(conn, {a for aids in linked_aids.values() for a in aids})
    for rid, aids in linked_aids.items():
        primary: dict[str, list[str]] = {}
        variants: dict[str, list[str]] = {}
        for aid in aids:
            found = authorities.get(aid)
            if found is None:  # trashed or gone
                continue
            column, name, others = found
            primary.setdefault(column, []).append(name)
            variants.setdefault(column, []).extend(others)
            facets[rid].add((column, str(aid)))
        for column, first in primary.items():  # authorised names first, then the variants
            names[rid][column] = list(dict.fromkeys(first + variants[column]))
    for rid, name in conn.execute(
            f"SELECT rt.record_id, t.name FROM record_tags rt JOIN tags t ON t.id = rt.tag_id"
            f" WHERE {where('rt.record_id')}", args):
        tags[rid].append(name)
        facets[rid].add(("tag", name))
    for rid, label, kind, text in conn.execute(
            f"SELECT p.record_id, p.label, t.kind, t.text FROM pages p LEFT JOIN page_texts t"
            f" ON t.page_id = p.id WHERE {where('p.record_id')}", args):
        flags[rid][0] = 1
        if label:
            body[rid].append(label)
        if kind == "transcription" and text:
            flags[rid][1] = 1
        if kind == "translation" and text:
            flags[rid][2] = 1
        if text:
            body[rid].append(text)
    for rid, title, desc, trans in conn.execute(
            f"SELECT p.record_id, g.title, g.description, g.transcription FROM regions g"
            f" JOIN pages p ON p.id = g.page_id WHERE {where('p.record_id')}", args):
        flags[rid][3] = 1
        body[rid].extend(t for t in (title, desc, trans) if t)
    no_names: dict[str, list[str]] = {}
    pieces, metas, facet_rows = [], [], []
    for rid, title, identifier, fields_json, parent_id, level in rows:
        fields = _fields(fields_json)
        texts = ([identifier] if identifier else []) + list(_field_texts(fields)) + body[rid]
        mine = facets[rid]
        for lang in _languages(fields):
            mine.add(("lang", lang))
        pieces.append((rid, title, texts, names.get(rid, no_names), tags.get(rid, [])))
        if level == "series":
            series_cache[rid] = rid
        elif parent_id in series_cache:  # parents come first in id order: no walk needed
            series_cache[rid] = series_cache[parent_id]
        metas.append((rid, *flags[rid], _series_of(conn, rid, series_cache)))
        facet_rows.extend((f, v, rid) for f, v in mine)
    return pieces, metas, facet_rows
