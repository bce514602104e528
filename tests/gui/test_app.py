"""``archivist.gui.app.run``: opens a window on the catalogue given, the last one, or a default."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QApplication

from archivist.gui import app as gui_app
from archivist.gui import errors
from archivist.gui.settings import Settings


def _run_and_close(monkeypatch, path):
    opened = []
    original = gui_app.ArchivistApp.open

    def spy(self, p, **kw):
        window = original(self, p, **kw)
        opened.append(self.cat.path if self.cat else None)
        return window

    monkeypatch.setattr(gui_app.ArchivistApp, "open", spy)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    def fake_exec(app):  # the event loop: show what was opened, then the user closes it
        app.processEvents()
        app.closeAllWindows()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    code = gui_app.run(path, no_err_windows=True)
    return code, opened


def test_run_opens_the_catalogue_given_and_remembers_it(qapp, monkeypatch, tmp_path):
    code, opened = _run_and_close(monkeypatch, tmp_path / "given.archivist")
    assert code == 0 and opened == [tmp_path / "given.archivist"]
    assert (tmp_path / "given.archivist" / "catalogue.sqlite").exists()
    assert Settings().last_catalogue() == (tmp_path / "given.archivist").resolve()
    assert not errors.dialogs_enabled()
    # without a path, the last catalogue reopens
    code, opened = _run_and_close(monkeypatch, None)
    assert opened == [(tmp_path / "given.archivist").resolve()]


def test_run_without_history_opens_default_catalogue(qapp, monkeypatch, tmp_path):
    code, opened = _run_and_close(monkeypatch, None)
    assert code == 0 and opened == [gui_app.default_catalogue()]
    assert str(opened[0]).startswith(os.environ["XDG_DATA_HOME"])  # the user's data folder
    assert (opened[0] / "catalogue.sqlite").exists()


def test_module_import_has_no_side_effects():
    code = ("import archivist.gui.app as a; from PySide6.QtWidgets import QApplication;"
            " print(QApplication.instance() is None, callable(a.run))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
