"""Ingest: pages in natural order, fixity rows and events, duplicates, bad files, cancel, crashes."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap

import pytest
from PIL import Image

from archivist.core.errors import InvalidHierarchy, InvalidValue
from archivist.media import derivatives, filestore, locks
from archivist.ops.ingest import collect_files, ingest, make_previews
from archivist.store import hierarchy, media as store_media
from archivist.store import records
from archivist.store.catalogue import open_catalogue
from archivist.store.pages import pages_of
from tests.media import imagefactory as f



@pytest.fixture
def ids(cat):
    fonds = records.create_record(cat, title="Papers", level="fonds", identifier="P")
    series = records.create_record(cat, title="Scans", level="series", parent_id=fonds, identifier="1")
    item = records.create_record(cat, title="Letter", level="item", parent_id=series, identifier="1")
    return {"fonds": fonds, "series": series, "item": item}


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "scans"
    f.jpeg(src / "page10.jpg", size=(80, 60), orientation=6, make="Epson", dpi=(600, 600))
    f.jpeg(src / "page2.jpg", size=(70, 50))
    f.save(f.gradient((40, 30)), src / "Page1.png", "PNG")
    f.tiff_pages(src / "page3.tif", [(30, 40), (40, 30)], compression="tiff_lzw")
    f.pdf_pages(src / "page4.pdf", [(72, 100)])
    (src / ".hidden.jpg").write_bytes((src / "page2.jpg").read_bytes())
    (src / "Thumbs.db").write_bytes(b"junk")
    return src


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def consistent(cat) -> None:
    """Every row has its file and every stored file has its row."""
    known = store_media.known_files(cat)
    assert all(filestore.path_for(cat.path, s, e).is_file() for s, e in known)
    assert filestore.list_stray_files(cat.path, known) == []


def test_collect_files_natural_order_skips_clutter(folder):
    names = [p.name for p in collect_files([folder])]
    assert names == ["Page1.png", "page2.jpg", "page3.tif", "page4.pdf", "page10.jpg"]


def test_collect_files_refuses_a_missing_path(tmp_path):
    with pytest.raises(InvalidValue, match="does not exist"):
        collect_files([tmp_path / "nope"])


def test_folder_becomes_pages_of_one_record_in_order(cat, ids, folder):
    seen = []
    report = ingest(cat, [folder], record_id=ids["item"], progress=lambda d, t: seen.append((d, t)),
                    workers=2)

    assert report.refused == [] and not report.cancelled
    assert report.page_count == 6  # PNG, JPEG, two TIFF pages, PDF, JPEG
    assert seen == [(n, 5) for n in range(6)]
    pages = pages_of(cat, ids["item"])
    assert [p["original_name"] for p in pages] == [
        "Page1.png", "page2.jpg", "page3.tif", "page3.tif", "page4.pdf", "page10.jpg"]
    assert [p["page_index"] for p in pages] == [0, 0, 0, 1, 0, 0]
    last = pages[-1]
    assert (last["width"], last["height"]) == (60, 80)  # upright: orientation 6
    assert last["sha256"] == sha(folder / "page10.jpg")
    consistent(cat)


def test_file_rows_hold_fixity_and_technical_metadata(cat, ids, folder):
    ingest(cat, [folder / "page10.jpg"], record_id=ids["item"])
    row = store_media.find_file(cat, sha(folder / "page10.jpg"))
    assert row["size"] == (folder / "page10.jpg").stat().st_size
    assert (row["format"], row["ext"], row["width"], row["height"]) == ("JPEG", "jpg", 60, 80)
    assert (row["dpi_x"], row["orientation"], row["page_count"]) == (600, 6, 1)
    assert row["capture"]["make"] == "Epson"
    assert row["original_name"] == "page10.jpg" and row["added_by"] == "tester"
    stored = filestore.path_for(cat.path, row["sha256"], "jpg")
    assert stored.read_bytes() == (folder / "page10.jpg").read_bytes()


def test_ingestion_event_records_who_when_and_checksum(cat, ids, folder):
    ingest(cat, [folder / "page2.jpg"], record_id=ids["item"])
    (event,) = store_media.list_events(cat, kind=store_media.EVENT_INGESTION)
    assert event["agent"] == "tester" and event["outcome"] == "success" and event["at"]
    assert event["detail"]["sha256"] == sha(folder / "page2.jpg")
    assert event["detail"]["algorithm"] == "SHA-256"


def test_derivatives_are_made_for_every_page(cat, ids, folder):
    ingest(cat, [folder / "page3.tif"], record_id=ids["item"])
    digest = sha(folder / "page3.tif")
    for index in (0, 1):
        for kind in derivatives.KINDS:
            assert derivatives.cache_path(cat.cache_dir, digest, index, kind).is_file()


def test_jpeg_and_pdf_previews_are_left_for_a_background_pass(cat, ids, folder):
    report = ingest(cat, [folder / "page2.jpg", folder / "page4.pdf", folder / "Page1.png"],
                    record_id=ids["item"])
    pending = {(p.sha256, p.page_index) for p in report.previews_pending}
    assert pending == {(sha(folder / "page2.jpg"), 0), (sha(folder / "page4.pdf"), 0)}
    png = sha(folder / "Page1.png")
    assert derivatives.cache_path(cat.cache_dir, png, 0, "preview").is_file()  # decoded in full anyway
    for ref in report.previews_pending:
        assert derivatives.cache_path(cat.cache_dir, ref.sha256, 0, "thumb").is_file()
        assert not derivatives.cache_path(cat.cache_dir, ref.sha256, 0, "preview").is_file()

    done = make_previews(cat, report.previews_pending)

    assert set(done.made) == set(report.previews_pending) and not done.failed
    for ref in report.previews_pending:
        assert derivatives.cache_path(cat.cache_dir, ref.sha256, 0, "preview").is_file()


def test_previews_can_be_made_during_ingest(cat, ids, folder):
    report = ingest(cat, [folder / "page2.jpg"], record_id=ids["item"], previews=True)
    assert report.previews_pending == []
    assert derivatives.cache_path(cat.cache_dir, sha(folder / "page2.jpg"), 0, "preview").is_file()


def test_one_record_per_file_under_a_parent(cat, ids, folder):
    report = ingest(cat, [folder / "page10.jpg", folder / "page2.jpg"], parent_id=ids["series"])
    children = hierarchy.child_ids(cat, ids["series"])
    new = [c for c in children if c != ids["item"]]
    assert new == report.created_records
    assert [records.get_record(cat, r).title for r in new] == ["page10", "page2"]
    assert all(records.get_record(cat, r).level == "item" for r in new)
    assert [len(pages_of(cat, r)) for r in new] == [1, 1]


def test_parent_that_cannot_hold_items_is_refused_before_anything(cat, ids, folder):
    with pytest.raises(InvalidHierarchy):
        ingest(cat, [folder], parent_id=ids["item"])
    assert store_media.list_files(cat) == []


def test_needs_exactly_one_target(cat, ids, folder):
    with pytest.raises(InvalidValue):
        ingest(cat, [folder])
    with pytest.raises(InvalidValue):
        ingest(cat, [folder], record_id=ids["item"], parent_id=ids["series"])


def test_duplicates_are_stored_once_and_reported(cat, ids, folder, tmp_path):
    copy = tmp_path / "copy of page2.jpg"
    copy.write_bytes((folder / "page2.jpg").read_bytes())

    first = ingest(cat, [folder / "page2.jpg", copy], record_id=ids["item"])
    assert [i.duplicate for i in first.ingested] == [False, True]
    assert len(pages_of(cat, ids["item"])) == 1  # the same page is not added twice to a record
    assert len(store_media.list_files(cat)) == 1

    other = records.create_record(cat, title="Annex", level="item", parent_id=ids["series"])
    again = ingest(cat, [copy], record_id=other)
    assert again.duplicates and len(pages_of(cat, other)) == 1
    assert len(list(filestore.iter_stored(cat.path))) == 1
    assert "already in the catalogue" in again.summary()
    outcomes = [e["outcome"] for e in store_media.list_events(cat, kind="ingestion")]
    assert outcomes.count("duplicate") == 2
    consistent(cat)


def test_bad_files_are_refused_by_name_and_the_rest_goes_on(cat, ids, folder, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a-empty.jpg").write_bytes(b"")
    (bad / "b-notes.jpg").write_text("not a scan")
    noisy = f.save(Image.effect_noise((300, 200), 60).convert("RGB"), tmp_path / "w.jpg", "JPEG")
    f.truncated(noisy, bad / "c-cut.jpg")
    f.png_header_only(bad / "d-bomb.png", 50_000, 50_000)
    f.jpeg(bad / "e-good.jpg")

    report = ingest(cat, [bad], record_id=ids["item"])

    reasons = {r.path.name: r.reason for r in report.refused}
    assert set(reasons) == {"a-empty.jpg", "b-notes.jpg", "c-cut.jpg", "d-bomb.png"}
    assert "empty" in reasons["a-empty.jpg"]
    assert "not an image" in reasons["b-notes.jpg"]
    assert "truncated or corrupt" in reasons["c-cut.jpg"]
    assert "too large" in reasons["d-bomb.png"]
    assert [i.path.name for i in report.ingested] == ["e-good.jpg"]
    assert "4 refused" in report.summary()
    assert len(store_media.list_files(cat)) == 1
    consistent(cat)
    assert [p for p in cat.cache_dir.rglob("*") if p.is_file() and p.suffix == ".tmp"] == []


def test_cancel_leaves_whole_files_only(cat, ids, tmp_path):
    src = tmp_path / "many"
    for i in range(10):
        f.jpeg(src / f"p{i:02}.jpg", size=(60 + i, 40))
    done = []

    report = ingest(cat, [src], record_id=ids["item"], progress=lambda d, t: done.append(d),
                    cancelled=lambda: len(done) > 2, workers=1)

    assert report.cancelled
    assert 1 <= len(report.ingested) < 10
    names = [p["original_name"] for p in pages_of(cat, ids["item"])]
    assert names == [f"p{i:02}.jpg" for i in range(len(names))]
    assert len(names) == len(report.ingested)
    assert "cancelled" in report.summary()
    consistent(cat)


def test_failure_while_writing_rows_leaves_no_stray_file(cat, ids, folder, monkeypatch):
    real = store_media.log_event
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(store_media, "log_event", failing)
    with pytest.raises(RuntimeError):
        ingest(cat, [folder / "page2.jpg", folder / "page10.jpg", folder / "Page1.png"],
               record_id=ids["item"], workers=2)
    assert [p["original_name"] for p in pages_of(cat, ids["item"])] == ["page2.jpg"]
    consistent(cat)


def test_reconcile_removes_leftovers_of_a_crash(cat, ids, folder):
    ingest(cat, [folder / "page2.jpg"], record_id=ids["item"])
    orphan = filestore.put_file(cat.path, folder / "page10.jpg")
    part = filestore.media_root(cat.path) / ".incoming" / "tmp123.part"
    part.write_bytes(b"half")

    result = store_media.reconcile(cat)

    assert sorted(result.removed) == sorted([orphan.path, part])
    assert result.missing == [] and not result.skipped
    consistent(cat)
    assert len(pages_of(cat, ids["item"])) == 1


def test_reconcile_leaves_a_running_ingest_alone(cat, folder):
    orphan = filestore.put_file(cat.path, folder / "page2.jpg")
    with locks.ingesting(cat.path):
        result = store_media.reconcile(cat)
    assert result.skipped and orphan.path.exists()


def test_reconcile_reports_rows_without_files(cat, ids, folder):
    ingest(cat, [folder / "page2.jpg"], record_id=ids["item"])
    (row,) = store_media.list_files(cat)
    path = filestore.path_for(cat.path, row["sha256"], row["ext"])
    path.unlink()
    result = store_media.reconcile(cat)
    assert result.missing == [(row["sha256"], "jpg", "page2.jpg")]
    assert store_media.find_file(cat, row["sha256"]) is not None  # rows are never dropped


def test_a_killed_ingest_leaves_a_consistent_catalogue(cat, ids, tmp_path):
    src = tmp_path / "batch"
    for i in range(4):
        f.jpeg(src / f"p{i}.jpg", size=(50 + i, 40))
    cat.close()
    script = textwrap.dedent(f"""
        import os
        from archivist.store import media as store_media
        from archivist.store.catalogue import open_catalogue
        from archivist.ops.ingest import ingest
        real, calls = store_media.log_event, []
        def dying(*a, **k):
            calls.append(1)
            if len(calls) == 3:
                os._exit(9)   # killed in the middle of the third file's transaction
            return real(*a, **k)
        store_media.log_event = dying
        cat = open_catalogue({str(cat.path)!r})
        ingest(cat, [{str(src)!r}], record_id={ids['item']}, workers=2)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr

    again = open_catalogue(cat.path)
    try:
        store_media.reconcile(again)
        names = [p["original_name"] for p in pages_of(again, ids["item"])]
        assert names == ["p0.jpg", "p1.jpg"]
        consistent(again)
        assert len(store_media.list_files(again)) == 2
    finally:
        again.close()


