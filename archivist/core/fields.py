"""Validation of field values by kind (text, language, URL, number, date, term)."""

from __future__ import annotations

import re
import unicodedata

import langcodes
import pycountry

from archivist.core.dates import parse_date
from archivist.core.errors import InvalidValue
from archivist.core.templates import FieldDef


def check_language(tag: str) -> str:
    """Return ``tag`` if it is a valid BCP 47 / ISO 639-3 language tag (kept as written)."""
    if not isinstance(tag, str) or not tag or not langcodes.tag_is_valid(tag):
        raise InvalidValue(f"{tag!r} is not a language code; use ISO 639 / BCP 47, e.g. prs, pus, hy, ru")
    return tag


def check_script(code: str) -> str:
    """Return ``code`` if it is an ISO 15924 script code such as Arab, Armn, Cyrl, Latn."""
    if not isinstance(code, str) or pycountry.scripts.get(alpha_4=code) is None:
        raise InvalidValue(f"{code!r} is not an ISO 15924 script code (e.g. Arab, Armn, Cyrl, Latn)")
    return code


def language_name(tag: str) -> str:
    """A display name for a language tag: ``prs`` → "Dari"."""
    entry = pycountry.languages.get(alpha_3=tag) if len(tag) == 3 else None
    if entry is not None:
        return entry.name
    try:
        return langcodes.Language.get(tag).display_name()
    except (ValueError, LookupError):
        return tag


def _one(fdef: FieldDef, value) -> str:
    if not isinstance(value, (str, int, float)):
        raise InvalidValue(f"{fdef.label}: expected text, got {type(value).__name__}")
    text = unicodedata.normalize("NFC", str(value))
    if fdef.kind == "language":
        return check_language(text)
    if fdef.kind == "term" and fdef.vocabulary == "scripts":
        return check_script(text)
    if fdef.kind == "url" and not re.match(r"^(https?|ftp)://\S+$", text):
        raise InvalidValue(f"{fdef.label}: {text!r} is not a web address (http:// or https://)")
    if fdef.kind == "number":
        try:
            float(text)
        except ValueError:
            raise InvalidValue(f"{fdef.label}: {text!r} is not a number") from None
    if fdef.kind == "date":
        parse_date(text)
    if fdef.kind == "text" and "\n" in text:
        raise InvalidValue(f"{fdef.label}: a single-line field cannot hold line breaks")
    return text


def clean_value(fdef: FieldDef, value):
    """Validate and normalise (NFC) a value for ``fdef``; None or empty removes the field.

    Returns:
        a string, a list of strings for repeatable fields, or None.

    Raises:
        InvalidValue: the value does not fit the field's kind.
    """
    if value is None or value == "" or value == []:
        return None
    if fdef.repeatable:
        items = value if isinstance(value, (list, tuple)) else [value]
        cleaned = [_one(fdef, v) for v in items if v not in (None, "")]
        return cleaned or None
    if isinstance(value, (list, tuple)):
        raise InvalidValue(f"{fdef.label} is not repeatable: give one value")
    return _one(fdef, value)
