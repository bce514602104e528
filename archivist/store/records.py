"""Records (units of description): create, read, edit (moving: :mod:`hierarchy`; the trash: :mod:`trash`).

Every mutation runs in one transaction, writes its audit rows and notes a :class:`Changes`.
Reference codes are derived from the parent's code plus the record's local identifier, unless
one was set by hand (``ref_custom``); moving or renaming updates the derived codes below.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any, Iterable

from archivist.core.changes import Changes
from archivist.core.dates import date_item, parse_date
from archivist.core.errors import InvalidHierarchy, InvalidValue, NotFound
from archivist.core.fields import clean_value
from archivist.core.levels import check_containment, check_level
from archivist.core.model import (ACCESS_STATUSES, DESCRIPTION_STATUSES, RECORD_ATTRIBUTES, Record,
                                  RecordDate)
from archivist.store import fielddefs
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue, now

REF_SEPARATOR = "-"
_COLS = ("id, uuid, parent_id, position, level, identifier, reference_code, ref_custom, title, type,"
         " access_status, access_reason, access_until, description_status, fields, trashed_at,"
         " created_at, created_by, modified_at, modified_by")


def _record(row, dates: list[RecordDate]) -> Record:
    return Record(id=row[0], uuid=row[1], parent_id=row[2], position=row[3], level=row[4],
                  identifier=row[5], reference_code=row[6], ref_custom=bool(row[7]), title=row[8],
                  type=row[9], access_status=row[10], access_reason=row[11], access_until=row[12],
                  description_status=row[13], fields=json.loads(row[14]), dates=dates,
                  trashed_at=row[15], created_at=row[16], created_by=row[17], modified_at=row[18],
                  modified_by=row[19])


def get_record(cat: Catalogue, record_id: int) -> Record:
    """One record with its dates.

    Raises:
        NotFound: no record has this id.
    """
    row = cat.conn.execute(f"SELECT {_COLS} FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no record {record_id}")
    return _record(row, get_dates(cat, record_id))


def get_dates(cat: Catalogue, record_id: int) -> list[RecordDate]:
    """A record's dates in order."""
    return [RecordDate(*r) for r in cat.conn.execute(
        "SELECT expression, label, earliest, latest, certainty FROM record_dates"
        " WHERE record_id = ? ORDER BY position", (record_id,))]


def resolve_record(cat: Catalogue, key: str | int, *, include_trashed: bool = True) -> int:
    """Find a record by UUID, reference code or numeric id and return its id.

    Raises:
        NotFound: nothing matches, naming what was looked for.
    """
    key_text = str(key).strip()
    row = cat.conn.execute("SELECT id, trashed_at FROM records WHERE uuid = ?", (key_text,)).fetchone()
    if row is None:
        rows = cat.conn.execute("SELECT id, trashed_at FROM records WHERE reference_code = ?"
                                " ORDER BY trashed_at IS NOT NULL, id", (key_text,)).fetchall()
        row = rows[0] if rows else None
    if row is None and key_text.isdigit():
        row = cat.conn.execute("SELECT id, trashed_at FROM records WHERE id = ?",
                               (int(key_text),)).fetchone()
    if row is None or (row[1] and not include_trashed):
        raise NotFound(f"no record has the UUID or reference code {key_text!r}")
    return row[0]


def id_for_uuid(cat: Catalogue, uuid: str) -> int | None:
    """The row id of the record with this UUID, or None."""
    row = cat.conn.execute("SELECT id FROM records WHERE uuid = ?", (uuid,)).fetchone()
    return row[0] if row else None


def restricted_ids(cat: Catalogue) -> set[int]:
    """Ids of live records that are restricted or closed."""
    return {r[0] for r in cat.conn.execute(
        "SELECT id FROM records WHERE access_status != 'open' AND trashed_at IS NULL")}


def is_open(cat: Catalogue, uuid: str) -> bool:
    """Whether the record with this UUID exists and is open to the public."""
    row = cat.conn.execute("SELECT access_status FROM records WHERE uuid = ?", (uuid,)).fetchone()
    return bool(row) and row[0] == "open"


def record_uuid(cat: Catalogue, record_id: int) -> str:
    """The UUID of a record."""
    row = cat.conn.execute("SELECT uuid FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no record {record_id}")
    return row[0]


