"""Thumbnails and previews: sizes, cache layout, atomic writes, remaking, and the worker pool."""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor

import pytest
from PIL import Image

from archivist.core.errors import BadFile
from archivist.media import derivatives as d
from archivist.media.derivatives import PageRef
from tests.media import imagefactory as f


def ref(path, page=0) -> PageRef:
    return PageRef(path, hashlib.sha256(path.read_bytes()).hexdigest(), page)


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cat" / "cache"


def test_thumbnail_and_preview_sizes_and_places(tmp_path, cache):
    page = ref(f.jpeg(tmp_path / "big.jpg", size=(4000, 2000), orientation=6))
    made = d.make_derivatives(page, cache)

    assert made.thumb == cache / "thumb" / page.sha256[:2] / f"{page.sha256}-0.jpg"
    assert made.preview == cache / "preview" / page.sha256[:2] / f"{page.sha256}-0.jpg"
    with Image.open(made.thumb) as thumb, Image.open(made.preview) as preview:
        assert (thumb.format, preview.format) == ("JPEG", "JPEG")
        assert thumb.size == (128, 256)  # upright: orientation 6 turns 4000×2000 on its side
        assert preview.size == (1000, 2000)  # DCT scaling by 2, no resampling
    assert not [p for p in cache.rglob("*.tmp")]


@pytest.mark.parametrize("size, orientation", [((6000, 4000), 1), ((6000, 4000), 6), ((2500, 1700), 1),
                                               ((4961, 7016), 1), ((300, 200), 1)])
def test_thumbnail_alone_is_about_256_upright_and_never_more(tmp_path, cache, size, orientation):
    source = f.jpeg(tmp_path / "t.jpg", size=size, orientation=orientation)
    made = d.make_derivatives(ref(source), cache, {"thumb"})
    upright = size[::-1] if orientation == 6 else size
    with Image.open(made.thumb) as thumb:
        assert 0.8 * d.THUMB_SIZE <= max(thumb.size) <= d.THUMB_SIZE
        assert (thumb.width > thumb.height) == (upright[0] > upright[1])
        assert abs(thumb.width / thumb.height - upright[0] / upright[1]) < 0.02


@pytest.mark.parametrize("size", [(7016, 300), (2600, 200), (9000, 100)])
def test_preview_long_side_stays_near_the_preview_size(tmp_path, cache, size):
    page = ref(f.save(f.gradient(size), tmp_path / "p.png", "PNG"))
    with Image.open(d.make_derivatives(page, cache).preview) as preview:
        assert 0.8 * d.PREVIEW_SIZE <= max(preview.size) <= 1.5 * d.PREVIEW_SIZE


def test_small_page_is_not_enlarged(tmp_path, cache):
    made = d.make_derivatives(ref(f.jpeg(tmp_path / "s.jpg", size=(100, 60))), cache)
    with Image.open(made.preview) as preview, Image.open(made.thumb) as thumb:
        assert preview.size == thumb.size == (100, 60)


def test_each_page_of_a_multipage_file_has_its_own_derivatives(tmp_path, cache):
    path = f.tiff_pages(tmp_path / "book.tif", [(600, 300), (300, 600)])  # thumbs: 256 long
    first = d.make_derivatives(ref(path, 0), cache)
    second = d.make_derivatives(ref(path, 1), cache)
    assert first.thumb != second.thumb
    with Image.open(first.thumb) as a, Image.open(second.thumb) as b:
        assert a.size == (256, 128) and b.size == (128, 256)


def test_pdf_page_derivatives(tmp_path, cache):
    path = f.pdf_pages(tmp_path / "doc.pdf", [(595, 842)], resolution=72)  # A4 in points
    made = d.make_derivatives(ref(path), cache)
    with Image.open(made.preview) as preview:
        assert max(preview.size) == 2048 and preview.height > preview.width


def test_ensure_remakes_a_deleted_derivative(tmp_path, cache):
    page = ref(f.jpeg(tmp_path / "a.jpg", size=(400, 300)))
    first = d.ensure_derivative(page, cache, "preview")
    first.unlink()
    again = d.ensure_derivative(page, cache, "preview")
    assert again == first and again.is_file()
    assert d.ensure_derivative(page, cache, "thumb").is_file()


def test_bad_page_writes_nothing(tmp_path, cache):
    whole = f.save(Image.effect_noise((300, 200), 60).convert("RGB"), tmp_path / "w.jpg", "JPEG")
    page = ref(f.truncated(whole, tmp_path / "cut.jpg"))
    with pytest.raises(BadFile):
        d.make_derivatives(page, cache)
    assert not cache.exists() or not [p for p in cache.rglob("*") if p.is_file()]


def test_cache_path_validates(cache):
    with pytest.raises(ValueError):
        d.cache_path(cache, "a" * 64, 0, "poster")
    with pytest.raises(ValueError):
        d.cache_path(cache, "../x", 0, "thumb")


def test_make_many_reports_progress_failures_and_makes_the_rest(tmp_path, cache):
    good = [ref(f.jpeg(tmp_path / f"p{i}.jpg", size=(300 + i, 200))) for i in range(5)]
    whole = f.save(Image.effect_noise((300, 200), 60).convert("RGB"), tmp_path / "w.jpg", "JPEG")
    bad = ref(f.truncated(whole, tmp_path / "cut.jpg"))
    seen = []

    result = d.make_many(good[:2] + [bad] + good[2:], cache, progress=lambda n, t: seen.append((n, t)), workers=2)

    assert set(result.made) == set(good)
    assert list(result.failed) == [bad] and "cut.jpg" in str(result.failed[bad])
    assert not result.cancelled
    assert seen == [(n, 6) for n in range(7)]
    assert all(m.thumb.is_file() and m.preview.is_file() for m in result.made.values())


def test_make_many_stops_when_cancelled(tmp_path, cache):
    pages = [ref(f.jpeg(tmp_path / f"p{i}.jpg", size=(200, 100 + i))) for i in range(12)]
    done = []

    result = d.make_many(
        pages, cache, progress=lambda n, t: done.append(n), cancelled=lambda: len(done) > 2, workers=1
    )

    assert result.cancelled
    assert 1 <= len(result.made) < len(pages)
    thumbs = [p for p in (cache / "thumb").rglob("*.jpg")]
    assert len(thumbs) == len(result.made)  # every page started was finished, no other


def test_make_many_on_a_process_pool(tmp_path, cache):
    pages = [ref(f.jpeg(tmp_path / f"p{i}.jpg", size=(200, 100 + i))) for i in range(3)]
    with ProcessPoolExecutor(2) as pool:
        result = d.make_many(pages, cache, executor=pool, workers=2)
    assert set(result.made) == set(pages)


def test_make_many_with_nothing_to_do(cache):
    seen = []
    result = d.make_many([], cache, progress=lambda n, t: seen.append((n, t)))
    assert result.made == {} and seen == [(0, 0)] and not result.cancelled


def test_default_workers_is_positive():
    assert d.default_workers() >= 1
