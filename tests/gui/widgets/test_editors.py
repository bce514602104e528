"""Field editors: EDTF validation as you type, ISO 639-3 languages, repeatable values, RTL."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from archivist.core.errors import InvalidValue
from archivist.gui.widgets.editors import (DateEditor, LanguageEditor, LongTextEditor,
                                           RepeatableEditor, TextEditor, language_entries,
                                           parse_language)


def test_date_editor_validates_as_you_type_and_reads_humanly(qtbot):
    editor = DateEditor()
    qtbot.addWidget(editor)
    seen = []
    editor.committed.connect(seen.append)
    qtbot.keyClicks(editor.edit, "1993~")
    assert editor.valid and editor.reading.text() == "circa 1993"
    editor.edit.setText("1993-13")
    assert not editor.valid and editor.reading.text()  # says why
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert seen == []  # an invalid date is never committed
    editor.edit.setText("199X")
    assert editor.reading.text() == "1990s"
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert seen == ["199X"]


def test_language_entries_and_parsing():
    entries = language_entries()
    assert "Dari (prs)" in entries
    assert any(e.endswith("(pus)") and "ushto" in e or "ashto" in e for e in entries)
    assert parse_language("Dari (prs)") == "prs"
    assert parse_language("pus") == "pus"
    assert parse_language("") is None
    with pytest.raises(InvalidValue):
        parse_language("Klingonish")


def test_language_editor_commits_code_and_flags_unknown(qtbot):
    editor = LanguageEditor()
    qtbot.addWidget(editor)
    seen = []
    editor.committed.connect(seen.append)
    qtbot.keyClicks(editor.edit, "hye")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert seen == ["hye"] and editor.edit.text() == "Armenian (hye)"
    editor.edit.setText("no such tongue")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert seen == ["hye"] and "not a language code" in editor.error


def test_text_editor_commits_only_changes_and_follows_direction(qtbot):
    editor = TextEditor()
    qtbot.addWidget(editor)
    seen = []
    editor.committed.connect(seen.append)
    editor.set_value("Letter")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert seen == []
    editor.edit.setText("نامه‌ها")
    assert editor.edit.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    assert seen == ["نامه‌ها"]  # ZWNJ kept
    editor.edit.setText("Ереван")
    assert editor.edit.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_long_text_uses_automatic_direction(qtbot):
    editor = LongTextEditor()
    qtbot.addWidget(editor)
    option = editor.edit.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.LayoutDirectionAuto


def test_repeatable_editor_add_and_remove(qtbot):
    editor = RepeatableEditor(DateEditor)
    qtbot.addWidget(editor)
    editor.set_value(["1993", "1994-05"])
    assert editor.value() == ["1993", "1994-05"]
    seen = []
    editor.committed.connect(seen.append)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    third = editor.editors()[2]
    third.edit.setText("1995~")
    qtbot.keyClick(third.edit, Qt.Key.Key_Return)
    assert seen[-1] == ["1993", "1994-05", "1995~"]
    editor.remove_row(editor.rows[0][0])
    assert seen[-1] == ["1994-05", "1995~"]
    editor.set_value([])
    assert len(editor.editors()) == 1 and editor.value() == []


def test_long_text_commits_when_focus_leaves(qtbot):
    editor = LongTextEditor()
    qtbot.addWidget(editor)
    seen = []
    editor.committed.connect(seen.append)
    editor.set_value("First line")
    editor.edit.focus_lost.emit()
    assert seen == []  # unchanged
    editor.edit.setPlainText("First line\nسطر دوم به دری")
    editor.edit.focus_lost.emit()
    assert seen == ["First line\nسطر دوم به دری"]
