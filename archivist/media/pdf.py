"""PDF documents through PDFium (pypdfium2): page sizes, metadata and rendering pages to images.

PDFium is not thread-safe, so every call into it in this process holds :data:`PDFIUM_LOCK`.
A PDF page has no pixels of its own: its "full resolution" is a rendering at :data:`PDF_DPI`.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

#: Serialises all PDFium calls made by this process (PDFium keeps global state).
PDFIUM_LOCK = threading.RLock()

#: The resolution at which a PDF page counts as "full resolution" (width/height reported, viewer 1:1).
PDF_DPI = 300

_POINTS_PER_INCH = 72.0

#: A page so large that :data:`PDF_DPI` would exceed this many pixels (a poster, a map) counts as
#: full resolution at the lower dpi that fits.
MAX_RENDER_PIXELS = 250_000_000

#: The document information keys kept as capture metadata (PDF name → our key).
_METADATA_KEYS = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Creator": "creator",
    "Producer": "producer",
    "CreationDate": "created",
    "ModDate": "modified",
}


class PdfProblem(Exception):
    """PDFium could not open or render the document; ``reason`` says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PdfInfo:
    """What a PDF is: its page sizes in points (upright) and its document metadata."""

    page_sizes: tuple[tuple[float, float], ...]
    metadata: dict[str, str]


def _open(path: Path):  # -> pdfium.PdfDocument
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise PdfProblem("the PDF is encrypted with a password") from exc
        raise PdfProblem(f"not a readable PDF ({exc})") from exc


def _upright_size(page) -> tuple[float, float]:
    width, height = page.get_size()
    if page.get_rotation() % 180 == 90:
        width, height = height, width
    return float(width), float(height)


def read_pdf_info(path: str | os.PathLike[str]) -> PdfInfo:
    """Read a PDF's page count, page sizes and document metadata without rendering anything.

    Args:
        path: the PDF file.

    Returns:
        Its page sizes (points, as displayed, honouring /Rotate) and metadata.

    Raises:
        PdfProblem: it cannot be opened (corrupt, truncated, encrypted) or has no pages.
    """
    with PDFIUM_LOCK:
        pdf = _open(Path(path))
        try:
            sizes = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    sizes.append(_upright_size(page))
                finally:
                    page.close()
            raw = pdf.get_metadata_dict(skip_empty=True)
        finally:
            pdf.close()
    if not sizes:
        raise PdfProblem("the PDF has no pages")
    metadata = {ours: str(raw[key]).strip() for key, ours in _METADATA_KEYS.items() if raw.get(key)}
    return PdfInfo(tuple(sizes), metadata)


def points_to_pixels(points: float, dpi: float = PDF_DPI) -> int:
    """Pixels that a length in PDF points covers at ``dpi`` (at least 1)."""
    return max(1, round(points * dpi / _POINTS_PER_INCH))


def page_dpi(width_pt: float, height_pt: float) -> float:
    """The resolution a page counts as full at: :data:`PDF_DPI`, lower for a huge page."""
    pixels = width_pt * height_pt * (PDF_DPI / _POINTS_PER_INCH) ** 2
    if pixels <= MAX_RENDER_PIXELS:
        return float(PDF_DPI)
    return PDF_DPI * (MAX_RENDER_PIXELS / pixels) ** 0.5


def render_pdf_page(
    path: str | os.PathLike[str], page_index: int, max_side: int | None = None
) -> Image.Image:
    """Render one PDF page to an RGB image.

    Args:
        path: the PDF file.
        page_index: the page, from 0.
        max_side: the longest side wanted in pixels; None renders at full resolution
            (:func:`page_dpi`), above which a page is never rendered.

    Returns:
        The page on a white background, upright, in mode ``RGB``.

    Raises:
        PdfProblem: the document or page cannot be read or rendered.
        IndexError: there is no such page.
    """
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = _open(Path(path))
        try:
            if not 0 <= page_index < len(pdf):
                raise IndexError(f"page {page_index} is out of range (the PDF has {len(pdf)})")
            page = pdf[page_index]
            try:
                width, height = _upright_size(page)
                scale = page_dpi(width, height) / _POINTS_PER_INCH
                if max_side is not None:
                    scale = min(scale, max_side / max(width, height, 1.0))
                bitmap = page.render(scale=scale, may_draw_forms=False)
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
            except pdfium.PdfiumError as exc:
                raise PdfProblem(f"page {page_index + 1} cannot be rendered ({exc})") from exc
            finally:
                page.close()
        finally:
            pdf.close()
    return image
