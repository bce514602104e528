"""The bulk path: many records and authorities in large batches, one transaction, one audit row per batch.

Input is the native exchange format (``docs/native-format.md``) as Python dicts: authorities, then
records with parents before their children. The checks are those of the one-at-a-time API
(levels, containment, record types, fields, access, EDTF dates, link roles, relation types) but
made cheap: ids are assigned here, parents are remembered, and every repeated value (a date, a
language code, a field definition) is validated once. The whole import is one transaction: an
error or a cancel leaves the catalogue as it was. The audit log gets one ``import`` row per batch
(with the batch's record count and id range) instead of one per record, and the search index,
where present, is brought up to date once at the end through its bulk entry point.
"""

from __future__ import annotations

import json
import sqlite3
import time
import unicodedata
import uuid as uuidlib
from dataclasses import dataclass
from typing import Callable, Iterable

from archivist.core.changes import Changes
from archivist.core.dates import date_item
from archivist.core.errors import (ArchivistError, Cancelled, InvalidHierarchy, InvalidValue,
                                   NotFound)
from archivist.core.levels import LEVELS, can_contain
from archivist.core.model import (ACCESS_STATUSES, AUTHORITY_KINDS, DESCRIPTION_STATUSES,
                                  LINK_ROLES, RELATION_INVERSES)
from archivist.core.templates import RECORD_TYPES
from archivist.store.audit import log_change
from archivist.store.bulk_checks import Validator
from archivist.store.bulk_indexes import indexes_built_at_the_end
from archivist.store.catalogue import Catalogue, now
from archivist.store.records import code_prefix, derive_code

_REL_INVERSE = {v: k for k, v in RELATION_INVERSES.items() if k != v}


@dataclass
class BulkResult:
    """What a bulk import wrote.

    Attributes:
        records, authorities, names, dates, links, tags, relations: rows written per table
            (``tags`` counts record–tag pairs).
        first_record_id, last_record_id: the ids given to the new records (contiguous).
        audit_batch: the audit log batch holding the import rows.
        indexed: whether the search index was updated by its bulk entry point.
        seconds: wall time of the import, index included.
    """

    records: int = 0
    authorities: int = 0
    names: int = 0
    dates: int = 0
    links: int = 0
    tags: int = 0
    relations: int = 0
    first_record_id: int | None = None
    last_record_id: int | None = None
    audit_batch: int | None = None
    indexed: bool = False
    seconds: float = 0.0


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text).strip())


