import io

from lxml import etree

from archivist.ops.exchange.common import ExportOptions
from archivist.ops.exchange.dublin_core import DC, ELEMENTS, OAI_DC, write_dublin_core

from .conftest import CATALOGUE, LETTER, SECRET_WORDS, SERIES

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _dc(sample, **kw):
    _, auths, records = sample
    buf = io.BytesIO()
    n = write_dublin_core(records, auths, buf, options=ExportOptions(catalogue=CATALOGUE, **kw))
    return n, etree.fromstring(buf.getvalue())


def _records(root):
    """oai_dc:dc elements by record uuid (their last dc:identifier is urn:uuid:...)."""
    out = {}
    for el in root.iter(f"{{{OAI_DC}}}dc"):
        ids = [i.text for i in el.findall(f"{{{DC}}}identifier")]
        out[ids[-1].removeprefix("urn:uuid:")] = el
    return out


def test_only_the_15_elements(sample):
    n, root = _dc(sample)
    dcs = list(root.iter(f"{{{OAI_DC}}}dc"))
    assert len(dcs) == n == len(sample[2])
    for dc in dcs:
        assert len(dc)
        for child in dc:
            assert etree.QName(child).namespace == DC
            assert etree.QName(child).localname in ELEMENTS
            assert len(child) == 0 and set(child.attrib) <= {XML_LANG}


def test_language_tags_and_dates(sample):
    _, root = _dc(sample)
    recs = _records(root)
    letter = recs[LETTER]
    title = letter.find(f"{{{DC}}}title")
    assert title.get(XML_LANG) == "prs"
    assert [e.text for e in letter.findall(f"{{{DC}}}language")] == ["prs"]
    assert "1994-05-17" in [e.text for e in letter.findall(f"{{{DC}}}date")]
    assert "Hekmatyar, Gulbuddin" in [e.text for e in letter.findall(f"{{{DC}}}creator")]
    assert "Mazar-i-Sharif" in [e.text for e in letter.findall(f"{{{DC}}}coverage")]
    series = recs[SERIES]
    assert series.findtext(f"{{{DC}}}type") == "Collection"
    assert series.findtext(f"{{{DC}}}date") == "1993-01-01/1993-12-31"
    assert any("1993~" in d.text for d in series.findall(f"{{{DC}}}description"))


def test_public_dc(sample):
    n, root = _dc(sample, public=True)
    assert n == len(sample[2]) - 2
    assert SECRET_WORDS not in etree.tostring(root, encoding="unicode")
