"""The search query language: text → a small syntax tree, with precise errors.

Syntax (documented for users in the README and the GUI's help)::

    kabul letter            both words (AND is implied)
    kabul OR herat          either word;   AND, OR, NOT are upper case
    NOT draft   -draft      leave out records with the word
    (kabul OR herat) 1994   parentheses group
    "mazar sharif"          a phrase;      “…” and «…» work as well
    hekmat*                 a prefix (at least two characters before the star)
    title:kabul  title:"kabul letter"  title:(kabul OR herat)
    person: org: place:     names of linked authorities (any variant or script)
    tag:mercenaries  ref:AM-KFF-1  ref:AM-KFF*
    type:letter  level:item  lang:prs  has:scan  has:transcription  restricted:yes
    date:1994  date:1994-05  date:1993..1994  date:..1993  date:1993..  date:199X
    within:1993..1994       dates entirely inside the span (date: means "overlaps")

Precedence: NOT and ``-`` bind tightest, then AND (also implied), then OR.

Errors raise :class:`~archivist.core.errors.InvalidQuery` whose ``position`` is the 0-based
character offset of the problem; the message gives it 1-based ("at character 7"), and
:func:`caret_line` draws a pointer under the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as _dc_field
from typing import Union

from archivist.core.errors import InvalidQuery
from archivist.core.query_values import FILTER_FIELDS, TEXT_FIELDS, parse_date_value, parse_filter_value

__all__ = [
    "QUERY_HELP", "Term", "Phrase", "Filter", "DateFilter", "And", "Or", "Not", "Node",
    "parse_query", "to_text", "positive_terms", "caret_line", "FIELDS",
]

#: The query language for people (CLI ``--help``, the GUI's help, the README).
QUERY_HELP = """Query language:
  kabul letter          both words          kabul OR herat      either word
  -draft  NOT draft     leave out           (a OR b) c          grouping
  "mazar sharif"        phrase              hekmat*             prefix (2+ letters)
  title: person: org: place: tag: ref:      person:hekmatyar  ref:AM-KFF*
  type:letter  level:item  lang:prs  has:scan  has:transcription  restricted:yes
  date:1994  date:1994-05  date:1993..1994  date:..1993  date:199X   (dates that overlap)
  within:1993..1994     dates entirely inside the span
