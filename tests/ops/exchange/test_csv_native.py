import csv
import io

import pytest

from archivist.ops.exchange.common import ExportOptions
from archivist.ops.exchange.csv_native import (COLUMNS, join, read_csv_native, split,
                                               write_csv_native)

from .conftest import SECRET_NOTE, SECRET_WORDS, TESTIMONY


def _export(records, auths, **kw) -> str:
    buf = io.StringIO()
    write_csv_native(records, auths, buf, options=ExportOptions(**kw))
    return buf.getvalue()


@pytest.mark.parametrize("values", [[], ["a"], ["a", "b"], ["a|b", "c\\d", ""], ["x\\|y", "|"]])
def test_join_split_round_trip(values):
    assert split(join(values)) == values


def test_round_trip_field_by_field(sample):
    _, auths, records = sample
    text = _export(records, auths)
    result = read_csv_native(io.StringIO(text))
    assert result.refusals == []
    assert len(result.records) == len(records)
    for original, back in zip(records, result.records):
        for key in original:
            assert back[key] == original[key], (original["uuid"], key)


def test_header_and_encoding(sample, tmp_path):
    _, auths, records = sample
    path = tmp_path / "out.csv"
    write_csv_native(records, auths, path)
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    assert data.decode("utf-8").split("\n", 1)[0].split(",") == list(COLUMNS)
    assert "نامه‌ها به وزارت".encode() in data  # ZWNJ kept byte for byte


def test_public_export_leaves_out_restricted_and_internal(sample):
    _, auths, records = sample
    text = _export(records, auths, public=True)
    assert SECRET_WORDS not in text
    assert "protected testimony" not in text
    assert SECRET_NOTE not in text and "Shelf 9" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert TESTIMONY not in {r["uuid"] for r in rows}
    assert len(rows) == len(records) - 2


def test_refusals_carry_line_and_reason():
    header = ",".join(COLUMNS)
    good = "0a000000-0000-4000-8000-0000000000aa,,fonds,X,,Fonds,,,,open,,,draft"
    bad_date = "0a000000-0000-4000-8000-0000000000bb,,item,Y,,Item,,1993-1994,,open,,,draft"
    bad_level = "0a000000-0000-4000-8000-0000000000cc,,box,Z,,Box,,,,open,,,draft"
    pad = "," * (len(COLUMNS) - 13)
    text = "\n".join([header] + [row + pad for row in (good, bad_date, bad_level)]) + "\n"
    result = read_csv_native(io.StringIO(text))
    assert [r["identifier"] for r in result.records] == ["X"]
    lines = sorted(r.line for r in result.refusals)
    assert lines == [3, 4]
    assert any("EDTF" in r.reason for r in result.refusals)
    assert any("level" in r.reason for r in result.refusals)


def test_media_path_outside_catalogue_refused(sample):
    _, auths, records = sample
    letter = next(r for r in records if r["media"])
    letter["media"][0]["file"] = "../../etc/passwd"
    result = read_csv_native(io.StringIO(_export([letter], auths)))
    assert result.records == []
    assert "outside the catalogue" in result.refusals[0].reason


def test_rows_without_uuid_get_the_same_uuid_twice():
    header = ",".join(COLUMNS)
    row = ",,fonds,X,,Fonds,,,,open,,,draft" + "," * (len(COLUMNS) - 13)
    first = read_csv_native(io.StringIO(header + "\n" + row + "\n"))
    second = read_csv_native(io.StringIO(header + "\n" + row + "\n"))
    assert first.records[0]["uuid"] == second.records[0]["uuid"]
    assert len(first.records[0]["uuid"]) == 36
