"""Check ``collection.json`` against the native format's rules (a standalone script, run by hand).

Usage::

    python sample_archive/check_collection.py [path/to/collection.json]

It checks what the importer relies on and what the sample archive promises: parents come before
their children and may contain them; every authority, record and relation target exists; every
date is EDTF with its start before its end; every field belongs to its record's template; every
page file exists inside the folder and matches its checksum; every record cites the article.
Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from pathlib import Path, PurePosixPath

from PIL import Image

from archivist.core.dates import parse_date
from archivist.core.errors import ArchivistError
from archivist.core.levels import can_contain
from archivist.core.templates import template_for

TOP_KEYS = {"format", "version", "catalogue", "authorities", "records"}
AUTHORITY_KEYS = {"uuid", "kind", "name", "variants", "dates", "description", "identifiers"}
RECORD_KEYS = {"uuid", "parent", "level", "identifier", "reference_code", "title", "type", "dates",
               "access", "description_status", "fields", "tags", "links", "relations", "media"}
PAGE_KEYS = {"file", "sha256", "page_index", "label", "transcriptions", "regions"}
KINDS = {"person", "organisation", "family", "place"}
ROLES = {"creator", "author", "sender", "recipient", "mentioned", "subject", "place_of_creation",
         "place_mentioned", "custodian"}
RELATIONS = {"responds_to", "annex_of", "cites", "translation_of", "copy_of", "related"}
SCRIPTS = {"Arab", "Armn", "Cyrl", "Latn"}
ARTICLE_TITLE = "Mujahideen Against Armenia In The Artsakh War"


def sha256(path: Path) -> str:
    """Return the SHA-256 of a file as lowercase hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_date(expression: str, where: str, problems: list[str]) -> None:
    try:
        parse_date(expression)
    except ArchivistError as exc:
        problems.append(f"{where}: {exc}")


def _empty(value) -> bool:
    return value == "" or value == [] or (isinstance(value, list) and any(v == "" for v in value))


def check_authorities(doc: dict, problems: list[str]) -> set[str]:
    """Check the authorities; return their uuids."""
    seen: set[str] = set()
    for a in doc["authorities"]:
        where = f"authority {a.get('name')!r}"
        if set(a) != AUTHORITY_KEYS:
            problems.append(f"{where}: keys {sorted(set(a) ^ AUTHORITY_KEYS)} differ from the format")
        uuid.UUID(a["uuid"])
        if a["uuid"] in seen:
            problems.append(f"{where}: duplicate uuid")
        seen.add(a["uuid"])
        if a["kind"] not in KINDS:
            problems.append(f"{where}: unknown kind {a['kind']!r}")
        if a["dates"] is not None:
            _check_date(a["dates"], where, problems)
        for var in a["variants"]:
            if not var.get("language") or var.get("script") not in SCRIPTS | {None}:
                problems.append(f"{where}: variant {var['name']!r} lacks a language or a known script")
        keys = [(v["name"], v["language"]) for v in a["variants"]]
        if len(set(keys)) != len(keys):
            problems.append(f"{where}: a variant repeats")
        if not (a["description"] or "").startswith(("According to the article", "Author of the article")):
            problems.append(f"{where}: description does not say it comes from the article")
    return seen


