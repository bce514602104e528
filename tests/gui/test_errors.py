"""Error reporting: expected errors as a message box, bugs as the crash dialog, none in tests."""

from __future__ import annotations

import sys

from archivist.core.errors import CatalogueLocked, InvalidDate
from archivist.gui import errors


def test_error_box_says_what_happened_and_what_to_do(qapp):
    box = errors.error_box(None, CatalogueLocked("the catalogue is busy: another program is writing"
                                                 " to it; try again when it has finished"))
    assert box.text() == "The catalogue is busy: another program is writing to it."
    assert box.informativeText() == "Try again when it has finished."


def test_dialogs_off_records_instead_of_showing(qapp):
    errors.show_error(None, InvalidDate("'1993-13' is not a valid EDTF date"))
    errors.show_error(None, KeyError("bug"))
    assert [type(e).__name__ for e in errors.reported] == ["InvalidDate", "KeyError"]


def test_crash_dialog_holds_the_traceback(qtbot):
    dialog = errors.CrashDialog(None, "Traceback (most recent call last):\n  boom")
    qtbot.addWidget(dialog)
    assert "boom" in dialog.details.toPlainText() and dialog.details.isReadOnly()
    dialog.copy_button.click()
    from PySide6.QtWidgets import QApplication
    assert QApplication.clipboard().text().endswith("boom")


def test_excepthook_routes_expected_and_bugs(qapp, monkeypatch):
    import logging
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("archivist")
    monkeypatch.setattr(logger, "handlers", list(logger.handlers))
    monkeypatch.setattr(logger, "level", logger.level)
    errors.install_excepthook()
    assert errors.recent_log in logger.handlers
    logging.getLogger("archivist.gui").info("opened a catalogue")
    assert errors.recent_log.lines[-1].endswith("archivist.gui: opened a catalogue")
    try:
        raise InvalidDate("bad date")
    except InvalidDate:
        sys.excepthook(*sys.exc_info())
    try:
        raise ZeroDivisionError("bug")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    assert [type(e).__name__ for e in errors.reported] == ["InvalidDate", "ZeroDivisionError"]
