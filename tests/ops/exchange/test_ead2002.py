import io

from archivist.ops.exchange.common import ExportOptions
from archivist.ops.exchange.ead2002 import write_ead2002

from .conftest import CATALOGUE, SECRET_NOTE, SECRET_WORDS, assert_valid, load_schema

NS = {"e": "urn:isbn:1-931666-22-9"}


def _ead(sample, **kw) -> bytes:
    _, auths, records = sample
    buf = io.BytesIO()
    write_ead2002(records, auths, buf, options=ExportOptions(catalogue=CATALOGUE, **kw))
    return buf.getvalue()


def test_ead2002_validates(sample):
    schema = load_schema("ead2002.xsd")
    root = assert_valid(schema, _ead(sample)).getroot()
    codes = {el.get("langcode") for el in root.iter("{%s}language" % NS["e"])}
    assert {"per", "pus", "arm", "rus"} <= codes
    assert "prs" not in codes
    assert_valid(schema, _ead(sample, collection_wrapper=True))


def test_ead2002_no_xml_lang_on_unittitle(sample):
    root = assert_valid(load_schema("ead2002.xsd"), _ead(sample)).getroot()
    for title in root.iter("{%s}unittitle" % NS["e"]):
        assert "{http://www.w3.org/XML/1998/namespace}lang" not in title.attrib
    normals = [el.get("normal") for el in root.iter("{%s}unitdate" % NS["e"]) if el.get("normal")]
    assert "1994-05" in normals and "1993-01-01/1993-12-31" in normals
    assert any("1993~" in "".join(n.itertext()) for n in root.iter("{%s}note" % NS["e"]))


def test_ead2002_public(sample):
    data = _ead(sample, public=True)
    assert_valid(load_schema("ead2002.xsd"), data)
    text = data.decode()
    assert SECRET_WORDS not in text and SECRET_NOTE not in text and "Shelf 9" not in text
