"""The status bar's task indicator: what runs in the background, how far it is, Cancel."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from archivist.gui.tasks import TaskHandle

SHOW_AFTER_MS = 400


class TaskProgress(QWidget):
    """Shows the running background task (after a short delay, so quick ones do not flicker)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.handles: list[TaskHandle] = []
        self._timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._timer.timeout.connect(self._refresh)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def track(self, handle: TaskHandle) -> None:
        """Follow a task until it finishes."""
        if handle.done:
            return
        self.handles.append(handle)
        handle.progressed.connect(self._progressed)
        handle.finished.connect(lambda h=handle: self._finished(h))
        if not self.isVisible():
            self._timer.start()

    def _progressed(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(done)

    def _finished(self, handle: TaskHandle) -> None:
        self.handles = [h for h in self.handles if h is not handle]
        self._refresh()

    def _refresh(self) -> None:
        if not self.handles:
            self._timer.stop()
            self.hide()
            return
        current = self.handles[0]
        more = f" (+{len(self.handles) - 1} waiting)" if len(self.handles) > 1 else ""
        self.label.setText(current.label + "…" + more)
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 0)  # busy until the first progress report
        self.show()

    def cancel(self) -> None:
        """Ask the running task (and those waiting) to stop."""
        for handle in self.handles:
            handle.cancel()
        self.label.setText("Cancelling…")
