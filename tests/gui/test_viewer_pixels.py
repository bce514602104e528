"""Pillow pixels to the screen: the in-place read of Pillow's memory and its fallback agree."""

from __future__ import annotations

import gc

import pytest
from PIL import Image
from PySide6.QtGui import QImage, QPixmap

from archivist.gui.viewer import pixels
from archivist.gui.viewer.imaging import Picture


@pytest.fixture(params=["single", "blocks"])
def allocator(request):
    """Run a test with images in one block of memory (in place) and in several (fallback)."""
    core = Image.core
    before = core.get_use_block_allocator()
    core.set_use_block_allocator(1 if request.param == "single" else 0)
    yield request.param
    core.set_use_block_allocator(before)


def _pattern(mode: str, size=(37, 23)) -> Image.Image:
    image = Image.new(mode, size)
    for y in range(size[1]):
        for x in range(size[0]):
            v = (x * 7 + y * 13) % 256
            image.putpixel((x, y), (v, 255 - v, (v * 3) % 256) if mode == "RGB" else v)
    return image


def _rgb(q: QImage, x: int, y: int) -> tuple[int, int, int]:
    c = q.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_display_image_has_every_pixel_right(qapp, allocator, mode):
    image = _pattern(mode)
    out = pixels.display_image(image)
    assert out.format() == QImage.Format.Format_RGB32
    assert (out.width(), out.height()) == image.size
    for x, y in [(0, 0), (36, 0), (0, 22), (36, 22), (11, 17)]:
        want = image.getpixel((x, y))
        assert _rgb(out, x, y) == (want if mode == "RGB" else (want, want, want))
        assert out.pixelColor(x, y).alpha() == 255


def test_memory_is_read_in_place_only_from_a_single_block(qapp, allocator):
    image = _pattern("RGB")
    memory = pixels.pixel_memory(image)
    if allocator == "single":
        assert memory is not None
        buffer, _keep = memory
        assert len(buffer) == 37 * 23 * 4
        assert tuple(buffer[:3]) == image.getpixel((0, 0))  # R, G, B, pad: Pillow's own layout
    else:
        # A small image fits one 16 MB block anyway; a big one spans several and has no view.
        big = Image.new("RGB", (3000, 2000))
        assert pixels.pixel_memory(big) is None
        assert pixels.display_image(big).width() == 3000


def test_padding_byte_left_zero_by_pillow_still_shows_opaque(qapp, allocator):
    image = Image.new("RGB", (64, 64), (10, 20, 30)).reduce(2)  # reduce() leaves the pad at 0
    out = pixels.display_image(image)
    assert _rgb(out, 3, 3) == (10, 20, 30) and out.pixelColor(3, 3).alpha() == 255


def test_pixmap_outlives_the_pillow_image_and_the_picture(qapp, allocator):
    image = _pattern("RGB", (300, 200))
    want = image.getpixel((123, 45))
    pixmap = QPixmap.fromImage(Picture(image).qimage)
    del image
    gc.collect()
    Image.new("RGB", (300, 200), (1, 1, 1)).load()  # would reuse freed memory
    assert _rgb(pixmap.toImage(), 123, 45) == want


def test_screen_ordered_page_is_shown_without_a_copy_and_in_true_colours(qapp, tmp_path):
    from archivist.gui.viewer.page_view import PageView
    from archivist.media.decode import load_screen_page

    source = _pattern("RGB", (120, 80))
    path = tmp_path / "p.tif"
    source.save(path, "TIFF", compression="tiff_lzw")
    page = load_screen_page(path)
    assert page.bgr and page.opaque
    picture = Picture.of(page)
    buffer, _keep = pixels.pixel_memory(page.image)
    buffer[0] = 123  # the blue byte of the first pixel, in Pillow's memory...
    assert picture.qimage.pixelColor(0, 0).blue() == 123  # ...is the picture's: no copy was made
    buffer[0] = source.getpixel((0, 0))[2]
    view = PageView()
    view.set_page(120, 80)
    view.set_full(picture)
    del picture, page, buffer, _keep
    gc.collect()
    Image.new("RGB", (120, 80), (1, 1, 1)).load()  # would reuse freed memory
    shown = view._high.toImage()
    for x, y in [(0, 0), (119, 79), (33, 44)]:
        assert _rgb(shown, x, y) == source.getpixel((x, y))


def test_adjusted_screen_ordered_page_keeps_true_colours(qapp, tmp_path):
    from archivist.gui.viewer.imaging import Adjustments
    from archivist.media.decode import load_screen_page

    source = _pattern("RGB", (50, 40))
    path = tmp_path / "p.tif"
    source.save(path, "TIFF", compression="raw")
    out = Picture.of(load_screen_page(path), Adjustments(invert=True)).qimage
    r, g, b = source.getpixel((7, 9))
    assert _rgb(out, 7, 9) == (255 - r, 255 - g, 255 - b)
    assert out.pixelColor(7, 9).alpha() == 255


def test_viewer_sharpens_an_lzw_tiff_page_in_true_colours(qtbot, cat, tmp_path):
    from archivist.gui.viewer import ViewerPanel
    from archivist.ops.ingest import ingest
    from archivist.store import records

    source = Image.merge("RGB", [Image.effect_noise((3200, 2000), 40 + 30 * i) for i in range(3)])
    path = tmp_path / "scan.tif"
    source.save(path, "TIFF", compression="tiff_lzw")  # larger than a preview: decoded in full
    rid = records.create_record(cat, title="Scan", level="item")
    assert not ingest(cat, [path], record_id=rid, workers=1).refused
    panel = ViewerPanel(cat, rid)
    qtbot.addWidget(panel)
    qtbot.waitUntil(panel.is_sharp, timeout=20_000)
    shown = panel.view._high.toImage()
    assert (shown.width(), shown.height()) == (3200, 2000)
    for x, y in [(0, 0), (3199, 1999), (1234, 567)]:
        assert _rgb(shown, x, y) == source.getpixel((x, y))
    panel.shutdown()
