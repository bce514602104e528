"""Authority records (people, organisations, families, places) and their name variants."""

from __future__ import annotations

import json
import unicodedata
import uuid as uuidlib
from typing import Iterable

from archivist.core.changes import Changes
from archivist.core.dates import parse_date
from archivist.core.errors import InvalidValue, NotFound
from archivist.core.fields import check_language, check_script
from archivist.core.model import AUTHORITY_KINDS, Authority
from archivist.store.audit import log_change
from archivist.store.catalogue import Catalogue, now

_COLS = "id, uuid, kind, name, dates, description, identifiers, trashed_at"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _clean_variants(variants: Iterable) -> list[dict]:
    out = []
    for v in variants or ():
        if isinstance(v, str):
            v = {"name": v}
        name = _nfc(v.get("name") or "")
        if not name:
            raise InvalidValue("a variant name cannot be empty")
        lang = v.get("language") or None
        script = v.get("script") or None
        if lang:
            check_language(lang)
        if script:
            check_script(script)
        out.append({"name": name, "language": lang, "script": script})
    return out


def _clean_identifiers(identifiers) -> list[dict]:
    out = []
    for ident in identifiers or ():
        if not isinstance(ident, dict) or not ident.get("scheme") or not ident.get("value"):
            raise InvalidValue("an external identifier needs a scheme and a value")
        out.append({"scheme": str(ident["scheme"]), "value": str(ident["value"])})
    return out


def create_authority(cat: Catalogue, *, kind: str, name: str, variants: Iterable = (),
                     dates: str | None = None, description: str | None = None,
                     identifiers: Iterable = (), uuid: str | None = None) -> int:
    """Create an authority record and return its id.

    Args:
        kind: person, organisation, family or place.
        name: the authorised form of the name.
        variants: other forms, as strings or dicts with name, language (BCP 47), script (ISO 15924).
        dates: EDTF dates of existence.
        identifiers: dicts with scheme and value (e.g. wikidata, viaf).

    Raises:
        InvalidValue, InvalidDate: nothing is written.
    """
    if kind not in AUTHORITY_KINDS:
        raise InvalidValue(f"unknown authority kind {kind!r}; use one of: {', '.join(AUTHORITY_KINDS)}")
    name = _nfc(name or "")
    if not name:
        raise InvalidValue("an authority record needs a name")
    clean = _clean_variants(variants)
    idents = _clean_identifiers(identifiers)
    earliest = latest = None
    if dates:
        d = parse_date(dates)
        earliest, latest = d.earliest, d.latest
    with cat.atomic():
        stamp = now()
        new_uuid = uuid or str(uuidlib.uuid4())
        cur = cat.conn.execute(
            "INSERT INTO authorities (uuid, kind, name, dates, earliest, latest, description,"
            " identifiers, created_at, created_by, modified_at, modified_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (new_uuid, kind, name, dates or None, earliest, latest, description or None,
             json.dumps(idents, ensure_ascii=False), stamp, cat.user, stamp, cat.user))
        aid = cur.lastrowid
        _write_variants(cat, aid, clean)
        log_change(cat, "create", "authority", aid, new_uuid, new={"kind": kind, "name": name})
        cat.note(Changes(authorities={aid}))
    return aid


def _write_variants(cat: Catalogue, aid: int, variants: list[dict]) -> None:
    cat.conn.execute("DELETE FROM authority_names WHERE authority_id = ?", (aid,))
    cat.conn.executemany(
        "INSERT INTO authority_names (authority_id, position, name, language, script) VALUES (?,?,?,?,?)",
        [(aid, i, v["name"], v["language"], v["script"]) for i, v in enumerate(variants)])


