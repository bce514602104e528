import importlib.util

import pytest

from archivist.core.dates import parse_date
from archivist.core.errors import (Cancelled, InvalidDate, InvalidHierarchy, InvalidValue,
                                   NotFound)
from archivist.store import authorities, hierarchy, links, records
from archivist.store.audit import list_changes
from archivist.core.dates import fast_date
from archivist.store.bulk import bulk_import

PLACE = "11111111-1111-4111-8111-111111111111"
FONDS, SERIES, FILE = ("22222222-2222-4222-8222-22222222222" + c for c in "012")
LETTER, REPLY = "33333333-3333-4333-8333-333333333330", "33333333-3333-4333-8333-333333333331"


def _authorities():
    return [{"uuid": PLACE, "kind": "place", "name": "Mazar-i-Sharif",
             "variants": [{"name": "مزار شریف", "language": "prs", "script": "Arab"}, "Mozari Sharif"],
             "dates": None}]


def _records():
    return [
        {"uuid": FONDS, "parent": None, "level": "fonds", "identifier": "KFF", "title": "Fonds",
         "dates": [{"expression": "1979/2005", "label": "accumulation"}]},
        {"uuid": SERIES, "parent": FONDS, "level": "series", "identifier": "1", "title": "Letters"},
        {"uuid": FILE, "parent": SERIES, "level": "file", "identifier": "7", "title": "File",
         "reference_code": "CUSTOM-7"},
        {"uuid": LETTER, "parent": FILE, "level": "item", "identifier": "1", "title": " Letter ",
         "type": "letter", "dates": ["1994-05", "1993~"],
         "fields": {"languages": ["prs"], "scope_content": "Cafe\u0301 in Мазари"},
         "links": [{"authority": PLACE, "role": "place_of_creation"}], "tags": ["press", " press"],
         "access": {"status": "restricted", "reason": "personal data", "until": "2040"}},
        {"uuid": REPLY, "parent": FILE, "level": "item", "identifier": "2", "title": "Reply",
         "type": "letter", "dates": ["[1993,1995]"],
         "relations": [{"type": "responds_to", "target": LETTER}]},
    ]


def _count(cat, table):
    return cat.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_bulk_records_read_back_as_the_one_at_a_time_api_writes_them(cat):
    result = bulk_import(cat, _records(), _authorities())
    assert (result.records, result.authorities, result.names, result.dates, result.links,
            result.tags, result.relations) == (5, 1, 2, 4, 1, 1, 1)
    letter = records.get_record(cat, records.resolve_record(cat, LETTER))
    assert letter.reference_code == "CUSTOM-7-1"
    assert letter.title == "Letter"
    assert letter.fields["scope_content"] == "Caf\u00e9 in Мазари"  # NFC, as clean_value does
    assert [(d.expression, d.earliest, d.latest) for d in letter.dates] == [
        ("1994-05", "1994-05-01", "1994-05-31"), ("1993~", "1993-01-01", "1993-12-31")]
    assert letter.access_status == "restricted"
    series = records.resolve_record(cat, SERIES)
    assert records.get_record(cat, series).reference_code == "KFF-1"
    file_id = records.resolve_record(cat, FILE)
    assert records.get_record(cat, file_id).ref_custom
    assert hierarchy.child_ids(cat, file_id) == [letter.id, records.resolve_record(cat, REPLY)]
    assert [(lk.authority_name, lk.role) for lk in links.links_of(cat, letter.id)] == [
        ("Mazar-i-Sharif", "place_of_creation")]
    assert links.tags_of(cat, letter.id) == ["press"]
    assert [r.type for r in links.relations_of(cat, letter.id)] == ["response"]
    place = authorities.get_authority(cat, authorities.resolve_authority(cat, "Mozari Sharif"))
    assert [v["name"] for v in place.variants] == ["مزار شریف", "Mozari Sharif"]


def test_positions_continue_after_existing_children(cat):
    fonds = records.create_record(cat, title="Old fonds", level="fonds", identifier="OLD")
    records.create_record(cat, title="Old series", level="series", parent_id=fonds, identifier="1")
    fonds_uuid = records.record_uuid(cat, fonds)
    bulk_import(cat, [{"parent": fonds_uuid, "level": "series", "identifier": "2", "title": "New"},
                      {"parent_id": fonds, "level": "series", "title": "Newer"}])
    kids = [records.get_record(cat, i) for i in hierarchy.child_ids(cat, fonds)]
    assert [(k.title, k.position, k.reference_code) for k in kids] == [
        ("Old series", 0, "OLD-1"), ("New", 1, "OLD-2"), ("Newer", 2, None)]  # no identifier: no code of its own


def test_one_audit_row_per_batch(cat):
    items = _records()[:3] + [{"parent": FILE, "level": "item", "title": f"Item {i}"} for i in range(6)]
    result = bulk_import(cat, items, _authorities(), batch_size=4)
    rows = list_changes(cat)
    imports = [c for c in rows if c.action == "import" and c.entity == "record"]
    assert sorted(c.new["count"] for c in imports) == [1, 4, 4]
    assert [c for c in rows if c.action == "import" and c.entity == "authority"][0].new["count"] == 1
    assert len(rows) == 4
    assert {c.batch for c in rows} == {result.audit_batch}


