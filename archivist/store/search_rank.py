"""Putting collected hits in order: ranked by bm25, by date, by reference code or by title.

The hits are in ``temp.search_hits`` (see :mod:`archivist.store.search_collect`).
"""

from __future__ import annotations

from concurrent.futures import Future

from archivist.store.search_collect import walk_dates
from archivist.store.search_compile import Plan

__all__ = ["ranked_ids", "first_scores"]

_ORDER = {  # "date" and "-date" go through _BY_DATE
    "ref": "r.reference_code IS NULL, r.reference_code, r.id",
    "title": "r.title COLLATE NOCASE, r.id",
}

# One pass over the hits' dates (a join grouped by hit), each aggregate computed once per hit.
_BY_DATE = {
    "date": "SELECT h.id FROM temp.search_hits h LEFT JOIN record_dates d ON d.record_id = h.id"
            " GROUP BY h.id ORDER BY min(d.earliest) IS NULL, min(d.earliest), h.id LIMIT ? OFFSET ?",
    "-date": "SELECT h.id FROM temp.search_hits h LEFT JOIN record_dates d ON d.record_id = h.id"
             " GROUP BY h.id ORDER BY max(d.latest) IS NULL, max(d.latest) DESC, h.id LIMIT ? OFFSET ?",
}


def _scored(conn, expr: str, weights: str, wanted: int, count: int, rank_cap: int,
            first: Future | None = None) -> list[tuple[int, float]]:
    """bm25 of the first RANK_CAP text matches that are hits.

    Fast path: score the first RANK_CAP matches of the index (FTS5 stops there) and keep the
    hits among them (``first``: those first matches already scored, see :func:`first_scores`).
    When filters left out so many that the page cannot be filled, score the
    first RANK_CAP hits instead (FTS5 then walks every match, scoring only the hits).
    """
    if first is not None:  # scored beforehand (on the side reader, while the hits were collected)
        scored = first.result()
        hits = set()
        if scored:
            hits = {r[0] for r in conn.execute(
                "SELECT id FROM temp.search_hits WHERE id BETWEEN ? AND ?",
                (min(r[0] for r in scored), max(r[0] for r in scored)))}
        rows = [r for r in scored if r[0] in hits]
    else:
        rows = conn.execute(
            f"SELECT s.rowid, s.score FROM (SELECT rowid, -bm25(search_fts, {weights}) AS score"
            f" FROM search_fts WHERE search_fts MATCH ? LIMIT {int(rank_cap)}) s"
            f" WHERE +s.rowid IN temp.search_hits", (expr,)).fetchall()
    if len(rows) >= min(wanted, count) or len(rows) >= rank_cap:
        return rows
    return conn.execute(
        f"SELECT rowid, -bm25(search_fts, {weights}) FROM search_fts WHERE search_fts MATCH ?"
        f" AND +rowid IN (SELECT id FROM temp.search_hits ORDER BY id LIMIT {int(rank_cap)})",
        (expr,)).fetchall()


def first_scores(side, conn, match: str, weights: tuple[float, ...], rank_cap: int) -> Future | None:
    """Start scoring the first ``rank_cap`` matches of ``match`` on the side reader.

    A search with words and filters collects its hits first, then keeps the hits among the first
    matches FTS5 scores; the scoring does not need the hits, so it runs on the other core while
    they are collected. None when there is no side reader to use (or a transaction is open,
    whose changes it would not see).
    """
    if side is None or conn.in_transaction:
        return None
    sql = (f"SELECT rowid, -bm25(search_fts, {', '.join(str(w) for w in weights)}) FROM search_fts"
           f" WHERE search_fts MATCH ? LIMIT {int(rank_cap)}")
    return side.submit(lambda c: c.execute(sql, (match,)).fetchall())


def ranked_ids(conn, plan: Plan, sort: str, limit: int, offset: int, *, rank_cap: int,
               weights: tuple[float, ...], walk: tuple[int, int], first: Future | None = None
               ) -> list[tuple[int, float, bool]]:
    """(id, score, exact) of the requested page of the hits in ``temp.search_hits``.

    Args:
        sort: "relevance", "date", "-date", "ref" or "title".
        rank_cap: how many hits bm25 scores at most.
        weights: the bm25 column weights.
        walk: (smallest hit set, budget factor) for reading a date-sorted page off the dates'
            index (see :func:`~archivist.store.search_collect.walk_dates`).
        first: the first matches already being scored (:func:`first_scores`), or None.

    ``+rowid`` keeps SQLite from handing the id list to FTS5 as a rowid constraint, which would
    re-run the whole match once per id.
    """
    if sort == "relevance" and not plan.match:  # nothing to rank: catalogue order, no sorting
        rows = conn.execute("SELECT id FROM temp.search_hits ORDER BY id LIMIT ? OFFSET ?",
                            (limit, offset)).fetchall()
        return [(r[0], 0.0, True) for r in rows]
    if sort == "date":
        count = conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
        walked = walk_dates(conn, count, limit, offset, *walk)
        if walked is not None:
            return [(rid, 0.0, True) for rid in walked]
    if sort in _BY_DATE:
        rows = conn.execute(_BY_DATE[sort], (limit, offset)).fetchall()
        return [(r[0], 0.0, True) for r in rows]
    if sort != "relevance":
        rows = conn.execute(f"SELECT r.id FROM temp.search_hits h CROSS JOIN records r ON r.id = h.id"
                            f" ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [(r[0], 0.0, True) for r in rows]
    weights = ", ".join(str(w) for w in weights)
    count = conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
    scored = _scored(conn, plan.match, weights, offset + limit, count, rank_cap, first)
    exact_ids = None
    if plan.exact and scored:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_scored (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.search_scored")
        conn.executemany("INSERT INTO temp.search_scored (id) VALUES (?)", [(r[0],) for r in scored])
        exact_ids = {r[0] for r in conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
            " AND +rowid IN temp.search_scored",
            (plan.exact, min(r[0] for r in scored), max(r[0] for r in scored)))}
    rows = [(rid, score, exact_ids is None or rid in exact_ids) for rid, score in scored]
    rows.sort(key=lambda r: (not r[2], -r[1], r[0]))
    if offset + limit > len(rows) and count > len(rows):
        # past the ranked ones: the other hits follow unranked, in catalogue order
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_scored (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.search_scored")
        conn.executemany("INSERT INTO temp.search_scored (id) VALUES (?)", [(r[0],) for r in rows])
        skip = max(0, offset - len(rows))
        rest = conn.execute(
            "SELECT id FROM temp.search_hits WHERE id NOT IN temp.search_scored ORDER BY id"
            " LIMIT ? OFFSET ?", (offset + limit - max(offset, len(rows)), skip)).fetchall()
        return rows[offset:offset + limit] + [(r[0], 0.0, True) for r in rest]
    return rows[offset:offset + limit]
