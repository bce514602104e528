import io

from lxml import html

from archivist.ops.exchange.common import ExportOptions
from archivist.ops.exchange.finding_aid_html import write_finding_aid_html

from .conftest import CATALOGUE, LETTER, SECRET_NOTE, SECRET_WORDS


def _html(sample, **kw) -> str:
    _, auths, records = sample
    buf = io.StringIO()
    write_finding_aid_html(records, auths, buf, options=ExportOptions(catalogue=CATALOGUE, **kw))
    return buf.getvalue()


def test_title_page_hierarchy_and_index(sample):
    text = _html(sample)
    doc = html.fromstring(text)
    assert doc.xpath("//div[@class='title-page']/h1")[0].text == "Karabakh foreign fighters"
    contents = [a.get("href") for a in doc.xpath("//nav//a")]
    assert contents[0] == "#r-0a000000-0000-4000-8000-000000000001"
    assert f"#r-{LETTER}" not in contents  # items are described, not listed in the contents
    letter = doc.get_element_by_id(f"r-{LETTER}")
    title = letter.xpath(".//span[@lang='prs']")[0]
    assert title.text == "نامه به وزارت دفاع" and title.get("dir") == "auto"
    index = {dt.xpath("string(span)") for dt in doc.xpath("//section[@class='index']//dt")}
    assert {"Hekmatyar, Gulbuddin", "Mazar-i-Sharif"} <= index
    assert "AM-KFF-1-3-1" in text
    assert SECRET_WORDS in text  # the full edition is for staff


def test_public_finding_aid(sample):
    text = _html(sample, public=True)
    assert SECRET_WORDS not in text and SECRET_NOTE not in text and "Shelf 9" not in text
    assert "Witness, Protected" not in text
    assert "Public edition" in text
