"""Text direction helpers (STANDARDS 9.2): the UI stays left-to-right, text follows its content."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

_RTL = {"R", "AL"}
_LTR = {"L"}

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def is_rtl(text: str | None) -> bool:
    """Whether the first strongly directional character of ``text`` is right-to-left."""
    for ch in text or "":
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL:
            return True
        if kind in _LTR:
            return False
    return False


def alignment(text: str | None) -> Qt.AlignmentFlag:
    """Cell alignment for ``text``: right for Arabic-script (and other RTL) text, else left."""
    return ALIGN_RIGHT if is_rtl(text) else ALIGN_LEFT


def direction(text: str | None) -> Qt.LayoutDirection:
    """Layout direction for an editor holding ``text``."""
    return Qt.LayoutDirection.RightToLeft if is_rtl(text) else Qt.LayoutDirection.LeftToRight


def isolate(text: str) -> str:
    """Wrap user text in FSI…PDI for display inside a mixed string (never store the result)."""
    return f"\u2068{text}\u2069"
