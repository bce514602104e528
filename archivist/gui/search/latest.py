"""Newest request wins: runs one kind of work through a task runner, dropping stale results.

The search panel sends a search for every keystroke pause, facet tick and change to the
catalogue; only the newest one's result may reach the screen. :class:`LatestTask` keeps at most
one task in flight: a request made while one runs cancels it and waits its turn (only the newest
waiting request is kept), and the older task's result is ignored when it arrives.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

log = logging.getLogger("archivist.gui")

Work = Callable[..., Any]


class LatestTask(QObject):
    """Runs ``fn(cat, progress, cancelled)`` requests so that only the newest result is delivered.

    Args:
        runner: a :class:`~archivist.gui.tasks.TaskRunner` (the work runs on its worker thread
            with its own connection); ``None`` runs the work inline on ``cat`` (tests, no window).
        cat: the catalogue used when there is no runner.
        label: the task label shown in the window's progress.

    Signals:
        busy_changed(bool): True when work starts, False when nothing is running or waiting.
        cancelled(): the newest request was cancelled by the user (its result is dropped).
    """

    busy_changed = Signal(bool)
    cancelled = Signal()

    def __init__(self, runner=None, cat=None, label: str = "Searching",
                 parent: QObject | None = None):
        super().__init__(parent)
        self.runner, self.cat, self.label = runner, cat, label
        self._generation = 0
        self._running = False
        self._handle = None
        self._pending: tuple | None = None
        self._stopped = False

    def is_busy(self) -> bool:
        """Whether a request is running or waiting."""
        return self._running

    def submit(self, fn: Work, on_success: Callable[[Any], None],
               on_failure: Callable[[BaseException], None]) -> None:
        """Request ``fn``; its outcome is delivered (on the GUI thread) only if still the newest.

        Args:
            fn: the work, ``fn(cat, progress, cancelled)``; it must not touch widgets.
            on_success: called with the result.
            on_failure: called with the exception raised.
        """
        if self._stopped:
            return
        self._generation += 1
        job = (self._generation, fn, on_success, on_failure)
        if self._running:
            self._pending = job
            if self._handle is not None:
                self._handle.cancel()
            return
        self._start(job)

    def stop(self) -> None:
        """Drop everything waiting or running (the panel is closing); later submits are ignored."""
        self._stopped = True
        self._generation += 1
        self._pending = None
        if self._handle is not None:
            self._handle.cancel()

    # internals ---------------------------------------------------------------------------
    def _start(self, job: tuple) -> None:
        generation, fn, on_success, on_failure = job
        self._running = True
        self.busy_changed.emit(True)
        if self.runner is None:
            try:
                value = fn(self.cat, lambda _d, _t: None, lambda: False)
            except Exception as exc:  # noqa: BLE001 - handed to on_failure like the runner does
                self._finish(generation, on_failure, exc)
            else:
                self._finish(generation, on_success, value)
            return

        def guarded(cat, progress, cancelled):
            if cancelled():  # a newer request came before this one started
                return None
            return fn(cat, progress, cancelled)

        handle = self.runner.run(
            guarded, label=self.label,
            on_success=lambda value: self._finish(generation, on_success, value),
            on_failure=lambda exc: self._finish(generation, on_failure, exc))
        if not handle.done and self._running:
            self._handle = handle

    def _finish(self, generation: int, deliver: Callable[[Any], None], value: Any) -> None:
        if not shiboken6.isValid(self):  # the panel was destroyed while the task ran
            return
        by_user = self._handle is not None and self._handle.is_cancelled() and self._pending is None
        self._running, self._handle = False, None
        newest = generation == self._generation and not self._stopped
        if newest and by_user:
            self.cancelled.emit()
        elif newest:
            deliver(value)
        pending, self._pending = self._pending, None
        if pending is not None and not self._stopped:
            self._start(pending)
        elif not self._running:
            self.busy_changed.emit(False)
