"""Facets of a capped search come from an even sample of every hit, not its lowest ids."""

import pytest

from archivist.store import records
from archivist.store import search as search_module
from archivist.store.search import search


@pytest.fixture
def halves(cat):
    """120 items: the first 60 from 1980, the last 60 from 2000; every item says "kabul"."""
    for n in range(120):
        records.create_record(cat, title=f"kabul {n}", level="item", identifier=str(n),
                              type="letter" if n % 2 else "report",
                              dates=["1980" if n < 60 else "2000"])
    return cat


def _years(result):
    return {v.value: v.count for v in result.facets["year"]}


@pytest.mark.parametrize("query", ["type:letter", "kabul type:letter", "date:1970..2010",
                                   "lang:ru OR type:letter", "", "type:report OR kabul",
                                   "kabul (kabul OR lang:ru)"])
def test_capped_facets_see_the_late_records_too(halves, monkeypatch, query):
    exact = search(halves, query, limit=5, facets=True, snippets=False)
    assert exact.total_exact and exact.facets_exact
    monkeypatch.setattr(search_module, "COUNT_CAP", 20)
    capped = search(halves, query, limit=5, facets=True, snippets=False)
    assert not capped.total_exact and not capped.facets_exact
    years, want = _years(capped), _years(exact)
    assert set(years) == set(want) == {"1980", "2000"}
    for year, n in want.items():  # estimates within a third of the truth
        assert abs(years[year] - n) <= n / 3, (year, years[year], n)
    assert [h.id for h in capped.hits] == [h.id for h in exact.hits]
    assert exact.total_estimate is None
    assert abs(capped.total_estimate - exact.total) <= exact.total / 3
    assert search(halves, query, limit=5, snippets=False).total_estimate is None  # no facets


def test_a_sample_with_no_hit_keeps_the_capped_hits(halves, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 20)
    monkeypatch.setattr(search_module, "spread_sample", lambda *a, **k: None)
    capped = search(halves, "type:letter", limit=5, facets=True, snippets=False)
    assert _years(capped) and set(_years(capped)) == {"1980"}  # the lowest hits only
