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

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from archivist.gui.widgets.task_dialog import TaskProgressDialog
from archivist.media.derivatives import cache_root, make_many
from archivist.ops.ingest import IngestReport, ingest_task


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


class IngestProgressDialog(TaskProgressDialog):
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
        super().__init__(runner, "Adding scans", "Copying, checking and checksumming the scans…",
                         parent, stopping="Stopping after the files in hand…")
        self.paths = [Path(p) for p in paths]
        self.target = target
        self.report: IngestReport | None = None
        self._cancelled_previews = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # the preview pass itself uses a pool sized to the machine
        self._preview_signals = _PreviewSignals(self)
        self._preview_signals.progressed.connect(self.show_progress)
        self._preview_signals.done.connect(self._previews_done)

    def start(self) -> None:
        """Show the dialog and start the ingest."""
        self.show()
        self.run_task(ingest_task(self.paths, **self.target), label="Adding scans",
                      on_success=self._ingest_done, on_failure=self._ingest_failed)

    def _ingest_done(self, report: IngestReport) -> None:
        self.report = report
        self.bar.setRange(0, max(report.total, 1))
        self.bar.setValue(len(report.ingested) + len(report.refused))
        self.counts.setText(report.summary())
        lines = [f"Refused {r.path.name}: {r.reason}" for r in report.refused]
        lines += [f"Already in the catalogue (stored once): {f.path.name}" for f in report.duplicates]
        self.show_details(lines)  # room to read the list
        self.ingested.emit(report)
        if report.previews_pending and not report.cancelled:
            self.title.setText("Making previews for the viewer…")
            self.restart_clock("previews")
            self._pool.start(_PreviewJob(self.runner.path, report.previews_pending,
                                         self._preview_signals, lambda: self._cancelled_previews))
        else:
            self._done()

    def _ingest_failed(self, exc: BaseException) -> None:
        self.failed_with(exc, "The scans could not all be added.")
        self.failed.emit(exc)

    def _previews_done(self, result) -> None:
        if self.report is not None:
            self.counts.setText(self.report.summary())
        self._done()

    def _done(self) -> None:
        self.title.setText("Done.")
        self.finish()

    def stop_extra_work(self) -> None:
        """Stop the previews still being made (the viewer makes any missing one on demand)."""
        self._cancelled_previews = True
        self._pool.clear()
        self._pool.waitForDone()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._cancelled_previews = True
        self._pool.waitForDone()
        super().closeEvent(event)
