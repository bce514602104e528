"""Beside the picture: the page's transcription and translation, and its regions.

The widgets here hold no catalogue: they show what they are given and report edits by signal
(saved after a short pause in typing, or at once by :meth:`SidePanel.flush`). Arabic-script text
(Dari, Pashto, Arabic, Persian, Urdu …) is laid out right to left, by its language or its content.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from archivist.gui.text import is_rtl

SAVE_DELAY_MS = 600

#: Languages written right to left (ISO 639-1/-3 codes met in the collections).
RTL_LANGUAGES = {"ar", "ara", "fa", "fas", "per", "prs", "ps", "pus", "pbu", "pst", "ur", "urd",
                 "ug", "uig", "sd", "snd", "ckb", "he", "heb", "yi", "yid", "dv", "div", "bal",
                 "glk", "mzn", "haz", "aze-arab"}


def language_is_rtl(tag: str | None) -> bool:
    """Whether a BCP 47 tag names a right-to-left language or script (``prs``, ``az-Arab`` …)."""
    if not tag:
        return False
    parts = tag.replace("_", "-").lower().split("-")
    return parts[0] in RTL_LANGUAGES or any(p in ("arab", "hebr", "thaa", "syrc") for p in parts[1:])


def set_direction(editor: QPlainTextEdit, rtl: bool) -> None:
    """Lay out an editor's text right to left (and right-aligned) or left to right."""
    option = editor.document().defaultTextOption()
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    if option.textDirection() == direction:
        return
    option.setTextDirection(direction)
    option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    editor.document().setDefaultTextOption(option)
    editor.setLayoutDirection(direction)


def _debounced(parent, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SAVE_DELAY_MS)
    timer.timeout.connect(slot)
    return timer


class PageTextEditor(QWidget):
    """One text of a page (a transcription or a translation) with its language.

    Signals:
        edited(str, str, str): kind, language, text — after the user paused or left the field.
    """

    edited = Signal(str, str, str)

    def __init__(self, kind: str, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.language = QLineEdit()
        self.language.setPlaceholderText("language, e.g. prs, ps, ru, en")
        self.language.setMaximumWidth(180)
        self.editor = QPlainTextEdit()
        self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        row = QHBoxLayout()
        row.addWidget(QLabel("Language:"))
        row.addWidget(self.language)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.editor, 1)
        self._timer = _debounced(self, self.flush)
        self._loading = False
        self._dirty = False
        self.editor.textChanged.connect(self._changed)
        self.language.textEdited.connect(self._changed)
        self.language.editingFinished.connect(self.flush)

    def set_text(self, language: str | None, text: str) -> None:
        """Show a page's text without reporting it as an edit."""
        self._timer.stop()
        self._loading = True
        self.language.setText(language or "")
        self.editor.setPlainText(text)
        self._loading = False
        self._dirty = False
        self._update_direction()

    def text(self) -> str:
        """The text as typed."""
        return self.editor.toPlainText()

    def is_rtl(self) -> bool:
        """Whether the editor lays its text out right to left now."""
        return self.editor.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft

    def _changed(self, *_args) -> None:
        self._update_direction()
        if self._loading:
            return
        self._dirty = True
        self._timer.start()

    def _update_direction(self) -> None:
        lang = self.language.text().strip()
        rtl = language_is_rtl(lang) if lang else is_rtl(self.text())
        set_direction(self.editor, rtl)

    def flush(self) -> None:
        """Report a pending edit now."""
        self._timer.stop()
        if self._dirty:
            self._dirty = False
            self.edited.emit(self.kind, self.language.text().strip(), self.text())


