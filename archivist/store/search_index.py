"""Keeping the search index in step with the catalogue.

The catalogue calls :func:`on_commit` just before every write transaction commits (see
``Catalogue._before_commit``), so the index changes in the same transaction as the data.
:func:`reindex_records` rebuilds the index rows of some records; :func:`rebuild` the whole index
(migration, repair, bulk import with ``defer``).

What is indexed for a record (normalised with :func:`archivist.core.normalize.normalize`; the
stored data is never changed):

* ``title``; ``body``: identifier, every field value except language and script codes, date
  expressions, page labels, transcriptions and translations, region titles, descriptions and
  transcriptions; ``person`` / ``org`` / ``place``: the authorised and variant names of linked
  live authorities (families count as persons); ``tag``; ``keys``: cross-script name keys of the
  words of these that may be names (not starting with a lower-case letter; every Arabic-script
  word).
* ``search_meta``: has a scan / transcription / translation / region, the series it belongs to.
* ``search_facets``: language, person, org, place (authority ids), tag, year and decade.
* ``search_keys``: every name key, for tolerant matching of spelling variants.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from typing import Callable, Iterable

from archivist.store.search_index_build import Builder, build
from archivist.store.search_index_docs import (BATCH, MAX_YEAR_SPAN, _chunks, _documents, _marks,
                                               _series_of, _State)

__all__ = ["on_commit", "reindex_records", "bulk_reindex", "rebuild", "BATCH", "MAX_YEAR_SPAN"]

#: FTS5 keeps this many bytes of new index data in memory before writing a segment during a bulk
#: run (its default, 1 MB, fills every few hundred records with the prefix indexes and makes
#: many small segments to merge); restored afterwards.
BULK_HASHSIZE = 64 * 1024 * 1024
_FTS_DEFAULT_HASHSIZE = 1024 * 1024
#: A run of at least this many records builds its documents in a helper process, overlapping
#: the FTS5 writes; None: never. Off for now: on the shared 2-core test machine (load ~2) 50k
#: records indexed at a median 7.1k records/s with the helper and 7.5k without (best 9.5k vs
#: 8.6k), i.e. no clear gain while the other core is busy. Worth measuring on an idle machine.
PARALLEL_MIN: int | None = None


def _conn(target) -> sqlite3.Connection:
    return target.conn if hasattr(target, "conn") else target


def _has_keys_table(conn: sqlite3.Connection) -> bool:
    """Whether migration 6 has run (an older migration may call :func:`rebuild` before it)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_keys'"
                        ).fetchone() is not None


def _indexed_in_range(conn: sqlite3.Connection, first: int, last: int) -> bool:
    """Whether any record of ``first``..``last`` has index rows (two index lookups)."""
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM search_fts WHERE rowid BETWEEN ?1 AND ?2)"
        " OR EXISTS (SELECT 1 FROM search_facets WHERE record_id BETWEEN ?1 AND ?2)",
        (first, last)).fetchone()[0]


