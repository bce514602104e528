"""Native CSV: one row per record, stable UUIDs, every field; it round-trips.

Repeated values (tags, languages, scripts, general notes, dates, links, relations) are joined with
``|``; a ``|`` or ``\\`` inside a value is escaped with a backslash. Links are ``role=uuid``,
relations ``type=uuid``; date labels are a parallel list. Pages (with their transcriptions and
regions) and fields this version does not know are JSON in one cell each, so nothing is lost.
"""

from __future__ import annotations

import csv
import gc
import json
import re
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from archivist.ops.exchange.common import (csv_lines, KNOWN_FIELDS, LIST_FIELDS, TEXT_FIELDS,
                                           ExportOptions, ReadResult, public_records, strip_private,
                                           text_out)
from archivist.ops.exchange.validate import record_problems

HEAD = ("uuid", "parent", "level", "identifier", "reference_code", "title", "type", "dates",
        "date_labels", "access_status", "access_reason", "access_until", "description_status")
TAIL = ("tags", "links", "relations", "extra_fields", "media")
COLUMNS = HEAD + TEXT_FIELDS + LIST_FIELDS + TAIL
#: uuid5 namespace for rows that come without a uuid (same row → same uuid on re-import).
ROW_NAMESPACE = uuidlib.UUID("4f6a3c2e-8d1b-5a7e-9c0d-2b3e4f5a6b7c")


def join(values: Iterable[str]) -> str:
    """Join values with ``|``, escaping ``\\`` and ``|`` inside them."""
    if not values:
        return ""
    if not isinstance(values, (list, tuple)):
        values = list(values)
    text = "|".join(values)
    if "\\" not in text and text.count("|") == len(values) - 1:
        return text
    return "|".join(v.replace("\\", "\\\\").replace("|", "\\|") for v in values)


_PART = re.compile(r"((?:[^\\|]|\\.)*)(\||$)")


def split(cell: str) -> list[str]:
    """Split a cell written by :func:`join` (an empty cell is an empty list)."""
    if not cell:
        return []
    out = []
    for m in _PART.finditer(cell):
        out.append(re.sub(r"\\(.)", r"\1", m.group(1)))
        if m.group(2) == "":
            break
    return out


def record_row(rec: dict) -> list[str]:
    """Flatten one RECORD dict to a row in the order of :data:`COLUMNS`."""
    fields = rec.get("fields") or {}
    access = rec.get("access") or {}
    dates = rec.get("dates") or []
    get = fields.get
    row = [rec["uuid"], rec.get("parent") or "", rec.get("level"), rec.get("identifier") or "",
           rec.get("reference_code") or "", rec.get("title") or "", rec.get("type") or "",
           join([d["expression"] for d in dates]),
           join([d.get("label") or "creation" for d in dates]),
           access.get("status") or "open", access.get("reason") or "",
           access.get("until") or "", rec.get("description_status") or "draft"]
    row.extend([get(fid) or "" for fid in TEXT_FIELDS])
    row.extend([join(get(fid) or ()) for fid in LIST_FIELDS])
    row.append(join(rec.get("tags") or ()))
    row.append(join([f"{ln['role']}={ln['authority']}" for ln in rec.get("links") or ()]))
    row.append(join([f"{r['type']}={r['target']}" for r in rec.get("relations") or ()]))
    extra = {k: v for k, v in fields.items() if k not in KNOWN_FIELDS} if fields.keys() - \
        KNOWN_FIELDS else None
    row.append(json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "")
    media = rec.get("media")
    row.append(json.dumps(strip_private(media), ensure_ascii=False) if media else "")
    return row


def write_csv_native(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                     options: ExportOptions | None = None) -> int:
    """Write records as native CSV (UTF-8, no BOM, LF line ends), streaming.

    Args:
        records: RECORD dicts, parents first.
        authorities: unused (links carry authority uuids); kept for the common writer shape.
        out: a path or a text/binary stream.
        options: ``public`` drops non-open records and internal fields.

    Returns:
        The number of rows written.
    """
    options = options or ExportOptions()
    count = 0
    with text_out(out) as fh:
        fh.write(csv_lines([list(COLUMNS)]))
        for rec in public_records(records, options):
            fh.write(csv_lines([record_row(rec)]))
            count += 1
    return count


