import json

import pytest
from PIL import Image

from archivist.core.errors import ImportRefused
from archivist.ops.native_json import export_native, import_native
from archivist.store import authorities, hierarchy, links, pages, records
from archivist.store.catalogue import create_catalogue


@pytest.fixture
def cat(tmp_path):
    c = create_catalogue(tmp_path / "A.archivist", user="tester")
    f = records.create_record(c, title="Fonds", level="fonds", identifier="KFF",
                              fields={"scope_content": "According to the article ..."})
    s = records.create_record(c, title="Correspondence", level="series", parent_id=f, identifier="1")
    letter = records.create_record(c, title="Նամակ", level="item", type="letter", parent_id=s,
                                   identifier="1", dates=["1994-05", ("2003", "publication")],
                                   fields={"languages": ["hy"], "archivist_note": "internal"})
    testimony = records.create_record(c, title="Testimony", level="item", type="testimony",
                                      parent_id=s, identifier="2", access_status="restricted",
                                      access_reason="personal data", dates=["1994-04"])
    reply = records.create_record(c, title="پاسخ", level="item", type="letter", parent_id=s,
                                  identifier="3", fields={"languages": ["prs"]}, dates=["1994~"])
    a = authorities.create_authority(c, kind="place", name="Mazar-i-Sharif",
                                     variants=[{"name": "مزار شریف", "language": "prs", "script": "Arab"}])
    links.link(c, testimony, a, "place_mentioned")
    links.link(c, letter, a, "mentioned")
    links.relate(c, reply, letter, "responds_to")
    links.add_tags(c, [letter, reply], ["correspondence"])
    yield c
    c.close()


def _doc(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_round_trip_reproduces_the_catalogue(cat, tmp_path):
    out = tmp_path / "out.json"
    assert export_native(cat, out) == 5
    other = create_catalogue(tmp_path / "B.archivist")
    report = import_native(other, out)
    assert (report.created_records, report.created_authorities) == (5, 1)
    again = tmp_path / "again.json"
    export_native(other, again)
    first, second = _doc(out), _doc(again)
    assert first["records"] == second["records"]
    assert first["authorities"] == second["authorities"]
    other.close()


def test_reimport_does_not_duplicate(cat, tmp_path):
    out = tmp_path / "out.json"
    export_native(cat, out)
    report = import_native(cat, out)
    assert report.created_records == 0 and report.unchanged_records == 5
    assert hierarchy.count_records(cat) == 5


def test_dry_run_writes_nothing(cat, tmp_path):
    out = tmp_path / "out.json"
    export_native(cat, out)
    other = create_catalogue(tmp_path / "B.archivist")
    report = import_native(other, out, dry_run=True)
    assert report.created_records == 5 and report.dry_run
    assert hierarchy.count_records(other) == 0
    other.close()


def test_public_export_leaves_out_restricted_and_internal(cat, tmp_path):
    out = tmp_path / "pub.json"
    export_native(cat, out, public=True)
    doc = _doc(out)
    titles = [r["title"] for r in doc["records"]]
    assert "Testimony" not in titles and len(titles) == 4
    assert all("archivist_note" not in r["fields"] for r in doc["records"])
    assert "personal data" not in out.read_text(encoding="utf-8")


def test_scope_exports_a_subtree(cat, tmp_path):
    out = tmp_path / "scope.json"
    series = records.resolve_record(cat, "KFF-1")
    assert export_native(cat, out, scope=[series]) == 4
    doc = _doc(out)
    assert doc["records"][0]["parent"] is None
    assert [a["name"] for a in doc["authorities"]] == ["Mazar-i-Sharif"]


def test_invalid_file_is_refused_whole_with_reasons(cat, tmp_path):
    out = tmp_path / "out.json"
    export_native(cat, out)
    doc = _doc(out)
    doc["records"][2]["dates"] = [{"expression": "1995/1993", "label": "creation"}]
    doc["records"][3]["level"] = "box"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    other = create_catalogue(tmp_path / "B.archivist")
    with pytest.raises(ImportRefused) as info:
        import_native(other, bad)
    problems = "\n".join(info.value.problems)
    assert "record 3" in problems and "ends before it starts" in problems
    assert "record 4" in problems and "unknown level" in problems
    assert hierarchy.count_records(other) == 0
    assert authorities.list_authorities(other) == []
    other.close()


@pytest.mark.parametrize("text, msg", [
    ("{not json", "not valid JSON"),
    ('{"format": "other"}', "not an Archivist native file"),
    ('{"format": "archivist-native", "version": 99}', "version 99"),
])
def test_malformed_files(cat, tmp_path, text, msg):
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused, match=msg):
        import_native(cat, bad)


