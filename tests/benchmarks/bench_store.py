"""Store cases: bulk import (with and without the search index) and a full search index build.

Each checks its own work: the imported catalogue must equal, row for row, the cached catalogue
built from the same seed (a checksum over records, dates, links, tags and relations), and the
rebuilt index must hold every record and find the planted marker words in exactly their records.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from tests.benchmarks.harness import Figure, case

BULK_TARGET_ROWS_S = 50_000  # issue 8: "bulk import ≥ 50,000 rows/s including the search index"


def catalogue_checksum(folder: Path) -> str:
    """SHA-256 over the catalogue's content (not its timestamps), in a stable order."""
    conn = sqlite3.connect(f"file:{Path(folder) / 'catalogue.sqlite'}?mode=ro", uri=True)
    h = hashlib.sha256()
    queries = (
        "SELECT r.uuid, p.uuid, r.position, r.level, r.identifier, r.reference_code, r.title,"
        " r.type, r.access_status, r.fields FROM records r LEFT JOIN records p ON p.id = r.parent_id"
        " ORDER BY r.id",
        "SELECT r.uuid, d.position, d.label, d.expression, d.earliest, d.latest, d.certainty"
        " FROM record_dates d JOIN records r ON r.id = d.record_id ORDER BY d.record_id, d.position",
        "SELECT r.uuid, a.uuid, l.role FROM links l JOIN records r ON r.id = l.record_id"
        " JOIN authorities a ON a.id = l.authority_id ORDER BY l.record_id, l.position, l.role",
        "SELECT r.uuid, t.name FROM record_tags rt JOIN records r ON r.id = rt.record_id"
        " JOIN tags t ON t.id = rt.tag_id ORDER BY rt.record_id, t.name",
        "SELECT s.uuid, t.uuid, x.type FROM relations x JOIN records s ON s.id = x.source_id"
        " JOIN records t ON t.id = x.target_id ORDER BY x.source_id, x.target_id",
        "SELECT a.uuid, a.kind, a.name, n.name FROM authorities a LEFT JOIN authority_names n"
        " ON n.authority_id = a.id ORDER BY a.id, n.position",
    )
    for sql in queries:
        for row in conn.execute(sql):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def _counts(conn: sqlite3.Connection) -> dict:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {"records": one("SELECT count(*) FROM records"),
            "dates": one("SELECT count(*) FROM record_dates"),
            "links": one("SELECT count(*) FROM links"), "tags": one("SELECT count(*) FROM record_tags"),
            "relations": one("SELECT count(*) FROM relations"),
            "authorities": one("SELECT count(*) FROM authorities")}


@case(repeat=lambda n: 3 if n <= 100_000 else 1, timeout=4 * 3600)
def case_bulk_import(ctx) -> list[Figure]:
    """Import the synthetic catalogue into a new one through the bulk path, index included."""
    from archivist.store import bulk
    from archivist.store.catalogue import create_catalogue
    from tests.benchmarks.synth_catalogue import Synth, TimedIter

    synth = Synth(ctx.n, ctx.manifest["seed"])
    hook = bulk._search_bulk_hook()
    index_seconds = [0.0]
    original = bulk._search_bulk_hook
    if hook is not None:
        def timed_hook(cat, ids):
            t = time.perf_counter()
            try:
                return hook(cat, ids)
            finally:
                index_seconds[0] += time.perf_counter() - t
        bulk._search_bulk_hook = lambda: timed_hook
    dest = Path(ctx.workdir) / "bulk.archivist"
    try:
        with create_catalogue(dest, user="bench") as cat:
            source = TimedIter(synth.records())
            result = bulk.bulk_import(cat, source, synth.authority_list, batch_size=10_000)
            counts = _counts(cat.conn)
    finally:
        bulk._search_bulk_hook = original
    seconds = result.seconds - source.seconds
    m = ctx.manifest
    for key in ("records", "dates", "links", "tags", "relations", "authorities"):
        ctx.check(f"{key} written", counts[key] == m[key], f"{counts[key]} != {m[key]}")
    ctx.check("same content as the cached catalogue of this seed",
              catalogue_checksum(dest) == catalogue_checksum(Path(ctx.catalogue)))
    ctx.check("search index updated", result.indexed or hook is None)
    rows = (result.records + result.dates + result.links + result.tags + result.authorities
            + result.names + result.relations)
    store_seconds = seconds - index_seconds[0]
    figures = [
        Figure("bulk import, rows/s of every table incl. search index", rows / seconds, "rows/s",
               target=BULK_TARGET_ROWS_S, limit="sqlite_insert_rows_s",
               note=f"{rows / max(1, result.records):.2f} rows per record"),
        Figure("bulk import, records/s incl. search index", result.records / seconds, "records/s",
               limit="fts5_own_index_rows_s",
               note="the limit: FTS5 alone inserting the same index texts"),
        Figure("bulk import, records/s without index", result.records / store_seconds, "records/s",
               limit="sqlite_insert_rows_s"),
        Figure("bulk import, rows/s of every table (no index)", rows / store_seconds, "rows/s",
               limit="sqlite_insert_rows_s",
               note=f"{rows / max(1, result.records):.2f} rows per record"),
    ]
    if hook is not None:
        figures.append(Figure("search index in bulk import, records/s",
                              result.records / index_seconds[0], "records/s",
                              limit="fts5_own_index_rows_s"))
    return figures


@case(repeat=lambda n: 3 if n <= 100_000 else 1, timeout=4 * 3600)
def case_fts_build(ctx) -> list[Figure]:
    """Rebuild the whole search index of a copy of the synthetic catalogue."""
    from archivist.store import search_index
    from archivist.store.catalogue import open_catalogue

    path = ctx.writable_catalogue()
    with open_catalogue(path, user="bench") as cat:
        t = time.perf_counter()
        with cat.atomic():
            done = search_index.rebuild(cat)
        seconds = time.perf_counter() - t
        conn = cat.conn
        indexed = conn.execute("SELECT count(*) FROM search_fts").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
        ctx.check("every record indexed", done == records == indexed, f"{done}, {indexed}, {records}")
        for marker in ("qxone", "qxhundred", "qxtenth"):
            hits = conn.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?",
                                (marker,)).fetchone()[0]
            want = ctx.manifest["markers"][marker]
            ctx.check(f"index finds {marker} in its {want} records", hits == want, f"{hits}")
    return [Figure("search index full rebuild, records/s", records / seconds, "records/s",
                   limit="fts5_build_rows_s")]
