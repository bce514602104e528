"""The store's scan functions: file rows, events, page order, regions, texts and views."""

from __future__ import annotations

import pytest

from archivist.core.errors import InvalidValue, NotFound
from archivist.store import media as sm
from archivist.store import records
from archivist.store.audit import list_changes
from archivist.store.pages import add_page, pages_of, regions_of, texts_of

SHA = [c * 64 for c in "abc"]



@pytest.fixture
def rec(cat):
    return records.create_record(cat, title="Letter", level="item")


@pytest.fixture
def pages(cat, rec):
    ids = []
    for sha in SHA:
        fid, created = sm.ensure_file_row(cat, sha256=sha, ext="jpg", size=10,
                                          info={"format": "JPEG", "width": 4, "height": 3},
                                          original_name=f"{sha[0]}.jpg")
        assert created
        ids.append(add_page(cat, rec, fid))
    return ids


def test_ensure_file_row_finds_existing(cat):
    first, created = sm.ensure_file_row(cat, sha256=SHA[0], ext="jpg", size=1, info={},
                                        original_name="a.jpg")
    again, created_again = sm.ensure_file_row(cat, sha256=SHA[0], ext="jpg", size=1, info={},
                                              original_name="other.jpg")
    assert created and not created_again and first == again
    assert sm.find_file(cat, SHA[0])["original_name"] == "a.jpg"
    assert sm.find_file(cat, SHA[1]) is None
    assert sm.known_files(cat) == [(SHA[0], "jpg")]
    with pytest.raises(NotFound):
        sm.get_file(cat, 999)


def test_events_are_listed_newest_first_and_filtered(cat):
    fid, _ = sm.ensure_file_row(cat, sha256=SHA[0], ext="jpg", size=1, info={}, original_name=None)
    sm.log_event(cat, "ingestion", file_id=fid, detail={"sha256": SHA[0]})
    sm.log_event(cat, "fixity check", outcome="failure")
    events = sm.list_events(cat)
    assert [e["kind"] for e in events] == ["fixity check", "ingestion"]
    assert sm.list_events(cat, file_id=fid)[0]["detail"] == {"sha256": SHA[0]}
    assert sm.list_events(cat, kind="fixity check")[0]["outcome"] == "failure"
    assert all(e["agent"] == "tester" for e in events)


def test_file_usage_and_record_has_page(cat, rec, pages):
    fid = sm.find_file(cat, SHA[1])["id"]
    assert sm.file_usage(cat, fid) == [{"id": rec, "reference_code": None, "title": "Letter"}]
    assert sm.record_has_page(cat, rec, fid, 0) and not sm.record_has_page(cat, rec, fid, 1)
    assert sorted(sm.all_page_refs(cat)) == [(s, "jpg", 0) for s in SHA]


def test_move_page_reorders_and_is_audited(cat, rec, pages):
    sm.move_page(cat, pages[2], 0)
    assert [p["id"] for p in pages_of(cat, rec)] == [pages[2], pages[0], pages[1]]
    sm.move_page(cat, pages[2], 99)
    assert [p["id"] for p in pages_of(cat, rec)] == [pages[0], pages[1], pages[2]]
    assert list_changes(cat, rec)[0].action == "move_page"


def test_remove_page_keeps_the_file(cat, rec, pages):
    changes = sm.remove_page(cat, pages[0])
    assert rec in changes.media
    assert [p["id"] for p in pages_of(cat, rec)] == pages[1:]
    assert sm.find_file(cat, SHA[0]) is not None


def test_regions_add_update_delete(cat, rec, pages):
    rid = sm.add_region(cat, pages[0], 0.1, 0.2, 0.3, 0.4, title="Stamp")
    sm.update_region(cat, rid, {"transcription": "Approved", "w": 0.5})
    (region,) = regions_of(cat, pages[0])
    assert (region["title"], region["transcription"], region["w"]) == ("Stamp", "Approved", 0.5)
    assert list_changes(cat, rec)[0].action == "update_region"
    sm.delete_region(cat, rid)
    assert regions_of(cat, pages[0]) == []
    with pytest.raises(NotFound):
        sm.delete_region(cat, rid)


@pytest.mark.parametrize("box", [(0.5, 0.5, 0.6, 0.1), (-0.1, 0, 0.5, 0.5), (0, 0, 0, 0.5)])
def test_regions_must_lie_inside_the_page(cat, rec, pages, box):
    with pytest.raises(InvalidValue):
        sm.add_region(cat, pages[0], *box)


def test_texts_upsert_by_kind_and_language(cat, rec, pages):
    t1 = sm.save_page_text(cat, pages[0], "transcription", "سلام", language="prs")
    t2 = sm.save_page_text(cat, pages[0], "transcription", "سلام علیکم", language="prs")
    t3 = sm.save_page_text(cat, pages[0], "translation", "Hello", language="en")
    assert t1 == t2 and t3 != t1
    texts = texts_of(cat, pages[0])
    assert [(t["kind"], t["language"], t["text"]) for t in texts] == [
        ("transcription", "prs", "سلام علیکم"), ("translation", "en", "Hello")]
    sm.delete_page_text(cat, t3)
    assert len(texts_of(cat, pages[0])) == 1
    with pytest.raises(InvalidValue):
        sm.save_page_text(cat, pages[0], "caption", "x")


def test_page_view_is_remembered(cat, rec, pages):
    sm.set_page_view(cat, pages[1], {"rotation": 90, "brightness": 10})
    assert pages_of(cat, rec)[1]["view"] == {"rotation": 90, "brightness": 10}
    with pytest.raises(NotFound):
        sm.set_page_view(cat, 999, {})


def test_purge_unused_files_removes_rows_then_files(cat, rec, pages, tmp_path):
    from archivist.media import filestore

    src = tmp_path / "a.bin"
    src.write_bytes(b"scan bytes")
    stored = filestore.put_file(cat.path, src, ext="jpg")
    fid, _ = sm.ensure_file_row(cat, sha256=stored.sha256, ext="jpg", size=stored.size, info={},
                                original_name="a.jpg")
    assert [f["id"] for f in sm.unused_files(cat)] == [fid]
    gone = sm.purge_unused_files(cat)
    assert [f["sha256"] for f in gone] == [stored.sha256]
    assert sm.find_file(cat, stored.sha256) is None and not stored.path.exists()
    assert len(sm.list_files(cat)) == 3  # the files with pages stay
    assert list_changes(cat)[0].action == "purge_file"
