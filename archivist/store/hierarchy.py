"""Where records sit: ancestors and descendants, moving, children in order, the whole tree."""

from __future__ import annotations

from archivist.core.changes import Changes
from archivist.core.errors import InvalidHierarchy
from archivist.core.levels import check_containment
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue
from archivist.store.records import (_parent_info, _recompute_codes, _touch, check_unique_code,
                                     get_record)


def ancestors(cat: Catalogue, record_id: int) -> list[int]:
    """Ids from the record's parent up to its top-level unit."""
    rows = cat.conn.execute(
        "WITH RECURSIVE up(id, parent_id, depth) AS ("
        " SELECT id, parent_id, 0 FROM records WHERE id = ?"
        " UNION ALL SELECT r.id, r.parent_id, up.depth + 1 FROM records r JOIN up ON r.id = up.parent_id)"
        " SELECT id FROM up WHERE depth > 0 ORDER BY depth", (record_id,)).fetchall()
    return [r[0] for r in rows]


def descendants(cat: Catalogue, record_id: int) -> list[int]:
    """Ids of every record below ``record_id`` (trashed or not)."""
    rows = cat.conn.execute(
        "WITH RECURSIVE down(id) AS (SELECT id FROM records WHERE parent_id = ?"
        " UNION ALL SELECT r.id FROM records r JOIN down ON r.parent_id = down.id) SELECT id FROM down",
        (record_id,)).fetchall()
    return [r[0] for r in rows]


def move_record(cat: Catalogue, record_id: int, parent_id: int | None,
                position: int | None = None) -> Changes:
    """Move a record under ``parent_id`` (None: top level) at ``position`` (default: last).

    Raises:
        InvalidHierarchy: the move would create a cycle or break level order.
    """
    with cat.atomic():
        rec = get_record(cat, record_id)
        if rec.trashed_at:
            raise InvalidHierarchy("a record in the trash cannot be moved; restore it first")
        if parent_id == record_id or (parent_id is not None and record_id in ancestors(cat, parent_id)):
            raise InvalidHierarchy("a record cannot be moved into itself or into one of its own"
                                   " descendants")
        parent_level, _ = _parent_info(cat, parent_id)
        check_containment(parent_level, rec.level)
        # close the gap at the old place
        cat.conn.execute("UPDATE records SET position = position - 1 WHERE parent_id IS ?"
                         " AND position > ? AND id != ?", (rec.parent_id, rec.position, record_id))
        cat.conn.execute("UPDATE records SET position = -1, parent_id = ? WHERE id = ?",
                         (parent_id, record_id))
        count = cat.conn.execute("SELECT count(*) FROM records WHERE parent_id IS ? AND id != ?",
                                 (parent_id, record_id)).fetchone()[0]
        pos = count if position is None else max(0, min(position, count))
        cat.conn.execute("UPDATE records SET position = position + 1 WHERE parent_id IS ?"
                         " AND position >= ? AND id != ?", (parent_id, pos, record_id))
        cat.conn.execute("UPDATE records SET position = ? WHERE id = ?", (pos, record_id))
        if (parent_id, pos) == (rec.parent_id, rec.position):
            return Changes()
        if parent_id != rec.parent_id:
            _recompute_codes(cat, record_id)
            if rec.identifier or rec.ref_custom:
                check_unique_code(cat, cat.conn.execute(
                    "SELECT reference_code FROM records WHERE id = ?", (record_id,)).fetchone()[0],
                    record_id)
        _touch(cat, record_id)
        log_change(cat, "move", "record", record_id, rec.uuid, record_id=record_id, field="parent",
                   old={"parent_id": rec.parent_id, "position": rec.position},
                   new={"parent_id": parent_id, "position": pos})
        return cat.note(Changes(records={record_id}, structure=True))


def child_ids(cat: Catalogue, parent_id: int | None, *, include_trashed: bool = False) -> list[int]:
    """Ids of the children of ``parent_id`` in order (top-level records for None)."""
    sql = "SELECT id FROM records WHERE parent_id IS ?"
    if not include_trashed:
        sql += " AND trashed_at IS NULL"
    return [r[0] for r in cat.conn.execute(sql + " ORDER BY position, id", (parent_id,))]


def count_records(cat: Catalogue, *, include_trashed: bool = False) -> int:
    """How many records the catalogue has."""
    sql = "SELECT count(*) FROM records" + ("" if include_trashed else " WHERE trashed_at IS NULL")
    return cat.conn.execute(sql).fetchone()[0]


def tree(cat: Catalogue) -> list[dict]:
    """The whole live hierarchy as nested dicts (id is the UUID)."""
    rows = cat.conn.execute("SELECT id, uuid, parent_id, reference_code, title, level, type"
                            " FROM records WHERE trashed_at IS NULL ORDER BY parent_id, position, id")
    nodes, by_parent = {}, {}
    for rid, ruuid, parent, code, title, level, rtype in rows:
        nodes[rid] = {"id": ruuid, "reference_code": code, "title": title, "level": level,
                      "type": rtype, "children": []}
        by_parent.setdefault(parent, []).append(rid)
    for parent, kids in by_parent.items():
        if parent in nodes:
            nodes[parent]["children"] = [nodes[k] for k in kids]
    return [nodes[k] for k in by_parent.get(None, [])]
