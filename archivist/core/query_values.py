"""Values of the query language's exact fields: record types, levels, languages, dates ...

Split from :mod:`archivist.core.query` (the grammar); each function raises
:class:`~archivist.core.errors.InvalidQuery` pointing at the offending character.
"""

from __future__ import annotations

import calendar
import re

from archivist.core.errors import InvalidQuery

#: Fields whose value is searched as text (words, phrases, prefixes).
TEXT_FIELDS = ("title", "person", "org", "place", "tag", "ref")
#: Fields whose value is an exact condition.
FILTER_FIELDS = ("type", "level", "lang", "has", "restricted", "date", "within")
#: What ``has:`` can ask for.
HAS_VALUES = ("scan", "transcription", "translation", "region")

_LANG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", re.I)
_YES = {"yes": "yes", "true": "yes", "y": "yes", "1": "yes",
        "no": "no", "false": "no", "n": "no", "0": "no"}
_DAY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DECADE = re.compile(r"(\d{3})(?:X|0s)", re.I)
_CENTURY = re.compile(r"(\d{2})(?:XX|00s)", re.I)


def _at(pos: int) -> str:
    return f"at character {pos + 1}"


def _record_types() -> tuple[str, ...]:
    from archivist.core.templates import RECORD_TYPES  # reads the shipped templates once

    return RECORD_TYPES


def _levels() -> tuple[str, ...]:
    from archivist.core.levels import LEVELS

    return LEVELS


def _choose(fld: str, value: str, choices: tuple[str, ...], pos: int) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key in choices:
        return key
    if fld == "level" and key.replace("_", "") in choices:  # sub-fonds, sub_series
        return key.replace("_", "")
    if key.endswith("s") and key[:-1] in choices:  # scans, letters
        return key[:-1]
    starts = [c for c in choices if c.startswith(key)] if key else []
    if len(starts) == 1:  # type:press -> press_clipping
        return starts[0]
    raise InvalidQuery(
        f"{fld}:{value} {_at(pos)} is not known; use one of: {', '.join(choices)}", pos)


def parse_filter_value(fld: str, value: str, pos: int) -> str:
    """Check and canonicalise the value of ``type:``, ``level:``, ``lang:``, ``has:``, ``restricted:``.

    Args:
        fld: the field name.
        value: the value as typed.
        pos: the offset of the value in the query.

    Returns:
        The canonical value (``press_clipping``, ``subfonds``, ``az-cyrl``, ``scan``, ``yes``).

    Raises:
        InvalidQuery: the value is not allowed.
    """
    if fld == "type":
        return _choose(fld, value, _record_types(), pos)
    if fld == "level":
        return _choose(fld, value, _levels(), pos)
    if fld == "has":
        return _choose(fld, value, HAS_VALUES, pos)
    if fld == "restricted":
        try:
            return _YES[value.strip().lower()]
        except KeyError:
            raise InvalidQuery(f"restricted: takes yes or no, not {value} ({_at(pos)})", pos) from None
    if fld == "lang":
        if not _LANG.fullmatch(value.strip()):
            raise InvalidQuery(
                f"lang:{value} {_at(pos)} is not a language code; use a code such as prs, ps, hy, "
                f"ru, az-Cyrl", pos)
        return value.strip().lower()
    raise InvalidQuery(f"{fld}: is not an exact field ({_at(pos)})", pos)


def _bound(text: str, pos: int, upper: bool) -> str:
    """One side of a date span → ISO day (first day, or last day when ``upper``)."""
    m = _DECADE.fullmatch(text)
    if m:
        year = int(m.group(1)) * 10 + (9 if upper else 0)
        return f"{year:04d}-12-31" if upper else f"{year:04d}-01-01"
    m = _CENTURY.fullmatch(text)
    if m:
        year = int(m.group(1)) * 100 + (99 if upper else 0)
        return f"{year:04d}-12-31" if upper else f"{year:04d}-01-01"
    m = _DAY.fullmatch(text)
    if not m:
        raise InvalidQuery(
            f"{text!r} {_at(pos)} is not a date; write a year (1994), a month (1994-05), a day "
            f"(1994-05-21), a decade (199X) or a span (1993..1994)", pos)
    year, month, day = m.group(1), m.group(2), m.group(3)
    y = int(year)
    if y == 0:
        raise InvalidQuery(f"there is no year 0000 ({_at(pos)})", pos)
    if month is None:
        return f"{y:04d}-12-31" if upper else f"{y:04d}-01-01"
    mo = int(month)
    if not 1 <= mo <= 12:
        raise InvalidQuery(f"month {month} {_at(pos + 5)} is not between 01 and 12", pos + 5)
    last = calendar.monthrange(y, mo)[1]
    if day is None:
        return f"{y:04d}-{mo:02d}-{last:02d}" if upper else f"{y:04d}-{mo:02d}-01"
    d = int(day)
    if not 1 <= d <= last:
        day_pos = pos + 6 + len(month)
        raise InvalidQuery(f"day {day} {_at(day_pos)} does not exist in {year}-{mo:02d}", day_pos)
    return f"{y:04d}-{mo:02d}-{d:02d}"


def parse_date_value(value: str, pos: int) -> tuple[str | None, str | None]:
    """Parse the value of ``date:`` / ``within:`` into an inclusive span of ISO days.

    Accepted: ``1994``, ``1994-05``, ``1994-05-21``, ``199X`` / ``1990s``, ``19XX``, and spans
    ``A..B`` or ``A/B`` where either end may be left open (``..1993``, ``1993..``).

    Args:
        value: the text after the colon.
        pos: its offset in the query.

    Returns:
        ``(start, end)``, each an ISO day or None for an open end.

    Raises:
        InvalidQuery: not a date, impossible month or day, both ends open, or end before start.
    """
    sep = ".." if ".." in value else ("/" if "/" in value else None)
    if sep is None:
        return _bound(value, pos, False), _bound(value, pos, True)
    left, _, right = value.partition(sep)
    right_pos = pos + len(left) + len(sep)
    if not left and not right:
        raise InvalidQuery(f"the span {_at(pos)} has no start and no end, as in 1993..1994", pos)
    if sep in right:
        where = right_pos + right.index(sep)
        raise InvalidQuery(f"a span has one {sep} only ({_at(where)})", where)
    start = _bound(left, pos, False) if left else None
    end = _bound(right, right_pos, True) if right else None
    if start and end and start > end:
        raise InvalidQuery(f"the span {_at(pos)} ends before it starts ({value}); "
                           f"write the earlier date first", pos)
    return start, end
