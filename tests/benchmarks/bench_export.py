"""Export cases: native CSV and JSON throughput, and the time of a whole-catalogue EAD3.

Each export goes through :func:`archivist.ops.export.export` as a user's would (store stream →
writer → file renamed into place) from the cached synthetic catalogue, and checks its own output:
one CSV row or JSON record per catalogue record, one EAD3 component per record. The harness
reports the peak resident memory of each (fresh) process, which shows that exports stream.
"""

from __future__ import annotations

import csv
import sqlite3
import time
from pathlib import Path

from tests.benchmarks.harness import Figure, case

CSV_TARGET_RECORDS_S = 50_000
JSON_TARGET_RECORDS_S = 50_000
EAD3_TARGET_S_PER_100K = 20.0


def _records_in(catalogue: str) -> int:
    conn = sqlite3.connect(f"file:{Path(catalogue) / 'catalogue.sqlite'}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM records WHERE trashed_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def _export(ctx, fmt: str, name: str) -> tuple[Path, float, float, int]:
    """Export the whole catalogue as a user would; return (file, seconds, writer seconds, count).

    The writer's share is the total minus the time spent producing records from the store
    (measured by wrapping the record stream), so the two costs can be told apart.
    """
    from archivist.ops import export as export_op
    from archivist.ops import records_stream
    from archivist.store.catalogue import open_catalogue
    from tests.benchmarks.synth_catalogue import TimedIter

    timed: list[TimedIter] = []
    opening = [0.0]
    original = records_stream.open_stream

    def timed_stream(*args, **kwargs):
        t = time.perf_counter()
        stream = original(*args, **kwargs)
        opening[0] += time.perf_counter() - t
        stream.records = TimedIter(stream.records)
        timed.append(stream.records)
        return stream

    out = Path(ctx.workdir) / name
    export_op.open_stream = timed_stream
    try:
        with open_catalogue(ctx.catalogue, user="bench") as cat:
            t = time.perf_counter()
            result = export_op.export(cat, fmt, out)
            seconds = time.perf_counter() - t
    finally:
        export_op.open_stream = original
    reading = opening[0] + sum(it.seconds for it in timed)
    return out, seconds, seconds - reading, result.count


@case(repeat=lambda n: 3 if n <= 100_000 else 1, timeout=3600)
def case_export_csv(ctx) -> list[Figure]:
    """Whole catalogue as native CSV."""
    want = _records_in(ctx.catalogue)
    out, seconds, writing, count = _export(ctx, "csv", "all.csv")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    ctx.check("one row per record", count == rows == want, f"{count}, {rows}, {want}")
    return [Figure("export native CSV, records/s", count / seconds, "records/s",
                   target=CSV_TARGET_RECORDS_S, note=f"{out.stat().st_size / 2**20:.0f} MB file"),
            Figure("native CSV writer alone (store reading left out), records/s",
                   count / writing, "records/s", target=CSV_TARGET_RECORDS_S)]


@case(repeat=lambda n: 3 if n <= 100_000 else 1, timeout=3600)
def case_export_json(ctx) -> list[Figure]:
    """Whole catalogue as native JSON (the lead's writer over the same stream)."""
    want = _records_in(ctx.catalogue)
    out, seconds, writing, count = _export(ctx, "json", "all.json")
    with out.open(encoding="utf-8") as fh:
        lines = sum(1 for line in fh if line.startswith('{"uuid"'))
    ctx.check("one JSON record per record", count == want and lines >= want,
              f"{count}, {lines}, {want}")
    return [Figure("export native JSON, records/s", count / seconds, "records/s",
                   target=JSON_TARGET_RECORDS_S),
            Figure("native JSON writer alone (store reading left out), records/s",
                   count / writing, "records/s", target=JSON_TARGET_RECORDS_S)]


@case(repeat=lambda n: 3 if n <= 100_000 else 1, timeout=3600)
def case_export_ead3(ctx) -> list[Figure]:
    """Whole catalogue as one EAD3 finding aid (nested components)."""
    want = _records_in(ctx.catalogue)
    out, seconds, writing, count = _export(ctx, "ead3", "all.xml")
    components = 0
    tail = b""
    with out.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            components += data.count(b"<c ")
            tail = data[-2:]
            components -= tail.count(b"<c ")  # counted again with the next chunk
    with out.open("rb") as fh:
        fh.seek(max(0, out.stat().st_size - 64))
        ending = fh.read()
    ctx.check("one component per record", count == want and components >= want - 1,
              f"{count}, {components}, {want}")
    ctx.check("document complete", ending.rstrip().endswith(b"</ead>"))
    if ctx.smoke:  # parsing the whole file would distort the run's peak memory
        from lxml import etree
        xsd = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "ead3.xsd"
        if xsd.exists():
            schema = etree.XMLSchema(etree.parse(str(xsd)))
            ctx.check("valid against ead3.xsd", schema.validate(etree.parse(str(out))))
    target = EAD3_TARGET_S_PER_100K * ctx.n / 100_000
    return [Figure("export EAD3, whole catalogue", seconds, "s", better="lower", target=target),
            Figure("export EAD3, records/s", count / seconds, "records/s"),
            Figure("EAD3 writer alone (store reading left out)", writing, "s", better="lower",
                   target=target)]


@case(repeat=lambda n: 3 if n <= 100_000 else 1, timeout=3600)
def case_record_stream(ctx) -> list[Figure]:
    """The store's record stream alone (what every export reads), to tell reading from writing."""
    from archivist.ops.records_stream import open_stream
    from archivist.store.catalogue import open_catalogue

    want = _records_in(ctx.catalogue)
    with open_catalogue(ctx.catalogue, user="bench") as cat:
        t = time.perf_counter()
        stream = open_stream(cat)
        count = sum(1 for rec in stream.records if rec["uuid"])
        seconds = time.perf_counter() - t
    ctx.check("every record streamed", count == want, f"{count} != {want}")
    return [Figure("record stream alone (store → native dicts), records/s", count / seconds,
                   "records/s")]
