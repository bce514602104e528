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

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from lxml import etree

from archivist.ops.exchange.common import (AGENT, ExportError, ExportOptions, ReferenceCodes,
                                           Tree, binary_out, public_records)
from archivist.ops.exchange.ead3_text import (DESC_ELEMENTS, attrs, description_xml,  # noqa: F401
                                              did_xml)
from archivist.ops.exchange.langs import language_name, to_iso639_3

NS = "http://ead3.archivists.org/schema/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} https://www.loc.gov/ead/ead3.xsd"

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
    """Writes the document as text and keeps the stack of open elements along the record tree."""

    def __init__(self, fh, flush_every: int = 256):
        self.fh = fh
        self.buffer: list[str] = []
        self.frames: list[dict] = []   # each: {"close": [end tags], "archdesc": bool}
        self.flush_every = flush_every
        self.pending = 0

    def write(self, part) -> None:
        """Add text, or an lxml element (serialised with its namespace declarations)."""
        if not isinstance(part, str):
            part = etree.tostring(part, encoding="unicode")
        self.buffer.append(part)

    def flush(self, force: bool = False) -> None:
        """Encode and write what is buffered, every ``flush_every`` records."""
        self.pending += 1
        if force or self.pending >= self.flush_every:
            self.fh.write("".join(self.buffer).encode("utf-8"))
            self.buffer.clear()
            self.pending = 0

    def open(self, tag: str, attrib: dict) -> None:
        self.buffer.append(f"<{tag}{attrs(**attrib)}>")
        self.frames.append({"close": [f"</{tag}>"], "archdesc": tag == "archdesc"})

    def open_dsc_if_needed(self) -> None:
        """Open ``dsc`` inside ``archdesc`` before its first component."""
        frame = self.frames[-1]
        if frame["archdesc"] and len(frame["close"]) == 1:
            self.buffer.append("<dsc>")
            frame["close"].insert(0, "</dsc>")

    def close(self, n: int) -> None:
        for _ in range(n):
            self.buffer.extend(self.frames.pop()["close"])


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

    namespaces = {"xmlns": NS, "xmlns:xsi": XSI}
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

    def component(self, rec, code, authorities, options, top) -> list:
        return [did_xml(rec, code, authorities, options.catalogue or {}, top),
                description_xml(rec, authorities)]


EAD3_FLAVOUR = _Flavour()


def write_finding_aid(records, authorities, out, options: ExportOptions, flavour) -> int:
    """The streaming skeleton shared by EAD3 and EAD 2002 (see :func:`write_ead3`).

    ``flavour`` gives the root's namespaces, the header (``control`` or ``eadheader``), the
    wrapper's ``did`` and each record's content, as text or lxml elements.
    """
    stream = iter(public_records(records, options))
    first = next(stream, None)
    codes, tree = ReferenceCodes(), Tree()
    wrapped = options.collection_wrapper or first is None
    count = 0
    with binary_out(out) as fh:
        w = _Writer(fh)
        w.write('<?xml version="1.0" encoding="UTF-8"?>\n<ead'
                + "".join(f' {k}="{v}"' for k, v in flavour.namespaces.items())
                + f' xsi:schemaLocation="{flavour.schema_location}">')
        first_code = codes.code(first) if first else None
        w.write(flavour.header(first, first_code, options))
        if wrapped:
            w.open("archdesc", {"level": "collection"})
            w.write(flavour.wrapper_did(options))
            if first is not None:
                w.open_dsc_if_needed()
        for rec in _chain([first] if first else [], stream):
            code = first_code if rec is first else codes.code(rec)
            close = tree.enter(rec)
            top = rec is first and not wrapped
            if top:
                w.open("archdesc", {"level": rec.get("level"), "id": f"uuid-{rec['uuid']}"})
            else:
                w.close(close)
                if not w.frames:
                    raise ExportError("an EAD finding aid describes one fonds or series: export "
                                      "each root separately, or the whole catalogue as a "
                                      "collection")
                w.open_dsc_if_needed()
                w.open("c", {"level": rec.get("level"), "id": f"uuid-{rec['uuid']}"})
            for part in flavour.component(rec, code, authorities, options, top):
                w.write(part)
            count += 1
            w.flush()
        w.close(len(w.frames))
        w.write("</ead>\n")
        w.flush(force=True)
    return count


def _chain(first: list, rest):
    yield from first
    yield from rest