def _parent_info(cat: Catalogue, parent_id: int | None) -> tuple[str | None, str | None]:
    if parent_id is None:
        return None, None
    row = cat.conn.execute("SELECT level, reference_code, trashed_at FROM records WHERE id = ?",
                           (parent_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no parent record {parent_id}")
    if row[2]:
        raise InvalidHierarchy("the parent is in the trash; restore it first")
    return row[0], row[1]


def derive_code(parent_code: str | None, identifier: str | None) -> str | None:
    """The reference code from the parent's code and a local identifier.

    A record without an identifier has no code of its own (None); its children then derive
    theirs from the nearest ancestor that has one (see :func:`code_prefix`).
    """
    if not identifier:
        return None
    return f"{parent_code}{REF_SEPARATOR}{identifier}" if parent_code else identifier


def code_prefix(cat: Catalogue, record_id: int | None) -> str | None:
    """The code a child of ``record_id`` derives from: its own, or its nearest ancestor's."""
    if record_id is None:
        return None
    row = cat.conn.execute(
        "WITH RECURSIVE up(id, parent_id, code, depth) AS ("
        " SELECT id, parent_id, reference_code, 0 FROM records WHERE id = ?"
        " UNION ALL SELECT r.id, r.parent_id, r.reference_code, up.depth + 1 FROM records r"
        " JOIN up ON r.id = up.parent_id WHERE up.code IS NULL)"
        " SELECT code FROM up WHERE code IS NOT NULL ORDER BY depth LIMIT 1", (record_id,)).fetchone()
    return row[0] if row else None


def check_unique_code(cat: Catalogue, code: str | None, record_id: int | None = None) -> None:
    """Refuse a reference code that another live record already has."""
    if not code:
        return
    row = cat.conn.execute("SELECT id, title FROM records WHERE reference_code = ? AND id IS NOT ?"
                           " AND trashed_at IS NULL LIMIT 1", (code, record_id)).fetchone()
    if row:
        raise InvalidValue(f"reference code {code} is already used by {row[1]!r}; give this record"
                           " another identifier")


def _check_fields(cat: Catalogue, record_type: str | None, values: dict) -> dict:
    defs = fielddefs.field_map(cat, record_type)
    out = {}
    for key, value in values.items():
        cleaned = clean_value(fielddefs.value_field(defs, record_type, key), value)
        if cleaned is not None:
            out[key] = cleaned
    return out


def _check_access(status: str, reason: str | None, until: str | None) -> None:
    if status not in ACCESS_STATUSES:
        raise InvalidValue(f"unknown access status {status!r}; use one of: {', '.join(ACCESS_STATUSES)}")
    if status == "restricted" and not reason:
        raise InvalidValue("a restricted record needs a reason (e.g. personal data)")
    if until:
        parse_date(until)


def _next_position(cat: Catalogue, parent_id: int | None) -> int:
    row = cat.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM records WHERE parent_id IS ?",
                           (parent_id,)).fetchone()
    return row[0]


def create_record(cat: Catalogue, *, title: str, level: str, parent_id: int | None = None,
                  type: str | None = None, identifier: str | None = None,
                  reference_code: str | None = None, position: int | None = None,
                  fields: dict | None = None, dates: Iterable | None = None,
                  access_status: str = "open", access_reason: str | None = None,
                  access_until: str | None = None, description_status: str = "draft",
                  uuid: str | None = None) -> int:
    """Create a record and return its id.

    Args:
        title: the title (required, non-empty).
        level: ISAD(G) level.
        parent_id: the parent record, or None for a top-level unit.
        type: record type (letter, report ...), or None for units such as a fonds or series.
        identifier: local identifier; the reference code is derived from it.
        reference_code: a hand-set reference code overriding the derived one.
        position: place among the siblings (default: last).
        fields: field values by field id.
        dates: EDTF expressions, or (expression, label) pairs, or dicts with those keys.
        uuid: keep this UUID (imports); a new one otherwise.

    Raises:
        InvalidValue, InvalidDate, InvalidHierarchy, NotFound: nothing is written.
    """
    if not title or not title.strip():
        raise InvalidValue("a record needs a title")
    check_level(level)
    if type is not None:
        fielddefs.template(cat, type)
    if description_status not in DESCRIPTION_STATUSES:
        raise InvalidValue(f"unknown description status {description_status!r};"
                           f" use one of: {', '.join(DESCRIPTION_STATUSES)}")
    _check_access(access_status, access_reason, access_until)
    parsed_dates = _parse_dates(dates or ())
    with cat.atomic():
        parent_level, _ = _parent_info(cat, parent_id)
        parent_code = code_prefix(cat, parent_id)
        check_containment(parent_level, level)
        clean_fields = _check_fields(cat, type, fields or {})
        code = reference_code or derive_code(parent_code, identifier)
        if identifier or reference_code:
            check_unique_code(cat, code)
        siblings = _next_position(cat, parent_id)
        pos = siblings if position is None else max(0, min(position, siblings))
        if pos < siblings:
            cat.conn.execute("UPDATE records SET position = position + 1 WHERE parent_id IS ?"
                             " AND position >= ?", (parent_id, pos))
        stamp = now()
        new_uuid = uuid or str(uuidlib.uuid4())
        cur = cat.conn.execute(
            "INSERT INTO records (uuid, parent_id, position, level, identifier, reference_code,"
            " ref_custom, title, type, access_status, access_reason, access_until,"
            " description_status, fields, created_at, created_by, modified_at, modified_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (new_uuid, parent_id, pos, level, identifier, code, int(bool(reference_code)),
             title.strip(), type, access_status, access_reason, access_until, description_status,
             json.dumps(clean_fields, ensure_ascii=False), stamp, cat.user, stamp, cat.user))
        record_id = cur.lastrowid
        _write_dates(cat, record_id, parsed_dates)
        log_change(cat, "create", "record", record_id, new_uuid, record_id=record_id,
                   new={"title": title.strip(), "level": level, "parent_id": parent_id})
        cat.note(Changes(records={record_id}, structure=True))
    return record_id


