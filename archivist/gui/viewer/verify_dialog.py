"""Tools → Verify files: re-hash every original in the background and list what is wrong.

    dialog = VerifyDialog(runner, parent=window)
    dialog.start()

The check runs on the GUI's task runner (it writes fixity events); Cancel stops it after the files
in hand. Each missing or changed file is listed by its original name and the records that show it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal

from archivist.gui.widgets.task_dialog import TaskProgressDialog
from archivist.ops.verify import VerifyReport, verify_task


class VerifyDialog(TaskProgressDialog):
    """Fixity check with progress, Cancel and the list of missing or changed files.

    Signals:
        verified(object): the :class:`~archivist.ops.verify.VerifyReport`.
    """

    verified = Signal(object)

    def __init__(self, runner, parent=None):
        super().__init__(runner, "Verify files",
                         "Re-reading every stored scan and comparing its SHA-256…", parent)
        self.report: VerifyReport | None = None
        self.problems = self.details

    def start(self) -> None:
        """Show the dialog and start the check."""
        self.show()
        self.run_task(verify_task, label="Verifying files", on_success=self._done,
                      on_failure=lambda exc: self.failed_with(exc, "The check could not run."))

    def _done(self, report: VerifyReport) -> None:
        self.report = report
        self.bar.setRange(0, max(report.total, 1))
        self.bar.setValue(report.checked)
        self.counts.setText(report.summary())
        if report.problems:
            self.title.setText(f"{len(report.problems)} file(s) are missing or changed. Put back "
                               "the originals from a backup of the catalogue, then verify again.")
            self.show_details([p.describe() for p in report.problems], size=(560, 300))
        else:
            self.title.setText("Every file checked is present and unchanged.")
        self.finish()
        self.verified.emit(report)
