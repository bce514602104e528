"""A printable finding aid in HTML for a reading room: title page, contents, descriptions, index.

Two passes over the records (spooled if they come as a one-shot stream): the first writes the
contents, the second the descriptions; names and places linked from the records are gathered on
the way and printed as an index pointing to the reference codes. Text in Arabic script is marked
``dir="auto"`` and ``lang`` so that it reads right to left. Print CSS: A4, a page break after the
title page and before the index. Qt can print this HTML to PDF (see the export op).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from html import escape

from archivist.core.levels import LEVEL_LABELS
from archivist.ops.exchange.common import (INTERNAL_FIELDS, ExportOptions, ReferenceCodes,
                                           public_records, reiterable, text_out)
from archivist.ops.exchange.datemap import bounds
from archivist.ops.exchange.langs import language_name, text_language

LABELS = {"extent_medium": "Extent and medium", "admin_history": "Administrative / biographical history",
          "archival_history": "Archival history", "acquisition": "Immediate source of acquisition",
          "scope_content": "Scope and content", "appraisal": "Appraisal, destruction and scheduling",
          "accruals": "Accruals", "arrangement": "System of arrangement",
          "access_conditions": "Conditions governing access",
          "reproduction_conditions": "Conditions governing reproduction",
          "language_note": "Language note", "physical_characteristics": "Physical characteristics",
          "finding_aids": "Finding aids", "originals_location": "Existence and location of originals",
          "copies_location": "Existence and location of copies",
          "related_units": "Related units of description", "publication_note": "Publication note",
          "general_note": "Note", "archivist_note": "Archivist's note", "rules": "Rules or conventions",
          "source_citation": "Source citation", "location_repository": "Repository",
          "location_box": "Box", "location_folder": "Folder", "location_shelf": "Shelf"}
ROLE_LABELS = {"creator": "Creator", "author": "Author", "sender": "Sender",
               "recipient": "Recipient", "mentioned": "Mentioned", "subject": "Subject",
               "place_of_creation": "Place of creation", "place_mentioned": "Place mentioned",
               "custodian": "Custodian"}
CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: "Noto Serif", "Noto Naskh Arabic", "Noto Sans Armenian", serif; font-size: 11pt; }
.title-page { text-align: center; page-break-after: always; padding-top: 30%; }
.title-page h1 { font-size: 24pt; }
nav li { list-style: none; }
section.record { page-break-inside: avoid; margin: 0 0 1.2em 0; }
section.record h2, section.record h3, section.record h4 { margin-bottom: .2em; }
dl { margin: 0; } dt { font-weight: bold; margin-top: .4em; } dd { margin-left: 1.5em; }
.refcode { font-family: monospace; color: #333; }
.index { page-break-before: always; }
"""


def _text(value: str, languages: list[str] | None, tag: str = "span") -> str:
    lang, _ = text_language(value, languages)
    attrs = f' lang="{escape(lang)}"' if lang else ""
    paras = escape(value).replace("\n\n", "</p><p>").replace("\n", "<br>")
    if tag == "p":
        return f'<p dir="auto"{attrs}>{paras}</p>'
    return f'<{tag} dir="auto"{attrs}>{escape(value)}</{tag}>'


def write_finding_aid_html(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                           options: ExportOptions | None = None) -> int:
    """Write the printable finding aid.

    Args:
        records: RECORD dicts in depth-first order.
        authorities: uuid → AUTHORITY dict, for creators and the index.
        out: a path or a text/binary stream.
        options: ``public`` (restricted records and internal fields left out) and ``catalogue``.

    Returns:
        The number of records described.
    """
    options = options or ExportOptions()
    with reiterable(public_records(records, options)) as again:
        return _write(again, authorities, out, options)


