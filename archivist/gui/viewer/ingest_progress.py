"""A dialog that ingests scans in the background: counts, rate, ETA and Cancel, then a summary.

Use it from File → Add scans… or a drop onto a record::

    dialog = IngestProgressDialog(runner, paths, record_id=rid, parent=window)
    dialog.ingested.connect(lambda report: ...)   # refresh views; the hub also gets the changes
    dialog.start()                                # shows itself and starts

The ingest runs on the GUI's :class:`~archivist.gui.tasks.TaskRunner` (its own catalogue
connection, one writer at a time). The previews it leaves pending are then made on a separate
thread pool (no database work, so other tasks are not held up); closing the dialog stops them,
and the viewer makes any missing preview when its page is opened.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QProgressBar,
                               QVBoxLayout)

from archivist.core.errors import ArchivistError
from archivist.media.derivatives import cache_root, make_many
from archivist.ops.ingest import IngestReport, ingest_task


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


class _PreviewSignals(QObject):
    progressed = Signal(int, int)
    done = Signal(object)


class _PreviewJob(QRunnable):
    def __init__(self, cat_path: Path, pages, signals: _PreviewSignals, is_cancelled):
        super().__init__()
        self.cat_path, self.pages, self.signals, self.is_cancelled = cat_path, pages, signals, is_cancelled

    def run(self) -> None:
        try:
            result = make_many(self.pages, cache_root(self.cat_path), kinds=("preview",),
                               progress=self.signals.progressed.emit, cancelled=self.is_cancelled)
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
            result = exc
        self.signals.done.emit(result)


class IngestProgressDialog(QDialog):
    """Ingest with progress (counts, rate, ETA), Cancel, and a summary of what was refused.

    Args:
        runner: the GUI's task runner (``archivist.gui.tasks.TaskRunner``).
        paths: files and folders to ingest.
        **target: ``record_id=…`` (pages of one record) or ``parent_id=…`` (one record per file,
            with ``level``), as for :func:`archivist.ops.ingest.ingest`.

    Signals:
        ingested(object): the :class:`~archivist.ops.ingest.IngestReport`, once committed.
        failed(object): the exception that stopped the ingest (disk full, read-only ...).
    """

    ingested = Signal(object)
    failed = Signal(object)

    def __init__(self, runner, paths, parent=None, **target):
        super().__init__(parent)
        self.setWindowTitle("Adding scans")
        self.runner = runner
        self.paths = [Path(p) for p in paths]
        self.target = target
        self.report: IngestReport | None = None
        self.handle = None
        self._cancelled_previews = False
        self._started = 0.0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # the preview pass itself uses a pool sized to the machine
        self._preview_signals = _PreviewSignals(self)
        self._preview_signals.progressed.connect(self._preview_progress)
        self._preview_signals.done.connect(self._previews_done)
        self.title = QLabel("Copying, checking and checksumming the scans…")
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
        self.resize(520, 160)

    def start(self) -> None:
        """Show the dialog and start the ingest."""
        self.show()
        self._started = time.monotonic()
        self.handle = self.runner.run(ingest_task(self.paths, **self.target), label="Adding scans",
                                      on_success=self._ingest_done, on_failure=self._ingest_failed)
        if not self.handle.done:
            self.handle.progressed.connect(self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.counts.setText(eta_text(done, total, time.monotonic() - self._started))

    def _ingest_done(self, report: IngestReport) -> None:
        self.report = report
        self.bar.setRange(0, max(report.total, 1))
        self.bar.setValue(len(report.ingested) + len(report.refused))
        self.counts.setText(report.summary())
        lines = [f"Refused {r.path.name}: {r.reason}" for r in report.refused]
        lines += [f"Already in the catalogue (stored once): {f.path.name}" for f in report.duplicates]
        if lines:
            self.details.setPlainText("\n".join(lines))
            self.details.show()
            self.resize(max(self.width(), 560), max(self.height(), 360))  # room to read the list
        self.ingested.emit(report)
        if report.previews_pending and not report.cancelled:
            self.title.setText("Making previews for the viewer…")
            self._started = time.monotonic()
            self._pool.start(_PreviewJob(self.runner.path, report.previews_pending,
                                         self._preview_signals, lambda: self._cancelled_previews))
        else:
            self._finish()

    def _ingest_failed(self, exc: BaseException) -> None:
        self.title.setText("The scans could not all be added.")
        self.counts.setText(str(exc) if isinstance(exc, ArchivistError) else repr(exc))
        self.failed.emit(exc)
        self._finish()

    def _preview_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.counts.setText(eta_text(done, total, time.monotonic() - self._started, "previews"))

    def _previews_done(self, result) -> None:
        if self.report is not None:
            self.counts.setText(self.report.summary())
        self._finish()

    def _finish(self) -> None:
        self.title.setText(self.title.text() if self.report is None else "Done.")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    def _cancel_or_close(self) -> None:
        if self.handle is not None and not self.handle.done:
            self.handle.cancel()
            self.title.setText("Stopping after the files in hand…")
            return
        self._cancelled_previews = True
        self._pool.clear()
        self._pool.waitForDone()
        self.reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._cancelled_previews = True
        self._pool.waitForDone()
        super().closeEvent(event)