class _Importer:
    def __init__(self, cat: Catalogue, batch_size: int, progress, cancelled, total):
        self.cat = cat
        self.conn = cat.conn
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.cancelled = cancelled
        self.total = total
        self.check = Validator(cat)
        self.result = BulkResult()
        self.user = cat.user
        # uuid -> (id, level, reference code) of every unit that can contain others
        self.units: dict[str, tuple[int, str, str | None]] = {}
        self.authority_ids: dict[str, int] = {}
        self.tag_ids: dict[str, int] = {}
        self.next_pos: dict[int | None, int] = {}
        self.next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM records").fetchone()[0]
        self.start_id = self.next_id
        self.new_authorities: set[int] = set()
        self.rows: list[tuple] = []
        self.date_rows: list[tuple] = []
        self.link_rows: list[tuple] = []
        self.tag_rows: list[tuple] = []
        self.rel_rows: list[tuple] = []
        self.types = set(RECORD_TYPES)
        self.stamp = now()

    # -- authorities --------------------------------------------------------------------------
    def authorities(self, items: Iterable[dict]) -> None:
        next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM authorities").fetchone()[0]
        rows, names = [], []
        for n, a in enumerate(items):
            try:
                kind = a.get("kind")
                if kind not in AUTHORITY_KINDS:
                    raise InvalidValue(f"unknown authority kind {kind!r}; use one of:"
                                       f" {', '.join(AUTHORITY_KINDS)}")
                name = _nfc(a.get("name") or "")
                if not name:
                    raise InvalidValue("an authority record needs a name")
                dates = a.get("dates") or None
                d = self.check.date(dates) if dates else None
                idents = []
                for ident in a.get("identifiers") or ():
                    if not isinstance(ident, dict) or not ident.get("scheme") or not ident.get("value"):
                        raise InvalidValue("an external identifier needs a scheme and a value")
                    idents.append({"scheme": str(ident["scheme"]), "value": str(ident["value"])})
                auuid = a.get("uuid") or str(uuidlib.uuid4())
                aid = next_id
                next_id += 1
                for pos, v in enumerate(a.get("variants") or ()):
                    v = {"name": v} if isinstance(v, str) else v
                    vname = _nfc(v.get("name") or "")
                    if not vname:
                        raise InvalidValue("a variant name cannot be empty")
                    lang, script = v.get("language") or None, v.get("script") or None
                    names.append((aid, pos, vname, lang and self.check.language(lang),
                                  script and self.check.script(script)))
            except ArchivistError as exc:
                raise type(exc)(f"authority {n + 1} ({a.get('name')!r}): {exc}") from exc
            if auuid in self.authority_ids:
                raise InvalidValue(f"authority {n + 1}: UUID {auuid} appears twice")
            self.authority_ids[auuid] = aid
            self.new_authorities.add(aid)
            rows.append((aid, auuid, kind, name, dates, d and d.earliest, d and d.latest,
                         a.get("description") or None, json.dumps(idents, ensure_ascii=False),
                         self.stamp, self.user, self.stamp, self.user))
        if not rows:
            return
        self._many("INSERT INTO authorities (id, uuid, kind, name, dates, earliest, latest,"
                   " description, identifiers, created_at, created_by, modified_at, modified_by)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows, "authorities")
        self._many("INSERT INTO authority_names (authority_id, position, name, language, script)"
                   " VALUES (?,?,?,?,?)", names, "authority names")
        log_change(self.cat, "import", "authority", None,
                   new={"count": len(rows), "first_id": rows[0][0], "last_id": rows[-1][0]})
        self.result.authorities += len(rows)
        self.result.names += len(names)

    # -- records ------------------------------------------------------------------------------
    def records(self, items: Iterable[dict]) -> None:
        for n, rec in enumerate(items):
            try:
                self._record(rec)
            except ArchivistError as exc:
                raise type(exc)(f"record {n + 1} ({rec.get('title')!r}): {exc}") from exc
            if len(self.rows) >= self.batch_size:
                self.flush()
        self.flush()
        self._relations()

    def _parent(self, rec: dict) -> tuple[int | None, str | None, str | None]:
        parent = rec.get("parent")
        if parent is None and rec.get("parent_id") is None:
            return None, None, None
        if parent is not None and parent in self.units:
            return self.units[parent]
        self.flush()  # the parent may be waiting in the current batch
        key, where = (parent, "uuid") if parent is not None else (rec["parent_id"], "id")
        row = self.conn.execute(f"SELECT id, level, reference_code, trashed_at FROM records"
                                f" WHERE {where} = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(f"its parent {key} is neither in the import nor in the catalogue"
                           " (parents must come before their children)")
        if row[3]:
            raise InvalidHierarchy("the parent is in the trash; restore it first")
        return row[0], row[1], row[2] if row[2] else code_prefix(self.cat, row[0])

    def _position(self, parent_id: int | None, created_here: bool) -> int:
        pos = self.next_pos.get(parent_id)
        if pos is None:
            pos = 0 if created_here else self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM records WHERE parent_id IS ?",
                (parent_id,)).fetchone()[0]
        self.next_pos[parent_id] = pos + 1
        return pos

    def _record(self, rec: dict) -> None:
        title = (rec.get("title") or "").strip()
        if not title:
            raise InvalidValue("a record needs a title")
        level = rec.get("level")
        if level not in LEVELS:
            raise InvalidValue(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")
        rtype = rec.get("type")
        if rtype is not None and rtype not in self.types:
            raise InvalidValue(f"unknown record type {rtype!r}; use one of: {', '.join(RECORD_TYPES)}")
        status = rec.get("description_status") or "draft"
        if status not in DESCRIPTION_STATUSES:
            raise InvalidValue(f"unknown description status {status!r}")
        access = rec.get("access") or {}
        a_status = access.get("status") or "open"
        a_reason, a_until = access.get("reason") or None, access.get("until") or None
        if a_status not in ACCESS_STATUSES:
            raise InvalidValue(f"unknown access status {a_status!r}; use one of:"
                               f" {', '.join(ACCESS_STATUSES)}")
        if a_status == "restricted" and not a_reason:
            raise InvalidValue("a restricted record needs a reason (e.g. personal data)")
        if a_until:
            self.check.date(a_until)
        parent_id, parent_level, parent_code = self._parent(rec)
        if parent_level is not None and not can_contain(parent_level, level):
            raise InvalidHierarchy(f"a {parent_level} cannot contain a {level}")
        fields = self.check.fields(rtype, rec["fields"]) if rec.get("fields") else {}
        rid = self.next_id
        self.next_id += 1
        ruuid = rec.get("uuid") or str(uuidlib.uuid4())
        custom = rec.get("reference_code") or None
        code = custom or derive_code(parent_code, rec.get("identifier"))
        created_here = parent_id is not None and parent_id >= self.start_id
        pos = self._position(parent_id, created_here)
        self.rows.append((rid, ruuid, parent_id, pos, level, rec.get("identifier"), code,
                          int(bool(custom)), title, rtype, a_status, a_reason, a_until, status,
                          json.dumps(fields, ensure_ascii=False), self.stamp, self.user,
                          self.stamp, self.user))
        if level != "item":
            if ruuid in self.units:
                raise InvalidValue(f"UUID {ruuid} appears twice")
            self.units[ruuid] = (rid, level, code or parent_code)  # children's prefix
        for i, item in enumerate(rec.get("dates") or ()):
            expr, label = date_item(item)
            d = self.check.date(expr)
            self.date_rows.append((rid, i, label, expr, d.earliest, d.latest, d.earliest_fuzzy,
                                   d.latest_fuzzy, d.certainty))
        seen = set()
        for i, ln in enumerate(rec.get("links") or ()):
            role = ln.get("role")
            if role not in LINK_ROLES:
                raise InvalidValue(f"unknown role {role!r}; use one of: {', '.join(LINK_ROLES)}")
            aid = self._authority(ln.get("authority"))
            if (aid, role) not in seen:
                seen.add((aid, role))
                self.link_rows.append((rid, aid, role, i))
        for name in {_nfc(t) for t in rec.get("tags") or () if t and str(t).strip()}:
            self.tag_rows.append((rid, self._tag(name)))
        for rel in rec.get("relations") or ():
            rtype_, target = rel.get("type"), rel.get("target")
            if rtype_ in _REL_INVERSE:
                self.rel_rows.append((target, ruuid, _REL_INVERSE[rtype_]))
            elif rtype_ in RELATION_INVERSES:
                self.rel_rows.append((ruuid, target, rtype_))
            else:
                raise InvalidValue(f"unknown relation type {rtype_!r}")
            if target == ruuid:
                raise InvalidValue("a record cannot be related to itself")

    def _authority(self, key) -> int:
        aid = self.authority_ids.get(key)
        if aid is None:
            row = self.conn.execute("SELECT id FROM authorities WHERE uuid = ?", (key,)).fetchone()
            if row is None:
                raise NotFound(f"it links to authority {key!r}, which is neither in the import"
                               " nor in the catalogue")
            aid = self.authority_ids[key] = row[0]
        return aid

    def _tag(self, name: str) -> int:
        tid = self.tag_ids.get(name)
        if tid is None:
            row = self.conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
            tid = row[0] if row else self.conn.execute("INSERT INTO tags (name) VALUES (?)",
                                                       (name,)).lastrowid
            self.tag_ids[name] = tid
        return tid

    def flush(self) -> None:
        """Write the pending batch with one audit row, then report progress or stop if cancelled."""
        if not self.rows:
            return
        first, last = self.rows[0][0], self.rows[-1][0]
        self._many("INSERT INTO records (id, uuid, parent_id, position, level, identifier,"
                   " reference_code, ref_custom, title, type, access_status, access_reason,"
                   " access_until, description_status, fields, created_at, created_by, modified_at,"
                   " modified_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.rows, "records")
        self._many("INSERT INTO record_dates (record_id, position, label, expression, earliest,"
                   " latest, earliest_fuzzy, latest_fuzzy, certainty) VALUES (?,?,?,?,?,?,?,?,?)",
                   self.date_rows, "dates")
        self._many("INSERT INTO links (record_id, authority_id, role, position) VALUES (?,?,?,?)",
                   self.link_rows, "links")
        self._many("INSERT OR IGNORE INTO record_tags (record_id, tag_id) VALUES (?,?)",
                   self.tag_rows, "tags")
        log_change(self.cat, "import", "record", None,
                   new={"count": len(self.rows), "first_id": first, "last_id": last})
        r = self.result
        r.records += len(self.rows)
        r.dates += len(self.date_rows)
        r.links += len(self.link_rows)
        r.tags += len(self.tag_rows)
        r.first_record_id = self.start_id
        r.last_record_id = last
        self.rows, self.date_rows, self.link_rows, self.tag_rows = [], [], [], []
        if self.progress is not None:
            self.progress(r.records, self.total)
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("the import was cancelled; nothing was written")

    def _relations(self) -> None:
        if not self.rel_rows:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_relations"
                          " (source TEXT, target TEXT, type TEXT)")
        self.conn.execute("DELETE FROM temp.bulk_relations")
        self.conn.executemany("INSERT INTO temp.bulk_relations VALUES (?,?,?)", self.rel_rows)
        missing = self.conn.execute(
            "SELECT b.source, b.target FROM temp.bulk_relations b"
            " LEFT JOIN records s ON s.uuid = b.source LEFT JOIN records t ON t.uuid = b.target"
            " WHERE s.id IS NULL OR t.id IS NULL LIMIT 1").fetchone()
        if missing:
            raise NotFound(f"a relation points at a record that does not exist ({missing[0]} →"
                           f" {missing[1]})")
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO relations (source_id, target_id, type)"
            " SELECT s.id, t.id, b.type FROM temp.bulk_relations b JOIN records s ON s.uuid = b.source"
            " JOIN records t ON t.uuid = b.target")
        self.result.relations = cur.rowcount
        self.conn.execute("DROP TABLE temp.bulk_relations")
        log_change(self.cat, "import", "relation", None, new={"count": cur.rowcount})

    def _many(self, sql: str, rows: list[tuple], what: str) -> None:
        if not rows:
            return
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise InvalidValue(f"the {what} of the batch cannot be stored ({exc}): a UUID that"
                               " already exists, or a reference to a missing row") from exc


