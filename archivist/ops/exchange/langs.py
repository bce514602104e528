"""Language codes per target (STANDARDS.md §9): the catalogue keeps BCP 47 / ISO 639-3 tags
(``prs`` stays ``prs``); each export maps them to what its target expects."""

from __future__ import annotations

import re
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


_SCRIPT_RANGES = (
    ("Arab", re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
                        "\ufb50-\ufdff\ufe70-\ufeff]")),
    ("Armn", re.compile("[\u0531-\u0587\ufb13-\ufb17]")),
    ("Cyrl", re.compile("[\u0400-\u052f\u2de0-\u2dff\ua640-\ua69f]")),
    ("Latn", re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")),
    ("Hebr", re.compile("[\u05d0-\u05ea]")),
    ("Geor", re.compile("[\u10a0-\u10ff]")),
)


def text_script(text: str) -> str | None:
    """The ISO 15924 script most of the first letters of ``text`` are in (Arab, Armn, Cyrl ...)."""
    head = text[:64]
    if head.isascii():
        return "Latn" if any(c.isalpha() for c in head) else None
    best, most = None, 0
    for code, pattern in _SCRIPT_RANGES:
        n = len(pattern.findall(head))
        if n > most:
            best, most = code, n
    return best


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
