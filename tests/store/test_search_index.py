"""The search index stays correct through every kind of change, in the same transaction."""

import pytest

from archivist.store import authorities, hierarchy, links, pages, records, trash
from archivist.store.audit import list_changes
from archivist.store.revert import revert_change
from archivist.store.search import search
from archivist.store.search_index import rebuild


def refs(cat, query, **kw):
    return sorted(h.reference_code for h in search(cat, query, snippets=False, **kw).hits)


@pytest.fixture
def tree(cat):
    f = records.create_record(cat, title="Karabakh fighters", level="fonds", identifier="KFF")
    s1 = records.create_record(cat, title="Correspondence", level="series", parent_id=f, identifier="1")
    s2 = records.create_record(cat, title="Reports", level="series", parent_id=f, identifier="2")
    file1 = records.create_record(cat, title="Letters 1994", level="file", parent_id=s1, identifier="1")
    item = records.create_record(cat, title="Letter about Kabul", level="item", parent_id=file1,
                                 identifier="1", type="letter", dates=["1994-05"],
                                 fields={"scope_content": "Sent from the Panjshir valley."})
    return {"fonds": f, "s1": s1, "s2": s2, "file": file1, "item": item}


def fts_rows(cat):
    return cat.conn.execute("SELECT rowid, title, body, person, org, place, tag, keys FROM search_fts"
                            " ORDER BY rowid").fetchall()


def test_create_is_indexed(cat, tree):
    assert refs(cat, "kabul") == ["KFF-1-1-1"]
    assert refs(cat, "panjshir") == ["KFF-1-1-1"]


def test_edit_title_and_fields(cat, tree):
    records.update_record(cat, tree["item"], {"title": "Letter about Herat",
                                              "scope_content": "Sent from Bamyan."})
    assert refs(cat, "kabul") == []
    assert refs(cat, "panjshir") == []
    assert refs(cat, "herat") == ["KFF-1-1-1"]
    assert refs(cat, "bamyan") == ["KFF-1-1-1"]


def test_edit_dates(cat, tree):
    assert refs(cat, "date:1994") == ["KFF-1-1-1"]
    records.set_dates(cat, tree["item"], ["1980"])
    assert refs(cat, "date:1994") == []
    assert refs(cat, "date:1980") == ["KFF-1-1-1"]


def test_move_updates_reference_and_series(cat, tree):
    hierarchy.move_record(cat, tree["file"], tree["s2"])
    assert refs(cat, "ref:KFF-2*") == ["KFF-2", "KFF-2-1", "KFF-2-1-1"]
    assert refs(cat, "ref:KFF-1*") == ["KFF-1"]
    assert refs(cat, "kabul") == ["KFF-2-1-1"]
    result = search(cat, "kabul", facets=True)
    series = {v.value: v.count for v in result.facets["series"]}
    assert series == {str(tree["s2"]): 1}


def test_trash_restore_purge(cat, tree):
    trash.trash_records(cat, [tree["file"]])
    assert refs(cat, "kabul") == []
    assert refs(cat, "kabul", include_trashed=True) == ["KFF-1-1-1"]
    trash.restore_records(cat, [tree["file"]])
    assert refs(cat, "kabul") == ["KFF-1-1-1"]
    trash.trash_records(cat, [tree["file"]])
    trash.purge_records(cat, [tree["file"]])
    assert refs(cat, "kabul", include_trashed=True) == []
    assert cat.conn.execute("SELECT count(*) FROM search_fts WHERE rowid = ?",
                            (tree["item"],)).fetchone()[0] == 0


def test_undo_through_the_audit_log(cat, tree):
    records.update_record(cat, tree["item"], {"title": "Letter about Herat"})
    change = [c for c in list_changes(cat, tree["item"]) if c.field == "title"][0]
    revert_change(cat, change.id)
    assert refs(cat, "kabul") == ["KFF-1-1-1"]
    assert refs(cat, "herat") == []


def test_rollback_leaves_index_untouched(cat, tree):
    before = fts_rows(cat)
    with pytest.raises(RuntimeError):
        with cat.atomic():
            records.update_record(cat, tree["item"], {"title": "Letter about Herat"})
            raise RuntimeError("boom")
    assert fts_rows(cat) == before
    assert refs(cat, "herat") == []


def test_links_and_authority_names(cat, tree):
    place = authorities.create_authority(cat, kind="place", name="Mazar-i-Sharif",
                                         variants=["مزار شریف", "Мазари-Шариф"])
    person = authorities.create_authority(cat, kind="person", name="Hekmatyar, Gulbuddin",
                                          variants=["گلبدین حکمتیار"])
    links.link(cat, tree["item"], place, "place_mentioned")
    links.link(cat, tree["item"], person, "sender")
    assert refs(cat, "\"مزار شریف\"") == ["KFF-1-1-1"]
    assert refs(cat, "Мазари-Шариф") == ["KFF-1-1-1"]
    assert refs(cat, "person:گلبدین") == ["KFF-1-1-1"]
    assert refs(cat, "place:hekmatyar") == []
    authorities.update_authority(cat, place, {"variants": ["Mozari Sharif"]})
    assert refs(cat, "\"مزار شریف\"", translit=False) == []
    hit, = search(cat, "\"مزار شریف\"").hits  # still found, through transliteration only
    assert not hit.exact
    assert refs(cat, "\"mozari sharif\"") == ["KFF-1-1-1"]
    authorities.update_authority(cat, person, {"name": "Dostum, Abdul Rashid", "variants": []})
    assert refs(cat, "person:hekmatyar") == []
    assert refs(cat, "person:dostum") == ["KFF-1-1-1"]
    links.unlink(cat, tree["item"], person, "sender")
    assert refs(cat, "person:dostum") == []


