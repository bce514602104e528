"""Small images of every kind Archivist meets, written with Pillow (or by hand) into a test folder.

Shared by the media, ops and viewer tests. Every function writes one file and returns its path.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from PIL import Image


def gradient(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    """A picture whose every corner differs, so rotations and flips can be told apart."""
    width, height = size
    image = Image.new("RGB", size, (255, 255, 255))
    # Top-left red, top-right green, bottom-left blue, bottom-right black (quadrants).
    image.paste((220, 30, 30), (0, 0, width // 2, height // 2))
    image.paste((30, 200, 30), (width // 2, 0, width, height // 2))
    image.paste((30, 30, 220), (0, height // 2, width // 2, height))
    image.paste((10, 10, 10), (width // 2, height // 2, width, height))
    return image.convert(mode) if mode != "RGB" else image


def save(image: Image.Image, path: Path, fmt: str | None = None, **params) -> Path:
    """Save an image and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **params)
    return path


def jpeg(
    path: Path,
    size: tuple[int, int] = (64, 48),
    orientation: int | None = None,
    make: str | None = None,
    model: str | None = None,
    taken: str | None = None,
    dpi: tuple[int, int] | None = (300, 300),
    quality: int = 90,
) -> Path:
    """A JPEG with optional EXIF orientation and capture metadata."""
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    params = {"quality": quality, "exif": exif}
    if dpi:
        params["dpi"] = dpi
    return save(gradient(size), path, "JPEG", **params)


def tiff_pages(path: Path, sizes: list[tuple[int, int]], compression: str = "raw") -> Path:
    """A multi-page TIFF, one gradient page per size."""
    images = [gradient(size) for size in sizes]
    return save(
        images[0], path, "TIFF", save_all=True, append_images=images[1:], compression=compression,
        dpi=(600, 600),
    )


def pdf_pages(path: Path, sizes: list[tuple[int, int]], resolution: float = 72.0) -> Path:
    """A PDF with one image page per size (a size in pixels at ``resolution`` dpi)."""
    images = [gradient(size) for size in sizes]
    return save(images[0], path, "PDF", save_all=True, append_images=images[1:], resolution=resolution)


def gray16(path: Path, size: tuple[int, int] = (40, 30), value: int = 30000) -> Path:
    """A 16-bit greyscale image (TIFF or PNG by suffix), every pixel ``value``."""
    return save(Image.new("I;16", size, value), path)


def rgb48_tiff(path: Path, size: tuple[int, int] = (10, 8), value=(30000, 40000, 50000)) -> Path:
    """An uncompressed 16-bit-per-channel RGB TIFF, written by hand (Pillow cannot write one)."""
    width, height = size
    pixels = struct.pack("<3H", *value) * (width * height)
    data_off = 8
    bps_off = data_off + len(pixels)
    ifd_off = bps_off + 6
    entries = [
        (256, 3, 1, width), (257, 3, 1, height), (258, 3, 3, bps_off), (259, 3, 1, 1),
        (262, 3, 1, 2), (273, 4, 1, data_off), (277, 3, 1, 3), (278, 3, 1, height),
        (279, 4, 1, len(pixels)), (284, 3, 1, 1),
    ]
    out = b"II*\x00" + struct.pack("<I", ifd_off) + pixels + struct.pack("<3H", 16, 16, 16)
    out += struct.pack("<H", len(entries))
    for tag, typ, count, val in entries:
        if typ == 3 and count == 1:
            out += struct.pack("<HHIHH", tag, typ, count, val, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, val)
    out += struct.pack("<I", 0)
    path.write_bytes(out)
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims ``width`` × ``height`` pixels but holds almost no data (a bomb header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def truncated(src: Path, path: Path, keep: float = 0.5) -> Path:
    """A copy of ``src`` cut to ``keep`` of its length."""
    data = src.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def flip_byte(path: Path, offset: int | None = None) -> None:
    """Invert one byte of a file in place (the middle one by default), even if it is read-only."""
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    index = len(data) // 2 if offset is None else offset
    data[index] ^= 0xFF
    path.write_bytes(bytes(data))
