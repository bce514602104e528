"""Counting stops at COUNT_CAP for relevance pages; the first page and exports stay exact."""

import pytest

from archivist.ops.export import resolve_scope
from archivist.store import records, trash
from archivist.store import search as search_module
from archivist.store.search import search
from archivist.store.search_collect import walk_dates


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


@pytest.mark.parametrize("window", [1, 8])  # 1: too few hits in the window, lists used instead
@pytest.mark.parametrize("query", ["type:letter", "kabul type:letter", "date:1980..1999",
                                   "within:1980..1995 kabul", "lang:ru OR type:letter",
                                   "date:1985..2005 -type:report", "kabul OR date:1990"])
def test_capped_count_keeps_the_first_page(cat, letters, monkeypatch, query, window):
    exact = search(cat, query, limit=5, snippets=False)
    assert exact.total_exact
    monkeypatch.setattr(search_module, "COUNT_CAP", 12)
    monkeypatch.setattr(search_module, "WINDOW_FACTOR", window)
    monkeypatch.setattr(search_module, "WINDOW_MIN_RECORDS", 0)
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


def test_window_of_rare_hits_falls_back_to_the_lists(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 8)
    monkeypatch.setattr(search_module, "WINDOW_FACTOR", 1)  # 8 ids hold 4 letters: too few
    monkeypatch.setattr(search_module, "WINDOW_MIN_RECORDS", 0)
    result = search(cat, "lang:ru OR type:letter", limit=3, snippets=False)
    want = sorted(rid for rid, t in letters.items() if t["type"] == "letter")
    assert result.total == 8 and not result.total_exact and _ids(result) == want[:3]


def test_facets_of_a_capped_count_are_marked_estimated(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    result = search(cat, "type:letter", limit=3, facets=True, snippets=False)
    assert not result.total_exact and not result.facets_exact
    assert {v.value for v in result.facets["type"]} == {"letter"}


def test_export_by_query_gets_every_hit(cat, letters, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 10)
    got = resolve_scope(cat, query="type:letter")
    assert sorted(got) == sorted(rid for rid, t in letters.items() if t["type"] == "letter")


@pytest.fixture
def dated(cat):
    """Items with one, two or no dates, many sharing a date (ties), some in the trash."""
    ids = []
    for n in range(70):
        dates = [["1990", "1985-03"], ["1994-05"], [], ["1988~", "2001"], ["199X"]][n % 5]
        ids.append(records.create_record(cat, title=f"kabul {n}", level="item", identifier=str(n),
                                         type="letter" if n % 2 else "report", dates=dates))
    trash.trash_records(cat, ids[::9])
    return ids


@pytest.mark.parametrize("query", ["kabul", "type:letter", None])
@pytest.mark.parametrize("offset, limit", [(0, 5), (3, 10), (0, 17), (10, 25)])
def test_date_order_walked_from_the_index_matches_the_join(cat, dated, monkeypatch, query,
                                                           offset, limit):
    joined = search(cat, query, sort="date", limit=limit, offset=offset, snippets=False)
    monkeypatch.setattr(search_module, "DATE_WALK_MIN", 1)
    walked = search(cat, query, sort="date", limit=limit, offset=offset, snippets=False)
    assert _ids(walked) == _ids(joined) and joined.hits
    assert walked.total == joined.total


def test_date_walk_gives_the_page_or_gives_up_on_undated_hits(cat, dated):
    conn = cat.conn
    joined = search(cat, "kabul", sort="date", limit=200, snippets=False)  # fills temp.search_hits
    count = conn.execute("SELECT count(*) FROM temp.search_hits").fetchone()[0]
    dated_hits = sum(1 for h in joined.hits if h.date)
    assert walk_dates(conn, count, 5, 0, 1, 20) == _ids(joined)[:5]
    assert walk_dates(conn, count, 5, dated_hits - 5, 1, 20) == _ids(joined)[dated_hits - 5:dated_hits]
    assert walk_dates(conn, count, 5, dated_hits - 2, 1, 20) is None  # reaches undated ones
    assert walk_dates(conn, count, 5, 0, count + 1, 20) is None  # small sets use the join
