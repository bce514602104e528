"""EAD3 finding aid (STANDARDS.md §3.2): streamed with nested ``c`` components.

The first record of the stream becomes ``archdesc`` (or, with ``collection_wrapper``, the
catalogue does and every root becomes a component). Each component's ``did`` carries the
reference code, the local identifier (``unitid localtype="local"``), the title (with ``@lang`` and
``@script`` for non-Latin titles), ``unitdatestructured`` per date (ISO bounds, ``@certainty``, the
EDTF kept in ``@altrender`` and, when ISO cannot say it, in a ``didnote``), extent, creators,
languages (ISO 639-3 under ``langencoding="iso639-3"``) and pages as ``dao``. Descriptive fields
follow the ISAD(G) crosswalk with ``encodinganalog``; links and tags go to ``controlaccess``,
relations to ``relations``. :mod:`archivist.ops.exchange.ead3_read` reads it back.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from functools import lru_cache

from lxml import etree

from archivist.ops.exchange.common import (AGENT, ExportError, ExportOptions, ReferenceCodes,
                                           Tree, binary_out, public_records)
from archivist.ops.exchange.datemap import CERTAINTY_WORD, date_bounds
from archivist.ops.exchange.langs import (DEFAULT_SCRIPT, language_name, script_name,
                                          text_language, to_iso639_3)

NS = "http://ead3.archivists.org/schema/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} https://www.loc.gov/ead/ead3.xsd"

#: Native field → (EAD3 element, ISAD(G) number), in the order they are written.
DESC_ELEMENTS = (("admin_history", "bioghist", "3.2.2"), ("archival_history", "custodhist", "3.2.3"),
                 ("acquisition", "acqinfo", "3.2.4"), ("scope_content", "scopecontent", "3.3.1"),
                 ("appraisal", "appraisal", "3.3.2"), ("accruals", "accruals", "3.3.3"),
                 ("arrangement", "arrangement", "3.3.4"),
                 ("access_conditions", "accessrestrict", "3.4.1"),
                 ("reproduction_conditions", "userestrict", "3.4.2"),
                 ("physical_characteristics", "phystech", "3.4.4"),
                 ("finding_aids", "otherfindaid", "3.4.5"),
                 ("originals_location", "originalsloc", "3.5.1"),
                 ("copies_location", "altformavail", "3.5.2"),
                 ("related_units", "relatedmaterial", "3.5.3"),
                 ("publication_note", "bibliography", "3.5.4"),
                 ("archivist_note", "processinfo", "3.7.1"))
#: Fields written elsewhere than DESC_ELEMENTS or ``odd``.
SPECIAL_FIELDS = frozenset({"extent_medium", "languages", "scripts", "language_note",
                            "general_note", "location_repository", "location_box",
                            "location_folder", "location_shelf"})
NAME_ELEMENT = {"person": "persname", "organisation": "corpname", "family": "famname",
                "place": "geogname"}
ORIGINATION_ELEMENT = {"person": "persname", "organisation": "corpname", "family": "famname",
                       "place": "name"}


_QNAMES: dict[str, str] = {}


def _q(tag: str) -> str:
    qname = _QNAMES.get(tag)
    if qname is None:
        qname = _QNAMES[tag] = f"{{{NS}}}{tag}"
    return qname


def E(tag: str, text: str | None = None, **attrib) -> etree._Element:
    """A top-level EAD3 element with optional text and attributes (None values left out)."""
    el = etree.Element(_q(tag), nsmap={None: NS})
    for key, value in attrib.items():
        if value is not None:
            el.set(key, value if isinstance(value, str) else str(value))
    if text is not None:
        el.text = text
    return el


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib) -> etree._Element:
    """Append a child EAD3 element to ``parent`` and return it (string attributes only)."""
    el = etree.SubElement(parent, _q(tag),
                          {k: v for k, v in attrib.items() if v is not None} if attrib else None)
    if text is not None:
        el.text = text
    return el


def paragraphs(parent: etree._Element, text: str, **attrib) -> None:
    """Add ``text`` as ``p`` elements: one per blank-line paragraph when that is exact."""
    parts = text.split("\n\n")
    if len(parts) == 1 or any(not p or p.startswith("\n") or p.endswith("\n") for p in parts):
        parts = [text]
    for part in parts:
        sub(parent, "p", part, **attrib)


def _date(did: etree._Element, date: dict) -> None:
    b = date_bounds(date)
    uds = sub(did, "unitdatestructured", datechar=date.get("label") or "creation",
              altrender=date["expression"],
              certainty=CERTAINTY_WORD.get(b.certainty) if b.certainty else None)
    if b.start is not None and b.start == b.end:
        sub(uds, "datesingle", b.human, standarddate=b.start)
    else:
        rng = sub(uds, "daterange")
        if b.start is not None:
            sub(rng, "fromdate", b.start, standarddate=b.start)
        if b.end is not None:
            sub(rng, "todate", b.end, standarddate=b.end)
    if not b.exact:
        sub(did, "didnote", f"Date (EDTF): {date['expression']} ({b.human})", localtype="edtf")


def _langmaterial(did: etree._Element, fields: dict) -> None:
    langs, scripts = fields.get("languages") or [], fields.get("scripts") or []
    if not langs and not fields.get("language_note"):
        return
    did.append(copy.deepcopy(_langmaterial_element(tuple(langs), tuple(scripts),
                                                   fields.get("language_note"))))


@lru_cache(maxsize=1024)
def _langmaterial_element(langs: tuple, scripts: tuple, note: str | None) -> etree._Element:
    """The ``langmaterial`` for these values (cached: copy it before use)."""
    scripts = list(scripts)
    lm = E("langmaterial", encodinganalog="3.4.3")
    for tag in langs:
        code = to_iso639_3(tag) or tag
        script = DEFAULT_SCRIPT.get(tag.split("-")[0])
        if script in scripts:
            ls = sub(lm, "languageset")
            sub(ls, "language", language_name(tag), langcode=code, altrender=tag)
            sub(ls, "script", script_name(script), scriptcode=script)
        else:
            sub(lm, "language", language_name(tag), langcode=code, altrender=tag)
    if not langs:
        sub(lm, "language", "Undetermined", langcode="und")
    leftover = [s for s in scripts
                if s not in {DEFAULT_SCRIPT.get(t.split("-")[0]) for t in langs}]
    for script in leftover:
        ls = sub(lm, "languageset")
        sub(ls, "language", "Undetermined", langcode="und")
        sub(ls, "script", script_name(script), scriptcode=script)
    if note:
        paragraphs(sub(lm, "descriptivenote"), note)
    return lm


def _dao(parent: etree._Element, page: dict) -> None:
    dao = sub(parent, "dao", daotype="derived", href=page.get("file"),
              linktitle=page.get("label"), identifier=page.get("sha256"),
              localtype="page", altrender=str(page.get("page_index") or 0))
    texts = page.get("transcriptions") or []
    if texts:
        note = sub(dao, "descriptivenote")
        for t in texts:
            lang = to_iso639_3(t["language"]) if t.get("language") else None
            sub(note, "p", t.get("text") or "", altrender=f"{t.get('kind')}:{t.get('language')}",
                lang=lang)


def _name(parent, tag, auth, link, **attrib):
    el = sub(parent, tag, relator=link.get("role"), identifier=link["authority"], **attrib)
    langs = tuple(v.get("language") for v in auth.get("variants") or () if v.get("language"))
    lang, script = _name_language(auth["name"], langs)
    sub(el, "part", auth["name"], lang=lang, script=script)
    return el


@lru_cache(maxsize=4096)
def _name_language(name: str, languages: tuple[str, ...]) -> tuple[str | None, str | None]:
    lang, script = text_language(name, list(languages))
    return (to_iso639_3(lang) if lang else None), script


def did_element(rec: dict, code: str | None, authorities: Mapping[str, dict],
                options: ExportOptions, top: bool) -> etree._Element:
    """The ``did`` of one record."""
    fields = rec.get("fields") or {}
    catalogue = options.catalogue or {}
    did = E("did")
    if code:
        sub(did, "unitid", code, localtype="reference",
            countrycode=catalogue.get("country_code") if top else None,
            repositorycode=catalogue.get("repository_code") if top else None,
            encodinganalog="3.1.1")
    if rec.get("identifier"):
        sub(did, "unitid", rec["identifier"], localtype="local")
    lang, script = text_language(rec.get("title") or "", fields.get("languages"))
    sub(did, "unittitle", rec.get("title") or "", encodinganalog="3.1.2",
        lang=to_iso639_3(lang) if lang else None, script=script)
    for date in rec.get("dates") or []:
        _date(did, date)
    if fields.get("extent_medium"):
        sub(did, "physdesc", fields["extent_medium"], encodinganalog="3.1.5")
    creators = [(ln, authorities.get(ln["authority"])) for ln in rec.get("links") or []
                if ln.get("role") == "creator"]
    creators = [(ln, a) for ln, a in creators if a]
    if creators:
        orig = sub(did, "origination", encodinganalog="3.2.1")
        for link, auth in creators:
            _name(orig, ORIGINATION_ELEMENT[auth["kind"]], auth, link)
    for fid in ("location_repository", "location_box", "location_folder", "location_shelf"):
        if fields.get(fid):
            sub(did, "physloc", fields[fid], localtype=fid)
    _langmaterial(did, fields)
    pages = rec.get("media") or []
    if len(pages) == 1:
        _dao(did, pages[0])
    elif pages:
        daoset = sub(did, "daoset", localtype="pages")
        for page in pages:
            _dao(daoset, page)
    return did


def description_elements(rec: dict, authorities: Mapping[str, dict]) -> list[etree._Element]:
    """The elements after ``did``: ISAD(G) areas, status, notes, access points, relations."""
    fields = rec.get("fields") or {}
    holder = E("c")  # one namespaced parent: its children are written one by one
    access = rec.get("access") or {}
    status = access.get("status") or "open"
    if status != "open":  # open is the default the reader assumes
        ar = sub(holder, "accessrestrict", localtype="archivist:status", altrender=status)
        sub(ar, "p", {"restricted": "Restricted.", "closed": "Closed."}.get(status, status))
        if access.get("reason"):
            sub(ar, "p", access["reason"], altrender="reason")
        if access.get("until"):
            sub(ar, "p", access["until"], altrender="until")
    for fid, tag, isad in DESC_ELEMENTS:
        if fields.get(fid):
            el = sub(holder, tag, encodinganalog=isad, localtype=fid)
            paragraphs(el, fields[fid])
    for note in fields.get("general_note") or []:
        el = sub(holder, "odd", encodinganalog="3.6.1", localtype="general_note")
        paragraphs(el, note)
    for fid, value in fields.items():
        if fid in SPECIAL_FIELDS or fid in {f for f, _, _ in DESC_ELEMENTS}:
            continue
        el = sub(holder, "odd", localtype=fid)
        if isinstance(value, list):
            for v in value:
                sub(el, "p", str(v), altrender="item")
        else:
            paragraphs(el, str(value))
    if (rec.get("description_status") or "draft") != "draft":  # draft is the default
        pi = sub(holder, "processinfo", localtype="archivist:description-status")
        sub(pi, "p", rec["description_status"])
    ca = sub(holder, "controlaccess")
    if rec.get("type"):
        ga = sub(ca, "genreform", localtype="archivist:type")
        sub(ga, "part", rec["type"])
    for tag in rec.get("tags") or []:
        sa = sub(ca, "subject", localtype="archivist:tag")
        sub(sa, "part", tag)
    for link in rec.get("links") or []:
        auth = authorities.get(link["authority"])
        if auth and link.get("role") != "creator":
            _name(ca, NAME_ELEMENT[auth["kind"]], auth, link)
    if not len(ca):
        holder.remove(ca)
    if rec.get("relations"):
        rels = sub(holder, "relations")
        for rel in rec["relations"]:
            r = sub(rels, "relation", relationtype="resourcerelation", arcrole=rel["type"],
                    href=f"urn:uuid:{rel['target']}")
            sub(r, "relationentry", rel["type"].replace("_", " "))
    return list(holder)


def control_element(first: dict | None, code: str | None, options: ExportOptions) -> etree._Element:
    """The ``control`` block: record id, title, agency, languages, rules, maintenance."""
    catalogue = options.catalogue or {}
    name = catalogue.get("name") or "Archivist catalogue"
    control = E("control", langencoding="iso639-3", scriptencoding="iso15924",
                countryencoding="iso3166-1", dateencoding="iso8601")
    sub(control, "recordid", code or catalogue.get("repository_code") or "archivist")
    fd = sub(control, "filedesc")
    ts = sub(fd, "titlestmt")
    title = first["title"] if first and not options.collection_wrapper else name
    sub(ts, "titleproper", f"Guide to {title}")
    sub(control, "maintenancestatus", value="derived")
    ma = sub(control, "maintenanceagency")
    sub(ma, "agencyname", name)
    desc_lang = catalogue.get("description_language") or "en"
    ld = sub(control, "languagedeclaration")
    sub(ld, "language", language_name(desc_lang), langcode=to_iso639_3(desc_lang) or desc_lang)
    sub(ld, "script", "Latin", scriptcode="Latn")
    cd = sub(control, "conventiondeclaration")
    sub(cd, "citation", "ISAD(G): General International Standard Archival Description, 2nd ed.")
    mh = sub(control, "maintenancehistory")
    ev = sub(mh, "maintenanceevent")
    sub(ev, "eventtype", value="derived")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    sub(ev, "eventdatetime", now.date().isoformat(),
        standarddatetime=now.isoformat().replace("+00:00", "Z"))
    sub(ev, "agenttype", value="machine")
    sub(ev, "agent", AGENT)
    return control


class _Writer:
    """Opens and closes nested elements of an ``etree.xmlfile`` along the record tree."""

    def __init__(self, xf):
        self.xf = xf
        self.ns = NS
        self.frames: list[dict] = []   # each: {"cms": [...], "archdesc": bool}

    def open(self, tag: str, attrib: dict) -> None:
        cm = self.xf.element(f"{{{self.ns}}}{tag}", {k: v for k, v in attrib.items() if v})
        cm.__enter__()
        self.frames.append({"cms": [cm], "archdesc": tag == "archdesc"})

    def open_dsc_if_needed(self) -> None:
        """Open ``dsc`` inside ``archdesc`` before its first component."""
        frame = self.frames[-1]
        if frame["archdesc"] and len(frame["cms"]) == 1:
            cm = self.xf.element(f"{{{self.ns}}}dsc")
            cm.__enter__()
            frame["cms"].append(cm)

    def close(self, n: int) -> None:
        for _ in range(n):
            for cm in reversed(self.frames.pop()["cms"]):
                cm.__exit__(None, None, None)


def write_ead3(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
               options: ExportOptions | None = None) -> int:
    """Write an EAD3 finding aid, streaming, with nested ``c`` components.

    Args:
        records: RECORD dicts in depth-first order; the first is the fonds or series described
            (unless ``options.collection_wrapper``).
        authorities: uuid → AUTHORITY dict.
        out: a path or a binary stream.
        options: ``public``, ``catalogue`` and ``collection_wrapper``.

    Returns:
        The number of records written.

    Raises:
        ExportError: the stream has a second root without ``collection_wrapper``, or is not
            depth-first.
    """
    options = options or ExportOptions()
    return write_finding_aid(records, authorities, out, options, EAD3_FLAVOUR)


class _Flavour:
    """What differs between EAD3 and EAD 2002 for the streaming skeleton."""

    ns = NS
    nsmap = {None: NS, "xsi": XSI}
    schema_location = SCHEMA_LOCATION

    def header(self, first, code, options):
        return control_element(first, code, options)

    def wrapper_did(self, options):
        catalogue = options.catalogue or {}
        did = E("did")
        if catalogue.get("repository_code"):
            sub(did, "unitid", catalogue["repository_code"],
                countrycode=catalogue.get("country_code"),
                repositorycode=catalogue.get("repository_code"))
        sub(did, "unittitle", catalogue.get("name") or "Catalogue")
        return did

    def component(self, rec, code, authorities, options, top):
        return [did_element(rec, code, authorities, options, top)] + \
            description_elements(rec, authorities)


EAD3_FLAVOUR = _Flavour()


def write_finding_aid(records, authorities, out, options: ExportOptions, flavour) -> int:
    """The streaming skeleton shared by EAD3 and EAD 2002 (see :func:`write_ead3`)."""
    stream = iter(public_records(records, options))
    first = next(stream, None)
    codes, tree = ReferenceCodes(), Tree()
    wrapped = options.collection_wrapper or first is None
    count = 0
    with binary_out(out) as fh, etree.xmlfile(fh, encoding="utf-8") as xf:
        xf.write_declaration()
        root_attrib = {f"{{{XSI}}}schemaLocation": flavour.schema_location}
        with xf.element(f"{{{flavour.ns}}}ead", root_attrib, nsmap=flavour.nsmap):
            first_code = codes.code(first) if first else None
            xf.write(flavour.header(first, first_code, options))
            w = _Writer(xf)
            w.ns = flavour.ns
            if wrapped:
                w.open("archdesc", {"level": "collection"})
                xf.write(flavour.wrapper_did(options))
                if first is not None:
                    w.open_dsc_if_needed()
            try:
                for rec in _chain([first] if first else [], stream):
                    code = first_code if rec is first else codes.code(rec)
                    close = tree.enter(rec)
                    top = rec is first and not wrapped
                    if top:
                        w.open("archdesc", {"level": rec.get("level"), "id": f"uuid-{rec['uuid']}"})
                    else:
                        w.close(close)
                        if not w.frames:
                            raise ExportError("an EAD finding aid describes one fonds or series: "
                                              "export each root separately, or the whole catalogue "
                                              "as a collection")
                        w.open_dsc_if_needed()
                        w.open("c", {"level": rec.get("level"), "id": f"uuid-{rec['uuid']}"})
                    for el in flavour.component(rec, code, authorities, options, top):
                        xf.write(el)
                    count += 1
            finally:
                w.close(len(w.frames))
    return count


def _chain(first: list, rest):
    yield from first
    yield from rest