class RegionsPanel(QWidget):
    """The regions of a page: a list, and the selected one's title, description and transcription.

    Signals:
        region_selected(int): the user picked a region (-1: none).
        region_edited(int, dict): a region's changed fields.
        region_deleted(int): the user asked to delete a region.
    """

    region_selected = Signal(int)
    region_edited = Signal(int, dict)
    region_deleted = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.title = QLineEdit()
        self.description = QPlainTextEdit()
        self.transcription = QPlainTextEdit()
        self.delete_button = QPushButton("Delete region")
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Description", self.description)
        form.addRow("Transcription", self.transcription)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("Draw a rectangle on the page (toolbar ▭) to add a region."))
        layout.addWidget(self.list, 1)
        layout.addLayout(form, 2)
        layout.addWidget(self.delete_button)
        self._regions: dict[int, dict] = {}
        self._current: int | None = None
        self._loading = False
        self._timer = _debounced(self, self.flush)
        self.list.currentRowChanged.connect(self._picked)
        self.title.textEdited.connect(self._changed)
        self.description.textChanged.connect(self._changed)
        self.transcription.textChanged.connect(self._changed)
        self.transcription.textChanged.connect(
            lambda: set_direction(self.transcription, is_rtl(self.transcription.toPlainText())))
        self.delete_button.clicked.connect(self._delete)
        self._set_form_enabled(False)

    def set_regions(self, regions: list[dict]) -> None:
        """Show a page's regions (dicts as ``archivist.store.pages.regions_of`` gives them)."""
        self.flush()
        self._regions = {r["id"]: dict(r) for r in regions}
        self.list.blockSignals(True)
        self.list.clear()
        for number, region in enumerate(regions, start=1):
            item = QListWidgetItem(region.get("title") or f"Region {number}")
            item.setData(Qt.ItemDataRole.UserRole, region["id"])
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._show(None)

    def select(self, region_id: int | None) -> None:
        """Select a region in the list (None: none)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == region_id:
                self.list.setCurrentRow(row)
                return
        self.list.setCurrentRow(-1)

    def current(self) -> int | None:
        """The selected region's id."""
        return self._current

    def _picked(self, row: int) -> None:
        self.flush()
        item = self.list.item(row) if row >= 0 else None
        region_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._show(region_id)
        self.region_selected.emit(region_id if region_id is not None else -1)

    def _show(self, region_id: int | None) -> None:
        self._current = region_id
        region = self._regions.get(region_id, {}) if region_id is not None else {}
        self._loading = True
        self.title.setText(region.get("title") or "")
        self.description.setPlainText(region.get("description") or "")
        self.transcription.setPlainText(region.get("transcription") or "")
        self._loading = False
        self._set_form_enabled(region_id is not None)

    def _set_form_enabled(self, on: bool) -> None:
        for widget in (self.title, self.description, self.transcription, self.delete_button):
            widget.setEnabled(on)

    def _changed(self, *_args) -> None:
        if not self._loading and self._current is not None:
            self._timer.start()

    def flush(self) -> None:
        """Report a pending edit of the selected region now."""
        self._timer.stop()
        if self._current is None or self._current not in self._regions:
            return
        region = self._regions[self._current]
        values = {"title": self.title.text().strip() or None,
                  "description": self.description.toPlainText() or None,
                  "transcription": self.transcription.toPlainText() or None}
        changed = {k: v for k, v in values.items() if region.get(k) != v}
        if changed:
            region.update(changed)
            if "title" in changed:
                row = self.list.currentRow()
                if row >= 0:
                    self.list.item(row).setText(values["title"] or f"Region {row + 1}")
            self.region_edited.emit(self._current, changed)

    def _delete(self) -> None:
        if self._current is not None:
            region_id = self._current
            self._timer.stop()
            self.region_deleted.emit(region_id)


class SidePanel(QTabWidget):
    """Tabs for the page's transcription, translation and regions."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.transcription = PageTextEditor("transcription")
        self.translation = PageTextEditor("translation")
        self.regions = RegionsPanel()
        self.addTab(self.transcription, "Transcription")
        self.addTab(self.translation, "Translation")
        self.addTab(self.regions, "Regions")

    def editors(self) -> tuple[PageTextEditor, PageTextEditor]:
        """The transcription and translation editors."""
        return self.transcription, self.translation

    def flush(self) -> None:
        """Report every pending edit now (before turning the page)."""
        for editor in self.editors():
            editor.flush()
        self.regions.flush()
