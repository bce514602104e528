"""Field definitions: the shipped templates plus the catalogue's user-defined fields."""

from __future__ import annotations

import json

from archivist.core.changes import Changes
from archivist.core.errors import InvalidValue
from archivist.core.levels import LEVELS
from archivist.core.templates import AREAS, FIELD_KINDS, FieldDef, Template, all_fields, template_for, with_user_fields
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue


def user_fields(cat: Catalogue, record_type: str | None = None) -> list[FieldDef]:
    """The catalogue's own fields that apply to ``record_type`` (all when it names none)."""
    out = []
    for fid, label, kind, area, rep, req, cw, types in cat.conn.execute(
            "SELECT field_id, label, kind, area, repeatable, required, crosswalk, record_types"
            " FROM field_defs ORDER BY id"):
        types = json.loads(types)
        if types and record_type not in types:
            continue
        out.append(FieldDef(id=fid, label=label, kind=kind, area=area, repeatable=bool(rep),
                            required=tuple(json.loads(req)), crosswalk=json.loads(cw),
                            user_defined=True))
    return out


def template(cat: Catalogue, record_type: str | None) -> Template:
    """The form of ``record_type`` in this catalogue (shipped template + user fields)."""
    return with_user_fields(template_for(record_type), user_fields(cat, record_type))


def field_map(cat: Catalogue, record_type: str | None) -> dict[str, FieldDef]:
    """Fields a record of this type accepts, by id."""
    return {f.id: f for f in template(cat, record_type).fields}


def value_field(fmap: dict[str, FieldDef], record_type: str | None, key: str) -> FieldDef:
    """The field ``key`` of a record type's map, if it holds a value (not an authority link).

    Raises:
        InvalidValue: the type has no such field, or it is an authority link.
    """
    fdef = fmap.get(key)
    if fdef is None:
        raise InvalidValue(f"unknown field {key!r} for a {record_type or 'unit'} record;"
                           f" known fields: {', '.join(sorted(fmap))}")
    if fdef.kind == "authority":
        raise InvalidValue(f"{fdef.label} is an authority link: use link, not a field")
    return fdef


def add_user_field(cat: Catalogue, field_id: str, label: str, kind: str = "text", *,
                   area: str = "notes", repeatable: bool = False, required: tuple = (),
                   record_types: tuple = (), crosswalk: dict | None = None) -> Changes:
    """Define a field of this catalogue's own (travels with the catalogue).

    Raises:
        InvalidValue: the id clashes with a shipped field, or kind/area/levels are unknown.
    """
    if not field_id.isidentifier():
        raise InvalidValue(f"field id {field_id!r} must be letters, digits and underscores")
    if field_id in all_fields():
        raise InvalidValue(f"{field_id!r} is already a standard field")
    if kind not in FIELD_KINDS or kind == "authority":
        raise InvalidValue(f"unknown field kind {kind!r}")
    if area not in AREAS:
        raise InvalidValue(f"unknown area {area!r}")
    bad = [lv for lv in required if lv not in LEVELS]
    if bad:
        raise InvalidValue(f"unknown levels {bad}")
    with cat.atomic():
        cur = cat.conn.execute(
            "INSERT INTO field_defs (field_id, label, kind, area, repeatable, required, crosswalk,"
            " record_types) VALUES (?,?,?,?,?,?,?,?)",
            (field_id, label, kind, area, int(repeatable), json.dumps(list(required)),
             json.dumps(crosswalk or {}), json.dumps(list(record_types))))
        log_change(cat, "create", "field_def", cur.lastrowid, field=field_id,
                   new={"label": label, "kind": kind})
        return cat.note(Changes(settings=True))
