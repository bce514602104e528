"""Reader of our own EAD3 (written by :mod:`archivist.ops.exchange.ead3`) into native dicts.

Parsed with :mod:`~archivist.ops.exchange.safexml` (no network, no DTD, no entities). Component ids
``uuid-…`` give back the record UUIDs; dates come back from ``@altrender`` (the EDTF) or else from
the ISO bounds; names in ``origination`` and ``controlaccess`` come back as links, and as stub
authorities (``ReadResult.stub_authorities``: create them only when missing). Page regions are
not carried by EAD3.
"""

from __future__ import annotations

import uuid as uuidlib

from lxml import etree

from archivist.core.errors import ImportRefused

from archivist.ops.exchange.common import ReadResult, ReferenceCodes
from archivist.ops.exchange.ead3 import DESC_ELEMENTS, NS
from archivist.ops.exchange.langs import from_code
from archivist.ops.exchange.safexml import parse
from archivist.ops.exchange.validate import is_uuid, record_problems

EAD_NAMESPACE = uuidlib.UUID("9b2e6f4a-3c1d-5e8f-a7b6-1d2c3e4f5a6b")
_KIND = {"persname": "person", "corpname": "organisation", "famname": "family",
         "geogname": "place", "name": "place"}
_TAG_FIELD = {tag: fid for fid, tag, _ in DESC_ELEMENTS}


def q(tag: str) -> str:
    """Qualified EAD3 tag name."""
    return f"{{{NS}}}{tag}"


def _text(el) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _paras(el) -> str:
    return "\n\n".join(_text(p) for p in el.findall(q("p")))


def _date(uds) -> str | None:
    if uds.get("altrender"):
        return uds.get("altrender")
    single = uds.find(q("datesingle"))
    if single is not None:
        return single.get("standarddate")
    rng = uds.find(q("daterange"))
    if rng is None:
        return None
    start = rng.find(q("fromdate"))
    end = rng.find(q("todate"))
    s = start.get("standarddate") if start is not None else ".."
    e = end.get("standarddate") if end is not None else ".."
    return f"{s}/{e}"


def _page(dao) -> dict:
    page = {"file": dao.get("href"), "sha256": dao.get("identifier"),
            "page_index": int(dao.get("altrender") or 0) if (dao.get("altrender") or "0").isdigit()
            else 0,
            "label": dao.get("linktitle"), "transcriptions": [], "regions": []}
    for p in dao.findall(f"{q('descriptivenote')}/{q('p')}"):
        kind, _, lang = (p.get("altrender") or "transcription:").partition(":")
        page["transcriptions"].append({"kind": kind, "language": lang if lang != "None" else None,
                                       "text": _text(p)})
    return page


