"""What the main window does to records: create, duplicate, trash, restore, move, bulk edit.

Every operation goes through the catalogue's undo stack (:mod:`archivist.gui.undo`); expected
errors are reported to the user and leave the stack as it was.
"""

from __future__ import annotations

from archivist.core.errors import ArchivistError
from archivist.gui import dialogs, undo
from archivist.gui.errors import show_error
from archivist.store import records, revert, trash


#: The level a new record gets inside a unit of each level (None: top level).
CHILD_LEVEL = {None: "fonds", "fonds": "series", "subfonds": "series", "series": "file",
               "subseries": "file", "file": "item", "item": "item"}


class EditingMixin:
    """Record operations of :class:`~archivist.gui.main_window.MainWindow` (uses its ``cat``,
    ``stack``, ``current_unit``, ``form``, ``selected_ids``, ``select_record`` and ``show_unit``)."""

    def report(self, exc: BaseException) -> None:
        """Tell the user about an error."""
        show_error(self, exc)

    def push(self, command: undo.StoreCommand) -> bool:
        """Apply a command through the undo stack; report and return False when refused."""
        try:
            undo.push(self.stack, command, on_error=self.report)
        except ArchivistError as exc:
            self.report(exc)
            return False
        return True

    def new_record(self, level: str | None = None, type: str | None = None, *,
                   top_level: bool = False) -> int | None:
        """Create a record inside the current unit (or at the top) and select it for editing."""
        parent = None if top_level else self.current_unit
        parent_level = records.get_record(self.cat, parent).level if parent else None
        level = level or CHILD_LEVEL[parent_level]
        if level == "item" and type is None:
            type = "other"
        title = f"New {type.replace('_', ' ') if type else level}"
        command = undo.CreateRecordCommand(self.cat, f"New {level}", title=title, level=level,
                                           parent_id=parent, type=type)
        if not self.push(command):
            return None
        self.select_record(command.record_id)
        self.focus_title()
        return command.record_id

    def focus_title(self) -> None:
        """Put the cursor in the form's title (F2)."""
        editor = self.form.editors.get("title")
        if editor is not None:
            editor.edit.setFocus()
            editor.edit.selectAll()

    def duplicate_selected(self) -> None:
        """Duplicate the selected records."""
        for rid in self.selected_ids():
            self.push(undo.DuplicateRecordCommand(self.cat, rid))

    def trash_selected(self) -> None:
        """Move the selected records to the trash (Delete)."""
        ids = self.selected_ids()
        if ids:
            if self.current_unit in ids:
                parent = records.get_record(self.cat, self.current_unit).parent_id
                self.push(undo.TrashCommand(self.cat, ids))
                self.show_unit(parent)
            else:
                self.push(undo.TrashCommand(self.cat, ids))

    def restore_records(self, ids: list[int]) -> None:
        """Bring records back from the trash."""
        self.push(undo.TrashCommand(self.cat, ids, restore=True))

    def purge_records(self, ids: list[int]) -> None:
        """Delete trashed records for good, after asking; clears the undo stack (it cannot be
        undone, and commands on the stack may refer to these records)."""
        noun = "this record" if len(ids) == 1 else f"these {len(ids)} records"
        if not dialogs.confirm(self, "Delete for ever", f"Delete {noun} and everything below for ever?",
                               "This cannot be undone. Their scans stay in the catalogue's media "
                               "folder until no record uses them.", "Delete for ever"):
            return
        try:
            trash.purge_records(self.cat, ids)
        except ArchivistError as exc:
            self.report(exc)
            return
        self.stack.clear()

    def set_on_selected(self, key: str, value) -> None:
        """Set one field on every selected record, as one undo step."""
        ids = self.selected_ids()
        if ids:
            self.push(undo.bulk_set(self.cat, ids, key, value))

    def move_records(self, ids: list[int], parent_id: int | None, position: int | None) -> None:
        """Move records under ``parent_id`` at ``position`` (a drop in the tree), one undo step."""
        commands = []
        for offset, rid in enumerate(ids):
            rec = records.get_record(self.cat, rid)
            pos = position
            if pos is not None:
                if rec.parent_id == parent_id and rec.position < pos:
                    pos -= 1
                pos += offset
            commands.append(undo.MoveRecordCommand(self.cat, rid, parent_id, pos))
        if len(commands) == 1:
            self.push(commands[0])
        elif commands:
            self.push(undo.MacroCommand(self.cat, f"Move {len(commands)} records", commands))

    def revert_change(self, change_id: int) -> None:
        """Revert one audit-log change (itself logged; not on the undo stack)."""
        try:
            revert.revert_change(self.cat, change_id)
        except ArchivistError as exc:
            self.report(exc)