def _parse_dates(dates: Iterable) -> list[tuple[str, str]]:
    out = []
    for item in dates:
        expr, label = date_item(item)
        parse_date(expr)
        out.append((expr, label))
    return out


def _write_dates(cat: Catalogue, record_id: int, dates: list[tuple[str, str]]) -> None:
    cat.conn.execute("DELETE FROM record_dates WHERE record_id = ?", (record_id,))
    for i, (expr, label) in enumerate(dates):
        d = parse_date(expr)
        cat.conn.execute(
            "INSERT INTO record_dates (record_id, position, label, expression, earliest, latest,"
            " earliest_fuzzy, latest_fuzzy, certainty) VALUES (?,?,?,?,?,?,?,?,?)",
            (record_id, i, label, expr, d.earliest, d.latest, d.earliest_fuzzy, d.latest_fuzzy,
             d.certainty))


def set_dates(cat: Catalogue, record_id: int, dates: Iterable) -> Changes:
    """Replace a record's dates (EDTF expressions or (expression, label) pairs)."""
    parsed = _parse_dates(dates)
    with cat.atomic():
        rec = get_record(cat, record_id)
        old = [[d.expression, d.label] for d in rec.dates]
        new = [list(p) for p in parsed]
        if old == new:
            return Changes()
        _write_dates(cat, record_id, parsed)
        _touch(cat, record_id)
        log_change(cat, "update", "record", record_id, rec.uuid, record_id=record_id,
                   field="dates", old=old, new=new)
        return cat.note(Changes(records={record_id}))


def _touch(cat: Catalogue, record_id: int) -> None:
    cat.conn.execute("UPDATE records SET modified_at = ?, modified_by = ? WHERE id = ?",
                     (now(), cat.user, record_id))


def update_record(cat: Catalogue, record_id: int, values: dict[str, Any]) -> Changes:
    """Set record attributes and fields; one audit row per value that changed.

    Args:
        values: keys are attributes (title, level, type, identifier, reference_code,
            access_status, access_reason, access_until, description_status), ``dates``, or field
            ids (optionally written ``fields.<id>``); None or "" clears a field.

    Raises:
        InvalidValue, InvalidDate, InvalidHierarchy: nothing is written.
    """
    with cat.atomic():
        rec = get_record(cat, record_id)
        changes = Changes()
        attrs = {k: v for k, v in values.items() if k in RECORD_ATTRIBUTES}
        field_values = {k.removeprefix("fields."): v for k, v in values.items()
                        if k not in RECORD_ATTRIBUTES and k != "dates"}
        if "dates" in values:
            changes.merge(set_dates(cat, record_id, values["dates"] or ()))
        if attrs:
            changes.merge(_update_attributes(cat, rec, attrs))
            rec = get_record(cat, record_id)
        if field_values:
            changes.merge(_update_fields(cat, rec, field_values))
        return changes


