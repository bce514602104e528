"""The query language: every form and every error, with its position."""

import pytest

from archivist.core.errors import InvalidQuery
from archivist.core.query import (
    And, DateFilter, Filter, Not, Or, Phrase, Term, caret_line, parse_query, positive_terms, to_text,
)

T = Term


@pytest.mark.parametrize("query, tree", [
    ("kabul", T("kabul")),
    ("kabul letter", And((T("kabul"), T("letter")))),
    ("kabul AND letter", And((T("kabul"), T("letter")))),
    ("kabul OR herat", Or((T("kabul"), T("herat")))),
    ("a OR b c", Or((T("a"), And((T("b"), T("c")))))),
    ("a b OR c", Or((And((T("a"), T("b"))), T("c")))),
    ("(a OR b) c", And((Or((T("a"), T("b"))), T("c")))),
    ("NOT draft", Not(T("draft"))),
    ("-draft kabul", And((Not(T("draft")), T("kabul")))),
    ("NOT a b", And((Not(T("a")), T("b")))),
    ("NOT (a OR b)", Not(Or((T("a"), T("b"))))),
    ("-\"x y\"", Not(Phrase("x y"))),
    ("\"mazar sharif\"", Phrase("mazar sharif")),
    ("“mazar sharif”", Phrase("mazar sharif")),
    ("«Мазари Шариф»", Phrase("Мазари Шариф")),
    ("hekmat*", T("hekmat", prefix=True)),
    ("Mazar-i-Sharif", T("Mazar-i-Sharif")),
    ("نامه\u200cها", T("نامه\u200cها")),
    ("and or not", And((T("and"), T("or"), T("not")))),  # lower case: plain words
    ("10:30", T("10:30")),
    ("title:kabul", T("kabul", field="title")),
    ("TITLE:kabul", T("kabul", field="title")),
    ("title:\"kabul letter\"", Phrase("kabul letter", field="title")),
    ("title:(kabul OR herat)", Or((T("kabul", field="title"), T("herat", field="title")))),
    ("title:(a -b)", And((T("a", field="title"), Not(T("b", field="title"))))),
    ("person:hekmatyar", T("hekmatyar", field="person")),
    ("person:\"Hekmatyar, Gulbuddin\"", Phrase("Hekmatyar, Gulbuddin", field="person")),
    ("org:hezb*", T("hezb", prefix=True, field="org")),
    ("place:Ղարաբաղ", T("Ղարաբաղ", field="place")),
    ("tag:mercenaries", T("mercenaries", field="tag")),
    ("ref:AM-KFF-1", T("AM-KFF-1", field="ref")),
    ("ref:AM-KFF*", T("AM-KFF", prefix=True, field="ref")),
    ("-title:draft", Not(T("draft", field="title"))),
    ("type:letter", Filter("type", "letter")),
    ("type:press", Filter("type", "press_clipping")),
    ("type:captured-document", Filter("type", "captured_document")),
    ("type:\"press clipping\"", Filter("type", "press_clipping")),
    ("type:(letter OR report)", Or((Filter("type", "letter"), Filter("type", "report")))),
    ("level:item", Filter("level", "item")),
    ("level:sub-fonds", Filter("level", "subfonds")),
    ("lang:prs", Filter("lang", "prs")),
    ("lang:az-Cyrl", Filter("lang", "az-cyrl")),
    ("has:scan", Filter("has", "scan")),
    ("has:scans", Filter("has", "scan")),
    ("has:transcription", Filter("has", "transcription")),
    ("restricted:yes", Filter("restricted", "yes")),
    ("restricted:no", Filter("restricted", "no")),
    ("date:1994", DateFilter("1994-01-01", "1994-12-31")),
    ("date:1994-05", DateFilter("1994-05-01", "1994-05-31")),
    ("date:1996-02", DateFilter("1996-02-01", "1996-02-29")),
    ("date:1994-05-21", DateFilter("1994-05-21", "1994-05-21")),
    ("date:1993..1994", DateFilter("1993-01-01", "1994-12-31")),
    ("date:1993/1994", DateFilter("1993-01-01", "1994-12-31")),
    ("date:1994-05..1994-06-10", DateFilter("1994-05-01", "1994-06-10")),
    ("date:..1993", DateFilter(None, "1993-12-31")),
    ("date:1993..", DateFilter("1993-01-01", None)),
    ("date:199X", DateFilter("1990-01-01", "1999-12-31")),
    ("date:1990s", DateFilter("1990-01-01", "1999-12-31")),
    ("date:19XX", DateFilter("1900-01-01", "1999-12-31")),
    ("within:1993..1994", DateFilter("1993-01-01", "1994-12-31", within=True)),
    ("kabul type:letter date:1994 -draft", And((
        T("kabul"), Filter("type", "letter"), DateFilter("1994-01-01", "1994-12-31"),
        Not(T("draft"))))),
])
def test_forms(query, tree):
    assert parse_query(query) == tree


