"""A large import's secondary indexes: dropped while it writes, built once at its end.

Sorting once beats millions of random index inserts, so an import of at least
:data:`LARGE_IMPORT` records (and at least as many as the catalogue holds) drops the non-unique
secondary indexes of the tables it fills and gives SQLite a larger page cache, and builds the
indexes again when it has written everything. All of it happens inside the import's transaction,
so an import that fails or is cancelled rolls the indexes back with the rest. Split from
:mod:`archivist.store.bulk`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from archivist.store.catalogue import Catalogue

#: The fewest records for which the indexes are dropped and built again.
LARGE_IMPORT = 50_000
_INDEXED_TABLES = ("records", "record_dates", "links", "record_tags")
_KEEP_INDEXES = {"records_parent"}  # the import reads siblings' positions through it
BULK_CACHE_KB = 262_144  # page cache during a large import (the connection's own is restored)


@contextmanager
def indexes_built_at_the_end(cat: Catalogue, total: int | None) -> Iterator[None]:
    """Within the import's transaction: drop the indexes if the import is large, build them after.

    Args:
        cat: the catalogue, inside a transaction.
        total: the records the import will write, if known (None: treated as small).
    """
    if total is None or total < LARGE_IMPORT or (
            cat.conn.execute("SELECT count(*) FROM records").fetchone()[0] > total):
        yield
        return
    cache_size = cat.conn.execute("PRAGMA cache_size").fetchone()[0]
    dropped = _drop_indexes(cat)
    cat.conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KB}")
    try:
        yield
        for _name, sql in dropped:  # rolled back with the rest if anything fails
            cat.conn.execute(sql)
    finally:
        cat.conn.execute(f"PRAGMA cache_size = {cache_size}")


def _drop_indexes(cat: Catalogue) -> list[tuple[str, str]]:
    """Drop the non-unique secondary indexes of the bulk-filled tables; returns their SQL."""
    marks = ",".join("?" * len(_INDEXED_TABLES))
    found = cat.conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) AND upper(sql) NOT LIKE 'CREATE UNIQUE%'",
        _INDEXED_TABLES).fetchall()
    dropped = [(name, sql) for name, sql in found if name not in _KEEP_INDEXES]
    for name, _sql in dropped:
        cat.conn.execute(f'DROP INDEX "{name}"')
    return dropped
