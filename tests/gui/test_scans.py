"""File → Add scans…, file drops on the tree, table and viewer, and Tools → Verify files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialogButtonBox

from archivist.gui import errors, scans
from archivist.gui.main_window import MainWindow
from archivist.gui.scans import ITEMS, PAGES, AddScansChoice
from archivist.gui.settings import Settings
from archivist.gui.tasks import SyncTaskRunner
from archivist.media import filestore
from archivist.store import hierarchy, records
from archivist.store.pages import pages_of
from tests.media import imagefactory as f


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "scans"
    f.jpeg(folder / "p1.jpg", size=(300, 200))
    f.jpeg(folder / "p10.jpg", size=(200, 300))
    f.jpeg(folder / "p2.jpg", size=(240, 160))
    return folder


@pytest.fixture
def win(qtbot, qsettings, cat, tree_cat):
    settings = Settings(qsettings)
    window = MainWindow(cat, settings, SyncTaskRunner(cat.path), QUndoStack())
    qtbot.addWidget(window)
    yield window
    window.close()


class _Calls(list):
    answer = None


@pytest.fixture
def asked_calls(monkeypatch):
    calls = _Calls()

    def fake(parent, target, count):
        calls.append((target.id, count))
        return calls.answer

    monkeypatch.setattr(scans, "ask_how", fake)
    return calls


def finish(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.buttons.button(QDialogButtonBox.StandardButton.Close) is not None,
                    timeout=10_000)
    dialog.close()


def names(cat, record_id):
    return [p["original_name"] for p in pages_of(cat, record_id)]


def test_add_scans_action_one_file_on_an_item_asks_nothing(qtbot, win, cat, tree_cat, src,
                                                           asked_calls, monkeypatch):
    assert win.actions.add_scans.shortcut() == QKeySequence("Ctrl+Shift+A")
    assert win.actions.add_scans in win.actions.file_menu.actions()
    starts = []
    monkeypatch.setattr(scans, "choose_files",
                        lambda parent, start: starts.append(start) or [str(src / "p2.jpg")])
    win.select_record(tree_cat["l1"])
    win.actions.add_scans.trigger()
    finish(qtbot, win.scans.dialog)
    assert asked_calls == []
    assert names(cat, tree_cat["l1"]) == ["p2.jpg"]
    assert win.actions.add_scans in win.table.actions()  # right-click menu
    win.select_record(tree_cat["l2"])
    win.actions.add_scans.trigger()  # the dialog opens where the last files were
    finish(qtbot, win.scans.dialog)
    assert starts == ["", str(src)]


def test_several_files_on_an_item_become_its_pages_in_natural_order(qtbot, win, cat, tree_cat, src,
                                                               asked_calls, monkeypatch):
    chosen = [str(src / n) for n in ("p10.jpg", "p2.jpg", "p1.jpg")]
    monkeypatch.setattr(scans, "choose_files", lambda parent, start: chosen)
    asked_calls.answer = PAGES
    win.select_record(tree_cat["l2"])
    win.actions.add_scans.trigger()
    finish(qtbot, win.scans.dialog)
    assert asked_calls == [(tree_cat["l2"], 3)]
    assert names(cat, tree_cat["l2"]) == ["p1.jpg", "p2.jpg", "p10.jpg"]  # natural order


def test_several_files_on_an_item_one_new_item_each_next_to_it(qtbot, win, cat, tree_cat, src,
                                                              asked_calls):
    asked_calls.answer = ITEMS
    before = hierarchy.child_ids(cat, tree_cat["file"])
    win.scans.add([src], tree_cat["l1"])
    finish(qtbot, win.scans.dialog)
    new = [r for r in hierarchy.child_ids(cat, tree_cat["file"]) if r not in before]
    assert [records.get_record(cat, r).title for r in new] == ["p1", "p2", "p10"]
    assert names(cat, tree_cat["l1"]) == []


def test_unit_with_pages_makes_one_new_item_and_undo_trashes_it(qtbot, win, cat, tree_cat, src,
                                                                asked_calls):
    asked_calls.answer = PAGES
    win.scans.add([src], tree_cat["s2"])
    finish(qtbot, win.scans.dialog)
    assert asked_calls == [(tree_cat["s2"], 3)]
    (item,) = hierarchy.child_ids(cat, tree_cat["s2"])
    rec = records.get_record(cat, item)
    assert (rec.level, rec.title) == ("item", "scans")  # named after the folder
    assert names(cat, item) == ["p1.jpg", "p2.jpg", "p10.jpg"]
    win.actions.undo.trigger()  # one step: the new item and its pages
    assert item not in hierarchy.child_ids(cat, tree_cat["s2"])
    win.actions.redo.trigger()
    assert item in hierarchy.child_ids(cat, tree_cat["s2"])
    assert names(cat, item) == ["p1.jpg", "p2.jpg", "p10.jpg"]


def test_a_failed_ingest_on_a_unit_leaves_its_new_item_undoable(qtbot, win, cat, tree_cat, src,
                                                                asked_calls, monkeypatch):
    from archivist.core.errors import DiskFull
    from archivist.gui.viewer import ingest_progress

    def failing(*_a, **_k):
        def run(*_args):
            raise DiskFull("the disk is full")
        return run

    monkeypatch.setattr(ingest_progress, "ingest_task", failing)
    asked_calls.answer = PAGES
    win.scans.add([src], tree_cat["s2"])
    finish(qtbot, win.scans.dialog)
    (item,) = hierarchy.child_ids(cat, tree_cat["s2"])
    assert names(cat, item) == []
    assert win.stack.undoText() == "New item for scans"
    win.actions.undo.trigger()
    assert hierarchy.child_ids(cat, tree_cat["s2"]) == []


def test_undo_takes_added_pages_off_an_item_and_redo_puts_them_back(qtbot, win, cat, tree_cat,
                                                                    src, asked_calls):
    from archivist.store import media
    from archivist.store.pages import regions_of, texts_of
    asked_calls.answer = PAGES
    item = tree_cat["l2"]
    win.scans.add([src / "p1.jpg"], item)
    finish(qtbot, win.scans.dialog)
    win.scans.add([src / "p10.jpg", src / "p2.jpg"], item)
    finish(qtbot, win.scans.dialog)
    assert names(cat, item) == ["p1.jpg", "p2.jpg", "p10.jpg"]
    assert win.stack.undoText() == "Add 2 scan pages"
    second = pages_of(cat, item)[1]["id"]
    media.add_region(cat, second, 0.1, 0.1, 0.2, 0.2, title="stamp")
    media.save_page_text(cat, second, "transcription", "Мазари-Шариф", language="ru")
    stored = sorted(p for p in cat.media_dir.rglob("*") if p.is_file())
    win.actions.undo.trigger()
    assert names(cat, item) == ["p1.jpg"]
    assert sorted(p for p in cat.media_dir.rglob("*") if p.is_file()) == stored  # originals stay
    win.actions.redo.trigger()
    assert names(cat, item) == ["p1.jpg", "p2.jpg", "p10.jpg"]
    back = pages_of(cat, item)[1]["id"]
    assert [r["title"] for r in regions_of(cat, back)] == ["stamp"]
    assert [(t["kind"], t["text"]) for t in texts_of(cat, back)] == [("transcription", "Мазари-Шариф")]
    win.actions.undo.trigger()
    win.actions.undo.trigger()
    assert names(cat, item) == []


def test_undo_of_one_item_per_file_trashes_the_items(qtbot, win, cat, tree_cat, src, asked_calls):
    asked_calls.answer = ITEMS
    before = hierarchy.child_ids(cat, tree_cat["file"])
    win.scans.add([src], tree_cat["l1"])
    finish(qtbot, win.scans.dialog)
    assert len(hierarchy.child_ids(cat, tree_cat["file"])) == len(before) + 3
    win.actions.undo.trigger()
    assert hierarchy.child_ids(cat, tree_cat["file"]) == before
    win.actions.redo.trigger()
    new = [r for r in hierarchy.child_ids(cat, tree_cat["file"]) if r not in before]
    assert [names(cat, r) for r in new] == [["p1.jpg"], ["p2.jpg"], ["p10.jpg"]]


def test_one_file_on_a_unit_becomes_a_new_item_without_asking(qtbot, win, cat, tree_cat, src,
                                                              asked_calls):
    win.scans.add([src / "p2.jpg"], tree_cat["s2"])
    finish(qtbot, win.scans.dialog)
    assert asked_calls == []
    (item,) = hierarchy.child_ids(cat, tree_cat["s2"])
    assert records.get_record(cat, item).title == "p2" and names(cat, item) == ["p2.jpg"]


def test_unit_with_items_names_refused_files(qtbot, win, cat, tree_cat, src, asked_calls):
    (src / "broken.jpg").write_bytes(b"not a picture")
    asked_calls.answer = ITEMS
    win.scans.add([src], tree_cat["s2"])
    dialog = win.scans.dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert "broken.jpg" in dialog.details.toPlainText()
    assert "1 refused" in dialog.counts.text()
    finish(qtbot, dialog)
    titles = [records.get_record(cat, r).title for r in hierarchy.child_ids(cat, tree_cat["s2"])]
    assert titles == ["p1", "p2", "p10"]


def test_cancelled_choice_adds_nothing(win, cat, tree_cat, src, asked_calls):
    asked_calls.answer = None
    assert win.scans.add([src], tree_cat["s2"]) is None
    assert hierarchy.child_ids(cat, tree_cat["s2"]) == []


def test_no_target_or_no_files_is_reported(win, tree_cat, tmp_path, monkeypatch):
    monkeypatch.setattr(win.scans, "current_target", lambda: None)
    assert win.scans.add_scans() is None
    (tmp_path / "empty").mkdir()
    assert win.scans.add([tmp_path / "empty"], tree_cat["l1"]) is None
    assert len(errors.reported) == 2


def test_choice_dialog_defaults_and_top_level_item():
    unit = records_stub(level="series", parent_id=None)
    dialog = AddScansChoice(unit, 3)
    assert dialog.choice() == ITEMS and "series" in dialog.pages.text()
    lone = records_stub(level="item", parent_id=None)
    dialog = AddScansChoice(lone, 2)
    assert dialog.choice() == PAGES and not dialog.items.isEnabled()
    dialog.items.setEnabled(True)
    dialog.items.setChecked(True)
    assert dialog.choice() == ITEMS


def records_stub(level, parent_id):
    class Stub:
        id, title = 1, "Letters"
    stub = Stub()
    stub.level, stub.parent_id = level, parent_id
    return stub


# drops ---------------------------------------------------------------------------------
def url_mime(*paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def send_drop(win, widget, pos, mime):
    """Drop as the OS would deliver it (a synthetic drop is not routed by Qt without a drag)."""
    event = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert win.scans.eventFilter(widget, event) is True
    return event.isAccepted()


def test_drop_a_folder_on_a_record_in_the_table(qtbot, win, cat, tree_cat, src, asked_calls):
    win.tree.setCurrentIndex(win.tree_model.index_of(tree_cat["file"]))
    row = win.table_model.row_of(tree_cat["l2"])
    rect = win.table.visualRect(win.table_model.index(row, 1))
    asked_calls.answer = PAGES
    assert send_drop(win, win.table.viewport(), rect.center(), url_mime(src))
    qtbot.waitUntil(lambda: win.scans.dialog is not None, timeout=5_000)
    finish(qtbot, win.scans.dialog)
    assert asked_calls == [(tree_cat["l2"], 3)]
    assert names(cat, tree_cat["l2"]) == ["p1.jpg", "p2.jpg", "p10.jpg"]


def test_drop_on_a_thumbnail_in_the_grid(qtbot, win, cat, tree_cat, src, asked_calls):
    win.tree.setCurrentIndex(win.tree_model.index_of(tree_cat["file"]))
    win.set_mode("grid")
    win.show()
    qtbot.waitExposed(win)
    index = win.grid.model().index(win.table_model.row_of(tree_cat["l1"]), win.grid.modelColumn())
    qtbot.waitUntil(lambda: not win.grid.visualRect(index).isEmpty())  # laid out
    rect = win.grid.visualRect(index)
    assert send_drop(win, win.grid.viewport(), rect.center(), url_mime(src / "p1.jpg"))
    qtbot.waitUntil(lambda: win.scans.dialog is not None, timeout=5_000)
    finish(qtbot, win.scans.dialog)
    assert asked_calls == [] and names(cat, tree_cat["l1"]) == ["p1.jpg"]


def test_drag_over_a_record_names_it_in_the_status_bar(win, tree_cat, src):
    from PySide6.QtGui import QDragMoveEvent
    win.tree.setCurrentIndex(win.tree_model.index_of(tree_cat["file"]))
    row = win.table_model.row_of(tree_cat["l2"])
    rect = win.table.visualRect(win.table_model.index(row, 1))
    mime = url_mime(src)
    event = QDragMoveEvent(rect.center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                           Qt.KeyboardModifier.NoModifier)
    assert win.scans.eventFilter(win.table.viewport(), event) is True
    assert event.isAccepted()
    assert "نامه به والی" in win.statusBar().currentMessage()


def test_drop_files_on_a_unit_in_the_tree(qtbot, win, cat, tree_cat, src, asked_calls):
    asked_calls.answer = ITEMS
    index = win.tree_model.index_of(tree_cat["s2"])
    win.tree.scrollTo(index)
    rect = win.tree.visualRect(index)
    assert send_drop(win, win.tree.viewport(), rect.center(), url_mime(src / "p1.jpg", src / "p2.jpg"))
    qtbot.waitUntil(lambda: win.scans.dialog is not None, timeout=5_000)
    finish(qtbot, win.scans.dialog)
    assert asked_calls == [(tree_cat["s2"], 2)]
    assert [records.get_record(cat, r).title for r in hierarchy.child_ids(cat, tree_cat["s2"])] == ["p1", "p2"]


def test_drop_on_the_scans_view_adds_pages_and_shows_them(qtbot, win, cat, tree_cat, src, asked_calls):
    win.select_record(tree_cat["l1"])
    win.set_mode("scans")
    assert win.viewer.record_id == tree_cat["l1"] and win.viewer.page_count == 0
    win.scans.drop(url_mime(src / "p1.jpg"), win.scans.drop_target("viewer", None))
    finish(qtbot, win.scans.dialog)
    assert asked_calls == []
    assert win.viewer.page_count == 1 and names(cat, tree_cat["l1"]) == ["p1.jpg"]


def test_drop_handling_leaves_record_drags_and_other_urls_alone(win, tree_cat):
    mime = QMimeData()
    mime.setText("just text")
    move = QDropEvent(QPointF(5, 5), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    assert win.scans.eventFilter(win.tree.viewport(), move) is False
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/a.jpg")])
    assert scans.paths_from_mime(web) == []
    assert win.scans.drop(web, tree_cat["l1"]) is None


def test_drag_enter_is_refused_where_there_is_no_record(win, tree_cat, src):
    from PySide6.QtGui import QDragEnterEvent
    below = win.tree.viewport().rect().bottomLeft() - win.tree.viewport().rect().topLeft()
    mime = url_mime(src)  # the event does not own its data
    event = QDragEnterEvent(below, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert event.type() == QEvent.Type.DragEnter
    assert win.scans.eventFilter(win.tree.viewport(), event) is True
    assert not event.isAccepted()


# verify --------------------------------------------------------------------------------
def test_tools_verify_files_names_a_missing_scan(qtbot, win, cat, tree_cat, src):
    win.scans.add([src / "p1.jpg"], tree_cat["l1"])
    finish(qtbot, win.scans.dialog)
    [page] = pages_of(cat, tree_cat["l1"])
    assert win.actions.verify in win.actions.tools_menu.actions()
    win.actions.verify.trigger()
    dialog = win.scans.dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert dialog.report.problems == []
    dialog.close()
    filestore.path_for(cat.path, page["sha256"], page["ext"]).unlink()
    win.actions.verify.trigger()
    dialog = win.scans.dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert "p1.jpg" in dialog.problems.toPlainText()
    dialog.close()
