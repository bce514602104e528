"""Snippets: a short passage of a hit's original text with the matched words located.

The index holds normalised text, so snippets are cut from the record's stored text: each passage
is normalised with offsets (:func:`archivist.core.normalize.normalize_with_offsets`) and the
query's words (and, for transliteration, their name keys) are found in it.
"""

from __future__ import annotations

import json
import re

from archivist.core.normalize import normalize, normalize_with_offsets
from archivist.core.query import Phrase, Term
from archivist.core.translit import MIN_KEY_LENGTH, word_key

__all__ = ["snippet_for", "SNIPPET_CHARS"]

SNIPPET_CHARS = 180
_BEFORE = 50
_CHUNK = 400
_TOKEN = re.compile(r"[^\W_]+")
_FIRST_FIELDS = ("scope_content", "general_note", "admin_history")
_SKIP = {"languages", "scripts"}


def _passages(conn, record_id: int) -> tuple[list[str], int]:
    """The record's texts in the order a snippet prefers them (title excluded), and how many of
    the first ones are prose (fields, transcriptions, regions) fit to show when nothing matched."""
    row = conn.execute("SELECT fields, identifier FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return [], 0
    try:
        fields = json.loads(row[0] or "{}")
    except ValueError:
        fields = {}
    out: list[str] = []
    ordered = [k for k in _FIRST_FIELDS if k in fields] + sorted(k for k in fields if k not in _FIRST_FIELDS)
    for key in ordered:
        if key in _SKIP:
            continue
        value = fields[key]
        out.extend(str(v) for v in (value if isinstance(value, list) else [value]) if v)
    out.extend(r[0] for r in conn.execute(
        "SELECT t.text FROM page_texts t JOIN pages p ON p.id = t.page_id WHERE p.record_id = ?"
        " AND t.text != '' ORDER BY p.position, t.id", (record_id,)))
    for title, desc, trans in conn.execute(
            "SELECT g.title, g.description, g.transcription FROM regions g JOIN pages p"
            " ON p.id = g.page_id WHERE p.record_id = ? ORDER BY p.position, g.id", (record_id,)):
        out.extend(t for t in (title, desc, trans) if t)
    prose = len(out)
    names = [f"{kind.capitalize()}: {name}" for kind, name in conn.execute(
        "SELECT a.kind, a.name FROM links l JOIN authorities a ON a.id = l.authority_id"
        " WHERE l.record_id = ? AND a.trashed_at IS NULL ORDER BY l.position", (record_id,))]
    names += [f"Also: {r[0]}" for r in conn.execute(
        "SELECT n.name FROM links l JOIN authority_names n ON n.authority_id = l.authority_id"
        " JOIN authorities a ON a.id = l.authority_id WHERE l.record_id = ?"
        " AND a.trashed_at IS NULL ORDER BY l.position, n.position", (record_id,))]
    out.extend(names)
    out.extend(f"Tag: {r[0]}" for r in conn.execute(
        "SELECT t.name FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_id = ?",
        (record_id,)))
    if row[1]:
        out.append(row[1])
    return out, prose


def _matchers(terms: list[Term | Phrase], translit: bool):
    words, prefixes, keys = set(), [], set()
    for term in terms:
        if term.field == "ref":
            continue
        toks = _TOKEN.findall(normalize(term.text))
        if isinstance(term, Term) and term.prefix:
            prefixes.extend(toks[-1:])
            words.update(toks[:-1])
        else:
            words.update(toks)
            if translit and term.field is None:
                keys.update(k for k in (word_key(t) for t in toks) if len(k) >= MIN_KEY_LENGTH)
    return words, tuple(prefixes), keys


def _matches(folded: str, words, prefixes, keys) -> bool:
    for tok in _TOKEN.findall(folded):
        if tok in words or (prefixes and tok.startswith(prefixes)) or (keys and word_key(tok) in keys):
            return True
    return False


def _spans(text: str, words, prefixes, keys) -> list[tuple[int, int]]:
    """Spans of the matching words near the first match (long texts are looked at in chunks)."""
    for start in range(0, len(text), _CHUNK):
        chunk = text[start:start + _CHUNK + 40]
        if not _matches(normalize(chunk), words, prefixes, keys):  # fast path: most text
            continue
        lo = max(0, start - _BEFORE - 10)
        region = text[lo:start + _CHUNK + SNIPPET_CHARS]
        folded, starts, ends = normalize_with_offsets(region)
        spans = []
        for m in _TOKEN.finditer(folded):
            tok = m.group(0)
            if tok in words or (prefixes and tok.startswith(prefixes)) or (keys and word_key(tok) in keys):
                spans.append((lo + starts[m.start()], lo + ends[m.end() - 1]))
        if spans:
            return spans
    return []


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    first = spans[0][0] if spans else 0
    start = max(0, first - _BEFORE)
    if start > 0:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space != -1 and first - space < _BEFORE * 2 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    piece = " ".join(text[start:end].split("\n"))
    shift = len(lead) - start
    inside = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return lead + piece + tail, inside


def snippet_for(conn, record_id: int, terms: list[Term | Phrase], *,
                translit: bool = True) -> tuple[str, list[tuple[int, int]]]:
    """A passage of the record around the first match, with the matches' spans.

    Args:
        conn: the connection.
        record_id: the hit.
        terms: the positive words and phrases of the query.
        translit: also highlight words whose name key matches a query word's.

    Returns:
        (snippet text, [(start, end) of each highlighted word in the snippet]); the beginning of
        the record's first text and no spans when nothing matches outside the title.
    """
    passages, prose = _passages(conn, record_id)
    words, prefixes, keys = _matchers(terms, translit)
    if words or prefixes or keys:
        for text in passages:
            spans = _spans(text, words, prefixes, keys)
            if spans:
                return _window(text, spans)
    return _window(passages[0], []) if prose else ("", [])