def check_records(doc: dict, base: Path, authorities: set[str], problems: list[str]) -> None:
    """Check records: hierarchy, references, dates, fields, access and pages."""
    levels: dict[str, str] = {}
    all_uuids = {r["uuid"] for r in doc["records"]}
    linked: set[str] = set()
    for r in doc["records"]:
        where = f"record {r.get('identifier')!r} {r.get('title', '')[:40]!r}"
        if set(r) != RECORD_KEYS:
            problems.append(f"{where}: keys {sorted(set(r) ^ RECORD_KEYS)} differ from the format")
            continue
        uuid.UUID(r["uuid"])
        if r["uuid"] in levels:
            problems.append(f"{where}: duplicate uuid")
        parent = r["parent"]
        if parent is not None:
            if parent not in levels:
                problems.append(f"{where}: parent does not come before it")
            elif not can_contain(levels[parent], r["level"]):
                problems.append(f"{where}: a {levels[parent]} cannot contain a {r['level']}")
        levels[r["uuid"]] = r["level"]
        for d in r["dates"]:
            _check_date(d["expression"], where, problems)
            if d["label"] not in ("creation", "accumulation", "publication"):
                problems.append(f"{where}: unknown date label {d['label']!r}")
        access = r["access"]
        if access["status"] == "restricted" and not access.get("reason"):
            problems.append(f"{where}: restricted without a reason")
        template = template_for(r["type"])
        for field_id, value in r["fields"].items():
            fdef = template.field(field_id)
            if fdef is None or fdef.kind == "authority":
                problems.append(f"{where}: field {field_id!r} is not in the {template.type} template")
                continue
            if fdef.repeatable != isinstance(value, list):
                problems.append(f"{where}: field {field_id!r} repeatable={fdef.repeatable} but got {value!r}")
            if _empty(value):
                problems.append(f"{where}: field {field_id!r} is empty (leave it out instead)")
        citation = r["fields"].get("source_citation", "")
        if ARTICLE_TITLE not in citation or "Pashayan" not in citation:
            problems.append(f"{where}: source_citation does not name the article")
        for link in r["links"]:
            linked.add(link["authority"])
            if link["authority"] not in authorities:
                problems.append(f"{where}: link to unknown authority {link['authority']}")
            if link["role"] not in ROLES:
                problems.append(f"{where}: unknown role {link['role']!r}")
        for rel in r["relations"]:
            if rel["target"] not in all_uuids or rel["target"] == r["uuid"]:
                problems.append(f"{where}: relation to unknown record {rel['target']}")
            if rel["type"] not in RELATIONS:
                problems.append(f"{where}: unknown relation {rel['type']!r}")
        check_pages(r, base, where, problems)
    for missing in sorted(authorities - linked):
        problems.append(f"authority {missing} is never linked")


def check_pages(r: dict, base: Path, where: str, problems: list[str]) -> None:
    """Check one record's pages: relative paths, checksums and page indexes."""
    if r["level"] == "item" and not 1 <= len(r["media"]) <= 3:
        problems.append(f"{where}: an item needs 1 to 3 page images (run make_scans.py)")
    for page in r["media"]:
        if not set(page) <= PAGE_KEYS:
            problems.append(f"{where}: page keys {sorted(set(page) - PAGE_KEYS)} unknown")
        rel = PurePosixPath(page["file"])
        if rel.is_absolute() or ".." in rel.parts:
            problems.append(f"{where}: page path {page['file']!r} leaves the folder")
            continue
        path = base / rel
        if not path.is_file():
            problems.append(f"{where}: page file {page['file']} is missing")
            continue
        if sha256(path) != page["sha256"]:
            problems.append(f"{where}: checksum of {page['file']} does not match")
        with Image.open(path) as im:
            frames = getattr(im, "n_frames", 1)
        if not 0 <= page["page_index"] < frames:
            problems.append(f"{where}: {page['file']} has no page {page['page_index']}")


def check(path: Path) -> list[str]:
    """Return the problems found in the collection at ``path`` (empty when it is sound)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    if set(doc) != TOP_KEYS or doc["format"] != "archivist-native" or doc["version"] != 1:
        problems.append("top level is not archivist-native version 1")
    authorities = check_authorities(doc, problems)
    check_records(doc, path.parent, authorities, problems)
    return problems


def main(argv: list[str]) -> int:
    """Check the collection named in ``argv`` (default: next to this script)."""
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("collection.json")
    problems = check(path)
    for p in problems:
        print(p)
    doc = json.loads(path.read_text(encoding="utf-8"))
    pages = sum(len(r["media"]) for r in doc["records"])
    print(f"{len(doc['authorities'])} authorities, {len(doc['records'])} records, {pages} pages, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
