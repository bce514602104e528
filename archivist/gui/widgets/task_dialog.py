"""A dialog for one long task run in the background: counts, rate, ETA and Cancel, then a result.

File → Add scans… and Tools → Verify files use it::

    class VerifyDialog(TaskProgressDialog):
        def start(self):
            self.show()
            self.run_task(verify_task, label="Verifying files", on_success=self._done)

While the task runs the button is Cancel (the task stops after the work in hand); once it is done
it becomes Close. :attr:`details` holds the lines a user must read (refused files, problems).
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar,
                               QVBoxLayout)

from archivist.core.errors import ArchivistError


def eta_text(done: int, total: int, elapsed: float, unit: str = "files") -> str:
    """``"12 of 40 files · 3.2/s · about 9 s left"`` (the rate and ETA once there is one)."""
    text = f"{done} of {total} {unit}"
    if done and elapsed > 0:
        rate = done / elapsed
        left = (total - done) / rate
        text += f" · {rate:.1f}/s"
        if done < total:
            text += (" · under a second left" if left < 1 else f" · about {left:.0f} s left"
                     if left < 120 else f" · about {left / 60:.0f} min left")
    return text


class TaskProgressDialog(QDialog):
    """Title, progress bar, counts with ETA, a details box and Cancel/Close.

    Args:
        runner: the GUI's task runner (``archivist.gui.tasks.TaskRunner``).
        window_title: the dialog's title.
        intro: what is being done, shown above the bar.
        stopping: shown after Cancel while the task winds down.
    """

    def __init__(self, runner, window_title: str, intro: str, parent=None, *,
                 stopping: str = "Stopping…"):
        super().__init__(parent)
        self.setWindowTitle(window_title)
        self.runner = runner
        self.handle = None
        self._stopping = stopping
        self._started = 0.0
        self._unit = "files"
        self.title = QLabel(intro)
        self.title.setWordWrap(True)
        self.bar = QProgressBar()
        self.counts = QLabel("")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.bar, self.counts, self.details, self.buttons):
            layout.addWidget(widget)
        self.resize(540, 160)

    # running ---------------------------------------------------------------------------
    def run_task(self, fn, *, label: str, on_success: Callable, on_failure: Callable | None = None,
                 unit: str = "files") -> None:
        """Start ``fn`` on the runner; its progress shows as counts, rate and ETA of ``unit``."""
        self.restart_clock(unit)
        self.handle = self.runner.run(fn, label=label, on_success=on_success,
                                      on_failure=on_failure or self.failed_with)
        if not self.handle.done:
            self.handle.progressed.connect(self.show_progress)

    def restart_clock(self, unit: str) -> None:
        """Measure rate and ETA afresh (a second phase of the work, counted in ``unit``)."""
        self._started, self._unit = time.monotonic(), unit

    def show_progress(self, done: int, total: int) -> None:
        """Move the bar and the counts (with rate and ETA)."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.counts.setText(eta_text(done, total, time.monotonic() - self._started, self._unit))

    # the outcome -----------------------------------------------------------------------
    def show_details(self, lines: list[str], *, size: tuple[int, int] = (560, 360)) -> None:
        """List what the user must read (refused files, problems) below the counts."""
        if not lines:
            return
        self.details.setPlainText("\n".join(lines))
        self.details.show()
        self.resize(max(self.width(), size[0]), max(self.height(), size[1]))

    def failed_with(self, exc: BaseException, title: str = "The task could not run.") -> None:
        """Say why the task stopped (an expected error by its message, a bug by its repr)."""
        self.title.setText(title)
        self.counts.setText(str(exc) if isinstance(exc, ArchivistError) else repr(exc))
        self.finish()

    def finish(self) -> None:
        """The work is over: the button becomes Close."""
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def stop_extra_work(self) -> None:
        """Stop work that goes on after the task itself (subclasses); called on Close."""

    def _cancel_or_close(self) -> None:
        if self.handle is not None and not self.handle.done:
            self.handle.cancel()
            self.title.setText(self._stopping)
            return
        self.stop_extra_work()
        self.reject()