@pytest.mark.parametrize("bad, error, words", [
    ({"level": "box"}, InvalidValue, "unknown level"),
    ({"level": "fonds"}, InvalidHierarchy, "cannot contain"),
    ({"dates": ["1994-02-30"]}, InvalidDate, "1994-02-30"),
    ({"dates": ["1995/1993"]}, InvalidDate, "ends before it starts"),
    ({"fields": {"colour": "red"}}, InvalidValue, "unknown field"),
    ({"fields": {"languages": ["not a language"]}}, InvalidValue, "language"),
    ({"type": "novel"}, InvalidValue, "record type"),
    ({"title": "  "}, InvalidValue, "title"),
    ({"access": {"status": "restricted"}}, InvalidValue, "reason"),
    ({"links": [{"authority": PLACE, "role": "owner"}]}, InvalidValue, "role"),
    ({"links": [{"authority": "nobody", "role": "sender"}]}, NotFound, "nobody"),
    ({"parent": "missing-parent"}, NotFound, "missing-parent"),
    ({"uuid": LETTER}, InvalidValue, "cannot be stored"),
    ({"relations": [{"type": "cites", "target": "no-such-record"}]}, NotFound, "no-such-record"),
])
def test_a_refused_record_leaves_nothing_written(cat, bad, error, words):
    items = _records()
    items.append({"parent": FILE, "level": "item", "title": "Bad one", "type": "letter", **bad})
    with pytest.raises(error, match=words) as info:
        bulk_import(cat, items, _authorities(), batch_size=2)
    if "relations" not in bad and "uuid" not in bad:
        assert "record 6" in str(info.value)
    for table in ("records", "authorities", "record_dates", "links", "record_tags", "changes"):
        assert _count(cat, table) == 0, table


def test_an_item_cannot_contain_records_even_across_batches(cat):
    items = _records() + [{"parent": LETTER, "level": "item", "title": "Inside a letter"}]
    with pytest.raises(InvalidHierarchy):
        bulk_import(cat, items, _authorities(), batch_size=1)
    assert _count(cat, "records") == 0


def test_cancel_after_a_batch_writes_nothing_and_progress_counts(cat):
    seen = []
    with pytest.raises(Cancelled):
        bulk_import(cat, _records(), _authorities(), batch_size=2, total=5,
                    progress=lambda done, total: seen.append((done, total)),
                    cancelled=lambda: len(seen) >= 2)
    assert seen == [(2, 5), (4, 5)]
    assert _count(cat, "records") == 0 and _count(cat, "changes") == 0
    result = bulk_import(cat, _records(), _authorities(), batch_size=2,
                         progress=lambda done, total: seen.append((done, total)))
    assert result.records == 5 and seen[-1] == (5, None)


def test_subscribers_hear_of_the_new_records_once(cat):
    heard = []
    cat.subscribe(heard.append)
    result = bulk_import(cat, _records(), _authorities())
    assert len(heard) == 1
    assert heard[0].records == set(range(result.first_record_id, result.last_record_id + 1))
    assert heard[0].structure and len(heard[0].authorities) == 1


@pytest.mark.skipif(importlib.util.find_spec("archivist.store.search_index") is None,
                    reason="the search index module is not present")
def test_search_index_is_filled_in_the_same_import(cat):
    result = bulk_import(cat, _records(), _authorities())
    assert result.indexed
    indexed = {r[0] for r in cat.conn.execute("SELECT rowid FROM search_fts")}
    assert indexed == set(range(result.first_record_id, result.last_record_id + 1))
    hit = cat.conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH 'reply'").fetchall()
    assert hit == [(records.resolve_record(cat, REPLY),)]


def test_reindex_false_leaves_the_index_to_the_caller(cat):
    result = bulk_import(cat, _records(), _authorities(), reindex=False)
    assert not result.indexed
    if importlib.util.find_spec("archivist.store.search_index") is not None:
        assert _count(cat, "search_fts") == 0
    assert getattr(cat, "search_index_deferred", False) is False


SIMPLE_FORMS = ["1994-12-21", "1994-05", "1994-02", "2000-02", "1900-02", "1994", "1000", "1993~",
                "1993?", "1993%", "1993/1994", "1993/1993", "../1993", "1993/..", "199X", "19XX",
                "[1993,1995]", "[1995,1993]", "{1993,1994,1996}", "2004-12", "1996-02-29"]
SLOW_FORMS = ["1994-05~", "1993-21", "0800", "1994-12-21T10:00:00", "[1993..1995]", "1993-05/1994-02",
              "../..", "1993~/1995"]


@pytest.mark.parametrize("expr", SIMPLE_FORMS + SLOW_FORMS)
def test_fast_date_gives_what_the_parser_gives(expr):
    try:
        expected = parse_date(expr)
    except InvalidDate:
        with pytest.raises(InvalidDate):
            fast_date(expr)
        return
    assert fast_date(expr) == expected


@pytest.mark.parametrize("expr", ["1994-02-30", "1994-13", "1995/1993", "[1993,]", "199XX", " 1994",
                                  "1994-00-10", ""])
def test_fast_date_refuses_what_the_parser_refuses(expr):
    with pytest.raises(InvalidDate):
        fast_date(expr)


def _indexes(cat):
    return sorted(r[0] for r in cat.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))


def test_a_large_import_rebuilds_its_indexes_and_restores_them_on_error(cat, monkeypatch):
    from archivist.store import bulk_indexes
    monkeypatch.setattr(bulk_indexes, "LARGE_IMPORT", 3)
    before = _indexes(cat)
    cache = cat.conn.execute("PRAGMA cache_size").fetchone()[0]
    bad = _records() + [{"parent": FILE, "level": "fonds", "title": "Misplaced"}]
    with pytest.raises(InvalidHierarchy):
        bulk_import(cat, bad, _authorities(), total=6)
    assert _indexes(cat) == before
    result = bulk_import(cat, _records(), _authorities(), total=5)
    assert result.records == 5
    assert _indexes(cat) == before
    assert cat.conn.execute("PRAGMA cache_size").fetchone()[0] == cache
    plan = " ".join(r[3] for r in cat.conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM record_dates WHERE record_id = 4"))
    assert "record_dates_record" in plan
