"""The lazy hierarchy tree: units only, children fetched on expand, drops ask for moves."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from archivist.gui.models.record_table import encode_ids
from archivist.gui.models.unit_tree import UnitTreeModel
from PySide6.QtCore import Qt


def _titles(model, parent=QModelIndex()):
    return [model.data(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def test_tree_passes_qt_checks(qtmodeltester, cat, tree_cat):
    model = UnitTreeModel(cat)
    qtmodeltester.check(model)
    fonds = model.index(0, 0)
    model.fetchMore(fonds)
    qtmodeltester.check(model)


def test_children_load_on_fetch_and_items_are_left_out(qapp, cat, tree_cat):
    model = UnitTreeModel(cat)
    assert _titles(model) == ["Karabakh papers"]
    fonds = model.index(0, 0)
    assert model.hasChildren(fonds) and model.rowCount(fonds) == 0 and model.canFetchMore(fonds)
    model.fetchMore(fonds)
    assert _titles(model, fonds) == ["Correspondence", "Reports"]
    series = model.index(0, 0, fonds)
    model.fetchMore(series)
    file_index = model.index(0, 0, series)
    assert model.data(file_index) == "Letters 1993"
    assert not model.hasChildren(file_index)  # the letters are items: table only
    assert model.parent(file_index) == series


def test_index_of_loads_the_path(qapp, cat, tree_cat):
    model = UnitTreeModel(cat)
    index = model.index_of(tree_cat["file"])
    assert index.isValid() and model.data(index, model.RecordIdRole) == tree_cat["file"]
    assert not model.index_of(tree_cat["l1"]).isValid()


def test_drop_asks_for_a_move(qtbot, cat, tree_cat):
    model = UnitTreeModel(cat)
    fonds = model.index(0, 0)
    model.fetchMore(fonds)
    s2 = model.index(1, 0, fonds)
    with qtbot.waitSignal(model.move_requested) as blocker:
        model.dropMimeData(encode_ids([tree_cat["file"]]), Qt.DropAction.MoveAction, -1, -1, s2)
    assert blocker.args == [[tree_cat["file"]], tree_cat["s2"], None]
    with qtbot.waitSignal(model.move_requested) as blocker:
        model.dropMimeData(encode_ids([tree_cat["s2"]]), Qt.DropAction.MoveAction, 0, 0, fonds)
    assert blocker.args == [[tree_cat["s2"]], tree_cat["fonds"], 0]
