"""The scan viewer: opening, sharpening, zoom, rotate, mirror, page turns, adjustments, full screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from archivist.gui.viewer import ViewerPanel
from archivist.gui.viewer.imaging import Adjustments
from archivist.media import derivatives
from archivist.ops.ingest import ingest
from archivist.store import records
from archivist.store.pages import pages_of
from tests.media import imagefactory as f


@pytest.fixture
def record(cat, tmp_path):
    rid = records.create_record(cat, title="Letter", level="item")
    src = tmp_path / "scans"
    f.jpeg(src / "p1.jpg", size=(4200, 2800))  # preview at 1/2: sharpens in background
    f.save(f.gradient((300, 400)), src / "p2.png", "PNG")
    f.tiff_pages(src / "p3.tif", [(200, 100), (100, 200)])
    report = ingest(cat, [src], record_id=rid, workers=1, previews=True)
    assert not report.refused
    return rid


def test_opens_fitted_from_preview_then_sharpens(qtbot, panel):
    assert panel.page_count == 4 and panel.current_index == 0
    view = panel.view
    assert view.page_size() == (4200, 2800)
    assert view.shown_width == 2100  # the preview (DCT-scaled by 2), at once
    assert not panel.is_sharp()
    assert view.fit_mode == "page"
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.sceneRect().adjusted(1, 1, -1, -1))
    qtbot.waitUntil(panel.is_sharp, timeout=10_000)
    assert view.shown_width == 4200
    assert view.drawn_width() == 2100  # fitted, the downsampled preview is drawn: it is enough
    view.actual_size()
    assert view.drawn_width() == 4200  # at 1:1 the full picture is drawn
    view.fit_page()
    assert view.drawn_width() == 2100


def test_zoom_keys_wheel_and_fits(qtbot, panel):
    view = panel.view
    fitted = view.zoom()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom() == pytest.approx(fitted)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert view.zoom() == pytest.approx(1.0)
    panel.actions_by_name["fit_width"].trigger()
    assert view.zoom() == pytest.approx(view.viewport().width() / 4200, rel=1e-3)
    assert view.fit_mode == "width"
    panel.actions_by_name["fit_page"].trigger()
    assert view.zoom() == pytest.approx(fitted, rel=1e-3)


def test_rotate_and_mirror_are_remembered_per_page(qtbot, cat, record, panel):
    panel.rotate(90)
    assert panel.view.rotation == 90
    assert panel.view.sceneRect().width() == pytest.approx(2800)  # the page now stands upright
    panel.mirror()
    assert panel.view.mirrored
    panel.next_page()
    assert panel.view.rotation == 0 and not panel.view.mirrored
    panel.previous_page()
    assert panel.view.rotation == 90 and panel.view.mirrored
    panel.flush()
    assert pages_of(cat, record)[0]["view"]["rotation"] == 90


def test_rotate_by_key_is_remembered(qtbot, cat, record, panel):
    qtbot.keyClick(panel.view, Qt.Key.Key_R)
    qtbot.keyClick(panel.view, Qt.Key.Key_R)
    qtbot.keyClick(panel.view, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert panel.view.rotation == 90
    panel.flush()
    assert pages_of(cat, record)[0]["view"]["rotation"] == 90


def test_page_turns_by_key_and_strip(qtbot, panel):
    seen = []
    panel.page_changed.connect(seen.append)
    qtbot.keyClick(panel.view, Qt.Key.Key_PageDown)
    assert panel.current_index == 1 and panel.view.page_size() == (300, 400)
    panel.strip.setCurrentRow(3)
    assert panel.current_index == 3 and panel.view.page_size() == (100, 200)
    qtbot.keyClick(panel.view, Qt.Key.Key_PageDown)  # already on the last page
    assert panel.current_index == 3
    qtbot.keyClick(panel.view, Qt.Key.Key_PageUp)
    assert panel.current_index == 2
    assert seen == [1, 3, 2]
    assert panel.strip.currentRow() == 2


def test_small_page_is_sharp_at_once(qtbot, panel):
    panel.show_page(1)
    assert panel.is_sharp()


def test_brightness_contrast_invert_are_remembered(qtbot, cat, record, panel):
    panel.show_page(1)
    before = panel.view._pixmap.pixmap().toImage().pixelColor(5, 5)
    panel.set_adjustments(Adjustments(brightness=0, contrast=0, invert=True))
    after = panel.view._pixmap.pixmap().toImage().pixelColor(5, 5)
    assert after.red() == pytest.approx(255 - before.red(), abs=2)
    panel.show_page(2)
    assert panel.adjustments() == Adjustments()
    panel.show_page(1)
    assert panel.adjustments().invert
    assert panel.actions_by_name["invert"].isChecked()
    panel.brightness.setValue(40)
    panel.flush()
    view = pages_of(cat, record)[1]["view"]
    assert view["brightness"] == 40 and view["invert"] is True


def test_reopening_restores_settings(qtbot, cat, record, panel):
    panel.set_adjustments(Adjustments(contrast=30))
    panel.rotate(-90)
    panel.shutdown()
    again = ViewerPanel(cat, record)
    qtbot.addWidget(again)
    assert again.adjustments() == Adjustments(contrast=30)
    assert again.view.rotation == 270
    again.shutdown()


def test_full_screen_hides_strip_and_side(qtbot, panel):
    panel.set_full_screen(True)
    assert panel.is_full_screen() and not panel.strip.isVisible() and not panel.side.isVisible()
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert not panel.is_full_screen() and panel.strip.isVisible()


def test_empty_record_and_no_record(qtbot, cat):
    rid = records.create_record(cat, title="Nothing yet", level="item")
    panel = ViewerPanel(cat, rid)
    qtbot.addWidget(panel)
    assert panel.page_count == 0 and panel.current_page() is None
    assert panel.status.text().startswith("No pages yet: drop scans here")
    panel.set_record(None)
    assert panel.page_count == 0
    assert panel.status.text() == "Select a record to see its scans here."
    panel.shutdown()
    fresh = ViewerPanel(cat)
    qtbot.addWidget(fresh)
    assert fresh.status.text() == "Select a record to see its scans here."
    fresh.shutdown()


def test_missing_preview_is_remade_in_background(qtbot, cat, record):
    page = pages_of(cat, record)[1]
    preview = derivatives.cache_path(cat.cache_dir, page["sha256"], 0, "preview")
    preview.unlink()
    panel = ViewerPanel(cat, record)
    qtbot.addWidget(panel)
    panel.show_page(1)
    qtbot.waitUntil(lambda: panel.view.shown_width == 300, timeout=10_000)
    assert preview.is_file()
    panel.shutdown()


@pytest.mark.parametrize("size, expected", [((4961, 7016), None), ((14043, 19866), 6622),
                                            ((60_000, 60_000), 6000)])
def test_full_resolution_budget(size, expected):
    from archivist.gui.viewer.imaging import FULL_RES_BUDGET, full_res_side

    side = full_res_side(*size)
    assert side == expected
    if side is not None:
        scale = side / max(size)
        assert size[0] * size[1] * scale * scale <= FULL_RES_BUDGET * 1.01


def test_page_over_the_budget_sharpens_reduced(qtbot, cat, record, monkeypatch):
    from archivist.gui.viewer import imaging, page_pictures

    monkeypatch.setattr(page_pictures, "full_res_side",
                        lambda w, h: imaging.full_res_side(w, h, budget=1_000_000))
    widget = ViewerPanel(cat, record)
    qtbot.addWidget(widget)
    qtbot.waitUntil(widget.is_sharp, timeout=10_000)
    assert widget.view.shown_width == 1050  # 4200 px reduced by 4 (DCT scaling) to fit 1 MP
    assert widget.view.page_size() == (4200, 2800)  # regions and zoom still in page pixels
    widget.shutdown()


def test_pages_can_be_reordered(qtbot, cat, record, panel):
    first = pages_of(cat, record)[0]["id"]
    panel.move_page(1)
    assert [p["id"] for p in pages_of(cat, record)][1] == first
    assert panel.current_index == 1 and panel.current_page()["id"] == first
    panel.actions_by_name["move_earlier"].trigger()
    assert pages_of(cat, record)[0]["id"] == first and panel.current_index == 0
    panel.move_page(-1)  # already first: nothing happens
    assert pages_of(cat, record)[0]["id"] == first


def test_missing_thumbnails_are_remade_for_the_strip(qtbot, cat, record):
    import shutil

    shutil.rmtree(cat.cache_dir / "thumb")
    widget = ViewerPanel(cat, record)
    qtbot.addWidget(widget)
    pages = pages_of(cat, record)
    thumbs = [derivatives.cache_path(cat.cache_dir, p["sha256"], p["page_index"], "thumb") for p in pages]
    qtbot.waitUntil(lambda: all(t.is_file() for t in thumbs), timeout=10_000)
    qtbot.waitUntil(lambda: not widget.strip.item(3).icon().pixmap(96).toImage().pixelColor(
        40, 40).name() == "#c8c8c8", timeout=5_000)  # no longer the grey blank
    widget.shutdown()


def test_pan_by_keys_and_by_dragging(qtbot, panel):
    view = panel.view
    view.set_zoom(1.0)
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum() // 2)
    start = bar.value()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert bar.value() > start
    after_key = bar.value()
    viewport = view.viewport()
    centre = viewport.rect().center()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(viewport, centre + type(centre)(-120, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=centre + type(centre)(-120, 0))
    assert bar.value() == pytest.approx(after_key + 120, abs=2)  # dragged left: the page moves left
