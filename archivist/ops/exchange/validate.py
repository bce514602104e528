"""Checks a reader applies to each native dict it builds, before handing it to the importer."""

from __future__ import annotations

import re

from archivist.core.dates import DATE_LABELS, is_valid
from archivist.core.levels import LEVELS
from archivist.core.model import (ACCESS_STATUSES, AUTHORITY_KINDS, DESCRIPTION_STATUSES,
                                  LINK_ROLES, RELATION_INVERSES)
from archivist.ops.exchange.common import safe_relative_path

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
RECORD_TYPES = ("letter", "captured_document", "press_clipping", "report", "book_extract",
                "photograph", "physical_object", "testimony", "web_article", "other")


def is_uuid(value) -> bool:
    """Whether ``value`` is a lowercase RFC 4122 UUID string."""
    return isinstance(value, str) and bool(_UUID.match(value))


def record_problems(rec: dict) -> list[str]:
    """Return every reason to refuse a RECORD dict (empty when it is acceptable)."""
    problems = []
    if not is_uuid(rec.get("uuid")):
        problems.append(f"uuid {rec.get('uuid')!r} is not a UUID")
    if rec.get("parent") is not None and not is_uuid(rec.get("parent")):
        problems.append(f"parent {rec.get('parent')!r} is not a UUID")
    if rec.get("level") not in LEVELS:
        problems.append(f"level {rec.get('level')!r} is not one of {', '.join(LEVELS)}")
    if not (rec.get("title") or "").strip():
        problems.append("title is empty")
    if rec.get("type") is not None and rec.get("type") not in RECORD_TYPES:
        problems.append(f"type {rec.get('type')!r} is not one of {', '.join(RECORD_TYPES)}")
    for date in rec.get("dates") or []:
        if not is_valid(date.get("expression") or ""):
            problems.append(f"date {date.get('expression')!r} is not valid EDTF")
        if date.get("label") not in DATE_LABELS:
            problems.append(f"date label {date.get('label')!r} is not one of "
                            f"{', '.join(DATE_LABELS)}")
    access = rec.get("access") or {}
    if access.get("status") not in ACCESS_STATUSES:
        problems.append(f"access status {access.get('status')!r} is not one of "
                        f"{', '.join(ACCESS_STATUSES)}")
    elif access.get("status") == "restricted" and not access.get("reason"):
        problems.append("a restricted record needs a reason")
    if rec.get("description_status") not in DESCRIPTION_STATUSES:
        problems.append(f"description status {rec.get('description_status')!r} is not one of "
                        f"{', '.join(DESCRIPTION_STATUSES)}")
    for link in rec.get("links") or []:
        if link.get("role") not in LINK_ROLES:
            problems.append(f"link role {link.get('role')!r} is not one of {', '.join(LINK_ROLES)}")
        if not is_uuid(link.get("authority")):
            problems.append(f"link authority {link.get('authority')!r} is not a UUID")
    for rel in rec.get("relations") or []:
        if rel.get("type") not in RELATION_INVERSES:
            problems.append(f"relation type {rel.get('type')!r} is unknown")
        if not is_uuid(rel.get("target")):
            problems.append(f"relation target {rel.get('target')!r} is not a UUID")
    for page in rec.get("media") or []:
        problems.extend(page_problems(page))
    return problems


def page_problems(page: dict) -> list[str]:
    """Return every reason to refuse a PAGE dict (unsafe paths above all)."""
    problems = []
    if safe_relative_path(page.get("file") or "") is None:
        problems.append(f"file path {page.get('file')!r} points outside the catalogue "
                        "(absolute, '..', or a URL)")
    if not _SHA.match(page.get("sha256") or ""):
        problems.append(f"sha256 of {page.get('file')!r} is not 64 lowercase hex digits")
    return problems


def authority_problems(auth: dict) -> list[str]:
    """Return every reason to refuse an AUTHORITY dict."""
    problems = []
    if not is_uuid(auth.get("uuid")):
        problems.append(f"uuid {auth.get('uuid')!r} is not a UUID")
    if auth.get("kind") not in AUTHORITY_KINDS:
        problems.append(f"kind {auth.get('kind')!r} is not one of {', '.join(AUTHORITY_KINDS)}")
    if not (auth.get("name") or "").strip():
        problems.append("name is empty")
    if auth.get("dates") and not is_valid(auth["dates"]):
        problems.append(f"dates {auth['dates']!r} are not valid EDTF")
    return problems
