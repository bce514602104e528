"""The first hits of a lone filter, merged in id order from index ranges that are in id order.

A search made of one date filter (``date:1994``) or one language filter (``lang:ru``) can match
a large share of a million records. Ranked in catalogue order with a capped count, it needs only
the lowest ``cap`` + 1 matching ids. The facet rows' primary key (facet, value, record_id) keeps
each value's records in id order, so SQLite merges one index range per value (``UNION`` with
``ORDER BY``: a merge, not a sort) and stops at the cap, reading about a page's worth of entries
instead of checking tens of thousands of records one by one.
"""

from __future__ import annotations

from archivist.store.migrations.m0005_search_dates import WIDE_DATE

__all__ = ["collect_years", "collect_language", "ARMS_MAX"]

#: The most index ranges merged (years of a date span, variants of a language).
ARMS_MAX = 40
_FACET_ARM = "SELECT record_id AS id FROM search_facets WHERE facet = ? AND value = ?"


def _merge(conn, arms: list[str], params: list, include_trashed: bool, cap: int) -> int:
    """Fill ``temp.search_hits`` with the lowest ``cap`` + 1 ids of the merged ``arms``."""
    # a plain filter on the merged ids keeps the merge (a join would sort every candidate first)
    live = "" if include_trashed else (
        " WHERE id NOT IN (SELECT id FROM records WHERE trashed_at IS NOT NULL)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_hits")
    conn.execute(f"INSERT INTO temp.search_hits (id) SELECT id FROM ({' UNION '.join(arms)}"
                 f" ORDER BY 1){live} LIMIT {int(cap) + 1}", params)
    return conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]


def collect_years(conn, start: str, end: str, include_trashed: bool, cap: int) -> int | None:
    """The lowest ``cap`` + 1 records whose dates overlap whole years ``start``..``end``.

    They are the records counted under one of its years (one year facet range per year) and
    those with a wide or open date reaching into it (the partial index of wide dates).

    Returns:
        How many were put in ``temp.search_hits``, or None when the span has more than
        :data:`ARMS_MAX` years.
    """
    years = range(int(start[:4]), int(end[:4]) + 1)
    if not 0 < len(years) <= ARMS_MAX:
        return None
    arms = [_FACET_ARM] * len(years)
    arms.append(f"SELECT record_id FROM record_dates INDEXED BY record_dates_wide WHERE {WIDE_DATE}"
                " AND (earliest IS NULL OR earliest <= ?) AND (latest IS NULL OR latest >= ?)"
                " AND (earliest IS NOT NULL OR latest IS NOT NULL)")
    params = [p for y in years for p in ("year", str(y))] + [end, start]
    return _merge(conn, arms, params, include_trashed, cap)


def collect_language(conn, code: str, include_trashed: bool, cap: int) -> int | None:
    """The lowest ``cap`` + 1 records in language ``code`` or one of its variants (``az-Cyrl``).

    Returns:
        How many were put in ``temp.search_hits``, or None when the language has more than
        :data:`ARMS_MAX` variants.
    """
    values, last = [code], code + "-"
    while len(values) <= ARMS_MAX:  # the variants, one index seek each
        row = conn.execute("SELECT min(value) FROM search_facets WHERE facet = 'lang'"
                           " AND value > ? AND value < ?", (last, code + ".")).fetchone()
        if row[0] is None:
            break
        values.append(last := row[0])
    if len(values) > ARMS_MAX:
        return None
    return _merge(conn, [_FACET_ARM] * len(values), [p for v in values for p in ("lang", v)],
                  include_trashed, cap)
