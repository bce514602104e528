"""Synthetic scan-like pages for the scan benchmarks, cached in ``tests/benchmarks/_data``.

A "scan" here is off-white paper with grain, a faint illumination gradient, and dark lines of
"text" (blocks of noisy ink), so it compresses like a real scan (a 24 MP JPEG at quality 90 is a
few MB) rather than like a flat colour. Everything is made with Pillow's C routines, so a 35 MP
page takes about a second. Files are written once per data folder and reused.

Kinds:
    ``jpeg24``   24 MP camera-style JPEG (6000 × 4000, quality 90), with EXIF orientation 1.
    ``jpeg_a4``  A4 at 600 dpi (4961 × 7016, 35 MP) as a quality 90 JPEG.
    ``tiff_a4``  A4 at 600 dpi (4961 × 7016, 35 MP) RGB TIFF, uncompressed.
    ``tiff_lzw`` the same page, LZW compressed.
    ``tiff_multi`` a 4-page A4 300 dpi TIFF (LZW).
    ``pdf``      a 4-page PDF of A4 pages (JPEG images inside).
    ``bomb``     a PNG header claiming 60,000 × 60,000 pixels (3,600 MP) with no data.
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

A4_600 = (4961, 7016)
A4_300 = (2480, 3508)
CAMERA_24MP = (6000, 4000)
VERSION = "v1"


def scan_page(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A scan-like RGB page: grainy paper, a light gradient and lines of noisy "ink"."""
    rng = random.Random(seed)
    width, height = size
    paper = Image.new("RGB", size, (236, 230, 214))
    # Grain: Gaussian noise at low amplitude, blended in (C speed).
    grain = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
    paper = Image.blend(paper, grain, 0.25)
    # Illumination gradient from left to right (scanner lamp fall-off).
    ramp = Image.linear_gradient("L").rotate(90).resize(size)
    paper = Image.composite(paper, paper.point(lambda v: v * 0.9), ramp)
    draw = ImageDraw.Draw(paper)
    margin = width // 10
    line_h = max(8, height // 90)
    y = margin
    while y < height - margin:
        x = margin
        while x < width - margin:
            word = rng.randint(line_h * 2, line_h * 7)
            ink = rng.randint(20, 70)
            draw.rectangle([x, y, min(x + word, width - margin), y + line_h * 2 // 3],
                           fill=(ink, ink, ink + 10))
            x += word + line_h
        y += line_h * 2 if rng.random() > 0.08 else line_h * 5  # paragraphs
    # Soften the ink edges a little so it is not pure synthetic blocks.
    return paper.filter(ImageFilter.BoxBlur(1))


def data_folder(base: str | Path) -> Path:
    """The cached scans folder inside the benchmark data folder."""
    folder = Path(base) / f"scans-{VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def bomb_png(path: Path, width: int = 60_000, height: int = 60_000) -> Path:
    """A PNG whose header claims a huge size but that holds almost nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def _write_atomic(path: Path, save) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    save(tmp)
    tmp.replace(path)
    return path


def make(kind: str, folder: Path, index: int = 0, *, small: bool = False) -> Path:
    """The cached file of a kind (made on first use).

    Args:
        kind: see the module docstring.
        folder: the scans folder (:func:`data_folder`).
        index: which one (a different seed, so files differ and do not deduplicate).
        small: a reduced size for smoke runs (a quarter of the pixels).

    Returns:
        The file's path.
    """
    suffix = "-small" if small else ""
    shrink = (lambda s: (s[0] // 2, s[1] // 2)) if small else (lambda s: s)
    if kind == "jpeg24":
        path = folder / f"camera{suffix}-{index:03}.jpg"
        if not path.exists():
            page = scan_page(shrink(CAMERA_24MP), seed=index)
            exif = Image.Exif()
            exif[0x0112] = 1
            exif[0x010F] = "Synthetic"
            _write_atomic(path, lambda p: page.save(p, "JPEG", quality=90, exif=exif, dpi=(300, 300)))
        return path
    if kind == "jpeg_a4":
        path = folder / f"a4-600{suffix}-{index:03}.jpg"
        if not path.exists():
            page = scan_page(shrink(A4_600), seed=4000 + index)
            _write_atomic(path, lambda p: page.save(p, "JPEG", quality=90, dpi=(600, 600)))
        return path
    if kind in ("tiff_a4", "tiff_lzw"):
        comp = "raw" if kind == "tiff_a4" else "tiff_lzw"
        path = folder / f"a4-600{suffix}-{comp}-{index:03}.tif"
        if not path.exists():
            page = scan_page(shrink(A4_600), seed=1000 + index)
            _write_atomic(path, lambda p: page.save(p, "TIFF", compression=comp, dpi=(600, 600)))
        return path
    if kind == "tiff_multi":
        path = folder / f"multi{suffix}-{index:03}.tif"
        if not path.exists():
            pages = [scan_page(shrink(A4_300), seed=2000 + index * 10 + i) for i in range(4)]
            _write_atomic(path, lambda p: pages[0].save(p, "TIFF", save_all=True,
                                                        append_images=pages[1:],
                                                        compression="tiff_lzw", dpi=(300, 300)))
        return path
    if kind == "pdf":
        path = folder / f"doc{suffix}-{index:03}.pdf"
        if not path.exists():
            pages = [scan_page(shrink(A4_300), seed=3000 + index * 10 + i) for i in range(4)]
            _write_atomic(path, lambda p: pages[0].save(p, "PDF", save_all=True,
                                                        append_images=pages[1:], resolution=300))
        return path
    if kind == "bomb":
        path = folder / "bomb.png"
        if not path.exists():
            bomb_png(path)
        return path
    raise ValueError(f"unknown synthetic scan kind {kind!r}")


def make_many(kind: str, folder: Path, count: int, *, small: bool = False) -> list[Path]:
    """``count`` distinct cached files of a kind."""
    return [make(kind, folder, i, small=small) for i in range(count)]


if __name__ == "__main__":  # make a sample set to look at: python -m tests.benchmarks.synth_scans DIR
    import sys

    out = data_folder(sys.argv[1] if len(sys.argv) > 1 else "scans-sample")
    for name in ("jpeg24", "jpeg_a4", "tiff_a4", "tiff_lzw", "tiff_multi", "pdf", "bomb"):
        print(make(name, out))
