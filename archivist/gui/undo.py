"""Undoable commands over store functions (one QUndoStack per open catalogue).

Each command does its work in :meth:`StoreCommand.apply` and its inverse in
:meth:`StoreCommand.revert`, recording what it needs for the inverse on the first apply. Use
:func:`push`: it applies the command first, so an expected error (a bad date, an impossible move)
reaches the caller and nothing lands on the stack; the stack's own first ``redo()`` is skipped.
Undoing a creation moves the record to the trash and redoing restores it, so record ids stay
stable for the commands above it on the stack.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from PySide6.QtGui import QUndoCommand, QUndoStack

from archivist.core.errors import ArchivistError
from archivist.core.model import RECORD_ATTRIBUTES
from archivist.store import authorities, hierarchy, links, records, trash
from archivist.store.catalogue import Catalogue

ErrorHandler = Callable[[BaseException], None]


class StoreCommand(QUndoCommand):
    """A command whose redo and undo call store functions.

    Args:
        cat: the open catalogue.
        text: the menu text ("Undo <text>").
    """

    def __init__(self, cat: Catalogue, text: str):
        super().__init__(text)
        self.cat = cat
        self.on_error: ErrorHandler | None = None
        self._skip_redo = False

    def apply(self) -> None:  # pragma: no cover - abstract
        """Do the work (raises ArchivistError when it cannot)."""
        raise NotImplementedError

    def revert(self) -> None:  # pragma: no cover - abstract
        """Undo the work."""
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except ArchivistError as exc:
            self.setObsolete(True)
            if self.on_error:
                self.on_error(exc)
            else:
                raise


def push(stack: QUndoStack, command: StoreCommand, on_error: ErrorHandler | None = None) -> StoreCommand:
    """Apply ``command`` and, if it worked, put it on ``stack``.

    Raises:
        ArchivistError: the command could not be applied; nothing was changed or pushed.
    """
    command.apply()
    command.on_error = on_error
    command._skip_redo = True
    stack.push(command)
    return command


def push_done(stack: QUndoStack, command: StoreCommand, on_error: ErrorHandler | None = None
              ) -> StoreCommand:
    """Put a command whose work is already done (a background ingest) on ``stack``."""
    command.on_error = on_error
    command._skip_redo = True
    stack.push(command)
    return command


def _current(rec, key: str) -> Any:
    if key == "dates":
        return [[d.expression, d.label] for d in rec.dates]
    if key in RECORD_ATTRIBUTES:
        if key == "reference_code" and not rec.ref_custom:
            return None
        return getattr(rec, key)
    return rec.fields.get(key.removeprefix("fields."))


class SetValuesCommand(StoreCommand):
    """Set record attributes, fields or dates (see ``records.update_record``)."""

    def __init__(self, cat: Catalogue, record_id: int, values: dict, text: str | None = None):
        super().__init__(cat, text or f"Edit {', '.join(values)}")
        self.record_id = record_id
        self.values = dict(values)
        self.old: dict | None = None

    def apply(self) -> None:
        if self.old is None:
            rec = records.get_record(self.cat, self.record_id)
            self.old = {k: _current(rec, k) for k in self.values}
        records.update_record(self.cat, self.record_id, self.values)

    def revert(self) -> None:
        records.update_record(self.cat, self.record_id, self.old or {})


class CreateRecordCommand(StoreCommand):
    """Create a record (``records.create_record`` keyword arguments)."""

    def __init__(self, cat: Catalogue, text: str = "New record", **kwargs):
        super().__init__(cat, text)
        self.kwargs = kwargs
        self.record_id: int | None = None

    def apply(self) -> None:
        if self.record_id is None:
            self.record_id = records.create_record(self.cat, **self.kwargs)
        else:
            trash.restore_records(self.cat, [self.record_id])

    def revert(self) -> None:
        trash.trash_records(self.cat, [self.record_id])


class DuplicateRecordCommand(StoreCommand):
    """Copy a record (title, fields, dates and links) just after itself."""

    def __init__(self, cat: Catalogue, record_id: int):
        super().__init__(cat, "Duplicate record")
        self.source_id = record_id
        self.record_id: int | None = None

    def apply(self) -> None:
        if self.record_id is not None:
            trash.restore_records(self.cat, [self.record_id])
            return
        rec = records.get_record(self.cat, self.source_id)
        with self.cat.atomic():
            self.record_id = records.create_record(
                self.cat, title=f"{rec.title} (copy)", level=rec.level, parent_id=rec.parent_id,
                type=rec.type, position=rec.position + 1, fields=rec.fields,
                dates=[(d.expression, d.label) for d in rec.dates],
                access_status=rec.access_status, access_reason=rec.access_reason,
                access_until=rec.access_until)
            for lk in links.links_of(self.cat, self.source_id):
                links.link(self.cat, self.record_id, lk.authority_id, lk.role)

    def revert(self) -> None:
        trash.trash_records(self.cat, [self.record_id])


class MoveRecordCommand(StoreCommand):
    """Move a record under a parent at a position (None: last)."""

    def __init__(self, cat: Catalogue, record_id: int, parent_id: int | None, position: int | None):
        super().__init__(cat, "Move record")
        self.record_id, self.parent_id, self.position = record_id, parent_id, position
        self.old: tuple[int | None, int] | None = None

    def apply(self) -> None:
        if self.old is None:
            rec = records.get_record(self.cat, self.record_id)
            self.old = (rec.parent_id, rec.position)
        hierarchy.move_record(self.cat, self.record_id, self.parent_id, self.position)

    def revert(self) -> None:
        hierarchy.move_record(self.cat, self.record_id, *self.old)


class TrashCommand(StoreCommand):
    """Move records to the trash (``restore=True``: bring them back)."""

    def __init__(self, cat: Catalogue, record_ids: Iterable[int], restore: bool = False):
        ids = list(record_ids)
        noun = "record" if len(ids) == 1 else f"{len(ids)} records"
        super().__init__(cat, f"{'Restore' if restore else 'Trash'} {noun}")
        self.record_ids, self.restore = ids, restore

    def apply(self) -> None:
        fn = trash.restore_records if self.restore else trash.trash_records
        fn(self.cat, self.record_ids)

    def revert(self) -> None:
        fn = trash.trash_records if self.restore else trash.restore_records
        fn(self.cat, list(reversed(self.record_ids)))


class LinkCommand(StoreCommand):
    """Link a record to an authority in a role (``unlink=True``: remove that link)."""

    def __init__(self, cat: Catalogue, record_id: int, authority_id: int, role: str,
                 unlink: bool = False):
        super().__init__(cat, "Unlink authority" if unlink else "Link authority")
        self.args = (record_id, authority_id, role)
        self.unlink = unlink

    def apply(self) -> None:
        (links.unlink if self.unlink else links.link)(self.cat, *self.args)

    def revert(self) -> None:
        (links.link if self.unlink else links.unlink)(self.cat, *self.args)


def _find_relation(cat: Catalogue, source_id: int, target_id: int, rel_type: str) -> int | None:
    for rel in links.relations_of(cat, source_id):
        if rel.other_id == target_id and rel.type == rel_type:
            return rel.id
    return None


class RelateCommand(StoreCommand):
    """Relate two records with a type (inverse names allowed, e.g. ``response``)."""

    def __init__(self, cat: Catalogue, source_id: int, target_id: int, rel_type: str):
        super().__init__(cat, "Relate records")
        self.args = (source_id, target_id, rel_type)

    def apply(self) -> None:
        links.relate(self.cat, *self.args)

    def revert(self) -> None:
        rel_id = _find_relation(self.cat, *self.args)
        if rel_id is not None:
            links.unrelate(self.cat, rel_id)


class UnrelateCommand(StoreCommand):
    """Remove a relation, as seen from ``record_id``."""

    def __init__(self, cat: Catalogue, record_id: int, other_id: int, rel_type: str):
        super().__init__(cat, "Remove relation")
        self.args = (record_id, other_id, rel_type)

    def apply(self) -> None:
        rel_id = _find_relation(self.cat, *self.args)
        if rel_id is not None:
            links.unrelate(self.cat, rel_id)

    def revert(self) -> None:
        links.relate(self.cat, *self.args)


class CreateAuthorityCommand(StoreCommand):
    """Create an authority record (undo trashes it, redo restores it)."""

    def __init__(self, cat: Catalogue, **kwargs):
        super().__init__(cat, f"New {kwargs.get('kind', 'authority')}")
        self.kwargs = kwargs
        self.authority_id: int | None = None

    def apply(self) -> None:
        if self.authority_id is None:
            self.authority_id = authorities.create_authority(self.cat, **self.kwargs)
        else:
            authorities.set_authority_trashed(self.cat, self.authority_id, False)

    def revert(self) -> None:
        authorities.set_authority_trashed(self.cat, self.authority_id, True)


class MacroCommand(StoreCommand):
    """Several commands as one undo step, applied in one transaction."""

    def __init__(self, cat: Catalogue, text: str, commands: list[StoreCommand]):
        super().__init__(cat, text)
        self.commands = commands

    def apply(self) -> None:
        with self.cat.atomic():
            for cmd in self.commands:
                cmd.apply()

    def revert(self) -> None:
        with self.cat.atomic():
            for cmd in reversed(self.commands):
                cmd.revert()


def bulk_set(cat: Catalogue, record_ids: Iterable[int], key: str, value: Any) -> MacroCommand:
    """One undo step that sets ``key`` to ``value`` on every record in ``record_ids``."""
    ids = list(record_ids)
    return MacroCommand(cat, f"Set {key} on {len(ids)} records",
                        [SetValuesCommand(cat, rid, {key: value}) for rid in ids])


def create_and_link(cat: Catalogue, record_id: int, role: str, **authority) -> MacroCommand:
    """One undo step that creates an authority and links the record to it."""
    create = CreateAuthorityCommand(cat, **authority)

    class _LinkNew(StoreCommand):
        def apply(self) -> None:
            links.link(cat, record_id, create.authority_id, role)

        def revert(self) -> None:
            links.unlink(cat, record_id, create.authority_id, role)

    return MacroCommand(cat, f"New {authority.get('kind', 'authority')} as {role}",
                        [create, _LinkNew(cat, "link")])
