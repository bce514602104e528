"""Pillow pixels to a display-ready ``QImage`` in one pass, reading Pillow's memory in place.

``Image.tobytes("raw", "BGRX")`` packs a 35 MP page row by row into 64 kB pieces and joins them:
about 200 ms and two fresh 140 MB buffers, which was a third of the time to show a page at full
resolution. Pillow's memory already holds an ``RGB`` pixel as four bytes R, G, B, pad, which is
Qt's ``Format_RGBX8888``, so here a ``QImage`` is laid over that memory without a copy and Qt's
own converter (vectorised, and run off the GUI thread by the caller) makes the ``Format_RGB32``
image the screen wants, in one pass into memory that Qt owns.

The memory is reached through Pillow's public Arrow export (``Image.__arrow_c_array__``, Pillow
11.2+), read with ``ctypes`` against the stable Arrow C data interface. Arrow needs an image in a
single block of memory, which Pillow only allocates after ``Image.core.set_use_block_allocator(1)``
(a global switch, the one Pillow's Arrow documentation gives); :func:`use_single_blocks` turns it
on for the GUI process. An image in several blocks (allocated before the switch) takes the slower
``tobytes`` path, so the result never depends on the switch, only the speed.
"""

from __future__ import annotations

import ctypes

from PIL import Image
from PySide6.QtGui import QImage


class _ArrowArray(ctypes.Structure):
    """``struct ArrowArray`` of the Arrow C data interface (a stable ABI)."""


_ArrowArray._fields_ = [
    ("length", ctypes.c_int64),
    ("null_count", ctypes.c_int64),
    ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(_ArrowArray))),
    ("dictionary", ctypes.POINTER(_ArrowArray)),
    ("release", ctypes.c_void_p),
    ("private_data", ctypes.c_void_p),
]

_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]

#: Bytes per pixel of Pillow's storage, and the Qt format that reads that storage as it is.
_LAYOUTS = {
    "RGB": (4, QImage.Format.Format_RGBX8888),
    "L": (1, QImage.Format.Format_Grayscale8),
}


def use_single_blocks() -> None:
    """Have Pillow allocate each image in one block from now on (process-wide), so that
    :func:`display_image` can read new images in place. Safe to call more than once."""
    core = Image.core
    if hasattr(core, "set_use_block_allocator"):
        core.set_use_block_allocator(1)


def pixel_memory(image: Image.Image) -> tuple[ctypes.Array, object] | None:
    """Pillow's own pixel memory of an ``RGB`` or ``L`` image, without a copy.

    Args:
        image: a loaded image in mode ``RGB`` or ``L``.

    Returns:
        ``(buffer, keep)``: a ``ctypes`` byte array over the pixels (rows of ``width × 4`` bytes
        for ``RGB``, ``width`` for ``L``, top to bottom) and the Arrow capsule that keeps them
        alive: hold ``keep`` for as long as ``buffer`` is used. None when the image is not in a
        single block of memory (or the mode is another).
    """
    layout = _LAYOUTS.get(image.mode)
    if layout is None or not hasattr(image, "__arrow_c_array__"):
        return None
    try:
        _schema, keep = image.__arrow_c_array__()
    except ValueError:  # several blocks: "Image rows are not contiguous in memory"
        return None
    array = _ArrowArray.from_address(_capsule_pointer(keep, b"arrow_array"))
    if array.n_children:  # multi-band: a fixed-size list of four uint8 per pixel
        array = array.children[0].contents
    depth = layout[0]
    size = image.width * image.height * depth
    if array.n_buffers < 2 or array.length - array.offset < size or not array.buffers[1]:
        return None
    buffer = (ctypes.c_ubyte * size).from_address(array.buffers[1] + array.offset)
    return buffer, keep


def screen_view(image: Image.Image) -> tuple[QImage, object] | None:
    """A ``Format_RGB32`` ``QImage`` laid over the memory of a screen-ordered image, no copy.

    Args:
        image: an ``RGB`` image decoded in screen byte order with every pad byte 255
            (``ScreenPage`` with ``bgr`` and ``opaque``): its memory already is ``Format_RGB32``.

    Returns:
        ``(qimage, keep)``, or None when the image is not in one block of memory. The ``QImage``
        (and any ``QPixmap`` made from it, which shares the memory) is valid only while ``keep``
        is held: keep it beside the pixmap.
    """
    if image.mode != "RGB":
        return None
    memory = pixel_memory(image)
    if memory is None:
        return None
    buffer, capsule = memory
    view = QImage(buffer, image.width, image.height, image.width * 4, QImage.Format.Format_RGB32)
    return view, (buffer, capsule, image)


def display_image(image: Image.Image, bgr: bool = False) -> QImage:
    """A ``Format_RGB32`` ``QImage`` of an ``RGB`` or ``L`` Pillow image that owns its pixels.

    ``QPixmap.fromImage`` takes such an image without converting, and shares its pixels (Qt
    counts the references), so the Pillow image may go as soon as this returns. Safe off the
    GUI thread; call it there: the conversion is one pass over the picture.

    Args:
        image: a loaded image in mode ``RGB`` or ``L`` (other modes are converted to ``RGB``).
        bgr: the ``RGB`` image's red and blue bands are swapped (screen byte order, pad bytes
            unknown): its memory is read as ``Format_ARGB32``, whose conversion to ``RGB32``
            sets every pad byte to 255 and keeps the colours.
    """
    if image.mode not in _LAYOUTS:
        image, bgr = image.convert("RGB"), False
    depth, fmt = _LAYOUTS[image.mode]
    if bgr and image.mode == "RGB":
        fmt = QImage.Format.Format_ARGB32
    memory = pixel_memory(image)
    if memory is not None:
        buffer, keep = memory
        view = QImage(buffer, image.width, image.height, image.width * depth, fmt)
        out = view.convertToFormat(QImage.Format.Format_RGB32)
        del view, buffer, keep  # Qt's copy is made: Pillow's memory may go
        return out
    if image.mode == "L":
        data = image.tobytes()
        view = QImage(data, image.width, image.height, image.width, fmt)
        return view.convertToFormat(QImage.Format.Format_RGB32)
    if bgr:  # pad bytes unknown: through ARGB32, as above
        data = image.tobytes("raw", "RGBX")
        view = QImage(data, image.width, image.height, image.width * 4, fmt)
        return view.convertToFormat(QImage.Format.Format_RGB32)
    data = image.tobytes("raw", "BGRX")  # little-endian RGB32: B, G, R, 0xFF
    view = QImage(data, image.width, image.height, image.width * 4, QImage.Format.Format_RGB32)
    return view.copy()  # owns its pixels (a QImage over ``data`` would not outlive it)