def _write(again, authorities, out, options: ExportOptions) -> int:
    catalogue = options.catalogue or {}
    name = catalogue.get("name") or "Catalogue"
    index: dict[str, tuple[str, set[str]]] = {}
    count = 0
    with text_out(out) as fh:
        w = fh.write
        w(f'<!DOCTYPE html>\n<html lang="{escape(catalogue.get("description_language") or "en")}">'
          f'<head><meta charset="utf-8"><title>Finding aid: {escape(name)}</title>'
          f"<style>{CSS}</style></head><body>\n")
        w(f'<div class="title-page"><h1 dir="auto">{escape(name)}</h1><p>Finding aid</p>'
          f"<p>{escape(' '.join(filter(None, [catalogue.get('country_code'), catalogue.get('repository_code')])))}</p>"
          f"<p>{date.today().isoformat()}</p>"
          f"{'<p>Public edition</p>' if options.public else ''}</div>\n")
        w("<nav><h2>Contents</h2><ul>\n")
        depth: dict[str, int] = {}
        codes = ReferenceCodes()
        for rec in again():
            d = depth[rec["uuid"]] = depth.get(rec.get("parent"), -1) + 1
            code = codes.code(rec)
            if rec.get("level") == "item":
                continue
            w(f'<li style="margin-left:{d * 1.5}em"><a href="#r-{rec["uuid"]}">'
              f'<span class="refcode">{escape(code or "")}</span></a> '
              f'{_text(rec.get("title") or "", (rec.get("fields") or {}).get("languages"))}</li>\n')
        w("</ul></nav>\n<main>\n")
        codes = ReferenceCodes()
        for rec in again():
            code = codes.code(rec)
            _record(w, rec, code, depth.get(rec["uuid"], 0), authorities, index, options)
            count += 1
        w('</main>\n<section class="index"><h2>Index of names and places</h2><dl>\n')
        for key in sorted(index, key=str.casefold):
            label, refs = index[key]
            links = ", ".join(f'<a href="#r-{escape(u)}">{escape(c)}</a>'
                              for c, u in sorted(refs))
            w(f"<dt>{_text(key, None)} <small>({escape(label)})</small></dt><dd>{links}</dd>\n")
        w("</dl></section>\n</body></html>\n")
    return count


def _record(w, rec, code, depth, authorities, index, options) -> None:
    fields = rec.get("fields") or {}
    langs = fields.get("languages")
    h = f"h{min(2 + depth, 6)}"
    level = LEVEL_LABELS.get(rec.get("level"), rec.get("level") or "")
    w(f'<section class="record" id="r-{rec["uuid"]}" style="margin-left:{min(depth, 6)}em">'
      f'<{h}><span class="refcode">{escape(code or "")}</span> '
      f'{_text(rec.get("title") or "", langs)}</{h}><dl>')
    w(f"<dt>Level of description</dt><dd>{escape(level)}</dd>")
    dates = [bounds(d["expression"]).human for d in rec.get("dates") or []]
    if dates:
        w(f"<dt>Dates</dt><dd>{escape('; '.join(dates))}</dd>")
    if langs:
        w(f"<dt>Languages</dt><dd>{escape(', '.join(language_name(t) for t in langs))}</dd>")
    access = rec.get("access") or {}
    if access.get("status") and access["status"] != "open":
        w(f"<dt>Access</dt><dd>{escape(access['status'].capitalize())}"
          f"{escape(': ' + access['reason']) if access.get('reason') else ''}</dd>")
    for link in rec.get("links") or []:
        auth = authorities.get(link["authority"])
        if not auth:
            continue
        w(f"<dt>{escape(ROLE_LABELS.get(link['role'], link['role']))}</dt>"
          f"<dd>{_text(auth['name'], None)}</dd>")
        kind = "place" if auth.get("kind") == "place" else "name"
        index.setdefault(auth["name"], (kind, set()))[1].add((code or "", rec["uuid"]))
    for fid, label in LABELS.items():
        value = fields.get(fid)
        if not value or (options.public and fid in INTERNAL_FIELDS):
            continue
        for v in value if isinstance(value, list) else [value]:
            w(f"<dt>{escape(label)}</dt><dd>{_text(v, langs, 'p')}</dd>")
    w("</dl></section>\n")
