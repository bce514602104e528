"""The fast path of a search made of words only (no filters), ranked by relevance.

FTS5 alone answers it, without collecting the hits anywhere: the total is FTS5's ``count(*)``
(cheap even for half the catalogue); bm25 is computed only for the first ``rank_cap`` matches in
catalogue order, the rest follow unranked; the exact (non-transliterated) matches among the ranked
ones are found within their rowid range. Facets of a large hit set are counted over an even
sample: the matches inside evenly spread rowid windows, which FTS5 seeks to directly.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["count_words", "ranked_words", "fill_hits", "even_windows", "SAMPLE_WINDOWS"]

#: How many rowid windows a facet sample is drawn from.
SAMPLE_WINDOWS = 64
#: Windows are used only for more than this many times the sample's size (below, putting every
#: match in the table costs less than seeking to each window).
WINDOWS_FROM = 10


def _trashed_span(conn, include_trashed: bool) -> tuple[int, int] | None:
    """(lowest, highest) id of the trashed records, or None when none is to be left out."""
    if include_trashed:
        return None
    lo, hi = conn.execute("SELECT min(id), max(id) FROM records WHERE trashed_at IS NOT NULL").fetchone()
    return None if lo is None else (lo, hi)


_NOT_TRASHED = " AND +rowid NOT IN (SELECT id FROM records WHERE trashed_at IS NOT NULL)"


def count_words(conn, expr: str, include_trashed: bool = False) -> int:
    """The exact number of live records matching an FTS5 expression.

    Args:
        conn: the connection.
        expr: the FTS5 match expression.
        include_trashed: count records in the trash too.

    Returns:
        The count.
    """
    total = conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (expr,)).fetchone()[0]
    span = _trashed_span(conn, include_trashed)
    if span and total:
        total -= conn.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?"
            " AND +rowid IN (SELECT id FROM records WHERE trashed_at IS NOT NULL)",
            (expr, *span)).fetchone()[0]
    return total


def ranked_words(conn, match: str, exact: str | None, weights: str, *, limit: int, offset: int,
                 rank_cap: int, include_trashed: bool = False,
                 total: Callable[[], int] | None = None) -> tuple[list[tuple[int, float, bool]], int]:
    """(id, score, exact) of the requested page of a words-only query, and the total.

    The order: the first ``rank_cap`` exact matches (in catalogue order) by descending bm25;
    when those are every exact match, the matches found only through transliteration follow,
    the first ``rank_cap`` of them ranked; the rest follow unranked, in catalogue order. bm25
    reads every match of each of its phrases once (for their document frequencies), so
    ranking the exact expression alone, when it fills the page, halves that pass.

    Args:
        conn: the connection.
        match: the FTS5 expression (with transliteration alternatives).
        exact: the same without them, or None when there are none.
        weights: the bm25 column weights as SQL arguments.
        limit: page size.
        offset: hits to skip.
        rank_cap: how many matches to score at most.
        include_trashed: trashed records are hits too.
        total: gives the number of live matches when called (counted elsewhere, e.g. on another
            connection while this one ranks: both passes read every match); None: counted here
            when the ranked matches do not show it.

    Returns:
        (the page; how many live records match).
    """
    live = "" if _trashed_span(conn, include_trashed) is None else _NOT_TRASHED

    def ranked(expr: str) -> list[tuple[int, float]]:
        return conn.execute(
            f"SELECT rowid, -bm25(search_fts, {weights}) FROM search_fts WHERE search_fts MATCH ?"
            f"{live} LIMIT {int(rank_cap)}", (expr,)).fetchall()

    wanted = offset + limit
    every = None  # the ranked matches of the whole expression, when ranked
    if exact:
        first = ranked(exact)
        rows = sorted(((rid, score, True) for rid, score in first), key=lambda r: (-r[1], r[0]))
        if len(rows) < wanted and len(first) < rank_cap:  # every exact match is in: add the others
            every = ranked(match)
            known = {r[0] for r in first}
            rows += sorted(((rid, score, False) for rid, score in every if rid not in known),
                           key=lambda r: (-r[1], r[0]))
    else:
        every = ranked(match)
        rows = sorted(((rid, score, True) for rid, score in every), key=lambda r: (-r[1], r[0]))
    if total is not None:
        count = total()
    elif every is not None and len(every) < rank_cap:
        count = len(rows)
    else:
        count = count_words(conn, match, include_trashed)
    if wanted <= len(rows) or count <= len(rows):
        return rows[offset:wanted], count
    # past the ranked ones: the other matches follow unranked, in catalogue order
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_listed (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_listed")
    conn.executemany("INSERT INTO temp.search_listed (id) VALUES (?)", [(r[0],) for r in rows])
    skip = max(0, offset - len(rows))
    rest = conn.execute(
        f"SELECT rowid FROM search_fts WHERE search_fts MATCH ?{live}"
        f" AND +rowid NOT IN temp.search_listed ORDER BY rowid LIMIT ? OFFSET ?",
        (match, wanted - max(offset, len(rows)), skip)).fetchall()
    return rows[offset:wanted] + [(r[0], 0.0, True) for r in rest], count


def even_windows(lo: int, hi: int, count: int, width: int) -> list[tuple[int, int]]:
    """``count`` id windows of about ``width`` ids (at least 1, at most the spacing), centred at
    even steps over ``lo``..``hi``: (first, last) of each, inclusive."""
    step = (hi - lo + 1) / count
    width = max(1, min(int(step), width))
    out = []
    for k in range(count):
        start = lo + int(k * step + (step - width) / 2)
        out.append((start, min(hi, start + width - 1)))
    return out


def fill_hits(conn, match: str, count: int, cap: int, include_trashed: bool = False,
              sample: int | None = None) -> float | None:
    """Put the matches (or, beyond ``cap`` of them, an even sample) into ``temp.search_hits``.

    The sample is the matches inside :data:`SAMPLE_WINDOWS` rowid windows spread evenly over the
    matches' rowid range, sized to hold about ``sample`` of them (``cap`` when None); it is drawn
    only for more than :data:`WINDOWS_FROM` times that many matches.

    Args:
        conn: the connection.
        match: the FTS5 expression.
        count: how many live records match.
        cap: the largest number of hits put in whole.
        include_trashed: trashed records are hits too.
        sample: about how many hits a sample holds.

    Returns:
        The factor that scales a count over the table to the whole hit set, or None when the
        table holds every match.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_hits")
    live = "" if _trashed_span(conn, include_trashed) is None else _NOT_TRASHED
    insert = f"INSERT OR IGNORE INTO temp.search_hits (id) SELECT rowid FROM search_fts WHERE search_fts MATCH ?{live}"
    target = min(sample or cap, cap)
    if count <= cap or count <= WINDOWS_FROM * target:
        conn.execute(insert, (match,))
        return None
    first = conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid LIMIT 1",
                         (match,)).fetchone()
    last = conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC"
                        " LIMIT 1", (match,)).fetchone()
    if first is None:
        return None
    lo, span = first[0], last[0] - first[0] + 1
    width = int(span * target / count / SAMPLE_WINDOWS)
    for start, end in even_windows(lo, last[0], SAMPLE_WINDOWS, width):
        conn.execute(insert + " AND rowid BETWEEN ? AND ?", (match, start, end))
    sampled = conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
    if not sampled:  # the matches sit between the windows: count them all
        conn.execute(insert, (match,))
        return None
    return count / sampled
