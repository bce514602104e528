"""AtoM ISAD(G) CSV (STANDARDS.md §8.1): AtoM's export column set and conventions.

UTF-8 without BOM, LF line ends, ``|`` between repeated values, ``legacyId`` on every row and
``parentId`` pointing to the parent's ``legacyId`` (parents come first). Languages are ISO 639-1
(Dari → ``fa`` with a language note), scripts ISO 15924. Events are parallel ``|`` lists with
``NULL`` placeholders. The reader is :mod:`archivist.ops.exchange.atom_import`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from archivist.core.levels import LEVEL_LABELS
from archivist.ops.exchange.common import (DictCsvWriter, ExportOptions, is_open, public_records,
                                           text_out)
from archivist.ops.exchange.datemap import date_bounds
from archivist.ops.exchange.langs import to_iso639_1

COLUMNS = ("legacyId,parentId,qubitParentSlug,identifier,accessionNumber,title,levelOfDescription,"
           "extentAndMedium,repository,archivalHistory,acquisition,scopeAndContent,appraisal,"
           "accruals,arrangement,accessConditions,reproductionConditions,language,script,"
           "languageNote,physicalCharacteristics,findingAids,locationOfOriginals,locationOfCopies,"
           "relatedUnitsOfDescription,publicationNote,digitalObjectURI,digitalObjectChecksum,"
           "generalNote,subjectAccessPoints,placeAccessPoints,nameAccessPoints,genreAccessPoints,"
           "descriptionIdentifier,institutionIdentifier,rules,descriptionStatus,levelOfDetail,"
           "revisionHistory,languageOfDescription,scriptOfDescription,sources,archivistNote,"
           "publicationStatus,physicalObjectName,physicalObjectLocation,physicalObjectType,"
           "alternativeIdentifiers,alternativeIdentifierLabels,eventDates,eventTypes,"
           "eventStartDates,eventEndDates,eventDescriptions,eventActors,eventActorHistories,"
           "eventPlaces,slug,culture").split(",")

#: Native text field → AtoM column (one to one).
FIELD_COLUMNS = {"extent_medium": "extentAndMedium", "archival_history": "archivalHistory",
                 "acquisition": "acquisition", "scope_content": "scopeAndContent",
                 "appraisal": "appraisal", "accruals": "accruals", "arrangement": "arrangement",
                 "access_conditions": "accessConditions",
                 "reproduction_conditions": "reproductionConditions",
                 "physical_characteristics": "physicalCharacteristics",
                 "finding_aids": "findingAids", "originals_location": "locationOfOriginals",
                 "copies_location": "locationOfCopies", "related_units": "relatedUnitsOfDescription",
                 "publication_note": "publicationNote", "rules": "rules",
                 "source_citation": "sources", "archivist_note": "archivistNote",
                 "location_box": "physicalObjectName", "location_shelf": "physicalObjectLocation"}
#: Type-specific fields carried as "Label: value" general notes.
NOTE_FIELDS = {"url": "URL", "publisher": "Publisher", "place_of_publication": "Place of publication",
               "pages": "Pages", "isbn": "ISBN", "series_title": "Series title",
               "publication": "Publication", "edition": "Edition", "material": "Material",
               "dimensions": "Dimensions", "interviewer": "Interviewer", "interviewee": "Interviewee",
               "page_range": "Page range", "location_repository": "Repository (location)",
               "location_folder": "Folder", "admin_history": "Administrative history"}
EVENT_TYPES = {"creation": "Creation", "accumulation": "Accumulation", "publication": "Publication"}
STATUS_LABELS = {"draft": "Draft", "revised": "Revised", "final": "Final"}
TYPE_LABELS = {"letter": "Letter", "captured_document": "Captured document",
               "press_clipping": "Press clipping", "report": "Report",
               "book_extract": "Book extract", "photograph": "Photograph",
               "physical_object": "Physical object", "testimony": "Testimony",
               "web_article": "Web article", "other": "Other"}
#: The sentence added to languageNote when Dari is written as ``fa``; the reader undoes it.
DARI_NOTE = "Language code fa here means Dari (ISO 639-3 prs)."
EDTF_NOTE = "Date (EDTF): "
NAME_ROLES = ("author", "sender", "recipient", "mentioned", "subject", "custodian")
PLACE_ROLES = ("place_of_creation", "place_mentioned")


def _pipe(values: Iterable[str]) -> str:
    return "|".join(v.replace("|", "/") for v in values)


def _languages(fields: dict) -> tuple[str, str]:
    codes, note = [], fields.get("language_note") or ""
    for tag in fields.get("languages") or []:
        code = to_iso639_1(tag) or tag
        if code not in codes:
            codes.append(code)
    if any(t.split("-")[0] == "prs" for t in fields.get("languages") or []):
        note = f"{note} {DARI_NOTE}".strip()
    return "|".join(codes), note


def _events(rec: dict, authorities: Mapping[str, dict]) -> dict:
    creators = [authorities.get(ln["authority"]) for ln in rec.get("links") or []
                if ln.get("role") == "creator"]
    creators = [a for a in creators if a]
    place = next((authorities.get(ln["authority"]) for ln in rec.get("links") or []
                  if ln.get("role") == "place_of_creation" and authorities.get(ln["authority"])),
                 None)
    ev = {k: [] for k in ("eventDates", "eventTypes", "eventStartDates", "eventEndDates",
                          "eventDescriptions", "eventActors", "eventActorHistories",
                          "eventPlaces")}
    notes = []
    free = list(creators)
    for date in rec.get("dates") or []:
        b = date_bounds(date)
        label = date.get("label") or "creation"
        actor = free.pop(0) if label == "creation" and free else None
        ev["eventDates"].append(b.human)
        ev["eventTypes"].append(EVENT_TYPES.get(label, "Creation"))
        ev["eventStartDates"].append(b.start or "NULL")
        ev["eventEndDates"].append(b.end or "NULL")
        ev["eventDescriptions"].append("NULL")
        ev["eventActors"].append(actor["name"] if actor else "NULL")
        ev["eventActorHistories"].append((actor or {}).get("description") or "NULL")
        ev["eventPlaces"].append(place["name"] if place and label == "creation" else "NULL")
        if not b.exact:
            notes.append(EDTF_NOTE + date["expression"])
    for actor in free:
        for key in ev:
            ev[key].append("NULL")
        ev["eventTypes"][-1] = "Creation"
        ev["eventActors"][-1] = actor["name"]
        ev["eventActorHistories"][-1] = actor.get("description") or "NULL"
    if all(v == "NULL" for v in ev["eventDescriptions"]):
        ev["eventDescriptions"] = []
    if all(v == "NULL" for v in ev["eventPlaces"]):
        ev["eventPlaces"] = []
    row = {k: _pipe(v) for k, v in ev.items()}
    row["_notes"] = notes
    return row


def record_row(rec: dict, authorities: Mapping[str, dict], options: ExportOptions,
               exported: set[str]) -> dict:
    """Map one RECORD dict to an AtoM ISAD(G) row."""
    fields = rec.get("fields") or {}
    catalogue = options.catalogue or {}
    row = dict.fromkeys(COLUMNS, "")
    row["legacyId"] = rec["uuid"]
    row["parentId"] = rec.get("parent") if rec.get("parent") in exported else ""
    if not row["parentId"]:  # AtoM attaches top-level descriptions to a repository by name
        row["repository"] = catalogue.get("name") or ""
    row["identifier"] = rec.get("identifier") or ""
    row["title"] = rec.get("title") or ""
    row["levelOfDescription"] = LEVEL_LABELS.get(rec.get("level"), rec.get("level") or "")
    for fid, col in FIELD_COLUMNS.items():
        row[col] = fields.get(fid) or ""
    if fields.get("location_box") or fields.get("location_shelf"):
        row["physicalObjectType"] = "Box"
    row["language"], row["languageNote"] = _languages(fields)
    row["script"] = _pipe(fields.get("scripts") or [])
    events = _events(rec, authorities)
    notes = list(fields.get("general_note") or [])
    notes += [f"{label}: {fields[fid]}" for fid, label in NOTE_FIELDS.items() if fields.get(fid)]
    notes += events.pop("_notes")
    row["generalNote"] = _pipe(notes)
    row.update(events)
    names, places = [], []
    for link in rec.get("links") or []:
        auth = authorities.get(link["authority"])
        if not auth:
            continue
        if auth.get("kind") == "place" or link.get("role") in PLACE_ROLES:
            if link.get("role") != "place_of_creation" and auth["name"] not in places:
                places.append(auth["name"])
        elif link.get("role") in NAME_ROLES and auth["name"] not in names:
            names.append(auth["name"])
    row["nameAccessPoints"], row["placeAccessPoints"] = _pipe(names), _pipe(places)
    row["subjectAccessPoints"] = _pipe(rec.get("tags") or [])
    row["genreAccessPoints"] = TYPE_LABELS.get(rec.get("type"), "")
    row["institutionIdentifier"] = catalogue.get("repository_code") or ""
    row["descriptionStatus"] = STATUS_LABELS.get(rec.get("description_status"), "Draft")
    row["publicationStatus"] = "Published" if is_open(rec) else "Draft"
    if rec.get("reference_code"):
        row["alternativeIdentifiers"] = rec["reference_code"]
        row["alternativeIdentifierLabels"] = "Reference code"
    desc_lang = to_iso639_1(catalogue.get("description_language") or "en") or "en"
    row["languageOfDescription"] = row["culture"] = desc_lang
    row["scriptOfDescription"] = "Latn" if desc_lang in ("en", "fr", "de", "az") else ""
    return row


def write_atom_csv(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                   options: ExportOptions | None = None) -> int:
    """Write AtoM ISAD(G) CSV, streaming (header exactly AtoM's export column set).

    Args:
        records: RECORD dicts in depth-first order.
        authorities: uuid → AUTHORITY dict (names of creators, access points, places).
        out: a path or a stream.
        options: ``public`` drops non-open records and internal fields; ``catalogue`` gives the
            institution identifier and the language of description.

    Returns:
        The number of rows written.
    """
    options = options or ExportOptions()
    exported: set[str] = set()
    count = 0
    with text_out(out) as fh:
        writer = DictCsvWriter(fh, COLUMNS)
        writer.writeheader()
        for rec in public_records(records, options):
            writer.writerow(record_row(rec, authorities, options, exported))
            exported.add(rec["uuid"])
            count += 1
    return count
