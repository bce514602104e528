"""The viewer's regions (drawn with the mouse) and its transcription and translation panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from archivist.gui.viewer.side_panel import language_is_rtl
from archivist.ops.ingest import ingest
from archivist.store import media as store_media
from archivist.store import records
from archivist.store.pages import pages_of, regions_of, texts_of
from tests.media import imagefactory as f


@pytest.fixture
def record(cat, tmp_path):
    rid = records.create_record(cat, title="Letter", level="item")
    src = tmp_path / "scans"
    f.save(f.gradient((1000, 800)), src / "p1.png", "PNG")
    f.save(f.gradient((600, 800)), src / "p2.png", "PNG")
    ingest(cat, [src], record_id=rid, workers=1, previews=True)
    return rid


def on_screen(panel, x, y):
    """Viewport position of a point given in page pixels."""
    view = panel.view
    return view.mapFromScene(view._page.mapToScene(QPointF(x, y)))


def drag(qtbot, panel, start, end):
    viewport = panel.view.viewport()
    a, b = on_screen(panel, *start), on_screen(panel, *end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


@pytest.mark.parametrize("rotation", [0, 90])
def test_drawing_a_rectangle_makes_a_region(qtbot, cat, panel, rotation):
    page_id = pages_of(cat, panel.record_id)[0]["id"]
    panel.rotate(rotation)
    panel.set_drawing(True)
    drag(qtbot, panel, (100, 80), (500, 400))

    (region,) = regions_of(cat, page_id)
    tol = 3 / panel.view.zoom() / 800
    assert region["x"] == pytest.approx(0.1, abs=tol) and region["y"] == pytest.approx(0.1, abs=tol)
    assert region["w"] == pytest.approx(0.4, abs=tol) and region["h"] == pytest.approx(0.4, abs=tol)
    assert panel.view.region_ids() == [region["id"]]
    assert panel.side.currentWidget() is panel.side.regions
    assert panel.side.regions.current() == region["id"]
    assert not panel.view.drawing  # one region per stroke


def test_dragging_without_draw_mode_pans_and_draws_nothing(qtbot, cat, panel):
    panel.view.set_zoom(2.0)
    drag(qtbot, panel, (300, 300), (200, 200))
    assert regions_of(cat, pages_of(cat, panel.record_id)[0]["id"]) == []


def test_tiny_drag_is_not_a_region(qtbot, cat, panel):
    panel.set_drawing(True)
    drag(qtbot, panel, (100, 100), (101, 101))
    assert regions_of(cat, pages_of(cat, panel.record_id)[0]["id"]) == []


def test_regions_are_listed_edited_highlighted_and_deleted(qtbot, cat, panel):
    page_id = pages_of(cat, panel.record_id)[0]["id"]
    first = store_media.add_region(cat, page_id, 0.1, 0.1, 0.2, 0.2, title="Stamp")
    second = store_media.add_region(cat, page_id, 0.5, 0.5, 0.2, 0.2)
    panel.reload()
    regions = panel.side.regions
    assert [regions.list.item(i).text() for i in range(regions.list.count())] == ["Stamp", "Region 2"]

    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=on_screen(panel, 200, 160))
    assert regions.current() == first
    assert panel.view.region_item(first).pen().color().blue() == 255  # highlighted

    regions.title.setText("Signature")
    regions.title.textEdited.emit("Signature")
    regions.transcription.setPlainText("امضا")
    regions.flush()
    saved = next(r for r in regions_of(cat, page_id) if r["id"] == first)
    assert (saved["title"], saved["transcription"]) == ("Signature", "امضا")
    assert regions.list.item(0).text() == "Signature"

    regions.delete_button.click()
    assert [r["id"] for r in regions_of(cat, page_id)] == [second]
    assert panel.view.region_ids() == [second]


def test_transcription_and_translation_are_saved_with_language(qtbot, cat, panel):
    page_id = pages_of(cat, panel.record_id)[0]["id"]
    trans = panel.side.transcription
    trans.language.setText("prs")
    trans.editor.setPlainText("بسم الله")
    assert trans.is_rtl()
    panel.side.translation.language.setText("en")
    panel.side.translation.editor.setPlainText("In the name of God")
    assert not panel.side.translation.is_rtl()

    panel.next_page()  # leaving the page saves pending edits
    texts = {(t["kind"], t["language"], t["text"]) for t in texts_of(cat, page_id)}
    assert texts == {("transcription", "prs", "بسم الله"), ("translation", "en", "In the name of God")}
    assert trans.text() == ""  # the second page has none
    panel.previous_page()
    assert trans.text() == "بسم الله" and trans.language.text() == "prs" and trans.is_rtl()


def test_text_edits_are_saved_after_a_pause(qtbot, cat, panel):
    page_id = pages_of(cat, panel.record_id)[0]["id"]
    panel.side.translation.editor.setPlainText("Draft")
    qtbot.waitUntil(lambda: [t["text"] for t in texts_of(cat, page_id)] == ["Draft"], timeout=3000)


def test_direction_follows_content_without_a_language(qtbot, panel):
    editor = panel.side.transcription
    editor.editor.setPlainText("Письмо")
    assert not editor.is_rtl()
    editor.editor.setPlainText("نامه به والی")
    assert editor.is_rtl()


@pytest.mark.parametrize("tag, rtl", [("prs", True), ("ps", True), ("ar", True), ("az-Arab", True),
                                      ("az", False), ("ru", False), ("hy", False), ("", False)])
def test_language_is_rtl(tag, rtl):
    assert language_is_rtl(tag) is rtl


def test_changes_from_elsewhere_reload_the_pages(qtbot, cat, panel):
    from archivist.core.changes import Changes

    page = pages_of(cat, panel.record_id)[1]
    store_media.move_page(cat, page["id"], 0)
    panel.on_changes(Changes(media={panel.record_id}))
    assert panel.current_page()["id"] == page["id"]
