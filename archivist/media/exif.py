"""A scan's EXIF without decoding its pixels: orientation, capture metadata, and how Pillow turns
TIFF pages. Split from :mod:`archivist.media.probe`, which re-exports :func:`read_exif` and
:data:`PILLOW_TURNS_TIFF`.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

#: EXIF / TIFF tags kept as capture metadata (tag id → our key).
_IFD0_TAGS = {
    0x010F: "make",
    0x0110: "model",
    0x0131: "software",
    0x0132: "datetime",
    0x013B: "artist",
    0x8298: "copyright",
    0x010E: "description",
}
_EXIF_TAGS = {0x9003: "datetime_original", 0x9004: "datetime_digitized", 0xA434: "lens_model"}
_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112

def _pillow_turns_tiffs() -> bool:
    """Whether this Pillow turns TIFF pages upright itself (a 2 × 1 page turned by tag 274)."""
    buffer = io.BytesIO()
    Image.new("L", (2, 1)).save(buffer, "TIFF", tiffinfo={274: 6})
    buffer.seek(0)
    with Image.open(buffer) as image:
        return image.size == (1, 2)


#: Whether Pillow turns TIFF pages upright itself, as recent versions do: an opened TIFF page then
#: reports its upright size, and ``load()`` transposes the pixels and drops the orientation tag.
#: Other formats, and TIFF strips read directly (``archivist.media.strips``), are as stored.
PILLOW_TURNS_TIFF = _pillow_turns_tiffs()


def read_exif(image: Image.Image) -> Image.Exif:
    """An image's EXIF without decoding its pixels.

    Pillow's ``getexif()`` on a PNG decodes the whole image to look for an ``eXIf`` chunk after the
    pixel data; here only the header chunks are consulted, so probing a 300 MP PNG stays instant.
    """
    if image.format == "PNG":
        exif = Image.Exif()
        raw = image.info.get("exif")
        if raw:
            try:
                exif.load(raw)
            except Exception:  # noqa: BLE001 - broken metadata, not a broken scan
                return Image.Exif()
        return exif
    try:
        return image.getexif()
    except Exception:  # noqa: BLE001
        return Image.Exif()


def orientation_of(exif: Image.Exif) -> int:
    """The EXIF orientation, 1 to 8 (1 when absent or malformed)."""
    value = exif.get(_ORIENTATION, 1)
    try:
        value = int(value)
    except (TypeError, ValueError):
        return 1
    return value if 1 <= value <= 8 else 1


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def capture_of(exif: Image.Exif, image: Image.Image) -> dict[str, str]:
    """Capture metadata kept for a file: camera or scanner, dates, artist, ICC profile."""
    capture: dict[str, str] = {}
    for tag, key in _IFD0_TAGS.items():
        text = _text(exif.get(tag))
        if text:
            capture[key] = text
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # noqa: BLE001 - a broken EXIF block is metadata lost, not a bad scan
        sub = {}
    for tag, key in _EXIF_TAGS.items():
        text = _text(sub.get(tag))
        if text:
            capture[key] = text
    if image.info.get("icc_profile"):
        capture["icc_profile"] = "embedded"
    return capture
