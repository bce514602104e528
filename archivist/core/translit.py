"""Cross-script name keys: a lossy Latin consonant skeleton for tolerant name matching.

``Mazar-i-Sharif``, ``Mozari Sharif``, ``Мазари-Шариф`` and ``مزار شریف`` all get the key
``mzr xrf``; ``Hekmatyar``, ``Хекматияр`` and ``حکمتیار`` get ``kmtr``. The key is built word by
word:

1. the Azerbaijani letters spelled out (``ş`` → ``sh``, ``ç`` → ``ch``, ``ğ`` → ``gh``), then
   :func:`archivist.core.normalize.normalize` (the exact search folding), then ``ə`` → ``e`` and
   ``ı`` → ``i`` — this is the only place where ``ə`` and ``ı`` are folded;
2. ``anyascii`` transliterates Cyrillic, Armenian and Arabic script to Latin;
3. digraphs become one sound class and similar sounds merge (``kh gh h x q g c`` → ``k``,
   ``s ts`` → ``s``, ``sh ch shch tch`` → ``x`` (French ``ch`` is English ``sh``),
   ``zh dzh dj j`` → ``j``, ``th`` → ``t``, ``ph`` → ``f``, ``dh z`` and Persian ``ض ظ ذ`` →
   ``z``), because Arabic script writes no short vowels, Russian writes the Arabic ``h`` as ``х``
   and Armenian writes Karabakh with ``ղ`` (gh) where Russian has ``к`` and ``х``;
4. vowels, ``y``, ``w`` and apostrophes are dropped, a plain word-final ``h`` is dropped
   (``Najibullah`` ~ ``Наджибулла``), and doubled letters are collapsed.

Matches through this key are always ranked below exact matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from archivist.core.normalize import normalize

__all__ = ["name_key", "name_keys", "word_keys", "word_key", "similar", "MIN_KEY_LENGTH"]

#: Keys shorter than this are too unspecific to search on (``Ali`` → ``l``).
MIN_KEY_LENGTH = 2

_PREMAP = str.maketrans({
    # Azerbaijani letters spelled out (normalize() has already folded ş ç ğ to s c g, so these
    # are applied to the casefolded text before accent folding; see _prefold).
    "ə": "e", "ı": "i",
    # Arabic letters as Persian speakers say them (anyascii gives the Arabic d/th/dh).
    "\u0636": "\u0632", "\u0638": "\u0632", "\u0630": "\u0632", "\u062b": "\u0633",
})
_AZ_SPELL = str.maketrans({"ş": "sh", "ç": "ch", "ğ": "gh", "Ş": "sh", "Ç": "ch", "Ğ": "gh"})
_AZ_LETTERS = re.compile("[şçğŞÇĞ]")


def _spell_azerbaijani(text: str) -> str:
    return text.translate(_AZ_SPELL) if _AZ_LETTERS.search(text) else text
_WORD = re.compile(r"[^\W_]+")
# Longest first: each alternative is replaced by its sound class.
_CLASSES = [
    ("shch", "x"), ("tsch", "x"), ("sch", "x"), ("tch", "x"), ("dzh", "j"), ("dj", "j"),
    ("zh", "j"), ("kh", "k"), ("gh", "k"), ("ch", "x"), ("sh", "x"), ("ts", "s"), ("tz", "s"),
    ("th", "t"), ("dh", "z"), ("ph", "f"), ("ck", "k"),
    ("h", "k"), ("x", "k"), ("q", "k"), ("g", "k"), ("c", "k"),
]
_CLASS_MAP = dict(_CLASSES)
_CLASS_RE = re.compile("|".join(re.escape(a) for a, _ in _CLASSES))
_DROP = str.maketrans("", "", "aeiouyw'`\u02bb\u02bc")
_DOUBLE = re.compile(r"(.)\1+")
_DIGITS = str.maketrans("", "", "0123456789")
_KEY_CACHE: dict[str, str] = {}


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Return the skeleton key of one word (already split; any script).

    Args:
        word: a single word.

    Returns:
        The key, possibly empty (a word of vowels only, or digits).
    """
    latin = anyascii(normalize(_spell_azerbaijani(word)).translate(_PREMAP)).lower()
    latin = "".join(ch for ch in latin if ch.isalpha() or ch in "'`")
    if not latin:
        return ""
    if len(latin) > 2 and latin.endswith("h") and latin[-2] not in "kgsczdtp":
        latin = latin[:-1]
    skeleton = _CLASS_RE.sub(lambda m: _CLASS_MAP[m.group(0)], latin)
    skeleton = skeleton.translate(_DROP).translate(_DIGITS)
    return _DOUBLE.sub(r"\1", skeleton)


def word_keys(text: str, min_length: int = MIN_KEY_LENGTH) -> list[str]:
    """Return the keys of the words of ``text``, in order, leaving out keys that are too short.

    Args:
        text: any text.
        min_length: keys shorter than this are left out.

    Returns:
        The list of keys (duplicates kept, so phrases still line up).
    """
    keys = []
    for word in _WORD.findall(normalize(_spell_azerbaijani(text))):
        key = _cached_key(word)
        if len(key) >= min_length:
            keys.append(key)
    return keys


def _cached_key(word: str) -> str:
    key = _KEY_CACHE.get(word)
    if key is None:
        key = _KEY_CACHE[word] = word_key(word)
        if len(_KEY_CACHE) > 200_000:
            _KEY_CACHE.clear()
    return key


# Marks and invisible controls that split words but carry no letter (removed before splitting).
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u0640\u00ad\u200b-\u200f\u202a-\u202e"
                    "\u2060\u2066-\u2069\ufeff]")


def name_keys(text: str, min_length: int = MIN_KEY_LENGTH) -> list[str]:
    """Keys of the words of ``text`` that may be names, for the index.

    A word that starts with a lower-case letter is not a name in a script with case (Latin,
    Cyrillic, Armenian) and is left out; in Arabic script, which has no case, every word counts.
    This keeps common words out of the transliteration index (less noise, a smaller index).

    Args:
        text: the original text (not normalised: case is needed).
        min_length: keys shorter than this are left out.

    Returns:
        The keys in order.
    """
    keys = []
    for word in _WORD.findall(_MARKS.sub("", unicodedata.normalize("NFC", text))):
        if word[0].islower():
            continue
        key = _cached_key(word)
        if len(key) >= min_length:
            keys.append(key)
    return keys


def name_key(text: str) -> str:
    """Return the cross-script key of a name or short text: word keys joined by spaces.

    Args:
        text: a name in Latin, Cyrillic, Armenian or Arabic script.

    Returns:
        The key (``"mzr xrf"`` for ``Mazar-i-Sharif``); empty when nothing is left.
    """
    return " ".join(word_keys(text, min_length=1))


def similar(a: str, b: str) -> float:
    """How alike two names are across scripts, from 0.0 (nothing alike) to 1.0 (same key).

    Args:
        a: one name.
        b: another name.

    Returns:
        The normalised similarity of the two keys (rapidfuzz's indel ratio, with word order
        ignored), or 0.0 when either has no key.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return max(fuzz.ratio(ka, kb), fuzz.token_sort_ratio(ka, kb)) / 100.0
