"""The background runner: result and changes delivered on the GUI thread, errors, cancel."""

from __future__ import annotations

import threading

from archivist.core.errors import NotFound
from archivist.gui.tasks import SyncTaskRunner, TaskRunner
from archivist.store import hierarchy, records


def _make_two(cat, progress, cancelled):
    ids = []
    for i in range(2):
        if cancelled():
            break
        ids.append(records.create_record(cat, title=f"Box {i}", level="file"))
        progress(i + 1, 2)
    return ids


def test_threaded_runner_delivers_result_and_changes(qtbot, cat):
    seen_changes, results = [], []
    runner = TaskRunner(cat.path, on_changes=seen_changes.append)
    handle = runner.run(_make_two, on_success=results.append)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert hierarchy.child_ids(cat, None) == results[0]
    assert seen_changes[0].structure and set(results[0]) <= seen_changes[0].records
    runner.wait()


def test_threaded_runner_delivers_errors(qtbot, cat):
    failures = []
    runner = TaskRunner(cat.path)
    handle = runner.run(lambda c, p, x: records.get_record(c, 999), on_failure=failures.append)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert isinstance(failures[0], NotFound)
    runner.wait()


def test_cancel_reaches_the_operation(qtbot, cat):
    gate, results = threading.Event(), []

    def op(c, progress, cancelled):
        gate.wait(5)
        return cancelled()

    runner = TaskRunner(cat.path)
    handle = runner.run(op, on_success=results.append)
    handle.cancel()
    gate.set()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert results == [True]
    runner.wait()


def test_sync_runner_finishes_before_returning(qapp, cat):
    results = []
    handle = SyncTaskRunner(cat.path).run(_make_two, on_success=results.append)
    assert handle.done and hierarchy.child_ids(cat, None) == results[0]


def test_progress_widget_follows_and_cancels(qtbot, cat):
    from archivist.gui.widgets.progress import TaskProgress
    gate = threading.Event()
    progress = TaskProgress()
    qtbot.addWidget(progress)
    runner = TaskRunner(cat.path)
    runner.task_started.connect(progress.track)

    def op(c, report, cancelled):
        report(1, 4)
        gate.wait(5)
        return cancelled()

    results = []
    handle = runner.run(op, label="Making thumbnails", on_success=results.append)
    with qtbot.waitSignal(handle.progressed, timeout=5000):
        pass
    progress._refresh()  # as the delay timer would
    assert progress.isVisible() and progress.label.text() == "Making thumbnails…"
    assert (progress.bar.value(), progress.bar.maximum()) == (1, 4)
    progress.cancel_button.click()
    gate.set()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert results == [True] and not progress.isVisible() and progress.handles == []
    runner.wait()