#: Rows built by :func:`write_csv_native_fast` per batch of records.
FAST_BATCH = 2000
_decode = json.JSONDecoder().decode
_NO_DATES = ("", "", "")


def fast_rows(parts: list[list], *,
              hidden_fields: frozenset[str] | set[str] = frozenset()) -> dict[int, list]:
    """Native CSV rows (cells in the order of :data:`COLUMNS`) by record id.

    Args:
        parts: what ``store.export_rows.record_csv_parts`` read for a batch of records.
        hidden_fields: field ids left out (internal fields in public exports).

    Returns:
        The same cells :func:`record_row` makes of the records' dicts (a test holds them equal).
    """
    from archivist.store.export_rows import DATES_SEPARATOR
    slot = {fid: i for i, fid in enumerate(TEXT_FIELDS + LIST_FIELDS)}
    slot.update((fid, -1) for fid in hidden_fields)
    n_text = len(TEXT_FIELDS)
    blank = [""] * (len(TEXT_FIELDS) + len(LIST_FIELDS))
    out = {}
    for part in parts:
        cells = blank.copy()
        extra = None
        for key, value in part[13].items():
            i = slot.get(key)
            if i is None:
                if extra is None:
                    extra = {}
                extra[key] = value
            elif i >= n_text:
                text = "|".join(value) if value.__class__ is list else None
                cells[i] = text if text is not None and "\\" not in text \
                    and text.count("|") == len(value) - 1 else join(value or ())
            elif i >= 0:
                cells[i] = value or ""
        dates, media = part[8], part[17]
        exprs, _, labels = dates.rpartition(DATES_SEPARATOR) if dates else _NO_DATES
        out[part[0]] = [*part[1:8], exprs, labels, *part[9:13], *cells, part[14], part[15],
                        part[16],
                        json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
                        json.dumps(media, ensure_ascii=False) if media else ""]
    return out


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector (process-wide) while the block runs, if it was on.

    The fast export makes millions of short-lived lists and dicts, none in a cycle: reference
    counting frees them all, and the collector's passes over them cost about a tenth of the
    export's time.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def write_csv_native_fast(cat, stream, out, *, progress=None, cancelled=None) -> int:
    """Write a record stream as native CSV from set-based reads of the store (the fast path).

    The same rows as :func:`write_csv_native` over ``stream.records`` (a test holds them equal),
    several times faster: no native dicts are built; each batch of records is one query
    (``store.export_rows.csv_parts_json``), run on the catalogue's side reader while the batch
    before it is written, and is written as one piece of text.

    Args:
        cat: the open catalogue the stream reads.
        stream: an ``ops.records_stream.RecordStream`` (its ids, scope and public flag are used).
        out: a path or a text/binary stream.
    """
    from functools import partial

    from archivist.core.errors import Cancelled
    from archivist.ops.records_stream import internal_fields
    from archivist.store import export_rows
    hidden = internal_fields() if stream.public else frozenset()
    total, count = len(stream.ids), 0

    def read(conn, chunk):
        return chunk, export_rows.csv_parts_json(conn, [i for i, _ in chunk],
                                                 open_targets_only=stream.public)

    reads = (partial(read, chunk=stream.ids[start:start + FAST_BATCH])
             for start in range(0, total, FAST_BATCH))
    with text_out(out) as fh, _without_cycle_collection():
        fh.write(",".join(COLUMNS) + "\n")
        for chunk, parts in export_rows.read_ahead(cat, reads):
            if cancelled and cancelled():
                raise Cancelled("the export was cancelled")
            rows = fast_rows(_decode(parts), hidden_fields=hidden)
            ordered = []
            for rid, depth in chunk:
                row = rows[rid]
                if depth == 0 and stream.scoped:
                    row[1] = ""  # the scope's top: its parent is not exported
                ordered.append(row)
            fh.write(csv_lines(ordered))
            count += len(chunk)
            if progress:
                progress(count, total)
    return count


