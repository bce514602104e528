"""Language codes per target (STANDARDS.md §9): the catalogue keeps BCP 47 / ISO 639-3 tags
(``prs`` stays ``prs``); each export maps them to what its target expects."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry

#: The usual script of each language we catalogue (ISO 15924).
DEFAULT_SCRIPT = {"prs": "Arab", "fa": "Arab", "per": "Arab", "fas": "Arab", "ps": "Arab",
                  "pus": "Arab", "ar": "Arab", "ara": "Arab", "hy": "Armn", "hye": "Armn",
                  "ru": "Cyrl", "rus": "Cyrl", "az": "Latn", "aze": "Latn", "en": "Latn",
                  "eng": "Latn"}
#: Targets without a code of their own for a language: code to use instead.
_FALLBACK_1 = {"prs": "fa"}     # Dari has no ISO 639-1 code: Persian macrolanguage
_FALLBACK_2B = {"prs": "per"}   # nor an ISO 639-2 one


@lru_cache(maxsize=256)
def _lookup(tag: str):
    primary = tag.split("-")[0].lower()
    if len(primary) == 2:
        return pycountry.languages.get(alpha_2=primary)
    if len(primary) == 3:
        return pycountry.languages.get(alpha_3=primary) or \
            pycountry.languages.get(bibliographic=primary)
    return None


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def to_iso639_1(tag: str) -> str | None:
    """ISO 639-1 (AtoM): ``prs`` → ``fa``, ``pus`` → ``ps``, ``hy`` → ``hy``; None if unknown."""
    if _primary(tag) in _FALLBACK_1:
        return _FALLBACK_1[_primary(tag)]
    lang = _lookup(tag)
    return getattr(lang, "alpha_2", None) if lang else None


def to_iso639_2b(tag: str) -> str | None:
    """ISO 639-2/B (EAD 2002, ArchivesSpace): ``prs`` → ``per``, ``hy`` → ``arm``, ``ru`` → ``rus``."""
    if _primary(tag) in _FALLBACK_2B:
        return _FALLBACK_2B[_primary(tag)]
    lang = _lookup(tag)
    if not lang:
        return None
    return getattr(lang, "bibliographic", None) or lang.alpha_3


def to_iso639_3(tag: str) -> str | None:
    """ISO 639-3 (EAD3 with langencoding="iso639-3"): ``prs`` → ``prs``, ``hy`` → ``hye``."""
    lang = _lookup(tag)
    return lang.alpha_3 if lang else None


def from_code(code: str) -> str:
    """The tag we store for a code read from an import (``fa``/``per`` stay Persian; ``hye`` → ``hy``).

    Two-letter codes are kept; three-letter ones become two-letter where ISO 639-1 has one,
    except ``prs`` (Dari) and ``pus`` which the catalogue keeps as they are.
    """
    code = code.strip()
    if len(code) == 3 and code.lower() not in ("prs", "pus"):
        lang = _lookup(code)
        if lang is not None and getattr(lang, "alpha_2", None):
            return lang.alpha_2
    return code


def language_name(tag: str) -> str:
    """English name of a language (``prs`` → "Dari"); the tag itself when unknown."""
    lang = _lookup(tag)
    name = getattr(lang, "name", None) if lang else None
    if name == "Pushto":
        return "Pashto"
    return name or tag


def script_name(code: str) -> str:
    """English name of an ISO 15924 script (``Arab`` → "Arabic")."""
    script = pycountry.scripts.get(alpha_4=code)
    return script.name if script else code


_SCRIPT_OF_BLOCK = (("ARABIC", "Arab"), ("ARMENIAN", "Armn"), ("CYRILLIC", "Cyrl"),
                    ("LATIN", "Latn"), ("HEBREW", "Hebr"), ("GEORGIAN", "Geor"))


@lru_cache(maxsize=4096)
def _char_script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for prefix, code in _SCRIPT_OF_BLOCK:
        if name.startswith(prefix):
            return code
    return None


def text_script(text: str) -> str | None:
    """The ISO 15924 script of most of the first letters of ``text`` (Arab, Armn, Cyrl, Latn ...)."""
    head = text[:64]
    if head.isascii():
        return "Latn" if any(c.isalpha() for c in head) else None
    counts: dict[str, int] = {}
    seen = 0
    for ch in head:
        code = _char_script(ch)
        if code is not None:
            counts[code] = counts.get(code, 0) + 1
            seen += 1
            if seen >= 24:
                break
    return max(counts, key=counts.get) if counts else None


def text_language(text: str, languages: list[str] | None) -> tuple[str | None, str | None]:
    """Guess (language, script) of a text from its script and the record's languages.

    Returns (None, None) for Latin-script text (the description language) or when no record
    language is written in the text's script.
    """
    script = text_script(text)
    if script in (None, "Latn"):
        return None, None
    for lang in languages or []:
        if DEFAULT_SCRIPT.get(_primary(lang)) == script:
            return lang, script
    return None, script


def is_rtl(languages: list[str] | None, scripts: list[str] | None) -> bool:
    """Whether an item is read right to left (its first language or script is Arabic-script)."""
    if scripts:
        return scripts[0] in ("Arab", "Hebr", "Syrc", "Thaa")
    if languages:
        return DEFAULT_SCRIPT.get(_primary(languages[0])) == "Arab"
    return False
