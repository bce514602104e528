"""Saved searches kept in the catalogue."""

import pytest

from archivist.core.errors import InvalidQuery, InvalidValue, NotFound
from archivist.store.search_saved import (delete_saved_search, get_saved_search,
                                          list_saved_searches, rename_saved_search, save_search)


def test_save_list_get_rename_delete(cat):
    seen = []
    cat.subscribe(seen.append)
    saved = save_search(cat, "Letters 1994", "type:letter date:1994")
    assert saved.query == "type:letter date:1994"
    assert seen and seen[-1].settings
    save_search(cat, "Armenian", "lang:hy")
    assert [s.name for s in list_saved_searches(cat)] == ["Armenian", "Letters 1994"]
    assert get_saved_search(cat, saved.id).name == "Letters 1994"
    save_search(cat, "Letters 1994", "type:letter date:1995")  # same name replaces the query
    assert get_saved_search(cat, "Letters 1994").query == "type:letter date:1995"
    assert len(list_saved_searches(cat)) == 2
    renamed = rename_saved_search(cat, "Armenian", "Armenian sources")
    assert renamed.query == "lang:hy"
    with pytest.raises(InvalidValue):
        rename_saved_search(cat, "Armenian sources", "Letters 1994")
    delete_saved_search(cat, "Armenian sources")
    assert [s.name for s in list_saved_searches(cat)] == ["Letters 1994"]
    with pytest.raises(NotFound):
        get_saved_search(cat, "Armenian sources")


def test_bad_query_or_name_is_refused(cat):
    with pytest.raises(InvalidQuery):
        save_search(cat, "broken", "title:\"abc")
    with pytest.raises(InvalidValue):
        save_search(cat, "  ", "kabul")
    assert list_saved_searches(cat) == []


def test_saved_searches_travel_with_the_catalogue(cat, tmp_path):
    from archivist.store.catalogue import open_catalogue

    save_search(cat, "Kabul", "kabul")
    path = cat.path
    cat.close()
    again = open_catalogue(path)
    try:
        assert [s.query for s in list_saved_searches(again)] == ["kabul"]
    finally:
        again.close()
