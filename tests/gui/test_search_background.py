"""The search panel searches through the window's task runner: off the GUI thread, newest wins."""

import threading

import pytest
from PySide6.QtTest import QTest

from archivist.core.changes import Changes
from archivist.core.errors import InvalidQuery
from archivist.gui.search import SearchPanel
from archivist.gui.search import panel as panel_module
from archivist.gui.tasks import SyncTaskRunner, TaskHandle, TaskRunner
from archivist.store import links


@pytest.fixture
def make_panel(qtbot, tree_cat, cat, qsettings):
    links.link(cat, tree_cat["l2"], tree_cat["place"], "place_of_creation")
    runners = []

    def make(runner):
        runners.append(runner)
        p = SearchPanel(cat, settings=qsettings, runner=runner)
        qtbot.addWidget(p)
        return p

    yield make
    for runner in runners:
        if hasattr(runner, "wait"):
            runner.wait()


class HeldRunner:
    """A runner whose tasks wait until the test finishes them, in any order."""

    def __init__(self, cat):
        self.cat, self.tasks = cat, []

    def run(self, fn, *, label="Working", on_success=None, on_failure=None):
        handle = TaskHandle(label)
        handle.on_success, handle.on_failure = on_success, on_failure
        self.tasks.append((fn, handle))
        return handle

    def finish(self, index):
        fn, handle = self.tasks[index]
        try:
            result = fn(self.cat, lambda _d, _t: None, handle.is_cancelled)
        except Exception as exc:  # noqa: BLE001
            handle._deliver(None, exc, Changes())
        else:
            handle._deliver(result, None, Changes())


def _ids(panel):
    return [panel.model.hit(r).id for r in range(panel.model.rowCount())]


def test_results_arrive_through_the_runner_off_the_gui_thread(qtbot, make_panel, cat, tree_cat,
                                                              monkeypatch):
    threads = []
    real = panel_module.run_search

    def recording(c, q, **options):
        threads.append(threading.current_thread())
        return real(c, q, **options)

    monkeypatch.setattr(panel_module, "run_search", recording)
    panel = make_panel(TaskRunner(cat.path))
    panel.show()
    with qtbot.waitSignal(panel.searched, timeout=5000) as sig:
        panel.set_query("Mazar-i-Sharif")
        # set_query returned before the search finished: nothing shown yet, busy bar up
        assert panel.is_busy() and panel.busy.isVisible()
        assert panel.model.rowCount() == 0
    assert [h.id for h in sig.args[0].hits] == [tree_cat["l2"]]
    assert _ids(panel) == [tree_cat["l2"]]
    assert panel.status.text().startswith("1 record found")
    assert panel.facets.leaf("lang", "prs") is not None
    assert threads and threads[0] is not threading.main_thread()
    assert not panel.is_busy() and not panel.busy.isVisible()


def test_newest_query_wins_with_the_real_runner(qtbot, make_panel, cat, tree_cat):
    panel = make_panel(TaskRunner(cat.path))
    shown = []
    panel.searched.connect(shown.append)
    panel.set_query("mayor")
    panel.set_query("Mazar-i-Sharif")
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=5000)
    assert len(shown) == 1
    assert _ids(panel) == [tree_cat["l2"]]


def test_a_stale_result_never_overwrites_a_newer_one(qtbot, make_panel, cat, tree_cat):
    runner = HeldRunner(cat)
    panel = make_panel(runner)
    panel.set_query("Mazar-i-Sharif")
    assert len(runner.tasks) == 1
    panel.set_query("mayor")
    panel.set_query("level:item")  # only the newest waiting query is kept
    assert len(runner.tasks) == 1 and runner.tasks[0][1].is_cancelled()
    runner.finish(0)  # the old search ends: dropped, the newest starts
    assert panel.model.rowCount() == 0 and panel.result is None
    assert len(runner.tasks) == 2 and panel.is_busy()
    runner.finish(1)
    assert sorted(_ids(panel)) == sorted([tree_cat["l1"], tree_cat["l2"]])
    assert not panel.is_busy()


