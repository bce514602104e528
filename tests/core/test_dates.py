import pytest

from archivist.core.dates import humanize, is_valid, parse_date
from archivist.core.errors import InvalidDate


@pytest.mark.parametrize("expr, earliest, latest, certainty", [
    ("1994-12-21", "1994-12-21", "1994-12-21", None),
    ("1994-05", "1994-05-01", "1994-05-31", None),
    ("1993~", "1993-01-01", "1993-12-31", "approximate"),
    ("1993?", "1993-01-01", "1993-12-31", "uncertain"),
    ("1993%", "1993-01-01", "1993-12-31", "uncertain and approximate"),
    ("1993/1994", "1993-01-01", "1994-12-31", None),
    ("199X", "1990-01-01", "1999-12-31", None),
    ("[1993,1995]", "1993-01-01", "1995-12-31", None),
    ("../1993", None, "1993-12-31", None),
    ("1993/..", "1993-01-01", None, None),
    ("/1993", None, "1993-12-31", None),
])
def test_bounds(expr, earliest, latest, certainty):
    d = parse_date(expr)
    assert d.expression == expr
    assert (d.earliest, d.latest, d.certainty) == (earliest, latest, certainty)


def test_uncertain_dates_widen_fuzzy_bounds():
    d = parse_date("1993~")
    assert d.earliest_fuzzy < d.earliest and d.latest_fuzzy > d.latest


@pytest.mark.parametrize("expr, reason", [
    ("1995/1993", "ends before it starts"),
    ("1993-1994", "1993/1994"),
    ("1990s", "199X"),
    ("circa 1993", "1993~"),
    ("1994-13", "not a valid EDTF date"),
    ("1994-02-30", "not a valid EDTF date"),
    ("", "empty"),
    (" 1994", "spaces"),
])
def test_invalid_dates_say_why(expr, reason):
    with pytest.raises(InvalidDate, match=reason):
        parse_date(expr)
    assert not is_valid(expr)


@pytest.mark.parametrize("expr, text", [
    ("1994-12-21", "21 December 1994"),
    ("1994-05", "May 1994"),
    ("1993~", "circa 1993"),
    ("1993?", "possibly 1993"),
    ("[1993,1994]", "1993 or 1994"),
    ("{1993,1995}", "1993 and 1995"),
    ("1993/1994", "1993–1994"),
    ("199X", "1990s"),
    ("19XX", "1900s"),
    ("../1993", "until 1993"),
    ("1993/..", "1993 onwards"),
    ("1993-21", "spring 1993"),
    ("1994-04~", "circa April 1994"),
])
def test_human_reading(expr, text):
    assert humanize(expr) == text
    assert parse_date(expr).human == text


def test_date_item_forms_and_label():
    from archivist.core.dates import date_item
    from archivist.core.errors import InvalidValue
    assert date_item("1994") == ("1994", "creation")
    assert date_item({"expression": "1994-05", "label": "publication"}) == ("1994-05", "publication")
    assert date_item({"expression": "1994", "label": None}) == ("1994", "creation")
    assert date_item(("1993/1994", "accumulation")) == ("1993/1994", "accumulation")
    with pytest.raises(InvalidValue, match="unknown date label"):
        date_item(("1994", "birth"))
