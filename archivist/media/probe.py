"""Identify and inspect a scan safely: format, pages, pixel size, resolution, orientation, metadata.

Only the formats Archivist keeps are opened (JPEG, PNG, TIFF, WebP, GIF, BMP and PDF), and a file is
refused with :class:`~archivist.core.errors.BadFile` naming it and saying why: empty, not an image,
unsupported, truncated or corrupt, unreadable, or a decompression bomb. The pixel limit is deliberate:
:data:`MAX_PIXELS` (1,000 megapixels) admits a 600 dpi A1 scan (about 280 MP) with room to spare and
refuses anything larger.

Pixel sizes are reported **upright**: for an EXIF orientation of 5 to 8 (rotated by 90°) width and
height are swapped, so they match the derivatives and the viewer.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageFile

from archivist.core.errors import BadFile
from archivist.media import pdf as pdfmod
from archivist.media.exif import PILLOW_TURNS_TIFF, capture_of, orientation_of, read_exif

#: The largest page accepted, in pixels (width × height). 600 dpi A1 is about 280 MP.
MAX_PIXELS = 1_000_000_000

# Pillow's own guard warns above MAX_IMAGE_PIXELS and raises above twice that. Ours is stricter and
# explicit (see _check_pixels); Pillow's is set to the same figure so it never refuses a page we accept.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
Image.init()  # register every plugin now: Image.open(formats=...) needs TIFF and WEBP loaded

#: Pillow format names accepted, and the extension each is stored under.
FORMAT_EXT = {
    "JPEG": "jpg",
    "MPO": "jpg",  # camera JPEGs with a second (preview) picture
    "PNG": "png",
    "TIFF": "tif",
    "WEBP": "webp",
    "GIF": "gif",
    "BMP": "bmp",
    "PDF": "pdf",
}

MIME_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "PDF": "application/pdf",
}

_PIL_FORMATS = ["JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP"]

_MODE_BITS = {"1": 1, "I;16": 16, "I;16L": 16, "I;16B": 16, "I;16N": 16, "I": 32, "F": 32}


@dataclass(frozen=True)
class PageInfo:
    """One page of a file.

    Attributes:
        index: the page inside the file, from 0.
        width: pixels across, upright.
        height: pixels down, upright.
        dpi: horizontal resolution in dots per inch, if the file states one.
        mode: Pillow's mode (``RGB``, ``L``, ``CMYK``, ``I;16``, ``1`` ...); ``RGB`` for PDF pages.
        bits: bits per sample (1, 8 or 16 for scans).
    """

    index: int
    width: int
    height: int
    dpi: float | None
    mode: str
    bits: int


@dataclass(frozen=True)
class FileInfo:
    """What a file is, as stored in the catalogue's ``files`` row.

    Attributes:
        path: the file inspected.
        format: ``JPEG``, ``PNG``, ``TIFF``, ``WEBP``, ``GIF``, ``BMP`` or ``PDF``.
        ext: the extension to store it under.
        mime: its media type.
        size: bytes.
        pages: every page, in order (one for single-image formats).
        orientation: the EXIF orientation, 1 to 8 (1 when absent).
        capture: capture metadata (``make``, ``model``, ``datetime_original``, PDF ``producer`` ...).
        compression: the compression named by the file, where it names one (TIFF ``tiff_lzw`` ...).
    """

    path: Path
    format: str
    ext: str
    mime: str
    size: int
    pages: tuple[PageInfo, ...]
    orientation: int = 1
    capture: dict[str, str] = field(default_factory=dict)
    compression: str | None = None

    @property
    def page_count(self) -> int:
        """How many pages the file has."""
        return len(self.pages)

    @property
    def width(self) -> int:
        """Upright width of the first page."""
        return self.pages[0].width

    @property
    def height(self) -> int:
        """Upright height of the first page."""
        return self.pages[0].height

    @property
    def dpi(self) -> float | None:
        """Resolution of the first page."""
        return self.pages[0].dpi


def bad_file(path: str | os.PathLike[str], reason: str) -> BadFile:
    """Build the error for a refused file: its message names the file and gives the reason.

    The error also carries ``path`` and ``reason`` attributes for reports.
    """
    err = BadFile(f"{Path(path).name}: {reason}")
    err.path = str(path)  # type: ignore[attr-defined]
    err.reason = reason  # type: ignore[attr-defined]
    return err


def check_readable(path: str | os.PathLike[str]) -> tuple[int, bytes]:
    """Make sure a path is a non-empty regular file we can read.

    Args:
        path: the file.

    Returns:
        ``(size, first_bytes)``: its size and up to 1 KiB from its start.

    Raises:
        BadFile: missing, not a file, empty, or unreadable.
    """
    path = Path(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise bad_file(path, "not a regular file")
        if st.st_size == 0:
            raise bad_file(path, "the file is empty")
        with open(path, "rb") as stream:
            head = stream.read(1024)
    except FileNotFoundError as exc:
        raise bad_file(path, "the file does not exist") from exc
    except PermissionError as exc:
        raise bad_file(path, "the file cannot be read (permission denied)") from exc
    except OSError as exc:
        raise bad_file(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    return st.st_size, head


def is_pdf(head: bytes) -> bool:
    """Whether the first bytes of a file mark a PDF (``%PDF-`` within the first 1 KiB)."""
    return b"%PDF-" in head[:1024]


def open_image(path: str | os.PathLike[str], fp: BinaryIO | None = None) -> Image.Image:
    """Open a raster image lazily (header only), refusing anything unsafe or not ours.

    Args:
        path: the image file.
        fp: the file already opened by the caller (binary, at its start), or None to open
            ``path``. Pillow never closes a file it was given, and an Image opened from one stays
            usable once its pixels are loaded and the caller has closed the file.

    Returns:
        The opened image; its pixels are not decoded yet. The caller closes it (or, with ``fp``,
        closes ``fp``).

    Raises:
        BadFile: not an image of a kept format, unreadable, or over :data:`MAX_PIXELS`.
    """
    try:
        image = Image.open(fp if fp is not None else path, formats=_PIL_FORMATS)
    except Image.DecompressionBombError as exc:
        raise bad_file(path, _bomb_reason(None)) from exc
    except Image.DecompressionBombWarning as exc:  # only when warnings are turned into errors
        raise bad_file(path, _bomb_reason(None)) from exc
    except Image.UnidentifiedImageError as exc:
        raise bad_file(path, "not an image in a supported format") from exc
    except PermissionError as exc:
        raise bad_file(path, "the file cannot be read (permission denied)") from exc
    except Exception as exc:  # noqa: BLE001 - a malformed header can raise anything in a parser
        raise bad_file(path, f"corrupt image header ({exc})") from exc
    try:
        _check_pixels(path, image.size)
    except BadFile:
        image.close()
        raise
    return image


def _bomb_reason(size: tuple[int, int] | None) -> str:
    limit = f"{MAX_PIXELS // 1_000_000:,} megapixels"
    if size is None:
        return f"too large to open safely (decompression bomb: over {limit})"
    mp = size[0] * size[1] / 1_000_000
    return f"too large to open safely ({size[0]}×{size[1]} = {mp:,.0f} megapixels; the limit is {limit})"


def _check_pixels(path: str | os.PathLike[str], size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise bad_file(path, f"corrupt image header (size {width}×{height})")
    if width * height > MAX_PIXELS:
        raise bad_file(path, _bomb_reason(size))


def probe(path: str | os.PathLike[str], *, decode: bool = False) -> FileInfo:
    """Identify and inspect a file.

    Args:
        path: the file to inspect.
        decode: also decode every page (cheaply, reduced where the format allows) to find truncated
            or corrupt data; without it only headers are read. Ingest decodes anyway when it makes
            the derivatives, so it leaves this off.

    Returns:
        What the file is.

    Raises:
        BadFile: empty, not an image, unsupported, truncated or corrupt, unreadable, or too large.
    """
    path = Path(path)
    size, head = check_readable(path)
    if is_pdf(head):
        return _probe_pdf(path, size, decode)
    image = open_image(path)
    try:
        return _probe_raster(path, size, head, image, decode)
    except BadFile:
        raise
    except Exception as exc:  # noqa: BLE001 - see open_image
        raise bad_file(path, f"truncated or corrupt ({exc})") from exc
    finally:
        image.close()


def _probe_pdf(path: Path, size: int, decode: bool) -> FileInfo:
    try:
        info = pdfmod.read_pdf_info(path)
        if decode:
            for index in range(len(info.page_sizes)):
                pdfmod.render_pdf_page(path, index, max_side=64)
    except pdfmod.PdfProblem as exc:
        raise bad_file(path, exc.reason) from exc
    pages = []
    for index, (w_pt, h_pt) in enumerate(info.page_sizes):
        dpi = pdfmod.page_dpi(w_pt, h_pt)
        width = pdfmod.points_to_pixels(w_pt, dpi)
        height = pdfmod.points_to_pixels(h_pt, dpi)
        _check_pixels(path, (width, height))
        pages.append(PageInfo(index, width, height, round(dpi, 2), "RGB", 8))
    return FileInfo(
        path, "PDF", "pdf", MIME_TYPES["PDF"], size, tuple(pages), 1, dict(info.metadata)
    )


def _probe_raster(path: Path, size: int, head: bytes, image: Image.Image, decode: bool) -> FileInfo:
    fmt = "JPEG" if image.format == "MPO" else str(image.format)
    exif = read_exif(image)
    orientation = orientation_of(exif)
    capture = capture_of(exif, image)
    compression = image.info.get("compression")
    # Animated GIF and WebP are one picture; only TIFF pages are pages of a document.
    n_pages = getattr(image, "n_frames", 1) if fmt == "TIFF" else 1
    pages = []
    for index in range(n_pages):
        if index:
            image.seek(index)
        _check_pixels(path, image.size)
        width, height = image.size
        if orientation in (5, 6, 7, 8) and not (fmt == "TIFF" and PILLOW_TURNS_TIFF):
            width, height = height, width
        pages.append(
            PageInfo(index, width, height, _dpi(image), image.mode, _bits(fmt, image, head))
        )
        if decode:
            _decode_check(image)
    return FileInfo(
        path,
        fmt,
        FORMAT_EXT[fmt],
        MIME_TYPES[fmt],
        size,
        tuple(pages),
        orientation,
        capture,
        str(compression) if compression else None,
    )


def _decode_check(image: Image.Image) -> None:
    """Decode the current frame, reduced for JPEG, so truncated data raises."""
    if image.format in ("JPEG", "MPO"):
        image.draft(None, (image.width // 8 or 1, image.height // 8 or 1))
    image.load()


def _dpi(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    # Many writers put 1 (or 0) when they know no resolution: that is no statement of one.
    return round(value, 2) if value > 1 else None


def _bits(fmt: str, image: Image.Image, head: bytes) -> int:
    if fmt == "TIFF":
        bps = getattr(image, "tag_v2", {}).get(258)
        if isinstance(bps, tuple) and bps:
            return int(bps[0])
        if isinstance(bps, int):
            return bps
    if fmt == "PNG" and len(head) > 24 and head[12:16] == b"IHDR":
        return head[24]
    if fmt == "JPEG":
        return int(getattr(image, "bits", 8))
    return _MODE_BITS.get(image.mode, 8)
