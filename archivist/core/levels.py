"""Levels of description (ISAD(G)) and the rules of the hierarchy."""

from __future__ import annotations

from archivist.core.errors import InvalidHierarchy, InvalidValue

#: ISAD(G) levels from the top down; the rank orders what may contain what.
LEVELS = ("fonds", "subfonds", "series", "subseries", "file", "item")
LEVEL_LABELS = {"fonds": "Fonds", "subfonds": "Sub-fonds", "series": "Series",
                "subseries": "Sub-series", "file": "File", "item": "Item"}
_RANK = {level: i for i, level in enumerate(LEVELS)}


def check_level(level: str) -> str:
    """Return ``level`` if it is an ISAD(G) level, else raise InvalidValue."""
    if level not in _RANK:
        raise InvalidValue(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")
    return level


def can_contain(parent_level: str, child_level: str) -> bool:
    """Whether a unit at ``parent_level`` may directly contain one at ``child_level``.

    A unit contains only units of a lower level, except that a sub-fonds may hold sub-fonds, a
    sub-series sub-series, and a file may hold files (ISAD(G) allows nesting at these levels).
    An item contains nothing.
    """
    p, c = _RANK[check_level(parent_level)], _RANK[check_level(child_level)]
    if parent_level == "item":
        return False
    if parent_level == child_level and parent_level in ("subfonds", "subseries", "file"):
        return True
    return c > p


def check_containment(parent_level: str | None, child_level: str) -> None:
    """Raise InvalidHierarchy if ``child_level`` cannot sit under ``parent_level``."""
    check_level(child_level)
    if parent_level is None:
        return
    if not can_contain(parent_level, child_level):
        raise InvalidHierarchy(
            f"{_a(LEVEL_LABELS[parent_level].lower())} cannot contain "
            f"{_a(LEVEL_LABELS[child_level].lower())}")


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
