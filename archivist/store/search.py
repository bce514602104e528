"""Running a search: hits ranked or sorted, counts, snippets and facets.

Cost is bounded for common words. A query of words only, ranked by relevance, is answered by
FTS5 alone (:mod:`archivist.store.search_words`): the exact total from FTS5's ``count(*)`` (with
the facets, on the catalogue's side reader, on the other core, while the main connection ranks),
bm25 for the first :data:`RANK_CAP` matches only, facets beyond :data:`FACET_CAP` hits estimated from
about :data:`FACET_SAMPLE` hits in evenly spread rowid windows. Any other query collects the
matching record ids (cheaply, without ranking, lowest ids first) into a temporary table: up to
:data:`COUNT_CAP` when ranked by relevance (or in catalogue order) and the page asked for lies
well inside that many, the total then being a lower bound (``total_exact`` False, shown as
"10,000+ records"); up to :data:`HIT_CAP` otherwise (sorted results, exports of search results).
A capped filter search checks its conditions per record over a window of low ids before it
builds whole id lists; a date filter of whole years alone merges its years' index ranges in id
order instead (:mod:`~archivist.store.search_merge`). bm25 is computed only for the first :data:`RANK_CAP` hits; facets are
counted exactly up to :data:`FACET_CAP` hits and estimated from an even sample beyond
(``SearchResult.facets_exact`` says which). A large hit set sorted by date takes its page from
the dates' index in order. Snippets are built only for the hits returned.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from archivist.core.query import DateFilter, Filter, Node, parse_query, positive_terms
from archivist.store.search_collect import collect, collect_window
from archivist.store.search_compile import Plan, compile_query, whole_years
from archivist.store.search_facets import FacetValue, count_facets
from archivist.store.search_merge import collect_language, collect_years
from archivist.store.search_rank import first_scores, ranked_ids
from archivist.store.search_sample import spread_sample
from archivist.store.search_snippet import snippets_for
from archivist.store.search_words import count_words, fill_hits, ranked_words

__all__ = ["Hit", "SearchResult", "search", "SORTS", "HIT_CAP", "COUNT_CAP", "RANK_CAP", "FACET_CAP"]

#: The most hits a search ever collects (an export of search results asks for this many).
HIT_CAP = 100_000
#: A search ranked by relevance (or in catalogue order) that asks for a page well inside this
#: many hits stops counting here: the total is then a lower bound ("10,000+ records").
COUNT_CAP = 10_000
#: A capped search whose conditions are not driven by words or an index first checks them per
#: record over this many times COUNT_CAP records in id order; when that window holds more than
#: COUNT_CAP hits, the (costly) full id lists are never built.
WINDOW_FACTOR = 8
#: ... but only in catalogues with more records than this: in smaller ones the id lists are
#: cheaper than checking records one by one.
WINDOW_MIN_RECORDS = 200_000
RANK_CAP = 2_000
FACET_CAP = 2_000
#: About how many hits the facets of a search with more than FACET_CAP hits are estimated from.
FACET_SAMPLE = 1_000
#: bm25 column weights: title, body, person, org, place, tag, keys (transliteration lowest).
WEIGHTS = (8.0, 1.0, 4.0, 4.0, 4.0, 3.0, 0.05)
#: Hit sets at least this large are put in date order by walking the dates' index.
DATE_WALK_MIN = 5_000
#: How many times the expected number of index entries the date walk may read before giving up.
DATE_WALK_FACTOR = 20
SORTS = ("relevance", "date", "-date", "ref", "title")
@dataclass
class Hit:
    """One record found.

    Attributes:
        id, uuid, reference_code, title, level, type: the record's.
        date: its first date expression (EDTF), or None.
        restricted: access is not open (restricted or closed).
        score: relevance (higher is better; 0 when the query has no words).
        exact: False when it was found only through transliteration of a name.
        snippet: a short passage of the record's text around the match.
        highlights: (start, end) spans of the matched words inside ``snippet``.
    """

    id: int
    uuid: str
    reference_code: str | None
    title: str
    level: str
    type: str | None
    date: str | None
    restricted: bool
    score: float = 0.0
    exact: bool = True
    snippet: str = ""
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def marked_snippet(self, open_mark: str = "[", close_mark: str = "]") -> str:
        """The snippet with every highlighted span wrapped in the marks."""
        out, last = [], 0
        for a, b in self.highlights:
            out.append(self.snippet[last:a] + open_mark + self.snippet[a:b] + close_mark)
            last = b
        return "".join(out) + self.snippet[last:]


@dataclass
class SearchResult:
    """The answer to a search.

    Attributes:
        hits: the requested page of hits.
        total: how many records match. Queries of words only ranked by relevance are always
            counted exactly (FTS5 counts them); other searches ranked by relevance stop counting
            at ``COUNT_CAP`` hits (unless the page asked for reaches past half of it), sorted
            ones and exports at ``HIT_CAP``; see ``total_exact``.
        total_exact: False when the total is only a lower bound ("10,000+ records").
        total_estimate: when the total is a lower bound and facets were asked for, an estimate
            of every hit from the facets' spread sample ("about 157,000"); else None.
        facets: facet name → values with counts (only when asked for).
        facets_exact: False when the counts were estimated from a sample.
        elapsed_ms: time taken.
    """

    hits: list[Hit]
    total: int
    total_exact: bool = True
    total_estimate: int | None = None
    facets: dict[str, list[FacetValue]] | None = None
    facets_exact: bool = True
    elapsed_ms: float = 0.0


def _facet_conditions(selected: dict[str, list[str]] | None) -> tuple[list[str], list]:
    """SQL for facet values the user clicked: OR within a facet, AND across facets."""
    where, params = [], []
    for facet, values in (selected or {}).items():
        values = [str(v) for v in values]
        if not values:
            continue
        marks = ",".join("?" * len(values))
        if facet in ("type", "level"):
            where.append(f"r.{facet} IN ({marks})")
        elif facet == "series":
            where.append(f"EXISTS (SELECT 1 FROM search_meta m WHERE m.record_id = r.id"
                         f" AND m.series_id IN ({marks}))")
        else:
            where.append(f"EXISTS (SELECT 1 FROM search_facets f WHERE f.record_id = r.id"
                         f" AND f.facet = ? AND f.value IN ({marks}))")
            params.append(facet)
        params.extend(values)
    return where, params


def _compile(conn, node, translit: bool, within: bool, driven: bool | None = None) -> Plan:
    """The plan of a parsed query, with spelling variants and name keys looked up in ``conn``."""
    return compile_query(node, translit=translit, within=within, driven=driven,
                         fuzzy=(lambda key, word: _spelling_variants(conn, key, word))
                         if translit else None,
                         known=lambda keys: _known_keys(conn, keys))


def _collect_window(conn, driven: Plan, facet_where: list[str], facet_params: list,
                    include_trashed: bool, cap: int) -> int | None:
    """The first ``cap`` + 1 hits from per-record checks over low ids (see :func:`collect_window`).

    Args:
        driven: the query compiled with per-record checks.
    """
    return collect_window(conn, driven, facet_where, facet_params, include_trashed, cap,
                          WINDOW_FACTOR * cap)


def _spread(conn, driven: Plan, facet_where: list[str], facet_params: list,
            include_trashed: bool, count: int) -> tuple[float, int] | None:
    """Replace a capped search's (lowest) hits by an even sample of all its hits, for facets.

    Args:
        driven: the query compiled with per-record checks.

    Returns:
        (the factor from counts over the sample to estimates over every hit, the sample's size);
        see :func:`~archivist.store.search_sample.spread_sample`; None when none was drawn.
    """
    first, last = conn.execute("SELECT (SELECT min(id) FROM records),"
                               " (SELECT max(id) FROM temp.search_hits)").fetchone()
    if first is None or last is None:
        return None
    return spread_sample(conn, driven, facet_where, facet_params, include_trashed,
                         density=count / (last - first + 1), target=FACET_SAMPLE)


def _collect_merged(conn, node, within: bool, include_trashed: bool, cap: int) -> int | None:
    """The first hits of a lone date (whole years) or language filter (see :mod:`search_merge`)."""
    if isinstance(node, DateFilter) and not (node.within or within) and whole_years(node.start, node.end):
        return collect_years(conn, node.start, node.end, include_trashed, cap)
    if isinstance(node, Filter) and node.field == "lang":
        return collect_language(conn, node.value, include_trashed, cap)
    return None


def close_keys(conn, key: str, limit: int = 5) -> list[str]:
    """Name keys of the index one edit away from ``key``, when ``key`` itself is not there.

    Only keys of three letters or more are widened, only among keys that start with the same
    letter: a spelling variant (``Basaef`` for ``Basayev``) is found, at transliteration rank.
    """
    if len(key) < 3 or conn.execute("SELECT 1 FROM search_keys WHERE key = ?", (key,)).fetchone():
        return []
    first = key[0]
    choices = [r[0] for r in conn.execute(
        "SELECT key FROM search_keys WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?",
        (first, chr(ord(first) + 1), len(key) - 1, len(key) + 1))]
    found = process.extract(key, choices, scorer=Levenshtein.distance, score_cutoff=1, limit=limit)
    return sorted(choice for choice, _score, _i in found)


def _known_keys(conn, keys: list[str]) -> bool:
    """Whether the key vocabulary holds every one of ``keys``."""
    return all(conn.execute("SELECT 1 FROM search_keys WHERE key = ?", (k,)).fetchone()
               for k in set(keys))


def _spelling_variants(conn, key: str, word_expr: str) -> list[str]:
    """Close keys for a word that the index does not hold as written (a likely misspelling, or a
    name written in another script); a word that is found as written is not widened."""
    if conn.execute("SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1",
                    (word_expr,)).fetchone():
        return []
    return close_keys(conn, key)


def _search_words(conn, node, plan: Plan, started: float, *, side, limit: int, offset: int,
                  facets: bool, translit: bool, snippets: bool,
                  include_trashed: bool) -> SearchResult:
    """A words-only query ranked by relevance: FTS5 alone (see :mod:`search_words`).

    Ranking and counting both read every match; with a side reader (and no open transaction,
    whose changes the side could not see) the count and the facets are done there, on the other
    core, while this connection ranks.
    """
    weights = ", ".join(str(w) for w in WEIGHTS)
    counted: Future = Future()  # set by the side job as soon as it has counted, before facets
    job = (lambda c: _count_and_facets(c, plan.match, facets, include_trashed, counted=counted))
    pending = side.submit(job) if side is not None and not conn.in_transaction else None
    ranked, count = ranked_words(conn, plan.match, plan.exact, weights, limit=limit, offset=offset,
                                 rank_cap=RANK_CAP, include_trashed=include_trashed,
                                 total=(lambda: _first_done(counted, pending)) if pending else None)
    hits = _hits(conn, ranked)
    if snippets:
        _add_snippets(conn, hits, node, translit)
    if pending is not None:
        count, facet_values, exact = pending.result()
    else:
        _count, facet_values, exact = _count_and_facets(conn, plan.match, facets, include_trashed,
                                                        count)
    return SearchResult(hits=hits, total=count, total_exact=True, facets=facet_values,
                        facets_exact=exact, elapsed_ms=(time.perf_counter() - started) * 1000)


def _first_done(counted: Future, job: Future) -> int:
    """The count from the side job: as soon as it is set, or from the job (which may have failed)."""
    wait([counted, job], return_when=FIRST_COMPLETED)
    return counted.result() if counted.done() else job.result()[0]


def _count_and_facets(conn, match: str, facets: bool, include_trashed: bool,
                      count: int | None = None, counted: Future | None = None
                      ) -> tuple[int, dict | None, bool]:
    """(count, facets or None, facets exact) of a words-only query, on ``conn``.

    Args:
        count: the count when already known.
        counted: given the count as soon as it is known (before the facets are counted).
    """
    if count is None:
        count = count_words(conn, match, include_trashed)
    if counted is not None:
        counted.set_result(count)
    if not facets:
        return count, None, True
    scale = fill_hits(conn, match, count, FACET_CAP, include_trashed, FACET_SAMPLE)
    if scale is None:  # every hit is in the table: exact, or an even sample of it
        cap = FACET_CAP if count <= FACET_CAP else min(FACET_CAP, FACET_SAMPLE)
        return (count, *count_facets(conn, count, cap))
    return (count, *count_facets(conn, count, FACET_CAP, scale=scale))


def _add_snippets(conn, hits: list[Hit], node, translit: bool) -> None:
    if not hits:
        return
    terms = positive_terms(node) if node is not None else []
    found = snippets_for(conn, [h.id for h in hits], terms, translit=translit)
    for hit in hits:
        hit.snippet, hit.highlights = found.get(hit.id, ("", []))


def _hits(conn, ranked: list[tuple[int, float, bool]]) -> list[Hit]:
    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    rows = {}
    for i in range(0, len(ids), 5000):  # SQLite allows at most 32766 parameters
        chunk = ids[i:i + 5000]
        marks = ",".join("?" * len(chunk))
        rows.update((r[0], r) for r in conn.execute(
            f"SELECT r.id, r.uuid, r.reference_code, r.title, r.level, r.type, r.access_status,"
            f" (SELECT d.expression FROM record_dates d WHERE d.record_id = r.id ORDER BY d.position"
            f" LIMIT 1) FROM records r WHERE r.id IN ({marks})", chunk))
    out = []
    for rid, score, exact in ranked:
        r = rows[rid]
        out.append(Hit(id=rid, uuid=r[1], reference_code=r[2], title=r[3], level=r[4], type=r[5],
                       date=r[7], restricted=r[6] != "open", score=float(f"{score:.6g}"), exact=exact))
    return out


def search(cat, query: str | Node | None, *, limit: int = 50, offset: int = 0, sort: str = "relevance",
           facets: bool = False, selected: dict[str, list[str]] | None = None,
           within: bool = False, translit: bool = True, snippets: bool = True,
           include_trashed: bool = False) -> SearchResult:
    """Search the catalogue.

    Args:
        cat: the catalogue (or anything with a ``conn``).
        query: query text (see :mod:`archivist.core.query`) or an already parsed tree; None or
            blank text means every record (for browsing by facets).
        limit: how many hits to return.
        offset: how many to skip (paging).
        sort: "relevance" (default; queries without words keep catalogue order, the order in
            which records were made), "date", "-date", "ref" or "title".
        facets: also count facet values over all hits (estimated from a sample beyond
            ``FACET_CAP`` hits, and over the counted ones when the count stopped at its cap).
        selected: facet values the user clicked, e.g. ``{"person": ["12"], "year": ["1994"]}``;
            values of one facet are OR-ed, facets are AND-ed. Facets: type, level, lang, person,
            org, place, tag, year, decade, series.
        within: every ``date:`` means "entirely within" instead of "overlaps".
        translit: also find names through cross-script keys and their close spelling variants
            (ranked below exact matches).
        snippets: build snippets for the hits.
        include_trashed: also search records in the trash.

    Returns:
        The result.

    Raises:
        InvalidQuery: the query is malformed (with the position of the problem).
        ValueError: unknown sort.
    """
    started = time.perf_counter()
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {SORTS}")
    if query is None or (isinstance(query, str) and not query.strip()):
        node, plan = None, Plan()  # no query: every record (browse by facets)
    else:
        node = parse_query(query) if isinstance(query, str) else query
        plan = _compile(cat.conn, node, translit, within)
    conn = cat.conn
    side = getattr(cat, "side", None)  # a second connection, on catalogues that have one
    driven_plans: list[Plan] = []

    def driven() -> Plan:  # the query with per-record checks, compiled once if at all
        if not driven_plans:
            driven_plans.append(plan if plan.driven or node is None
                                else _compile(conn, node, translit, within, driven=True))
        return driven_plans[0]

    facet_where, facet_params = _facet_conditions(selected)
    words_only = bool(plan.match) and not (plan.where or facet_where)
    if words_only and sort == "relevance":
        return _search_words(conn, node, plan, started, side=side, limit=limit, offset=offset,
                             facets=facets, translit=translit, snippets=snippets,
                             include_trashed=include_trashed)
    cap = HIT_CAP
    if sort == "relevance" and offset + limit <= COUNT_CAP // 2:  # the page is well inside the cap
        cap = min(HIT_CAP, COUNT_CAP)
    first = (first_scores(side, conn, plan.match, WEIGHTS, RANK_CAP)
             if plan.match and sort == "relevance" else None)
    count = None
    if cap < HIT_CAP and not facet_where:
        count = _collect_merged(conn, node, within, include_trashed, cap)
    if (count is None and cap < HIT_CAP and not plan.match and not plan.driven and node is not None
            and (conn.execute("SELECT max(id) FROM records").fetchone()[0] or 0) > WINDOW_MIN_RECORDS):
        count = _collect_window(conn, driven(), facet_where, facet_params, include_trashed, cap)
    if count is None:
        count = collect(conn, plan, plan.where + facet_where, plan.params + facet_params,
                        include_trashed, cap)
    ranked = ranked_ids(conn, plan, sort, limit, offset, rank_cap=RANK_CAP, weights=WEIGHTS,
                        walk=(DATE_WALK_MIN, DATE_WALK_FACTOR), first=first)
    hits = _hits(conn, ranked)
    if snippets:
        _add_snippets(conn, hits, node, translit)
    total, total_exact = min(count, cap), count <= cap
    facet_values, exact, estimate = None, True, None
    if facets:
        spread = None if total_exact else _spread(conn, driven(), facet_where, facet_params,
                                                  include_trashed, count)
        if spread is not None:
            scale, sampled = spread
            facet_values, exact = count_facets(conn, total, FACET_CAP, scale=scale)
            estimate = max(total + 1, round(sampled * scale))
        else:
            facet_cap = FACET_CAP if total <= FACET_CAP else min(FACET_CAP, FACET_SAMPLE)
            facet_values, exact = count_facets(conn, total, facet_cap)
        exact = exact and total_exact
    if not total_exact and words_only:
        total, total_exact = count_words(conn, plan.match, include_trashed), True
    return SearchResult(hits=hits, total=total, total_exact=total_exact,
                        total_estimate=None if total_exact else estimate,
                        facets=facet_values, facets_exact=exact,
                        elapsed_ms=(time.perf_counter() - started) * 1000)
