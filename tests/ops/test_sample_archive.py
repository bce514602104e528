"""The sample archive loads through the native importer into a sound, honest demo catalogue."""

from __future__ import annotations

import hashlib
import importlib.util
import json

import pytest
from PIL import Image

from archivist.cli.main import main
from archivist.core import paths
from archivist.core.dates import parse_date
from archivist.core.errors import ArchivistError, ImportRefused
from archivist.core.levels import can_contain
from archivist.ops.demo import build_demo, build_demo_with_report, default_demo_dir
from archivist.ops.native_json import export_native
from archivist.store import authorities, hierarchy, links, pages, records
from archivist.store.catalogue import open_catalogue

SAMPLE = paths.sample_archive()
ARTICLE = "Mujahideen Against Armenia In The Artsakh War"
NOTICE = "PLACEHOLDER — NOT A FACSIMILE"


@pytest.fixture(scope="module")
def doc():
    return json.loads((SAMPLE / "collection.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    target = tmp_path_factory.mktemp("demo") / "Demo.archivist"
    report = build_demo_with_report(target, user="tester")
    cat = open_catalogue(target, user="tester")
    yield cat, report
    cat.close()


@pytest.fixture(scope="module")
def cat(built):
    return built[0]


def all_records(cat):
    return [records.get_record(cat, rid) for (rid,) in
            cat.conn.execute("SELECT id FROM records ORDER BY id").fetchall()]


def linked(cat, record_id, role):
    return {lk.authority_name for lk in links.links_of(cat, record_id) if lk.role == role}


def find_one(cat, *, type, **roles):
    """The single record of ``type`` linked with each role to the named authorities."""
    hits = [r for r in all_records(cat) if r.type == type
            and all(set(names) <= linked(cat, r.id, role) for role, names in roles.items())]
    assert len(hits) == 1, f"{len(hits)} {type} records linked as {roles}"
    return hits[0]


def outgoing(cat, record_id, rel_type):
    return {r.other_id for r in links.relations_of(cat, record_id) if r.outgoing and r.type == rel_type}


# -- loading ------------------------------------------------------------------------------------

def test_everything_in_the_file_is_imported_without_problems(built, doc):
    cat, report = built
    assert report.problems == []
    assert report.created_records == len(doc["records"]) == hierarchy.count_records(cat)
    assert report.created_authorities == len(doc["authorities"])
    assert report.pages == sum(len(r["media"]) for r in doc["records"])


def test_the_checker_script_finds_no_problem(doc):
    spec = importlib.util.spec_from_file_location("check_collection", SAMPLE / "check_collection.py")
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    assert checker.check(SAMPLE / "collection.json") == []


def test_a_taken_folder_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(ArchivistError):
        build_demo(target)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_a_failed_import_leaves_no_half_built_catalogue(tmp_path):
    broken = tmp_path / "broken_sample"
    broken.mkdir()
    data = json.loads((SAMPLE / "collection.json").read_text(encoding="utf-8"))
    data["records"][1]["dates"] = [{"expression": "1995/1993", "label": "creation"}]
    (broken / "collection.json").write_text(json.dumps(data), encoding="utf-8")
    (broken / "media").symlink_to(SAMPLE / "media", target_is_directory=True)
    with pytest.raises(ImportRefused) as info:
        build_demo(tmp_path / "Demo.archivist", source=broken)
    assert "1995/1993" in info.value.problems[0]
    assert not (tmp_path / "Demo.archivist").exists()


# -- dates and hierarchy -------------------------------------------------------------------------

def test_every_date_is_valid_edtf_stored_verbatim_with_its_bounds(cat, doc):
    by_uuid = {r["uuid"]: r for r in doc["records"]}
    for rec in all_records(cat):
        assert [d.expression for d in rec.dates] == \
            [d["expression"] for d in by_uuid[rec.uuid]["dates"]]
        for d in rec.dates:
            parsed = parse_date(d.expression)
            assert (d.earliest, d.latest) == (parsed.earliest, parsed.latest)
            if d.earliest and d.latest:
                assert d.earliest <= d.latest


def test_the_article_s_dates_keep_their_precision(cat):
    exprs = {d.expression for r in all_records(cat) for d in r.dates}
    assert {"1994-12-21", "2001-09-10", "1994-05", "1994", "2003", "2005"} <= exprs
    assert any("?" in e for e in exprs) and any(".." in e for e in exprs)


def test_hierarchy_is_one_fonds_with_five_series_and_valid_levels(cat):
    recs = {r.id: r for r in all_records(cat)}
    roots = [r for r in recs.values() if r.parent_id is None]
    assert [r.level for r in roots] == ["fonds"]
    assert [recs[c].level for c in hierarchy.child_ids(cat, roots[0].id)] == ["series"] * 5
    for r in recs.values():
        if r.parent_id is not None:
            parent = recs[r.parent_id]
            assert can_contain(parent.level, r.level)
            assert r.reference_code == f"{parent.reference_code}-{r.identifier}"
    assert len({r.reference_code for r in recs.values()}) == len(recs)


# -- scans ---------------------------------------------------------------------------------------

def test_every_stored_page_matches_its_checksum_and_the_file_in_the_sample(cat, doc):
    expected = {(r["uuid"], p["page_index"], p["sha256"]) for r in doc["records"] for p in r["media"]}
    seen = set()
    for rec in all_records(cat):
        for page in pages.pages_of(cat, rec.id):
            stored = pages.file_path(cat, page["sha256"], page["ext"])
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == page["sha256"]
            seen.add((rec.uuid, page["page_index"], page["sha256"]))
    assert seen == expected
    for r in doc["records"]:
        for p in r["media"]:
            assert hashlib.sha256((SAMPLE / p["file"]).read_bytes()).hexdigest() == p["sha256"]


def test_every_item_has_one_to_three_placeholder_pages_naming_it(cat):
    for rec in all_records(cat):
        item_pages = pages.pages_of(cat, rec.id)
        if rec.level != "item":
            assert item_pages == []
            continue
        assert 1 <= len(item_pages) <= 3, rec.title
        for page in item_pages:
            text = " ".join(t["text"] for t in pages.texts_of(cat, page["id"]))
            assert NOTICE in text and rec.reference_code in text and rec.title in text


def test_scans_mix_jpeg_png_and_multipage_tiff_and_stay_small(doc):
    formats, tiff_pages = set(), 0
    for r in doc["records"]:
        for p in r["media"]:
            with Image.open(SAMPLE / p["file"]) as im:
                formats.add(im.format)
                if im.format == "TIFF":
                    tiff_pages = max(tiff_pages, im.n_frames)
    assert formats == {"JPEG", "PNG", "TIFF"}
    assert tiff_pages >= 2
    size = sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file())
    assert size < 5_000_000


# -- the evidence, its links and relations -------------------------------------------------------

def test_the_letters_with_reply_and_annex(cat):
    letter = find_one(cat, type="letter", sender=["Armenia. President"],
                      recipient=["Afghanistan. Government"])
    reply = find_one(cat, type="letter", sender=["Afghanistan. President"])
    mfa = find_one(cat, type="letter", sender=["Armenia. Ministry of Foreign Affairs"],
                   recipient=["United Nations. Commission on Human Rights. Special Rapporteur on mercenaries"])
    annex = find_one(cat, type="other", mentioned=["Baberzai, Bakhtiyar Verbollah",
                                                  "Azerbaijan. Army. 860th motor brigade",
                                                  "Azerbaijan. Army. 723rd motor brigade"],
                     place_mentioned=["Beylagan District (Azerbaijan)", "Shamkir District (Azerbaijan)",
                                      "Mingachevir (Azerbaijan)", "Shirvan (Azerbaijan)"])
    assert [d.expression for d in letter.dates] == ["1994-05"]
    assert [d.expression for d in mfa.dates] == ["1994-12-21"]
    assert outgoing(cat, reply.id, "responds_to") == {letter.id}
    assert outgoing(cat, annex.id, "annex_of") == {mfa.id}
    assert {(r.type, r.other_id) for r in links.relations_of(cat, letter.id)} >= {("response", reply.id)}
    assert {(r.type, r.other_id) for r in links.relations_of(cat, mfa.id)} >= {("has_annex", annex.id)}


def test_captured_material_and_languages(cat):
    docs = find_one(cat, type="captured_document", custodian=["Karabakh defence forces"],
                    place_mentioned=["Afghanistan", "Pakistan"])
    assert docs.fields["languages"] == ["prs", "pus"]
    religious = [r for r in all_records(cat) if r.type == "captured_document" and r.id != docs.id]
    assert len(religious) == 1 and "languages" not in religious[0].fields  # the article is silent
    find_one(cat, type="physical_object", custodian=["Karabakh defence forces"])


def test_testimonies_and_the_restricted_prisoner(cat, tmp_path):
    testimony = find_one(cat, type="testimony", creator=["Baberzai, Bakhtiyar Verbollah"],
                         place_mentioned=["Mazar-i-Sharif (Afghanistan)"])
    assert testimony.access_status == "restricted" and testimony.access_reason
    assert "personal data" in testimony.access_reason.lower()
    interview = find_one(cat, type="testimony", creator=["Rustamov, Azer"],
                         mentioned=["Basayev, Shamil", "Raduev, Salman"])
    assert [d.expression for d in interview.dates] == ["2005"]
    assert interview.access_status == "open"
    out = tmp_path / "public.json"
    export_native(cat, out, public=True)
    public = {r["uuid"] for r in json.loads(out.read_text(encoding="utf-8"))["records"]}
    assert testimony.uuid not in public and interview.uuid in public


def test_press_reports_and_the_crs_report(cat):
    wapo = find_one(cat, type="press_clipping", author=["Washington Post"])
    assert [d.expression for d in wapo.dates] == ["1994"]
    crs = find_one(cat, type="report", author=["Congressional Research Service"])
    assert [d.expression for d in crs.dates] == ["2001-09-10"]
    ap = find_one(cat, type="press_clipping", author=["Associated Press"])
    assert outgoing(cat, ap.id, "cites") == {crs.id}
    find_one(cat, type="press_clipping",
             mentioned=["United States. Federal Bureau of Investigation", "Al-Jihad Al-Islam",
                        "Bin Laden, Osama"], place_mentioned=["Baku (Azerbaijan)"])


def test_the_article_its_author_its_references_and_what_it_cites(cat):
    article = find_one(cat, type="web_article", author=["Pashayan, Araks"])
    demoyan = find_one(cat, type="book_extract", author=["Demoyan, Hayk"])
    taarnby = find_one(cat, type="report", author=["Taarnby, Michael"])
    assert demoyan.fields["page_range"] == "91-92" and demoyan.fields["place_of_publication"] == "Yerevan"
    assert [d.expression for d in demoyan.dates] == ["2003"]
    assert "Mujaheddin in Nagorno-Karabakh" in taarnby.title and taarnby.dates == []
    items = {r.id for r in all_records(cat) if r.level == "item" and r.id != article.id}
    assert outgoing(cat, article.id, "cites") == items
    assert "url" not in article.fields  # the article gives none


# -- authorities ---------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling, authorised", [
    ("Mozari Sharif", "Mazar-i-Sharif (Afghanistan)"), ("مزار شریف", "Mazar-i-Sharif (Afghanistan)"),
    ("Zhdanov district", "Beylagan District (Azerbaijan)"), ("Fizuli", "Fuzuli (Azerbaijan)"),
    ("Füzuli", "Fuzuli (Azerbaijan)"), ("Ali-Bayramli", "Shirvan (Azerbaijan)"),
    ("Shamkhor", "Shamkir District (Azerbaijan)"), ("Artsakh", "Nagorno-Karabakh"),
    ("Արցախ", "Nagorno-Karabakh"), ("Hekmatyar", "Hekmatyar, Gulbuddin"),
    ("حکمتیار", "Hekmatyar, Gulbuddin"), ("Rashid Dostum", "Dostum, Abdul Rashid"),
    ("Хаттаб", "Khattab"), ("Basaev", "Basayev, Shamil"), ("Raduyev", "Raduev, Salman"),
    ("Արաքս Փաշայան", "Pashayan, Araks"), ("Rövşən Cavadov", "Javadov, Rovshan"),
])
def test_variant_spellings_and_scripts_find_the_authority(cat, spelling, authorised):
    assert authorised in {a.name for a in authorities.find_authorities(cat, spelling)}


