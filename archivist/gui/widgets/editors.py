"""Field editors of the record form: one value in, one ``committed`` signal out.

Each editor shows a value with :meth:`FieldEditor.set_value` (without signalling) and emits
``committed(value)`` when the user finishes an edit that changed it. Editors never write to the
store; the form turns a commit into an undoable command.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

import pycountry
from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QToolButton, QVBoxLayout, QWidget)

from archivist.core.dates import humanize, parse_date
from archivist.core.errors import ArchivistError
from archivist.core.fields import check_language, language_name
from archivist.gui.text import direction


class FieldEditor(QWidget):
    """Base of the editors.

    Signals:
        committed(object): the user finished an edit; the new value (None when emptied).
    """

    committed = Signal(object)

    def set_value(self, value: Any) -> None:  # pragma: no cover - abstract
        """Show ``value`` without emitting ``committed``."""
        raise NotImplementedError

    def value(self) -> Any:  # pragma: no cover - abstract
        """The value shown."""
        raise NotImplementedError


def _follow_direction(edit: QLineEdit) -> None:
    """Lay a line edit's text out right to left while it starts with Arabic-script text."""
    def update(text: str) -> None:
        edit.setLayoutDirection(direction(text))
    edit.textChanged.connect(update)


class TextEditor(FieldEditor):
    """A single line of text."""

    def __init__(self, parent: QWidget | None = None, placeholder: str = ""):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        _follow_direction(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._shown: str = ""
        self.edit.editingFinished.connect(self._finish)

    def set_value(self, value: Any) -> None:
        self._shown = "" if value is None else str(value)
        if self.edit.text() != self._shown:
            self.edit.setText(self._shown)
            self.edit.setCursorPosition(0)  # show the start of a long value

    def value(self) -> str | None:
        return self.edit.text().strip() or None

    def _finish(self) -> None:
        if self.edit.text().strip() != self._shown.strip():
            self._shown = self.edit.text()
            self.committed.emit(self.value())


class _PlainEdit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class LongTextEditor(FieldEditor):
    """Several lines; committed when focus leaves. Each paragraph follows its own direction."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = _PlainEdit(self)
        option = QTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.edit.document().setDefaultTextOption(option)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(72)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._shown = ""
        self.edit.focus_lost.connect(self._finish)

    def set_value(self, value: Any) -> None:
        self._shown = "" if value is None else str(value)
        if self.edit.toPlainText() != self._shown:
            self.edit.setPlainText(self._shown)

    def value(self) -> str | None:
        return self.edit.toPlainText().strip() or None

    def _finish(self) -> None:
        if self.edit.toPlainText().strip() != self._shown.strip():
            self._shown = self.edit.toPlainText()
            self.committed.emit(self.value())


class DateEditor(FieldEditor):
    """An EDTF date, checked as you type, with its human reading ("circa 1993") beside it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("EDTF, e.g. 1994-05, 1993~, 1993/1995, 199X")
        self.reading = QLabel(self)
        self.reading.setMinimumWidth(150)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.reading, 1)
        self.setFocusProxy(self.edit)
        self._shown = ""
        self.valid = True
        self.edit.textChanged.connect(self._check)
        self.edit.editingFinished.connect(self._finish)

    def _check(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.valid, reading = True, ""
        else:
            try:
                parse_date(text)
                self.valid, reading = True, humanize(text)
            except ArchivistError as exc:
                self.valid, reading = False, str(exc)
        self.reading.setText(reading)
        self.reading.setToolTip(reading)
        self.edit.setProperty("invalid", not self.valid)
        self.edit.setStyleSheet("" if self.valid else "QLineEdit { background: #fde2e1; }")
        self.reading.setStyleSheet("color: #555;" if self.valid else "color: #b00020;")

    def set_value(self, value: Any) -> None:
        self._shown = value or ""
        if self.edit.text() != self._shown:
            self.edit.setText(self._shown)
        self._check(self._shown)

    def value(self) -> str | None:
        return self.edit.text().strip() or None

    def _finish(self) -> None:
        if self.valid and self.edit.text().strip() != self._shown:
            self._shown = self.edit.text().strip()
            self.committed.emit(self.value())


@lru_cache(maxsize=1)
def language_entries() -> tuple[str, ...]:
    """Every ISO 639-3 language as "Name (code)", sorted by name."""
    out = [f"{lang.name} ({lang.alpha_3})" for lang in pycountry.languages]
    return tuple(sorted(out, key=str.casefold))


def parse_language(text: str) -> str | None:
    """The code from "Dari (prs)" or a bare code; None when empty.

    Raises:
        InvalidValue: the text names no language.
    """
    text = text.strip()
    if not text:
        return None
    if text.endswith(")") and "(" in text:
        text = text[text.rindex("(") + 1:-1]
    return check_language(text)


def language_label(code: str) -> str:
    """"Dari (prs)" for ``prs``."""
    return f"{language_name(code)} ({code})"


class LanguageEditor(FieldEditor):
    """A language picked over ISO 639-3 by name or code: type "Dari" or "prs"."""

    def __init__(self, parent: QWidget | None = None, model: QStringListModel | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Language name or ISO 639-3 code")
        self.model = model or QStringListModel(list(language_entries()), self)
        completer = QCompleter(self.model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.edit.setCompleter(completer)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._shown: str | None = None
        self.error = ""
        self.edit.editingFinished.connect(self._finish)
        completer.activated.connect(lambda _text: self._finish())

    def set_value(self, value: Any) -> None:
        self._shown = value or None
        text = language_label(value) if value else ""
        if self.edit.text() != text:
            self.edit.setText(text)

    def value(self) -> str | None:
        return parse_language(self.edit.text())

    def _finish(self) -> None:
        try:
            code = self.value()
        except ArchivistError as exc:
            self.error = str(exc)
            self.edit.setStyleSheet("QLineEdit { background: #fde2e1; }")
            self.edit.setToolTip(self.error)
            return
        self.error = ""
        self.edit.setStyleSheet("")
        self.edit.setToolTip("")
        if code != self._shown:
            self._shown = code
            self.set_value(code)
            self.committed.emit(code)


class ChoiceEditor(FieldEditor):
    """A fixed list of choices: (value, label) pairs."""

    def __init__(self, choices: list[tuple[Any, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.combo = QComboBox(self)
        for value, label in choices:
            self.combo.addItem(label, value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.activated.connect(lambda i: self.committed.emit(self.combo.itemData(i)))

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))

    def value(self) -> Any:
        return self.combo.currentData()


class RepeatableEditor(FieldEditor):
    """A list of values, one editor each, with add (+) and remove (−) buttons.

    Args:
        factory: makes one editor for one value.
    """

    def __init__(self, factory: Callable[[], FieldEditor], parent: QWidget | None = None):
        super().__init__(parent)
        self.factory = factory
        self.rows: list[tuple[QWidget, FieldEditor]] = []
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(2)
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setToolTip("Add a value")
        self.add_button.clicked.connect(self.add_row)
        self.box.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_row(self, value: Any = None) -> FieldEditor:
        """Add an editor (empty unless ``value``); it commits the whole list when edited."""
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        editor = self.factory()
        editor.setParent(row)
        editor.set_value(value if value is not False else None)
        remove = QToolButton(row)
        remove.setText("−")
        remove.setToolTip("Remove this value")
        line.addWidget(editor, 1)
        line.addWidget(remove)
        self.box.insertWidget(self.box.count() - 1, row)
        self.rows.append((row, editor))
        editor.committed.connect(lambda _v: self.committed.emit(self.value()))
        remove.clicked.connect(lambda: self.remove_row(row))
        return editor

    def remove_row(self, row: QWidget) -> None:
        """Remove one value and commit the list."""
        had = self.value()
        self.rows = [(r, e) for r, e in self.rows if r is not row]
        row.setParent(None)
        row.deleteLater()
        if self.value() != had:
            self.committed.emit(self.value())

    def set_value(self, value: Any) -> None:
        values = list(value or [])
        for row, _ in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for v in values:
            self.add_row(v)
        if not values:
            self.add_row(None)

    def value(self) -> list:
        out = []
        for _, editor in self.rows:
            try:
                v = editor.value()
            except ArchivistError:
                continue
            if v not in (None, ""):
                out.append(v)
        return out

    def editors(self) -> list[FieldEditor]:
        """The editors, one per row."""
        return [e for _, e in self.rows]