def test_positions_are_offsets_of_the_query():
    tree = parse_query("kabul  title:herat \"a b\" -x date:1994")
    kabul, herat, phrase, neg, date = tree.items
    assert kabul.position == 0
    assert herat.position == 13  # the value, after "title:"
    assert phrase.position == 19
    assert neg.item.position == 26
    assert date.position == 33


@pytest.mark.parametrize("query", [
    "kabul letter", "a OR b c", "(a OR b) (c OR d)", "NOT (a b) c", "\"x y\" hek*",
    "title:(a OR b)", "type:press level:sub-fonds lang:az-Cyrl has:scans restricted:yes",
    "date:1994 within:..1993 date:199X", "ref:AM-KFF* person:\"Hekmatyar, Gulbuddin\"",
    "a OR (b OR c)",
])
def test_to_text_round_trips(query):
    tree = parse_query(query)
    assert parse_query(to_text(tree)) == tree


@pytest.mark.parametrize("query, position, words", [
    ("\"abc", 0, "never closed"),
    ("a \"b c", 2, "never closed"),
    ("\"\"", 0, "empty"),
    ("\"a\"*", 3, "star cannot follow a phrase"),
    ("x”", 1, "no opening quote"),
    ("a OR", 2, "needs a term on its right"),
    ("OR a", 0, "needs a term on its left"),
    ("a AND OR b", 2, "needs a term on its right"),
    ("a (OR b)", 3, "needs a term on its left"),
    ("NOT", 0, "needs a term after it"),
    ("a NOT", 2, "needs a term after it"),
    ("- x", 0, "minus"),
    ("a -", 2, "minus"),
    ("(a", 0, "never closed"),
    ("(a (b)", 0, "never closed"),
    ("a)", 1, "no matching ("),
    ("()", 0, "empty"),
    ("foo:bar", 0, "unknown field foo:"),
    ("x http://example.org", 2, "unknown field http:"),
    ("title:", 0, "needs a value"),
    ("title: kabul", 0, "needs a value"),
    ("title:(person:x)", 7, "cannot be nested"),
    ("a*b", 1, "star may only end a word"),
    ("a*", 1, "at least 2 characters"),
    ("*", 0, "at least 2 characters"),
    ("type:memo", 5, "use one of"),
    ("type:p", 5, "use one of"),  # photograph, physical_object, press_clipping: ambiguous
    ("level:box", 6, "use one of"),
    ("has:pdf", 4, "use one of"),
    ("type:lett*", 9, "takes no star"),
    ("restricted:maybe", 11, "yes or no"),
    ("lang:123", 5, "not a language code"),
    ("date:May", 5, "not a date"),
    ("date:1994-13", 10, "month 13"),
    ("date:1994-02-30", 13, "day 30"),
    ("date:1993..1994-00", 16, "month 00"),
    ("date:1995..1993", 5, "ends before it starts"),
    ("date:..", 5, "no start and no end"),
    ("date:1990..1991..1992", 15, "one .. only"),
    ("date:0000", 5, "no year 0000"),
    ("", 0, "empty"),
    ("   ", 0, "empty"),
])
def test_errors_say_what_and_where(query, position, words):
    with pytest.raises(InvalidQuery) as info:
        parse_query(query)
    assert info.value.position == position
    assert words in info.value.message
    if query.strip():
        assert f"at character {position + 1}" in info.value.message


def test_positive_terms_skip_negated_and_filters():
    tree = parse_query("kabul \"mazar sharif\" -draft type:letter title:herat*")
    got = positive_terms(tree)
    assert got == [T("kabul"), Phrase("mazar sharif"), T("herat", prefix=True, field="title")]


def test_caret_line_points_at_the_problem():
    query = "kabul \"letter"
    with pytest.raises(InvalidQuery) as info:
        parse_query(query)
    lines = caret_line(query, info.value.position).splitlines()
    assert lines[0] == query
    assert lines[1].index("^") == query.index("\"")
    assert caret_line(query, None) == query
