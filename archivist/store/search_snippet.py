"""Snippets: a short passage of a hit's original text with the matched words located.

The index holds normalised text, so snippets are cut from the record's stored text: each passage
is normalised with offsets (:func:`archivist.core.normalize.normalize_with_offsets`) and the
query's words (and, for transliteration, their name keys) are found in it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from archivist.core.normalize import normalize, normalize_with_offsets
from archivist.core.query import Phrase, Term
from archivist.core.translit import MIN_KEY_LENGTH, word_key

__all__ = ["snippet_for", "snippets_for", "SNIPPET_CHARS"]

SNIPPET_CHARS = 180
_BEFORE = 50
_CHUNK = 400
_TOKEN = re.compile(r"[^\W_]+")
_FIRST_FIELDS = ("scope_content", "general_note", "admin_history")
_SKIP = {"languages", "scripts"}


def _all_passages(conn, ids: list[int]) -> dict[int, tuple[list[str], int]]:
    """For each record: its texts in the order a snippet prefers them (title excluded), and how
    many of the first ones are prose (fields, transcriptions, regions), fit to show when nothing
    matched. Six queries for all the records together."""
    marks = ",".join("?" * len(ids))
    texts: dict[int, list[str]] = defaultdict(list)
    tails: dict[int, list[str]] = defaultdict(list)
    idents: dict[int, str] = {}
    for rid, fields_json, identifier in conn.execute(
            f"SELECT id, fields, identifier FROM records WHERE id IN ({marks})", ids):
        try:
            fields = json.loads(fields_json or "{}")
        except ValueError:
            fields = {}
        ordered = ([k for k in _FIRST_FIELDS if k in fields]
                   + sorted(k for k in fields if k not in _FIRST_FIELDS))
        for key in ordered:
            if key in _SKIP:
                continue
            value = fields[key]
            texts[rid].extend(str(v) for v in (value if isinstance(value, list) else [value]) if v)
        if identifier:
            idents[rid] = identifier
    for rid, text in conn.execute(
            f"SELECT p.record_id, t.text FROM page_texts t JOIN pages p ON p.id = t.page_id"
            f" WHERE p.record_id IN ({marks}) AND t.text != '' ORDER BY p.position, t.id", ids):
        texts[rid].append(text)
    for rid, title, desc, trans in conn.execute(
            f"SELECT p.record_id, g.title, g.description, g.transcription FROM regions g"
            f" JOIN pages p ON p.id = g.page_id WHERE p.record_id IN ({marks})"
            f" ORDER BY p.position, g.id", ids):
        texts[rid].extend(t for t in (title, desc, trans) if t)
    for rid, kind, name in conn.execute(
            f"SELECT l.record_id, a.kind, a.name FROM links l JOIN authorities a"
            f" ON a.id = l.authority_id WHERE l.record_id IN ({marks}) AND a.trashed_at IS NULL"
            f" ORDER BY l.position", ids):
        tails[rid].append(f"{kind.capitalize()}: {name}")
    for rid, name in conn.execute(
            f"SELECT l.record_id, n.name FROM links l JOIN authority_names n"
            f" ON n.authority_id = l.authority_id JOIN authorities a ON a.id = l.authority_id"
            f" WHERE l.record_id IN ({marks}) AND a.trashed_at IS NULL"
            f" ORDER BY l.position, n.position", ids):
        tails[rid].append(f"Also: {name}")
    for rid, name in conn.execute(
            f"SELECT rt.record_id, t.name FROM record_tags rt JOIN tags t ON t.id = rt.tag_id"
            f" WHERE rt.record_id IN ({marks})", ids):
        tails[rid].append(f"Tag: {name}")
    out = {}
    for rid in ids:
        prose = texts.get(rid, [])
        extra = tails.get(rid, []) + ([idents[rid]] if rid in idents else [])
        out[rid] = (prose + extra, len(prose))
    return out


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


def snippets_for(conn, record_ids: list[int], terms: list[Term | Phrase], *,
                 translit: bool = True) -> dict[int, tuple[str, list[tuple[int, int]]]]:
    """A passage of each record around its first match, with the matches' spans.

    Args:
        conn: the connection.
        record_ids: the hits.
        terms: the positive words and phrases of the query.
        translit: also highlight words whose name key matches a query word's.

    Returns:
        record id → (snippet text, [(start, end) of each highlighted word in the snippet]); the
        beginning of the record's first text and no spans when nothing matches outside the title.
    """
    if not record_ids:
        return {}
    words, prefixes, keys = _matchers(terms, translit)
    out = {}
    ids = list(record_ids)
    passages_of = {}
    for i in range(0, len(ids), 2000):  # SQLite allows at most 32766 parameters
        passages_of.update(_all_passages(conn, ids[i:i + 2000]))
    for rid, (passages, prose) in passages_of.items():
        out[rid] = _window(passages[0], []) if prose else ("", [])
        if words or prefixes or keys:
            for text in passages:
                spans = _spans(text, words, prefixes, keys)
                if spans:
                    out[rid] = _window(text, spans)
                    break
    return out


def snippet_for(conn, record_id: int, terms: list[Term | Phrase], *,
                translit: bool = True) -> tuple[str, list[tuple[int, int]]]:
    """The snippet of one record (see :func:`snippets_for`)."""
    return snippets_for(conn, [record_id], terms, translit=translit).get(record_id, ("", []))
