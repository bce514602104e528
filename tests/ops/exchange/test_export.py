"""Exports from a real catalogue built from sample_archive/ (the lead's record stream)."""

import csv
import io
import json

import bagit
import pytest
from lxml import etree

from archivist.core.errors import ArchivistError, NotFound
from archivist.ops.demo import build_demo
from archivist.ops.exchange.dublin_core import DC, OAI_DC
from archivist.ops.exchange.dublin_core import ELEMENTS as DC_ELEMENTS
from archivist.ops.export import FORMATS, export
from archivist.store import hierarchy
from archivist.store.catalogue import open_catalogue

from .conftest import load_schema

TESTIMONY_UUID = "001a7d40-6e40-5083-acc7-1d3a8c8e9404"
TESTIMONY_TITLE = "Testimony of Bakhtiyar Verbollah Baberzai"
TESTIMONY_SCOPE = "was the source of some of the information about the Mujahideen"
TESTIMONY_SHA = "a973e20108e76645d28a8aab3ca39f4f687597b658a18780359c590bb3c28034"
SECRETS = (TESTIMONY_UUID, TESTIMONY_TITLE, TESTIMONY_SCOPE, TESTIMONY_SHA)
SINGLE = [f for f in FORMATS if f not in ("pdf",)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    try:
        path = build_demo(tmp_path_factory.mktemp("demo") / "K.archivist")
    except ArchivistError as exc:
        pytest.skip(f"the sample archive does not build here: {exc}")
    cat = open_catalogue(path)
    yield cat
    cat.close()


def _all_text(path):
    if path.is_file():
        return path.read_bytes().decode("utf-8", "replace")
    parts = []
    for p in sorted(path.rglob("*")):
        if p.is_file():
            parts.append(p.name)
            parts.append(p.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def _target(tmp_path, fmt):
    return tmp_path / (f"out-{fmt}" if fmt in ("eac-cpf", "iiif", "bagit") else f"out-{fmt}.dat")


@pytest.mark.parametrize("fmt", SINGLE)
def test_restricted_testimony_in_no_public_export(demo, tmp_path, fmt):
    out = _target(tmp_path, fmt)
    export(demo, fmt, out, public=True)
    text = _all_text(out)
    for secret in SECRETS:
        assert secret not in text, (fmt, secret)


@pytest.mark.parametrize("fmt", ["json", "csv", "atom-csv", "ead3", "html", "bagit"])
def test_full_export_does_carry_the_testimony(demo, tmp_path, fmt):
    out = _target(tmp_path, fmt)
    export(demo, fmt, out)
    assert TESTIMONY_TITLE in _all_text(out)


def test_sample_archive_xml_validates(demo, tmp_path):
    for fmt, xsd in (("ead3", "ead3.xsd"), ("ead2002", "ead2002.xsd")):
        schema = load_schema(xsd)
        for public in (False, True):
            out = tmp_path / f"{fmt}-{public}.xml"
            export(demo, fmt, out, public=public)
            doc = etree.parse(str(out))
            assert schema.validate(doc), (fmt, public, schema.error_log)
    export(demo, "dc", tmp_path / "dc.xml")
    dcs = list(etree.parse(str(tmp_path / "dc.xml")).iter(f"{{{OAI_DC}}}dc"))
    assert len(dcs) == hierarchy.count_records(demo)
    for dc in dcs:
        assert {etree.QName(c).namespace for c in dc} == {DC}
        assert {etree.QName(c).localname for c in dc} <= set(DC_ELEMENTS)
    schema = load_schema("cpf.xsd")
    result = export(demo, "eac-cpf", tmp_path / "eac")
    assert result.count > 0
    for path in (tmp_path / "eac").glob("*.xml"):
        assert schema.validate(etree.parse(str(path))), (path.name, schema.error_log)


def test_bagit_from_catalogue_matches_stored_checksums(demo, tmp_path):
    out = tmp_path / "bag"
    export(demo, "bagit", out)
    bag = bagit.Bag(str(out))
    bag.validate()
    doc = json.loads((out / "data" / "catalogue.json").read_text(encoding="utf-8"))
    stored = {p["sha256"] for r in doc["records"] for p in r["media"]}
    assert stored and stored <= {e["sha256"] for e in bag.entries.values() if "sha256" in e}


def test_scope_exports_a_subtree(demo, tmp_path):
    full = export(demo, "csv", tmp_path / "all.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text(encoding="utf-8"))))
    series = next(r for r in rows if r["level"] == "series")
    part = export(demo, "csv", tmp_path / "part.csv", scope=[series["uuid"]])
    sub = list(csv.DictReader(io.StringIO((tmp_path / "part.csv").read_text(encoding="utf-8"))))
    assert 0 < part.count < full.count
    assert sub[0]["uuid"] == series["uuid"]
    assert {r["parent"] for r in sub[1:]} <= {r["uuid"] for r in sub}


def test_iiif_manifests_from_catalogue(demo, tmp_path):
    result = export(demo, "iiif", tmp_path / "iiif", base_url="https://example.org/kff")
    assert result.count > 0
    manifest = next((tmp_path / "iiif").glob("*/manifest.json"))
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    assert doc["id"].startswith("https://example.org/kff/")
    assert all(c["width"] > 0 and c["height"] > 0 for c in doc["items"])


def test_unknown_scope_and_format(demo, tmp_path):
    with pytest.raises(NotFound):
        export(demo, "csv", tmp_path / "x.csv", scope=["NO-SUCH-CODE"])
    with pytest.raises(ArchivistError):
        export(demo, "docx", tmp_path / "x.docx")
    assert not (tmp_path / "x.csv").exists()
