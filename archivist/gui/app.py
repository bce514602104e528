"""The desktop application: QApplication setup, catalogue sessions, File menu, ``run``.

Importing this module has no side effects; :func:`run` creates the QApplication. Tests use
:class:`ArchivistApp` directly with a temporary catalogue and dialogs switched off.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from archivist.core import paths
from archivist.core.errors import ArchivistError
from archivist.gui import errors
from archivist.gui.main_window import MainWindow
from archivist.gui.settings import Settings
from archivist.gui.tasks import TaskRunner
from archivist.store.catalogue import Catalogue, open_catalogue

log = logging.getLogger("archivist.gui")

ORGANIZATION = "Archivist"
APPLICATION = "Archivist"


def setup_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with names set before any QSettings is made and text direction rules.

    The interface stays left to right (STANDARDS 9.2); text in fields and cells follows its
    own direction.
    """
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return app


def default_catalogue() -> Path:
    """The catalogue opened when there is no last one: in the user's data folder."""
    return paths.user_data() / "My catalogue.archivist"


class ArchivistApp(QObject):
    """Owns the open catalogue, its undo stack, task runner and main window.

    Args:
        settings: the user's preferences.
        runner_class: the task runner to use (tests pass ``SyncTaskRunner``).
    """

    def __init__(self, settings: Settings | None = None, runner_class=TaskRunner, parent=None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.runner_class = runner_class
        self.cat: Catalogue | None = None
        self.window: MainWindow | None = None
        self.stack: QUndoStack | None = None
        self.runner: TaskRunner | None = None

    def open(self, path: Path, *, create: bool = False) -> MainWindow | None:
        """Open the catalogue at ``path`` in a new window, closing the current one.

        Returns:
            The window, or None (and the error shown) when it cannot be opened.
        """
        try:
            cat = open_catalogue(path, create=create)
        except ArchivistError as exc:
            errors.show_error(self.window, exc)
            return None
        old = (self.window, self.runner, self.cat)
        self.settings.add_recent(cat.path)
        stack = QUndoStack()
        runner = self.runner_class(cat.path)
        window = MainWindow(cat, self.settings, runner, stack)
        stack.setParent(window)
        self._add_file_actions(window, cat)
        window.show()  # before the old window closes, so the application does not quit
        self._close(*old)
        self.cat, self.stack, self.runner, self.window = cat, stack, runner, window
        return window

    def open_start(self, path: Path | None) -> MainWindow | None:
        """Open ``path``, else the last catalogue, else the default one (created if needed)."""
        if path is not None:
            return self.open(Path(path), create=True)
        last = self.settings.last_catalogue()
        if last is not None and (last / "catalogue.sqlite").exists():
            window = self.open(last)
            if window is not None:
                return window
        return self.open(default_catalogue(), create=True)

    def close_current(self) -> None:
        """Close the window and the catalogue (waiting for running tasks)."""
        self._close(self.window, self.runner, self.cat)
        self.window = self.runner = self.cat = None

    @staticmethod
    def _close(window, runner, cat) -> None:
        if window is not None:
            window.close()
            window.deleteLater()
        if runner is not None:
            runner.wait()
        if cat is not None and cat.conn is not None:
            cat.close()

    # File menu ------------------------------------------------------------------------
    def _add_file_actions(self, window: MainWindow, cat: Catalogue) -> None:
        menu = window.actions.file_menu
        new = QAction("&New catalogue…", window)
        new.setShortcut(QKeySequence("Ctrl+Alt+N"))
        new.triggered.connect(lambda: self.new_dialog())
        opener = QAction("&Open catalogue…", window)
        opener.setShortcut(QKeySequence.StandardKey.Open)
        opener.triggered.connect(lambda: self.open_dialog())
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, new)
        menu.insertAction(first, opener)
        recent = QMenu("Open &Recent", menu)
        menu.insertMenu(first, recent)
        menu.insertSeparator(first)
        for path in self.settings.recent():
            if path == cat.path.resolve():
                continue
            recent.addAction(str(path), lambda p=path: self.open(p))
        recent.setEnabled(not recent.isEmpty())
        menu.addSeparator()
        menu.addAction(window.actions.close)
        window.actions.new_catalogue, window.actions.open_catalogue = new, opener
        window.actions.recent_menu = recent

    def new_dialog(self) -> MainWindow | None:
        """Ask for a new folder and create a catalogue in it."""
        name, _ = QFileDialog.getSaveFileName(self.window, "New catalogue",
                                              str(paths.user_data() / "New catalogue.archivist"))
        if not name:
            return None
        path = Path(name)
        if path.exists() and any(path.iterdir()):
            errors.show_error(self.window, ArchivistError(
                f"{path} is not empty; choose a new folder name for the catalogue"))
            return None
        return self.open(path, create=True)

    def open_dialog(self) -> MainWindow | None:
        """Ask for a catalogue folder and open it."""
        name = QFileDialog.getExistingDirectory(self.window, "Open catalogue", str(paths.user_data()))
        return self.open(Path(name)) if name else None


def warm_up() -> None:
    """Load what the first record form needs (language names, the EDTF grammar), off the GUI
    thread, so showing the first record does not stall for a second of imports."""
    try:
        from archivist.core.dates import humanize, parse_date
        from archivist.core.fields import check_language, language_name
        from archivist.gui.widgets.editors import language_entries
        parse_date("1993~")
        humanize("1994-05")
        check_language("prs")
        language_name("hy")
        language_entries()
    except Exception:  # noqa: BLE001 - only a speed-up: the form loads these itself if needed
        log.debug("warm-up failed", exc_info=True)


def run(catalogue_path: Path | None = None, *, no_err_windows: bool = False) -> int:
    """Open the desktop GUI and return its exit code.

    Args:
        catalogue_path: the catalogue to open; without it the last one reopens, else a default
            catalogue in the user's data folder is opened (created on first use).
        no_err_windows: log errors instead of showing dialogs (for tests and scripts).
    """
    app = setup_application()
    errors.set_dialogs_enabled(not no_err_windows)
    threading.Thread(target=warm_up, name="archivist-warm-up", daemon=True).start()
    archivist = ArchivistApp()
    errors.install_excepthook(lambda: archivist.window)
    if archivist.open_start(catalogue_path) is None:
        return 1
    code = app.exec()
    archivist.close_current()
    return code
