"""The EAD3 of one record as XML text: ``did`` and the description elements after it.

Built as escaped strings rather than element trees, because a finding aid of a whole catalogue
has some twenty elements per record and building them as lxml trees costs most of the export's
time. The structure is the one :mod:`archivist.ops.exchange.ead3_read` reads back, and the tests
validate it against ead3.xsd. Element names are unprefixed: the default namespace is declared on
the document's root.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from archivist.ops.exchange.datemap import CERTAINTY_WORD, date_bounds
from archivist.ops.exchange.langs import (DEFAULT_SCRIPT, language_name, script_name,
                                          text_language, to_iso639_3)

_FORBIDDEN = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE,
                                0xFFFF]}
_TEXT = {**_FORBIDDEN, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTR = {**_TEXT, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}

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
_DESC_FIELDS = frozenset(f for f, _, _ in DESC_ELEMENTS)
#: Fields written elsewhere than DESC_ELEMENTS or ``odd``.
SPECIAL_FIELDS = frozenset({"extent_medium", "languages", "scripts", "language_note",
                            "general_note", "location_repository", "location_box",
                            "location_folder", "location_shelf"})
NAME_ELEMENT = {"person": "persname", "organisation": "corpname", "family": "famname",
                "place": "geogname"}
ORIGINATION_ELEMENT = {"person": "persname", "organisation": "corpname", "family": "famname",
                       "place": "name"}
LOCATION_FIELDS = ("location_repository", "location_box", "location_folder", "location_shelf")


_BAD_TEXT = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BAD_ATTR = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def text(value: str) -> str:
    """Escape character data (and drop characters XML 1.0 forbids)."""
    return value.translate(_TEXT) if _BAD_TEXT.search(value) else value


def _attr(value: str) -> str:
    return value.translate(_ATTR) if _BAD_ATTR.search(value) else value


def attrs(**values) -> str:
    """Attributes as text; None values are left out."""
    return "".join(f' {k}="{_attr(v)}"' for k, v in values.items() if v is not None)


def el(tag: str, content: str | None = None, **values) -> str:
    """An element with escaped text content (None: an empty element)."""
    if content is None:
        return f"<{tag}{attrs(**values)}/>"
    return f"<{tag}{attrs(**values)}>{text(content)}</{tag}>"


def paragraphs(value: str, **values) -> str:
    """``text`` as ``p`` elements: one per blank-line paragraph when that is exact."""
    parts = value.split("\n\n")
    if len(parts) == 1 or any(not p or p.startswith("\n") or p.endswith("\n") for p in parts):
        parts = [value]
    return "".join(el("p", part, **values) for part in parts)


def _date(date: dict) -> tuple[str, str]:
    b = date_bounds(date)
    head = (f"<unitdatestructured{attrs(datechar=date.get('label') or 'creation', altrender=date['expression'], certainty=CERTAINTY_WORD.get(b.certainty) if b.certainty else None)}>")
    if b.start is not None and b.start == b.end:
        body = el("datesingle", b.human, standarddate=b.start)
    else:
        body = "<daterange>"
        if b.start is not None:
            body += el("fromdate", b.start, standarddate=b.start)
        if b.end is not None:
            body += el("todate", b.end, standarddate=b.end)
        body += "</daterange>"
    note = "" if b.exact else el("didnote", f"Date (EDTF): {date['expression']} ({b.human})",
                                 localtype="edtf")
    return head + body + "</unitdatestructured>", note


@lru_cache(maxsize=1024)
def langmaterial(langs: tuple, scripts: tuple, note: str | None) -> str:
    """The ``langmaterial`` for these values (ISO 639-3 codes, the stored tag in ``@altrender``)."""
    parts = ['<langmaterial encodinganalog="3.4.3">']
    for tag in langs:
        code = to_iso639_3(tag) or tag
        script = DEFAULT_SCRIPT.get(tag.split("-")[0])
        language = el("language", language_name(tag), langcode=code, altrender=tag)
        if script in scripts:
            parts.append(f"<languageset>{language}"
                         f"{el('script', script_name(script), scriptcode=script)}</languageset>")
        else:
            parts.append(language)
    if not langs:
        parts.append(el("language", "Undetermined", langcode="und"))
    covered = {DEFAULT_SCRIPT.get(t.split("-")[0]) for t in langs}
    for script in scripts:
        if script not in covered:
            parts.append(f"<languageset>{el('language', 'Undetermined', langcode='und')}"
                         f"{el('script', script_name(script), scriptcode=script)}</languageset>")
    if note:
        parts.append(f"<descriptivenote>{paragraphs(note)}</descriptivenote>")
    parts.append("</langmaterial>")
    return "".join(parts)


def _dao(page: dict) -> str:
    head = (f"<dao{attrs(daotype='derived', href=page.get('file'), linktitle=page.get('label'), identifier=page.get('sha256'), localtype='page', altrender=str(page.get('page_index') or 0))}")
    texts = page.get("transcriptions") or []
    if not texts:
        return head + "/>"
    notes = "".join(el("p", t.get("text") or "", altrender=f"{t.get('kind')}:{t.get('language')}",
                       lang=to_iso639_3(t["language"]) if t.get("language") else None)
                    for t in texts)
    return f"{head}><descriptivenote>{notes}</descriptivenote></dao>"


@lru_cache(maxsize=8192)
def _name(tag: str, name: str, languages: tuple, role: str | None, uuid: str) -> str:
    lang, script = text_language(name, list(languages))
    part = el("part", name, lang=to_iso639_3(lang) if lang else None, script=script)
    return f"<{tag}{attrs(relator=role, identifier=uuid)}>{part}</{tag}>"


def name_xml(tag: str, auth: dict, link: dict) -> str:
    """A name element (persname, corpname ...) for a link to an authority."""
    langs = tuple(v.get("language") for v in auth.get("variants") or () if v.get("language"))
    return _name(tag, auth["name"], langs, link.get("role"), link["authority"])


@lru_cache(maxsize=8192)
def _title_language(title: str, languages: tuple) -> tuple[str | None, str | None]:
    lang, script = text_language(title, list(languages))
    return (to_iso639_3(lang) if lang else None), script


def did_xml(rec: dict, code: str | None, authorities: Mapping[str, dict],
            catalogue: dict, top: bool) -> str:
    """The ``did`` of one record as text."""
    fields = rec.get("fields") or {}
    parts = ["<did>"]
    if code:
        parts.append(el("unitid", code, localtype="reference",
                        countrycode=catalogue.get("country_code") if top else None,
                        repositorycode=catalogue.get("repository_code") if top else None,
                        encodinganalog="3.1.1"))
    if rec.get("identifier"):
        parts.append(el("unitid", rec["identifier"], localtype="local"))
    title = rec.get("title") or ""
    lang, script = _title_language(title[:64], tuple(fields.get("languages") or ()))
    parts.append(el("unittitle", title, encodinganalog="3.1.2", lang=lang, script=script))
    notes = []
    for date in rec.get("dates") or ():
        uds, note = _date(date)
        parts.append(uds)
        if note:
            notes.append(note)
    if fields.get("extent_medium"):
        parts.append(el("physdesc", fields["extent_medium"], encodinganalog="3.1.5"))
    creators = []
    for link in rec.get("links") or ():
        if link.get("role") == "creator":
            auth = authorities.get(link["authority"])
            if auth:
                creators.append(name_xml(ORIGINATION_ELEMENT[auth["kind"]], auth, link))
    if creators:
        parts.append(f'<origination encodinganalog="3.2.1">{"".join(creators)}</origination>')
    for fid in LOCATION_FIELDS:
        if fields.get(fid):
            parts.append(el("physloc", fields[fid], localtype=fid))
    if fields.get("languages") or fields.get("language_note"):
        parts.append(langmaterial(tuple(fields.get("languages") or ()),
                                  tuple(fields.get("scripts") or ()), fields.get("language_note")))
    pages = rec.get("media") or ()
    if len(pages) == 1:
        parts.append(_dao(pages[0]))
    elif pages:
        parts.append('<daoset localtype="pages">' + "".join(_dao(p) for p in pages) + "</daoset>")
    parts.extend(notes)
    parts.append("</did>")
    return "".join(parts)


def description_xml(rec: dict, authorities: Mapping[str, dict]) -> str:
    """The elements after ``did``: ISAD(G) areas, status, notes, access points, relations."""
    fields = rec.get("fields") or {}
    parts = []
    access = rec.get("access") or {}
    status = access.get("status") or "open"
    if status != "open":  # open is the default the reader assumes
        inner = el("p", {"restricted": "Restricted.", "closed": "Closed."}.get(status, status))
        if access.get("reason"):
            inner += el("p", access["reason"], altrender="reason")
        if access.get("until"):
            inner += el("p", access["until"], altrender="until")
        parts.append(f'<accessrestrict localtype="archivist:status"{attrs(altrender=status)}>'
                     f"{inner}</accessrestrict>")
    for fid, tag, isad in DESC_ELEMENTS:
        if fields.get(fid):
            parts.append(f'<{tag} encodinganalog="{isad}" localtype="{fid}">'
                         f"{paragraphs(fields[fid])}</{tag}>")
    for note in fields.get("general_note") or ():
        parts.append('<odd encodinganalog="3.6.1" localtype="general_note">'
                     f"{paragraphs(note)}</odd>")
    for fid, value in fields.items():
        if fid in SPECIAL_FIELDS or fid in _DESC_FIELDS:
            continue
        if isinstance(value, list):
            inner = "".join(el("p", str(v), altrender="item") for v in value)
        else:
            inner = paragraphs(str(value))
        parts.append(f"<odd{attrs(localtype=fid)}>{inner}</odd>")
    if (rec.get("description_status") or "draft") != "draft":  # draft is the default
        parts.append('<processinfo localtype="archivist:description-status">'
                     f'{el("p", rec["description_status"])}</processinfo>')
    access_points = []
    if rec.get("type"):
        access_points.append(f'<genreform localtype="archivist:type">{el("part", rec["type"])}'
                             "</genreform>")
    for tag in rec.get("tags") or ():
        access_points.append(f'<subject localtype="archivist:tag">{el("part", tag)}</subject>')
    for link in rec.get("links") or ():
        auth = authorities.get(link["authority"])
        if auth and link.get("role") != "creator":
            access_points.append(name_xml(NAME_ELEMENT[auth["kind"]], auth, link))
    if access_points:
        parts.append(f"<controlaccess>{''.join(access_points)}</controlaccess>")
    if rec.get("relations"):
        rels = "".join(f'<relation relationtype="resourcerelation"'
                       f'{attrs(arcrole=r["type"], href="urn:uuid:" + r["target"])}>'
                       f'{el("relationentry", r["type"].replace("_", " "))}</relation>'
                       for r in rec["relations"])
        parts.append(f"<relations>{rels}</relations>")
    return "".join(parts)
