"""Turning a parsed query into FTS5 match expressions and SQL conditions.

A query's top-level conjunction is split into:

* the **ranked text**: positive words and phrases (and pure-text OR groups), joined into one FTS5
  expression whose bm25 orders the hits; negated text is appended with FTS5 ``NOT``;
* **conditions**: everything else (filters, dates, ``ref:``, mixed groups such as
  ``kabul OR type:letter``), as SQL over ``records r`` where text leaves become
  ``r.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)``.

A bare word matches every text column but ``keys``, or — through transliteration — the ``keys``
column (``Hekmatyar`` finds ``حکمتیار``); words whose keys are all shorter than three letters
(``Khan`` → ``kn``) are too unspecific and are matched exactly only. The *exact* form of the ranked text (without the
transliteration alternatives) lets the searcher put exact matches first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from archivist.core.errors import InvalidQuery
from archivist.core.normalize import normalize
from archivist.core.query import And, DateFilter, Filter, Node, Not, Or, Phrase, Term
from archivist.core.translit import MIN_KEY_LENGTH, word_keys
from archivist.store.migrations.m0005_search_dates import WIDE_DATE

_TOKEN = re.compile(r"[^\W_]+")
_TEXT_COLUMNS = "- {keys}"
_FIELD_COLUMNS = {"title": "title", "person": "person", "org": "org", "place": "place", "tag": "tag"}


@dataclass
class Plan:
    """What the searcher runs.

    Attributes:
        match: the ranked FTS5 expression (with transliteration alternatives), or None.
        exact: the same without transliteration, or None when no alternative was added.
        where: SQL conditions on ``records r`` (joined with AND), with their ``params``.
        date_ranges: the (start, end) spans asked for, for the timeline.
    """

    match: str | None = None
    exact: str | None = None
    where: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    date_ranges: list[tuple[str | None, str | None]] = field(default_factory=list)
    #: the ranked text (or an indexed type filter) drives the search: the other
    #: conditions are checked per row (correlated lookups by record id), not listed whole first
    driven: bool = False


def tokens(text: str) -> list[str]:
    """The index tokens of ``text`` (normalised, split like FTS5's unicode61)."""
    return _TOKEN.findall(normalize(text))


def _quoted(toks: list[str], prefix: bool = False) -> str:
    return '"' + " ".join(toks) + '"' + (" *" if prefix else "")


def _leaf_tokens(node: Term | Phrase) -> list[str]:
    toks = tokens(node.text)
    if not toks:
        raise InvalidQuery(f"{node.text!r} at character {node.position + 1} has no letters or "
                           f"digits to search for", node.position)
    return toks


def _is_text(node: Node) -> bool:
    """Whether ``node`` can be written as one FTS5 expression (no filters, no top NOT)."""
    if isinstance(node, (Term, Phrase)):
        return node.field != "ref"
    if isinstance(node, Or):
        return all(_is_text(i) for i in node.items)
    if isinstance(node, And):
        positive = [i for i in node.items if not isinstance(i, Not)]
        negative = [i.item for i in node.items if isinstance(i, Not)]
        return bool(positive) and all(_is_text(i) for i in positive + negative)
    return False


def _fts(node: Node, translit: bool, fuzzy=None, known=None) -> str:
    """The FTS5 expression of a text node (see :func:`_is_text`)."""
    if isinstance(node, (Term, Phrase)):
        toks = _leaf_tokens(node)
        prefix = isinstance(node, Term) and node.prefix
        if node.field is not None:
            return f"({_FIELD_COLUMNS[node.field]} : {_quoted(toks, prefix)})"
        exact = f"{_TEXT_COLUMNS} : {_quoted(toks, prefix)}"
        keys = word_keys(node.text) if translit and not prefix else []
        if keys and all(len(k) >= MIN_KEY_LENGTH for k in keys) and max(map(len, keys)) >= 3:
            # keys the index has never held cannot match: leave them out (common words)
            alternatives = [_quoted(keys)] if known is None or known(keys) else []
            if fuzzy is not None and len(keys) == 1:
                alternatives += [_quoted([k]) for k in fuzzy(keys[0], exact)]
            if alternatives:
                return f"(({exact}) OR (keys : ({' OR '.join(alternatives)})))"
        return f"({exact})"
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts(i, translit, fuzzy, known) for i in node.items) + ")"
    if isinstance(node, And):
        positive = [_fts(i, translit, fuzzy, known) for i in node.items if not isinstance(i, Not)]
        negative = [_fts(i.item, False) for i in node.items if isinstance(i, Not)]
        expr = "(" + " AND ".join(positive) + ")"
        for neg in negative:
            expr = f"({expr} NOT {neg})"
        return expr
    raise TypeError(node)


