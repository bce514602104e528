"""Tools → Verify files: re-hash every original in the background and list what is wrong.

    dialog = VerifyDialog(runner, parent=window)
    dialog.start()

The check runs on the GUI's task runner (it writes fixity events); Cancel stops it after the files
in hand. Each missing or changed file is listed by its original name and the records that show it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar,
                               QVBoxLayout)

from archivist.core.errors import ArchivistError
from archivist.gui.viewer.ingest_progress import eta_text
from archivist.ops.verify import VerifyReport, verify_task


class VerifyDialog(QDialog):
    """Fixity check with progress, Cancel and the list of missing or changed files.

    Signals:
        verified(object): the :class:`~archivist.ops.verify.VerifyReport`.
    """

    verified = Signal(object)

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Verify files")
        self.runner = runner
        self.handle = None
        self.report: VerifyReport | None = None
        self._started = 0.0
        self.title = QLabel("Re-reading every stored scan and comparing its SHA-256…")
        self.bar = QProgressBar()
        self.counts = QLabel("")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.bar, self.counts, self.problems, self.buttons):
            layout.addWidget(widget)
        self.resize(560, 160)

    def start(self) -> None:
        """Show the dialog and start the check."""
        self.show()
        self._started = time.monotonic()
        self.handle = self.runner.run(verify_task, label="Verifying files",
                                      on_success=self._done, on_failure=self._failed)
        if not self.handle.done:
            self.handle.progressed.connect(self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.counts.setText(eta_text(done, total, time.monotonic() - self._started))

    def _done(self, report: VerifyReport) -> None:
        self.report = report
        self.bar.setRange(0, max(report.total, 1))
        self.bar.setValue(report.checked)
        self.counts.setText(report.summary())
        if report.problems:
            self.title.setText(f"{len(report.problems)} file(s) are missing or changed. Put back "
                               "the originals from a backup of the catalogue, then verify again.")
            self.title.setWordWrap(True)
            self.problems.setPlainText("\n".join(p.describe() for p in report.problems))
            self.problems.show()
        else:
            self.title.setText("Every file checked is present and unchanged.")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.verified.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.title.setText("The check could not run.")
        self.counts.setText(str(exc) if isinstance(exc, ArchivistError) else repr(exc))
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _cancel_or_close(self) -> None:
        if self.handle is not None and not self.handle.done:
            self.handle.cancel()
            self.title.setText("Stopping…")
            return
        self.reject()
