"""Native dicts in Dari, Pashto, Armenian and Russian, for every exchange test."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from archivist.ops.exchange.common import ExportOptions

SCHEMAS = Path(__file__).resolve().parents[3].parent / "shared" / "schemas"

CATALOGUE = {"name": "Karabakh foreign fighters", "country_code": "AM",
             "repository_code": "ARCHIVIST", "description_language": "en"}

A_PERSON = "6b1f6c1e-0000-4000-8000-000000000001"
A_ORG = "6b1f6c1e-0000-4000-8000-000000000002"
A_PLACE = "6b1f6c1e-0000-4000-8000-000000000003"
A_SECRET = "6b1f6c1e-0000-4000-8000-000000000004"

FONDS = "0a000000-0000-4000-8000-000000000001"
SERIES = "0a000000-0000-4000-8000-000000000002"
FILE_DARI = "0a000000-0000-4000-8000-000000000003"
LETTER = "0a000000-0000-4000-8000-000000000004"
PASHTO = "0a000000-0000-4000-8000-000000000005"
SERIES_2 = "0a000000-0000-4000-8000-000000000006"
ARMENIAN = "0a000000-0000-4000-8000-000000000007"
RUSSIAN = "0a000000-0000-4000-8000-000000000008"
TESTIMONY = "0a000000-0000-4000-8000-000000000009"
SECRET_CHILD = "0a000000-0000-4000-8000-00000000000a"

SECRET_WORDS = "Testimony of a protected witness"
SECRET_NOTE = "cataloguer private remark"


def _authorities() -> list[dict]:
    return [
        {"uuid": A_PERSON, "kind": "person", "name": "Hekmatyar, Gulbuddin",
         "variants": [{"name": "Gulbuddin Hekmatyar", "language": "en", "script": "Latn"},
                      {"name": "گلبدین حکمتیار", "language": "prs", "script": "Arab"}],
         "dates": "1949/..", "description": "Leader of Hezb-e Islami.",
         "identifiers": [{"scheme": "wikidata", "value": "Q318436"}]},
        {"uuid": A_ORG, "kind": "organisation", "name": "Министерство обороны Азербайджана",
         "variants": [{"name": "Ministry of Defence of Azerbaijan", "language": "en",
                       "script": "Latn"}],
         "dates": None, "description": None, "identifiers": []},
        {"uuid": A_PLACE, "kind": "place", "name": "Mazar-i-Sharif",
         "variants": [{"name": "مزار شریف", "language": "prs", "script": "Arab"},
                      {"name": "Mozari Sharif", "language": "en", "script": "Latn"}],
         "dates": None, "description": None, "identifiers": []},
        {"uuid": A_SECRET, "kind": "person", "name": "Witness, Protected",
         "variants": [], "dates": None, "description": "Identity protected.", "identifiers": []},
    ]


def _record(uuid, parent, level, identifier, title, **kw) -> dict:
    rec = {"uuid": uuid, "parent": parent, "level": level, "identifier": identifier,
           "reference_code": None, "title": title, "type": None, "dates": [],
           "access": {"status": "open", "reason": None, "until": None},
           "description_status": "draft", "fields": {}, "tags": [], "links": [],
           "relations": [], "media": []}
    rec.update(kw)
    return rec


def _records(pages: dict) -> list[dict]:
    return [
        _record(FONDS, None, "fonds", "KFF", "Karabakh foreign fighters",
                reference_code="AM-KFF",
                dates=[{"expression": "1991/1995", "label": "creation"}],
                description_status="final",
                fields={"extent_medium": "3 boxes", "scope_content": "Letters, reports and press.\n\nSecond paragraph.",
                        "admin_history": "Collected by the archive.",
                        "languages": ["prs", "ps", "hy", "ru"], "scripts": ["Arab", "Armn", "Cyrl"],
                        "language_note": "Mostly Dari.", "archivist_note": SECRET_NOTE,
                        "location_shelf": "Shelf 9", "rules": "ISAD(G) 2nd ed.",
                        "general_note": ["First note.", "Second | piped note."]},
                links=[{"authority": A_ORG, "role": "creator"}], tags=["mercenaries"]),
        _record(SERIES, FONDS, "series", "1", "Captured documents",
                dates=[{"expression": "1993~", "label": "creation"}],
                fields={"arrangement": "Chronological."}),
        _record(FILE_DARI, SERIES, "file", "3", "نامه‌ها به وزارت",
                dates=[{"expression": "1994-05", "label": "creation"}],
                fields={"languages": ["prs"], "scripts": ["Arab"], "extent_medium": "2 leaves"}),
        _record(LETTER, FILE_DARI, "item", "1", "نامه به وزارت دفاع", type="letter",
                dates=[{"expression": "1994-05-17", "label": "creation"},
                       {"expression": "199X", "label": "accumulation"}],
                fields={"languages": ["prs"], "scripts": ["Arab"],
                        "scope_content": "نامه‌ای دست‌نویس درباره‌ی جنگجویان خارجی."},
                links=[{"authority": A_PERSON, "role": "sender"},
                       {"authority": A_PLACE, "role": "place_of_creation"}],
                relations=[{"type": "responds_to", "target": PASHTO}],
                media=pages["letter"]),
        _record(PASHTO, FILE_DARI, "item", "2", "د کابل ښار ته لیک", type="captured_document",
                dates=[{"expression": "1993?", "label": "creation"}],
                fields={"languages": ["ps"], "scripts": ["Arab"]},
                links=[{"authority": A_PERSON, "role": "mentioned"}]),
        _record(SERIES_2, FONDS, "series", "2", "Press and testimony",
                dates=[{"expression": "1992/1994", "label": "creation"}]),
        _record(ARMENIAN, SERIES_2, "item", "1", "Երևանի մամուլ", type="press_clipping",
                dates=[{"expression": "1993-21", "label": "publication"}],
                fields={"languages": ["hy"], "scripts": ["Armn"], "publication": "Azg"},
                tags=["press", "yerevan"], media=pages["armenian"]),
        _record(RUSSIAN, SERIES_2, "item", "2", "Донесение о наёмниках", type="report",
                dates=[{"expression": "[1993,1995]", "label": "creation"}],
                fields={"languages": ["ru"], "scripts": ["Cyrl"]},
                links=[{"authority": A_ORG, "role": "author"}]),
        _record(TESTIMONY, SERIES_2, "item", "3", SECRET_WORDS, type="testimony",
                access={"status": "restricted", "reason": "Protects a living witness",
                        "until": None},
                fields={"interviewee": "Protected witness"},
                links=[{"authority": A_SECRET, "role": "subject"}]),
        _record(SECRET_CHILD, TESTIMONY, "item", "1", "Transcript of the protected testimony",
                type="testimony"),
    ]


def _page(folder: Path, name: str, size: tuple[int, int], label: str, **kw) -> dict:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 190, 170)).save(path, "JPEG")
    page = {"file": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "page_index": 0, "label": label, "transcriptions": [], "regions": []}
    page.update(kw)
    return page


@pytest.fixture
def media_root(tmp_path) -> Path:
    return tmp_path / "collection"


@pytest.fixture
def sample(media_root):
    """(catalogue, authorities by uuid, records) with page files under ``media_root``."""
    pages = {
        "letter": [
            _page(media_root, "media/letter-p1.jpg", (40, 60), "p. 1",
                  transcriptions=[{"kind": "transcription", "language": "prs",
                                   "text": "بسم الله"},
                                  {"kind": "translation", "language": "en",
                                   "text": "In the name of God"}],
                  regions=[{"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.1, "title": "Stamp",
                            "description": None, "transcription": None}]),
            _page(media_root, "media/letter-p2.jpg", (42, 64), "p. 2"),
        ],
        "armenian": [_page(media_root, "media/azg.jpg", (80, 50), "clipping")],
    }
    auths = {a["uuid"]: a for a in _authorities()}
    return copy.deepcopy(CATALOGUE), auths, _records(pages)


@pytest.fixture
def options(sample, media_root):
    catalogue, _, _ = sample
    return ExportOptions(catalogue=catalogue, media_root=media_root,
                         base_url="https://archive.example.org/iiif")


class _LocalSchemas(etree.Resolver):
    def resolve(self, url, pubid, context):
        name = url.rsplit("/", 1)[-1]
        if (SCHEMAS / name).exists():
            return self.resolve_filename(str(SCHEMAS / name), context)
        return None


def load_schema(name: str) -> etree.XMLSchema:
    """An XSD from ../shared/schemas, imports resolved locally; skips when absent."""
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} is absent: schema validation needs ../shared/schemas/{name}")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._ElementTree:
    doc = etree.fromstring(data).getroottree()
    if not schema.validate(doc):
        errors = "\n".join(str(e) for e in schema.error_log[:10])
        raise AssertionError(f"schema validation failed:\n{errors}")
    return doc
