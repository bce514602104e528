"""Undo commands over store functions: each redo/undo pair restores the catalogue exactly."""

from __future__ import annotations

import pytest

from archivist.core.errors import InvalidDate, InvalidHierarchy
from archivist.gui import undo
from archivist.store import authorities, hierarchy, links, records, trash


def test_set_values_undo_redo_restores_field_and_dates(cat, tree_cat, stack):
    rid = tree_cat["l1"]
    undo.push(stack, undo.SetValuesCommand(cat, rid, {"title": "Letter to the governor",
                                                      "dates": ["1993-04-02"],
                                                      "extent_medium": "2 leaves"}))
    rec = records.get_record(cat, rid)
    assert (rec.title, rec.dates[0].expression, rec.fields["extent_medium"]) == (
        "Letter to the governor", "1993-04-02", "2 leaves")
    stack.undo()
    rec = records.get_record(cat, rid)
    assert (rec.title, rec.dates[0].expression) == ("Letter to the mayor", "1993~")
    assert "extent_medium" not in rec.fields
    stack.redo()
    assert records.get_record(cat, rid).fields["extent_medium"] == "2 leaves"


def test_push_with_bad_value_raises_and_leaves_stack_empty(cat, tree_cat, stack):
    with pytest.raises(InvalidDate):
        undo.push(stack, undo.SetValuesCommand(cat, tree_cat["l1"], {"dates": ["1993-13-45"]}))
    assert stack.count() == 0
    assert records.get_record(cat, tree_cat["l1"]).dates[0].expression == "1993~"


def test_create_undo_trashes_and_redo_restores_same_id(cat, tree_cat, stack):
    cmd = undo.push(stack, undo.CreateRecordCommand(cat, title="New", level="item",
                                                    parent_id=tree_cat["file"], type="letter"))
    rid = cmd.record_id
    assert rid in hierarchy.child_ids(cat, tree_cat["file"])
    stack.undo()
    assert rid not in hierarchy.child_ids(cat, tree_cat["file"])
    stack.redo()
    assert hierarchy.child_ids(cat, tree_cat["file"])[-1] == rid


def test_duplicate_copies_fields_dates_links(cat, tree_cat, stack):
    links.link(cat, tree_cat["l1"], tree_cat["person"], "sender")
    cmd = undo.push(stack, undo.DuplicateRecordCommand(cat, tree_cat["l1"]))
    copy = records.get_record(cat, cmd.record_id)
    assert copy.title == "Letter to the mayor (copy)"
    assert copy.fields == {"languages": ["hye"]} and copy.dates[0].expression == "1993~"
    assert [lk.authority_id for lk in links.links_of(cat, copy.id)] == [tree_cat["person"]]
    assert hierarchy.child_ids(cat, tree_cat["file"]).index(copy.id) == 1
    stack.undo()
    assert copy.id not in hierarchy.child_ids(cat, tree_cat["file"])


def test_move_and_reorder_undo(cat, tree_cat, stack):
    undo.push(stack, undo.MoveRecordCommand(cat, tree_cat["l2"], tree_cat["file"], 0))
    assert hierarchy.child_ids(cat, tree_cat["file"]) == [tree_cat["l2"], tree_cat["l1"]]
    undo.push(stack, undo.MoveRecordCommand(cat, tree_cat["file"], tree_cat["s2"], None))
    assert records.get_record(cat, tree_cat["file"]).reference_code == "KP-2-1"
    stack.undo()
    assert records.get_record(cat, tree_cat["file"]).parent_id == tree_cat["s1"]
    stack.undo()
    assert hierarchy.child_ids(cat, tree_cat["file"]) == [tree_cat["l1"], tree_cat["l2"]]


def test_impossible_move_is_refused(cat, tree_cat, stack):
    with pytest.raises(InvalidHierarchy):
        undo.push(stack, undo.MoveRecordCommand(cat, tree_cat["s1"], tree_cat["file"], None))
    assert stack.count() == 0


def test_trash_and_restore(cat, tree_cat, stack):
    undo.push(stack, undo.TrashCommand(cat, [tree_cat["file"]]))
    assert hierarchy.child_ids(cat, tree_cat["s1"]) == []
    stack.undo()
    assert hierarchy.child_ids(cat, tree_cat["file"]) == [tree_cat["l1"], tree_cat["l2"]]
    stack.redo()
    undo.push(stack, undo.TrashCommand(cat, [tree_cat["file"]], restore=True))
    assert hierarchy.child_ids(cat, tree_cat["s1"]) == [tree_cat["file"]]


def test_link_unlink_relate(cat, tree_cat, stack):
    undo.push(stack, undo.LinkCommand(cat, tree_cat["l1"], tree_cat["person"], "sender"))
    undo.push(stack, undo.RelateCommand(cat, tree_cat["l2"], tree_cat["l1"], "responds_to"))
    assert [r.type for r in links.relations_of(cat, tree_cat["l1"])] == ["response"]
    undo.push(stack, undo.UnrelateCommand(cat, tree_cat["l1"], tree_cat["l2"], "response"))
    assert links.relations_of(cat, tree_cat["l1"]) == []
    stack.undo()
    assert [r.type for r in links.relations_of(cat, tree_cat["l2"])] == ["responds_to"]
    stack.undo()
    assert links.relations_of(cat, tree_cat["l1"]) == []
    stack.undo()
    assert links.links_of(cat, tree_cat["l1"]) == []


def test_bulk_set_is_one_step(cat, tree_cat, stack):
    ids = [tree_cat["l1"], tree_cat["l2"]]
    undo.push(stack, undo.bulk_set(cat, ids, "description_status", "final"))
    assert stack.count() == 1
    assert {records.get_record(cat, i).description_status for i in ids} == {"final"}
    stack.undo()
    assert {records.get_record(cat, i).description_status for i in ids} == {"draft"}


def test_create_and_link_new_authority(cat, tree_cat, stack):
    undo.push(stack, undo.create_and_link(cat, tree_cat["l1"], "recipient", kind="person",
                                          name="Governor of Balkh"))
    [lk] = links.links_of(cat, tree_cat["l1"])
    assert (lk.authority_name, lk.role) == ("Governor of Balkh", "recipient")
    stack.undo()
    assert links.links_of(cat, tree_cat["l1"]) == []
    assert authorities.find_authorities(cat, "Governor") == []


def test_failing_undo_reports_error(cat, tree_cat, stack):
    seen = []
    undo.push(stack, undo.TrashCommand(cat, [tree_cat["l1"]]), on_error=seen.append)
    trash.trash_records(cat, [tree_cat["file"]])  # the parent goes too, outside the stack
    stack.undo()
    assert isinstance(seen[0], InvalidHierarchy)
