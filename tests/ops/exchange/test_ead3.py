import io

import pytest

from archivist.core.errors import ImportRefused
from archivist.ops.exchange.common import ExportError, ExportOptions
from archivist.ops.exchange.ead3 import write_ead3
from archivist.ops.exchange.ead3_read import read_ead3

from .conftest import (CATALOGUE, FONDS, SECRET_NOTE, SECRET_WORDS, SERIES, assert_valid,
                       load_schema)

NS = {"e": "http://ead3.archivists.org/schema/"}


def _ead3(sample, **kw) -> bytes:
    _, auths, records = sample
    buf = io.BytesIO()
    write_ead3(records, auths, buf, options=ExportOptions(catalogue=CATALOGUE, **kw))
    return buf.getvalue()


def test_ead3_validates_against_schema(sample):
    doc = assert_valid(load_schema("ead3.xsd"), _ead3(sample))
    root = doc.getroot()
    assert root.find("e:control", NS).get("langencoding") == "iso639-3"
    langs = [el.get("langcode") for el in root.iter("{%s}language" % NS["e"])]
    assert "prs" in langs and "hye" in langs and "pus" in langs
    for attr in ("standarddate", "notbefore", "notafter"):
        for el in root.xpath(f"//*[@{attr}]"):
            assert len(el.get(attr)) in (4, 7, 10) and el.get(attr)[:4].isdigit()


def test_ead3_public_and_wrapped_validate(sample):
    schema = load_schema("ead3.xsd")
    public = _ead3(sample, public=True)
    assert_valid(schema, public)
    text = public.decode("utf-8")
    assert SECRET_WORDS not in text and SECRET_NOTE not in text and "Shelf 9" not in text
    assert "Witness, Protected" not in text
    assert_valid(schema, _ead3(sample, collection_wrapper=True))


def test_ead3_nested_components_and_titles(sample):
    root = assert_valid(load_schema("ead3.xsd"), _ead3(sample)).getroot()
    series = root.find(f".//e:c[@id='uuid-{SERIES}']", NS)
    assert series.getparent().tag.endswith("dsc")
    dari = root.xpath("//e:unittitle[@lang='prs']", namespaces=NS)
    assert dari and dari[0].get("script") == "Arab"
    assert root.xpath("//e:unittitle[@lang='hye' and @script='Armn']", namespaces=NS)
    assert root.xpath("//e:didnote[@localtype='edtf']", namespaces=NS)


def test_ead3_round_trip_field_by_field(sample):
    _, _, records = sample
    result = read_ead3(io.BytesIO(_ead3(sample)))
    assert result.refusals == []
    assert [r["uuid"] for r in result.records] == [r["uuid"] for r in records]
    for original, back in zip(records, result.records):
        expected = dict(original)
        expected["media"] = [{k: v for k, v in p.items() if k != "regions"} | {"regions": []}
                             for p in original["media"]]
        for key in expected:
            assert back[key] == expected[key], (original["uuid"], key)


def test_ead3_wrapped_round_trip_keeps_roots(sample):
    result = read_ead3(io.BytesIO(_ead3(sample, collection_wrapper=True)))
    assert result.records[0]["uuid"] == FONDS and result.records[0]["parent"] is None


def test_second_root_needs_wrapper(sample):
    _, auths, records = sample
    other = dict(records[-1], uuid="0b000000-0000-4000-8000-000000000001", parent=None)
    with pytest.raises(ExportError):
        write_ead3(records + [other], auths, io.BytesIO(), options=ExportOptions())


def test_not_depth_first_is_refused(sample):
    _, auths, records = sample
    # the Dari file (child of series 1) arrives after series 2 closed series 1
    bad = [records[0], records[1], records[5], records[2]]
    with pytest.raises(ExportError):
        write_ead3(bad, auths, io.BytesIO(), options=ExportOptions())


HOSTILE = [
    b'<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<ead xmlns="http://ead3.archivists.org/schema/">&xxe;</ead>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
    b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;'
    b'&lol2;&lol2;&lol2;&lol2;&lol2;">]><ead xmlns="http://ead3.archivists.org/schema/">'
    b'&lol3;</ead>',
    b'<?xml version="1.0"?><!DOCTYPE ead SYSTEM "http://evil.example/ead.dtd">'
    b'<ead xmlns="http://ead3.archivists.org/schema/"/>',
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_xml_refused(data):
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        read_ead3(io.BytesIO(data))


def test_hostile_utf16_doctype_refused():
    data = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE ead [<!ENTITY x "y">]>'
            '<ead xmlns="http://ead3.archivists.org/schema/">&x;</ead>').encode("utf-16")
    with pytest.raises(ImportRefused):
        read_ead3(io.BytesIO(data))


def test_unsafe_dao_path_refused(sample):
    data = _ead3(sample).replace(b'href="media/letter-p1.jpg"', b'href="/etc/passwd"')
    result = read_ead3(io.BytesIO(data))
    assert any("outside the catalogue" in r.reason for r in result.refusals)
    assert all(r.line for r in result.refusals)
