"""An even sample of a capped search's hits, for its facets.

A search whose count stopped at its cap holds only its lowest hits, and facets counted over them
lean towards the records catalogued first (one fonds, one decade). This draws the sample for the
facets from windows spread evenly over the whole id range instead, each checked record by record
(text matches seek to each window through FTS5's rowid range), sized from the hit density seen in
the capped collection so that the sample holds about the number of hits asked for.
"""

from __future__ import annotations

from archivist.store.search_collect import per_record
from archivist.store.search_compile import Plan
from archivist.store.search_words import even_windows

__all__ = ["spread_sample", "WINDOWS"]

#: How many id windows a sample is drawn from.
WINDOWS = 32


def spread_sample(conn, plan: Plan, where: list[str], params: list, include_trashed: bool,
                  density: float, target: int) -> tuple[float, int] | None:
    """Put the hits inside evenly spread id windows into ``temp.search_hits``.

    Args:
        plan: the query compiled with per-record checks (``compile_query(..., driven=True)``).
        where, params: further conditions (clicked facet values).
        density: the share of ids that are hits, as seen so far.
        target: about how many hits the sample should hold.

    Returns:
        (the factor that scales a count over the sample to an estimate over every hit, how many
        hits the sample holds), or None (``temp.search_hits`` left as it was) when the windows
        hold no hit.
    """
    # (two subqueries: min and max in one select would scan the whole table)
    lo, hi = conn.execute("SELECT (SELECT min(id) FROM records), (SELECT max(id) FROM records)"
                          ).fetchone()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_spread (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_spread")
    if lo is None:
        return None
    span = hi - lo + 1
    windows = even_windows(lo, hi, WINDOWS, int(target / max(density, 1e-9) / WINDOWS) + 1)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_windows (lo INTEGER, hi INTEGER)")
    conn.execute("DELETE FROM temp.search_windows")
    conn.executemany("INSERT INTO temp.search_windows (lo, hi) VALUES (?, ?)", windows)
    checked = sum(b - a + 1 for a, b in windows)
    conds = list(plan.where) + list(where)
    if not include_trashed:
        conds.insert(0, "r.trashed_at IS NULL")
    lists = any("IN (SELECT" in c for c in conds)
    if plan.match and not lists:  # text matches seek to each window through FTS5's rowid range
        sql = ("INSERT OR IGNORE INTO temp.search_spread (id) SELECT r.id FROM search_fts"
               " CROSS JOIN records r NOT INDEXED ON r.id = search_fts.rowid"
               f" WHERE search_fts MATCH ? AND search_fts.rowid BETWEEN ? AND ?"
               f" AND {' AND '.join(conds) or '1'}")
        for start, end in windows:
            conn.execute(sql, [plan.match, start, end, *plan.params, *params])
    else:
        # One statement over every window, so that a condition that is a list (a word inside an
        # OR group) is built once, not once per window; NOT INDEXED keeps SQLite on each
        # window's rowid range (an index on a filtered column would be read once per window).
        conds = per_record(conds)
        head = []
        if plan.match:
            conds.insert(0, "+r.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)")
            head = [plan.match]
        conn.execute("INSERT OR IGNORE INTO temp.search_spread (id) SELECT r.id FROM"
                     " temp.search_windows w CROSS JOIN records r NOT INDEXED"
                     f" WHERE r.id BETWEEN w.lo AND w.hi AND {' AND '.join(conds) or '1'}",
                     [*head, *plan.params, *params])
    sampled = conn.execute("SELECT count(*) FROM temp.search_spread").fetchone()[0]
    if not sampled:
        return None
    conn.execute("DELETE FROM temp.search_hits")
    conn.execute("INSERT INTO temp.search_hits (id) SELECT id FROM temp.search_spread")
    return span / checked, sampled