def _page_doc(tmp_path, file_value, sha="0" * 64):
    return {"format": "archivist-native", "version": 1, "authorities": [], "records": [{
        "uuid": "00000000-0000-4000-8000-000000000001", "parent": None, "level": "item",
        "title": "Scan", "media": [{"file": file_value, "sha256": sha, "page_index": 0}]}]}


def test_pages_are_imported_with_checksums(tmp_path):
    img = tmp_path / "media" / "p1.png"
    img.parent.mkdir()
    Image.new("RGB", (40, 30), "white").save(img)
    import hashlib
    sha = hashlib.sha256(img.read_bytes()).hexdigest()
    (tmp_path / "doc.json").write_text(json.dumps(_page_doc(tmp_path, "media/p1.png", sha)))
    c = create_catalogue(tmp_path / "C.archivist")
    import_native(c, tmp_path / "doc.json")
    page = pages.pages_of(c, records.resolve_record(c, "00000000-0000-4000-8000-000000000001"))[0]
    assert page["sha256"] == sha and (page["width"], page["height"]) == (40, 30)
    assert pages.file_path(c, sha, page["ext"]).read_bytes() == img.read_bytes()
    c.close()


@pytest.mark.parametrize("path", ["../escape.png", "/etc/passwd", "media/../../x.png"])
def test_paths_cannot_point_outside(tmp_path, path):
    (tmp_path / "doc.json").write_text(json.dumps(_page_doc(tmp_path, path)))
    c = create_catalogue(tmp_path / "C.archivist")
    with pytest.raises(ImportRefused) as info:
        import_native(c, tmp_path / "doc.json")
    assert "outside" in "\n".join(info.value.problems)
    c.close()


def test_checksum_mismatch_refused_and_no_stray_file(tmp_path):
    img = tmp_path / "p1.png"
    Image.new("RGB", (40, 30), "white").save(img)
    (tmp_path / "doc.json").write_text(json.dumps(_page_doc(tmp_path, "p1.png", "1" * 64)))
    c = create_catalogue(tmp_path / "C.archivist")
    with pytest.raises(ImportRefused, match="problem"):
        import_native(c, tmp_path / "doc.json")
    stored = [p for p in (c.path / "media").rglob("*") if p.is_file() and p.name != "ingest.lock"]
    assert stored == []
    c.close()


@pytest.mark.parametrize("kwargs", [{}, {"public": True}, {"scope": "KFF-1"}])
def test_fast_export_equals_the_record_stream(cat, tmp_path, kwargs):
    import io

    from archivist.ops.native_json import write_native
    from archivist.ops.records_stream import open_stream
    if "scope" in kwargs:
        kwargs = {"scope": [records.resolve_record(cat, kwargs["scope"])]}
    out = tmp_path / "fast.json"
    export_native(cat, out, **kwargs)
    buf = io.StringIO()
    write_native(open_stream(cat, **kwargs), buf)
    assert _doc(out) == json.loads(buf.getvalue())


def test_export_cancel_leaves_no_file(cat, tmp_path):
    from archivist.core.errors import Cancelled
    out = tmp_path / "out.json"
    with pytest.raises(Cancelled):
        export_native(cat, out, cancelled=lambda: True)
    assert not out.exists() and list(tmp_path.glob("*.part")) == []
