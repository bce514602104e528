"""A lone date (whole years) or language filter merges index ranges in id order (search_merge)."""

import pytest

from archivist.store import records, trash
from archivist.store import search as search_module
from archivist.store import search_merge
from archivist.store.search import search

DATES = ["1985", "1990/1992", "1900/1999", "1988/..", "../1991", "1991-05-03", "199X", "2001",
         "1989-12-31/1990-01-01", None]


def _same_as_the_general_path(cat, monkeypatch, query: str, cap: int) -> None:
    """The merged index ranges give the page and total the general collection gives, with the
    trash left out and let in."""
    monkeypatch.setattr(search_module, "COUNT_CAP", cap)
    merged = search(cat, query, limit=4, snippets=False)
    with_trash = search(cat, query, limit=4, snippets=False, include_trashed=True)
    monkeypatch.setattr(search_merge, "ARMS_MAX", 0)  # the general path
    general = search(cat, query, limit=4, snippets=False)
    general_trash = search(cat, query, limit=4, snippets=False, include_trashed=True)
    assert [h.id for h in merged.hits] == [h.id for h in general.hits]
    assert (merged.total, merged.total_exact) == (general.total, general.total_exact)
    assert [h.id for h in with_trash.hits] == [h.id for h in general_trash.hits]
    assert with_trash.total == general_trash.total


@pytest.fixture
def dated(cat):
    """Items with exact, spanning, wide, open and no dates; some in the trash."""
    for n in range(60):
        date = DATES[n % len(DATES)]
        rid = records.create_record(cat, title=f"item {n}", level="item", identifier=str(n),
                                    dates=[date] if date else [])
        if n % 7 == 3:
            trash.trash_records(cat, [rid])
    return cat


@pytest.mark.parametrize("query", ["date:1990", "date:1991", "date:1985..1990", "date:1999",
                                   "date:2001..2003", "date:1950", "date:1600..1610"])
@pytest.mark.parametrize("cap", [5, 10_000])
def test_merged_years_find_what_the_general_path_finds(dated, monkeypatch, query, cap):
    _same_as_the_general_path(dated, monkeypatch, query, cap)


def test_merged_years_leave_out_the_trash_and_stop_at_the_cap(dated, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 6)
    result = search(dated, "date:1990", limit=3, snippets=False)
    live = [r for r in dated.conn.execute(
        "SELECT id FROM records WHERE trashed_at IS NULL ORDER BY id")]
    assert not result.total_exact and result.total == 6
    trashed = {r[0] for r in dated.conn.execute("SELECT id FROM records WHERE trashed_at IS NOT NULL")}
    assert not trashed & {h.id for h in result.hits}
    assert [h.id for h in result.hits] == sorted(h.id for h in result.hits)
    assert live  # the fixture made live records


def test_spans_longer_than_the_arm_limit_use_the_general_path(dated, monkeypatch):
    calls = []
    real = search_merge.collect_years
    monkeypatch.setattr(search_module, "collect_years",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    assert search(dated, "date:1900..1999", limit=3, snippets=False).total > 0
    assert calls and calls[-1][1:3] == ("1900-01-01", "1999-12-31")
    assert real(dated.conn, "1900-01-01", "1999-12-31", False, 10) is None  # 100 years: declined


LANGS = [["ru"], ["az-Cyrl"], ["az"], ["az-Latn", "ru"], [], ["prs"], ["az-Cyrl", "az-Arab"]]


@pytest.fixture
def languages(cat):
    """Items in languages with and without script variants; some in the trash."""
    for n in range(50):
        rid = records.create_record(cat, title=f"item {n}", level="item", identifier=str(n),
                                    fields={"languages": LANGS[n % len(LANGS)]})
        if n % 9 == 4:
            trash.trash_records(cat, [rid])
    return cat


@pytest.mark.parametrize("query", ["lang:az", "lang:ru", "lang:prs", "lang:az-Cyrl", "lang:hy"])
@pytest.mark.parametrize("cap", [4, 10_000])
def test_merged_languages_find_what_the_general_path_finds(languages, monkeypatch, query, cap):
    _same_as_the_general_path(languages, monkeypatch, query, cap)


def test_a_language_finds_its_script_variants(languages):
    result = search(languages, "lang:az", limit=50, snippets=False)
    want = {r[0] for r in languages.conn.execute(
        "SELECT DISTINCT record_id FROM search_facets WHERE facet = 'lang' AND value LIKE 'az%'"
        " AND record_id IN (SELECT id FROM records WHERE trashed_at IS NULL)")}
    assert {h.id for h in result.hits} == want and len(want) > 10
