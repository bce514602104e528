"""Editors for a record's links to authorities (by role) and its relations to other records.

They read the store to show and complete values, and emit requests; the form turns each
request into an undoable command.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QMenu,
                               QPushButton, QToolButton, QVBoxLayout, QWidget)

from archivist.core.model import AUTHORITY_KINDS, RELATION_INVERSES, RELATION_LABELS
from archivist.core.translit import name_key
from archivist.gui.text import direction, isolate
from archivist.store import authorities, links, views
from archivist.store.catalogue import Catalogue

#: Which authority kinds a role usually points at (completion is limited to these).
ROLE_KINDS = {"place_of_creation": "place", "place_mentioned": "place"}


class NameKeyIndex:
    """Authority names keyed across scripts (``Karimi`` finds ``کریمی`` and ``Карими``).

    Built on first use from :func:`archivist.store.views.authority_names`; call
    :meth:`invalidate` when authorities change.
    """

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self._entries: list[tuple[int, list[str]]] | None = None

    def invalidate(self) -> None:
        """Forget the names (they are read again on the next lookup)."""
        self._entries = None

    def find(self, text: str, limit: int = 15) -> list[int]:
        """Ids of authorities with a name whose words start with the keys of ``text``'s words."""
        wanted = name_key(text).split()
        if not wanted or sum(len(w) for w in wanted) < 2:
            return []
        if self._entries is None:
            self._entries = [(aid, name_key(name).split())
                             for aid, name in views.authority_names(self.cat)]
        out: list[int] = []
        for aid, words in self._entries:
            if aid in out:
                continue
            if all(any(word.startswith(w) for word in words) for w in wanted):
                out.append(aid)
                if len(out) >= limit:
                    break
        return out


class _Lookup(QLineEdit):
    """A line edit whose completion list is refilled from the store as the user types."""

    picked = Signal(int)

    def __init__(self, search, parent=None):
        super().__init__(parent)
        self.search = search  # text -> list[(id, label)]
        self.model = QStringListModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(self.completer_)
        self.choices: dict[str, int] = {}
        self.textEdited.connect(self.refresh)
        self.textChanged.connect(lambda t: self.setLayoutDirection(direction(t)))
        self.completer_.activated.connect(self._activated)

    def refresh(self, text: str) -> None:
        """Fill the completion list for ``text``."""
        found = self.search(text.strip()) if text.strip() else []
        self.choices = {label: ident for ident, label in found}
        self.model.setStringList(list(self.choices))

    def _activated(self, label: str) -> None:
        ident = self.choices.get(label)
        if ident is not None:
            self.picked.emit(ident)
            self.clear()


