"""Reverting one change of the audit log by applying its inverse through the store functions.

The inverse is itself audited (with ``reverts`` pointing at the original), so a revert can be
reverted too. A purge is final and cannot be reverted.
"""

from __future__ import annotations

from archivist.core.changes import Changes
from archivist.core.errors import InvalidValue, NotFound
from archivist.core.model import RECORD_ATTRIBUTES
from archivist.store import authorities, hierarchy, links, records, trash
from archivist.store.audit import get_change
from archivist.store.catalogue import Catalogue


def revert_change(cat: Catalogue, change_id: int) -> Changes:
    """Undo the change ``change_id``; the revert is logged as a new change.

    Raises:
        NotFound: no such change.
        InvalidValue: the change cannot be reverted (a purge, or its subject is gone).
    """
    ch = get_change(cat, change_id)
    with cat.atomic():
        first_new = cat.conn.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]
        result = _apply_inverse(cat, ch)
        cat.conn.execute("UPDATE changes SET reverts = ? WHERE id > ?", (ch.id, first_new))
        return result


def _apply_inverse(cat: Catalogue, ch) -> Changes:
    try:
        if ch.entity == "record":
            return _revert_record(cat, ch)
        if ch.entity == "authority":
            if ch.action == "create":
                return authorities.set_authority_trashed(cat, ch.entity_id, True)
            if ch.action in ("trash", "restore"):
                return authorities.set_authority_trashed(cat, ch.entity_id, ch.action == "restore")
            if ch.action == "update":
                return authorities.update_authority(cat, ch.entity_id, {ch.field: ch.old})
        if ch.entity == "link":
            value = ch.new if ch.action == "link" else ch.old
            if ch.action == "link":
                return links.unlink(cat, ch.record_id, value["authority_id"], value["role"])
            return links.link(cat, ch.record_id, value["authority_id"], value["role"])
        if ch.entity == "relation":
            if ch.action == "relate":
                return links.unrelate(cat, ch.entity_id)
            return links.relate(cat, ch.record_id, ch.old["target_id"], ch.old["type"])
        if ch.entity == "tag":
            if ch.action == "tag":
                return links.remove_tags(cat, [ch.record_id], [ch.new])
            return links.add_tags(cat, [ch.record_id], [ch.old])
    except NotFound as exc:
        raise InvalidValue(f"change {ch.id} cannot be reverted: {exc}") from exc
    raise InvalidValue(f"change {ch.id} ({ch.action} of {ch.entity}) cannot be reverted")


def _revert_record(cat: Catalogue, ch) -> Changes:
    rid = ch.entity_id
    if ch.action == "purge":
        raise InvalidValue(f"change {ch.id} purged a record for good; it cannot be reverted")
    if ch.action == "create":
        return trash.trash_records(cat, [rid])
    if ch.action == "trash":
        return trash.restore_records(cat, [rid])
    if ch.action == "restore":
        return trash.trash_records(cat, [rid])
    if ch.action == "move":
        return hierarchy.move_record(cat, rid, ch.old["parent_id"], ch.old["position"])
    if ch.action == "update":
        if ch.field == "dates":
            return records.set_dates(cat, rid, [tuple(d) for d in ch.old or []])
        if ch.field == "reference_code":
            rec = records.get_record(cat, rid)
            if not rec.ref_custom:
                return Changes()  # derived: reverting its cause (identifier, move) restores it
            return records.update_record(cat, rid, {"reference_code": ch.old})
        if ch.field in RECORD_ATTRIBUTES:
            return records.update_record(cat, rid, {ch.field: ch.old})
        return records.update_record(cat, rid, {f"fields.{ch.field}": ch.old})
    raise InvalidValue(f"change {ch.id} ({ch.action}) cannot be reverted")
