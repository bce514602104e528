"""The lazy record table model: ids only, pages fetched on demand, sorting, RTL alignment."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from archivist.core.changes import Changes
from archivist.gui.models.record_table import RecordTableModel, decode_ids
from archivist.store import records, trash

KEYS = ["reference_code", "title", "type", "date", "level", "language", "pages", "status"]


def test_model_passes_qt_checks_and_shows_rows(qtmodeltester, cat, tree_cat):
    model = RecordTableModel(cat, KEYS)
    model.set_scope(tree_cat["file"])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == len(KEYS)
    row = [model.data(model.index(0, c)) for c in range(len(KEYS))]
    assert row == ["KP-1-1-1", "Letter to the mayor", "Letter", "circa 1993", "Item", "Armenian",
                   "", "draft"]
    assert model.data(model.index(1, 5)) == "Dari"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Title"


def test_arabic_script_cells_align_right(qapp, cat, tree_cat):
    model = RecordTableModel(cat, ["title"])
    model.set_scope(tree_cat["file"])
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    assert model.data(model.index(1, 0), Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) == left


def test_rows_are_fetched_lazily_in_pages(qapp, cat):
    parent = records.create_record(cat, title="Box", level="file")
    with cat.atomic():
        for i in range(300):
            records.create_record(cat, title=f"Sheet {i:03}", level="item", parent_id=parent)
    model = RecordTableModel(cat, ["title"])
    model.set_scope(parent)
    assert model.rowCount() == 300 and model.fetches == 0
    assert model.data(model.index(250, 0)) == "Sheet 250"
    assert model.fetches == 1
    assert model.data(model.index(260, 0)) == "Sheet 260"
    assert model.fetches == 1 and len(model._rows) < 300


def test_sort_by_title_descending_and_everything(qapp, cat, tree_cat):
    model = RecordTableModel(cat, ["title", "date"])
    model.set_scope(tree_cat["file"])
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.ids() == [tree_cat["l2"], tree_cat["l1"]]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.ids() == [tree_cat["l1"], tree_cat["l2"]]
    model.set_scope(everything=True)
    assert model.rowCount() == 6
    model.set_scope(everything=True, text="mayor")
    assert model.ids() == [tree_cat["l1"]]


def test_changes_refresh_edited_row_and_structure(qtbot, cat, tree_cat):
    model = RecordTableModel(cat, ["title"])
    model.set_scope(tree_cat["file"])
    assert model.data(model.index(0, 0)) == "Letter to the mayor"
    records.update_record(cat, tree_cat["l1"], {"title": "Letter to the governor"})
    with qtbot.waitSignal(model.dataChanged):
        model.on_changes(Changes(records={tree_cat["l1"]}))
    assert model.data(model.index(0, 0)) == "Letter to the governor"
    trash.trash_records(cat, [tree_cat["l1"]])
    model.on_changes(Changes(structure=True))
    assert model.ids() == [tree_cat["l2"]]


def test_drag_data_carries_record_ids(qapp, cat, tree_cat):
    model = RecordTableModel(cat, ["title", "date"])
    model.set_scope(tree_cat["file"])
    mime = model.mimeData([model.index(1, 0), model.index(1, 1), model.index(0, 0)])
    assert decode_ids(mime) == [tree_cat["l2"], tree_cat["l1"]]
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_large_scopes_fetch_ids_in_chunks(qtmodeltester, monkeypatch, cat):
    from archivist.gui.models import record_table
    monkeypatch.setattr(record_table, "FULL_LIST_LIMIT", 50)
    monkeypatch.setattr(record_table, "CHUNK", 32)
    parent = records.create_record(cat, title="Box", level="file")
    with cat.atomic():
        ids = [records.create_record(cat, title=f"Sheet {i:03}", level="item", parent_id=parent)
               for i in range(150)]
    model = RecordTableModel(cat, ["title"])
    model.set_scope(parent)
    assert model.chunked and model.rowCount() == 150 and model._chunks == {}
    assert model.data(model.index(140, 0)) == "Sheet 140"
    assert 4 in model._chunks and 0 not in model._chunks
    assert model.record_id(0) == ids[0] and model.row_of(ids[140]) == 140
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Sheet 149" and model.record_id(149) == ids[0]
    assert model.ids() == list(reversed(ids))
    qtmodeltester.check(model)


def test_large_scope_reads_full_list_in_background(qtbot, monkeypatch, cat):
    from archivist.gui.models import record_table
    from archivist.gui.tasks import SyncTaskRunner
    monkeypatch.setattr(record_table, "FULL_LIST_LIMIT", 5)
    parent = records.create_record(cat, title="Box", level="file")
    ids = [records.create_record(cat, title=f"Sheet {i}", level="item", parent_id=parent)
           for i in range(12)]
    model = RecordTableModel(cat, ["title"], runner=SyncTaskRunner(cat.path))
    model.set_scope(parent)
    assert not model.chunked and model._ids == ids  # delivered by the (synchronous) runner


def test_restricted_rows_carry_a_padlock(qapp, cat, tree_cat):
    model = RecordTableModel(cat, ["reference_code", "title"])
    model.set_scope(tree_cat["file"])
    first = model._id_at(0)
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    records.update_record(cat, first, {"access_status": "restricted", "access_reason": "personal data"})
    model.on_changes(Changes(records={first}))
    icon = model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()
    assert "public" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DecorationRole) is None
