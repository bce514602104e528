"""EAD 2002 finding aid (STANDARDS.md §3.3), the interchange baseline AtoM and ArchivesSpace import.

Streamed like EAD3 (same skeleton, unnumbered ``c``). Differences that matter: ``eadheader``
instead of ``control``; names are plain text; no structured dates (``unitdate/@normal`` with ISO
bounds, ``@certainty``, and the EDTF in a ``note`` when ISO cannot say it); languages are ISO
639-2/B (Dari → ``per``, Armenian → ``arm``) with the language named in the text; no
``xml:lang`` on ``unittitle``; ``dao`` uses ``xlink:href``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from lxml import etree

from archivist.ops.exchange.common import AGENT, ExportOptions
from archivist.ops.exchange.datemap import CERTAINTY_WORD, date_bounds
from archivist.ops.exchange.ead3 import DESC_ELEMENTS, XSI, write_finding_aid
from archivist.ops.exchange.langs import language_name, to_iso639_2b

NS = "urn:isbn:1-931666-22-9"
XLINK = "http://www.w3.org/1999/xlink"
SCHEMA_LOCATION = f"{NS} https://www.loc.gov/ead/ead.xsd"
NAME_ELEMENT = {"person": "persname", "organisation": "corpname", "family": "famname",
                "place": "geogname"}
ORIGINATION_ELEMENT = {"person": "persname", "organisation": "corpname", "family": "famname",
                       "place": "name"}
INTERNAL_LOCATION = ("location_repository", "location_box", "location_folder", "location_shelf")
SKIP_ODD = frozenset({"extent_medium", "languages", "scripts", "language_note", "general_note",
                      *INTERNAL_LOCATION, *(f for f, _, _ in DESC_ELEMENTS)})


def E(tag: str, text: str | None = None, **attrib) -> etree._Element:
    """An EAD 2002 element (``xlink_href`` → ``xlink:href``)."""
    el = etree.Element(f"{{{NS}}}{tag}", nsmap={None: NS, "xlink": XLINK})
    for key, value in attrib.items():
        if value is None:
            continue
        if key.startswith("xlink_"):
            el.set(f"{{{XLINK}}}{key[6:]}", str(value))
        else:
            el.set(key.rstrip("_"), str(value))
    if text is not None:
        el.text = text
    return el


def sub(parent, tag, text=None, **attrib):
    """Append :func:`E` to ``parent`` and return it."""
    el = E(tag, text, **attrib)
    parent.append(el)
    return el


def _paras(parent, text: str) -> None:
    for part in [p for p in text.split("\n\n") if p] or [text]:
        sub(parent, "p", part)


def _did(rec, code, authorities, options, top) -> etree._Element:
    fields = rec.get("fields") or {}
    catalogue = options.catalogue or {}
    did = E("did")
    if code:
        sub(did, "unitid", code, countrycode=catalogue.get("country_code") if top else None,
            repositorycode=catalogue.get("repository_code") if top else None,
            encodinganalog="3.1.1")
    sub(did, "unittitle", rec.get("title") or "", encodinganalog="3.1.2")
    notes = []
    for date in rec.get("dates") or []:
        b = date_bounds(date)
        sub(did, "unitdate", b.human, normal=b.normal,
            type="inclusive" if b.start != b.end else None,
            certainty=CERTAINTY_WORD.get(b.certainty) if b.certainty else None,
            datechar=date.get("label"), encodinganalog="3.1.3")
        if not b.exact:
            notes.append(f"Date (EDTF): {date['expression']} ({b.human})")
    if fields.get("extent_medium"):
        pd = sub(did, "physdesc", encodinganalog="3.1.5")
        sub(pd, "extent", fields["extent_medium"])
    creators = [authorities.get(ln["authority"]) for ln in rec.get("links") or []
                if ln.get("role") == "creator"]
    creators = [a for a in creators if a]
    if creators:
        orig = sub(did, "origination", encodinganalog="3.2.1")
        for auth in creators:
            sub(orig, ORIGINATION_ELEMENT[auth["kind"]], auth["name"], role="creator")
    for fid in INTERNAL_LOCATION:
        if fields.get(fid):
            sub(did, "physloc", fields[fid], type=fid)
    langs = fields.get("languages") or []
    if langs or fields.get("language_note"):
        lm = sub(did, "langmaterial", encodinganalog="3.4.3")
        scripts = fields.get("scripts") or []
        for tag in langs:
            lang = sub(lm, "language", language_name(tag),
                       langcode=to_iso639_2b(tag) or tag)
            if len(scripts) == 1:
                lang.set("scriptcode", scripts[0])
        if fields.get("language_note"):
            lm[-1].tail = None
            if len(lm):
                lm[-1].tail = ". " + fields["language_note"]
            else:
                lm.text = fields["language_note"]
    for page in rec.get("media") or []:
        sub(did, "dao", xlink_type="simple", xlink_href=page.get("file"),
            xlink_title=page.get("label"))
    for note in notes:
        n = sub(did, "note", type="edtf")
        sub(n, "p", note)
    return did


def _description(rec, authorities) -> list[etree._Element]:
    fields = rec.get("fields") or {}
    out = []
    access = rec.get("access") or {}
    if (access.get("status") or "open") != "open" or fields.get("access_conditions"):
        ar = E("accessrestrict", encodinganalog="3.4.1")
        if access.get("status") and access["status"] != "open":
            sub(ar, "p", f"{access['status'].capitalize()}."
                         + (f" {access['reason']}" if access.get("reason") else "")
                         + (f" Until {access['until']}." if access.get("until") else ""))
        if fields.get("access_conditions"):
            _paras(ar, fields["access_conditions"])
        out.append(ar)
    for fid, tag, isad in DESC_ELEMENTS:
        if fid != "access_conditions" and fields.get(fid):
            el = E(tag, encodinganalog=isad)
            _paras(el, fields[fid])
            out.append(el)
    for note in fields.get("general_note") or []:
        el = E("odd", encodinganalog="3.6.1")
        _paras(el, note)
        out.append(el)
    for fid, value in fields.items():
        if fid in SKIP_ODD:
            continue
        el = E("odd", type=fid)
        _paras(el, "; ".join(value) if isinstance(value, list) else str(value))
        out.append(el)
    ca = E("controlaccess")
    if rec.get("type"):
        sub(ca, "genreform", rec["type"].replace("_", " "))
    for tag in rec.get("tags") or []:
        sub(ca, "subject", tag)
    for link in rec.get("links") or []:
        auth = authorities.get(link["authority"])
        if auth and link.get("role") != "creator":
            sub(ca, NAME_ELEMENT[auth["kind"]], auth["name"], role=link.get("role"))
    if len(ca):
        out.append(ca)
    return out


class _Ead2002:
    namespaces = {"xmlns": NS, "xmlns:xlink": XLINK, "xmlns:xsi": XSI}
    schema_location = SCHEMA_LOCATION

    def header(self, first, code, options):
        catalogue = options.catalogue or {}
        name = catalogue.get("name") or "Archivist catalogue"
        header = E("eadheader")
        sub(header, "eadid", code or catalogue.get("repository_code") or "archivist",
            countrycode=catalogue.get("country_code"),
            mainagencycode=catalogue.get("repository_code"))
        fd = sub(header, "filedesc")
        ts = sub(fd, "titlestmt")
        title = first["title"] if first and not options.collection_wrapper else name
        sub(ts, "titleproper", f"Guide to {title}")
        pd = sub(header, "profiledesc")
        creation = sub(pd, "creation", f"Exported by {AGENT} on ")
        today = datetime.now(timezone.utc).date().isoformat()
        sub(creation, "date", today, normal=today)
        lu = sub(pd, "langusage")
        desc_lang = catalogue.get("description_language") or "en"
        sub(lu, "language", language_name(desc_lang), langcode=to_iso639_2b(desc_lang))
        sub(pd, "descrules", "ISAD(G): General International Standard Archival Description, "
                             "2nd ed.")
        return header

    def wrapper_did(self, options):
        catalogue = options.catalogue or {}
        did = E("did")
        sub(did, "unittitle", catalogue.get("name") or "Catalogue")
        return did

    def component(self, rec, code, authorities, options, top):
        return [_did(rec, code, authorities, options, top)] + _description(rec, authorities)


def write_ead2002(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                  options: ExportOptions | None = None) -> int:
    """Write an EAD 2002 finding aid, streaming (see :func:`archivist.ops.exchange.ead3.write_ead3`).

    Returns:
        The number of records written.
    """
    return write_finding_aid(records, authorities, out, options or ExportOptions(), _Ead2002())
