"""The audit log: every change with who, when, what, the old value and the new value.

Rows are written by the store's mutation functions inside their transaction through
:func:`log_change`; :func:`list_changes` reads them and ``archivist.store.revert`` undoes one.
Values are stored as JSON so that lists, nulls and numbers come back as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from archivist.core.errors import NotFound
from archivist.store.catalogue import Catalogue, now


@dataclass(frozen=True)
class Change:
    """One row of the audit log."""

    id: int
    batch: int
    at: str
    user: str
    action: str
    entity: str
    entity_id: int | None
    entity_uuid: str | None
    record_id: int | None
    field: str | None
    old: Any
    new: Any
    reverts: int | None

    def as_dict(self) -> dict:
        """A JSON-friendly dict of this change."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def log_change(cat: Catalogue, action: str, entity: str, entity_id: int | None,
               entity_uuid: str | None = None, *, record_id: int | None = None,
               field: str | None = None, old: Any = None, new: Any = None,
               reverts: int | None = None) -> int:
    """Write one audit row in the current transaction and return its id.

    Args:
        action: create, update, move, trash, restore, purge, link, unlink, relate, unrelate,
            tag, untag, ingest, import ...
        entity: record, authority, link, relation, tag, page ...
        entity_id: the entity's row id.
        entity_uuid: its UUID where it has one.
        record_id: the record this change belongs to (for per-record history).
        field: the field or column changed, if one.
        old: value before (JSON-serialisable).
        new: value after.
        reverts: the change this one reverts.
    """
    cur = cat.conn.execute(
        "INSERT INTO changes (batch, at, user, action, entity, entity_id, entity_uuid, record_id,"
        " field, old, new, reverts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (cat.batch_id(), now(), cat.user, action, entity, entity_id, entity_uuid, record_id, field,
         _dump(old), _dump(new), reverts))
    return cur.lastrowid


_COLUMNS = "id, batch, at, user, action, entity, entity_id, entity_uuid, record_id, field, old, new, reverts"


def _row(r) -> Change:
    return Change(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], _load(r[10]),
                  _load(r[11]), r[12])


def last_change_id(cat: Catalogue) -> int:
    """The id of the newest change (0 when the log is empty): compare before and after an edit."""
    return cat.conn.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]


def list_changes(cat: Catalogue, record_id: int | None = None, *, entity: str | None = None,
                 entity_id: int | None = None, limit: int = 1000) -> list[Change]:
    """Changes, newest first: catalogue-wide, for one record, or for one entity."""
    where, args = [], []
    if record_id is not None:
        where.append("record_id = ?")
        args.append(record_id)
    if entity is not None:
        where.append("entity = ?")
        args.append(entity)
    if entity_id is not None:
        where.append("entity_id = ?")
        args.append(entity_id)
    sql = f"SELECT {_COLUMNS} FROM changes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    return [_row(r) for r in cat.conn.execute(sql, (*args, limit))]


def get_change(cat: Catalogue, change_id: int) -> Change:
    """One change by id.

    Raises:
        NotFound: there is no such change.
    """
    row = cat.conn.execute(f"SELECT {_COLUMNS} FROM changes WHERE id = ?", (change_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no change {change_id} in the audit log")
    return _row(row)
