"""Decoding for the screen: 8-bit RGB TIFF pages come in screen byte order, others as usual."""

from __future__ import annotations

import pytest
from PIL import Image

from archivist.media.decode import ScreenPage, load_page, load_screen_page
from tests.media import imagefactory as f


def _noise(size=(90, 70)) -> Image.Image:
    return Image.merge("RGB", [Image.effect_noise(size, 60 + 20 * i) for i in range(3)])


def _swapped(image: Image.Image) -> Image.Image:
    r, g, b = image.split()
    return Image.merge("RGB", (b, g, r))


@pytest.mark.parametrize("compression", ["raw", "tiff_lzw", "tiff_adobe_deflate", "packbits"])
def test_rgb_tiff_comes_in_screen_order_with_opaque_pad(tmp_path, compression):
    source = _noise()
    path = f.save(source, tmp_path / f"{compression}.tif", "TIFF", compression=compression)
    page = load_screen_page(path)
    assert isinstance(page, ScreenPage) and page.bgr and page.opaque
    assert page.image.tobytes() == _swapped(source).tobytes()
    assert page.image.tobytes("raw", "RGBX")[3::4] == b"\xff" * (90 * 70)  # the pad bytes


def test_turned_page_keeps_screen_order_and_pad(tmp_path):
    source = _noise()
    path = tmp_path / "turned.tif"
    source.save(path, "TIFF", compression="tiff_lzw", tiffinfo={274: 6})  # Orientation
    page = load_screen_page(path)
    assert page.bgr and page.opaque and page.image.size == (70, 90)
    assert page.image.tobytes() == _swapped(load_page(path)).tobytes()


def test_reduced_page_is_in_screen_order_but_not_opaque(tmp_path):
    source = _noise((400, 300))
    path = f.save(source, tmp_path / "big.tif", "TIFF", compression="tiff_lzw")
    page = load_screen_page(path, max_side=150)
    assert page.bgr and not page.opaque and max(page.image.size) <= 150 * 1.5
    assert page.image.tobytes() == _swapped(load_page(path, max_side=150, fast=True)).tobytes()


@pytest.mark.parametrize("name, fmt, params", [
    ("a.jpg", "JPEG", {}), ("a.png", "PNG", {}), ("l.tif", "TIFF", {"compression": "tiff_lzw"}),
])
def test_other_pages_come_in_ordinary_order(tmp_path, name, fmt, params):
    source = _noise() if name != "l.tif" else _noise().convert("L")
    path = f.save(source, tmp_path / name, fmt, **params)
    page = load_screen_page(path)
    assert not page.bgr
    assert page.image.tobytes() == load_page(path, fast=True).tobytes()


def test_cmyk_and_16_bit_tiffs_are_not_swapped(tmp_path):
    cmyk = f.save(_noise().convert("CMYK"), tmp_path / "c.tif", "TIFF", compression="tiff_lzw")
    page = load_screen_page(cmyk)
    assert not page.bgr and page.image.mode == "RGB"
    assert page.image.tobytes() == load_page(cmyk).tobytes()


def test_predictor_and_odd_sizes_still_decode_right(tmp_path):
    source = _noise((97, 61))
    path = tmp_path / "p.tif"
    source.save(path, "TIFF", compression="tiff_lzw", tiffinfo={317: 2})  # horizontal predictor
    page = load_screen_page(path)
    assert page.image.tobytes() == _swapped(load_page(path)).tobytes()
    assert page.image.tobytes() == _swapped(source).tobytes()
