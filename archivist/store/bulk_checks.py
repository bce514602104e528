"""The bulk path's checks: the same as the one-at-a-time API's, each distinct value checked once.

A million records repeat a few thousand dates, languages and field values; :class:`Validator`
remembers each one it has seen.
"""

from __future__ import annotations

from archivist.core.dates import EdtfDate, fast_date
from archivist.core.fields import check_language, check_script, clean_value
from archivist.store import fielddefs
from archivist.store.catalogue import Catalogue

#: Field kinds whose cleaned values are remembered (values that repeat across records).
_CACHED_KINDS = ("language", "term", "date", "url", "number")


class Validator:
    """The cheap checks, each distinct value validated once."""

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self.dates: dict[str, EdtfDate] = {}
        self.values: dict[tuple, object] = {}
        self.field_maps: dict[str | None, dict] = {}
        self.languages: dict[str, str] = {}
        self.scripts: dict[str, str] = {}

    def date(self, expression) -> EdtfDate:
        d = self.dates.get(expression)
        if d is None:
            d = self.dates[expression] = fast_date(expression)
        return d

    def fields(self, record_type: str | None, values: dict) -> dict:
        fmap = self.field_maps.get(record_type)
        if fmap is None:
            fmap = self.field_maps[record_type] = fielddefs.field_map(self.cat, record_type)
        out = {}
        for key, value in values.items():
            fdef = fielddefs.value_field(fmap, record_type, key)
            if fdef.kind in _CACHED_KINDS:
                cache_key = (key, tuple(value) if isinstance(value, list) else value)
                try:
                    cleaned = self.values[cache_key]
                except KeyError:
                    cleaned = self.values[cache_key] = clean_value(fdef, value)
                except TypeError:  # unhashable: validate uncached, it will likely fail
                    cleaned = clean_value(fdef, value)
            else:
                cleaned = clean_value(fdef, value)
            if cleaned is not None:
                out[key] = cleaned
        return out

    def language(self, tag: str) -> str:
        if tag not in self.languages:
            self.languages[tag] = check_language(tag)
        return tag

    def script(self, code: str) -> str:
        if code not in self.scripts:
            self.scripts[code] = check_script(code)
        return code
