"""Decoding pages: upright, bounded, fast paths, every mode normalised to 8-bit RGB or L."""

from __future__ import annotations

import pytest
from PIL import Image, ImageOps, JpegImagePlugin

from archivist.core.errors import BadFile
from archivist.media.decode import fast_factor, fit_size, load_page
from archivist.media.probe import probe
from tests.media import imagefactory as f


def corners(image: Image.Image) -> list[tuple[int, ...]]:
    w, h = image.size
    pts = [(w // 8, h // 8), (w - 1 - w // 8, h // 8), (w // 8, h - 1 - h // 8), (w - 1 - w // 8, h - 1 - h // 8)]
    return [image.convert("RGB").getpixel(p) for p in pts]


def close(a, b, tol=24) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_page_is_turned_upright_like_exif_transpose(tmp_path, orientation):
    path = f.jpeg(tmp_path / "o.jpg", size=(64, 48), orientation=orientation)
    expected = ImageOps.exif_transpose(Image.open(path))

    page = load_page(path)

    assert page.size == expected.size == (probe(path).width, probe(path).height)
    assert all(close(a, b) for a, b in zip(corners(page), corners(expected)))


@pytest.mark.parametrize("orientation", [1, 6])
def test_bounded_decode_keeps_aspect_and_orientation(tmp_path, orientation):
    path = f.jpeg(tmp_path / "big.jpg", size=(1600, 1200), orientation=orientation)
    page = load_page(path, max_side=200)
    assert page.size == ((200, 150) if orientation == 1 else (150, 200))
    expected = ImageOps.exif_transpose(Image.open(path)).resize(page.size)
    assert all(close(a, b) for a, b in zip(corners(page), corners(expected)))


def test_jpeg_uses_draft_scaling(tmp_path, monkeypatch):
    path = f.jpeg(tmp_path / "big.jpg", size=(1600, 1200))
    calls = []
    real = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = real(self, mode, size)
        calls.append((size, self.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    load_page(path, max_side=200)
    # DCT scaling decoded at 1/8 (200×150) instead of 1600×1200.
    assert calls and calls[0][1] == (200, 150)


def test_never_upscales(tmp_path):
    path = f.jpeg(tmp_path / "small.jpg", size=(64, 48))
    assert load_page(path, max_side=2048).size == (64, 48)


@pytest.mark.parametrize("name", ["g.tif", "g.png"])
def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path, name):
    page = load_page(f.gray16(tmp_path / name, value=30000))
    assert page.mode == "L"
    assert abs(page.getpixel((0, 0)) - 30000 * 255 / 65535) <= 1


def test_sixteen_bit_rgb(tmp_path):
    page = load_page(f.rgb48_tiff(tmp_path / "rgb48.tif"))
    assert page.mode == "RGB"
    assert close(page.getpixel((0, 0)), (117, 156, 195), tol=1)


@pytest.mark.parametrize("name, fmt", [("c.tif", "TIFF"), ("c.jpg", "JPEG")])
def test_cmyk_becomes_rgb(tmp_path, name, fmt):
    path = f.save(Image.new("CMYK", (40, 20), (0, 255, 0, 0)), tmp_path / name, fmt, quality=95)
    page = load_page(path, max_side=20)
    assert page.mode == "RGB" and page.size == (20, 10)
    assert close(page.getpixel((5, 5)), (255, 0, 255), tol=30)  # magenta


def test_transparency_is_laid_on_white(tmp_path):
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 5, 10))
    page = load_page(f.save(image, tmp_path / "a.png", "PNG"))
    assert page.mode == "RGB"
    assert page.getpixel((8, 5)) == (255, 255, 255)
    assert page.getpixel((1, 5)) == (200, 0, 0)


def test_bilevel_group4_tiff(tmp_path):
    image = Image.new("1", (64, 64), 1)
    image.paste(0, (0, 0, 32, 64))
    path = f.save(image, tmp_path / "fax.tif", "TIFF", compression="group4")
    page = load_page(path, max_side=32)
    assert page.mode == "L" and page.size == (32, 32)
    assert page.getpixel((4, 16)) < 40 and page.getpixel((28, 16)) > 215


def test_palette_gif(tmp_path):
    page = load_page(f.save(f.gradient().convert("P"), tmp_path / "p.gif", "GIF"))
    assert page.mode == "RGB"
    assert close(corners(page)[0], (220, 30, 30), tol=40)


def test_multi_page_tiff_pages(tmp_path):
    path = f.tiff_pages(tmp_path / "book.tif", [(60, 80), (80, 60)], compression="tiff_lzw")
    assert load_page(path, 0).size == (60, 80)
    assert load_page(path, 1).size == (80, 60)
    with pytest.raises(BadFile, match="out of range"):
        load_page(path, 2)


def test_pdf_pages_render_bounded(tmp_path):
    path = f.pdf_pages(tmp_path / "doc.pdf", [(72, 144), (144, 72)], resolution=72)
    first = load_page(path, 0, max_side=100)
    second = load_page(path, 1, max_side=100)
    assert first.mode == "RGB"
    assert (max(first.size), max(second.size)) == (100, 100)
    assert first.height > first.width and second.width > second.height
    assert close(corners(first)[0], (220, 30, 30), tol=40)
    with pytest.raises(BadFile, match="out of range"):
        load_page(path, 5)


def test_truncated_jpeg_is_refused(tmp_path):
    whole = f.save(Image.effect_noise((300, 200), 60).convert("RGB"), tmp_path / "w.jpg", "JPEG")
    cut = f.truncated(whole, tmp_path / "cut.jpg", 0.5)
    with pytest.raises(BadFile, match="cut.jpg: truncated or corrupt"):
        load_page(cut, max_side=50)


@pytest.mark.parametrize(
    "size, bound, expected",
    [((4000, 3000), 2048, (2048, 1536)), ((3000, 4000), 256, (192, 256)), ((10, 5), 256, (10, 5)),
     ((5000, 1), 100, (100, 1)), ((7, 7), None, (7, 7))],
)
def test_fit_size(size, bound, expected):
    assert fit_size(size, bound) == expected


@pytest.mark.parametrize(
    "size, fmt, expected",
    [((4000, 3000), "JPEG", (2000, 1500)),  # DCT 1/2
     ((3000, 2000), "JPEG", (3000, 2000)),  # within 1.5 × already
     ((4200, 3000), "PNG", (2100, 1500)),  # reduce(2) lands in range
     ((1000, 800), "PNG", (1000, 800))],
)
def test_fast_decode_takes_whole_factor_reductions(tmp_path, size, fmt, expected):
    path = f.save(f.gradient(size), tmp_path / f"p.{fmt.lower()}", fmt)
    page = load_page(path, max_side=2048, fast=True)
    assert page.size == expected
    assert close(corners(page)[0], (220, 30, 30), tol=30)


@pytest.mark.parametrize(
    "long_side, jpeg, factor",
    [(6000, True, 2), (6000, False, 3), (7016, False, 4), (3000, True, 1), (8000, True, 4),
     (1000, True, 1), (40000, True, None)],
)
def test_fast_factor(long_side, jpeg, factor):
    assert fast_factor(long_side, 2048, jpeg) == factor


def test_uncompressed_tiff_is_reduced_band_by_band(tmp_path, monkeypatch):
    from archivist.media import strips

    monkeypatch.setattr(strips, "BAND_BYTES", 64 * 3 * 10)  # ten rows a band: many bands
    image = f.gradient((640, 480))
    path = f.save(image, tmp_path / "raw.tif", "TIFF", compression="raw")
    calls = []
    real = strips.reduce_banded
    monkeypatch.setattr("archivist.media.decode.reduce_banded",
                        lambda *a: calls.append(a[2]) or real(*a))

    page = load_page(path, max_side=160)

    assert calls == [2]  # 640 → 160 with a reducing gap of 2: reduce by 2, then Lanczos
    assert page.size == (160, 120)
    expected = image.resize((160, 120))
    assert all(close(a, b, tol=12) for a, b in zip(corners(page), corners(expected)))


@pytest.mark.parametrize("mode, compression", [("I;16", "raw"), ("L", "raw"), ("RGB", "tiff_lzw")])
def test_banded_and_whole_decodes_agree(tmp_path, mode, compression):
    from archivist.media.decode import _normalise
    from archivist.media.strips import reduce_banded

    image = Image.new(mode, (90, 70), 30000 if mode == "I;16" else 120)
    path = f.save(image, tmp_path / "x.tif", "TIFF", compression=compression)
    with Image.open(path) as opened:
        banded = reduce_banded(path, opened, 3, _normalise)
    if compression != "raw":
        assert banded is None  # compressed strips are decoded the ordinary way
        return
    with Image.open(path) as opened:
        opened.load()
        whole = _normalise(opened).reduce(3)
    assert banded.size == whole.size == (30, 24)
    assert banded.tobytes() == whole.tobytes()


def test_truncated_uncompressed_tiff_is_refused_by_the_banded_path(tmp_path):
    whole = f.save(Image.effect_noise((400, 300), 50), tmp_path / "w.tif", "TIFF", compression="raw")
    cut = tmp_path / "cut.tif"
    data = whole.read_bytes()
    cut.write_bytes(data[:8] + data[8:len(data) // 2])  # the IFD comes first in Pillow's TIFFs
    with pytest.raises(BadFile):
        load_page(cut, max_side=100)


@pytest.mark.parametrize("compression", ["raw", "tiff_lzw"])
def test_full_resolution_page_is_whole_and_its_own_after_the_file_is_closed(tmp_path, compression):
    path = tmp_path / f"{compression}.tif"
    source = Image.new("RGB", (40, 30), (10, 20, 30))
    source.putpixel((5, 7), (200, 100, 50))
    source.save(path, compression=compression)
    page = load_page(path)
    again = load_page(path)
    assert page.size == (40, 30) and page.tobytes() == source.tobytes()
    page.putpixel((0, 0), (1, 2, 3))  # writable, and not shared with another decode
    assert again.getpixel((0, 0)) == (10, 20, 30)
    path.unlink()  # nothing still reads from the file
    assert page.getpixel((5, 7)) == (200, 100, 50)


@pytest.mark.parametrize("single_block", [True, False])
def test_full_resolution_page_survives_closing_with_either_allocator(tmp_path, single_block):
    core = Image.core
    before = core.get_use_block_allocator()
    core.set_use_block_allocator(1 if single_block else 0)
    try:
        path = tmp_path / "big.tif"
        source = Image.effect_noise((2500, 2000), 60).convert("RGB")  # over one 16 MB block
        source.save(path, compression="raw")
        page = load_page(path)
        path.unlink()
        assert page.size == source.size and page.tobytes() == source.tobytes()
        page.putpixel((0, 0), (1, 2, 3))  # shared pixels are copied before a write
        assert page.getpixel((0, 0)) == (1, 2, 3)
    finally:
        core.set_use_block_allocator(before)


def _red_corner_page(size=(90, 70)) -> Image.Image:
    page = Image.new("RGB", size, (250, 250, 250))
    page.paste((220, 0, 0), (0, 0, size[0] // 3, size[1] // 3))  # red block at the stored top left
    return page


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("compression", ["raw", "tiff_lzw"])
def test_tiff_orientation_tag_is_applied_once(tmp_path, orientation, compression):
    source = _red_corner_page()
    path = tmp_path / f"o{orientation}.tif"
    source.save(path, "TIFF", compression=compression, tiffinfo={274: orientation})
    expected = ImageOps.exif_transpose(_with_orientation(source, orientation))
    page = load_page(path)
    info = probe(path)
    assert page.size == expected.size == (info.width, info.height)
    assert page.tobytes() == expected.tobytes()


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_banded_tiff_reduction_is_turned_like_a_full_decode(tmp_path, orientation):
    source = _red_corner_page((960, 720))
    path = tmp_path / f"b{orientation}.tif"
    source.save(path, "TIFF", compression="raw", tiffinfo={274: orientation})
    reduced = load_page(path, max_side=240, fast=True)  # a whole factor, strip by strip
    factor = 960 // max(reduced.size)
    expected = ImageOps.exif_transpose(_with_orientation(source, orientation)).reduce(factor)
    assert reduced.size == expected.size
    assert all(close(a, b, 2) for a, b in zip(corners(reduced), corners(expected)))


def _with_orientation(image: Image.Image, orientation: int) -> Image.Image:
    exif = Image.Exif()
    exif[0x0112] = orientation
    tagged = image.copy()
    tagged.info["exif"] = exif.tobytes()
    tagged.getexif()[0x0112] = orientation
    return tagged
