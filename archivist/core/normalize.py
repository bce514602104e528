"""Search normalisation: one function for index text and queries alike.

What :func:`normalize` does, in order (see STANDARDS.md §9.2):

1. Unicode NFKC (presentation forms, ligatures, full-width letters; Armenian ``և`` → ``եւ``).
2. ``str.casefold`` (``İ`` → ``i̇``, ``ß`` → ``ss``, ``Ə`` → ``ə``).
3. One character table (applied with a regex that visits only the characters to change):

   * Latin accents folded: ``é`` → ``e``, ``ü`` → ``u``, ``ş`` → ``s``, ``ğ`` → ``g``; stray
     combining marks removed; ``ł ø đ ħ`` → ``l o d h``.
   * Azerbaijani ``ə`` and ``ı`` are letters, not accented ones: they stay distinct here. Only the
     loose cross-script name key (:mod:`archivist.core.translit`) folds ``ə`` → ``e`` and
     ``ı`` → ``i``, and matches through it rank below exact matches.
   * Arabic and Persian letter forms: ``ي ى`` → ``ی``, ``ك`` → ``ک``, ``ة ۀ`` → ``ه``,
     ``أ إ آ ٱ`` → ``ا``.
   * Harakat U+064B–U+065F, superscript alef U+0670 and tatweel U+0640 removed.
   * ZWNJ and ZWJ removed (so ``نامهها`` finds ``نامه‌ها``), with the other invisible controls
     (LRM, RLM, bidi embeddings and isolates, BOM, soft hyphen); a zero-width space becomes a space.
   * Arabic-Indic and extended (Persian) digits → ASCII digits.
   * Cyrillic ``ё`` → ``е``.

4. Armenian ``եւ`` (the ligature ``և`` split by NFKC, or the classical spelling with separate
   letters) → ``եվ``, because the capital of ``և`` is written ``ԵՎ``: ``Երևան``, ``Երեւան``,
   ``ԵՐԵՎԱՆ`` and ``Երեվան`` all fold to ``երեվան``.

The function never changes stored data: the result goes only into the search index (and is
compared with the normalised query). It is built from C-level string operations, so it runs over
a million records at index time.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["normalize", "normalize_with_offsets", "fold_char_table"]


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Latin letters with diacritics -> base letter(s), derived from the Unicode decompositions.
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            ch = chr(cp)
            decomposed = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            if base != ch and base and base.isascii() and base.isalpha():
                table[cp] = base.lower()
    # Latin letters whose stroke is not a combining mark.
    for src, dst in {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i"}.items():
        table[ord(src)] = dst
        table[ord(src.upper())] = dst
    # Stray combining marks (left after NFKC where no precomposed letter exists, e.g. i + U+0307).
    for cp in range(0x0300, 0x0370):
        table[cp] = None
    # Arabic and Persian letter forms.
    for src, dst in {
        "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH
        "\u0629": "\u0647",  # TEH MARBUTA -> HEH
        "\u06c0": "\u0647",  # HEH WITH YEH ABOVE (Persian ezafe) -> HEH
        "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
        "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
        "\u0622": "\u0627",  # ALEF WITH MADDA ABOVE -> ALEF
        "\u0671": "\u0627",  # ALEF WASLA -> ALEF
    }.items():
        table[ord(src)] = dst
    # Harakat and Quranic marks, superscript alef, tatweel.
    for cp in range(0x064B, 0x0660):
        table[cp] = None
    table[0x0670] = None
    table[0x0640] = None
    # Invisible format characters.
    for cp in (0x200C, 0x200D, 0x200E, 0x200F, 0x00AD, 0xFEFF, 0x2060, 0x061C):
        table[cp] = None
    for cp in range(0x202A, 0x202F):
        table[cp] = None
    for cp in range(0x2066, 0x206A):
        table[cp] = None
    table[0x200B] = " "
    # Arabic-Indic and extended Arabic-Indic (Persian, Urdu) digits.
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    # Cyrillic yo.
    table[ord("ё")] = "е"
    table[ord("Ё")] = "е"
    # Armenian ligature ech-yiwn (NFKC already splits it into ech + yiwn).
    table[0x0587] = "\u0565\u0582"
    return table


_TABLE = _build_table()
# ``str.translate`` with a dict costs a lookup per character; a regex that visits only the
# characters to change is 3-10 times faster on real text.
_MAP = {chr(k): (v or "") for k, v in _TABLE.items()}
_FOLD = re.compile("[" + "".join(re.escape(c) for c in sorted(_MAP)) + "]")


def _replace(match: "re.Match[str]") -> str:
    return _MAP[match.group()]


# Characters the table deletes or expands: where none occurs and the folded text keeps its length,
# every output character sits where its input character was.
_RESIZERS = re.compile("[" + "".join(re.escape(c) for c, v in sorted(_MAP.items()) if len(v) != 1)
                       + "]")


def fold_char_table() -> dict[int, str | None]:
    """Return a copy of the translation table applied after NFKC and casefolding."""
    return dict(_TABLE)


def normalize(text: str) -> str:
    """Normalise text for searching: the same function for the index and for queries.

    Args:
        text: any text (a field value, a transcription, a query word).

    Returns:
        The folded text. Its length may differ from the input's; use
        :func:`normalize_with_offsets` to map positions back.
    """
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    folded = _FOLD.sub(_replace, unicodedata.normalize("NFKC", text).casefold())
    if "\u0582" in folded:
        folded = folded.replace("\u0565\u0582", "\u0565\u057e")
    return folded


def _clusters(text: str):
    """Yield (start, end) of each base character with its following combining marks."""
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        yield i, j
        i = j


@functools.lru_cache(maxsize=4096)
def _fold_cluster(cluster: str) -> str:
    """:func:`normalize` of one character with its marks (few distinct ones: remembered)."""
    return normalize(cluster)


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise ``text`` and map every output character back to the input.

    Slower than :func:`normalize` (it works cluster by cluster); meant for the few texts shown as
    highlighted snippets.

    Args:
        text: the original text.

    Returns:
        ``(folded, starts, ends)``: ``folded[k]`` came from ``text[starts[k]:ends[k]]`` (a base
        character with its combining marks). A match ``folded[a:b]`` covers
        ``text[starts[a]:ends[b - 1]]``.
    """
    if text.isascii():
        n = len(text)
        return text.lower(), list(range(n)), list(range(1, n + 1))
    whole = normalize(text)
    if len(whole) == len(text) and _RESIZERS.search(text) is None:
        n = len(text)
        return whole, list(range(n)), list(range(1, n + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, j in _clusters(text):
        if j == i + 1 and text[i] < "\x80":
            out.append(text[i].lower())
            starts.append(i)
            ends.append(j)
            continue
        piece = _fold_cluster(text[i:j])
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
    folded = "".join(out)
    if "\u0582" in folded:  # same length, so the offsets still hold
        folded = folded.replace("\u0565\u0582", "\u0565\u057e")
    return folded, starts, ends
