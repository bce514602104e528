"""Identifying scans: formats, pages, sizes, resolution, orientation, metadata, and bad files."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from archivist.core.errors import BadFile
from archivist.media import probe as probe_mod
from archivist.media.probe import MAX_PIXELS, probe
from tests.media import imagefactory as f


@pytest.mark.parametrize(
    "name, fmt, params, ext, mime",
    [
        ("a.jpg", "JPEG", {"quality": 90}, "jpg", "image/jpeg"),
        ("a.png", "PNG", {}, "png", "image/png"),
        ("a.tif", "TIFF", {"compression": "raw"}, "tif", "image/tiff"),
        ("lzw.tiff", "TIFF", {"compression": "tiff_lzw"}, "tif", "image/tiff"),
        ("a.webp", "WEBP", {"quality": 80}, "webp", "image/webp"),
        ("a.gif", "GIF", {}, "gif", "image/gif"),
        ("a.bmp", "BMP", {}, "bmp", "image/bmp"),
    ],
)
def test_each_raster_format_is_identified(tmp_path, name, fmt, params, ext, mime):
    path = f.save(f.gradient((64, 48)), tmp_path / name, fmt, **params)
    info = probe(path, decode=True)
    assert (info.format, info.ext, info.mime) == (fmt, ext, mime)
    assert (info.width, info.height, info.page_count) == (64, 48, 1)
    assert info.size == path.stat().st_size
    assert info.pages[0].bits == 8


def test_tiff_compression_is_reported(tmp_path):
    lzw = probe(f.tiff_pages(tmp_path / "l.tif", [(20, 10)], compression="tiff_lzw"))
    raw = probe(f.tiff_pages(tmp_path / "r.tif", [(20, 10)], compression="raw"))
    assert (lzw.compression, raw.compression) == ("tiff_lzw", "raw")


def test_format_comes_from_content_not_name(tmp_path):
    path = f.save(f.gradient(), tmp_path / "looks like.jpg", "PNG")
    assert probe(path).format == "PNG"


def test_multi_page_tiff_lists_every_page_with_its_size(tmp_path):
    path = f.tiff_pages(tmp_path / "book.tif", [(60, 80), (80, 60), (30, 40)])
    info = probe(path, decode=True)
    assert info.page_count == 3
    assert [(p.index, p.width, p.height) for p in info.pages] == [(0, 60, 80), (1, 80, 60), (2, 30, 40)]
    assert info.pages[1].dpi == 600


def test_pdf_pages_are_sized_at_the_pdf_resolution(tmp_path):
    path = f.pdf_pages(tmp_path / "doc.pdf", [(72, 144), (144, 72)], resolution=72)
    info = probe(path, decode=True)
    assert (info.format, info.ext, info.mime, info.page_count) == ("PDF", "pdf", "application/pdf", 2)
    scale = probe_mod.pdfmod.PDF_DPI / 72
    assert [(p.width, p.height) for p in info.pages] == [(72 * scale, 144 * scale), (144 * scale, 72 * scale)]
    assert info.dpi == probe_mod.pdfmod.PDF_DPI


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_read_and_size_reported_upright(tmp_path, orientation):
    info = probe(f.jpeg(tmp_path / "o.jpg", size=(64, 48), orientation=orientation))
    assert info.orientation == orientation
    upright = (48, 64) if orientation >= 5 else (64, 48)
    assert (info.width, info.height) == upright


def test_capture_metadata_and_resolution(tmp_path):
    path = f.jpeg(
        tmp_path / "c.jpg", make="Canon", model="EOS 5D", taken="2019:04:01 10:20:30", dpi=(400, 400)
    )
    info = probe(path)
    assert info.capture["make"] == "Canon"
    assert info.capture["model"] == "EOS 5D"
    assert info.capture["datetime_original"] == "2019:04:01 10:20:30"
    assert info.dpi == 400


def test_missing_resolution_is_none(tmp_path):
    assert probe(f.save(f.gradient(), tmp_path / "n.png", "PNG")).dpi is None


@pytest.mark.parametrize("name", ["g.tif", "g.png"])
def test_sixteen_bit_grey(tmp_path, name):
    info = probe(f.gray16(tmp_path / name), decode=True)
    assert info.pages[0].bits == 16
    assert info.pages[0].mode.startswith("I")


def test_sixteen_bit_rgb_tiff(tmp_path):
    info = probe(f.rgb48_tiff(tmp_path / "rgb48.tif"), decode=True)
    assert (info.pages[0].mode, info.pages[0].bits) == ("RGB", 16)


@pytest.mark.parametrize("name, fmt", [("c.tif", "TIFF"), ("c.jpg", "JPEG")])
def test_cmyk(tmp_path, name, fmt):
    path = f.save(Image.new("CMYK", (20, 10), (0, 255, 0, 0)), tmp_path / name, fmt)
    info = probe(path, decode=True)
    assert (info.format, info.pages[0].mode) == (fmt, "CMYK")


# ---- bad files: each refused with the file's name and a reason --------------------------------


def refused(path, **kw) -> str:
    with pytest.raises(BadFile) as caught:
        probe(path, **kw)
    assert str(caught.value).startswith(f"{path.name}: ")
    assert caught.value.path == str(path)
    return caught.value.reason


def test_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert "empty" in refused(path)


def test_text_file_is_not_an_image(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("Dear Sir, this is not a scan.\n" * 20)
    assert "not an image" in refused(path)


def test_unsupported_image_format_is_refused(tmp_path):
    path = f.save(f.gradient(), tmp_path / "icon.ico", "ICO")
    assert "not an image in a supported format" in refused(path)


def test_missing_file(tmp_path):
    assert "does not exist" in refused(tmp_path / "gone.jpg")


def test_folder_is_not_a_file(tmp_path):
    (tmp_path / "dir.jpg").mkdir()
    assert "not a regular file" in refused(tmp_path / "dir.jpg")


def test_permission_denied_is_reported_as_unreadable(tmp_path, monkeypatch):
    path = f.jpeg(tmp_path / "locked.jpg")
    real_open = open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    assert "permission denied" in refused(path)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_by_mode(tmp_path):
    path = f.jpeg(tmp_path / "locked.jpg")
    path.chmod(0)
    try:
        assert "permission denied" in refused(path)
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    "name, fmt, keep",
    [("t.jpg", "JPEG", 0.6), ("t.png", "PNG", 0.6), ("t.tif", "TIFF", 0.6), ("t.webp", "WEBP", 0.6)],
)
def test_truncated_images_are_refused_when_decoded(tmp_path, name, fmt, keep):
    noisy = Image.effect_noise((200, 150), 60).convert("RGB")
    whole = f.save(noisy, tmp_path / ("whole-" + name), fmt)
    cut = f.truncated(whole, tmp_path / name, keep)
    reason = refused(cut, decode=True)
    assert "truncated or corrupt" in reason or "corrupt image header" in reason


def test_corrupt_pdf(tmp_path):
    whole = f.pdf_pages(tmp_path / "whole.pdf", [(50, 50)])
    cut = f.truncated(whole, tmp_path / "cut.pdf", 0.3)
    assert "PDF" in refused(cut)


def test_pdf_with_garbage_after_magic(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    assert "PDF" in refused(path)


def test_bomb_over_twice_the_limit_is_refused(tmp_path):
    path = f.png_header_only(tmp_path / "bomb.png", 50_000, 50_000)  # 2,500 MP
    assert "too large" in refused(path)


def test_bomb_just_over_the_limit_is_refused(tmp_path):
    path = f.png_header_only(tmp_path / "bomb.png", 40_000, 30_000)  # 1,200 MP
    with pytest.warns(Image.DecompressionBombWarning):  # Pillow's own guard speaks first
        reason = refused(path)
    assert "too large" in reason and "1,200 megapixels" in reason


def test_archival_size_scan_is_accepted(tmp_path):
    # 600 dpi A1 is 14,043 × 19,866 px (about 279 MP): well inside the limit.
    path = f.png_header_only(tmp_path / "a1.png", 14_043, 19_866)
    info = probe(path)
    assert (info.width, info.height) == (14_043, 19_866)
    assert info.width * info.height < MAX_PIXELS


def test_huge_pdf_page_counts_at_a_lower_resolution(tmp_path):
    # A 200 × 100 inch poster: 300 dpi would be 1,800 MP; it counts as full at a lower dpi.
    path = f.pdf_pages(tmp_path / "poster.pdf", [(200, 100)], resolution=1)
    info = probe(path)
    page = info.pages[0]
    assert page.dpi < probe_mod.pdfmod.PDF_DPI
    assert page.width * page.height <= probe_mod.pdfmod.MAX_RENDER_PIXELS * 1.01
    assert page.width == pytest.approx(2 * page.height, rel=0.01)
