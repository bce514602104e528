"""Dublin Core as OAI-DC (STANDARDS.md §2): the 15 elements only, ``xml:lang`` where known.

The file is an OAI-PMH ``ListRecords`` response holding one ``oai_dc:dc`` per record (the
standard envelope in which harvesters carry OAI-DC), streamed. Dates are W3CDTF (ISO bounds,
``start/end`` for a range); an EDTF that ISO cannot say is kept, read for people, in a
``dc:description``. Languages are BCP 47 as stored (``prs`` stays ``prs``).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from lxml import etree

from archivist.ops.exchange.common import (ExportOptions, ReferenceCodes, binary_out,
                                           public_records)
from archivist.ops.exchange.datemap import date_bounds
from archivist.ops.exchange.langs import text_language, text_script

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor", "date",
            "type", "format", "identifier", "source", "language", "relation", "coverage",
            "rights")
DCMI_TYPE = {"letter": "Text", "captured_document": "Text", "press_clipping": "Text",
             "report": "Text", "book_extract": "Text", "web_article": "Text",
             "photograph": "StillImage", "physical_object": "PhysicalObject",
             "testimony": "Text", "other": "Text"}
CREATOR_ROLES = ("creator", "author", "sender")
CONTRIBUTOR_ROLES = ("recipient", "custodian")


def dc_element(rec: dict, code: str | None, parent_code: str | None,
               authorities: Mapping[str, dict], options: ExportOptions) -> etree._Element:
    """One ``oai_dc:dc`` for a record."""
    fields = rec.get("fields") or {}
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")

    def add(name: str, value: str | None, lang: str | None = None) -> None:
        if value:
            el = etree.SubElement(root, f"{{{DC}}}{name}")
            el.text = value
            if lang:
                el.set(XML_LANG, lang)

    title_lang, _ = text_language(rec.get("title") or "", fields.get("languages"))
    desc_lang = (options.catalogue or {}).get("description_language")
    add("title", rec.get("title"), title_lang or (desc_lang if _latin(rec.get("title")) else None))
    links = [(ln, authorities.get(ln["authority"])) for ln in rec.get("links") or []]
    links = [(ln, a) for ln, a in links if a]
    for ln, auth in links:
        if auth["kind"] != "place" and ln["role"] in CREATOR_ROLES:
            add("creator", auth["name"])
    for tag in rec.get("tags") or []:
        add("subject", tag)
    for ln, auth in links:
        if auth["kind"] != "place" and ln["role"] in ("subject", "mentioned"):
            add("subject", auth["name"])
    scope = fields.get("scope_content")
    scope_lang, _ = text_language(scope or "", fields.get("languages"))
    add("description", scope, scope_lang)
    for note in fields.get("general_note") or []:
        add("description", note)
    for date in rec.get("dates") or []:
        b = date_bounds(date)
        add("date", b.normal)
        if not b.exact:
            add("description", f"Date: {b.human} (EDTF {date['expression']})", desc_lang)
    add("publisher", fields.get("publisher") or fields.get("publication"))
    for ln, auth in links:
        if auth["kind"] != "place" and ln["role"] in CONTRIBUTOR_ROLES:
            add("contributor", auth["name"])
    if rec.get("level") in ("fonds", "subfonds", "series", "subseries"):
        add("type", "Collection")
    else:
        add("type", DCMI_TYPE.get(rec.get("type"), "Text"))
    add("format", fields.get("extent_medium"))
    for mime in dict.fromkeys(mimetypes.guess_type(p.get("file") or "")[0]
                              for p in rec.get("media") or []):
        add("format", mime)
    add("identifier", code)
    add("identifier", f"urn:uuid:{rec['uuid']}")
    add("source", fields.get("source_citation"))
    for lang in fields.get("languages") or []:
        add("language", lang)
    add("relation", parent_code)
    for rel in rec.get("relations") or []:
        add("relation", f"urn:uuid:{rel['target']}")
    for ln, auth in links:
        if auth["kind"] == "place":
            add("coverage", auth["name"])
    add("rights", fields.get("access_conditions"))
    add("rights", fields.get("reproduction_conditions"))
    return root


def _latin(text: str | None) -> bool:
    return bool(text) and text_script(text) == "Latn"


def write_dublin_core(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                      options: ExportOptions | None = None) -> int:
    """Write OAI-DC records inside an OAI-PMH ``ListRecords`` envelope, streaming.

    Returns:
        The number of records written.
    """
    options = options or ExportOptions()
    codes = ReferenceCodes()
    repo = (options.catalogue or {}).get("repository_code") or "archivist"
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    count = 0
    with binary_out(out) as fh, etree.xmlfile(fh, encoding="utf-8") as xf:
        xf.write_declaration()
        attrib = {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"}
        with xf.element(f"{{{OAI}}}OAI-PMH", attrib, nsmap={None: OAI, "xsi": XSI}):
            rd = etree.Element(f"{{{OAI}}}responseDate", nsmap={None: OAI})
            rd.text = now
            xf.write(rd)
            req = etree.Element(f"{{{OAI}}}request", verb="ListRecords", metadataPrefix="oai_dc",
                                nsmap={None: OAI})
            req.text = "urn:archivist:export"
            xf.write(req)
            with xf.element(f"{{{OAI}}}ListRecords"):
                for rec in public_records(records, options):
                    parent_code = codes.get(rec.get("parent"))
                    code = codes.code(rec)
                    record = etree.Element(f"{{{OAI}}}record", nsmap={None: OAI})
                    header = etree.SubElement(record, f"{{{OAI}}}header")
                    etree.SubElement(header, f"{{{OAI}}}identifier").text = \
                        f"oai:{repo}:{rec['uuid']}"
                    etree.SubElement(header, f"{{{OAI}}}datestamp").text = now
                    metadata = etree.SubElement(record, f"{{{OAI}}}metadata")
                    metadata.append(dc_element(rec, code, parent_code, authorities, options))
                    xf.write(record)
                    count += 1
    return count