def _uses_translit(node: Node) -> bool:
    return _fts(node, True) != _fts(node, False) if _is_text(node) else False


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _sql(node: Node, plan: Plan, translit: bool, within_all: bool, fuzzy=None, known=None) -> str:
    """SQL condition on ``records r`` for any node; appends its parameters to ``plan.params``."""
    if _is_text(node):
        plan.params.append(_fts(node, translit, fuzzy, known))
        return "r.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
    if isinstance(node, Term) and node.field == "ref":
        code = node.text.strip()
        if node.prefix:
            plan.params.extend([code, _next_prefix(code)])
            return "(r.reference_code >= ? AND r.reference_code < ?)"
        plan.params.append(code)
        return "r.reference_code = ?"
    if isinstance(node, Phrase) and node.field == "ref":
        plan.params.append(node.text.strip())
        return "r.reference_code = ?"
    if isinstance(node, Filter):
        return _filter_sql(node, plan)
    if isinstance(node, DateFilter):
        return _date_sql(node.start, node.end, node.within or within_all, plan)
    if isinstance(node, Not):
        return f"NOT ({_sql(node.item, plan, translit, within_all)})"
    if isinstance(node, And):
        return "(" + " AND ".join(_sql(i, plan, translit, within_all, fuzzy, known) for i in node.items) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(_sql(i, plan, translit, within_all, fuzzy, known) for i in node.items) + ")"
    raise TypeError(node)


def _filter_sql(node: Filter, plan: Plan) -> str:
    if node.field in ("type", "level"):
        plan.params.append(node.value)
        return f"r.{node.field} = ?"
    if node.field == "restricted":
        return "r.access_status != 'open'" if node.value == "yes" else "r.access_status = 'open'"
    if node.field == "has" and plan.driven:
        return (f"EXISTS (SELECT 1 FROM search_meta m WHERE m.record_id = r.id"
                f" AND m.has_{node.value} = 1)")
    if node.field == "has":
        return f"r.id IN (SELECT m.record_id FROM search_meta m WHERE m.has_{node.value} = 1)"
    if node.field == "lang":  # lang:az also finds az-Cyrl; driven from the facet rows' index
        plan.params.extend([node.value, node.value + "-", node.value + "."])
        if plan.driven:
            return ("EXISTS (SELECT 1 FROM search_facets f WHERE f.record_id = r.id AND"
                    " f.facet = 'lang' AND (f.value = ? OR (f.value > ? AND f.value < ?)))")
        return ("r.id IN (SELECT f.record_id FROM search_facets f WHERE f.facet = 'lang'"
                " AND (f.value = ? OR (f.value > ? AND f.value < ?)))")
    raise TypeError(node)


def whole_years(start: str | None, end: str | None) -> bool:
    return bool(start and end and len(start) == len(end) == 10 and start.endswith("-01-01")
                and end.endswith("-12-31") and start[:4].isdigit() and end[:4].isdigit())


