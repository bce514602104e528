"""An even sample of a capped search's hits, for its facets.

A search whose count stopped at its cap holds only its lowest hits, and facets counted over them
lean towards the records catalogued first (one fonds, one decade). This draws the sample for the
facets from windows spread evenly over the whole id range instead, each checked record by record
(text matches seek to each window through FTS5's rowid range), sized from the hit density seen in
the capped collection so that the sample holds about the number of hits asked for.
"""

from __future__ import annotations

from archivist.store.search_compile import Plan

__all__ = ["spread_sample", "WINDOWS"]

#: How many id windows a sample is drawn from.
WINDOWS = 32


def spread_sample(conn, plan: Plan, where: list[str], params: list, include_trashed: bool,
                  density: float, target: int) -> float | None:
    """Put the hits inside evenly spread id windows into ``temp.search_hits``.

    Args:
        plan: the query compiled with per-record checks (``compile_query(..., driven=True)``).
        where, params: further conditions (clicked facet values).
        density: the share of ids that are hits, as seen so far.
        target: about how many hits the sample should hold.

    Returns:
        The factor that scales a count over the sample to an estimate over every hit, or None
        (``temp.search_hits`` left as it was) when the windows hold no hit.
    """
    # (two subqueries: min and max in one select would scan the whole table)
    lo, hi = conn.execute("SELECT (SELECT min(id) FROM records), (SELECT max(id) FROM records)"
                          ).fetchone()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_spread (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_spread")
    if lo is None:
        return None
    span = hi - lo + 1
    step = span / WINDOWS
    width = max(1, min(int(step), int(target / max(density, 1e-9) / WINDOWS) + 1))
    conds = list(plan.where) + list(where)
    if not include_trashed:
        conds.insert(0, "r.trashed_at IS NULL")
    cond_sql = " AND ".join(conds) if conds else "1"
    if plan.match:
        sql = ("INSERT OR IGNORE INTO temp.search_spread (id) SELECT r.id FROM search_fts CROSS JOIN"
               " records r ON r.id = search_fts.rowid WHERE search_fts MATCH ?"
               f" AND search_fts.rowid BETWEEN ? AND ? AND {cond_sql}")
        head = [plan.match]
    else:
        sql = ("INSERT OR IGNORE INTO temp.search_spread (id) SELECT r.id FROM records r"
               f" WHERE r.id BETWEEN ? AND ? AND {cond_sql}")
        head = []
    checked = 0
    for k in range(WINDOWS):
        start = lo + int(k * step + (step - width) / 2)
        end = min(hi, start + width - 1)
        conn.execute(sql, [*head, start, end, *plan.params, *params])
        checked += end - start + 1
    sampled = conn.execute("SELECT count(*) FROM temp.search_spread").fetchone()[0]
    if not sampled:
        return None
    conn.execute("DELETE FROM temp.search_hits")
    conn.execute("INSERT INTO temp.search_hits (id) SELECT id FROM temp.search_spread")
    return span / checked