Case, accents, Arabic/Persian letter forms, harakat, ZWNJ, ё/е and և are ignored.
Names are found in every variant and script of a linked authority record, and
through transliteration across Latin, Cyrillic, Armenian and Arabic script
(those hits are ranked below exact ones)."""

#: Every field name the language knows, in the order help lists them.
FIELDS = TEXT_FIELDS + FILTER_FIELDS
_MIN_PREFIX = 2
_OPEN_QUOTES = {'"': '"”', "“": "”\"", "«": "»", "„": "“”\""}
_ALL_QUOTES = set('"“”«»„')
_FIELD_NAME = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Term:
    """A word; ``field`` None means "any text of the record"."""

    text: str
    prefix: bool = False
    field: str | None = None
    position: int = _dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase:
    """Words that must follow one another."""

    text: str
    field: str | None = None
    position: int = _dc_field(default=0, compare=False)


@dataclass(frozen=True)
class Filter:
    """An exact condition: ``type``, ``level``, ``lang``, ``has`` or ``restricted``."""

    field: str
    value: str
    position: int = _dc_field(default=0, compare=False)


@dataclass(frozen=True)
class DateFilter:
    """A span of days (ISO ``YYYY-MM-DD``; None = open) that record dates overlap or lie within."""

    start: str | None
    end: str | None
    within: bool = False
    position: int = _dc_field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    """All of ``items``."""

    items: tuple


@dataclass(frozen=True)
class Or:
    """Any of ``items``."""

    items: tuple


@dataclass(frozen=True)
class Not:
    """Records that do not match ``item``."""

    item: object


Node = Union[Term, Phrase, Filter, DateFilter, And, Or, Not]


def _at(pos: int) -> str:
    return f"at character {pos + 1}"


@dataclass
class _Tok:
    kind: str  # WORD PHRASE LPAREN RPAREN MINUS FIELD AND OR NOT
    text: str
    pos: int
    prefix: bool = False


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == "(":
            toks.append(_Tok("LPAREN", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("RPAREN", c, i))
            i += 1
        elif c in _OPEN_QUOTES:
            closers = _OPEN_QUOTES[c]
            j = i + 1
            while j < n and q[j] not in closers:
                j += 1
            if j >= n:
                raise InvalidQuery(f"the quote {_at(i)} is never closed; add a closing {closers[0]}", i)
            text = q[i + 1:j]
            if not text.strip():
                raise InvalidQuery(f"the quotes {_at(i)} are empty; put words between them", i)
            if j + 1 < n and q[j + 1] == "*":
                raise InvalidQuery(f"a star cannot follow a phrase ({_at(j + 1)}); put it on a word", j + 1)
            toks.append(_Tok("PHRASE", text, i))
            i = j + 1
        elif c in _ALL_QUOTES:
            raise InvalidQuery(f"the closing quote {c} {_at(i)} has no opening quote", i)
        elif c == "-":
            if i + 1 >= n or q[i + 1].isspace() or q[i + 1] == ")":
                raise InvalidQuery(f"the minus {_at(i)} needs a word right after it, as in -draft", i)
            toks.append(_Tok("MINUS", c, i))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in "()" and q[j] not in _ALL_QUOTES:
                j += 1
            word = q[i:j]
            name, colon, rest = word.partition(":")
            if colon and _FIELD_NAME.fullmatch(name):
                _check_field(name, i)
                toks.append(_Tok("FIELD", name.lower(), i))
                if rest:
                    toks.append(_word_tok(rest, i + len(name) + 1))
                elif j >= n or q[j] not in "(" and q[j] not in _OPEN_QUOTES:
                    raise InvalidQuery(
                        f"the field {name}: {_at(i)} needs a value right after the colon, "
                        f"as in {_example(name.lower())}", i)
            elif word in ("AND", "OR", "NOT"):
                toks.append(_Tok(word, word, i))
            else:
                toks.append(_word_tok(word, i))
            i = j
    return toks


def _word_tok(word: str, pos: int) -> _Tok:
    star = word.find("*")
    if star == -1:
        return _Tok("WORD", word, pos)
    if star != len(word) - 1:
        raise InvalidQuery(f"a star may only end a word ({_at(pos + star)}), as in hekmat*", pos + star)
    stem = word[:-1]
    if len(stem) < _MIN_PREFIX:
        raise InvalidQuery(
            f"a star needs at least {_MIN_PREFIX} characters before it ({_at(pos + star)})", pos + star)
    return _Tok("WORD", stem, pos, prefix=True)


def _check_field(name: str, pos: int) -> None:
    if name.lower() not in FIELDS:
        raise InvalidQuery(
            f"unknown field {name}: {_at(pos)}; the fields are {', '.join(f + ':' for f in FIELDS)} "
            f"(put the word in quotes to search for it as written)", pos)


def _example(name: str) -> str:
    return {"title": "title:kabul", "person": "person:hekmatyar", "org": "org:\"hezb-e islami\"",
            "place": "place:kabul", "tag": "tag:mercenaries", "ref": "ref:AM-KFF-1",
            "type": "type:letter", "level": "level:item", "lang": "lang:prs", "has": "has:scan",
            "restricted": "restricted:yes", "date": "date:1993..1994",
            "within": "within:1993..1994"}.get(name, name + ":value")


class _Parser:
    def __init__(self, query: str, toks: list[_Tok]):
        self.q = query
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr(None)
        tok = self.peek()
        if tok is not None:  # only a stray ")" can stop or_expr early
            raise InvalidQuery(f"the ) {_at(tok.pos)} has no matching (", tok.pos)
        return node

    def or_expr(self, fld: str | None) -> Node:
        items = [self.and_expr(fld)]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            self._need_operand(tok, "OR")
            items.append(self.and_expr(fld))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, fld: str | None) -> Node:
        items = [self.unary(fld)]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
            if tok.kind == "AND":
                self.take()
                self._need_operand(tok, "AND")
            items.append(self.unary(fld))
        return items[0] if len(items) == 1 else And(tuple(items))

    def _need_operand(self, op: _Tok, name: str) -> None:
        nxt = self.peek()
        if nxt is None or nxt.kind in ("OR", "AND", "RPAREN"):
            raise InvalidQuery(f"{name} {_at(op.pos)} needs a term on its right", op.pos)

    def unary(self, fld: str | None) -> Node:
        tok = self.peek()
        if tok is None:
            raise InvalidQuery(f"the query ends too early {_at(len(self.q))}", len(self.q))
        if tok.kind in ("AND", "OR"):
            raise InvalidQuery(f"{tok.kind} {_at(tok.pos)} needs a term on its left", tok.pos)
        if tok.kind in ("NOT", "MINUS"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("AND", "OR", "RPAREN"):
                what = "NOT" if tok.kind == "NOT" else "the minus"
                raise InvalidQuery(f"{what} {_at(tok.pos)} needs a term after it", tok.pos)
            return Not(self.unary(fld))
        return self.atom(fld)

    def atom(self, fld: str | None) -> Node:
        tok = self.take()
        if tok.kind == "LPAREN":
            nxt = self.peek()
            if nxt is None:
                raise InvalidQuery(f"the ( {_at(tok.pos)} is never closed", tok.pos)
            if nxt.kind == "RPAREN":
                raise InvalidQuery(f"the parentheses {_at(tok.pos)} are empty", tok.pos)
            node = self.or_expr(fld)
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise InvalidQuery(f"the ( {_at(tok.pos)} is never closed", tok.pos)
            self.take()
            return node
        if tok.kind == "RPAREN":
            raise InvalidQuery(f"the ) {_at(tok.pos)} has no matching (", tok.pos)
        if tok.kind == "FIELD":
            if fld is not None:
                raise InvalidQuery(f"the field {tok.text}: {_at(tok.pos)} is inside {fld}:(…); "
                                   f"fields cannot be nested", tok.pos)
            nxt = self.peek()
            if nxt is None:  # the lexer already refused "title:" at the end
                raise InvalidQuery(f"the field {tok.text}: {_at(tok.pos)} needs a value", tok.pos)
            if nxt.kind == "LPAREN":
                return self.atom(tok.text)
            return self._leaf(self.take(), tok.text)
        return self._leaf(tok, fld)

    def _leaf(self, tok: _Tok, fld: str | None) -> Node:
        if tok.kind == "PHRASE":
            if fld is None or fld in TEXT_FIELDS:
                return Phrase(tok.text, fld, tok.pos)
            return _filter(fld, tok.text, tok.pos + 1, tok.pos)
        if tok.kind == "WORD":
            if fld is None or fld in TEXT_FIELDS:
                return Term(tok.text, tok.prefix, fld, tok.pos)
            if tok.prefix:
                raise InvalidQuery(f"{fld}: takes no star ({_at(tok.pos + len(tok.text))})",
                                   tok.pos + len(tok.text))
            return _filter(fld, tok.text, tok.pos, tok.pos)
        raise InvalidQuery(f"expected a word {_at(tok.pos)}, found {tok.text}", tok.pos)


def _filter(fld: str, value: str, value_pos: int, pos: int) -> Node:
    if fld in ("date", "within"):
        start, end = parse_date_value(value, value_pos)
        return DateFilter(start, end, fld == "within", pos)
    return Filter(fld, parse_filter_value(fld, value, value_pos), pos)


def parse_query(query: str) -> Node:
    """Parse a search query into a syntax tree.

    Args:
        query: the text typed by the user.

    Returns:
        The root node (:class:`Term`, :class:`Phrase`, :class:`Filter`, :class:`DateFilter`,
        :class:`And`, :class:`Or` or :class:`Not`).

    Raises:
        InvalidQuery: the query is empty or malformed; ``position`` is the 0-based offset.
    """
    if not query or not query.strip():
        raise InvalidQuery("the query is empty; type some words", 0)
    return _Parser(query, _lex(query)).parse()


def _quote(text: str) -> str:
    return '"' + text + '"'


def to_text(node: Node) -> str:
    """Render a tree back as query text that parses to an equal tree."""
    if isinstance(node, Term):
        word = node.text + ("*" if node.prefix else "")
        return f"{node.field}:{word}" if node.field else word
    if isinstance(node, Phrase):
        return f"{node.field}:{_quote(node.text)}" if node.field else _quote(node.text)
    if isinstance(node, Filter):
        value = _quote(node.value) if " " in node.value else node.value
        return f"{node.field}:{value}"
    if isinstance(node, DateFilter):
        name = "within" if node.within else "date"
        return f"{name}:{node.start or ''}..{node.end or ''}"
    if isinstance(node, Not):
        return f"NOT {_group(node.item)}"
    if isinstance(node, And):
        return " ".join(_group(item) for item in node.items)
    if isinstance(node, Or):
        return " OR ".join(_group(item) if isinstance(item, Or) else to_text(item) for item in node.items)
    raise TypeError(f"not a query node: {node!r}")


def _group(node: Node) -> str:
    return f"({to_text(node)})" if isinstance(node, (And, Or)) else to_text(node)


def positive_terms(node: Node) -> list[Term | Phrase]:
    """The words and phrases a hit may contain (not those under NOT), for highlighting."""
    if isinstance(node, (Term, Phrase)):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for item in node.items for t in positive_terms(item)]
    return []


def caret_line(query: str, position: int | None) -> str:
    """Return the query and a line with a caret under ``position``, for the CLI."""
    if position is None:
        return query
    return f"{query}\n{' ' * max(0, min(position, len(query)))}^"
