"""The content-addressed store: atomic put, dedup, fixity, strays."""

from __future__ import annotations

import errno
import hashlib
import os
import stat

import pytest

from archivist.core.errors import DiskFull
from archivist.media import filestore
from archivist.media.filestore import Fixity
from tests.media import imagefactory


@pytest.fixture
def scan(tmp_path):
    return imagefactory.jpeg(tmp_path / "in" / "Scan 001.JPEG")


@pytest.fixture
def cat(tmp_path):
    path = tmp_path / "Test.archivist"
    path.mkdir()
    return path


def test_put_stores_at_content_address_and_leaves_original_alone(cat, scan):
    before = scan.read_bytes()
    mtime = scan.stat().st_mtime_ns
    stored = filestore.put_file(cat, scan)

    digest = hashlib.sha256(before).hexdigest()
    assert stored.sha256 == digest
    assert stored.ext == "jpg"
    assert stored.size == len(before)
    assert not stored.duplicate
    assert stored.path == cat / "media" / digest[:2] / digest[2:4] / f"{digest}.jpg"
    assert stored.path.read_bytes() == before
    assert scan.read_bytes() == before and scan.stat().st_mtime_ns == mtime
    assert not stored.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert list((cat / "media" / ".incoming").iterdir()) == []


def test_same_content_twice_is_stored_once_and_reported(cat, scan, tmp_path):
    copy = tmp_path / "other name.jpg"
    copy.write_bytes(scan.read_bytes())

    first = filestore.put_file(cat, scan)
    second = filestore.put_file(cat, copy)

    assert second.duplicate and not first.duplicate
    assert second.path == first.path
    assert len(list(filestore.iter_stored(cat))) == 1
    assert list((cat / "media" / ".incoming").iterdir()) == []


def test_damaged_stored_copy_of_wrong_size_is_replaced_by_a_new_put(cat, scan):
    first = filestore.put_file(cat, scan)
    first.path.chmod(0o644)
    first.path.write_bytes(b"short")

    again = filestore.put_file(cat, scan)

    assert not again.duplicate
    assert filestore.verify_file(cat, first.sha256, "jpg") is Fixity.OK


def test_explicit_extension_is_normalised(cat, scan):
    stored = filestore.put_file(cat, scan, ext=".TIFF")
    assert stored.ext == "tif" and stored.path.suffix == ".tif"


@pytest.mark.parametrize("bad", ["../x", "a/b", "tíf", "x" * 9])
def test_unsafe_extensions_are_refused(bad):
    with pytest.raises(ValueError):
        filestore.normalise_ext(bad)


def test_path_for_refuses_a_malformed_checksum(cat):
    with pytest.raises(ValueError):
        filestore.path_for(cat, "../../etc/passwd", "jpg")


def test_verify_finds_ok_changed_and_missing(cat, scan, tmp_path):
    stored = filestore.put_file(cat, scan)
    assert filestore.verify_file(cat, stored.sha256, stored.ext) is Fixity.OK

    imagefactory.flip_byte(stored.path)
    assert filestore.verify_file(cat, stored.sha256, stored.ext) is Fixity.CHANGED

    stored.path.unlink()
    assert filestore.verify_file(cat, stored.sha256, stored.ext) is Fixity.MISSING


def test_disk_full_while_copying_leaves_no_partial_file(cat, scan, monkeypatch):
    def full(src, dst):
        dst.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filestore, "copy_and_hash", full)
    with pytest.raises(DiskFull, match="Scan 001.JPEG"):
        filestore.put_file(cat, scan)
    assert [p for p in (cat / "media").rglob("*") if p.is_file()] == []
    assert filestore.list_stray_files(cat, []) == []


def test_unreadable_source_raises_oserror_and_leaves_nothing(cat, tmp_path):
    with pytest.raises(FileNotFoundError):
        filestore.put_file(cat, tmp_path / "nope.jpg")
    assert filestore.list_stray_files(cat, []) == []


def test_strays_are_leftover_parts_and_unknown_files(cat, scan, tmp_path):
    kept = filestore.put_file(cat, scan)
    other_src = imagefactory.jpeg(tmp_path / "b.jpg", size=(30, 30))
    orphan = filestore.put_file(cat, other_src)
    part = cat / "media" / ".incoming" / "tmpabc.part"
    part.write_bytes(b"half a scan")

    strays = filestore.list_stray_files(cat, [(kept.sha256, kept.ext)])

    assert strays == sorted([orphan.path, part])
    for path in strays:
        filestore.remove_stray(path)
    assert filestore.list_stray_files(cat, [(kept.sha256, kept.ext)]) == []
    assert kept.path.exists()


def test_remove_file_deletes_and_prunes_empty_folders(cat, scan):
    stored = filestore.put_file(cat, scan)
    assert filestore.remove_file(cat, stored.sha256, stored.ext) is True
    assert not stored.path.exists()
    assert not stored.path.parent.exists()
    assert filestore.remove_file(cat, stored.sha256, stored.ext) is False


def test_remove_stray_refuses_paths_outside_media(tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    with pytest.raises(Exception):
        filestore.remove_stray(victim)
    assert victim.exists()


def test_iter_stored_ignores_misplaced_files(cat, scan):
    stored = filestore.put_file(cat, scan)
    wrong = cat / "media" / "00" / "00" / f"{stored.sha256}.jpg"
    wrong.parent.mkdir(parents=True)
    wrong.write_bytes(b"x")
    assert [(s, e) for s, e, _ in filestore.iter_stored(cat)] == [(stored.sha256, "jpg")]
    assert os.fspath(wrong) in map(os.fspath, filestore.list_stray_files(cat, [(stored.sha256, "jpg")]))


def test_put_without_sync_then_sync_stored_flushes_each_file_and_folder(cat, scan, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(filestore.os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    stored = filestore.put_file(cat, scan, sync=False)
    assert synced == [] and stored.path.read_bytes() == scan.read_bytes()
    filestore.sync_stored([stored.path, stored.path])
    assert len(synced) == 2  # the file, then its folder once


def test_sync_stored_of_a_missing_file_raises(cat, tmp_path):
    with pytest.raises(OSError):
        filestore.sync_stored([tmp_path / "gone.jpg"])


def test_sync_stored_on_a_full_disk_is_disk_full(cat, scan, monkeypatch):
    stored = filestore.put_file(cat, scan, sync=False)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filestore.os, "fsync", full)
    with pytest.raises(DiskFull, match="disk is full"):
        filestore.sync_stored([stored.path])
