"""Decode one page of a scan to a displayable image, as small and as fast as the use allows.

:func:`load_page` is the one door from a stored original to pixels: thumbnails, previews and the
viewer's full-resolution picture all come through it. It takes the fast paths (JPEG DCT scaling via
``draft()``, ``reduce()`` by whole factors before a final Lanczos resize), turns the page upright from
its EXIF orientation, and normalises 16-bit, CMYK, palette, bilevel and alpha images to 8-bit ``RGB``
or ``L``, so callers never meet an exotic mode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from archivist.core.errors import BadFile
from archivist.media import pdf as pdfmod
from archivist.media.exif import PILLOW_TURNS_TIFF, read_exif
from archivist.media.probe import bad_file, check_readable, is_pdf, open_image
from archivist.media.strips import reduce_banded

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

#: Whole-factor reduction stops this many times above the target, then Lanczos does the rest
#: (Pillow's ``reducing_gap``: 2 keeps the quality of a plain Lanczos resize at a fraction of the cost).
REDUCING_GAP = 2.0

#: With ``fast=True`` a result whose long side is within these fractions of ``max_side`` is taken
#: as it comes from DCT scaling or a whole-factor reduction, without a resampling pass (which costs
#: more than the reduced decode itself: 235 ms against 64 ms for a 24 MP JPEG on the dev machine).
FAST_RANGE = (0.8, 1.5)


def fit_size(size: tuple[int, int], max_side: int | None) -> tuple[int, int]:
    """The size of ``size`` scaled down (never up) so its longest side is at most ``max_side``.

    Args:
        size: ``(width, height)``.
        max_side: the bound, or None for no bound.

    Returns:
        The fitted ``(width, height)``, each at least 1.
    """
    width, height = size
    if max_side is None or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def fast_factor(long_side: int, max_side: int, jpeg: bool,
                fast_range: tuple[float, float] = FAST_RANGE) -> int | None:
    """The whole reduction factor that brings ``long_side`` into ``fast_range`` of ``max_side``.

    Args:
        long_side: the page's long side in pixels.
        max_side: the wanted long side.
        jpeg: only the DCT scales 1, 2, 4 and 8 are possible.
        fast_range: the accepted long sides, as fractions of ``max_side``.

    Returns:
        The factor (1 when the page already fits the range), or None when no whole factor lands in
        the range and a resampling pass is needed.
    """
    low, high = fast_range[0] * max_side, fast_range[1] * max_side
    if long_side <= high:
        return 1
    candidates = (8, 4, 2) if jpeg else range(int(long_side // low), 1, -1)
    for factor in candidates:
        if low <= long_side / factor <= high:
            return factor
    return None


def load_page(
    path: str | os.PathLike[str], page_index: int = 0, max_side: int | None = None,
    *, fast: bool = False, reducing_gap: float = REDUCING_GAP,
    fast_range: tuple[float, float] = FAST_RANGE,
) -> Image.Image:
    """Decode one page, upright, in ``RGB`` or ``L``, no larger than ``max_side`` on its long side.

    Args:
        path: the image or PDF file.
        page_index: the page inside a multi-page TIFF or PDF, from 0.
        max_side: bound on the longest side of the result; None decodes at full resolution.
        fast: accept a long side anywhere in ``fast_range`` × ``max_side`` when DCT scaling, a
            whole-factor reduction, or DCT scaling then a whole-factor reduction gets there,
            skipping the resampling pass (for previews and thumbnails).
        reducing_gap: how far above the target whole-factor reduction stops before the final
            Lanczos pass (smaller is faster; 1.0 is fine for thumbnails).
        fast_range: with ``fast``, the accepted long sides as fractions of ``max_side``
            (default :data:`FAST_RANGE`; ``(0.8, 1.0)`` never exceeds ``max_side``).

    Returns:
        A loaded image in mode ``RGB`` or ``L`` (transparent areas are laid on white).

    Raises:
        BadFile: the file is unreadable, truncated, corrupt, too large, or has no such page.
    """
    path = Path(path)
    _size, head = check_readable(path)
    if is_pdf(head):
        try:
            return pdfmod.render_pdf_page(path, page_index, max_side)
        except pdfmod.PdfProblem as exc:
            raise bad_file(path, exc.reason) from exc
        except IndexError as exc:
            raise bad_file(path, str(exc)) from exc
    with _open_file(path) as fh:
        image = open_image(path, fh)
        try:
            return _load_raster(path, image, page_index, max_side, fast, reducing_gap,
                                fast_range=fast_range)
        except BadFile:
            raise
        except Exception as exc:  # noqa: BLE001 - decoders raise many kinds for damaged data
            raise bad_file(path, f"truncated or corrupt ({exc})") from exc


def _open_file(path: Path) -> BinaryIO:
    """The file, opened for :func:`open_image`: the Image decoded from it is returned as it is,
    and stays valid once this file is closed (Pillow never closes a file it was given), so a
    full-resolution page needs neither a copy nor a second Image over the same pixels."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise bad_file(path, f"the file cannot be read ({exc.strerror or exc})") from exc