def get_authority(cat: Catalogue, authority_id: int) -> Authority:
    """One authority record with its variants.

    Raises:
        NotFound: there is no such authority.
    """
    row = cat.conn.execute(f"SELECT {_COLS} FROM authorities WHERE id = ?", (authority_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no authority record {authority_id}")
    variants = [{"name": n, "language": lang, "script": s} for n, lang, s in cat.conn.execute(
        "SELECT name, language, script FROM authority_names WHERE authority_id = ? ORDER BY position",
        (authority_id,))]
    return Authority(row[0], row[1], row[2], row[3], variants, row[4], row[5], json.loads(row[6]),
                     row[7])


def id_for_uuid(cat: Catalogue, uuid: str) -> int | None:
    """The row id of the authority with this UUID, or None."""
    row = cat.conn.execute("SELECT id FROM authorities WHERE uuid = ?", (uuid,)).fetchone()
    return row[0] if row else None


def resolve_authority(cat: Catalogue, key: str | int) -> int:
    """Find an authority by UUID, numeric id, or exact authorised or variant name.

    Raises:
        NotFound: nothing matches, or a name matches several records (they are listed).
    """
    text = _nfc(str(key))
    row = cat.conn.execute("SELECT id FROM authorities WHERE uuid = ?", (text,)).fetchone()
    if row:
        return row[0]
    if text.isdigit():
        row = cat.conn.execute("SELECT id FROM authorities WHERE id = ?", (int(text),)).fetchone()
        if row:
            return row[0]
    ids = [r[0] for r in cat.conn.execute(
        "SELECT id FROM authorities WHERE name = ? COLLATE NOCASE AND trashed_at IS NULL UNION "
        "SELECT authority_id FROM authority_names n JOIN authorities a ON a.id = n.authority_id"
        " WHERE n.name = ? COLLATE NOCASE AND a.trashed_at IS NULL", (text, text))]
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        names = ", ".join(f"{get_authority(cat, i).name} ({get_authority(cat, i).uuid})" for i in ids)
        raise NotFound(f"{text!r} names several authority records: {names}; give the UUID")
    raise NotFound(f"no authority record has the UUID or name {text!r}")


def list_authorities(cat: Catalogue, kind: str | None = None, *,
                     include_trashed: bool = False) -> list[Authority]:
    """Authority records sorted by name, optionally of one kind."""
    where, args = [], []
    if kind:
        where.append("kind = ?")
        args.append(kind)
    if not include_trashed:
        where.append("trashed_at IS NULL")
    sql = "SELECT id FROM authorities" + (" WHERE " + " AND ".join(where) if where else "")
    return [get_authority(cat, r[0]) for r in cat.conn.execute(sql + " ORDER BY name COLLATE NOCASE", args)]


def find_authorities(cat: Catalogue, text: str, kind: str | None = None, limit: int = 20) -> list[Authority]:
    """Authorities whose authorised or variant name contains ``text`` (any script, any case)."""
    pattern = f"%{_nfc(text)}%"
    sql = ("SELECT DISTINCT a.id FROM authorities a LEFT JOIN authority_names n ON n.authority_id = a.id"
           " WHERE a.trashed_at IS NULL AND (a.name LIKE ? OR n.name LIKE ?)")
    args: list = [pattern, pattern]
    if kind:
        sql += " AND a.kind = ?"
        args.append(kind)
    rows = cat.conn.execute(sql + " ORDER BY a.name LIMIT ?", (*args, limit)).fetchall()
    return [get_authority(cat, r[0]) for r in rows]


def update_authority(cat: Catalogue, authority_id: int, values: dict) -> Changes:
    """Edit an authority: keys name, kind, variants, dates, description, identifiers."""
    allowed = {"name", "kind", "variants", "dates", "description", "identifiers"}
    unknown = set(values) - allowed
    if unknown:
        raise InvalidValue(f"unknown authority attributes: {', '.join(sorted(unknown))}")
    with cat.atomic():
        old = get_authority(cat, authority_id)
        changes = Changes(authorities={authority_id})
        for key, value in values.items():
            if key == "variants":
                new = _clean_variants(value)
                if new != old.variants:
                    _write_variants(cat, authority_id, new)
                    log_change(cat, "update", "authority", authority_id, old.uuid, field="variants",
                               old=old.variants, new=new)
                continue
            if key == "identifiers":
                new = _clean_identifiers(value)
                if new != old.identifiers:
                    cat.conn.execute("UPDATE authorities SET identifiers = ? WHERE id = ?",
                                     (json.dumps(new, ensure_ascii=False), authority_id))
                    log_change(cat, "update", "authority", authority_id, old.uuid, field=key,
                               old=old.identifiers, new=new)
                continue
            new = _nfc(value) if isinstance(value, str) else value
            new = new or None
            if key == "kind" and new not in AUTHORITY_KINDS:
                raise InvalidValue(f"unknown authority kind {new!r}")
            if key == "name" and not new:
                raise InvalidValue("an authority record needs a name")
            if new == getattr(old, key):
                continue
            if key == "dates":
                d = parse_date(new) if new else None
                cat.conn.execute("UPDATE authorities SET earliest = ?, latest = ? WHERE id = ?",
                                 (d and d.earliest, d and d.latest, authority_id))
            cat.conn.execute(f"UPDATE authorities SET {key} = ? WHERE id = ?", (new, authority_id))
            log_change(cat, "update", "authority", authority_id, old.uuid, field=key,
                       old=getattr(old, key), new=new)
        cat.conn.execute("UPDATE authorities SET modified_at = ?, modified_by = ? WHERE id = ?",
                         (now(), cat.user, authority_id))
        # records linked to it show its names: their search text changed too
        changes.records.update(r[0] for r in cat.conn.execute(
            "SELECT DISTINCT record_id FROM links WHERE authority_id = ?", (authority_id,)))
        return cat.note(changes)


def set_authority_trashed(cat: Catalogue, authority_id: int, trashed: bool) -> Changes:
    """Trash or restore an authority record (its links stay, hidden while it is trashed)."""
    with cat.atomic():
        old = get_authority(cat, authority_id)
        if bool(old.trashed_at) == trashed:
            return Changes()
        stamp = now() if trashed else None
        cat.conn.execute("UPDATE authorities SET trashed_at = ? WHERE id = ?", (stamp, authority_id))
        log_change(cat, "trash" if trashed else "restore", "authority", authority_id, old.uuid,
                   field="trashed_at", old=old.trashed_at, new=stamp)
        return cat.note(Changes(authorities={authority_id}))


def linked_record_ids(cat: Catalogue, authority_id: int) -> list[tuple[int, str]]:
    """(record id, role) of every live record linked to an authority."""
    return cat.conn.execute(
        "SELECT l.record_id, l.role FROM links l JOIN records r ON r.id = l.record_id"
        " WHERE l.authority_id = ? AND r.trashed_at IS NULL ORDER BY r.reference_code, r.id",
        (authority_id,)).fetchall()
