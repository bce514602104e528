"""Static IIIF Image API 3 level 0 services (STANDARDS.md §7.2–7.3), written with Pillow.

For one image: ``info.json`` (``ImageService3``, ``level0``, ``sizes`` and ``tiles``), every tile
the ``tiles`` entry implies (``{x},{y},{w},{h}/{ws},{hs}/0/default.jpg``, computed as the Image
API implementation notes describe), each listed size (``full/{w},{h}/0/default.jpg``) and
``full/max/0/default.jpg``. Level 0 requires exactly these files and no server.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from PIL import Image

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"


def scale_factors(width: int, height: int, tile: int) -> list[int]:
    """Powers of two from 1 until the whole image fits in one tile."""
    factors = [1]
    while max(width, height) / factors[-1] > tile:
        factors.append(factors[-1] * 2)
    return factors


def tile_requests(width: int, height: int, tile: int, factors: list[int]):
    """Yield (region x, y, w, h, size w, h) for every tile of every scale factor."""
    for sf in factors:
        span = tile * sf
        for y in range(0, height, span):
            for x in range(0, width, span):
                rw, rh = min(span, width - x), min(span, height - y)
                yield x, y, rw, rh, math.ceil(rw / sf), math.ceil(rh / sf)


def _save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=85)


def write_level0(src: Path, folder: Path, service_id: str, *, tile: int = 512,
                 page_index: int = 0) -> dict:
    """Write a static level 0 image service for ``src`` into ``folder``.

    Args:
        src: the image file.
        folder: the service folder (its URL is ``service_id``).
        service_id: the service's id (http or https URL of ``folder``).
        tile: tile width and height in pixels.
        page_index: frame of a multi-page file.

    Returns:
        The ``info.json`` document written.
    """
    with Image.open(src) as opened:
        if page_index:
            opened.seek(page_index)
        img = opened.convert("RGB")
    width, height = img.size
    factors = scale_factors(width, height, tile)
    sizes = [(math.ceil(width / sf), math.ceil(height / sf)) for sf in reversed(factors)]
    for x, y, rw, rh, ws, hs in tile_requests(width, height, tile, factors):
        part = img.crop((x, y, x + rw, y + rh))
        if (ws, hs) != part.size:
            part = part.resize((ws, hs), Image.Resampling.LANCZOS)
        _save(part, folder / f"{x},{y},{rw},{rh}" / f"{ws},{hs}" / "0" / "default.jpg")
        if (x, y, rw, rh) == (0, 0, width, height):
            _save(part, folder / "full" / f"{ws},{hs}" / "0" / "default.jpg")
    for w, h in sizes:
        target = folder / "full" / f"{w},{h}" / "0" / "default.jpg"
        if not target.exists():
            _save(img.resize((w, h), Image.Resampling.LANCZOS), target)
    _save(img, folder / "full" / "max" / "0" / "default.jpg")
    info = {"@context": IMAGE_CONTEXT, "id": service_id, "type": "ImageService3",
            "protocol": "http://iiif.io/api/image", "profile": "level0",
            "width": width, "height": height,
            "sizes": [{"width": w, "height": h} for w, h in sizes],
            "tiles": [{"width": tile, "height": tile, "scaleFactors": factors}]}
    (folder / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info
