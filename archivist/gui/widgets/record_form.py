"""The record form: generated from the record type's template, grouped by ISAD(G) area.

There is no save button: each finished edit becomes an undoable command on the catalogue's
stack at once. The form refreshes itself from the store when the catalogue changes (an undo, an
edit elsewhere), and shows plainly which ISAD(G) essentials are still missing for the level.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget)

from archivist.core.changes import Changes
from archivist.core.errors import ArchivistError
from archivist.core.levels import LEVEL_LABELS, LEVELS
from archivist.core.model import ACCESS_STATUSES, DESCRIPTION_STATUSES, LINK_ROLES, ROLE_LABELS
from archivist.core.templates import AREA_LABELS, AREAS, FieldDef, load_templates, missing_essentials
from archivist.gui import undo
from archivist.gui.text import isolate
from archivist.gui.widgets.editors import (ChoiceEditor, DateEditor, FieldEditor, LanguageEditor,
                                           LongTextEditor, RepeatableEditor, TextEditor,
                                           language_entries)
from archivist.gui.widgets.link_editors import AuthorityLinksEditor, NameKeyIndex, RelationsEditor
from archivist.store import fielddefs, links, records
from archivist.store.catalogue import Catalogue


class RecordForm(QScrollArea):
    """The description form of one record.

    Args:
        cat: the open catalogue.
        stack: the catalogue's undo stack; every edit is pushed on it.
        on_error: called with an expected error an edit raised (the editor shows the stored
            value again).
    """

    def __init__(self, cat: Catalogue, stack: QUndoStack,
                 on_error: Callable[[BaseException], None] | None = None, parent=None):
        super().__init__(parent)
        self.cat, self.stack = cat, stack
        self.on_error = on_error or (lambda exc: None)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.record_id: int | None = None
        self._built_for: tuple | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.authority_editors: dict[str, AuthorityLinksEditor] = {}
        self.relations: RelationsEditor | None = None
        self._languages = QStringListModel(list(language_entries()), self)
        self.name_keys = NameKeyIndex(cat)
        self._show_empty()

    # building -------------------------------------------------------------------------
    def _show_empty(self) -> None:
        self._built_for = None
        self.editors, self.authority_editors, self.relations = {}, {}, None
        label = QLabel("Select a record to describe it here.\n\nCtrl+N adds a record inside the "
                       "selected unit.")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setStyleSheet("color: #666;")
        self.setWidget(label)

    def _editor_for(self, f: FieldDef) -> QWidget:
        if f.kind == "authority":
            editor = AuthorityLinksEditor(self.cat, f.role or f.id, f.repeatable, keys=self.name_keys)
            role = f.role or f.id
            editor.link_requested.connect(lambda aid, r=role: self._push(
                undo.LinkCommand(self.cat, self.record_id, aid, r)))
            editor.unlink_requested.connect(lambda aid, r=role: self._push(
                undo.LinkCommand(self.cat, self.record_id, aid, r, unlink=True)))
            editor.create_requested.connect(lambda name, kind, r=role: self._push(
                undo.create_and_link(self.cat, self.record_id, r, kind=kind, name=name)))
            self.authority_editors[role] = editor
            return editor
        factory = self._factory(f)
        editor = RepeatableEditor(factory) if f.repeatable else factory()
        self._bind(f.id, editor)
        return editor

    def _factory(self, f: FieldDef) -> Callable[[], FieldEditor]:
        if f.kind == "language":
            return lambda: LanguageEditor(model=self._languages)
        if f.kind == "date":
            return DateEditor
        if f.kind == "long_text":
            return LongTextEditor
        hint = {"url": "https://…", "number": "a number",
                "term": "e.g. Arab, Armn, Cyrl, Latn" if f.vocabulary == "scripts" else ""}
        return lambda: TextEditor(placeholder=hint.get(f.kind, ""))

    def _bind(self, key: str, editor: FieldEditor) -> None:
        self.editors[key] = editor
        editor.committed.connect(lambda value, k=key: self.set_value(k, value))

    def _build(self, rec) -> None:
        template = fielddefs.template(self.cat, rec.type)
        self.editors, self.authority_editors = {}, {}
        page = QWidget()
        outer = QVBoxLayout(page)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #8a4b00; background: #fff4e0; padding: 4px;")
        outer.addWidget(self.heading)
        outer.addWidget(self.missing)
        groups: dict[str, QFormLayout] = {}

        def group(area: str) -> QFormLayout:
            if area not in groups:
                box = QGroupBox(AREA_LABELS[area])
                form = QFormLayout(box)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                groups[area] = form
                outer.addWidget(box)
            return groups[area]

        identity = group("identity")
        title = TextEditor()
        self._bind("title", title)
        identity.addRow("Title", title)
        self._bind("identifier", ident := TextEditor(placeholder="local identifier, e.g. 12"))
        identity.addRow("Identifier", ident)
        self._bind("reference_code", code := TextEditor(placeholder="derived from the parent"))
        identity.addRow("Reference code", code)
        self._bind("level", level := ChoiceEditor([(lv, LEVEL_LABELS[lv]) for lv in LEVELS]))
        identity.addRow("Level", level)
        types = [(None, "—")] + [(k, t.label) for k, t in load_templates().items()]
        self._bind("type", rtype := ChoiceEditor(types))
        identity.addRow("Record type", rtype)
        self._bind("dates", dates := RepeatableEditor(DateEditor))
        identity.addRow("Date(s)", dates)
        for area in AREAS:
            for f in template.fields:
                if f.area == area:
                    group(area).addRow(f.label, self._editor_for(f))
        access = group("access")
        self._bind("access_status", ChoiceEditor([(s, s) for s in ACCESS_STATUSES]))
        access.insertRow(0, "Access status", self.editors["access_status"])
        self._bind("access_reason", TextEditor(placeholder="why it is restricted"))
        access.insertRow(1, "Restriction reason", self.editors["access_reason"])
        self._bind("access_until", DateEditor())
        access.insertRow(2, "Restricted until", self.editors["access_until"])
        control = group("control")
        self._bind("description_status", ChoiceEditor([(s, s) for s in DESCRIPTION_STATUSES]))
        control.insertRow(0, "Description status", self.editors["description_status"])
        covered = {f.role or f.id for f in template.fields if f.kind == "authority"}
        extra = [role for role in LINK_ROLES if role not in covered]
        if extra:  # access points the type's template does not name (mentioned, subject ...)
            points = QGroupBox("Access points: names and places")
            form = QFormLayout(points)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for role in extra:
                fdef = FieldDef(id=role, label=ROLE_LABELS[role], kind="authority", area="context",
                                repeatable=True, role=role)
                form.addRow(ROLE_LABELS[role], self._editor_for(fdef))
            outer.addWidget(points)
        box = QGroupBox("Related records")
        box_layout = QVBoxLayout(box)
        self.relations = RelationsEditor(self.cat)
        self.relations.relate_requested.connect(lambda other, t: self._push(
            undo.RelateCommand(self.cat, self.record_id, other, t)))
        self.relations.unrelate_requested.connect(lambda other, t: self._push(
            undo.UnrelateCommand(self.cat, self.record_id, other, t)))
        box_layout.addWidget(self.relations)
        outer.addWidget(box)
        outer.addStretch(1)
        self.setWidget(page)
        self._built_for = (rec.id, rec.type)
        self.template = template

    # showing --------------------------------------------------------------------------
    def set_record(self, record_id: int | None) -> None:
        """Show ``record_id`` (None: nothing)."""
        self.record_id = record_id
        self.refresh()

    def refresh(self) -> None:
        """Read the record again and show its values (rebuilding if its type changed)."""
        if self.record_id is None:
            self._show_empty()
            return
        try:
            rec = records.get_record(self.cat, self.record_id)
        except ArchivistError:
            rec = None
        if rec is None or rec.trashed_at:  # gone, or in the trash: nothing to edit
            self.record_id = None
            self._show_empty()
            return
        if self._built_for != (rec.id, rec.type):
            self._build(rec)
        values = self.values_of(rec)
        for key, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(values.get(key))
            editor.blockSignals(False)
        linked = links.links_of(self.cat, rec.id)
        for role, editor in self.authority_editors.items():
            editor.set_links([(lk.authority_id, lk.authority_name) for lk in linked if lk.role == role])
        if self.relations is not None:
            self.relations.set_record(rec.id)
        self.heading.setText(f"{LEVEL_LABELS.get(rec.level, rec.level)}: {isolate(rec.title)}")
        self.heading.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        roles = {lk.role for lk in linked}
        has = {"reference_code": bool(rec.reference_code), "title": bool(rec.title),
               "dates": bool(rec.dates), **{r: True for r in roles}}
        missing = missing_essentials(rec.level, self.template, rec.fields, has)
        level = LEVEL_LABELS.get(rec.level, rec.level).lower()
        article = "an" if level[:1] in "aeiou" else "a"
        self.missing.setText(f"Missing for {article} {level} (ISAD(G) essentials): "
                             + ", ".join(missing) if missing else "")
        self.missing.setVisible(bool(missing))

    @staticmethod
    def values_of(rec) -> dict[str, Any]:
        """What each editor key shows for a record."""
        out: dict[str, Any] = dict(rec.fields)
        for key in ("title", "identifier", "level", "type", "access_status", "access_reason",
                    "access_until", "description_status"):
            out[key] = getattr(rec, key)
        out["reference_code"] = rec.reference_code
        out["dates"] = [d.expression for d in rec.dates]
        return out

    # editing --------------------------------------------------------------------------
    def set_value(self, key: str, value: Any) -> bool:
        """Push an edit of ``key`` on the undo stack; False (and the error reported) if refused."""
        if self.record_id is None:
            return False
        if key == "dates":
            rec = records.get_record(self.cat, self.record_id)
            labels = [d.label for d in rec.dates]
            value = [[expr, labels[i] if i < len(labels) else "creation"]
                     for i, expr in enumerate(value or [])]
        if key == "title" and not value:
            self.on_error(ArchivistError("a record needs a title; the title was not changed"))
            self.refresh()
            return False
        return self._push(undo.SetValuesCommand(self.cat, self.record_id, {key: value},
                                                f"Edit {key.replace('_', ' ')}"))

    def _push(self, command: undo.StoreCommand) -> bool:
        try:
            undo.push(self.stack, command, on_error=self.on_error)
        except ArchivistError as exc:
            self.on_error(exc)
            self.refresh()
            return False
        return True

    def on_changes(self, changes: Changes) -> None:
        """Refresh when the shown record changed."""
        if changes.authorities:
            self.name_keys.invalidate()
        if self.record_id is not None and (self.record_id in changes.records or changes.structure):
            self.refresh()
