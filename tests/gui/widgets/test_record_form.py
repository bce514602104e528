"""The record form: built from the template, edits go through the undo stack, essentials shown."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox

from archivist.core.templates import AREA_LABELS
from archivist.gui.widgets.record_form import RecordForm
from archivist.store import links, records, trash


def make_form(qtbot, cat, stack, record_id):
    seen = []
    form = RecordForm(cat, stack, seen.append)
    qtbot.addWidget(form)
    form.set_record(record_id)
    return form, seen


def test_form_groups_fields_by_isad_area(qtbot, cat, tree_cat, stack):
    form, _ = make_form(qtbot, cat, stack, tree_cat["l1"])
    titles = [box.title() for box in form.widget().findChildren(QGroupBox)]
    assert titles[:4] == [AREA_LABELS[a] for a in ("identity", "context", "content", "access")]
    assert {"sender", "recipient", "place_of_creation", "creator"} <= set(form.authority_editors)
    assert form.editors["title"].edit.text() == "Letter to the mayor"
    assert form.editors["dates"].value() == ["1993~"]
    assert form.editors["languages"].editors()[0].edit.text() == "Armenian (hye)"


def test_edit_is_saved_at_once_and_undoable(qtbot, cat, tree_cat, stack):
    form, errors_seen = make_form(qtbot, cat, stack, tree_cat["l1"])
    assert form.set_value("extent_medium", "1 leaf")
    assert records.get_record(cat, tree_cat["l1"]).fields["extent_medium"] == "1 leaf"
    stack.undo()
    assert "extent_medium" not in records.get_record(cat, tree_cat["l1"]).fields
    form.refresh()
    assert form.editors["extent_medium"].edit.text() == ""
    assert errors_seen == []


def test_missing_essentials_follow_the_level(qtbot, cat, tree_cat, stack):
    form, _ = make_form(qtbot, cat, stack, tree_cat["fonds"])
    text = form.missing.text()
    assert text.startswith("Missing for a fonds")
    assert "Creator" in text and "Scope and content" in text and "Date(s)" in text
    links.link(cat, tree_cat["fonds"], tree_cat["person"], "creator")
    form.refresh()
    assert "Creator" not in form.missing.text()


def test_changing_type_rebuilds_the_form(qtbot, cat, tree_cat, stack):
    form, _ = make_form(qtbot, cat, stack, tree_cat["l1"])
    assert form.template.field("sender") is not None
    before = form.widget()
    form.set_value("type", "report")
    form.refresh()
    assert form.widget() is not before and form.template.type == "report"
    assert form.template.field("sender") is None  # now only among the access points
    assert "sender" in form.authority_editors


def test_refused_edit_is_reported_and_form_keeps_stored_value(qtbot, cat, tree_cat, stack):
    form, errors_seen = make_form(qtbot, cat, stack, tree_cat["l1"])
    assert not form.set_value("languages", ["zz-not-a-lang!"])
    assert errors_seen and stack.count() == 0
    assert form.editors["languages"].editors()[0].edit.text() == "Armenian (hye)"


def test_relations_editor_relates_and_removes(qtbot, cat, tree_cat, stack):
    form, _ = make_form(qtbot, cat, stack, tree_cat["l2"])
    rel = form.relations
    rel.type_combo.setCurrentIndex(rel.type_combo.findData("responds_to"))
    rel.lookup.refresh("mayor")
    [label] = list(rel.lookup.choices)
    rel.lookup.completer_.activated.emit(label)
    assert [(r.type, r.other_id) for r in links.relations_of(cat, tree_cat["l2"])] == [
        ("responds_to", tree_cat["l1"])]
    rel.unrelate_requested.emit(tree_cat["l1"], "responds_to")
    assert links.relations_of(cat, tree_cat["l2"]) == []
    stack.undo()
    assert len(links.relations_of(cat, tree_cat["l2"])) == 1


def test_empty_form(qtbot, cat, stack):
    form, _ = make_form(qtbot, cat, stack, None)
    assert "Select a record" in form.widget().text()


def test_trashed_record_leaves_the_form(qtbot, cat, tree_cat, stack):
    from archivist.core.changes import Changes
    form, _ = make_form(qtbot, cat, stack, tree_cat["l1"])
    trash.trash_records(cat, [tree_cat["file"]])
    form.on_changes(Changes(structure=True))
    assert form.record_id is None and "Select a record" in form.widget().text()


def test_authority_completion_crosses_scripts(qtbot, cat, tree_cat, stack):
    from archivist.store import authorities
    only_arabic = authorities.create_authority(cat, kind="person", name="کریمی، محمود")
    only_cyrillic = authorities.create_authority(cat, kind="person", name="Карими, Рустам")
    form, _ = make_form(qtbot, cat, stack, tree_cat["l1"])
    sender = form.authority_editors["sender"]
    sender.lookup.refresh("Karimi")
    ids = list(sender.lookup.choices.values())
    assert ids[0] == tree_cat["person"]  # the direct match first
    assert {only_arabic, only_cyrillic} <= set(ids)
    place = form.authority_editors["place_of_creation"]
    place.lookup.refresh("Mazari")  # a place field only offers places
    assert list(place.lookup.choices.values()) == [tree_cat["place"]]


def test_restriction_needs_a_reason_then_takes_an_end_date(qtbot, cat, tree_cat, stack):
    form, errors_seen = make_form(qtbot, cat, stack, tree_cat["l2"])
    assert not form.set_value("access_status", "restricted")  # no reason yet: refused
    assert "reason" in str(errors_seen[-1])
    assert form.set_value("access_reason", "personal data")
    assert form.set_value("access_status", "restricted")
    assert form.set_value("access_until", "2040")
    rec = records.get_record(cat, tree_cat["l2"])
    assert (rec.access_status, rec.access_reason, rec.access_until) == ("restricted", "personal data", "2040")
    form.refresh()  # the window does this on the catalogue's change signal
    assert form.editors["access_until"].reading.text() == "2040"


def test_every_link_role_has_an_editor(qtbot, cat, tree_cat, stack):
    from archivist.core.model import LINK_ROLES
    links.link(cat, tree_cat["l1"], tree_cat["place"], "place_mentioned")
    form, _ = make_form(qtbot, cat, stack, tree_cat["l1"])
    assert set(form.authority_editors) == set(LINK_ROLES)
    assert form.authority_editors["place_mentioned"].linked == [(tree_cat["place"], "Mazar-i-Sharif")]
    form.authority_editors["mentioned"].link_requested.emit(tree_cat["person"])
    assert ("mentioned", tree_cat["person"]) in {(lk.role, lk.authority_id)
                                                for lk in links.links_of(cat, tree_cat["l1"])}
