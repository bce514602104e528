"""Words-only searches count (and facet) on a side connection while the main one ranks."""

import threading
import types

import pytest

from archivist.store import records
from archivist.store import search as search_module
from archivist.store.search import search


@pytest.fixture
def items(cat):
    """40 items; every other one says "kabul", every third one "herat"; two decades of dates."""
    for n in range(40):
        words = " ".join(w for w, every in (("kabul", 2), ("herat", 3)) if n % every == 0)
        records.create_record(cat, title=f"{words or 'other'} {n}", level="item", identifier=str(n),
                              type="letter" if n % 4 else "report", dates=[str(1980 + n % 20)])
    return cat


def test_side_reader_uses_its_own_connection(cat, items):
    future = cat.side.submit(lambda c: (c is cat.conn, c.execute("SELECT count(*) FROM records").fetchone()[0]))
    assert future.result() == (False, 40)


def test_a_busy_side_reader_declines_and_a_closed_one_too(cat):
    started, release = threading.Event(), threading.Event()

    def hold(_conn):
        started.set()
        release.wait(5)
        return "held"

    first = cat.side.submit(hold)
    assert started.wait(5)
    assert cat.side.submit(lambda c: 1) is None  # busy: the caller does the work itself
    release.set()
    assert first.result() == "held"
    cat.side.close()
    assert cat.side.submit(lambda c: 1) is None


@pytest.mark.parametrize("query", ["kabul", "herat", "kabul herat", "kabul -herat", "\"herat 3\""])
@pytest.mark.parametrize("rank_cap", [3, 2000])
def test_the_side_gives_the_same_answer(items, monkeypatch, query, rank_cap):
    monkeypatch.setattr(search_module, "RANK_CAP", rank_cap)
    monkeypatch.setattr(search_module, "FACET_CAP", 4)
    monkeypatch.setattr(search_module, "FACET_SAMPLE", 2)
    alone = types.SimpleNamespace(conn=items.conn)  # no side reader: everything on one connection
    for offset in (0, 4):
        with_side = search(items, query, limit=5, offset=offset, facets=True, snippets=False)
        without = search(alone, query, limit=5, offset=offset, facets=True, snippets=False)
        assert with_side.total == without.total > 0
        assert [h.id for h in with_side.hits] == [h.id for h in without.hits]
        assert with_side.facets == without.facets


def test_inside_a_transaction_the_side_is_not_asked(items, monkeypatch):
    """The side connection could not see what the open transaction wrote."""
    asked = []
    monkeypatch.setattr(items.side, "submit", lambda fn: asked.append(fn))
    search(items, "kabul", limit=1, snippets=False)
    assert len(asked) == 1  # outside a transaction it is asked (and declining is allowed)
    with items.atomic():
        result = search(items, "kabul", limit=1, snippets=False, facets=True)
    assert len(asked) == 1
    assert result.total == 20 and sum(v.count for v in result.facets["level"]) == 20


def test_pages_past_the_ranked_matches_list_every_match_once(items, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_CAP", 3)
    want = {h.id for h in search(items, "kabul", limit=100, snippets=False).hits}
    seen = []
    for offset in range(0, 30, 4):
        seen += [h.id for h in search(items, "kabul", limit=4, offset=offset, snippets=False).hits]
    assert len(seen) == len(set(seen)) == len(want) == 20
    assert set(seen) == want


@pytest.mark.parametrize("query", ["kabul type:letter", "herat date:1980..1990", "kabul -herat type:report",
                                   "within:1980..1995 kabul"])
@pytest.mark.parametrize("rank_cap", [2, 2000])
def test_words_with_filters_score_on_the_side_with_the_same_answer(items, monkeypatch, query,
                                                                    rank_cap):
    monkeypatch.setattr(search_module, "RANK_CAP", rank_cap)
    alone = types.SimpleNamespace(conn=items.conn)
    with_side = search(items, query, limit=5, snippets=False)
    without = search(alone, query, limit=5, snippets=False)
    assert with_side.total == without.total > 0
    assert [(h.id, h.score) for h in with_side.hits] == [(h.id, h.score) for h in without.hits]