def _clear(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Remove the index rows of ``ids`` (skipped for a range that has none, as new records)."""
    if ids[-1] - ids[0] + 1 == len(ids):
        if _indexed_in_range(conn, ids[0], ids[-1]):
            conn.execute("DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?", (ids[0], ids[-1]))
            conn.execute("DELETE FROM search_facets WHERE record_id BETWEEN ? AND ?",
                         (ids[0], ids[-1]))
    else:
        m = _marks(len(ids))
        conn.execute(f"DELETE FROM search_fts WHERE rowid IN ({m})", ids)
        conn.execute(f"DELETE FROM search_facets WHERE record_id IN ({m})", ids)


def _store(conn: sqlite3.Connection, fts_rows: list[tuple], metas: list[tuple],
           facet_rows: list[tuple], state: _State) -> None:
    conn.executemany(
        "INSERT INTO search_fts (rowid, title, body, person, org, place, tag, keys)"
        " VALUES (?,?,?,?,?,?,?,?)", fts_rows)
    conn.executemany(
        "INSERT INTO search_meta (record_id, has_scan, has_transcription, has_translation,"
        " has_region, series_id) VALUES (?,?,?,?,?,?) ON CONFLICT(record_id) DO UPDATE SET"
        " has_scan = excluded.has_scan, has_transcription = excluded.has_transcription,"
        " has_translation = excluded.has_translation, has_region = excluded.has_region,"
        " series_id = excluded.series_id", metas)
    conn.executemany("INSERT OR IGNORE INTO search_facets (facet, value, record_id) VALUES (?,?,?)",
                     facet_rows)
    if state.has_keys is None:
        state.has_keys = _has_keys_table(conn)
    if state.has_keys:
        keys = {k for row in fts_rows for k in row[7].split()}
        conn.executemany("INSERT OR IGNORE INTO search_keys (key) VALUES (?)", [(k,) for k in keys])


def _write(conn: sqlite3.Connection, ids: list[int], state: _State) -> None:
    _clear(conn, ids)
    pieces, metas, facet_rows = _documents(conn, ids, state)
    _store(conn, build(pieces, state.memo), metas, facet_rows, state)


def _write_all(conn: sqlite3.Connection, ids: list[int], state: _State,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> int:
    """Index ``ids`` in batches; returns how many ids were processed.

    A large run builds each batch's texts in a helper process while this one writes the
    previous batch and reads the next.
    """
    chunks = list(_chunks(ids, BATCH * 4))
    done = 0

    def read(chunk):
        _clear(conn, chunk)
        return _documents(conn, chunk, state)

    with _bulk_writes(conn), Builder(PARALLEL_MIN is not None and len(ids) >= PARALLEL_MIN,
                                       state.memo) as builder:
        current = read(chunks[0])
        builder.send(current[0])
        upcoming = read(chunks[1]) if len(chunks) > 1 else None
        for i, chunk in enumerate(chunks):
            if cancelled is not None and cancelled():
                break
            rows = builder.receive()
            if upcoming is not None:
                builder.send(upcoming[0])  # built while this batch is written
            _store(conn, rows, current[1], current[2], state)
            current = upcoming
            upcoming = read(chunks[i + 2]) if i + 2 < len(chunks) else None
            done += len(chunk)
            if progress is not None:
                progress(done, len(ids))
    return done


@contextmanager
def _bulk_writes(conn: sqlite3.Connection):
    """A larger FTS5 in-memory buffer for the duration of a bulk run (then the previous one)."""
    row = conn.execute("SELECT v FROM search_fts_config WHERE k = 'hashsize'").fetchone()
    previous = int(row[0]) if row else _FTS_DEFAULT_HASHSIZE
    conn.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?)",
                 (BULK_HASHSIZE,))
    try:
        yield
    finally:
        try:
            conn.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?)",
                         (previous,))
        except sqlite3.Error:  # the transaction failed: its rollback restores the setting
            pass


def reindex_records(target, record_ids: Iterable[int]) -> int:
    """Rebuild the index rows of some records (rows of purged records are removed).

    Args:
        target: a ``Catalogue`` or an ``sqlite3.Connection``, inside a write transaction.
        record_ids: the records to reindex.

    Returns:
        How many ids were processed.
    """
    conn = _conn(target)
    ids = sorted({int(i) for i in record_ids})
    cache = _State()
    for chunk in _chunks(ids):
        _write(conn, chunk, cache)
    return len(ids)


def bulk_reindex(target, record_ids: Iterable[int],
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Index many records at once (the bulk import's entry point): larger batches, id ranges.

    Args:
        target: a ``Catalogue`` or an ``sqlite3.Connection``, inside a write transaction.
        record_ids: the records (typically new and contiguous).
        progress: called with (done, total) after each batch.

    Returns:
        How many ids were processed.
    """
    conn = _conn(target)
    ids = sorted({int(i) for i in record_ids})
    if not ids:
        return 0
    return _write_all(conn, ids, _State(), progress)


def _reindex_series(conn: sqlite3.Connection, root_ids: Iterable[int]) -> None:
    """Recompute the series of everything below moved records."""
    for root in root_ids:
        below = [r[0] for r in conn.execute(
            "WITH RECURSIVE down(id) AS (SELECT id FROM records WHERE parent_id = ?"
            " UNION ALL SELECT r.id FROM records r JOIN down ON r.parent_id = down.id)"
            " SELECT id FROM down", (root,))]
        cache: dict = {}
        conn.executemany("UPDATE search_meta SET series_id = ? WHERE record_id = ?",
                         [(_series_of(conn, rid, cache), rid) for rid in below])


def _authority_records(conn: sqlite3.Connection, authority_ids: Iterable[int]) -> set[int]:
    """Records linked to authorities whose searchable names or state changed."""
    out: set[int] = set()
    for aid in authority_ids:
        row = conn.execute("SELECT kind, name, trashed_at FROM authorities WHERE id = ?",
                           (aid,)).fetchone()
        variants = [r[0] for r in conn.execute(
            "SELECT name FROM authority_names WHERE authority_id = ? ORDER BY position, id", (aid,))]
        sig = json.dumps([row[0], row[1], bool(row[2]), variants] if row else None,
                         ensure_ascii=False)
        old = conn.execute("SELECT sig FROM search_authority_sig WHERE authority_id = ?",
                           (aid,)).fetchone()
        if old is not None and old[0] == sig:
            continue
        conn.execute("INSERT INTO search_authority_sig (authority_id, sig) VALUES (?, ?)"
                     " ON CONFLICT(authority_id) DO UPDATE SET sig = excluded.sig", (aid, sig))
        out.update(r[0] for r in conn.execute(
                "SELECT DISTINCT record_id FROM links WHERE authority_id = ?", (aid,)))
    return out


def on_commit(cat, changes) -> None:
    """The catalogue's pre-commit hook: reindex what ``changes`` says changed.

    A ``changes.visibility_only`` attribute set to True (trash or restore and nothing else)
    skips reindexing the records: the index does not hold whether a record is trashed.

    Args:
        cat: the catalogue, inside its outermost write transaction.
        changes: the transaction's :class:`~archivist.core.changes.Changes`.
    """
    conn = _conn(cat)
    if getattr(cat, "search_index_deferred", False):
        return
    ids = set(changes.records) | set(getattr(changes, "media", ()) or ())
    if getattr(changes, "visibility_only", False):
        ids = set()  # trash / restore: hits are filtered on records.trashed_at at query time
    if changes.authorities:
        ids |= _authority_records(conn, changes.authorities)
    if ids:
        reindex_records(conn, ids)
    if changes.structure and changes.records:
        _reindex_series(conn, _moved_roots(conn, changes.records))


def _moved_roots(conn: sqlite3.Connection, record_ids) -> list[int]:
    """The changed records with children whose parent did not change too (one walk per subtree)."""
    changed = set(record_ids)
    roots = []
    for chunk in _chunks(sorted(changed), BATCH):
        m = _marks(len(chunk))
        for rid, parent in conn.execute(
                f"SELECT r.id, r.parent_id FROM records r WHERE r.id IN ({m})"
                f" AND EXISTS (SELECT 1 FROM records c WHERE c.parent_id = r.id)", chunk):
            if parent not in changed:
                roots.append(rid)
    return roots


def rebuild(target, progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> int:
    """Rebuild the whole search index from the records (inside the caller's transaction).

    Args:
        target: a ``Catalogue`` or an ``sqlite3.Connection``.
        progress: called with (done, total) after each batch.
        cancelled: polled between batches; when it returns True the rebuild stops (the caller
            rolls back).

    Returns:
        The number of records indexed.
    """
    conn = _conn(target)
    conn.execute("DELETE FROM search_fts")
    conn.execute("DELETE FROM search_facets")
    conn.execute("DELETE FROM search_meta")
    conn.execute("DELETE FROM search_authority_sig")
    if _has_keys_table(conn):
        conn.execute("DELETE FROM search_keys")
    ids = [r[0] for r in conn.execute("SELECT id FROM records ORDER BY id")]
    done = _write_all(conn, ids, _State(), progress, cancelled) if ids else 0
    _authority_records(conn, [r[0] for r in conn.execute("SELECT id FROM authorities")])
    return done
