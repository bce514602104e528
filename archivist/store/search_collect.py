"""Collecting the ids a search matches, and the first page of a large hit set in date order.

The ids go into ``temp.search_hits``, lowest first, so that a collection stopped at a cap still
holds the first page in catalogue order and the first text matches (FTS5 gives its matches in
rowid order).
"""

from __future__ import annotations

import re

from archivist.store.search_compile import Plan

__all__ = ["collect", "collect_window", "walk_dates", "per_record"]

#: How conditions that start from the record id (an id list, a per-record EXISTS) begin.
_ID_PREFIXES = ("r.id IN (", "(r.id IN (", "EXISTS (", "(EXISTS (")


def _live_hint(conn, where: list[str], include_trashed: bool) -> str:
    """``INDEXED BY`` the live records' id index when every condition reads only the record id.

    Id lists or text matches drive the search; whether each id is live is then read from that
    small index instead of the records table (2-3 times faster for tens of thousands of ids).
    """
    if include_trashed or not where or not all(w.startswith(_ID_PREFIXES) for w in where):
        return ""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'records_live_id'"
                    ).fetchone() is None:
        return ""
    return " INDEXED BY records_live_id"


_OTHER_COLUMN = re.compile(r"\br\.(?!id\b)\w")


def _id_only(where: list[str]) -> bool:
    """Whether every condition reads only ``r.id`` (an id list or a per-record EXISTS)."""
    return bool(where) and all(w.startswith(_ID_PREFIXES) and not _OTHER_COLUMN.search(w)
                               for w in where)


def per_record(conds: list[str]) -> list[str]:
    """``conds`` with each top-level id list written ``+r.id IN (…)``: checked record by record.

    Otherwise SQLite may walk the list as the driving loop: once per window of a sample, or
    handing it to FTS5 as rowids, re-running the match for each.
    """
    return ["+" + c if c.startswith("r.id IN (") else c for c in conds]


def collect(conn, plan: Plan, where: list[str], params: list, include_trashed: bool,
            cap: int) -> int:
    """Fill ``temp.search_hits`` with the matching ids (up to ``cap`` + 1); return the count.

    The ids collected are always the lowest matching ones (FTS5 gives its matches in rowid
    order; other searches ask for id order, which their indexes give without sorting), so a
    capped collection still holds the first page in catalogue order and the first matches that
    FTS5 ranks.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_hits")
    if plan.match and not where:
        # words only: no lookup into records, just leave out the (few) trashed ones
        trashed = "" if include_trashed else (
            " AND +rowid NOT IN (SELECT id FROM records WHERE trashed_at IS NOT NULL)")
        conn.execute(f"INSERT INTO temp.search_hits (id) SELECT rowid FROM search_fts"
                     f" WHERE search_fts MATCH ?{trashed} LIMIT {cap + 1}", (plan.match,))
        return conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
    if plan.match and _id_only(where):
        # text matches with conditions on the record id alone (dates, languages, facets): no
        # join with records; the matches themselves are "r", the (few) trashed ones left out
        checks = " AND ".join(per_record(where))
        trashed = "" if include_trashed else (
            " AND +r.id NOT IN (SELECT id FROM records WHERE trashed_at IS NOT NULL)")
        conn.execute(f"INSERT INTO temp.search_hits (id) SELECT r.id FROM (SELECT rowid AS id"
                     f" FROM search_fts WHERE search_fts MATCH ?) r WHERE {checks}{trashed}"
                     f" LIMIT {cap + 1}", [plan.match, *params])
        return conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
    conds = list(where)
    if not include_trashed:
        conds.insert(0, "r.trashed_at IS NULL")
    cond_sql = " AND ".join(conds) if conds else "1"
    if plan.match:
        sql = (f"INSERT INTO temp.search_hits (id) SELECT r.id FROM search_fts CROSS JOIN records r"
               f"{_live_hint(conn, where, include_trashed)} ON r.id = search_fts.rowid WHERE search_fts MATCH ? AND {cond_sql}"
               f" LIMIT {cap + 1}")
        args = [plan.match, *params]
    else:
        sql = (f"INSERT INTO temp.search_hits (id) SELECT r.id FROM records r{_live_hint(conn, where, include_trashed)}"
               f" WHERE {cond_sql} ORDER BY r.id LIMIT {cap + 1}")
        args = list(params)
    conn.execute(sql, args)
    return conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]


def collect_window(conn, plan: Plan, where: list[str], params: list, include_trashed: bool,
                   cap: int, window: int) -> int | None:
    """Collect the first ``cap`` + 1 hits by checking each record of a window of low ids.

    Args:
        plan: the query compiled with per-record checks (``compile_query(..., driven=True)``).
        where, params: further conditions (clicked facet values).
        window: how many ids, from the lowest, to check.

    Returns:
        The count, or None (nothing usable collected) when the window holds ``cap`` hits or
        fewer: the hits are then too rare for a scan, and the id lists are built instead.
    """
    first = conn.execute("SELECT min(id) FROM records").fetchone()[0] or 0
    count = collect(conn, plan, ["r.id <= ?", *plan.where, *where],
                    [first + window, *plan.params, *params], include_trashed, cap)
    return count if count > cap else None


def walk_dates(conn, count: int, limit: int, offset: int, min_hits: int, factor: int
               ) -> list[int] | None:
    """The page of a large hit set in date order, read from the dates' index in order.

    Walking ``record_dates_range`` by earliest date and keeping the hits gives each hit first at
    its earliest date, so the first ``offset + limit`` distinct ones (ties by id) are the page,
    after reading about ``(offset + limit) / share-of-hits`` index entries instead of joining
    every hit with its dates. None (use the join) for small hit sets, when the walk grows too
    long (hits without dates or with late ones) or reaches the undated records.

    Args:
        count: how many hits ``temp.search_hits`` holds.
        min_hits: smaller hit sets are left to the join.
        factor: how many times the expected number of index entries may be read.
    """
    wanted = offset + limit
    if count < min_hits:
        return None
    records = conn.execute("SELECT max(id) FROM records").fetchone()[0] or 0
    budget = factor * wanted * max(1, records // count)
    cursor = conn.execute(
        "SELECT d.earliest, d.record_id FROM record_dates d INDEXED BY record_dates_range"
        " WHERE d.earliest IS NOT NULL AND d.record_id IN temp.search_hits ORDER BY d.earliest")
    seen: dict[int, None] = {}
    group: list[int] = []
    current, read = None, 0
    while True:
        rows = cursor.fetchmany(512)
        read += len(rows)
        for earliest, rid in rows:
            if earliest != current:  # a tie group is complete: its new ids, by id
                seen.update((i, None) for i in sorted(group) if i not in seen)
                if len(seen) >= wanted:
                    return list(seen)[offset:wanted]
                group, current = [], earliest
            group.append(rid)
        if not rows or read > budget:
            return None
