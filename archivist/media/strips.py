"""Reduced decoding of uncompressed TIFF pages band by band, so huge masters never sit whole in memory.

Pillow decodes a TIFF page whole before it can be reduced: a 300 MP uncompressed RGB master costs
1.2 GB for a moment. Uncompressed strips, though, are plain rows at known offsets, so here the page
is read a band of rows at a time, each band reduced by the whole factor and pasted into the small
result: memory stays at one band plus the result. Only uncompressed, full-width, top-down strips of
the ordinary modes qualify; anything else returns None and the caller decodes as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image

#: Modes whose per-band normalisation is the same as whole-page normalisation (no image statistics).
_BANDABLE_MODES = {"RGB", "L", "1", "CMYK", "I;16", "I;16L", "I;16B", "RGBA", "LA"}

#: Source bytes read at a time (whole rows, a multiple of the factor): a band of an A1 master at
#: 600 dpi is about 400 rows.
BAND_BYTES = 16 << 20


def _stride(image: Image.Image, width: int) -> int | None:
    tags = getattr(image, "tag_v2", None)
    if tags is None:
        return None
    bits = tags.get(258, (8,))
    bits = bits if isinstance(bits, tuple) else (bits,)
    samples = int(tags.get(277, len(bits)))
    per_pixel = sum(bits) if len(bits) == samples else bits[0] * samples
    return (width * per_pixel + 7) // 8


def reduce_banded(
    path: Path, image: Image.Image, factor: int, normalise: Callable[[Image.Image], Image.Image]
) -> Image.Image | None:
    """Decode the current page of an opened TIFF reduced by ``factor``, a band of rows at a time.

    Args:
        path: the TIFF file.
        image: the opened (not loaded) image, seeked to the page.
        factor: the whole reduction factor (2 or more).
        normalise: turns a decoded band into ``RGB`` or ``L`` (deterministic per pixel).

    Returns:
        The reduced page in ``RGB`` or ``L``, as stored (not turned by its orientation tag), or
        None when the page's layout does not qualify.

    Raises:
        OSError: the file ends before its strips do (truncated).
    """
    if image.format != "TIFF" or image.mode not in _BANDABLE_MODES or factor < 2:
        return None
    tiles = list(image.tile)
    # As stored (an opened TIFF page may report its upright size: see ``PILLOW_TURNS_TIFF``).
    tags = image.tag_v2
    width, height = tags.get(256, image.width), tags.get(257, image.height)
    stride = _stride(image, width)
    if not tiles or stride is None:
        return None
    for tile in tiles:
        codec, extents, _offset, args = tile
        if codec != "raw" or extents[0] != 0 or extents[2] != width:
            return None
        if not isinstance(args, tuple) or len(args) < 3 or args[2] != 1:
            return None
        if args[1] not in (0, stride):
            return None
    rawmode = tiles[0].args[0]
    if any(t.args[0] != rawmode for t in tiles):
        return None
    rows_per_band = max(factor, (BAND_BYTES // max(stride, 1)) // factor * factor)
    out: Image.Image | None = None
    # One buffer and one band image for every band, filled in place: a fresh 16 MB read and a
    # fresh band image per band cost page faults (and unpacking into new memory) that took as
    # long as the reduction itself.
    buffer = bytearray(min(rows_per_band, height) * stride)
    band: Image.Image | None = None
    with open(path, "rb", buffering=0) as fh:
        for top in range(0, height, rows_per_band):
            rows = min(rows_per_band, height - top)
            data = memoryview(buffer)[: rows * stride]
            _read_rows(fh, tiles, top, rows, stride, data)
            if band is None or band.height != rows:  # the last band may be shorter
                band = None  # let the full-height band go before the short one is made
                band = Image.new(image.mode, (width, rows))
            band.frombytes(data, "raw", rawmode, stride, 1)
            data.release()
            small = normalise(band).reduce(factor)
            if out is None:
                out = Image.new(small.mode, (-(-width // factor), -(-height // factor)))
            out.paste(small, (0, top // factor))
    return out


def _read_rows(fh, tiles, top: int, rows: int, stride: int, into: memoryview) -> None:
    """Read source rows ``top`` … ``top + rows`` from the strips that hold them into ``into``."""
    filled = 0
    end = top + rows
    for tile in tiles:
        y0, y1 = tile.extents[1], tile.extents[3]
        lo, hi = max(top, y0), min(end, y1)
        if lo >= hi:
            continue
        fh.seek(tile.offset + (lo - y0) * stride)
        want = (hi - lo) * stride
        got = 0
        while got < want:
            n = fh.readinto(into[filled + got: filled + want])
            if not n:
                raise OSError("image file is truncated (strip data ends early)")
            got += n
        filled += want
    if filled != rows * stride:
        raise OSError("image file is truncated (rows missing)")
