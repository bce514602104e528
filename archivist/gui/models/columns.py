"""The columns a user can show in the record table: label, sort key and how to render a row."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from archivist.core.dates import humanize
from archivist.core.fields import language_name
from archivist.core.levels import LEVEL_LABELS
from archivist.core.templates import load_templates


@lru_cache(maxsize=512)
def _lang(tag: str) -> str:
    return language_name(tag)


@lru_cache(maxsize=2048)
def _date(expr: str) -> str:
    return humanize(expr)


def _type_label(value: str | None) -> str:
    if not value:
        return ""
    template = load_templates().get(value)
    return template.label if template else value


@dataclass(frozen=True)
class Column:
    """One table column.

    Attributes:
        key: stable id (saved in settings).
        label: header text.
        sort: sort key understood by ``store.views.record_ids``.
        render: the row dict → display text.
        width: default width in pixels.
    """

    key: str
    label: str
    sort: str
    render: Callable[[dict], str]
    width: int = 110


COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("reference_code", "Reference code", "reference_code",
           lambda r: r["reference_code"] or "", 150),
    Column("title", "Title", "title", lambda r: r["title"], 320),
    Column("type", "Type", "type", lambda r: _type_label(r["type"]), 110),
    Column("date", "Date", "date", lambda r: _date(r["date"]) if r["date"] else "", 130),
    Column("level", "Level", "level", lambda r: LEVEL_LABELS.get(r["level"], r["level"]), 70),
    Column("language", "Language", "id", lambda r: ", ".join(_lang(t) for t in r["languages"]), 110),
    Column("pages", "Pages", "pages", lambda r: str(r["pages"]) if r["pages"] else "", 50),
    Column("status", "Status", "status", lambda r: r["status"], 70),
    Column("access", "Access", "access", lambda r: r["access"], 80),
    Column("modified", "Modified", "modified", lambda r: (r["modified"] or "").replace("T", " ")[:16], 130),
)}
