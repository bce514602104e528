"""Counting stops at COUNT_CAP for relevance pages; the first page and exports stay exact."""

import pytest

from archivist.ops.export import resolve_scope
from archivist.store import records
from archivist.store import search as search_module
from archivist.store.search import search


@pytest.fixture
def letters(cat):
    """60 items, every other one a letter; every third one says "kabul"; dates spread over years."""
    ids = {}
    for n in range(60):
        rtype = "letter" if n % 2 == 0 else "report"
        words = "kabul front" if n % 3 == 0 else "herat border"
        rid = records.create_record(cat, title=f"{words} {n}", level="item", identifier=str(n),
                                    type=rtype, dates=[str(1980 + (n * 7) % 30)])
        ids[rid] = {"type": rtype, "kabul": n % 3 == 0, "year": 1980 + (n * 7) % 30}
    return ids


def _ids(result):
    return [h.id for h in result.hits]


@pytest.mark.parametrize("query", ["type:letter", "kabul type:letter", "date:1980..1999",
                                   "within:1980..1995 kabul", "lang:ru OR type:letter"])
def test_capped_count_keeps_the_first_page(cat, letters, monkeypatch, query):
    exact = search(cat, query, limit=5, snippets=False)
    assert exact.total_exact
    monkeypatch.setattr(search_module, "COUNT_CAP", 12)
    capped = search(cat, query, limit=5, snippets=False)
    assert _ids(capped) == _ids(exact)
    assert [h.score for h in capped.hits] == [h.score for h in exact.hits]
    if exact.total > 12:
        assert capped.total == 12 and not capped.total_exact
    else:
        assert capped.total == exact.total and capped.total_exact


def test_capped_count_is_a_lower_bound_of_the_filter_hits(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    result = search(cat, "type:letter", limit=3, snippets=False)
    want = sorted(rid for rid, t in letters.items() if t["type"] == "letter")
    assert result.total == 10 and not result.total_exact
    assert _ids(result) == want[:3]


def test_pages_beyond_half_the_cap_count_exactly(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    result = search(cat, "type:letter", limit=6, snippets=False)
    assert result.total == 30 and result.total_exact
    assert len(search(cat, "type:letter", limit=2, offset=4, snippets=False).hits) == 2


@pytest.mark.parametrize("sort", ["date", "-date", "ref", "title"])
def test_sorted_searches_count_exactly(cat, letters, monkeypatch, sort):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    result = search(cat, "type:letter", limit=3, sort=sort, snippets=False)
    assert result.total == 30 and result.total_exact


def test_facets_of_a_capped_count_are_marked_estimated(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    result = search(cat, "type:letter", limit=3, facets=True, snippets=False)
    assert not result.total_exact and not result.facets_exact
    assert {v.value for v in result.facets["type"]} == {"letter"}


def test_export_by_query_gets_every_hit(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    got = resolve_scope(cat, query="type:letter")
    assert sorted(got) == sorted(rid for rid, t in letters.items() if t["type"] == "letter")
