"""Facet counts over the hits of a search (read from ``temp.search_hits``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archivist.core.levels import LEVEL_LABELS

__all__ = ["FacetValue", "count_facets", "FACETS", "TOP_VALUES"]

#: Facets in the order the panel shows them.
FACETS = ("type", "level", "decade", "year", "lang", "person", "org", "place", "tag", "series")
#: How many values of a name-like facet are returned (the most frequent).
TOP_VALUES = 30


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with the number of hits that have it.

    Attributes:
        value: what to pass back in ``search(selected=...)`` (an authority or series id as text,
            a year, a type ...).
        label: what to show.
        count: how many hits have it (estimated when the result says ``facets_exact`` is False).
    """

    value: str
    label: str
    count: int


def _sample_table(conn, count: int, cap: int) -> tuple[str, float]:
    """The table to count over and the factor to scale counts by."""
    if count <= cap:
        return "temp.search_hits", 1.0
    step = -(-count // cap)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_sample (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_sample")
    conn.execute("INSERT INTO temp.search_sample (id) SELECT id FROM temp.search_hits"
                 " WHERE id % ? = 0", (step,))
    sampled = conn.execute("SELECT count(*) FROM temp.search_sample").fetchone()[0] or 1
    return "temp.search_sample", count / sampled


def _labels(conn, facet: str, values: list[str]) -> dict[str, str]:
    if not values:
        return {}
    marks = ",".join("?" * len(values))
    if facet in ("person", "org", "place"):
        return {str(r[0]): r[1] for r in conn.execute(
            f"SELECT id, name FROM authorities WHERE id IN ({marks})", values)}
    if facet == "series":
        return {str(r[0]): (f"{r[2]} {r[1]}" if r[2] else r[1]) for r in conn.execute(
            f"SELECT id, title, reference_code FROM records WHERE id IN ({marks})", values)}
    if facet == "level":
        return {v: LEVEL_LABELS.get(v, v) for v in values}
    if facet == "type":
        return {v: v.replace("_", " ").capitalize() for v in values}
    if facet == "decade":
        return {v: f"{v}s" for v in values}
    return {v: v for v in values}


# Every query goes from the (small) hit table outwards, by CROSS JOIN or a correlated subquery:
# SQLite has no statistics for the temporary table and would otherwise scan the big one, or
# build a Bloom filter over the whole records table.


def count_facets(conn, count: int, cap: int, scale: float | None = None
                 ) -> tuple[dict[str, list[FacetValue]], bool]:
    """Count facet values over the hits.

    Args:
        conn: the connection whose ``temp.search_hits`` holds the hits.
        count: how many hits there are.
        cap: above this many hits, count an even sample and scale.
        scale: when given, ``temp.search_hits`` already holds a sample and counts over it are
            multiplied by this (``count`` and ``cap`` are then not used).

    Returns:
        (facet name → values, most frequent first; years and decades in time order), and whether
        the counts are exact.
    """
    if scale is None:
        table, scale = _sample_table(conn, count, cap)
    else:
        table = "temp.search_hits"
    raw: dict[str, list[tuple[str, int]]] = {f: [] for f in FACETS}
    types: Counter = Counter()
    levels: Counter = Counter()
    series: Counter = Counter()
    for typ, level, series_id in conn.execute(
            f"SELECT r.type, r.level, m.series_id FROM {table} h CROSS JOIN records r ON r.id = h.id"
            f" LEFT JOIN search_meta m ON m.record_id = h.id"):
        types[typ] += 1
        levels[level] += 1
        series[series_id] += 1
    raw["type"] = [(str(v), n) for v, n in types.items() if v is not None]
    raw["level"] = [(str(v), n) for v, n in levels.items() if v is not None]
    for facet, value, n in conn.execute(
            f"SELECT f.facet, f.value, count(*) FROM {table} h CROSS JOIN search_facets f"
            f" ON f.record_id = h.id GROUP BY f.facet, f.value"):
        raw.setdefault(facet, []).append((value, n))
    raw["series"] = [(str(v), n) for v, n in series.items() if v is not None]
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        pairs = raw.get(facet, [])
        if facet in ("year", "decade"):
            pairs.sort(key=lambda p: int(p[0]))
        else:
            pairs.sort(key=lambda p: (-p[1], p[0]))
            pairs = pairs[:TOP_VALUES]
        labels = _labels(conn, facet, [v for v, _ in pairs])
        out[facet] = [FacetValue(v, labels.get(v, v), max(1, round(n * scale)) if scale != 1 else n)
                      for v, n in pairs]
    return out, scale == 1.0