class AuthorityLinksEditor(QWidget):
    """The authorities linked to a record in one role, with completion and create-new.

    Completion matches authorised and variant names in any script.

    Signals:
        link_requested(int): link this authority.
        unlink_requested(int): remove the link to this authority.
        create_requested(str, str): create an authority (name, kind) and link it.
    """

    link_requested = Signal(int)
    unlink_requested = Signal(int)
    create_requested = Signal(str, str)

    def __init__(self, cat: Catalogue, role: str, repeatable: bool = True, parent=None,
                 keys: NameKeyIndex | None = None):
        super().__init__(parent)
        self.cat, self.role, self.repeatable = cat, role, repeatable
        self.keys = keys or NameKeyIndex(cat)
        self.kind = ROLE_KINDS.get(role)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.chips = QVBoxLayout()
        self.chips.setSpacing(1)
        layout.addLayout(self.chips)
        line = QHBoxLayout()
        self.lookup = _Lookup(self._search, self)
        self.lookup.setPlaceholderText("Type a name (any script) to link …")
        self.lookup.picked.connect(self.link_requested)
        self.new_button = QToolButton(self)
        self.new_button.setText("New…")
        self.new_button.setToolTip("Create a new authority with the name typed and link it")
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.new_button)
        for kind in ([self.kind] if self.kind else AUTHORITY_KINDS):
            menu.addAction(f"New {kind}", lambda k=kind: self._create(k))
        self.new_button.setMenu(menu)
        line.addWidget(self.lookup, 1)
        line.addWidget(self.new_button)
        layout.addLayout(line)
        self.linked: list[tuple[int, str]] = []

    def _search(self, text: str) -> list[tuple[int, str]]:
        out = []
        found = authorities.find_authorities(self.cat, text, self.kind, limit=15)
        if len(found) < 15:  # add names that match across scripts (Karimi → کریمی)
            seen = {a.id for a in found}
            for aid in self.keys.find(text, 15 - len(found)):
                if aid not in seen:
                    a = authorities.get_authority(self.cat, aid)
                    if self.kind is None or a.kind == self.kind:
                        found.append(a)
        for a in found:
            variants = [v["name"] for v in a.variants]
            extra = f" — {' · '.join(isolate(v) for v in variants)}" if variants else ""
            out.append((a.id, f"{a.name}{extra} ({a.kind})"))
        return out

    def _create(self, kind: str) -> None:
        name = self.lookup.text().strip()
        if name:
            self.create_requested.emit(name, kind)
            self.lookup.clear()

    def set_links(self, linked: list[tuple[int, str]]) -> None:
        """Show the linked authorities: (id, name) pairs."""
        self.linked = list(linked)
        while self.chips.count():
            item = self.chips.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for aid, name in linked:
            chip = QWidget(self)
            row = QHBoxLayout(chip)
            row.setContentsMargins(0, 0, 0, 0)
            label = QLabel(name, chip)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            remove = QToolButton(chip)
            remove.setText("×")
            remove.setToolTip(f"Unlink {name}")
            remove.clicked.connect(lambda _=False, a=aid: self.unlink_requested.emit(a))
            row.addWidget(label, 1)
            row.addWidget(remove)
            self.chips.addWidget(chip)
        self.lookup.setVisible(self.repeatable or not linked)
        self.new_button.setVisible(self.repeatable or not linked)


def relation_choices() -> list[tuple[str, str]]:
    """Relation types a user can pick, both directions: (type, label)."""
    names = list(RELATION_INVERSES) + [v for k, v in RELATION_INVERSES.items() if k != v]
    return [(n, RELATION_LABELS[n]) for n in names]


class RelationsEditor(QWidget):
    """A record's relations to other records: the list, remove, and add (pick a record, a type).

    Signals:
        relate_requested(int, str): relate the record to this one with this type.
        unrelate_requested(int, str): remove the relation to this one of this type.
    """

    relate_requested = Signal(int, str)
    unrelate_requested = Signal(int, str)

    def __init__(self, cat: Catalogue, parent=None):
        super().__init__(parent)
        self.cat = cat
        self.record_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QVBoxLayout()
        layout.addLayout(self.list)
        line = QHBoxLayout()
        self.type_combo = QComboBox(self)
        for value, label in relation_choices():
            self.type_combo.addItem(label, value)
        self.lookup = _Lookup(self._search, self)
        self.lookup.setPlaceholderText("Reference code or title of the other record …")
        self.lookup.picked.connect(self._picked)
        line.addWidget(self.type_combo)
        line.addWidget(self.lookup, 1)
        layout.addLayout(line)

    def _search(self, text: str) -> list[tuple[int, str]]:
        return [(rid, f"{code or '—'}  {title}")
                for rid, code, title in views.find_records(self.cat, text, 15, exclude=self.record_id)]

    def _picked(self, other_id: int) -> None:
        self.relate_requested.emit(other_id, self.type_combo.currentData())

    def set_record(self, record_id: int) -> None:
        """Show the relations of ``record_id``."""
        self.record_id = record_id
        while self.list.count():
            item = self.list.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for rel in links.relations_of(self.cat, record_id):
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = (f"{RELATION_LABELS.get(rel.type, rel.type)}: "
                    f"{rel.other_reference_code or ''} {isolate(rel.other_title)}")
            label = QLabel(text, row)
            label.setWordWrap(True)
            line.addWidget(label, 1)
            remove = QPushButton("Remove", row)
            remove.clicked.connect(lambda _=False, r=rel: self.unrelate_requested.emit(r.other_id, r.type))
            line.addWidget(remove)
            self.list.addWidget(row)
