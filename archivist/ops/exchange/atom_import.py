"""Readers for AtoM CSV: ISAD(G) descriptions and authority records (STANDARDS.md §8.1, §4).

Columns are matched by name, so AtoM's import template order and its export order both work;
unknown columns are ignored. Repeated values are split on ``|``; ``NULL`` is an empty slot.
``legacyId`` becomes a stable UUID (kept as is when it already is one, else a UUID 5 of it), so
re-importing the same file updates records instead of duplicating them.
"""

from __future__ import annotations

import csv
import re
import uuid as uuidlib
from collections.abc import Iterator

from archivist.core.dates import is_valid
from archivist.core.levels import LEVEL_LABELS
from archivist.ops.exchange.atom_csv import (DARI_NOTE, EDTF_NOTE, EVENT_TYPES, FIELD_COLUMNS,
                                             NOTE_FIELDS, STATUS_LABELS, TYPE_LABELS)
from archivist.ops.exchange.common import ReadResult, safe_relative_path
from archivist.ops.exchange.datemap import bounds
from archivist.ops.exchange.langs import from_code, text_script
from archivist.ops.exchange.validate import authority_problems, is_uuid, record_problems

ATOM_NAMESPACE = uuidlib.UUID("0e9d1c3a-5b7f-4e21-9a3d-6c8b2f1e4d5a")
_LEVELS = {label.lower(): level for level, label in LEVEL_LABELS.items()}
_LEVELS.update({"subfonds": "subfonds", "subseries": "subseries", "sub fonds": "subfonds",
                "sub series": "subseries"})
_EVENT_LABELS = {v.lower(): k for k, v in EVENT_TYPES.items()}
_STATUSES = {v.lower(): k for k, v in STATUS_LABELS.items()}
_TYPES = {v.lower(): k for k, v in TYPE_LABELS.items()}
_NOTE_LABELS = {label: fid for fid, label in NOTE_FIELDS.items()}
_KINDS = {"person": "person", "corporate body": "organisation", "family": "family"}


def stable_uuid(kind: str, key: str) -> str:
    """The UUID an AtoM key imports as: itself if already a UUID, else UUID 5 of kind and key."""
    key = key.strip()
    if is_uuid(key.lower()):
        return key.lower()
    return str(uuidlib.uuid5(ATOM_NAMESPACE, f"{kind}:{key}"))


def _split(cell: str | None) -> list[str]:
    if not cell:
        return []
    return [part.strip() for part in cell.split("|")]


def _values(cell: str | None) -> list[str]:
    return [v for v in _split(cell) if v and v != "NULL"]


def _rows(source) -> Iterator[tuple[int, dict]]:
    fh = open(source, encoding="utf-8-sig", newline="") if isinstance(source, str) or \
        hasattr(source, "__fspath__") else source
    try:
        reader = csv.DictReader(fh)
        for row in reader:
            yield reader.line_num, {k.strip(): v for k, v in row.items() if k}
    finally:
        if fh is not source:
            fh.close()


def _atom_date(value: str) -> str | None:
    """AtoM ISO date → EDTF: ``2016-00-00`` → ``2016``, ``2015-05-00`` → ``2015-05``."""
    value = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    year, month, day = m.groups()
    if not month or month == "00":
        return year
    if not day or day == "00":
        return f"{year}-{month}"
    return value


def _event_dates(row: dict, line: int, result: ReadResult) -> tuple[list[dict], list[str]]:
    starts, ends = _split(row.get("eventStartDates")), _split(row.get("eventEndDates"))
    types, texts = _split(row.get("eventTypes")), _split(row.get("eventDates"))
    notes = [n[len(EDTF_NOTE):] for n in _split(row.get("generalNote")) if n.startswith(EDTF_NOTE)]
    dates, extra_notes = [], []
    for i in range(max(len(starts), len(ends), len(texts))):
        start = _atom_date(starts[i]) if i < len(starts) and starts[i] != "NULL" else None
        end = _atom_date(ends[i]) if i < len(ends) and ends[i] != "NULL" else None
        text = texts[i] if i < len(texts) and texts[i] != "NULL" else ""
        label = _EVENT_LABELS.get((types[i] if i < len(types) else "").lower(), "creation")
        if start and end:
            expr = start if start == end else f"{start}/{end}"
        elif start or end:
            expr = f"{start}/.." if start else f"../{end}"
        else:
            if text:
                extra_notes.append(f"Date: {text}")
            continue
        # A date the writer normalised from EDTF comes back as the original expression.
        original = next((n for n in notes if _within(n, expr)), None)
        if original:
            notes.remove(original)
            expr = original
        if not is_valid(expr):
            result.refuse(line, f"event date {start or ''}…{end or ''} is not a valid date")
            continue
        dates.append({"expression": expr, "label": label})
    return dates, extra_notes


