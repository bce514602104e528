"""File → Export…: format, scope, public checkbox, target, progress, cancel."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QRadioButton, QVBoxLayout, QWidget)

from archivist.core.errors import ArchivistError
from archivist.gui import errors
from archivist.ops.export import EXTENSIONS, FOLDER_FORMATS, FORMATS, export

FORMAT_LABELS = {
    "json": "Archivist native JSON (lossless)", "csv": "Archivist CSV (one row per record)",
    "atom-csv": "AtoM ISAD(G) CSV", "aspace-csv": "ArchivesSpace bulk-import CSV",
    "dc": "Dublin Core (OAI-DC XML)", "ead3": "EAD3 finding aid", "ead2002": "EAD 2002 finding aid",
    "eac-cpf": "EAC-CPF authority records (folder)", "bagit": "BagIt package with files (folder)",
    "iiif": "IIIF manifests with images (folder)", "html": "Printable finding aid (HTML)",
    "pdf": "Printable finding aid (PDF)"}


class ExportDialog(QDialog):
    """Choose a format and a scope, then export in the background with a progress bar.

    Args:
        runner: the :class:`~archivist.gui.tasks.TaskRunner` of the open catalogue.
        selection: record ids selected in the window (offers "Selected records" when not empty).
        query: the current search query (offers "Search results" when given).
        parent: the parent widget.

    Signals:
        exported(object): the :class:`~archivist.ops.export.ExportResult` of a finished export.
    """

    exported = Signal(object)

    def __init__(self, runner, selection: list[int] | None = None, query: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.runner, self.selection, self.query = runner, list(selection or []), query
        self.handle = None
        self.format_combo = QComboBox()
        for fmt in FORMATS:
            self.format_combo.addItem(FORMAT_LABELS[fmt], fmt)
        self.scope_all = QRadioButton("Whole catalogue")
        self.scope_selection = QRadioButton(f"Selected records and what is below them "
                                            f"({len(self.selection)})")
        self.scope_search = QRadioButton(f"Search results for “{query}”" if query else
                                         "Search results")
        self.scope_all.setChecked(True)
        self.scope_selection.setEnabled(bool(self.selection))
        self.scope_search.setEnabled(bool(query))
        self.public_box = QCheckBox("Public export: leave out restricted records and internal "
                                    "notes and locations")
        self.base_url = QLineEdit("https://example.org/iiif")
        self.base_url_label = QLabel("IIIF base URL")
        self.tiles_box = QCheckBox("Static image tiles (IIIF level 0) instead of copies")
        self.target = QLineEdit()
        self.browse = QPushButton("Choose…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self._layout()
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.browse.clicked.connect(self._choose_target)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self._format_changed()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        scope = QVBoxLayout()
        for button in (self.scope_all, self.scope_selection, self.scope_search):
            scope.addWidget(button)
        form.addRow("Records", scope)
        form.addRow("", self.public_box)
        form.addRow(self.base_url_label, self.base_url)
        form.addRow("", self.tiles_box)
        target = QHBoxLayout()
        target.addWidget(self.target)
        target.addWidget(self.browse)
        form.addRow("Save to", target)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def fmt(self) -> str:
        """The chosen format name."""
        return self.format_combo.currentData()

    def scope(self) -> tuple[list[int] | None, str | None]:
        """(record ids, query) for the chosen scope."""
        if self.scope_selection.isChecked():
            return self.selection, None
        if self.scope_search.isChecked():
            return None, self.query
        return None, None

    def _format_changed(self) -> None:
        iiif = self.fmt() == "iiif"
        self.base_url.setVisible(iiif)
        self.base_url_label.setVisible(iiif)
        self.tiles_box.setVisible(iiif)
        text = self.target.text()
        if text and self.fmt() not in FOLDER_FORMATS:
            self.target.setText(str(Path(text).with_suffix(EXTENSIONS[self.fmt()])))

    def _choose_target(self) -> None:
        if self.fmt() in FOLDER_FORMATS:
            path = QFileDialog.getExistingDirectory(self, "Export into a new or empty folder")
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", f"export{EXTENSIONS[self.fmt()]}")
        if path:
            self.target.setText(path)

    def start(self) -> None:
        """Start the export in the background (button "Export")."""
        if not self.target.text().strip():
            self.status.setText("Choose where to save the export.")
            return
        fmt, out = self.fmt(), Path(self.target.text().strip())
        ids, query = self.scope()
        public, base_url = self.public_box.isChecked(), self.base_url.text().strip() or None
        tiles = self.tiles_box.isChecked()
        html_tmp = Path(tempfile.mkdtemp()) / "finding-aid.html" if fmt == "pdf" else None

        def work(cat, progress, cancelled):
            return export(cat, "html" if fmt == "pdf" else fmt, html_tmp or out, scope=ids,
                          query=query, public=public, base_url=base_url, iiif_tiles=tiles,
                          progress=progress, cancelled=cancelled)

        self.export_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.status.setText("Exporting…")
        self.handle = self.runner.run(work, label="Export",
                                      on_success=lambda r: self._done(r, fmt, out, html_tmp),
                                      on_failure=self._failed)
        if self.handle is not None and not self.handle.done:
            self.handle.progressed.connect(self._progressed)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, result, fmt: str, out: Path, html_tmp: Path | None) -> None:
        if html_tmp is not None:
            from archivist.gui.exchange.pdf import html_to_pdf
            html_to_pdf(html_tmp.read_text(encoding="utf-8"), out)
            html_tmp.unlink(missing_ok=True)
            result.format, result.path = "pdf", out
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(f"Wrote {result.count} to {result.path}")
        self._idle()
        self.exported.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, ArchivistError):
            self.status.setText(f"Not exported: {exc}")
        else:
            errors.show_error(self, exc)

    def _idle(self) -> None:
        self.handle = None
        self.export_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def _cancel_or_close(self) -> None:
        if self.handle is not None and not self.handle.done:
            self.handle.cancel()
            self.status.setText("Cancelling…")
        else:
            self.reject()
