"""The search widgets: box, facets, timeline, saved searches, results and the whole panel."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from archivist.gui.hub import CatalogueHub
from archivist.gui.search import (FacetPanel, SavedSearchList, SearchBox, SearchPanel,
                                  SearchResultsModel, TimelineWidget)
from archivist.gui.search.results import COL_TITLE, RecordIdRole
from archivist.store import links, records
from archivist.store.search import search
from archivist.store.search_facets import FacetValue
from archivist.store.search_saved import save_search


@pytest.fixture
def panel(qtbot, tree_cat, cat, qsettings):
    links.link(cat, tree_cat["l2"], tree_cat["place"], "place_of_creation")
    hub = CatalogueHub(cat)
    p = SearchPanel(cat, hub=hub, settings=qsettings)
    qtbot.addWidget(p)
    yield p
    hub.detach()


def test_box_remembers_valid_queries_and_completes(qtbot, qsettings):
    box = SearchBox(settings=qsettings)
    qtbot.addWidget(box)
    with qtbot.waitSignal(box.query_submitted) as sig:
        box.setText("kabul letter")
        box.submit()
    assert sig.args == ["kabul letter"]
    box.setText("herat")
    box.submit()
    assert box.recent() == ["herat", "kabul letter"]
    box.set_completions(["Mazar-i-Sharif"])
    assert box.completions()[:2] == ["herat", "kabul letter"]
    assert "title:" in box.completions() and "Mazar-i-Sharif" in box.completions()


def test_box_shows_malformed_query_at_its_position(qtbot, qsettings):
    box = SearchBox(settings=qsettings)
    qtbot.addWidget(box)
    box.setText("kabul (herat")
    with qtbot.waitSignal(box.query_failed):
        assert not box.submit()
    assert box.error.position == 6
    assert box.cursorPosition() == 6
    assert "never closed" in box.toolTip()
    assert box.recent() == []
    QTest.keyClicks(box, ")")
    assert box.error is None and box.toolTip() == ""


def test_facet_panel_ticks_emit_selection(qtbot):
    facets = FacetPanel()
    qtbot.addWidget(facets)
    facets.set_facets({"type": [FacetValue("letter", "Letter", 3), FacetValue("report", "Report", 1)],
                       "lang": [FacetValue("prs", "prs", 2)]})
    item = facets.leaf("type", "report")
    assert item.text(0) == "Report (1)"
    with qtbot.waitSignal(facets.selection_changed) as sig:
        item.setCheckState(0, Qt.CheckState.Checked)
    assert sig.args == [{"type": ["report"]}]
    # a refresh keeps the tick, even for a value that no longer occurs
    facets.set_facets({"type": [FacetValue("letter", "Letter", 3)]}, exact=False)
    assert facets.leaf("type", "report").checkState(0) == Qt.CheckState.Checked
    assert facets.leaf("type", "letter").text(0) == "Letter (~3)"
    with qtbot.waitSignal(facets.selection_changed) as sig:
        facets.leaf("type", "report").setCheckState(0, Qt.CheckState.Unchecked)
    assert sig.args == [{}]


def test_a_tick_that_rebuilds_the_facets_is_safe(qtbot):
    """A new search rebuilds the tree from selection_changed: the ticked item must outlive it."""
    facets = FacetPanel()
    qtbot.addWidget(facets)
    values = {"type": [FacetValue("letter", "Letter", 3), FacetValue("report", "Report", 1)]}
    facets.set_facets(values)
    facets.selection_changed.connect(lambda _sel: facets.set_facets(values))
    for _ in range(20):
        with qtbot.waitSignal(facets.selection_changed):
            item = facets.leaf("type", "report")
            item.setCheckState(0, Qt.CheckState.Unchecked if item.checkState(0) == Qt.CheckState.Checked
                               else Qt.CheckState.Checked)
    assert facets.selected() == {}


def test_timeline_drag_selects_a_span(qtbot):
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(400, 70)
    timeline.show()
    timeline.set_counts({1990: 2, 1994: 5, 1999: 1})
    assert timeline.years() == list(range(1990, 2000))
    y = 30
    with qtbot.waitSignal(timeline.span_selected) as sig:
        QTest.mousePress(timeline, Qt.MouseButton.LeftButton, pos=_pt(timeline.x_of(1992), y))
        QTest.mouseMove(timeline, _pt(timeline.x_of(1995), y))
        QTest.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=_pt(timeline.x_of(1995), y))
    assert sig.args == [1992, 1995]
    with qtbot.waitSignal(timeline.span_cleared):
        QTest.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=_pt(timeline.x_of(1993), y))
    assert timeline.span is None


def _pt(x, y):
    from PySide6.QtCore import QPoint
    return QPoint(int(x), int(y))


def test_results_model_marks_restricted_and_transliterated(qtbot, cat, tree_cat, qtmodeltester):
    records.update_record(cat, tree_cat["l1"], {"access_status": "restricted",
                                                "access_reason": "privacy"})
    model = SearchResultsModel()
    model.set_hits(search(cat, "level:item").hits)
    qtmodeltester.check(model)
    rows = {model.data(model.index(r, 0), RecordIdRole): r for r in range(model.rowCount())}
    restricted = model.index(rows[tree_cat["l1"]], COL_TITLE)
    assert model.data(restricted) == "Letter to the mayor"
    assert not model.data(restricted, Qt.ItemDataRole.DecorationRole).isNull()
    plain = model.index(rows[tree_cat["l2"]], COL_TITLE)
    assert model.data(plain, Qt.ItemDataRole.DecorationRole) is None
    assert "Restricted" in model.data(restricted, Qt.ItemDataRole.ToolTipRole)
    dari = model.index(rows[tree_cat["l2"]], COL_TITLE)
    assert model.data(dari, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_saved_list_save_rename_delete_activate(qtbot, cat):
    saved = SavedSearchList(cat)
    qtbot.addWidget(saved)
    assert saved.save("Letters", "type:letter")
    assert not saved.save("Broken", "title:\"x")
    assert saved.names() == ["Letters"]
    sid = saved.item(0).data(Qt.ItemDataRole.UserRole + 1)
    assert saved.rename(sid, "All letters")
    assert saved.names() == ["All letters"]
    with qtbot.waitSignal(saved.search_activated) as sig:
        saved.itemActivated.emit(saved.item(0))
    assert sig.args == ["type:letter"]
    saved.delete(sid)
    assert saved.names() == []


def test_panel_searches_filters_and_opens(qtbot, panel, tree_cat):
    panel.set_query("Mazar-i-Sharif")
    assert panel.model.rowCount() == 1
    assert panel.model.hit(0).id == tree_cat["l2"]
    assert panel.status.text().startswith("1 record found")
    panel.set_query("level:item")
    assert panel.model.rowCount() == 2
    with qtbot.waitSignal(panel.facets.selection_changed):
        panel.facets.leaf("lang", "prs").setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: [panel.model.hit(r).id for r in range(panel.model.rowCount())]
                    == [tree_cat["l2"]])
    with qtbot.waitSignal(panel.record_activated) as sig:
        panel.table.doubleClicked.emit(panel.model.index(0, 0))
    assert sig.args == [tree_cat["l2"]]


def test_panel_timeline_span_filters(qtbot, panel, tree_cat):
    panel.set_query("level:item")
    assert panel.timeline.years() == [1993, 1994]  # 1993~ counts under its strict year only
    panel.timeline.span = (1994, 1994)
    panel.timeline.span_selected.emit(1994, 1994)
    assert [panel.model.hit(r).id for r in range(panel.model.rowCount())] == [tree_cat["l2"]]
    panel.timeline.clear_span()
    assert panel.model.rowCount() == 2


def test_panel_refreshes_after_changes_and_saves(qtbot, panel, cat, tree_cat):
    panel.set_query("mayor")
    assert panel.model.rowCount() == 1
    records.update_record(cat, tree_cat["l1"], {"title": "Letter to the governor"})
    assert panel.model.rowCount() == 0  # the hub re-ran the search
    panel.set_query("governor")
    assert panel.save_current("Governor letters")
    assert panel.saved.names() == ["Governor letters"]
    save_search(cat, "Other", "type:letter")  # a change made elsewhere
    assert panel.saved.names() == ["Governor letters", "Other"]


def test_panel_help_shows_the_query_language(qtbot, panel):
    panel.show()
    assert not panel.help.isVisible()
    panel.help_button.click()
    assert panel.help.isVisible()
    assert "date:1993..1994" in panel.help.text() and "person:" in panel.help.text()


def test_timeline_labels_fit_and_bars_stay_narrow(qtbot):
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(600, 70)
    timeline.set_counts({2005: 1})
    assert timeline._labelled_years(600.0) == [2005]
    timeline.set_counts({1900: 1, 2000: 3})
    slot = 600 / 101
    labels = timeline._labelled_years(slot)
    assert labels[0] == 1900 and labels[-1] == 2000
    xs = [timeline.x_of(y) for y in labels]
    assert all(b - a >= 40 for a, b in zip(xs, xs[1:]))  # no label overlaps the next
    assert len(labels) > 2  # round years between


def test_results_show_dates_for_people(qtbot, cat, tree_cat):
    model = SearchResultsModel()
    model.set_hits(search(cat, "level:item").hits)
    rows = {model.data(model.index(r, 0), RecordIdRole): r for r in range(model.rowCount())}
    date = model.index(rows[tree_cat["l2"]], 2)
    assert model.data(date) == "May 1994"
    assert model.data(date, Qt.ItemDataRole.ToolTipRole) == "1994-05"


def test_empty_saved_list_gives_its_room_to_the_facets(qtbot, panel, cat):
    assert panel.saved.isHidden()
    panel.set_query("mayor")
    assert panel.save_current("Mayor")
    assert not panel.saved.isHidden()
    panel.saved.delete(panel.saved.item(0).data(Qt.ItemDataRole.UserRole + 1))
    assert panel.saved.isHidden()