class _Reader:
    def __init__(self, result: ReadResult):
        self.result = result
        self.authorities: dict[str, dict] = {}
        self.codes = ReferenceCodes()

    def link(self, el, role_default: str) -> dict | None:
        uid = el.get("identifier") or ""
        name = _text(el.find(q("part"))) or _text(el)
        if not is_uuid(uid):
            uid = str(uuidlib.uuid5(EAD_NAMESPACE, f"{el.tag}:{name}"))
        self.authorities.setdefault(uid, {"uuid": uid, "kind": _KIND.get(etree.QName(el).localname,
                                                                          "person"),
                                          "name": name, "variants": [], "dates": None,
                                          "description": None, "identifiers": []})
        return {"authority": uid, "role": el.get("relator") or role_default}

    def component(self, el, parent: str | None) -> None:
        line = el.sourceline
        ident = el.get("id") or ""
        uid = ident[5:] if ident.startswith("uuid-") else None
        did = el.find(q("did"))
        if did is None:
            self.result.refuse(line, f"<{etree.QName(el).localname}> has no <did>")
            return
        title = did.find(q("unittitle"))
        if uid is None:
            key = f"{parent}/{_text(title)}/{line}"
            uid = str(uuidlib.uuid5(EAD_NAMESPACE, key))
        rec = {"uuid": uid, "parent": parent, "level": el.get("level"), "identifier": None,
               "reference_code": None, "title": _text(title), "type": None, "dates": [],
               "access": {"status": "open", "reason": None, "until": None},
               "description_status": "draft", "fields": {}, "tags": [], "links": [],
               "relations": [], "media": []}
        fields = rec["fields"]
        reference = None
        for unitid in did.findall(q("unitid")):
            if unitid.get("localtype") == "local":
                rec["identifier"] = _text(unitid)
            else:
                reference = _text(unitid)
        derived = self.codes.derived(parent, rec["identifier"])
        if reference and reference != derived:
            rec["reference_code"] = reference
        self.codes.code(rec)
        for uds in did.findall(q("unitdatestructured")):
            expr = _date(uds)
            if expr:
                rec["dates"].append({"expression": expr, "label": uds.get("datechar") or "creation"})
        for ud in did.findall(q("unitdate")):
            if ud.get("normal"):
                rec["dates"].append({"expression": ud.get("normal"), "label": "creation"})
        if did.find(q("physdesc")) is not None:
            fields["extent_medium"] = _text(did.find(q("physdesc")))
        for name in did.iterfind(f"{q('origination')}/*"):
            rec["links"].append(self.link(name, "creator"))
        for loc in did.findall(q("physloc")):
            fields[loc.get("localtype") or "location_shelf"] = _text(loc)
        self.langmaterial(did.find(q("langmaterial")), fields)
        for dao in did.iter(q("dao")):
            rec["media"].append(_page(dao))
        self.description(el, rec)
        problems = record_problems(rec)
        for reason in problems:
            self.result.refuse(line, reason)
        if not problems:
            self.result.records.append(rec)
        for child in el.findall(q("c")) + el.findall(f"{q('dsc')}/{q('c')}"):
            self.component(child, uid)

    def langmaterial(self, lm, fields: dict) -> None:
        if lm is None:
            return
        langs, scripts = [], []
        for lang in lm.iter(q("language")):
            code = lang.get("langcode")
            if code and code != "und":
                langs.append(lang.get("altrender") or from_code(code))
        for script in lm.iter(q("script")):
            if script.get("scriptcode") and script.get("scriptcode") not in scripts:
                scripts.append(script.get("scriptcode"))
        if langs:
            fields["languages"] = langs
        if scripts:
            fields["scripts"] = scripts
        note = lm.find(q("descriptivenote"))
        if note is not None:
            fields["language_note"] = _paras(note)

    def description(self, el, rec: dict) -> None:
        fields = rec["fields"]
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag, local = etree.QName(child).localname, child.get("localtype")
            if tag == "accessrestrict" and local == "archivist:status":
                rec["access"]["status"] = child.get("altrender") or "open"
                for p in child.findall(q("p")):
                    if p.get("altrender") in ("reason", "until"):
                        rec["access"][p.get("altrender")] = _text(p)
            elif tag == "processinfo" and local == "archivist:description-status":
                rec["description_status"] = _paras(child) or "draft"
            elif tag == "odd" and local in (None, "general_note"):
                fields.setdefault("general_note", []).append(_paras(child))
            elif tag == "odd":
                items = [_text(p) for p in child.findall(q("p")) if p.get("altrender") == "item"]
                fields[local] = items if items else _paras(child)
            elif tag in _TAG_FIELD:
                fields[local if local else _TAG_FIELD[tag]] = _paras(child)
            elif tag == "controlaccess":
                self.controlaccess(child, rec)
            elif tag == "relations":
                for rel in child.findall(q("relation")):
                    target = (rel.get("href") or "").removeprefix("urn:uuid:")
                    rec["relations"].append({"type": rel.get("arcrole") or "related",
                                             "target": target})

    def controlaccess(self, ca, rec: dict) -> None:
        for child in ca:
            if not isinstance(child.tag, str):
                continue
            tag, local = etree.QName(child).localname, child.get("localtype")
            if tag == "genreform" and local == "archivist:type":
                rec["type"] = _text(child.find(q("part")))
            elif tag in ("subject", "genreform"):
                rec["tags"].append(_text(child.find(q("part"))))
            elif tag in _KIND:
                rec["links"].append(self.link(child, "subject"))


def read_ead3(source) -> ReadResult:
    """Read an EAD3 file (path or binary stream) written by Archivist into native dicts.

    Raises:
        ImportRefused: hostile (DOCTYPE/entities) or malformed XML, or not EAD3 at all.
    """
    tree = parse(source)
    root = tree.getroot()
    if root.tag != q("ead"):
        raise ImportRefused(f"not an EAD3 document (root is {root.tag})")
    result = ReadResult()
    result.stub_authorities = True
    reader = _Reader(result)
    archdesc = root.find(q("archdesc"))
    if archdesc is None:
        raise ImportRefused("EAD3 document without <archdesc>")
    if archdesc.get("level") == "collection" and not (archdesc.get("id") or "").startswith("uuid-"):
        for c in archdesc.findall(f"{q('dsc')}/{q('c')}"):
            reader.component(c, None)
    else:
        reader.component(archdesc, None)
    result.authorities = list(reader.authorities.values())
    return result
