"""Text matches with conditions on the record id alone are collected without a join on records."""

import pytest

from archivist.store import records, search_collect, trash
from archivist.store.search import search


@pytest.fixture
def mixed(cat):
    """50 items saying "kabul" (every third also "herat"), dated over two decades, some trashed,
    some in Russian."""
    for n in range(50):
        words = "kabul herat" if n % 3 == 0 else "kabul"
        rid = records.create_record(cat, title=f"{words} {n}", level="item", identifier=str(n),
                                    type="letter" if n % 2 else "report", dates=[str(1980 + n % 20)],
                                    fields={"languages": ["ru"] if n % 4 == 0 else ["en"]})
        if n % 7 == 5:
            trash.trash_records(cat, [rid])
    return cat


@pytest.mark.parametrize("query", ["within:1985..1990 kabul", "kabul date:1983..1984", "kabul lang:ru",
                                   "kabul (herat OR lang:ru)", "herat -date:1990..1999",
                                   "kabul type:letter"])
@pytest.mark.parametrize("trashed", [False, True])
def test_id_only_conditions_find_what_the_join_finds(mixed, monkeypatch, query, trashed):
    fast = search(mixed, query, limit=100, snippets=False, include_trashed=trashed)
    monkeypatch.setattr(search_collect, "_id_only", lambda where: False)
    joined = search(mixed, query, limit=100, snippets=False, include_trashed=trashed)
    assert [h.id for h in fast.hits] == [h.id for h in joined.hits]
    assert fast.total == joined.total > 0


def test_only_conditions_on_the_id_take_the_short_path():
    assert search_collect._id_only(["EXISTS (SELECT 1 FROM record_dates d WHERE d.record_id = r.id)"])
    assert search_collect._id_only(["r.id IN (SELECT record_id FROM search_facets)"])
    assert not search_collect._id_only(["(EXISTS (SELECT 1 FROM t WHERE t.x = r.id) OR r.type = ?)"])
    assert not search_collect._id_only(["r.type = ?"])
    assert not search_collect._id_only([])
