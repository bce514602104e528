"""ArchivesSpace bulk-import spreadsheet as CSV (STANDARDS.md §8.2 (a)).

Row 1 holds the field codes and begins ``ArchivesSpace field code``; row 2 the labels (first
cell ``Field name``); every data row leaves column A empty. ``hierarchy`` is the integer depth
(1 for the records at the top of the export), ``level`` the lowercase EAD value, ``l_lang``
ISO 639-2/B (Dari → ``per``), ``date_certainty`` approximate or questionable. ``ead`` is the
reference code of the record's top ancestor: create a resource with that EAD id in ArchivesSpace
and import the file into it. Two dates, two languages, five people, two families, three
organisations and two subjects fit in a row, as in the template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from archivist.ops.exchange.common import (DictCsvWriter, ExportOptions, ReferenceCodes, is_open,
                                           public_records, text_out)
from archivist.ops.exchange.datemap import CERTAINTY_WORD, date_bounds
from archivist.ops.exchange.langs import to_iso639_2b


def _agents(prefix: str, n: int) -> list[str]:
    return [f"{prefix}_agent_{k}_{i}" for i in range(1, n + 1)
            for k in ("record_id", "header", "role", "relator")]


def _notes(*names: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [f"{p}_{n}" for n in names for p in ("n", "p", "l")] + list(extra)


FIRST = "ArchivesSpace field code (please don't edit this row)"
COLUMNS = (
    [FIRST, "collection_id", "ead", "res_uri", "ref_id", "title", "unit_id", "hierarchy",
     "level", "other_level", "publish", "restrictions_flag", "processing_note",
     "l_lang", "l_langscript", "n_langmaterial", "p_langmaterial",
     "l_lang_2", "l_langscript_2", "n_langmaterial_2", "p_langmaterial_2"]
    + [f"{k}_{i}" for i in (1, 2) for k in ("dates_label", "begin", "end", "date_type",
                                              "expression", "date_certainty", "date_era",
                                              "date_calendar")]
    + ["portion", "number", "extent_type", "container_summary", "physical_details",
       "dimensions", "portion_2", "number_2", "extent_type_2", "container_summary_2",
       "physical_details_2", "dimensions_2",
       "cont_instance_type", "type_1", "indicator_1", "barcode", "type_2", "indicator_2",
       "type_3", "indicator_3", "cont_instance_type_2", "type_1_2", "indicator_1_2",
       "barcode_2", "type_2_2", "indicator_2_2", "type_3_2", "indicator_3_2",
       "digital_object_id", "digital_object_title", "digital_object_publish", "rep_file_uri",
       "rep_use_statement", "rep_xlink_actuate_attribute", "rep_xlink_show_attribute",
       "rep_file_format", "rep_file_format_version", "rep_file_size", "rep_checksum",
       "rep_checksum_method", "rep_caption", "nonrep_file_uri", "nonrep_publish",
       "nonrep_use_statement", "nonrep_xlink_actuate_attribute", "nonrep_xlink_show_attribute",
       "nonrep_file_format", "nonrep_file_format_version", "nonrep_file_size",
       "nonrep_checksum", "nonrep_checksum_method", "nonrep_caption"]
    + _agents("people", 5) + _agents("families", 2) + _agents("corporate_entities", 3)
    + ["accession_uri_1"]
    + [f"subject_{i}_{k}" for i in (1, 2) for k in ("record_id", "term", "type", "source")]
    + _notes("abstract")
    + ["n_accessrestrict", "p_accessrestrict", "l_accessrestrict", "b_accessrestrict",
       "e_accessrestrict", "t_accessrestrict_1"]
    + _notes("acqinfo", "arrangement", "bioghist", "custodhist", "dimensions", "odd",
             "physdesc", "physfacet", "physloc", "prefercite", "processinfo", "relatedmaterial",
             "scopecontent", "separatedmaterial")
    + ["n_userestrict", "p_userestrict", "l_userestrict", "b_userestrict", "e_userestrict"])

NOTE_FIELDS = {"acquisition": "acqinfo", "arrangement": "arrangement",
               "admin_history": "bioghist", "archival_history": "custodhist",
               "dimensions": "dimensions", "physical_characteristics": "physdesc",
               "source_citation": "prefercite", "archivist_note": "processinfo",
               "related_units": "relatedmaterial", "scope_content": "scopecontent",
               "access_conditions": "accessrestrict", "reproduction_conditions": "userestrict"}
AGENT_PREFIX = {"person": ("people", 5), "family": ("families", 2),
                "organisation": ("corporate_entities", 3)}
AGENT_ROLE = {"creator": ("creator", ""), "author": ("creator", "aut"),
              "sender": ("creator", ""), "recipient": ("subject", "rcp"),
              "subject": ("subject", ""), "mentioned": ("subject", ""),
              "custodian": ("source", "")}
_EXTENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s+(.+?)\s*$")


def _label_row() -> dict:
    row = {c: c.replace("_", " ") for c in COLUMNS}
    row[FIRST] = "Field name"
    return row


def record_row(rec: dict, depth: int, ead: str | None, code: str | None,
               authorities: Mapping[str, dict]) -> dict:
    """One ArchivesSpace data row (column A empty)."""
    fields = rec.get("fields") or {}
    row = dict.fromkeys(COLUMNS, "")
    publish = "1" if is_open(rec) else "0"
    row.update({"ead": ead or "", "ref_id": rec["uuid"], "title": rec.get("title") or "",
                "unit_id": code or "", "hierarchy": str(depth), "level": rec.get("level"),
                "publish": publish, "restrictions_flag": "0" if is_open(rec) else "1"})
    for i, tag in enumerate((fields.get("languages") or [])[:2]):
        sfx = "" if i == 0 else "_2"
        row[f"l_lang{sfx}"] = to_iso639_2b(tag) or tag
        scripts = fields.get("scripts") or []
        row[f"l_langscript{sfx}"] = scripts[i] if i < len(scripts) else (scripts[0] if scripts else "")
    if fields.get("language_note"):
        row["n_langmaterial"], row["p_langmaterial"] = fields["language_note"], publish
    for i, date in enumerate((rec.get("dates") or [])[:2], start=1):
        b = date_bounds(date)
        row[f"dates_label_{i}"] = "publication" if date.get("label") == "publication" else "creation"
        row[f"begin_{i}"], row[f"end_{i}"] = b.start or "", b.end or ""
        row[f"date_type_{i}"] = "single" if b.start == b.end else "inclusive"
        row[f"expression_{i}"] = b.human if b.exact else f"{b.human} (EDTF {date['expression']})"
        row[f"date_certainty_{i}"] = CERTAINTY_WORD.get(b.certainty, "") if b.certainty else ""
        row[f"date_era_{i}"], row[f"date_calendar_{i}"] = "ce", "gregorian"
    m = _EXTENT.match(fields.get("extent_medium") or "")
    if m:
        row.update(portion="whole", number=m.group(1).replace(",", "."), extent_type=m.group(2))
    elif fields.get("extent_medium"):
        row["n_physfacet"], row["p_physfacet"] = fields["extent_medium"], publish
    if fields.get("location_box"):
        row.update(cont_instance_type="mixed_materials", type_1="Box",
                   indicator_1=fields["location_box"])
    if fields.get("location_folder"):
        row.update(type_2="Folder", indicator_2=fields["location_folder"])
    if fields.get("location_shelf"):
        row["n_physloc"], row["p_physloc"] = fields["location_shelf"], "0"
    pages = rec.get("media") or []
    if pages:
        row.update(digital_object_id=f"{rec['uuid']}-p1", digital_object_title=rec.get("title") or "",
                   digital_object_publish=publish, rep_file_uri=pages[0].get("file") or "",
                   rep_checksum=pages[0].get("sha256") or "", rep_checksum_method="sha-256",
                   rep_caption=pages[0].get("label") or "")
    used = {p: 0 for p, _ in AGENT_PREFIX.values()}
    subjects = []
    for link in rec.get("links") or []:
        auth = authorities.get(link["authority"])
        if not auth:
            continue
        if auth["kind"] == "place":
            subjects.append((auth["name"], "geographic"))
            continue
        prefix, limit = AGENT_PREFIX[auth["kind"]]
        if used[prefix] >= limit:
            continue
        used[prefix] += 1
        i = used[prefix]
        role, relator = AGENT_ROLE.get(link.get("role"), ("subject", ""))
        row[f"{prefix}_agent_header_{i}"] = auth["name"]
        row[f"{prefix}_agent_role_{i}"], row[f"{prefix}_agent_relator_{i}"] = role, relator
    subjects += [(t, "topical") for t in rec.get("tags") or []]
    for i, (term, kind) in enumerate(subjects[:2], start=1):
        row[f"subject_{i}_term"], row[f"subject_{i}_type"] = term, kind
        row[f"subject_{i}_source"] = "local"
    for fid, note in NOTE_FIELDS.items():
        if fields.get(fid):
            row[f"n_{note}"], row[f"p_{note}"] = fields[fid], publish if fid != "archivist_note" else "0"
    access = rec.get("access") or {}
    if not is_open(rec):
        reason = access.get("reason") or access.get("status")
        row["n_accessrestrict"] = " ".join(filter(None, [row["n_accessrestrict"], reason]))
        row["p_accessrestrict"], row["e_accessrestrict"] = "0", access.get("until") or ""
    if fields.get("general_note"):
        row["n_odd"], row["p_odd"] = "\n\n".join(fields["general_note"]), publish
    return row


def write_aspace_csv(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                     options: ExportOptions | None = None) -> int:
    """Write the ArchivesSpace bulk-import CSV, streaming.

    Returns:
        The number of data rows written.
    """
    options = options or ExportOptions()
    codes = ReferenceCodes()
    depth: dict[str, int] = {}
    top: dict[str, str | None] = {}
    count = 0
    with text_out(out) as fh:
        writer = DictCsvWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerow(_label_row())
        for rec in public_records(records, options):
            code = codes.code(rec)
            parent = rec.get("parent")
            depth[rec["uuid"]] = depth[parent] + 1 if parent in depth else 1
            top[rec["uuid"]] = top[parent] if parent in top else code
            writer.writerow(record_row(rec, depth[rec["uuid"]], top[rec["uuid"]], code,
                                       authorities))
            count += 1
    return count
