import csv
import io

from archivist.ops.exchange.aspace_csv import write_aspace_csv
from archivist.ops.exchange.common import ExportOptions

from .conftest import FILE_DARI, FONDS, LETTER, SECRET_WORDS, SERIES


def _rows(sample, **kw):
    _, auths, records = sample
    buf = io.StringIO()
    n = write_aspace_csv(records, auths, buf, options=ExportOptions(**kw))
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    return n, rows, buf.getvalue()


def test_layout_follows_the_bulk_import_parser(sample):
    n, rows, _ = _rows(sample)
    assert rows[0][0].startswith("ArchivesSpace field code")
    assert rows[1][0] == "Field name"
    assert len(rows) == n + 2
    header = rows[0]
    assert len(header) == len(set(header))
    for row in rows[2:]:
        assert row[0] == "" and len(row) == len(header)


def test_values(sample):
    _, rows, _ = _rows(sample)
    header = rows[0]
    data = {r[header.index("ref_id")]: dict(zip(header, r)) for r in rows[2:]}
    assert data[FONDS]["hierarchy"] == "1" and data[SERIES]["hierarchy"] == "2"
    assert data[LETTER]["hierarchy"] == "4" and data[LETTER]["level"] == "item"
    assert data[FILE_DARI]["l_lang"] == "per"
    assert data[FONDS]["l_lang"] == "per" and data[FONDS]["l_lang_2"] == "pus"
    assert data[FONDS]["number"] == "3" and data[FONDS]["extent_type"] == "boxes"
    assert data[SERIES]["date_certainty_1"] == "approximate"
    assert data[SERIES]["begin_1"] == "1993-01-01" and data[SERIES]["end_1"] == "1993-12-31"
    assert data[LETTER]["people_agent_header_1"] == "Hekmatyar, Gulbuddin"
    assert data[LETTER]["rep_checksum_method"] == "sha-256"
    assert len(data[LETTER]["rep_checksum"]) == 64
    assert data[LETTER]["ead"] == "AM-KFF"
    certainties = {d[f"date_certainty_{i}"] for d in data.values() for i in (1, 2)}
    assert certainties <= {"", "approximate", "inferred", "questionable"}


def test_public(sample):
    n, _, text = _rows(sample, public=True)
    assert n == len(sample[2]) - 2
    assert SECRET_WORDS not in text and "cataloguer private remark" not in text
    assert "Shelf 9" not in text
