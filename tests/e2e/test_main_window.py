"""Drive the whole main window: create, describe, undo/redo, move, trash and restore a letter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from archivist.gui import errors
from archivist.gui.app import ArchivistApp, setup_application
from archivist.gui.models.record_table import encode_ids
from archivist.gui.settings import Settings
from archivist.gui.tasks import SyncTaskRunner
from archivist.store import authorities, hierarchy, links, records, trash


@pytest.fixture
def app(qapp, tmp_path):
    setup_application()
    errors.set_dialogs_enabled(False)
    errors.reported.clear()
    archivist = ArchivistApp(Settings(), runner_class=SyncTaskRunner)
    archivist.open(tmp_path / "e2e.archivist", create=True)
    yield archivist
    archivist.close_current()


def type_into(qtbot, line_edit, text):
    line_edit.clear()
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def test_describe_a_letter_end_to_end(qtbot, app):
    win, cat = app.window, app.cat
    # a series at the top, renamed in the form
    win.actions.new_series_top.trigger()
    series = win.form.record_id
    type_into(qtbot, win.form.editors["title"].edit, "Correspondence")
    assert records.get_record(cat, series).title == "Correspondence"
    assert win.tree_model.data(win.tree_model.index(0, 0)) == "Correspondence"
    # a letter inside it
    win.tree.setCurrentIndex(win.tree_model.index_of(series))
    assert win.current_unit == series
    win.actions.new_item["letter"].trigger()
    letter = win.form.record_id
    rec = records.get_record(cat, letter)
    assert (rec.parent_id, rec.level, rec.type) == (series, "item", "letter")
    assert win.table_model.ids() == [letter]
    form = win.form
    type_into(qtbot, form.editors["title"].edit, "Letter to the governor of Balkh")
    date = form.editors["dates"].editors()[0]
    qtbot.keyClicks(date.edit, "1994-05")
    assert date.reading.text() == "May 1994"
    qtbot.keyClick(date.edit, Qt.Key.Key_Return)
    language = form.editors["languages"].editors()[0]
    type_into(qtbot, language.edit, "prs")
    assert language.edit.text() == "Dari (prs)"
    sender = form.authority_editors["sender"]
    sender.lookup.setText("Karimi, Ahmad")
    [new_person] = [a for a in sender.new_button.menu().actions() if a.text() == "New person"]
    new_person.trigger()
    rec = records.get_record(cat, letter)
    assert rec.title == "Letter to the governor of Balkh"
    assert [d.expression for d in rec.dates] == ["1994-05"]
    assert rec.fields["languages"] == ["prs"]
    [link] = links.links_of(cat, letter)
    assert (link.authority_name, link.authority_kind, link.role) == ("Karimi, Ahmad", "person", "sender")
    assert [label for _, label in sender.linked] == ["Karimi, Ahmad"]
    assert win.table_model.data(win.table_model.index(0, 3)) == "May 1994"
    # undo the sender, then the language; redo both
    win.actions.undo.trigger()
    assert links.links_of(cat, letter) == [] and sender.linked == []
    win.actions.undo.trigger()
    assert "languages" not in records.get_record(cat, letter).fields
    assert win.form.editors["languages"].editors()[0].edit.text() == ""
    win.actions.redo.trigger()
    win.actions.redo.trigger()
    assert records.get_record(cat, letter).fields["languages"] == ["prs"]
    assert [lk.role for lk in links.links_of(cat, letter)] == ["sender"]
    # move the letter into a second series by dropping it on the tree
    win.actions.new_series_top.trigger()
    second = win.form.record_id
    target = win.tree_model.index_of(second)
    win.tree_model.dropMimeData(encode_ids([letter]), Qt.DropAction.MoveAction, -1, -1, target)
    assert records.get_record(cat, letter).parent_id == second
    win.actions.undo.trigger()
    assert records.get_record(cat, letter).parent_id == series
    win.actions.redo.trigger()
    # trash it with Delete, restore it from the trash panel
    win.select_record(letter)
    assert win.table.selected_ids() == [letter]
    win.actions.trash.trigger()
    assert hierarchy.child_ids(cat, second) == []
    assert win.trash.model.rowCount() == 1
    win.trash.view.selectRow(0)
    qtbot.mouseClick(win.trash.restore_button, Qt.MouseButton.LeftButton)
    assert hierarchy.child_ids(cat, second) == [letter]
    assert win.trash.model.rowCount() == 0
    assert "1 in this unit" in win.status.text() or win.current_unit != second
    assert errors.reported == []


def test_link_existing_person_found_by_arabic_variant(qtbot, app):
    win, cat = app.window, app.cat
    aid = authorities.create_authority(cat, kind="person", name="Karimi, Ahmad",
                                       variants=[{"name": "احمد کریمی", "script": "Arab"}])
    win.actions.new_fonds.trigger()
    win.tree.setCurrentIndex(win.tree_model.index_of(win.form.record_id))
    win.actions.new_item["letter"].trigger()
    letter = win.form.record_id
    recipient = win.form.authority_editors["recipient"]
    recipient.lookup.setText("کریمی")
    recipient.lookup.refresh("کریمی")
    [label] = list(recipient.lookup.choices)
    assert label.startswith("Karimi, Ahmad")
    recipient.lookup.completer_.activated.emit(label)
    assert [(lk.authority_id, lk.role) for lk in links.links_of(cat, letter)] == [(aid, "recipient")]
    # the authorities dock lists the letter under the person
    win.authorities.view.selectRow(0)
    assert win.authorities.linked.rowCount() == 1


def test_errors_are_reported_not_crashed(qtbot, app):
    win, cat = app.window, app.cat
    win.actions.new_fonds.trigger()
    fonds = win.form.record_id
    win.tree.setCurrentIndex(win.tree_model.index_of(fonds))
    win.actions.new_series_top.trigger()
    series = win.form.record_id
    # a fonds cannot go inside a series
    win.move_records([fonds], series, None)
    assert records.get_record(cat, fonds).parent_id is None
    assert "cannot contain" in str(errors.reported[-1])
    # a bad date is refused, the stack is untouched and the form shows the stored value again
    win.select_record(series)
    depth = app.stack.count()
    assert not win.form.set_value("dates", ["1993-13-45"])
    assert records.get_record(cat, series).dates == [] and app.stack.count() == depth
    assert type(errors.reported[-1]).__name__ == "InvalidDate"
    assert win.form.editors["dates"].editors()[0].edit.text() == ""


def test_layout_and_recent_catalogues_are_remembered(qtbot, qapp, tmp_path):
    setup_application()
    first = ArchivistApp(Settings(), runner_class=SyncTaskRunner)
    win = first.open(tmp_path / "one.archivist", create=True)
    win.history_dock.raise_()
    win.resize(1100, 700)
    win.table.toggle_column("modified", True)
    second = first.open(tmp_path / "two.archivist", create=True)
    assert not second.trash_dock.isHidden()
    second.trash_dock.close()
    first.close_current()
    settings = Settings()
    assert settings.last_catalogue() == (tmp_path / "two.archivist").resolve()
    assert settings.recent()[:2] == [(tmp_path / "two.archivist").resolve(),
                                     (tmp_path / "one.archivist").resolve()]
    assert "modified" in settings.columns()
    again = ArchivistApp(Settings(), runner_class=SyncTaskRunner)
    win = again.open_start(None)
    assert again.cat.path.resolve() == (tmp_path / "two.archivist").resolve()
    assert "modified" in win.table_model.column_keys()
    assert win.trash_dock.isHidden() and not win.history_dock.isHidden()
    assert [a.text() for a in win.actions.recent_menu.actions()] == [str((tmp_path / "one.archivist").resolve())]
    again.close_current()


def test_search_dock_finds_and_opens_a_record(qtbot, app):
    win, cat = app.window, app.cat
    win.actions.new_fonds.trigger()
    fonds = win.form.record_id
    win.form.set_value("title", "Papers of the Karabakh committee")
    win.actions.find.trigger()
    assert win.search_dock.isVisible()
    win.search_panel.set_query("committee")
    assert win.search_panel.model.rowCount() == 1
    win.show_unit(None)
    win.search_panel.record_activated.emit(fonds)
    assert win.form.record_id == fonds


def test_file_menu_order(app):
    texts = [a.text() for a in app.window.actions.file_menu.actions() if a.text()]
    assert texts[:3] == ["&New catalogue…", "&Open catalogue…", "Open &Recent"]
    assert texts[-1] == "&Quit"


def test_bulk_edit_duplicate_and_revert_from_history(qtbot, app):
    from PySide6.QtCore import QItemSelectionModel
    win, cat, stack = app.window, app.cat, app.stack
    win.actions.new_fonds.trigger()
    fonds = win.form.record_id
    win.tree.setCurrentIndex(win.tree_model.index_of(fonds))
    win.actions.new.trigger()  # Ctrl+N inside the fonds: a series
    series = win.form.record_id
    assert records.get_record(cat, series).level == "series"
    win.tree.setCurrentIndex(win.tree_model.index_of(series))
    a = win.new_record("item", "letter")
    b = win.new_record("item", "report")
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    win.table.clearSelection()
    for rid in (a, b):
        win.table.selectionModel().select(win.table_model.index(win.table_model.row_of(rid), 0), flags)
    depth = stack.count()
    win.set_on_selected("description_status", "final")
    assert stack.count() == depth + 1
    assert {records.get_record(cat, r).description_status for r in (a, b)} == {"final"}
    win.actions.undo.trigger()
    assert {records.get_record(cat, r).description_status for r in (a, b)} == {"draft"}
    # duplicate the letter
    win.table.clearSelection()
    win.table.selectRow(win.table_model.row_of(a))
    win.actions.duplicate.trigger()
    assert len(hierarchy.child_ids(cat, series)) == 3
    # revert a title edit from the history dock
    win.select_record(a)
    win.form.set_value("title", "A letter, renamed")
    assert win.history.model.data(win.history.model.index(0, 2)).startswith("title:")
    win.history.view.selectRow(0)
    qtbot.mouseClick(win.history.revert_button, Qt.MouseButton.LeftButton)
    assert records.get_record(cat, a).title == "New letter"


def test_reorder_units_by_dropping_between_rows(app):
    win, cat = app.window, app.cat
    win.actions.new_fonds.trigger()
    fonds = win.form.record_id
    win.tree.setCurrentIndex(win.tree_model.index_of(fonds))
    first, second, third = (win.new_record("series") for _ in range(3))
    parent = win.tree_model.index_of(fonds)
    drop = win.tree_model.dropMimeData
    drop(encode_ids([third]), Qt.DropAction.MoveAction, 0, 0, parent)  # before the first row
    assert hierarchy.child_ids(cat, fonds) == [third, first, second]
    drop(encode_ids([third]), Qt.DropAction.MoveAction, 2, 0, parent)  # between first and second
    assert hierarchy.child_ids(cat, fonds) == [first, third, second]
    parent = win.tree_model.index_of(fonds)
    win.tree_model.fetchMore(parent)  # what the view does when the fonds is expanded
    shown = [win.tree_model.data(win.tree_model.index(r, 0, parent), win.tree_model.RecordIdRole)
             for r in range(3)]
    assert shown == [first, third, second]  # the tree follows
    win.tree.expand(parent)
    app.stack.undo()
    assert hierarchy.child_ids(cat, fonds) == [third, first, second]
    assert win.tree.isExpanded(win.tree_model.index_of(fonds))  # kept across the reload
    assert win.current_unit == fonds


def test_purge_from_trash_asks_and_clears_undo(app, monkeypatch):
    from archivist.gui import dialogs
    win, cat = app.window, app.cat
    win.actions.new_fonds.trigger()
    fonds = win.form.record_id
    win.select_record(fonds)
    win.table.selectRow(win.table_model.row_of(fonds))
    win.actions.trash.trigger()
    win.trash.view.selectRow(0)
    answers = [False, True]
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: answers.pop(0))
    win.trash.purge_button.click()  # the user says Cancel
    assert trash.list_trash(cat)[0][0] == fonds and app.stack.count() > 0
    win.trash.purge_button.click()
    assert trash.list_trash(cat) == [] and app.stack.count() == 0
    assert win.trash.model.rowCount() == 0


def test_all_records_view(app):
    win, cat = app.window, app.cat
    win.actions.new_fonds.trigger()
    fonds = win.form.record_id
    win.tree.setCurrentIndex(win.tree_model.index_of(fonds))
    letter = win.new_record("item", "letter")
    win.show_unit(None)
    assert win.table_model.ids() == [fonds]
    win.actions.show_all.trigger()
    assert win.table_model.ids() == [fonds, letter] and win.current_unit is None
    assert "2 listed" in win.status.text()
