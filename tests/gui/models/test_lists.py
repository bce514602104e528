"""Trash, authority, linked-record and history models."""

from __future__ import annotations

from PySide6.QtCore import Qt

from archivist.gui.models.lists import (AuthorityTableModel, HistoryTableModel, LinkedRecordsModel,
                                        TrashTableModel)
from archivist.store import links, records, trash


def test_trash_model(qtmodeltester, cat, tree_cat):
    model = TrashTableModel(cat)
    model.reload()
    assert model.rowCount() == 0
    trash.trash_records(cat, [tree_cat["file"]])
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 1  # the letters went with their file
    assert model.data(model.index(0, 0)) == "Letters 1993"
    assert model.row_id(0) == tree_cat["file"]


def test_authority_model_filters_by_kind_and_any_script(qtmodeltester, cat, tree_cat):
    model = AuthorityTableModel(cat)
    model.reload()
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["Karimi, Ahmad", "Mazar-i-Sharif"]
    model.set_filter("place")
    assert model.rowCount() == 1
    model.set_filter(None, "کریمی")
    assert model.data(model.index(0, 0)) == "Karimi, Ahmad"
    assert model.data(model.index(0, 2)) == "احمد کریمی"
    assert model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_linked_records_and_history(qtmodeltester, cat, tree_cat):
    links.link(cat, tree_cat["l1"], tree_cat["person"], "sender")
    links.link(cat, tree_cat["l2"], tree_cat["person"], "mentioned")
    linked = LinkedRecordsModel(cat)
    linked.set_authority(tree_cat["person"])
    qtmodeltester.check(linked)
    assert sorted(linked.data(linked.index(r, 2)) for r in range(2)) == ["Mentioned", "Sender"]
    records.update_record(cat, tree_cat["l1"], {"title": "Letter to the governor"})
    history = HistoryTableModel(cat)
    history.set_record(tree_cat["l1"])
    qtmodeltester.check(history)
    assert "title: 'Letter to the mayor' → 'Letter to the governor'" == history.data(history.index(0, 2))
    assert history.data(history.index(0, 1)) == "tester"
    assert history.data(history.index(1, 2)) == "Linked sender: Karimi, Ahmad"
    assert history.data(history.index(history.rowCount() - 1, 2)) == "Created"
