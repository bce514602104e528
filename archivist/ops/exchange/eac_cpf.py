"""EAC-CPF 2010 authority records (STANDARDS.md §4.1), one file per person, organisation or family.

Names in non-Latin scripts carry ``xml:lang`` (BCP 47 as stored) and ``scriptCode`` (ISO 15924);
dates of existence become ISO bounds (``fromDate``/``toDate``) with the EDTF in a note when ISO
cannot say it; the records an authority is linked to become ``resourceRelation``s. Places are not
EAC-CPF entities and are left out. In a public export only authorities linked from exported
records are written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from archivist.ops.exchange.common import AGENT, ExportOptions, ReferenceCodes, public_records
from archivist.ops.exchange.datemap import bounds
from archivist.ops.exchange.langs import text_script

NS = "urn:isbn:1-931666-33-4"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NS} https://eac.staatsbibliothek-berlin.de/schema/cpf.xsd"
_ISIL = re.compile(r"[A-Z]{2}-[a-zA-Z0-9:/\-]{1,11}")
ENTITY_TYPE = {"person": "person", "organisation": "corporateBody", "family": "family"}
RELATION_TYPE = {"creator": "creatorOf", "author": "creatorOf", "sender": "creatorOf",
                 "subject": "subjectOf", "mentioned": "subjectOf"}


def _sub(parent, tag, text=None, **attrib):
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for key, value in attrib.items():
        if value is None:
            continue
        if key == "xml_lang":
            el.set(XML_LANG, value)
        elif key.startswith("xlink_"):
            el.set(f"{{{XLINK}}}{key[6:]}", value)
        else:
            el.set(key, value)
    if text is not None:
        el.text = text
    return el


def _name_entry(identity, name: str, language: str | None, script: str | None, authorized: bool):
    script = script or text_script(name)
    entry = _sub(identity, "nameEntry", xml_lang=language, scriptCode=script)
    _sub(entry, "part", name)
    _sub(entry, "authorizedForm" if authorized else "alternativeForm", "local")


def eac_cpf_element(auth: dict, relations: list[tuple[str, dict, str | None]],
                    options: ExportOptions) -> etree._Element:
    """One ``eac-cpf`` document for an authority.

    Args:
        auth: the AUTHORITY dict (person, organisation or family).
        relations: (role, record, reference code) for each record linked to it.
        options: ``catalogue`` names the maintenance agency.
    """
    catalogue = options.catalogue or {}
    root = etree.Element(f"{{{NS}}}eac-cpf", nsmap={None: NS, "xlink": XLINK, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    control = _sub(root, "control")
    _sub(control, "recordId", f"{catalogue.get('repository_code') or 'archivist'}-{auth['uuid']}")
    _sub(control, "otherRecordId", f"urn:uuid:{auth['uuid']}", localType="uuid")
    _sub(control, "maintenanceStatus", "derived")
    agency = _sub(control, "maintenanceAgency")
    code = f"{catalogue.get('country_code')}-{catalogue.get('repository_code')}"
    if _ISIL.fullmatch(code):
        _sub(agency, "agencyCode", code)
    _sub(agency, "agencyName", catalogue.get("name") or "Archivist catalogue")
    history = _sub(control, "maintenanceHistory")
    event = _sub(history, "maintenanceEvent")
    _sub(event, "eventType", "derived")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    _sub(event, "eventDateTime", now.date().isoformat(),
         standardDateTime=now.replace(tzinfo=None).isoformat())
    _sub(event, "agentType", "machine")
    _sub(event, "agent", AGENT)
    cpf = _sub(root, "cpfDescription")
    identity = _sub(cpf, "identity")
    for ident in auth.get("identifiers") or []:
        _sub(identity, "entityId", ident["value"], localType=ident.get("scheme"))
    _sub(identity, "entityType", ENTITY_TYPE[auth["kind"]])
    _name_entry(identity, auth["name"], None, None, True)
    for variant in auth.get("variants") or []:
        _name_entry(identity, variant["name"], variant.get("language"), variant.get("script"),
                    False)
    if auth.get("dates") or auth.get("description"):
        desc = _sub(cpf, "description")
        if auth.get("dates"):
            b = bounds(auth["dates"])
            exist = _sub(desc, "existDates")
            if b.start is not None and b.start == b.end:
                _sub(exist, "date", b.human, standardDate=b.start)
            else:
                rng = _sub(exist, "dateRange")
                if b.start is not None:
                    _sub(rng, "fromDate", b.start, standardDate=b.start)
                if b.end is not None:
                    _sub(rng, "toDate", b.end, standardDate=b.end)
            if not b.exact:
                note = _sub(exist, "descriptiveNote")
                _sub(note, "p", f"Dates (EDTF): {auth['dates']} ({b.human})")
        if auth.get("description"):
            bio = _sub(desc, "biogHist")
            for part in [p for p in auth["description"].split("\n\n") if p]:
                _sub(bio, "p", part)
    if relations:
        rels = _sub(cpf, "relations")
        for role, rec, code in relations:
            rel = _sub(rels, "resourceRelation",
                       resourceRelationType=RELATION_TYPE.get(role, "other"),
                       xlink_type="simple", xlink_href=f"urn:uuid:{rec['uuid']}")
            _sub(rel, "relationEntry", f"{code}: {rec['title']}" if code else rec["title"])
            note = _sub(rel, "descriptiveNote")
            _sub(note, "p", f"Role: {role.replace('_', ' ')}")
    return root


def write_eac_cpf(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                  options: ExportOptions | None = None) -> int:
    """Write one EAC-CPF 2010 file per person, organisation or family into the folder ``out``.

    Files are named ``<uuid>.xml``. Records are read once to find each authority's relations;
    only (role, record uuid, title, code) is kept per link.

    Returns:
        The number of files written.
    """
    options = options or ExportOptions()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    codes = ReferenceCodes()
    linked: dict[str, list[tuple[str, dict, str | None]]] = {}
    for rec in public_records(records, options):
        code = codes.code(rec)
        slim = {"uuid": rec["uuid"], "title": rec.get("title") or ""}
        for link in rec.get("links") or []:
            linked.setdefault(link["authority"], []).append((link["role"], slim, code))
    count = 0
    for uid, auth in authorities.items():
        if auth.get("kind") not in ENTITY_TYPE:
            continue
        if options.public and uid not in linked:
            continue
        doc = eac_cpf_element(auth, linked.get(uid, []), options)
        etree.ElementTree(doc).write(str(folder / f"{uid}.xml"), encoding="utf-8",
                                     xml_declaration=True, pretty_print=True)
        count += 1
    return count
