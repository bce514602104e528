"""Long work off the GUI thread.

An operation is a plain function ``fn(cat, progress, cancelled)`` where ``cat`` is a catalogue
connection of the task's own (sqlite connections are per thread), ``progress(done, total)``
reports and ``cancelled()`` says whether the user asked to stop. :class:`TaskRunner` runs it on a
one-thread pool (one writer at a time) and delivers the result or the exception on the GUI
thread; :class:`SyncTaskRunner` does the same inline, for tests.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from archivist.core.changes import Changes
from archivist.store.catalogue import open_catalogue

log = logging.getLogger("archivist.gui")

Operation = Callable[..., Any]


class TaskHandle(QObject):
    """A running task, living on the GUI thread.

    Signals:
        progressed(int, int): done and total.
        succeeded(object): the operation's result.
        failed(object): the exception it raised.
        finished(): after succeeded or failed.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    _progress = Signal(int, int)
    _done = Signal()  # no payload: PySide6 miscounts references of objects sent across threads

    def __init__(self, label: str, parent: QObject | None = None):
        super().__init__(parent)
        self.label = label
        self._cancel = threading.Event()
        self.done = False
        self._progress.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._done.connect(self._deliver_outcome, Qt.ConnectionType.QueuedConnection)
        self._outcome: tuple = (None, None, Changes())
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.on_changes: Callable[[Changes], None] | None = None

    def cancel(self) -> None:
        """Ask the operation to stop at its next ``cancelled()`` check."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """Whether cancel was asked."""
        return self._cancel.is_set()

    def _finish(self, result: Any, error: BaseException | None, changes: Changes) -> None:
        """Called on the worker thread: keep the outcome and wake the GUI thread."""
        self._outcome = (result, error, changes)
        self._done.emit()

    @Slot()
    def _deliver_outcome(self) -> None:
        self._deliver(*self._outcome)

    def _deliver(self, result: Any, error: BaseException | None, changes: Changes) -> None:
        self.done = True
        if changes and self.on_changes:
            self.on_changes(changes)
        if error is None:
            self.succeeded.emit(result)
            if self.on_success:
                self.on_success(result)
        else:
            self.failed.emit(error)
            if self.on_failure:
                self.on_failure(error)
        self.finished.emit()


def _execute(path: Path, fn: Operation, handle: TaskHandle, emit_progress, emit_done) -> None:
    changes = Changes()
    result, error = None, None
    try:
        cat = open_catalogue(path)
        cat.subscribe(changes.merge)
        try:
            result = fn(cat, emit_progress, handle.is_cancelled)
        finally:
            cat.close()
    except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
        error = exc
    emit_done(result, error, changes)


class _Runnable(QRunnable):
    def __init__(self, path: Path, fn: Operation, handle: TaskHandle):
        super().__init__()
        self.path, self.fn, self.handle = path, fn, handle

    def run(self) -> None:
        _execute(self.path, self.fn, self.handle, self.handle._progress.emit, self.handle._finish)


class TaskRunner(QObject):
    """Runs operations on a one-thread pool over the catalogue at ``path``.

    Args:
        path: the catalogue folder (each task opens its own connection).
        on_changes: called on the GUI thread with what a finished task changed.

    Signals:
        task_started(TaskHandle): a task was queued (the window shows its progress).
    """

    task_started = Signal(object)

    def __init__(self, path: Path, on_changes: Callable[[Changes], None] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.on_changes = on_changes
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._handles: set[TaskHandle] = set()

    def run(self, fn: Operation, *, label: str = "Working",
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None) -> TaskHandle:
        """Start ``fn(cat, progress, cancelled)``; callbacks run on the GUI thread.

        Returns:
            The task's handle (progress signals, cancel).
        """
        handle = self._handle(label, on_success, on_failure)
        self.task_started.emit(handle)
        self.pool.start(_Runnable(self.path, fn, handle))
        return handle

    def _handle(self, label, on_success, on_failure) -> TaskHandle:
        handle = TaskHandle(label, self)
        handle.on_success, handle.on_failure, handle.on_changes = on_success, on_failure, self.on_changes
        self._handles.add(handle)
        handle.finished.connect(lambda: self._handles.discard(handle))
        return handle

    def wait(self, msecs: int = -1) -> bool:
        """Wait for running tasks to end (on close)."""
        return self.pool.waitForDone(msecs)


class SyncTaskRunner(TaskRunner):
    """Runs each operation inline and delivers its outcome before ``run`` returns (tests)."""

    def run(self, fn: Operation, *, label: str = "Working",
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None) -> TaskHandle:
        handle = self._handle(label, on_success, on_failure)
        self.task_started.emit(handle)
        _execute(self.path, fn, handle, handle.progressed.emit, handle._deliver)
        return handle
