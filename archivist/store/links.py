"""Links from records to authorities (with a role), typed relations between records, and tags."""

from __future__ import annotations

import unicodedata
from typing import Iterable

from archivist.core.changes import Changes
from archivist.core.errors import InvalidValue, NotFound
from archivist.core.model import LINK_ROLES, RELATION_INVERSES, Link, Relation
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue
from archivist.store.records import record_uuid


def _authority_uuid(cat: Catalogue, authority_id: int) -> str:
    row = cat.conn.execute("SELECT uuid FROM authorities WHERE id = ?", (authority_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no authority record {authority_id}")
    return row[0]


def link(cat: Catalogue, record_id: int, authority_id: int, role: str) -> Changes:
    """Link a record to an authority with a role (no-op when the link exists)."""
    if role not in LINK_ROLES:
        raise InvalidValue(f"unknown role {role!r}; use one of: {', '.join(LINK_ROLES)}")
    with cat.atomic():
        ruuid = record_uuid(cat, record_id)
        auuid = _authority_uuid(cat, authority_id)
        exists = cat.conn.execute("SELECT 1 FROM links WHERE record_id = ? AND authority_id = ?"
                                  " AND role = ?", (record_id, authority_id, role)).fetchone()
        if exists:
            return Changes()
        pos = cat.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM links WHERE record_id = ?",
                               (record_id,)).fetchone()[0]
        cur = cat.conn.execute("INSERT INTO links (record_id, authority_id, role, position)"
                               " VALUES (?,?,?,?)", (record_id, authority_id, role, pos))
        log_change(cat, "link", "link", cur.lastrowid, ruuid, record_id=record_id, field=role,
                   new={"authority": auuid, "authority_id": authority_id, "role": role})
        return cat.note(Changes(records={record_id}, authorities={authority_id}))


def unlink(cat: Catalogue, record_id: int, authority_id: int, role: str) -> Changes:
    """Remove a record's link to an authority in a role (no-op when absent)."""
    with cat.atomic():
        row = cat.conn.execute("SELECT id FROM links WHERE record_id = ? AND authority_id = ?"
                               " AND role = ?", (record_id, authority_id, role)).fetchone()
        if row is None:
            return Changes()
        cat.conn.execute("DELETE FROM links WHERE id = ?", (row[0],))
        log_change(cat, "unlink", "link", row[0], record_uuid(cat, record_id), record_id=record_id,
                   field=role, old={"authority": _authority_uuid(cat, authority_id),
                                    "authority_id": authority_id, "role": role})
        return cat.note(Changes(records={record_id}, authorities={authority_id}))


def links_of(cat: Catalogue, record_id: int) -> list[Link]:
    """A record's links to live authorities, in order."""
    return [Link(*r) for r in cat.conn.execute(
        "SELECT l.id, l.record_id, a.id, a.uuid, a.name, a.kind, l.role FROM links l"
        " JOIN authorities a ON a.id = l.authority_id WHERE l.record_id = ? AND a.trashed_at IS NULL"
        " ORDER BY l.position, l.id", (record_id,))]


def relate(cat: Catalogue, source_id: int, target_id: int, rel_type: str) -> Changes:
    """Relate two records. Inverse names are accepted: ("response", A, B) stores B responds_to A."""
    inverse_of = {v: k for k, v in RELATION_INVERSES.items() if k != v}
    if rel_type in inverse_of:
        source_id, target_id, rel_type = target_id, source_id, inverse_of[rel_type]
    if rel_type not in RELATION_INVERSES:
        names = sorted(set(RELATION_INVERSES) | set(RELATION_INVERSES.values()))
        raise InvalidValue(f"unknown relation type {rel_type!r}; use one of: {', '.join(names)}")
    if source_id == target_id:
        raise InvalidValue("a record cannot be related to itself")
    with cat.atomic():
        suuid, tuuid = record_uuid(cat, source_id), record_uuid(cat, target_id)
        pairs = [(source_id, target_id)]
        if rel_type == "related":
            pairs.append((target_id, source_id))
        for s, t in pairs:
            if cat.conn.execute("SELECT 1 FROM relations WHERE source_id = ? AND target_id = ?"
                                " AND type = ?", (s, t, rel_type)).fetchone():
                return Changes()
        cur = cat.conn.execute("INSERT INTO relations (source_id, target_id, type) VALUES (?,?,?)",
                               (source_id, target_id, rel_type))
        log_change(cat, "relate", "relation", cur.lastrowid, suuid, record_id=source_id,
                   field=rel_type, new={"target": tuuid, "target_id": target_id, "type": rel_type})
        return cat.note(Changes(records={source_id, target_id}))


def unrelate(cat: Catalogue, relation_id: int) -> Changes:
    """Remove a relation by its id."""
    with cat.atomic():
        row = cat.conn.execute("SELECT source_id, target_id, type FROM relations WHERE id = ?",
                               (relation_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no relation {relation_id}")
        s, t, rel_type = row
        cat.conn.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
        log_change(cat, "unrelate", "relation", relation_id, record_uuid(cat, s), record_id=s,
                   field=rel_type, old={"target": record_uuid(cat, t), "target_id": t, "type": rel_type})
        return cat.note(Changes(records={s, t}))


def relations_of(cat: Catalogue, record_id: int) -> list[Relation]:
    """Relations of a record seen from its side: outgoing as stored, incoming inverted."""
    out = []
    for rid, rtype, other, ouuid, otitle, ocode, outgoing in cat.conn.execute(
            "SELECT x.id, x.type, r.id, r.uuid, r.title, r.reference_code, 1 FROM relations x"
            " JOIN records r ON r.id = x.target_id WHERE x.source_id = ? AND r.trashed_at IS NULL"
            " UNION ALL "
            "SELECT x.id, x.type, r.id, r.uuid, r.title, r.reference_code, 0 FROM relations x"
            " JOIN records r ON r.id = x.source_id WHERE x.target_id = ? AND r.trashed_at IS NULL",
            (record_id, record_id)):
        shown = rtype if outgoing else RELATION_INVERSES[rtype]
        out.append(Relation(rid, shown, other, ouuid, otitle, ocode, bool(outgoing)))
    return out


def _tag_id(cat: Catalogue, name: str) -> int:
    row = cat.conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    return cat.conn.execute("INSERT INTO tags (name) VALUES (?)", (name,)).lastrowid


def add_tags(cat: Catalogue, record_ids: Iterable[int], names: Iterable[str]) -> Changes:
    """Tag records (tags are created on first use)."""
    names = [unicodedata.normalize("NFC", n.strip()) for n in names if n and n.strip()]
    with cat.atomic():
        changes = Changes()
        for rid in record_ids:
            ruuid = record_uuid(cat, rid)
            for name in names:
                tid = _tag_id(cat, name)
                cur = cat.conn.execute("INSERT OR IGNORE INTO record_tags (record_id, tag_id) VALUES (?,?)",
                                       (rid, tid))
                if cur.rowcount:
                    log_change(cat, "tag", "tag", tid, ruuid, record_id=rid, field="tags", new=name)
                    changes.records.add(rid)
        return cat.note(changes)


def remove_tags(cat: Catalogue, record_ids: Iterable[int], names: Iterable[str]) -> Changes:
    """Untag records."""
    with cat.atomic():
        changes = Changes()
        for rid in record_ids:
            ruuid = record_uuid(cat, rid)
            for name in names:
                row = cat.conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
                if row is None:
                    continue
                cur = cat.conn.execute("DELETE FROM record_tags WHERE record_id = ? AND tag_id = ?",
                                       (rid, row[0]))
                if cur.rowcount:
                    log_change(cat, "untag", "tag", row[0], ruuid, record_id=rid, field="tags", old=name)
                    changes.records.add(rid)
        return cat.note(changes)


def tags_of(cat: Catalogue, record_id: int) -> list[str]:
    """A record's tags, sorted."""
    return [r[0] for r in cat.conn.execute(
        "SELECT t.name FROM tags t JOIN record_tags rt ON rt.tag_id = t.id WHERE rt.record_id = ?"
        " ORDER BY t.name COLLATE NOCASE", (record_id,))]


def all_tags(cat: Catalogue) -> list[tuple[str, int]]:
    """Every tag with the number of live records carrying it."""
    return cat.conn.execute(
        "SELECT t.name, count(r.id) FROM tags t LEFT JOIN record_tags rt ON rt.tag_id = t.id"
        " LEFT JOIN records r ON r.id = rt.record_id AND r.trashed_at IS NULL"
        " GROUP BY t.id ORDER BY t.name COLLATE NOCASE").fetchall()
