"""How the GUI tells the user about errors.

Expected errors (:class:`ArchivistError`) become a warning box saying what happened and what to
do; anything else is a bug and reaches :class:`CrashDialog` with the traceback. With dialogs
switched off (``--no-err-windows``, and in tests) both are only logged.
"""

from __future__ import annotations

import collections
import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from archivist.core.errors import ArchivistError

log = logging.getLogger("archivist.gui")

_state = {"dialogs": True}


class RecentLog(logging.Handler):
    """Keeps the last ``size`` log lines in memory, for the crash dialog."""

    def __init__(self, size: int = 200):
        super().__init__(logging.DEBUG)
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never raise
            self.handleError(record)


#: Installed on the "archivist" logger by :func:`install_excepthook`.
recent_log = RecentLog()
#: What was reported when dialogs are off (tests read it), newest last.
reported: list[BaseException] = []


def set_dialogs_enabled(enabled: bool) -> None:
    """Switch error dialogs on or off (off: errors are logged and kept in :data:`reported`)."""
    _state["dialogs"] = enabled


def dialogs_enabled() -> bool:
    """Whether error dialogs are shown."""
    return _state["dialogs"]


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Archivist") -> None:
    """Tell the user about an error: a message box for expected ones, the crash dialog for bugs.

    Args:
        parent: the window the box belongs to.
        exc: the error.
        title: the box's title.
    """
    if not isinstance(exc, ArchivistError):
        show_crash(parent, type(exc), exc, exc.__traceback__)
        return
    log.warning("%s: %s", type(exc).__name__, exc)
    reported.append(exc)
    if not dialogs_enabled() or not _on_gui_thread():
        return
    box = error_box(parent, exc, title)
    box.exec()


def error_box(parent: QWidget | None, exc: ArchivistError, title: str = "Archivist") -> QMessageBox:
    """The warning box for an expected error (not shown; :func:`show_error` shows it)."""
    text = str(exc)
    head, _, rest = text.partition("; ")
    box = QMessageBox(QMessageBox.Icon.Warning, title, head[:1].upper() + head[1:] + ".",
                      QMessageBox.StandardButton.Ok, parent)
    if rest:
        box.setInformativeText(rest[:1].upper() + rest[1:].rstrip(".") + ".")
    return box


class CrashDialog(QDialog):
    """A bug reached the top: say so, show the traceback, let the user copy it."""

    def __init__(self, parent: QWidget | None, text: str):
        super().__init__(parent)
        self.setWindowTitle("Archivist: unexpected error")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        intro = QLabel("Something went wrong inside Archivist. Your work up to the last edit is "
                       "saved. Please copy the details below into a bug report.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(text)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QApplication.clipboard().setText(self.details.toPlainText()))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def show_crash(parent: QWidget | None, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    """Show the crash dialog for a bug (or only log it when dialogs are off)."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unexpected error:\n%s", text)
    if recent_log.lines:
        text += "\nRecent log:\n" + "\n".join(recent_log.lines)
    reported.append(exc)
    if not dialogs_enabled() or not _on_gui_thread():
        return
    CrashDialog(parent, text).exec()


def install_excepthook(parent_getter=lambda: None) -> None:
    """Route uncaught exceptions to :func:`show_error` (expected) or the crash dialog (bugs), and
    keep the recent log lines for the crash dialog."""
    archivist_log = logging.getLogger("archivist")
    if recent_log not in archivist_log.handlers:
        archivist_log.addHandler(recent_log)
        if archivist_log.level == logging.NOTSET or archivist_log.level > logging.INFO:
            archivist_log.setLevel(logging.INFO)
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, ArchivistError):
            show_error(parent_getter(), exc)
        else:
            show_crash(parent_getter(), exc_type, exc, tb)
    sys.excepthook = hook