def bulk_import(cat: Catalogue, records: Iterable[dict], authorities: Iterable[dict] = (), *,
                batch_size: int = 5000, progress: Callable[[int, int | None], None] | None = None,
                cancelled: Callable[[], bool] | None = None, total: int | None = None,
                reindex: bool = True) -> BulkResult:
    """Import many authorities and records at once, all or nothing.

    Args:
        cat: the open catalogue.
        records: record dicts in the native format, parents before children; ``parent`` is a UUID
            (of this import or of the catalogue) and ``parent_id`` may name an existing record.
        authorities: authority dicts in the native format (written first).
        batch_size: records per ``executemany`` batch and per audit row.
        progress: called as ``progress(records_done, total)`` after each batch.
        cancelled: polled after each batch; when it returns True the import stops and
            :class:`Cancelled` is raised with nothing written.
        total: the number of records, if known, passed on to ``progress``; a large import into a
            smaller catalogue rebuilds the secondary indexes once at the end instead of
            updating them row by row.
        reindex: update the search index (when it exists) at the end; False leaves the index
            behind, for callers that rebuild it afterwards.

    Returns:
        Counts of what was written.

    Raises:
        InvalidValue, InvalidDate, InvalidHierarchy, NotFound: a record or authority is refused
            (the message names it); nothing is written.
        Cancelled: the user cancelled; nothing is written.
    """
    started = time.perf_counter()
    search = _search_bulk_hook() if reindex else None
    deferred = getattr(cat, "search_index_deferred", False)
    # the commit hook skips its per-record work: the bulk entry point below does it once
    # (or, with reindex=False, the caller rebuilds the index later)
    cat.search_index_deferred = True
    try:
        with cat.atomic():
            imp = _Importer(cat, batch_size, progress, cancelled, total)
            with indexes_built_at_the_end(cat, total):
                imp.authorities(authorities)
                imp.records(records)
            res = imp.result
            res.audit_batch = cat.batch_id()
            ids = (set(range(res.first_record_id, res.last_record_id + 1))
                   if res.records else set())
            if search is not None and ids:
                search(cat, ids)
                res.indexed = True
            cat.note(Changes(records=ids, structure=bool(ids),
                             authorities=imp.new_authorities))
    finally:
        cat.search_index_deferred = deferred
    res.seconds = time.perf_counter() - started
    return res


def _search_bulk_hook():
    """The search index's entry point for many records: ``fn(cat, record_ids)`` inside the
    import's transaction (a function, so that the benchmark can time it)."""
    from archivist.store import search_index

    return search_index.bulk_reindex
