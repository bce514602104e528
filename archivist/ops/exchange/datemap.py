"""EDTF dates mapped to targets that cannot carry EDTF: ISO bounds, certainty, display text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from archivist.core.dates import humanize, parse_date
from archivist.core.errors import InvalidDate

_ISO = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")


def is_iso(expression: str) -> bool:
    """Whether ``expression`` is plain ISO 8601 (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""
    return bool(_ISO.match(expression))


@dataclass(frozen=True)
class Bounds:
    """An EDTF expression seen by a target without EDTF."""

    expression: str
    start: str | None        # ISO, shortest exact form when the expression is ISO itself
    end: str | None
    certainty: str | None    # approximate | uncertain | "uncertain and approximate" | None
    human: str
    exact: bool              # True when start/end say all the expression says

    @property
    def normal(self) -> str | None:
        """``start/end`` or a single date (EAD ``@normal``); None when an end is open."""
        if self.start is None or self.end is None:
            return None
        return self.start if self.start == self.end else f"{self.start}/{self.end}"


def date_bounds(date: dict) -> Bounds:
    """:func:`bounds` of a native date dict, using the record stream's precomputed bounds
    (``_earliest``, ``_latest``, ``_certainty``) when they are there."""
    expression = date["expression"]
    if "_earliest" in date and not is_iso(expression) and not _simple_interval(expression):
        return Bounds(expression, date.get("_earliest"), date.get("_latest"),
                      date.get("_certainty"), humanize(expression), False)
    return bounds(expression)


def _simple_interval(expression: str) -> bool:
    start, _, end = expression.partition("/")
    return bool(end) and (is_iso(start) or start == "..") and (is_iso(end) or end == "..")


@lru_cache(maxsize=8192)
def bounds(expression: str) -> Bounds:
    """Normalise an EDTF expression for a target without EDTF.

    ``1994-05`` → start = end = ``1994-05`` (exact); ``1993/1994`` → 1993 … 1994 (exact);
    ``1993~`` → 1993-01-01 … 1993-12-31, approximate; ``199X`` → 1990-01-01 … 1999-12-31.
    An invalid expression gives open bounds and keeps the text as display.
    """
    if is_iso(expression):
        return Bounds(expression, expression, expression, None, humanize(expression), True)
    start, _, end = expression.partition("/")
    if end and is_iso(start) and is_iso(end) and start <= end:
        return Bounds(expression, start, end, None, humanize(expression), True)
    if end == ".." and is_iso(start):
        return Bounds(expression, start, None, None, humanize(expression), True)
    if start == ".." and is_iso(end):
        return Bounds(expression, None, end, None, humanize(expression), True)
    try:
        parsed = parse_date(expression)
    except InvalidDate:
        return Bounds(expression, None, None, None, expression, False)
    return Bounds(expression, parsed.earliest, parsed.latest, parsed.certainty,
                  humanize(expression), False)


#: EAD3 / ArchivesSpace certainty words for our certainty values.
CERTAINTY_WORD = {"approximate": "approximate", "uncertain": "questionable",
                  "uncertain and approximate": "questionable"}