def _date_sql(start: str | None, end: str | None, within: bool, plan: Plan) -> str:
    """Candidates from the year facet rows and the wide-date index, then the exact bounds.

    Two cases need no check per record: a span of whole years overlaps every date counted under
    one of its years (the year facet rows), so only the wide dates are checked; and "entirely
    within" a closed span is a range of the dates' index on (earliest, latest).
    """
    if plan.driven and not within and whole_years(start, end):  # the record's year rows
        plan.date_ranges.append((start, end))
        plan.params.extend([start[:4], end[:4], end, start])
        return ("(EXISTS (SELECT 1 FROM search_facets f WHERE f.record_id = r.id AND f.facet = 'year'"
                " AND f.value >= ? AND f.value <= ?) OR EXISTS (SELECT 1 FROM record_dates d WHERE"
                f" d.record_id = r.id AND {WIDE_DATE} AND (d.earliest IS NULL OR d.earliest <= ?)"
                " AND (d.latest IS NULL OR d.latest >= ?)))")
    if plan.driven:  # few rows to check: look at their own dates
        plan.date_ranges.append((start, end))
        return "EXISTS (SELECT 1 FROM record_dates d WHERE d.record_id = r.id AND " + _bounds(
            start, end, within, plan) + ")"
    if within and start and end:
        plan.date_ranges.append((start, end))
        plan.params.extend([start, end, end])
        return ("r.id IN (SELECT d.record_id FROM record_dates d WHERE d.earliest >= ?"
                " AND d.earliest <= ? AND d.latest <= ? AND d.latest IS NOT NULL)")
    if not within and whole_years(start, end):
        plan.date_ranges.append((start, end))
        plan.params.extend([start[:4], end[:4], end, start])
        return ("r.id IN (SELECT f.record_id FROM search_facets f WHERE f.facet = 'year'"
                " AND f.value >= ? AND f.value <= ? UNION ALL SELECT d.record_id FROM record_dates d"
                f" WHERE {WIDE_DATE} AND (d.earliest IS NULL OR d.earliest <= ?)"
                " AND (d.latest IS NULL OR d.latest >= ?)"
                " AND (d.earliest IS NOT NULL OR d.latest IS NOT NULL))")
    plan.date_ranges.append((start, end))
    plan.params.extend([start[:4] if start else "0000", end[:4] if end else "9999"])
    candidates = ("r.id IN (SELECT f.record_id FROM search_facets f WHERE f.facet = 'year'"
                  " AND f.value >= ? AND f.value <= ? UNION ALL SELECT record_id FROM record_dates"
                  f" WHERE {WIDE_DATE})")
    return (f"({candidates} AND EXISTS (SELECT 1 FROM record_dates d WHERE d.record_id = r.id AND "
            + _bounds(start, end, within, plan) + "))")


def _bounds(start: str | None, end: str | None, within: bool, plan: Plan) -> str:
    """The exact condition on one date ``d`` (overlapping, or entirely within, the span)."""
    conds = []
    if within:
        conds.append("d.earliest IS NOT NULL AND d.latest IS NOT NULL")
        if start:
            conds.append("d.earliest >= ?")
            plan.params.append(start)
        if end:
            conds.append("d.latest <= ?")
            plan.params.append(end)
    else:
        if end:
            conds.append("(d.earliest IS NULL OR d.earliest <= ?)")
            plan.params.append(end)
        if start:
            conds.append("(d.latest IS NULL OR d.latest >= ?)")
            plan.params.append(start)
        conds.append("(d.earliest IS NOT NULL OR d.latest IS NOT NULL)")
    return " AND ".join(conds)


def compile_query(node: Node, *, translit: bool = True, within: bool = False,
                  fuzzy: Callable[[str, str], list[str]] | None = None,
                  known: Callable[[list[str]], bool] | None = None,
                  driven: bool | None = None) -> Plan:
    """Plan the execution of a parsed query.

    Args:
        node: the root from :func:`archivist.core.query.parse_query`.
        translit: add cross-script name-key alternatives to bare words.
        within: treat every ``date:`` as ``within:`` (dates entirely inside the span).
        fuzzy: given a word's name key and the FTS5 expression of the word itself, the close keys
            to search as well (spelling variants); None for none.
        known: whether the index holds every one of these name keys; a word whose keys it does
            not hold gets no transliteration alternative (None: assume it does).
        driven: write every condition as a check per record (True) or let the query decide
            (None: ranked words or a type filter drive the search).

    Returns:
        The plan.

    Raises:
        InvalidQuery: a word has nothing searchable in it.
    """
    plan = Plan()
    items = list(node.items) if isinstance(node, And) else [node]
    ranked = [i for i in items if not isinstance(i, Not) and _is_text(i)]
    negated = [i for i in items if isinstance(i, Not) and _is_text(i.item)] if ranked else []
    rest = [i for i in items if i not in ranked and i not in negated]
    if ranked:
        tree = And(tuple(ranked + negated)) if len(ranked) + len(negated) > 1 else ranked[0]
        plan.match = _fts(tree, translit, fuzzy, known)
        if translit and _uses_translit(tree):
            exact = _fts(tree, False)
            plan.exact = exact if exact != plan.match else None
    # ranked words, or a type filter (its own index), give few rows to check each (a level
    # filter does not: most records are items)
    plan.driven = plan.match is not None or any(
        isinstance(i, Filter) and i.field == "type" for i in rest) if driven is None else driven
    for item in rest:
        plan.where.append(_sql(item, plan, translit, within, fuzzy, known))
    return plan