def test_every_variant_has_a_language_and_script_and_every_authority_is_linked(cat):
    for a in authorities.list_authorities(cat):
        assert a.description and a.description.startswith(("According to the article", "Author of"))
        for v in a.variants:
            assert v["language"] and v["script"] in {"Latn", "Cyrl", "Armn", "Arab"}, (a.name, v)
        assert authorities.linked_record_ids(cat, a.id), f"{a.name} is linked to no record"


def test_every_record_cites_the_article_and_has_no_empty_field(cat):
    for rec in all_records(cat):
        citation = rec.fields["source_citation"]
        assert ARTICLE in citation and "Pashayan" in citation
        for value in rec.fields.values():
            assert value not in ("", [], None)


# -- the command ---------------------------------------------------------------------------------

def test_demo_no_gui_prints_the_path_of_a_new_catalogue_each_run(capsys):
    first_default = default_demo_dir()
    assert main(["demo", "--no-gui"]) == 0
    first = capsys.readouterr().out.strip()
    assert first == str(first_default.resolve())
    assert main(["demo", "--no-gui", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["path"] != first and second["records"] > 0
    with open_catalogue(first) as built_cat:
        assert hierarchy.count_records(built_cat) == second["records"]


def test_demo_refuses_a_dir_that_is_already_a_catalogue(tmp_path, capsys):
    target = tmp_path / "D.archivist"
    assert main(["demo", "--no-gui", "--dir", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target.resolve())
    assert main(["demo", "--no-gui", "--dir", str(target)]) == 1
    assert "already a catalogue" in capsys.readouterr().err


def test_demo_without_no_gui_opens_the_window_on_the_new_catalogue(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("archivist.cli.main.open_gui", lambda path: opened.append(path) or 0)
    target = tmp_path / "G.archivist"
    assert main(["demo", "--dir", str(target)]) == 0
    assert opened == [target.resolve()]
    assert (target / "catalogue.sqlite").is_file()
