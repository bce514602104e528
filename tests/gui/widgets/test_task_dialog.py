"""The shared progress dialog: counts with rate and ETA, Cancel while running, Close after."""

from PySide6.QtWidgets import QDialogButtonBox

from archivist.core.changes import Changes
from archivist.core.errors import DiskFull
from archivist.gui.tasks import TaskHandle
from archivist.gui.widgets.task_dialog import TaskProgressDialog, eta_text


class HeldRunner:
    """Keeps the task's handle; the test reports progress and finishes it."""

    def __init__(self):
        self.handle = None

    def run(self, fn, *, label, on_success=None, on_failure=None):
        self.handle = TaskHandle(label)
        self.handle.on_success, self.handle.on_failure = on_success, on_failure
        return self.handle


def _button(dialog, which):
    return dialog.buttons.button(which)


def test_cancel_asks_the_task_to_stop_and_close_comes_after(qtbot):
    runner, results = HeldRunner(), []
    dialog = TaskProgressDialog(runner, "Working", "Doing it…", stopping="Stopping now…")
    qtbot.addWidget(dialog)
    dialog.run_task(lambda *a: None, label="Work", on_success=results.append, unit="pages")
    runner.handle.progressed.emit(3, 12)
    assert dialog.counts.text().startswith("3 of 12 pages")
    assert (dialog.bar.value(), dialog.bar.maximum()) == (3, 12)
    _button(dialog, QDialogButtonBox.StandardButton.Cancel).click()
    assert runner.handle.is_cancelled() and dialog.title.text() == "Stopping now…"
    assert dialog.result() == 0 and _button(dialog, QDialogButtonBox.StandardButton.Close) is None
    runner.handle._deliver("partial", None, Changes())
    assert results == ["partial"]
    dialog.finish()
    assert _button(dialog, QDialogButtonBox.StandardButton.Cancel) is None
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        _button(dialog, QDialogButtonBox.StandardButton.Close).click()


def test_a_failure_is_told_in_words_and_details_are_shown(qtbot):
    runner = HeldRunner()
    dialog = TaskProgressDialog(runner, "Working", "Doing it…")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.run_task(lambda *a: None, label="Work", on_success=lambda r: None)
    runner.handle._deliver(None, DiskFull("the disk is full"), Changes())
    assert dialog.title.text() == "The task could not run."
    assert dialog.counts.text() == "the disk is full"
    assert _button(dialog, QDialogButtonBox.StandardButton.Close) is not None
    dialog.show_details(["Refused a.jpg: empty file"])
    assert dialog.details.isVisible() and "a.jpg" in dialog.details.toPlainText()


def test_eta_text():
    assert eta_text(0, 10, 0.0) == "0 of 10 files"
    assert eta_text(5, 10, 5.0, "pages") == "5 of 10 pages · 1.0/s · about 5 s left"
    assert eta_text(10, 10, 5.0) == "10 of 10 files · 2.0/s"