def _within(edtf: str, expr: str) -> bool:
    b = bounds(edtf)
    start, _, end = expr.partition("/")
    return b.start == (start if start != ".." else None) and \
        b.end == ((end or start) if end != ".." else None)


def isad_row(row: dict, line: int, result: ReadResult, authorities: dict) -> dict | None:
    """Build a RECORD dict (and its authorities) from one AtoM ISAD(G) row."""
    legacy = (row.get("legacyId") or "").strip()
    if not legacy:
        result.refuse(line, "legacyId is empty")
        return None
    if (row.get("qubitParentSlug") or "").strip() and not (row.get("parentId") or "").strip():
        result.refuse(line, "qubitParentSlug refers to an AtoM record that is not in this file")
        return None
    level_label = (row.get("levelOfDescription") or "").strip()
    level = _LEVELS.get(level_label.lower())
    if level is None:
        result.refuse(line, f"level of description {level_label!r} is not one of "
                            f"{', '.join(LEVEL_LABELS.values())}")
        return None
    fields: dict = {}
    for fid, col in FIELD_COLUMNS.items():
        if (row.get(col) or "").strip():
            fields[fid] = row[col].strip()
    note = (row.get("languageNote") or "").strip()
    dari = DARI_NOTE in note
    note = note.replace(DARI_NOTE, "").strip()
    langs = [("prs" if dari and code == "fa" else from_code(code))
             for code in _values(row.get("language"))]
    if langs:
        fields["languages"] = langs
    if _values(row.get("script")):
        fields["scripts"] = _values(row.get("script"))
    if note:
        fields["language_note"] = note
    dates, date_notes = _event_dates(row, line, result)
    general = []
    for text in _values(row.get("generalNote")) + date_notes:
        label, sep, value = text.partition(": ")
        if text.startswith(EDTF_NOTE):
            continue
        if sep and label in _NOTE_LABELS:
            fields[_NOTE_LABELS[label]] = value
        else:
            general.append(text)
    for col in ("digitalObjectURI", "digitalObjectPath"):
        value = (row.get(col) or "").strip()
        if not value:
            continue
        if col == "digitalObjectPath" and safe_relative_path(value) is None:
            result.refuse(line, f"digitalObjectPath {value!r} points outside the catalogue")
            return None
        general.append(f"Digital object: {value}")
    if general:
        fields["general_note"] = general
    links = _links(row, authorities)
    status = (row.get("publicationStatus") or "").strip().lower()
    access = {"status": "open", "reason": None, "until": None}
    if status == "draft":
        access = {"status": "restricted", "reason": "Unpublished (Draft) in the AtoM file",
                  "until": None}
    parent = (row.get("parentId") or "").strip()
    genre = _values(row.get("genreAccessPoints"))
    rtype = _TYPES.get(genre[0].lower()) if genre else None
    tags = _values(row.get("subjectAccessPoints")) + [g for g in genre if _TYPES.get(g.lower()) != rtype]
    alt = _values(row.get("alternativeIdentifiers"))
    alt_labels = _values(row.get("alternativeIdentifierLabels"))
    refcode = next((a for a, lab in zip(alt, alt_labels) if lab == "Reference code"), None)
    return {"uuid": stable_uuid("record", legacy),
            "parent": stable_uuid("record", parent) if parent else None,
            "level": level, "identifier": (row.get("identifier") or "").strip() or None,
            "reference_code": refcode, "title": (row.get("title") or "").strip(),
            "type": rtype if level in ("file", "item") else None, "dates": dates,
            "access": access,
            "description_status": _STATUSES.get((row.get("descriptionStatus") or "").strip().lower(),
                                                 "draft"),
            "fields": fields, "tags": tags, "links": links, "relations": [], "media": []}


def _authority(authorities: dict, kind: str, name: str, history: str | None = None) -> str:
    uid = stable_uuid(f"authority-{kind}", name)
    auth = authorities.setdefault(uid, {"uuid": uid, "kind": kind, "name": name, "variants": [],
                                        "dates": None, "description": None, "identifiers": []})
    if history and not auth["description"]:
        auth["description"] = history
    return uid


