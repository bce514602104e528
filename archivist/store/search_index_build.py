"""The pure-Python half of building search documents: normalising and keying their texts.

:mod:`archivist.store.search_index` reads each record's pieces of text with SQL and hands them
here as plain tuples (so a large run can build one batch in a second process while the catalogue's
connection writes the previous one). A column joins its pieces with newlines, and both
:func:`normalize` and :func:`name_keys` work within a line, so each piece is normalised and keyed
on its own, through a memo for the short pieces that repeat (names, tags, terms, dates).
"""

from __future__ import annotations

import pickle
import subprocess
import sys

from archivist.core.normalize import normalize
from archivist.core.translit import name_keys

__all__ = ["Memo", "build", "Builder"]

#: A piece of (id, title, body texts, {column: names}, tags): what one record's document is made of.
Piece = tuple[int, str, list[str], dict[str, list[str]], list[str]]


class Memo:
    """:func:`normalize` and :func:`name_keys` of short strings, each computed once."""

    MAX_LEN = 80
    MAX_SIZE = 200_000

    def __init__(self):
        self.norm: dict[str, str] = {}
        self.keys: dict[str, list[str]] = {}

    def normalize(self, text: str) -> str:
        return self._remembered(self.norm, normalize, text)

    def name_keys(self, text: str) -> list[str]:
        return self._remembered(self.keys, name_keys, text)

    def _remembered(self, memo: dict, compute, text: str):
        """``compute(text)``, kept in ``memo`` when ``text`` is short (emptied when it is full)."""
        out = memo.get(text)
        if out is None:
            out = compute(text)
            if len(text) <= self.MAX_LEN:
                if len(memo) > self.MAX_SIZE:
                    memo.clear()
                memo[text] = out
        return out


def build(pieces: list[Piece], memo: Memo | None = None) -> list[tuple]:
    """The FTS rows (id, title, body, person, org, place, tag, keys) of some records.

    Args:
        pieces: each record's texts, as read by the search index.
        memo: the memo to use (the process's own when None).

    Returns:
        One row per piece, in order.
    """
    memo = memo or _PROCESS_MEMO
    norm, keys_of = memo.normalize, memo.name_keys
    out = []
    for rid, title, texts, linked, tags in pieces:
        keys = name_keys(title) if title else []  # a fresh list (titles are not memoised)
        row = [rid, normalize(title), "\n".join([norm(t) for t in texts])]
        for t in texts:
            keys += keys_of(t)
        for column in ("person", "org", "place"):
            parts = linked.get(column) or ()
            row.append("\n".join([norm(t) for t in parts]))
            for t in parts:
                keys += keys_of(t)
        row.append("\n".join([norm(t) for t in tags]))
        # keys from the original text (case tells names; Azerbaijani ş ç ğ are spelled out)
        row.append(" ".join(keys))
        out.append(tuple(row))
    return out


_PROCESS_MEMO = Memo()


class Builder:
    """Builds documents here, or in one helper process so that building overlaps writing.

    The helper is ``python -m archivist.store.search_index_build``, fed pickled batches on its
    standard input (not :mod:`multiprocessing`, which would import the caller's main script
    again). ``send(pieces)`` starts a batch, ``receive()`` waits for its rows; the caller sends
    the next batch only after receiving the previous one, so neither side blocks on a full pipe.
    If the helper cannot start or fails, batches are built in this process. Use as a context
    manager (the helper is stopped on exit).
    """

    def __init__(self, parallel: bool, memo: Memo):
        self.memo = memo
        self.proc = None
        self.waiting: list[Piece] | None = None
        if parallel:
            try:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE)
            except OSError:
                self.proc = None

    def send(self, pieces: list[Piece]) -> None:
        self.waiting = pieces
        if self.proc is not None:
            try:
                pickle.dump(pieces, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self.proc.stdin.flush()
            except (OSError, pickle.PickleError):
                self._stop()

    def receive(self) -> list[tuple]:
        pieces, self.waiting = self.waiting, None
        if self.proc is not None:
            try:
                return pickle.load(self.proc.stdout)
            except (OSError, EOFError, pickle.UnpicklingError):
                self._stop()
        return build(pieces, self.memo)

    def _stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> "Builder":
        return self

    def __exit__(self, *exc) -> None:
        self._stop()


def _serve() -> None:
    """The helper's loop: a pickled batch in, its pickled rows out, until end of input."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            pieces = pickle.load(stdin)
        except EOFError:
            return
        pickle.dump(build(pieces), stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


if __name__ == "__main__":
    _serve()
