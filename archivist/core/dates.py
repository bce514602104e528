"""Dates as EDTF expressions: validation, normalised bounds and a human reading.

An expression is stored verbatim (``1994-05``, ``1993~``, ``[1993,1995]``); beside it we keep the
earliest and latest day it can mean (ISO ``YYYY-MM-DD`` strings, ``None`` for an open end), the
same bounds widened for uncertainty (for "might overlap" searches) and its certainty.
Parsing is done by the ``edtf`` library; we add the checks it lacks (reversed intervals) and the
rendering for people.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from edtf import EDTFParseException, parse_edtf

from archivist.core.errors import InvalidDate, InvalidValue

DATE_LABELS = ("creation", "accumulation", "publication")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}


@dataclass(frozen=True)
class EdtfDate:
    """A validated EDTF expression with its normalised bounds.

    Attributes:
        expression: the EDTF text exactly as given.
        earliest: first day it can mean (ISO date), or None when open.
        latest: last day it can mean (ISO date), or None when open.
        earliest_fuzzy: ``earliest`` widened for uncertainty or approximation.
        latest_fuzzy: ``latest`` widened likewise.
        certainty: "approximate", "uncertain", "uncertain and approximate" or None.
    """

    expression: str
    earliest: str | None
    latest: str | None
    earliest_fuzzy: str | None
    latest_fuzzy: str | None
    certainty: str | None

    @property
    def human(self) -> str:
        """The reading for people: "21 December 1994", "circa 1993", "1990s"."""
        return humanize(self.expression)


def _iso(t) -> str | None:
    if isinstance(t, float):
        if math.isinf(t):
            return None
        raise InvalidDate(f"unexpected bound {t!r}")
    return time.strftime("%Y-%m-%d", t)


def date_item(item) -> tuple[str, str]:
    """(expression, label) of a record's date given as ``"1994"``, ``{"expression": …,
    "label": …}`` or an (expression, label) pair; the label defaults to "creation".

    Raises:
        InvalidValue: the label is not one of :data:`DATE_LABELS`.
    """
    if isinstance(item, str):
        expr, label = item, "creation"
    elif isinstance(item, dict):
        expr, label = item.get("expression"), item.get("label") or "creation"
    else:
        expr, label = item
    if label not in DATE_LABELS:
        raise InvalidValue(f"unknown date label {label!r}; use one of: {', '.join(DATE_LABELS)}")
    return expr, label


@lru_cache(maxsize=4096)
def parse_date(expression: str) -> EdtfDate:
    """Validate an EDTF expression and compute its bounds.

    Args:
        expression: EDTF text such as ``1994-12-21``, ``1993~`` or ``1993/1994``.

    Returns:
        The validated date.

    Raises:
        InvalidDate: the text is not EDTF, or an interval ends before it starts.
    """
    text = expression.strip() if isinstance(expression, str) else ""
    if not text:
        raise InvalidDate("a date cannot be empty")
    if text != expression:
        raise InvalidDate(f"date {expression!r} has spaces around it")
    try:
        parsed = parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError) as exc:
        hint = _hint(text)
        raise InvalidDate(f"{text!r} is not a valid EDTF date{hint}") from exc
    try:
        lo, hi = _iso(parsed.lower_strict()), _iso(parsed.upper_strict())
        lo_f, hi_f = _iso(parsed.lower_fuzzy()), _iso(parsed.upper_fuzzy())
    except (ValueError, OverflowError, AttributeError) as exc:
        raise InvalidDate(f"{text!r} is not a date that exists: {exc}") from exc
    if lo is not None and hi is not None and lo > hi:
        raise InvalidDate(f"{text!r} ends before it starts ({lo} is after {hi})")
    if text.startswith("/") or text.endswith("/"):
        # The library pads an unknown end by ten years; we keep it honest as open.
        lo_f = lo = None if text.startswith("/") else lo
        hi_f = hi = None if text.endswith("/") else hi
    return EdtfDate(text, lo, hi, lo_f, hi_f, _certainty(text))


def is_valid(expression: str) -> bool:
    """Return True when ``expression`` is a valid, well-ordered EDTF date."""
    try:
        parse_date(expression)
    except InvalidDate:
        return False
    return True


def _certainty(text: str) -> str | None:
    if "%" in text or ("?" in text and "~" in text):
        return "uncertain and approximate"
    if "~" in text:
        return "approximate"
    if "?" in text:
        return "uncertain"
    return None


def _hint(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d{4}", text):
        return f"; write a span as {text[:4]}/{text[5:]}"
    if re.fullmatch(r"\d{3}0s", text):
        return f"; write a decade as {text[:3]}X"
    if re.fullmatch(r"(c\.?|ca\.?|circa)\s*\d{4}", text, re.I):
        return f"; write 'circa' as {text[-4:]}~"
    if re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{4}", text):
        return "; write a day as YYYY-MM-DD"
    return "; examples: 1994-12-21, 1994-05, 1993~, 1993?, 1993/1994, 199X, [1993,1995]"


_SIMPLE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([?~%]?)$")


def _simple(text: str) -> str | None:
    m = _SIMPLE.match(text)
    if not m:
        return None
    year, month, day, qual = m.groups()
    if month and int(month) in SEASONS and not day:
        core = f"{SEASONS[int(month)]} {year}"
    elif day:
        core = f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    elif month:
        core = f"{MONTHS[int(month) - 1]} {year}"
    else:
        core = year
    return {"": core, "~": f"circa {core}", "?": f"possibly {core}", "%": f"possibly circa {core}"}[qual]


def humanize(expression: str) -> str:
    """Render an EDTF expression for people.

    ``1994-12-21`` → "21 December 1994"; ``1994-05`` → "May 1994"; ``1993~`` → "circa 1993";
    ``1993?`` → "possibly 1993"; ``[1993,1994]`` → "1993 or 1994"; ``{1993,1995}`` → "1993 and 1995";
    ``1993/1994`` → "1993–1994"; ``199X`` → "1990s"; ``../1993`` → "until 1993".
    Anything else is returned as written.
    """
    text = expression.strip()
    simple = _simple(text)
    if simple:
        return simple
    m = re.fullmatch(r"(\d{2,3})(X+)", text)
    if m:
        digits, xs = m.groups()
        if len(xs) == 1:
            return f"{digits}0s"
        if len(xs) == 2:
            return f"{digits}00s"
    if text.startswith("[") and text.endswith("]") or text.startswith("{") and text.endswith("}"):
        parts = [p.strip() for p in text[1:-1].split(",") if p.strip()]
        readable = [humanize(p) if ".." not in p else p.replace("..", "–") for p in parts]
        joiner = " or " if text.startswith("[") else " and "
        if len(readable) > 2:
            return ", ".join(readable[:-1]) + joiner + readable[-1]
        return joiner.join(readable)
    if "/" in text:
        start, _, end = text.partition("/")
        if start in ("..", ""):
            return f"until {humanize(end)}" if start == ".." else f"? – {humanize(end)}"
        if end in ("..", ""):
            return f"{humanize(start)} onwards" if end == ".." else f"{humanize(start)} – ?"
        return f"{humanize(start)}–{humanize(end)}"
    return text


# -- the fast path for the common forms (bulk imports validate a million dates) --------------

_SIMPLE_DATE = re.compile(r"([1-9]\d{3})(?:-(\d{2})(?:-(\d{2}))?)?")
_YEAR_QUALIFIED = re.compile(r"([1-9]\d{3})([~?%])")
_YEAR_INTERVAL = re.compile(r"([1-9]\d{3}|\.\.)/([1-9]\d{3}|\.\.)")
_YEAR_UNSPECIFIED = re.compile(r"([1-9]\d{1,2})(X{1,2})")
_YEAR_SET = re.compile(r"[\[{][1-9]\d{3}(?:,[1-9]\d{3})+[\]}]")


def fast_date(expression: str) -> EdtfDate:
    """Validate a date, skipping the slow EDTF parser for the common simple forms.

    Handled here: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY~`` / ``YYYY?`` / ``YYYY%``,
    ``YYYY/YYYY`` with open ends (``..``), decades and centuries (``199X``, ``19XX``) and sets of
    years (``[1993,1995]``, ``{1993,1995}``). The result is the one
    :func:`parse_date` gives (tests compare them); anything else, and every
    error, goes to that parser.

    Raises:
        InvalidDate: not a valid EDTF date.
    """
    if isinstance(expression, str):
        try:
            found = _fast(expression)
        except ValueError:  # e.g. 1994-02-30: let the parser word the error
            found = None
        if found is not None:
            return found
    return parse_date(expression)


def _year_bounds(y: int) -> tuple[str, str]:
    return f"{y:04d}-01-01", f"{y:04d}-12-31"


def _fast(text: str) -> EdtfDate | None:
    m = _SIMPLE_DATE.fullmatch(text)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if mo is not None and not 1 <= int(mo) <= 12:
            return None  # seasons and the like
        if d is not None:
            day = date(y, int(mo), int(d)).isoformat()
            return EdtfDate(text, day, day, day, day, None)
        if mo is not None:
            first = date(y, int(mo), 1)
            nxt = date(y + (int(mo) == 12), int(mo) % 12 + 1, 1)
            last = date.fromordinal(nxt.toordinal() - 1).isoformat()
            return EdtfDate(text, first.isoformat(), last, first.isoformat(), last, None)
        lo, hi = _year_bounds(y)
        return EdtfDate(text, lo, hi, lo, hi, None)
    m = _YEAR_QUALIFIED.fullmatch(text)
    if m:
        y, q = int(m.group(1)), m.group(2)
        pad = 2 if q == "%" else 1
        lo, hi = _year_bounds(y)
        certainty = {"~": "approximate", "?": "uncertain", "%": "uncertain and approximate"}[q]
        return EdtfDate(text, lo, hi, _year_bounds(y - pad)[0], _year_bounds(y + pad)[1], certainty)
    m = _YEAR_INTERVAL.fullmatch(text)
    if m and text != "../..":
        lo = _year_bounds(int(m.group(1)))[0] if m.group(1) != ".." else None
        hi = _year_bounds(int(m.group(2)))[1] if m.group(2) != ".." else None
        if lo is not None and hi is not None and lo > hi:
            return None
        return EdtfDate(text, lo, hi, lo, hi, None)
    m = _YEAR_UNSPECIFIED.fullmatch(text)
    if m and len(text) == 4:
        width = 10 ** len(m.group(2))
        first = int(m.group(1)) * width
        lo, hi = _year_bounds(first)[0], _year_bounds(first + width - 1)[1]
        return EdtfDate(text, lo, hi, lo, hi, None)
    m = _YEAR_SET.fullmatch(text)
    if m and (text[0], text[-1]) in (("[", "]"), ("{", "}")):
        years = [int(y) for y in text[1:-1].split(",")]
        lo, hi = _year_bounds(min(years))[0], _year_bounds(max(years))[1]
        return EdtfDate(text, lo, hi, lo, hi, None)
    return None