def _links(row: dict, authorities: dict) -> list[dict]:
    links = []
    actors, histories = _split(row.get("eventActors")), _split(row.get("eventActorHistories"))
    places = _split(row.get("eventPlaces"))
    for i, name in enumerate(actors):
        if name and name != "NULL":
            hist = histories[i] if i < len(histories) and histories[i] != "NULL" else None
            uid = _authority(authorities, "person", name, hist)
            links.append({"authority": uid, "role": "creator"})
        if i < len(places) and places[i] not in ("", "NULL"):
            uid = _authority(authorities, "place", places[i])
            links.append({"authority": uid, "role": "place_of_creation"})
    for name in _values(row.get("nameAccessPoints")):
        links.append({"authority": _authority(authorities, "person", name), "role": "subject"})
    for name in _values(row.get("placeAccessPoints")):
        links.append({"authority": _authority(authorities, "place", name),
                      "role": "place_mentioned"})
    unique, seen = [], set()
    for link in links:
        key = (link["authority"], link["role"])
        if key not in seen:
            seen.add(key)
            unique.append(link)
    return unique


def read_atom_isad_csv(source, known_parent=None) -> ReadResult:
    """Read an AtoM ISAD(G) CSV (template or export column order) into native dicts.

    Args:
        source: a path or a text stream.
        known_parent: optional ``uuid → bool``: whether a record is already in the catalogue, so
            that ``parentId`` may name a ``legacyId`` imported by an earlier file.

    Returns:
        Records (parents first), the authorities named in events and access points, and every
        refused row with its line and reason.
    """
    result = ReadResult()
    authorities: dict[str, dict] = {}
    seen: set[str] = set()
    for line, row in _rows(source):
        if not any((v or "").strip() for v in row.values()):
            continue
        before = len(result.refusals)
        rec = isad_row(row, line, result, authorities)
        if rec is None or len(result.refusals) > before:
            continue
        problems = record_problems(rec)
        if rec["uuid"] in seen:
            problems.append(f"legacyId {row.get('legacyId')!r} appears twice")
        if rec["parent"] and rec["parent"] not in seen and not (
                known_parent and known_parent(rec["parent"])):
            problems.append(f"parentId {row.get('parentId')!r} is not the legacyId of an "
                            "earlier row")
        for reason in problems:
            result.refuse(line, reason)
        if not problems:
            seen.add(rec["uuid"])
            result.records.append(rec)
    result.authorities = list(authorities.values())
    result.stub_authorities = True
    return result


def read_atom_authority_csv(source) -> ReadResult:
    """Read an AtoM authority-record CSV into AUTHORITY dicts.

    ``typeOfEntity`` Person / Corporate body / Family become person / organisation / family;
    parallel, standardized and other forms become variants (script detected from the text);
    ``datesOfExistence`` is kept as EDTF when it is, else as a line of the description.
    """
    result = ReadResult()
    seen: set[str] = set()
    for line, row in _rows(source):
        name = (row.get("authorizedFormOfName") or "").strip()
        kind = _KINDS.get((row.get("typeOfEntity") or "").strip().lower())
        if kind is None:
            result.refuse(line, f"typeOfEntity {row.get('typeOfEntity')!r} is not Person, "
                                "Corporate body or Family")
            continue
        culture = (row.get("culture") or "").strip() or None
        variants = []
        for col in ("parallelFormsOfName", "standardizedFormsOfName", "otherFormsOfName"):
            for variant in _values(row.get(col)):
                variants.append({"name": variant, "language": culture,
                                 "script": text_script(variant)})
        dates = (row.get("datesOfExistence") or "").strip()
        parts = []
        if dates and not is_valid(dates):
            parts.append(f"Dates of existence: {dates}")
            dates = ""
        for col, label in (("history", None), ("places", "Places"), ("legalStatus", "Legal status"),
                           ("functions", "Functions"), ("mandates", "Mandates"),
                           ("internalStructures", "Internal structures"),
                           ("generalContext", "General context"), ("sources", "Sources")):
            value = (row.get(col) or "").strip()
            if value:
                parts.append(f"{label}: {value}" if label else value)
        identifiers = [{"scheme": "atom-corporate-body", "value": v}
                       for v in _values(row.get("corporateBodyIdentifiers"))]
        auth = {"uuid": stable_uuid(f"authority-{kind}", name), "kind": kind, "name": name,
                "variants": variants, "dates": dates or None,
                "description": "\n\n".join(parts) or None, "identifiers": identifiers}
        problems = authority_problems(auth)
        if auth["uuid"] in seen:
            problems.append(f"{name!r} appears twice")
        for reason in problems:
            result.refuse(line, reason)
        if not problems:
            seen.add(auth["uuid"])
            result.authorities.append(auth)
    return result
