"""Fixity check: a flipped byte and a missing file are found and named; events are logged."""

from __future__ import annotations

import pytest

from archivist.media import filestore
from archivist.ops.ingest import ingest
from archivist.ops.verify import verify
from archivist.store import media as store_media
from archivist.store import records
from tests.media import imagefactory as f



@pytest.fixture
def filled(cat, tmp_path):
    fonds = records.create_record(cat, title="Papers", level="fonds", identifier="P")
    item = records.create_record(cat, title="Letter", level="item", parent_id=fonds, identifier="7")
    src = tmp_path / "src"
    for i in range(4):
        f.jpeg(src / f"scan{i}.jpg", size=(40 + i, 30))
    ingest(cat, [src], record_id=item)
    return {row["original_name"]: row for row in store_media.list_files(cat)}


def stored(cat, row):
    return filestore.path_for(cat.path, row["sha256"], row["ext"])


def test_all_good(cat, filled):
    seen = []
    report = verify(cat, progress=lambda d, t: seen.append((d, t)), workers=2)
    assert report.ok and report.checked == report.total == 4
    assert seen == [(n, 4) for n in range(5)]
    (event,) = store_media.list_events(cat, kind=store_media.EVENT_FIXITY)
    assert event["outcome"] == "success" and event["file_id"] is None
    assert event["detail"]["checked"] == 4 and event["agent"] == "tester"


def test_flipped_byte_and_missing_file_are_named(cat, filled):
    f.flip_byte(stored(cat, filled["scan1.jpg"]))
    stored(cat, filled["scan3.jpg"]).unlink()

    report = verify(cat)

    assert not report.ok
    found = {(p.original_name, p.status) for p in report.problems}
    assert found == {("scan1.jpg", "changed"), ("scan3.jpg", "missing")}
    assert all(p.records == ("P-7",) for p in report.problems)
    assert "1 missing, 1 changed" in report.summary()
    line = next(p for p in report.problems if p.status == "changed").describe()
    assert "CHANGED" in line and "scan1.jpg" in line and "P-7" in line
    events = store_media.list_events(cat, kind=store_media.EVENT_FIXITY)
    failures = {(e["file_id"], e["detail"].get("status")) for e in events if e["file_id"]}
    assert failures == {(filled["scan1.jpg"]["id"], "changed"), (filled["scan3.jpg"]["id"], "missing")}
    summary = next(e for e in events if e["file_id"] is None)
    assert summary["outcome"] == "failure" and summary["detail"]["missing"] == 1


def test_cancel_stops_early(cat, filled):
    done = []
    report = verify(cat, progress=lambda d, t: done.append(d), cancelled=lambda: len(done) > 1, workers=1)
    assert report.cancelled and 1 <= report.checked < 4
    assert "cancelled" in report.summary()


def test_empty_catalogue(cat):
    report = verify(cat)
    assert report.ok and report.total == 0 and not report.cancelled


def test_verify_task_has_the_runner_shape(cat, filled):
    from archivist.ops.verify import verify_task

    report = verify_task(cat, lambda d, t: None, lambda: False)
    assert report.ok and report.checked == 4