@dataclass(frozen=True)
class ScreenPage:
    """A decoded page for the screen, maybe in the byte order of a 32-bit screen image.

    Attributes:
        image: the page, in mode ``RGB`` or ``L``.
        bgr: its red and blue bands are swapped, so each pixel's four bytes in memory are blue,
            green, red, pad: the layout of Qt's ``Format_RGB32`` on a little-endian machine.
            Display adjustments that treat the three bands alike still apply unchanged.
        opaque: the pad byte of every pixel is 255, as a decoder leaves it (operations that
            compute pixels, such as ``reduce``, ``resize`` or ``point``, leave 0 there).
    """

    image: Image.Image
    bgr: bool = False
    opaque: bool = False


def load_screen_page(
    path: str | os.PathLike[str], page_index: int = 0, max_side: int | None = None
) -> ScreenPage:
    """Decode one page as :func:`load_page` with ``fast=True`` does, in screen byte order if free.

    An 8-bit RGB TIFF page (uncompressed, LZW, Deflate or PackBits, which TIFF viewers meet most)
    is decoded with Pillow's ``BGR`` unpacker instead of ``RGB``: the same single pass, but its
    memory is then what the screen takes as it is, which saves a conversion pass over the page
    (~80 ms for 35 MP) before it can be shown. Other pages come in ordinary order.

    Raises:
        BadFile: as :func:`load_page`.
    """
    path = Path(path)
    _size, head = check_readable(path)
    if is_pdf(head):
        return ScreenPage(load_page(path, page_index, max_side, fast=True))
    with _open_file(path) as fh:
        image = open_image(path, fh)
        try:
            return _load_raster(path, image, page_index, max_side, True, REDUCING_GAP, screen=True)
        except BadFile:
            raise
        except Exception as exc:  # noqa: BLE001 - decoders raise many kinds for damaged data
            raise bad_file(path, f"truncated or corrupt ({exc})") from exc


#: TIFF compressions whose pages Pillow decodes through the tile's unpacker (so ``BGR`` applies):
#: none, LZW, Deflate (both codes) and PackBits. JPEG-in-TIFF and others decode to RGBA first.
_UNPACKED_TIFF_COMPRESSIONS = {1, 5, 8, 32946, 32773}


def _decode_in_screen_order(image: Image.Image) -> bool:
    """Have an opened, not yet loaded 8-bit RGB TIFF page decode as BGR (see
    :func:`load_screen_page`). Returns whether it will; nothing is changed when it will not."""
    if image.format != "TIFF" or image.mode != "RGB" or not image.tile:
        return False
    tags = image.tag_v2
    if (tags.get(262) != 2 or tags.get(259, 1) not in _UNPACKED_TIFF_COMPRESSIONS
            or tags.get(284, 1) != 1 or 322 in tags):  # chunky strips only: no planes, no tiles
        return False
    tiles = list(image.tile)
    if any(t.codec_name not in ("raw", "libtiff") or not isinstance(t.args, tuple)
           or not t.args or t.args[0] != "RGB" for t in tiles):
        return False
    # The tile list is Pillow's documented decoder contract: (decoder, extents, offset, args),
    # args[0] the raw mode the decoder unpacks from. "BGR" swaps red and blue while unpacking.
    image.tile = [t._replace(args=("BGR", *t.args[1:])) for t in tiles]
    return True