def _pairs(cell: str, line: int, what: str, result: ReadResult) -> list[tuple[str, str]]:
    pairs = []
    for part in split(cell):
        key, sep, value = part.partition("=")
        if not sep:
            result.refuse(line, f"{what} {part!r} is not written as name=uuid")
            continue
        pairs.append((key.strip(), value.strip()))
    return pairs


def row_record(row: dict, line: int, result: ReadResult) -> dict | None:
    """Build a RECORD dict from a native CSV row; refusals go to ``result``."""
    def cell(name: str) -> str:
        return (row.get(name) or "").strip() if name not in TEXT_FIELDS else row.get(name) or ""

    exprs, labels = split(cell("dates")), split(cell("date_labels"))
    if labels and len(labels) != len(exprs):
        result.refuse(line, "dates and date_labels have different lengths")
        return None
    rec = {"uuid": cell("uuid"), "parent": cell("parent") or None, "level": cell("level"),
           "identifier": cell("identifier") or None,
           "reference_code": cell("reference_code") or None, "title": row.get("title") or "",
           "type": cell("type") or None,
           "dates": [{"expression": e, "label": labels[i] if labels else "creation"}
                     for i, e in enumerate(exprs)],
           "access": {"status": cell("access_status") or "open",
                      "reason": cell("access_reason") or None,
                      "until": cell("access_until") or None},
           "description_status": cell("description_status") or "draft",
           "fields": {}, "tags": split(cell("tags")),
           "links": [{"authority": v, "role": k} for k, v in _pairs(cell("links"), line, "link",
                                                                   result)],
           "relations": [{"type": k, "target": v}
                         for k, v in _pairs(cell("relations"), line, "relation", result)],
           "media": []}
    if not rec["uuid"]:
        key = f"{rec['parent']}/{rec['identifier']}/{rec['title']}"
        rec["uuid"] = str(uuidlib.uuid5(ROW_NAMESPACE, key))
    for fid in TEXT_FIELDS:
        if row.get(fid):
            rec["fields"][fid] = row[fid]
    for fid in LIST_FIELDS:
        if row.get(fid):
            rec["fields"][fid] = split(row[fid])
    for name in ("extra_fields", "media"):
        if not cell(name):
            continue
        try:
            value = json.loads(cell(name))
        except ValueError as exc:
            result.refuse(line, f"{name} is not valid JSON: {exc}")
            return None
        if name == "media":
            if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
                result.refuse(line, "media must be a JSON list of pages")
                return None
            rec["media"] = value
        else:
            if not isinstance(value, dict):
                result.refuse(line, "extra_fields must be a JSON object")
                return None
            rec["fields"].update(value)
    return rec


def read_csv_native(source) -> ReadResult:
    """Read a native CSV file (path or text stream) into RECORD dicts.

    Rows are refused (with their line) for a bad level, date, status, role, uuid, unsafe file
    path, or a parent that comes after its child. A row without a uuid gets one derived from its
    parent, identifier and title, so importing the same file twice does not duplicate it.
    """
    result = ReadResult()
    fh = open(source, encoding="utf-8-sig", newline="") if isinstance(source, (str,)) or \
        hasattr(source, "__fspath__") else source
    try:
        reader = csv.DictReader(fh)
        missing = {"level", "title"} - set(reader.fieldnames or [])
        if missing:
            result.refuse(1, f"missing column(s): {', '.join(sorted(missing))}")
            return result
        seen: set[str] = set()
        later_parents: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            rec = row_record(row, line, result)
            if rec is None:
                continue
            problems = record_problems(rec)
            if rec["uuid"] in seen:
                problems.append(f"uuid {rec['uuid']} appears twice")
            for reason in problems:
                result.refuse(line, reason)
            if problems:
                continue
            if rec["uuid"] in later_parents:
                result.refuse(later_parents[rec["uuid"]],
                              f"parent {rec['uuid']} comes after its child (line {line})")
            if rec["parent"] and rec["parent"] not in seen:
                later_parents.setdefault(rec["parent"], line)
            seen.add(rec["uuid"])
            result.records.append(rec)
    finally:
        if fh is not source:
            fh.close()
    return result
