"""``archivist ingest`` and ``archivist verify`` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from archivist.cli.main import main
from archivist.media import derivatives, filestore
from archivist.store import media as store_media
from archivist.store import records
from archivist.store.catalogue import create_catalogue, open_catalogue
from archivist.store.pages import pages_of
from tests.media import imagefactory as f


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "c.archivist"
    with create_catalogue(path, user="tester") as cat:
        fonds = records.create_record(cat, title="Papers", level="fonds", identifier="P")
        records.create_record(cat, title="Series", level="series", parent_id=fonds, identifier="1")
        records.create_record(cat, title="Letter", level="item", parent_id=fonds, identifier="L")
    return path


@pytest.fixture
def scans(tmp_path):
    src = tmp_path / "scans"
    f.jpeg(src / "p10.jpg", size=(50, 40))
    f.jpeg(src / "p2.jpg", size=(40, 50))
    return src


def test_ingest_into_a_record_then_verify(catalogue, scans, capsys):
    assert main(["ingest", "-c", str(catalogue), str(scans), "--record", "P-L"]) == 0
    out = capsys.readouterr().out
    assert "2 page(s) from 2 file(s)" in out and "2 preview(s) made" in out
    with open_catalogue(catalogue) as cat:
        rid = records.resolve_record(cat, "P-L")
        pages = pages_of(cat, rid)
        assert [p["original_name"] for p in pages] == ["p2.jpg", "p10.jpg"]
        assert all(derivatives.cache_path(cat.cache_dir, p["sha256"], 0, "preview").is_file()
                   for p in pages)

    assert main(["verify", "-c", str(catalogue)]) == 0
    assert "2 of 2 file(s) checked: 0 missing, 0 changed" in capsys.readouterr().out


def test_no_previews_leaves_them_for_later(catalogue, scans, capsys):
    assert main(["ingest", "-c", str(catalogue), str(scans), "--record", "P-L", "--no-previews",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["previews_made"] == 0
    assert not list((catalogue / "cache" / "preview").rglob("*.jpg"))
    assert len(list((catalogue / "cache" / "thumb").rglob("*.jpg"))) == 2


def test_duplicate_is_reported(catalogue, scans, capsys):
    main(["ingest", "-c", str(catalogue), str(scans / "p2.jpg"), "--record", "P-L"])
    capsys.readouterr()
    assert main(["ingest", "-c", str(catalogue), str(scans / "p2.jpg"), "--record", "P-1"]) == 0
    assert "already in the catalogue (stored once)" in capsys.readouterr().out


def test_one_record_per_file_json(catalogue, scans, capsys):
    code = main(["ingest", "-c", str(catalogue), str(scans), "--parent", "P-1",
                 "--one-record-per-file", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["pages"] == 2 and len(data["created_records"]) == 2
    assert [os.path.basename(x["path"]) for x in data["files"]] == ["p2.jpg", "p10.jpg"]


def test_parent_needs_one_record_per_file(catalogue, scans, capsys):
    assert main(["ingest", "-c", str(catalogue), str(scans), "--parent", "P-1"]) == 1
    assert "--one-record-per-file" in capsys.readouterr().err


def test_refused_file_exits_1_and_is_named(catalogue, scans, capsys):
    (scans / "empty.jpg").write_bytes(b"")
    assert main(["ingest", "-c", str(catalogue), str(scans), "--record", "P-L"]) == 1
    captured = capsys.readouterr()
    assert "refused" in captured.err and "empty.jpg" in captured.err and "empty" in captured.err
    assert "2 page(s) from 2 file(s)" in captured.out and "1 refused" in captured.out


def test_verify_exits_1_and_names_damaged_files(catalogue, scans, capsys):
    main(["ingest", "-c", str(catalogue), str(scans), "--record", "P-L"])
    with open_catalogue(catalogue) as cat:
        rows = {r["original_name"]: r for r in store_media.list_files(cat)}
    f.flip_byte(filestore.path_for(catalogue, rows["p2.jpg"]["sha256"], "jpg"))
    filestore.path_for(catalogue, rows["p10.jpg"]["sha256"], "jpg").unlink()
    capsys.readouterr()

    assert main(["verify", "-c", str(catalogue)]) == 1
    out = capsys.readouterr().out
    assert "CHANGED: p2.jpg (in P-L)" in out and "MISSING: p10.jpg (in P-L)" in out


def test_commands_run_headless_in_a_subprocess(catalogue, scans):
    code = ("import sys; from archivist.cli.main import main; rc = main(sys.argv[1:]);"
            " assert 'PySide6' not in sys.modules, 'Qt was imported'; sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, "ingest", "-c", str(catalogue), str(scans),
                           "--record", "P-L"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, "-c", code, "verify", "-c", str(catalogue)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