def _load_raster(
    path: Path, image: Image.Image, page_index: int, max_side: int | None, fast: bool = False,
    reducing_gap: float = REDUCING_GAP, screen: bool = False,
    fast_range: tuple[float, float] = FAST_RANGE,
) -> Image.Image | ScreenPage:
    if page_index:
        if image.format != "TIFF" or page_index >= getattr(image, "n_frames", 1):
            raise bad_file(path, f"page {page_index} is out of range")
        image.seek(page_index)
    orientation = read_exif(image).get(0x0112, 1)
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    # Pillow turns TIFF pages upright itself as it loads them (``image.size`` is then upright
    # already); everything else, and TIFF strips read directly, is turned here at the end.
    turned_on_load = image.format == "TIFF" and PILLOW_TURNS_TIFF
    # The target in the coordinates ``load()`` gives: a bound on the long side is the same either way.
    target = fit_size(image.size, max_side)
    jpeg = image.format in ("JPEG", "MPO")
    factor = fast_factor(max(image.size), max_side, jpeg, fast_range) if fast and max_side else None
    if factor is not None:
        target = (-(-image.width // factor), -(-image.height // factor))  # what the reduction gives
    if jpeg and target != image.size:
        mode = None if image.mode == "CMYK" else ("L" if image.mode == "L" else "RGB")
        image.draft(mode, target)  # DCT scaling: decodes at 1/2, 1/4 or 1/8 size
        pre = 1
    elif factor is not None:
        pre = factor
    else:  # whole-factor reduction down to ``reducing_gap`` above the target, then Lanczos
        pre = max(1, int(min(image.width / target[0], image.height / target[1]) / reducing_gap))
    banded = reduce_banded(path, image, pre, _normalise) if pre > 1 else None
    bgr = False
    if banded is not None:
        out = banded  # uncompressed strips: reduced a band at a time, never whole in memory
        if turned_on_load and method is not None:  # strips are as stored: turn as load() would
            out = out.transpose(method)
    else:
        bgr = screen and _decode_in_screen_order(image)
        image.load()
        out = _normalise(image)
        if pre > 1:
            out = out.reduce(pre)
    opaque = bgr and out is image  # computed pixels (reduce, resize) have a pad byte of 0
    if out.size != target:
        opaque = False
        # After DCT scaling (which stops at 1/8), a whole factor may still land in the range.
        more = fast_factor(max(out.size), max_side, False, fast_range) if fast and max_side else None
        if more is not None:
            if more > 1:
                out = out.reduce(more)
        else:
            if factor is None:
                more = int(min(out.width / target[0], out.height / target[1]) / reducing_gap)
                if more > 1:
                    out = out.reduce(more)
            out = out.resize(target, Image.Resampling.LANCZOS)
    if method is not None and not turned_on_load:
        out = out.transpose(method)
    return ScreenPage(out, bgr, opaque) if screen else out


def _normalise(image: Image.Image) -> Image.Image:
    """Convert any mode to 8-bit ``RGB`` or ``L``; 16-bit samples are scaled, not clipped."""
    mode = image.mode
    if mode in ("RGB", "L"):
        return image
    if mode.startswith("I;16") or mode == "I":
        wide = image if mode == "I" else image.convert("I")
        low, high = wide.getextrema()
        top = 65535 if high <= 65535 and low >= 0 else max(high - low, 1)
        offset = 0 if top == 65535 else -low
        scale = 255.0 / top
        return wide.point(lambda v: (v + offset) * scale).convert("L")
    if mode == "F":
        low, high = image.getextrema()
        span = (high - low) or 1.0
        return image.point(lambda v: (v - low) * (255.0 / span)).convert("L")
    if mode == "1":
        return image.convert("L")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode == "P" and "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        base = Image.new("RGB", rgba.size, (255, 255, 255))
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    if mode == "P":
        palette_mode = image.palette.mode if image.palette else "RGB"
        return image.convert("L" if palette_mode == "L" else "RGB")
    return image.convert("RGB")  # CMYK, YCbCr, LAB, HSV, RGBX ...