def test_a_search_started_late_after_cancel_does_no_work(qtbot, make_panel, cat):
    runner = HeldRunner(cat)
    panel = make_panel(runner)
    panel.set_query("mayor")
    panel.set_query("governor")
    fn, handle = runner.tasks[0]
    assert fn(cat, lambda _d, _t: None, handle.is_cancelled) is None


def test_cancel_by_the_user_drops_the_result(qtbot, make_panel, cat):
    runner = HeldRunner(cat)
    panel = make_panel(runner)
    panel.set_query("mayor")
    runner.tasks[0][1].cancel()  # the Cancel button of the window's progress
    runner.finish(0)
    assert panel.model.rowCount() == 0
    assert panel.status.text() == "Search cancelled"
    assert not panel.is_busy()


def test_sync_runner_behaves_as_before(qtbot, make_panel, cat, tree_cat):
    panel = make_panel(SyncTaskRunner(cat.path))
    panel.set_query("Mazar-i-Sharif")
    assert _ids(panel) == [tree_cat["l2"]]
    panel.set_query("level:item")
    assert panel.model.rowCount() == 2
    panel.timeline.span = (1994, 1994)
    panel.timeline.span_selected.emit(1994, 1994)
    assert _ids(panel) == [tree_cat["l2"]]
    assert not panel.is_busy()


@pytest.mark.parametrize("kind", ["sync", "thread"])
def test_invalid_query_is_reported(qtbot, make_panel, cat, kind):
    panel = make_panel(SyncTaskRunner(cat.path) if kind == "sync" else TaskRunner(cat.path))
    panel.query = 'title:"never closed'
    with qtbot.waitSignal(panel.error, timeout=5000) as sig:
        panel.run()
    assert isinstance(sig.args[0], InvalidQuery)
    assert panel.status.text() == sig.args[0].message
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=5000)


def test_typing_searches_after_a_pause_without_remembering(qtbot, make_panel, cat, tree_cat):
    panel = make_panel(TaskRunner(cat.path))
    panel.show()
    QTest.keyClicks(panel.box, "mayo")
    assert panel.box.typing_timer.isActive() and not panel.is_busy()  # debounced
    QTest.keyClicks(panel.box, "r")
    with qtbot.waitSignal(panel.searched, timeout=5000):
        pass
    assert _ids(panel) == [tree_cat["l1"]]
    assert panel.box.recent() == []  # only Return remembers
    errors = []
    panel.error.connect(errors.append)
    panel.box.clear()
    QTest.keyClicks(panel.box, 'title:"unfinished')
    with qtbot.waitSignal(panel.box.typing_timer.timeout, timeout=2000):
        pass
    assert not panel.is_busy() and errors == [] and panel.box.error is None
    assert _ids(panel) == [tree_cat["l1"]]


def test_closing_drops_a_running_search(qtbot, make_panel, cat):
    runner = TaskRunner(cat.path)
    panel = make_panel(runner)
    shown = []
    panel.searched.connect(shown.append)
    panel.set_query("mayor")
    handle = panel.searches._handle
    assert handle is not None
    panel.close()
    assert handle.is_cancelled()
    if not handle.done:
        with qtbot.waitSignal(handle.finished, timeout=5000):
            pass
    assert shown == [] and panel.model.rowCount() == 0


def test_a_capped_total_shows_its_estimate(qtbot, make_panel, cat, monkeypatch):
    from archivist.store.search import SearchResult
    monkeypatch.setattr(panel_module, "run_search", lambda c, q, **o: SearchResult(
        hits=[], total=10_000, total_exact=False, total_estimate=157_312, facets={},
        facets_exact=False, elapsed_ms=12))
    panel = make_panel(SyncTaskRunner(cat.path))
    with qtbot.waitSignal(panel.searched, timeout=5000):
        panel.set_query("lang:ru")
    assert panel.status.text() == "10,000+ records (about 160,000) found, showing 0 (12 ms)"
