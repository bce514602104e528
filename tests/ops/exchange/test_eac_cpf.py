from lxml import etree

from archivist.ops.exchange.common import ExportOptions
from archivist.ops.exchange.eac_cpf import write_eac_cpf

from .conftest import A_ORG, A_PERSON, A_PLACE, A_SECRET, CATALOGUE, load_schema

NS = {"e": "urn:isbn:1-931666-33-4"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_eac_cpf_validates_and_marks_scripts(sample, tmp_path):
    schema = load_schema("cpf.xsd")
    _, auths, records = sample
    n = write_eac_cpf(records, auths, tmp_path, options=ExportOptions(catalogue=CATALOGUE))
    files = sorted(p.name for p in tmp_path.glob("*.xml"))
    assert n == 3 and f"{A_PLACE}.xml" not in files
    for path in tmp_path.glob("*.xml"):
        doc = etree.parse(str(path))
        assert schema.validate(doc), schema.error_log
    person = etree.parse(str(tmp_path / f"{A_PERSON}.xml"))
    dari = [e for e in person.iterfind(".//e:nameEntry", NS) if e.get(XML_LANG) == "prs"]
    assert dari and dari[0].get("scriptCode") == "Arab"
    assert person.find(".//e:entityType", NS).text == "person"
    assert person.find(".//e:fromDate", NS).get("standardDate") == "1949"
    rels = person.findall(".//e:resourceRelation", NS)
    assert {r.get("resourceRelationType") for r in rels} == {"creatorOf", "subjectOf"}
    org = etree.parse(str(tmp_path / f"{A_ORG}.xml"))
    assert org.find(".//e:entityType", NS).text == "corporateBody"
    assert org.find(".//e:nameEntry", NS).get("scriptCode") == "Cyrl"


def test_public_eac_cpf_leaves_out_authorities_of_restricted_records(sample, tmp_path):
    _, auths, records = sample
    write_eac_cpf(records, auths, tmp_path, options=ExportOptions(public=True))
    names = {p.name for p in tmp_path.glob("*.xml")}
    assert f"{A_SECRET}.xml" not in names and f"{A_PERSON}.xml" in names
    for path in tmp_path.glob("*.xml"):
        assert "Testimony of a protected witness" not in path.read_text(encoding="utf-8")
