"""Imports through the lead's native importer: all or nothing, dry run, no duplicates."""

import csv
import io
import json
from pathlib import Path

import pytest

from archivist.core.errors import ArchivistError, ImportRefused
from archivist.ops.demo import build_demo
from archivist.ops.exchange.ead3_read import read_ead3
from archivist.ops.export import export
from archivist.ops.import_formats import guess_format, import_file
from archivist.store import hierarchy
from archivist.store.catalogue import create_catalogue, open_catalogue

ATOM = Path(__file__).resolve().parents[3].parent / "shared" / "interop" / "atom"


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    try:
        return build_demo(tmp_path_factory.mktemp("demo") / "K.archivist")
    except ArchivistError as exc:
        pytest.skip(f"the sample archive does not build here: {exc}")


@pytest.fixture
def demo(demo_path):
    cat = open_catalogue(demo_path)
    yield cat
    cat.close()


@pytest.fixture
def empty(tmp_path):
    cat = create_catalogue(tmp_path / "E.archivist", user="tester")
    yield cat
    cat.close()


def _rows(path):
    return {r["uuid"]: r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}


def test_csv_round_trip_into_an_empty_catalogue(demo, empty, tmp_path):
    first = tmp_path / "first.csv"
    # authorities travel in native JSON, records in CSV
    export(demo, "json", tmp_path / "all.json")
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    doc["records"] = []
    (tmp_path / "auth.json").write_text(json.dumps(doc), encoding="utf-8")
    import_file(empty, tmp_path / "auth.json", "json")
    export(demo, "csv", first)
    outcome = import_file(empty, first, "csv")
    assert outcome.report.created_records == len(_rows(first))
    second = tmp_path / "second.csv"
    export(empty, "csv", second)
    a, b = _rows(first), _rows(second)
    assert a.keys() == b.keys()
    for uid, row in a.items():
        for key, value in row.items():
            if key != "media":
                assert b[uid][key] == value, (uid, key)


def test_reimport_does_not_duplicate_and_dry_run_writes_nothing(demo, tmp_path):
    out = tmp_path / "all.csv"
    export(demo, "csv", out)
    before = hierarchy.count_records(demo)
    dry = import_file(demo, out, "csv", dry_run=True)
    assert dry.report.dry_run and dry.report.created_records == 0
    outcome = import_file(demo, out, "csv")
    assert outcome.report.created_records == 0
    assert hierarchy.count_records(demo) == before


def test_ead3_round_trip_through_a_new_catalogue(demo, empty, tmp_path):
    first = tmp_path / "first.xml"
    export(demo, "ead3", first)
    outcome = import_file(empty, first, "ead3")
    assert outcome.report.created_records > 0
    second = tmp_path / "second.xml"
    export(empty, "ead3", second)
    a, b = read_ead3(first), read_ead3(second)
    assert [r["uuid"] for r in a.records] == [r["uuid"] for r in b.records]
    for ra, rb in zip(a.records, b.records):
        for key in ra:
            if key != "media":  # pages need their files beside the EAD3 to be imported
                assert ra[key] == rb[key], (ra["uuid"], key)
    assert outcome.notes  # ... and the importer said it left them out


def test_atom_examples_import_and_reimport(empty):
    path = ATOM / "example_information_objects_isad.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    assert guess_format(path) == "atom-csv"
    preview = import_file(empty, path, dry_run=True)
    assert preview.report.created_records == 2 and hierarchy.count_records(empty) == 0
    import_file(empty, path)
    assert hierarchy.count_records(empty) == 2
    again = import_file(empty, path)
    assert again.report.created_records == 0 and hierarchy.count_records(empty) == 2
    auth = ATOM / "example_authority_records.csv"
    assert guess_format(auth) == "atom-authority-csv"
    assert import_file(empty, auth).report.created_authorities == 2


def test_refused_file_imports_nothing(empty, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("legacyId,parentId,title,levelOfDescription\n1,,Fonds,Fonds\n"
                   "2,1,Thing,Drawer\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_file(empty, bad, "atom-csv")
    assert any("line 3" in p for p in info.value.problems)
    assert hierarchy.count_records(empty) == 0


def test_hostile_xml_import_refused(empty, tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_bytes(b'<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     b'<ead xmlns="http://ead3.archivists.org/schema/">&x;</ead>')
    with pytest.raises(ImportRefused):
        import_file(empty, evil, "ead3")
    assert hierarchy.count_records(empty) == 0


def test_atom_parent_from_an_earlier_file(empty, tmp_path):
    first = tmp_path / "fonds.csv"
    first.write_text("legacyId,title,levelOfDescription\nF1,Papers,Fonds\n", encoding="utf-8")
    second = tmp_path / "items.csv"
    second.write_text("legacyId,parentId,title,levelOfDescription\nI1,F1,Diary,Item\n",
                      encoding="utf-8")
    with pytest.raises(ImportRefused):
        import_file(empty, second, "atom-csv")
    import_file(empty, first, "atom-csv")
    assert import_file(empty, second, "atom-csv").report.created_records == 1
    assert hierarchy.count_records(empty) == 2