def test_tasks_have_the_runner_shape(cat, ids, folder):
    from archivist.ops.ingest import ingest_task, previews_task

    seen = []
    report = ingest_task([folder / "page2.jpg"], record_id=ids["item"])(
        cat, lambda d, t: seen.append((d, t)), lambda: False)
    assert report.page_count == 1 and seen[-1] == (1, 1)
    done = previews_task(report.previews_pending)(cat, lambda d, t: None, lambda: False)
    assert len(done.made) == 1


def test_disk_full_stops_the_batch_and_keeps_what_was_finished(cat, ids, folder, monkeypatch):
    import errno

    from archivist.core.errors import DiskFull

    real = filestore.copy_and_hash
    calls = []

    def filling(src, dst):
        calls.append(src)
        if len(calls) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(filestore, "copy_and_hash", filling)
    with pytest.raises(DiskFull):
        ingest(cat, [folder / "page2.jpg", folder / "page10.jpg", folder / "Page1.png"],
               record_id=ids["item"], workers=1)
    assert [p["original_name"] for p in pages_of(cat, ids["item"])] == ["page2.jpg"]
    consistent(cat)


def test_every_stored_file_is_flushed_before_its_row_commits(cat, ids, folder, monkeypatch):
    real = filestore.sync_stored
    flushed = []

    def recording(paths):
        paths = list(paths)
        for path in paths:
            sha = path.name.partition(".")[0]
            assert store_media.find_file(cat, sha) is None  # no row yet
        real(paths)
        flushed.extend(paths)

    monkeypatch.setattr(filestore, "sync_stored", recording)
    report = ingest(cat, [folder / "page2.jpg", folder / "page10.jpg", folder / "Page1.png"],
                    record_id=ids["item"], workers=2)
    assert len(report.ingested) == 3
    stored = {filestore.path_for(cat.path, r["sha256"], r["ext"]) for r in store_media.list_files(cat)}
    assert stored and stored <= set(flushed)
    consistent(cat)


def test_a_failed_flush_commits_no_row_and_leaves_no_stray(cat, ids, folder, monkeypatch):
    from archivist.core.errors import DiskFull

    def full(paths):
        raise DiskFull("The disk is full")

    monkeypatch.setattr(filestore, "sync_stored", full)
    with pytest.raises(DiskFull):
        ingest(cat, [folder / "page2.jpg", folder / "page10.jpg"], record_id=ids["item"], workers=2)
    assert pages_of(cat, ids["item"]) == [] and store_media.list_files(cat) == []
    assert list(filestore.iter_stored(cat.path)) == []
    consistent(cat)