def _update_attributes(cat: Catalogue, rec: Record, attrs: dict) -> Changes:
    merged = {a: getattr(rec, a) for a in RECORD_ATTRIBUTES}
    for key, value in attrs.items():
        merged[key] = value.strip() if isinstance(value, str) else value
        if merged[key] == "" and key != "title":
            merged[key] = None
    if not merged["title"]:
        raise InvalidValue("a record needs a title")
    check_level(merged["level"])
    if merged["type"] is not None:
        fielddefs.template(cat, merged["type"])
    if merged["description_status"] not in DESCRIPTION_STATUSES:
        raise InvalidValue(f"unknown description status {merged['description_status']!r}")
    _check_access(merged["access_status"], merged["access_reason"], merged["access_until"])
    changes = Changes(records={rec.id})
    if merged["level"] != rec.level:
        parent_level, _ = _parent_info(cat, rec.parent_id) if rec.parent_id else (None, None)
        check_containment(parent_level, merged["level"])
        for (child_level,) in cat.conn.execute(
                "SELECT DISTINCT level FROM records WHERE parent_id = ?", (rec.id,)):
            check_containment(merged["level"], child_level)
        changes.structure = True
    ref_changed = False
    if "reference_code" in attrs and merged["reference_code"] != rec.reference_code:
        ref_changed = True
    if "identifier" in attrs and merged["identifier"] != rec.identifier:
        ref_changed = True
    for key in RECORD_ATTRIBUTES:
        if merged[key] == getattr(rec, key):
            continue
        if key == "reference_code":
            continue
        cat.conn.execute(f"UPDATE records SET {key} = ? WHERE id = ?", (merged[key], rec.id))
        log_change(cat, "update", "record", rec.id, rec.uuid, record_id=rec.id, field=key,
                   old=getattr(rec, key), new=merged[key])
    if ref_changed:
        if "reference_code" in attrs:
            custom = merged["reference_code"]
            cat.conn.execute("UPDATE records SET ref_custom = ? WHERE id = ?", (int(bool(custom)), rec.id))
        _recompute_codes(cat, rec.id)
        new_code = cat.conn.execute("SELECT reference_code FROM records WHERE id = ?",
                                    (rec.id,)).fetchone()[0]
        if "reference_code" in attrs and merged["reference_code"]:
            new_code = merged["reference_code"]
            cat.conn.execute("UPDATE records SET reference_code = ? WHERE id = ?", (new_code, rec.id))
            _recompute_codes(cat, rec.id, children_only=True)
        if merged["identifier"] or merged["reference_code"]:
            check_unique_code(cat, new_code, rec.id)
        if new_code != rec.reference_code:
            log_change(cat, "update", "record", rec.id, rec.uuid, record_id=rec.id,
                       field="reference_code", old=rec.reference_code, new=new_code)
        changes.structure = True
    _touch(cat, rec.id)
    return cat.note(changes)


def _update_fields(cat: Catalogue, rec: Record, values: dict) -> Changes:
    cleaned = _check_fields(cat, rec.type, {k: v for k, v in values.items() if v not in (None, "", [])})
    new_fields = dict(rec.fields)
    changed = False
    for key, value in values.items():
        new_value = cleaned.get(key)
        old_value = rec.fields.get(key)
        if new_value == old_value:
            continue
        changed = True
        if new_value is None:
            new_fields.pop(key, None)
        else:
            new_fields[key] = new_value
        log_change(cat, "update", "record", rec.id, rec.uuid, record_id=rec.id, field=key,
                   old=old_value, new=new_value)
    if not changed:
        return Changes()
    cat.conn.execute("UPDATE records SET fields = ? WHERE id = ?",
                     (json.dumps(new_fields, ensure_ascii=False), rec.id))
    _touch(cat, rec.id)
    return cat.note(Changes(records={rec.id}))


def _recompute_codes(cat: Catalogue, root_id: int, *, children_only: bool = False) -> None:
    """Re-derive the reference codes of ``root_id`` and its descendants (custom ones kept)."""
    row = cat.conn.execute("SELECT parent_id, identifier, ref_custom, reference_code FROM records"
                           " WHERE id = ?", (root_id,)).fetchone()
    parent_id, identifier, custom, code = row
    prefix = code_prefix(cat, parent_id)
    if not children_only and not custom:
        code = derive_code(prefix, identifier)
        cat.conn.execute("UPDATE records SET reference_code = ? WHERE id = ?", (code, root_id))
    stack = [(root_id, code or prefix)]
    while stack:
        pid, pcode = stack.pop()
        for cid, ident, ccustom, ccode in cat.conn.execute(
                "SELECT id, identifier, ref_custom, reference_code FROM records WHERE parent_id = ?",
                (pid,)).fetchall():
            if not ccustom:
                ccode = derive_code(pcode, ident)
                cat.conn.execute("UPDATE records SET reference_code = ? WHERE id = ?", (ccode, cid))
            stack.append((cid, ccode or pcode))
