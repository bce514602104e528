"""File → Import…: choose a file, preview what it would create and update, then import.

The preview is a dry run of the real import (same checks, nothing written). A refused file lists
every problem with its line; nothing is imported until the preview is clean.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton,
                               QVBoxLayout, QWidget)

from archivist.core.errors import ArchivistError, ImportRefused
from archivist.gui import errors
from archivist.ops.import_formats import IMPORT_FORMATS, import_file

FORMAT_LABELS = {"json": "Archivist native JSON", "csv": "Archivist CSV",
                 "atom-csv": "AtoM ISAD(G) CSV", "atom-authority-csv": "AtoM authority records CSV",
                 "ead3": "EAD3 (from Archivist)"}


class ImportDialog(QDialog):
    """Preview and import one exchange file in the background.

    Args:
        runner: the :class:`~archivist.gui.tasks.TaskRunner` of the open catalogue.
        path: a file to start with (optional).
        parent: the parent widget.

    Signals:
        imported(object): the :class:`~archivist.ops.import_formats.ImportOutcome` of an import.
    """

    imported = Signal(object)

    def __init__(self, runner, path: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.runner = runner
        self.previewed: tuple[str, str | None] | None = None
        self.path_edit = QLineEdit(str(path) if path else "")
        self.browse = QPushButton("Choose…")
        self.format_combo = QComboBox()
        self.format_combo.addItem("Recognise from the file", None)
        for fmt in IMPORT_FORMATS:
            self.format_combo.addItem(FORMAT_LABELS[fmt], fmt)
        self.summary = QLabel("Choose a file and preview it.")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.buttons = QDialogButtonBox()
        self.preview_button = self.buttons.addButton("Preview", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.setEnabled(False)
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.path_edit)
        row.addWidget(self.browse)
        form.addRow("File", row)
        form.addRow("Format", self.format_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.browse.clicked.connect(self._choose)
        self.preview_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)
        self.path_edit.textChanged.connect(self._invalidate)
        self.format_combo.currentIndexChanged.connect(self._invalidate)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import", "",
                                              "Exchange files (*.json *.csv *.xml);;All files (*)")
        if path:
            self.path_edit.setText(path)

    def _key(self) -> tuple[str, str | None]:
        return self.path_edit.text().strip(), self.format_combo.currentData()

    def _invalidate(self) -> None:
        self.previewed = None
        self.import_button.setEnabled(False)

    def preview(self) -> None:
        """Dry-run the import and show what it would do, or every refusal."""
        self._start(dry_run=True)

    def run_import(self) -> None:
        """Import for real (only after a clean preview of the same file and format)."""
        if self.previewed != self._key():
            self.summary.setText("Preview the file first.")
            return
        self._start(dry_run=False)

    def _start(self, dry_run: bool) -> None:
        path, fmt = self._key()
        if not path:
            self.summary.setText("Choose a file to import.")
            return
        self.problems.clear()
        self.preview_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.summary.setText("Checking…" if dry_run else "Importing…")

        def work(cat, progress, cancelled):
            return import_file(cat, path, fmt, dry_run=dry_run, progress=progress)

        self.runner.run(work, label="Import", on_success=lambda o: self._done(o, dry_run),
                        on_failure=self._failed)

    def _done(self, outcome, dry_run: bool) -> None:
        r = outcome.report
        self.preview_button.setEnabled(True)
        if dry_run:
            self.previewed = self._key()
            self.import_button.setEnabled(True)
            self.summary.setText(
                f"Will create {r.created_records} records and {r.created_authorities} authorities,"
                f" update {r.updated_records} records and {r.updated_authorities} authorities;"
                f" {r.unchanged_records} records unchanged.")
        else:
            self.previewed = None
            self.summary.setText(
                f"Imported: created {r.created_records} records and {r.created_authorities}"
                f" authorities, updated {r.updated_records} records.")
            self.imported.emit(outcome)
        for note in outcome.notes:
            self.problems.addItem(f"Note: {note}")

    def _failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self.previewed = None
        if isinstance(exc, ImportRefused):
            self.summary.setText(f"Refused, nothing imported: {exc}")
            for problem in exc.problems:
                self.problems.addItem(problem)
        elif isinstance(exc, ArchivistError):
            self.summary.setText(f"Not imported: {exc}")
        else:
            errors.show_error(self, exc)