def test_tags(cat, tree):
    links.add_tags(cat, [tree["item"]], ["mercenaries"])
    assert refs(cat, "tag:mercenaries") == ["KFF-1-1-1"]
    links.remove_tags(cat, [tree["item"]], ["mercenaries"])
    assert refs(cat, "tag:mercenaries") == []


def test_pages_transcriptions_and_regions(cat, tree):
    fid = None
    with cat.atomic():
        fid = pages.add_file_row(cat, sha256="a" * 64, ext="jpg", size=10)
    assert refs(cat, "has:scan") == []
    pages.add_page(cat, tree["item"], fid, label="p. 1",
                   texts=[{"kind": "transcription", "language": "prs", "text": "نامه\u200cها از كابل"}],
                   regions=[{"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2, "title": "Stamp of the ministry"}])
    assert refs(cat, "has:scan") == ["KFF-1-1-1"]
    assert refs(cat, "has:transcription") == ["KFF-1-1-1"]
    assert refs(cat, "has:translation") == []
    assert refs(cat, "has:region") == ["KFF-1-1-1"]
    assert refs(cat, "نامهها") == ["KFF-1-1-1"]  # ZWNJ removed, Arabic kaf folded
    assert refs(cat, "کابل") == ["KFF-1-1-1"]
    assert refs(cat, "ministry") == ["KFF-1-1-1"]


def test_rebuild_equals_incremental(cat, tree):
    place = authorities.create_authority(cat, kind="place", name="Kabul", variants=["کابل"])
    links.link(cat, tree["item"], place, "place_of_creation")
    links.add_tags(cat, [tree["item"], tree["file"]], ["afghanistan"])
    hierarchy.move_record(cat, tree["file"], tree["s2"])
    incremental = (fts_rows(cat),
                   cat.conn.execute("SELECT * FROM search_meta ORDER BY record_id").fetchall(),
                   cat.conn.execute("SELECT * FROM search_facets ORDER BY 1, 2, 3").fetchall())
    with cat.atomic():
        assert rebuild(cat) == 5
    rebuilt = (fts_rows(cat),
               cat.conn.execute("SELECT * FROM search_meta ORDER BY record_id").fetchall(),
               cat.conn.execute("SELECT * FROM search_facets ORDER BY 1, 2, 3").fetchall())
    assert incremental == rebuilt


def test_index_holds_normalised_text_only(cat, tree):
    rid = records.create_record(cat, title="Ёлка كِتَاب", level="item", parent_id=tree["file"],
                                identifier="9", type="other")
    title = cat.conn.execute("SELECT title FROM search_fts WHERE rowid = ?", (rid,)).fetchone()[0]
    assert title == "елка کتاب"
    assert records.get_record(cat, rid).title == "Ёлка كِتَاب"  # stored data untouched


def test_trashed_authority_names_leave_the_index(cat, tree):
    person = authorities.create_authority(cat, kind="person", name="Hekmatyar, Gulbuddin")
    links.link(cat, tree["item"], person, "sender")
    assert refs(cat, "person:hekmatyar") == ["KFF-1-1-1"]
    authorities.set_authority_trashed(cat, person, True)
    assert refs(cat, "person:hekmatyar") == []
    authorities.set_authority_trashed(cat, person, False)
    assert refs(cat, "person:hekmatyar") == ["KFF-1-1-1"]


def test_bulk_import_indexes_through_the_bulk_entry_point(cat):
    from archivist.store.bulk import bulk_import

    recs = [{"uuid": "00000000-0000-4000-8000-000000000001", "parent": None, "level": "fonds",
             "identifier": "B", "title": "Bulk fonds"}]
    recs += [{"uuid": f"00000000-0000-4000-8000-{i:012d}", "parent": recs[0]["uuid"],
              "level": "item", "identifier": str(i), "title": f"Letter {i} from Kabul",
              "type": "letter", "dates": [{"expression": "1994-05", "label": "creation"}]}
             for i in range(2, 40)]
    result = bulk_import(cat, recs)
    assert result.indexed
    assert search(cat, "kabul", limit=100).total == 38
    assert search(cat, "date:1994 type:letter", limit=100).total == 38
    assert cat.conn.execute("SELECT count(*) FROM search_fts").fetchone()[0] == 39


def test_migration_6_fills_the_key_vocabulary_from_an_older_index(cat, tree):
    from archivist.store.catalogue import open_catalogue
    place = authorities.create_authority(cat, kind="place", name="Mazar-i-Sharif")
    links.link(cat, tree["item"], place, "place_mentioned")
    cat.conn.execute("DROP TABLE search_keys")
    cat.conn.execute("PRAGMA user_version = 5")
    path = cat.path
    cat.close()
    again = open_catalogue(path)
    try:
        keys = {r[0] for r in again.conn.execute("SELECT key FROM search_keys")}
        assert {"mzr", "xrf", "kbl"} <= keys
        assert again.schema_version() >= 6
    finally:
        again.close()
