import csv
import io
from pathlib import Path

import pytest

from archivist.ops.exchange.atom_csv import DARI_NOTE, write_atom_csv
from archivist.ops.exchange.atom_import import read_atom_authority_csv, read_atom_isad_csv
from archivist.ops.exchange.common import ExportOptions

from .conftest import FILE_DARI, FONDS, LETTER, SECRET_WORDS, SERIES

ATOM = Path(__file__).resolve().parents[3].parent / "shared" / "interop" / "atom"


def _export(sample, **kw) -> str:
    catalogue, auths, records = sample
    buf = io.StringIO()
    write_atom_csv(records, auths, buf, options=ExportOptions(catalogue=catalogue, **kw))
    return buf.getvalue()


def _need(name: str) -> Path:
    path = ATOM / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the AtoM example files live in ../shared/interop/atom)")
    return path


def test_header_is_atom_export_set(sample):
    text = _export(sample)
    assert text.split("\n", 1)[0] == (
        "legacyId,parentId,qubitParentSlug,identifier,accessionNumber,title,levelOfDescription,"
        "extentAndMedium,repository,archivalHistory,acquisition,scopeAndContent,appraisal,"
        "accruals,arrangement,accessConditions,reproductionConditions,language,script,"
        "languageNote,physicalCharacteristics,findingAids,locationOfOriginals,locationOfCopies,"
        "relatedUnitsOfDescription,publicationNote,digitalObjectURI,digitalObjectChecksum,"
        "generalNote,subjectAccessPoints,placeAccessPoints,nameAccessPoints,genreAccessPoints,"
        "descriptionIdentifier,institutionIdentifier,rules,descriptionStatus,levelOfDetail,"
        "revisionHistory,languageOfDescription,scriptOfDescription,sources,archivistNote,"
        "publicationStatus,physicalObjectName,physicalObjectLocation,physicalObjectType,"
        "alternativeIdentifiers,alternativeIdentifierLabels,eventDates,eventTypes,"
        "eventStartDates,eventEndDates,eventDescriptions,eventActors,eventActorHistories,"
        "eventPlaces,slug,culture")
    assert "\r" not in text


def test_rows_follow_atom_conventions(sample):
    rows = {r["legacyId"]: r for r in csv.DictReader(io.StringIO(_export(sample)))}
    order = list(rows)
    for row in rows.values():
        if row["parentId"]:
            assert order.index(row["parentId"]) < order.index(row["legacyId"])
    assert rows[FONDS]["parentId"] == ""
    assert rows[SERIES]["parentId"] == FONDS
    assert rows[FONDS]["language"] == "fa|ps|hy|ru"
    assert DARI_NOTE in rows[FONDS]["languageNote"]
    assert rows[FONDS]["levelOfDescription"] == "Fonds"
    assert rows[FILE_DARI]["language"] == "fa"
    letter = rows[LETTER]
    assert letter["eventTypes"] == "Creation|Accumulation"
    assert letter["eventStartDates"] == "1994-05-17|1990-01-01"
    assert letter["eventEndDates"] == "1994-05-17|1999-12-31"
    assert "Date (EDTF): 199X" in letter["generalNote"]
    assert letter["eventPlaces"] == "Mazar-i-Sharif|NULL"
    assert "Hekmatyar, Gulbuddin" in letter["nameAccessPoints"]
    assert rows[FONDS]["eventActors"] == "Министерство обороны Азербайджана"
    assert rows[FONDS]["generalNote"].startswith("First note.|Second / piped note.")


def test_public_export_leaves_out_restricted(sample):
    text = _export(sample, public=True)
    assert SECRET_WORDS not in text and "protected testimony" not in text
    assert "cataloguer private remark" not in text and "Shelf 9" not in text
    assert "Witness, Protected" not in text


def test_round_trip_through_atom_csv(sample):
    _, _, records = sample
    result = read_atom_isad_csv(io.StringIO(_export(sample)))
    assert result.refusals == []
    by_id = {r["uuid"]: r for r in result.records}
    for rec in records:
        back = by_id[rec["uuid"]]
        assert back["parent"] == rec["parent"]
        assert back["title"] == rec["title"]
        assert back["level"] == rec["level"]
        assert back["identifier"] == rec["identifier"]
        assert back["dates"] == rec["dates"], rec["uuid"]
        assert back["type"] == rec["type"]
        assert back["tags"] == rec["tags"]
        for fid in ("languages", "scripts", "scope_content", "extent_medium", "publication",
                    "language_note"):
            assert back["fields"].get(fid) == rec["fields"].get(fid), (rec["uuid"], fid)
        assert (back["access"]["status"] == "open") == (rec["access"]["status"] == "open")


def test_atom_example_information_objects_import():
    result = read_atom_isad_csv(_need("example_information_objects_isad.csv"))
    assert result.refusals == []
    fonds, item = result.records[0], result.records[1]
    assert fonds["level"] == "fonds" and fonds["title"] == "Example fonds"
    assert item["parent"] == fonds["uuid"]
    assert fonds["fields"]["languages"] == ["en", "fr"]
    assert fonds["fields"]["scripts"] == ["Latn", "Cyrl"]
    assert fonds["dates"] == [{"expression": "2015-01-01/2016-12-31", "label": "creation"},
                              {"expression": "2016", "label": "accumulation"}]
    assert fonds["fields"]["general_note"][:2] == ["Example fonds General note (ISAD 3.6.1)",
                                                   "Example fonds General note 2"]
    names = {a["name"] for a in result.authorities}
    assert {"Creator (ISAD 3.2.1)", "Accumulator (ISAD 3.2.1)"} <= names
    again = read_atom_isad_csv(_need("example_information_objects_isad.csv"))
    assert [r["uuid"] for r in again.records] == [r["uuid"] for r in result.records]


def test_atom_columns_in_any_order():
    path = _need("example_information_objects_isad.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    reordered = [list(reversed(r)) for r in rows]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(reordered)
    a = read_atom_isad_csv(path)
    b = read_atom_isad_csv(io.StringIO(buf.getvalue()))
    assert a.records == b.records


def test_atom_example_authority_records_import():
    result = read_atom_authority_csv(_need("example_authority_records.csv"))
    assert result.refusals == []
    kinds = {a["name"]: a["kind"] for a in result.authorities}
    assert kinds == {"Example Organization": "organisation", "Example Person": "person"}
    org = result.authorities[0]
    assert "Example History" in org["description"]
    assert org["identifiers"] == [{"scheme": "atom-corporate-body",
                                   "value": "Example Corporate Body Identifiers"}]


def test_atom_refusals():
    text = ("legacyId,parentId,title,levelOfDescription,digitalObjectPath,eventStartDates\n"
            "1,,Fonds,Fonds,,\n"
            "2,9,Orphan,Item,,\n"
            "3,1,Box,Shelf,,\n"
            "4,1,Evil,Item,../../secret.jpg,\n"
            "5,1,Bad date,Item,,2016-13-45\n")
    result = read_atom_isad_csv(io.StringIO(text))
    assert [r["title"] for r in result.records] == ["Fonds"]
    assert sorted(r.line for r in result.refusals) == [3, 4, 5, 6]


def test_a_lone_carriage_return_reads_back_whole(sample):
    import csv as csvmod
    records = sample[2]
    records[0].setdefault("fields", {})["scope_content"] = "first line\rsecond line"
    rows = list(csvmod.DictReader(io.StringIO(_export(sample), newline="")))
    assert rows[0]["scopeAndContent"] == "first line\rsecond line"
