"""The bulk index path gives the same index as record-by-record indexing, and leaves no trace."""

import pytest

from archivist.store import search_index
from archivist.store.bulk import bulk_import
from archivist.store.search_index import bulk_reindex, rebuild, reindex_records

AUTHORITIES = [
    {"uuid": "a-1", "kind": "person", "name": "Ahmad Shah Massoud",
     "variants": ["Ахмад Шах Масуд", "Massoud", "Ahmad Shah Massoud"]},
    {"uuid": "a-2", "kind": "place", "name": "Mazar-i-Sharif", "variants": ["مزار شریف"]},
    {"uuid": "a-3", "kind": "organisation", "name": "Jamiat-e Islami"},
    {"uuid": "a-4", "kind": "family", "name": "Massoud family", "variants": ["Massoud"]},
]


def _records(n=30):
    out = [{"uuid": "f", "level": "fonds", "title": "Fonds", "identifier": "F"},
           {"uuid": "s", "level": "series", "title": "Series", "identifier": "1", "parent": "f"}]
    for i in range(n):
        out.append({
            "level": "item", "parent": "s", "identifier": str(i), "type": "letter",
            "title": f"Letter {i} from Ёлкин about Panjshir",
            "fields": {"scope_content": f"Sent from Kabul, note {i}. Мазари Шариф", "languages": ["ru"]},
            "dates": ["1994-05" if i % 2 else "1990/1999"],
            "links": [{"authority": f"a-{1 + i % 4}", "role": "mentioned"},
                      {"authority": "a-2", "role": "place_mentioned"}],
            "tags": ["war", f"t{i % 3}"]})
    return out


def _index(cat):
    c = cat.conn
    return (c.execute("SELECT rowid, title, body, person, org, place, tag, keys FROM search_fts"
                      " ORDER BY rowid").fetchall(),
            c.execute("SELECT facet, value, record_id FROM search_facets ORDER BY 1, 2, 3").fetchall(),
            c.execute("SELECT record_id, has_scan, has_transcription, has_translation, has_region,"
                      " series_id FROM search_meta ORDER BY 1").fetchall(),
            c.execute("SELECT key FROM search_keys ORDER BY 1").fetchall())


def _hashsize(cat):
    row = cat.conn.execute("SELECT v FROM search_fts_config WHERE k = 'hashsize'").fetchone()
    return row and row[0]


def test_bulk_import_index_equals_record_by_record_index(cat):
    bulk_import(cat, _records(), AUTHORITIES)
    bulk = _index(cat)
    assert len(bulk[0]) == 32
    ids = [r[0] for r in cat.conn.execute("SELECT id FROM records")]
    with cat.atomic():
        for rid in ids:  # one at a time: the delete path and no memo shared between records
            reindex_records(cat, [rid])
    assert _index(cat) == bulk


def test_authorised_name_first_then_variants_once(cat):
    bulk_import(cat, _records(4), AUTHORITIES)
    person = cat.conn.execute("SELECT person FROM search_fts WHERE title LIKE 'letter 0 %'"
                              ).fetchone()[0]
    assert person.split("\n") == ["ahmad shah massoud", "ахмад шах масуд", "massoud"]
    family = cat.conn.execute("SELECT person FROM search_fts WHERE title LIKE 'letter 3 %'"
                              ).fetchone()[0]
    assert family.split("\n") == ["massoud family", "massoud"]


def test_reindexing_indexed_records_replaces_their_rows(cat):
    bulk_import(cat, _records(), AUTHORITIES)
    before = _index(cat)
    ids = [r[0] for r in cat.conn.execute("SELECT id FROM records")]
    with cat.atomic():
        cat.conn.execute("UPDATE records SET title = 'Renamed' WHERE id = ?", (ids[-1],))
        bulk_reindex(cat, ids)
    after = _index(cat)
    assert len(after[0]) == len(before[0])
    assert after[0][-1][1] == "renamed"
    assert after[0][:-1] == before[0][:-1]
    assert after[1:3] == before[1:3]
    assert set(after[3]) - set(before[3]) == {("rnmd",)}  # the key vocabulary only grows


def test_trashed_authority_is_not_indexed(cat):
    bulk_import(cat, _records(4), AUTHORITIES)
    with cat.atomic():
        cat.conn.execute("UPDATE authorities SET trashed_at = '2026-01-01' WHERE uuid = 'a-2'")
        rebuild(cat)
    places = [r[0] for r in cat.conn.execute("SELECT place FROM search_fts")]
    assert places and all(p == "" for p in places)
    assert not cat.conn.execute("SELECT 1 FROM search_facets WHERE facet = 'place'").fetchall()


def test_bulk_write_buffer_is_restored(cat):
    before = _hashsize(cat)
    bulk_import(cat, _records(), AUTHORITIES)
    with cat.atomic():
        rebuild(cat)
    assert _hashsize(cat) in (before, search_index._FTS_DEFAULT_HASHSIZE)
    assert int(_hashsize(cat) or search_index._FTS_DEFAULT_HASHSIZE) != search_index.BULK_HASHSIZE


def test_helper_process_builds_the_same_index(cat, monkeypatch):
    bulk_import(cat, _records(), AUTHORITIES)
    serial = _index(cat)
    monkeypatch.setattr(search_index, "PARALLEL_MIN", 1)
    monkeypatch.setattr(search_index, "BATCH", 4)  # several batches through the pipeline
    started = []
    real = search_index.Builder

    class Spy(real):
        def __init__(self, parallel, memo):
            super().__init__(parallel, memo)
            started.append(self.proc is not None)

    monkeypatch.setattr(search_index, "Builder", Spy)
    with cat.atomic():
        rebuild(cat)
    assert started == [True]
    assert _index(cat) == serial


@pytest.mark.parametrize("executable", [
    "/nonexistent/python",  # the helper cannot start
    "/bin/true",  # the helper exits at once
], ids=["cannot start", "dies"])
def test_helper_that_fails_falls_back_to_this_process(cat, monkeypatch, executable):
    bulk_import(cat, _records(), AUTHORITIES)
    serial = _index(cat)
    monkeypatch.setattr(search_index, "PARALLEL_MIN", 1)
    monkeypatch.setattr(search_index, "BATCH", 4)
    from archivist.store import search_index_build
    monkeypatch.setattr(search_index_build.sys, "executable", executable)
    with cat.atomic():
        rebuild(cat)
    assert _index(cat) == serial
