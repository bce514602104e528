"""The trash: records (with everything below them) trashed, restored, or purged for good."""

from __future__ import annotations

from typing import Iterable

from archivist.core.changes import Changes
from archivist.core.errors import InvalidHierarchy, InvalidValue
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue, now
from archivist.store.hierarchy import descendants
from archivist.store.records import get_record


def trash_records(cat: Catalogue, record_ids: Iterable[int]) -> Changes:
    """Move records (with everything below them) to the trash."""
    with cat.atomic():
        changes = Changes(structure=True, visibility_only=True)
        stamp = now()
        for rid in record_ids:
            rec = get_record(cat, rid)
            if rec.trashed_at:
                continue
            below = [d for d in descendants(cat, rid)]
            ids = [rid] + below
            cat.conn.executemany("UPDATE records SET trashed_at = ?, trashed_with = ? WHERE id = ?"
                                 " AND trashed_at IS NULL", [(stamp, rid, i) for i in ids])
            log_change(cat, "trash", "record", rid, rec.uuid, record_id=rid, field="trashed_at",
                       old=None, new=stamp)
            changes.records.update(ids)
        return cat.note(changes)


def restore_records(cat: Catalogue, record_ids: Iterable[int]) -> Changes:
    """Bring records (and what was trashed with them) back from the trash."""
    with cat.atomic():
        changes = Changes(structure=True, visibility_only=True)
        for rid in record_ids:
            rec = get_record(cat, rid)
            if not rec.trashed_at:
                continue
            parent = rec.parent_id
            if parent is not None:
                prow = cat.conn.execute("SELECT trashed_at FROM records WHERE id = ?", (parent,)).fetchone()
                if prow[0]:
                    raise InvalidHierarchy(f"restore the parent of {rec.title!r} first: it is in the trash")
            ids = [r[0] for r in cat.conn.execute("SELECT id FROM records WHERE trashed_with = ?", (rid,))]
            cat.conn.execute("UPDATE records SET trashed_at = NULL, trashed_with = NULL"
                             " WHERE trashed_with = ?", (rid,))
            log_change(cat, "restore", "record", rid, rec.uuid, record_id=rid, field="trashed_at",
                       old=rec.trashed_at, new=None)
            changes.records.update(ids)
        return cat.note(changes)


def purge_records(cat: Catalogue, record_ids: Iterable[int]) -> Changes:
    """Delete trashed records for good (final: cannot be reverted)."""
    with cat.atomic():
        changes = Changes(structure=True)
        for rid in record_ids:
            rec = get_record(cat, rid)
            if not rec.trashed_at:
                raise InvalidValue(f"{rec.title!r} is not in the trash; trash it before purging")
            ids = [rid] + descendants(cat, rid)
            for i in reversed(ids):
                cat.conn.execute("DELETE FROM records WHERE id = ?", (i,))
            log_change(cat, "purge", "record", rid, rec.uuid, record_id=None,
                       old={"title": rec.title, "reference_code": rec.reference_code}, new=None)
            changes.records.update(ids)
        return cat.note(changes)


def list_trash(cat: Catalogue) -> list[tuple[int, str, str | None, str]]:
    """Records trashed directly (not with a parent): (id, title, reference code, trashed at)."""
    return cat.conn.execute("SELECT id, title, reference_code, trashed_at FROM records"
                            " WHERE trashed_at IS NOT NULL AND trashed_with = id"
                            " ORDER BY trashed_at DESC").fetchall()
