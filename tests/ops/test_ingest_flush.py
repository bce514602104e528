"""Ingest's early flush: copies are flushed on a flushing thread, and its failures stop the batch."""

from __future__ import annotations

import errno
import threading

import pytest

from archivist.core.errors import DiskFull
from archivist.media import filestore
from archivist.ops.ingest import ingest
from archivist.store import media as store_media
from archivist.store import records
from archivist.store.pages import pages_of
from tests.media import imagefactory as f



@pytest.fixture
def item(cat):
    return records.create_record(cat, title="Letter", level="item")


@pytest.fixture
def scans(tmp_path):
    folder = tmp_path / "scans"
    return [f.jpeg(folder / f"p{i}.jpg", size=(60 + i, 40)) for i in range(4)]


def test_each_new_copy_is_flushed_on_the_flushing_thread_before_its_row(cat, item, scans,
                                                                        monkeypatch):
    real = filestore.flush_file
    early: dict[str, str] = {}

    def recording(path):
        sha = path.name.partition(".")[0]
        if sha not in early:  # the first flush of a copy is the early one
            assert store_media.find_file(cat, sha) is None  # no row yet
            early[sha] = threading.current_thread().name
        real(path)

    monkeypatch.setattr(filestore, "flush_file", recording)
    report = ingest(cat, scans, record_id=item, workers=2)
    assert len(report.ingested) == 4
    stored = {r["sha256"] for r in store_media.list_files(cat)}
    assert set(early) == stored
    assert all(name.startswith("ingest-flush") for name in early.values())


def test_a_failed_early_flush_commits_no_row_and_leaves_no_stray(cat, item, scans, monkeypatch):
    def failing(path):
        raise DiskFull("The disk is full")

    monkeypatch.setattr(filestore, "flush_file", failing)
    with pytest.raises(DiskFull):
        ingest(cat, scans, record_id=item, workers=2)
    assert pages_of(cat, item) == [] and store_media.list_files(cat) == []
    assert list(filestore.iter_stored(cat.path)) == []


def test_flush_file_names_a_full_disk(tmp_path, monkeypatch):
    path = tmp_path / "x.bin"
    path.write_bytes(b"x")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filestore.os, "fsync", no_space)
    with pytest.raises(DiskFull):
        filestore.flush_file(path)
