"""The machine's own limits, measured at the start of every benchmark run.

Figures are compared with these so that the same command on another machine gives comparable
ratios. Each is measured in one process (one core) unless it says otherwise; bounds for the whole
machine multiply by the number of usable cores.

Limits (keys of ``ctx.limits``):
    cores                       usable CPU cores
    jpeg_full_mpx_s_core        full JPEG decode, megapixels of the source per second, one core
    jpeg_draft_mpx_s_core       draft (1/8 scale) JPEG decode, source megapixels per second
    jpeg_file_mpx               megapixels of the JPEG used (24 MP, a quarter in the smoke run)
    jpeg_full_files_s_bound     files/s the machine can fully decode on all cores
    jpeg_draft_files_s_bound    files/s it can draft-decode on all cores (the ingest bound)
    sha256_mb_s_core            SHA-256 throughput, one core
    disk_read_mb_s              sequential read of a file just written, page cache dropped
    sqlite_insert_rows_s        executemany of records-shaped rows (same columns and indexes)
    fts5_build_rows_s           a plain FTS5 table over the catalogue's titles and texts
    fts5_own_index_rows_s       the catalogue's own index texts (seven columns, its tokenizer and
                                prefix indexes) inserted into an empty FTS5 table of the same
                                definition: the floor of any import that keeps the index
    fts5_query_p95_ms           p95 of plain ranked FTS5 queries (all classes below together)
    fts5_common_p95_ms, fts5_rare_p95_ms, fts5_prefix_p95_ms, fts5_count_common_p95_ms

Measured beside a figure by its case, on the case's own input (``Figure.limit_samples``):
    jpeg_draft_files_s_bound    as above, on the ingested JPEGs themselves, before and after
                                the ingest (:func:`draft_files_s_bound`)
    jpeg_draft_files_s_together the same files draft-decoded by all cores at once
    disk_read_mb_s              a cold read of the ingested TIFFs (:func:`cold_read_mb_s`)
    disk_copy_mb_s              a cold copy of them, flushed (:func:`cold_copy_mb_s`)
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import uuid
from pathlib import Path

from PIL import Image

from tests.benchmarks.harness import Figure, case, percentile


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _timed_runs(fn, min_runs: int = 3, budget: float = 2.0) -> list[float]:
    """Seconds per call of ``fn``: at least ``min_runs`` calls, more until ``budget`` is spent."""
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < budget and len(times) < 50):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def _sample_jpeg(folder: Path, small: bool) -> Path:
    """The scan benchmarks' 24 MP JPEG if that module is present, else a noisy page of our own."""
    try:
        from tests.benchmarks import synth_scans
        return synth_scans.make("jpeg24", synth_scans.data_folder(folder), 0, small=small)
    except ImportError:
        size = (3000, 2000) if small else (6000, 4000)
        path = folder / f"limits-noise-{size[0]}x{size[1]}.jpg"
        if not path.exists():
            grain = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
            page = Image.blend(Image.new("RGB", size, (236, 230, 214)), grain, 0.25)
            page.save(path, "JPEG", quality=90)
        return path


def jpeg_decode(path: Path) -> dict:
    """Full and draft decode rates of one JPEG on one core."""
    with Image.open(path) as im:
        w, h = im.size
    mpx = w * h / 1e6

    def full():
        with Image.open(path) as im:
            im.load()

    def draft():
        with Image.open(path) as im:
            im.draft("RGB", (w // 8, h // 8))
            im.load()

    full_s = percentile(_timed_runs(full), 50)
    draft_s = percentile(_timed_runs(draft), 50)
    cores = usable_cores()
    return {"jpeg_file_mpx": mpx, "jpeg_full_mpx_s_core": mpx / full_s,
            "jpeg_draft_mpx_s_core": mpx / draft_s, "jpeg_full_files_s_bound": cores / full_s,
            "jpeg_draft_files_s_bound": cores / draft_s}


def draft_files_s_bound(paths: list[Path]) -> float:
    """Files/s the machine can draft-decode (1/8 scale) on all cores, timed on these very files.

    Each file is decoded once on one core, and the rate is multiplied by the usable cores: the
    bound that an ingest of the same files is held to, measured beside it (see
    ``Figure.limit_samples``).
    """
    start = time.perf_counter()
    for path in paths:
        with Image.open(path) as im:
            im.draft("RGB", (im.width // 8, im.height // 8))
            im.load()
    return usable_cores() * len(paths) / (time.perf_counter() - start)


def draft_files_s_together(paths: list[Path]) -> float:
    """Files/s the usable cores really draft-decode when they all decode at once (one thread each).

    Shown beside the one-core bound: on a machine whose cores slow each other down, this is what
    decoding alone reaches, before any copying, hashing or thumbnailing.
    """
    from concurrent.futures import ThreadPoolExecutor

    def draft(path: Path) -> None:
        with Image.open(path) as im:
            im.draft("RGB", (im.width // 8, im.height // 8))
            im.load()

    start = time.perf_counter()
    with ThreadPoolExecutor(usable_cores()) as pool:
        list(pool.map(draft, paths))
    return len(paths) / (time.perf_counter() - start)


def cold_copy_mb_s(paths: list[Path], folder: Path) -> float:
    """MB/s of copying these files from the disk into ``folder`` and flushing the copies.

    The disk work of an ingest and nothing else: each file is evicted from the page cache, read,
    written, and the copy flushed (no hashing or decoding). The copies are removed afterwards.
    """
    total, start = 0, time.perf_counter()
    copies = []
    for path in paths:
        copy = folder / f"limits-copy-{path.name}"
        copies.append(copy)
        src = _open_cold(path)
        try:
            with open(copy, "wb") as out:
                while chunk := os.read(src, 1 << 20):
                    out.write(chunk)
                    total += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        finally:
            os.close(src)
    seconds = time.perf_counter() - start
    for copy in copies:
        copy.unlink(missing_ok=True)
    return total / (1 << 20) / seconds


def cold_read_mb_s(paths: list[Path]) -> tuple[float, bool]:
    """Sequential read MB/s of these files from the disk, each evicted from the page cache first.

    Returns:
        The rate, and whether the cache could be dropped (see :func:`disk_read_rate`).
    """
    total, seconds = 0, 0.0
    for path in paths:
        fd = _open_cold(path)
        try:
            t = time.perf_counter()
            total += _read_to_end(fd)
            seconds += time.perf_counter() - t
        finally:
            os.close(fd)
    return total / (1 << 20) / seconds, hasattr(os, "posix_fadvise")


def _open_cold(path: Path) -> int:
    """A descriptor for reading ``path`` from the start, its pages evicted from the page cache
    first where ``posix_fadvise`` exists (and read-ahead asked for), so reads come from the disk."""
    fd = os.open(path, os.O_RDONLY)
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
    return fd


def _read_to_end(fd: int) -> int:
    """Read a descriptor to its end in 1 MiB steps; the bytes read."""
    total = 0
    while chunk := os.read(fd, 1 << 20):
        total += len(chunk)
    return total


def sha256_rate(size_mb: int = 64) -> float:
    """SHA-256 megabytes per second on one core."""
    data = os.urandom(1 << 20) * size_mb
    times = _timed_runs(lambda: hashlib.sha256(data).digest(), min_runs=2, budget=1.5)
    return size_mb / percentile(times, 50)


def disk_read_rate(folder: Path, size_mb: int) -> tuple[float, bool]:
    """Sequential read MB/s of a file written and flushed, its page cache dropped first.

    Returns:
        The rate, and whether the cache could be dropped (posix_fadvise); without it the figure
        is the page cache's speed, not the disk's.
    """
    path = folder / "limits-disk-read.bin"
    block = os.urandom(1 << 20)
    with open(path, "wb") as fh:
        for _ in range(size_mb):
            fh.write(block)
        fh.flush()
        os.fsync(fh.fileno())
    rates = []
    try:
        for _ in range(2):
            fd = _open_cold(path)
            try:
                t = time.perf_counter()
                total = _read_to_end(fd)
                rates.append(total / (1 << 20) / (time.perf_counter() - t))
            finally:
                os.close(fd)
    finally:
        path.unlink(missing_ok=True)
    return percentile(rates, 50), hasattr(os, "posix_fadvise")


_RECORDS_LIKE = """
CREATE TABLE r (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, parent_id INTEGER,
    position INTEGER, level TEXT, identifier TEXT, reference_code TEXT, ref_custom INTEGER,
    title TEXT, type TEXT, access_status TEXT, access_reason TEXT, access_until TEXT,
    description_status TEXT, fields TEXT, created_at TEXT, created_by TEXT, modified_at TEXT,
    modified_by TEXT);
CREATE INDEX r_parent ON r(parent_id, position);
CREATE INDEX r_code ON r(reference_code);
CREATE INDEX r_title ON r(title COLLATE NOCASE);
CREATE INDEX r_modified ON r(modified_at);
"""


def sqlite_insert_rate(folder: Path, rows: int) -> float:
    """Rows/s of ``executemany`` into a records-shaped table (same columns and indexes), prebuilt rows."""
    path = folder / "limits-insert.sqlite"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")
    conn.executescript(_RECORDS_LIKE)
    fields = json.dumps({"scope_content": "lorem ipsum dolor " * 12, "languages": ["en"]})
    data = [(i, str(uuid.uuid4()), i // 20 or None, i % 20, "item", str(i % 20), f"F1-S1-{i // 20}-{i}",
             0, f"title {i * 7919 % 100_003} words", "letter", "open", None, None, "draft", fields,
             "2026-01-01T00:00:00Z", "u", "2026-01-01T00:00:00Z", "u") for i in range(1, rows + 1)]
    t = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(0, rows, 10_000):
        conn.executemany("INSERT INTO r VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         data[i:i + 10_000])
    conn.execute("COMMIT")
    rate = rows / (time.perf_counter() - t)
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return rate


def _catalogue_texts(catalogue: Path, limit: int | None):
    src = sqlite3.connect(f"file:{catalogue / 'catalogue.sqlite'}?mode=ro", uri=True)
    sql = "SELECT id, title, json_extract(fields, '$.scope_content') FROM records ORDER BY id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    yield from src.execute(sql)
    src.close()


def fts5_build(catalogue: Path, dest: Path, limit: int | None = None) -> tuple[float, int]:
    """Build a plain FTS5 table over titles and scope notes; returns (rows/s, rows)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(dest, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body,"
                 " tokenize = 'unicode61 remove_diacritics 2')")
    rows = list(_catalogue_texts(catalogue, limit))
    t = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(0, len(rows), 10_000):
        conn.executemany("INSERT INTO t (rowid, title, body) VALUES (?,?,?)", rows[i:i + 10_000])
    conn.execute("COMMIT")
    rate = len(rows) / (time.perf_counter() - t)
    conn.close()
    return rate, len(rows)


def fts5_own_index(catalogue: Path, dest: Path, limit: int = 100_000) -> float:
    """Insert the catalogue's own index texts into a fresh table of the same definition (rows/s).

    The texts are read back from ``search_fts`` (Archivist's normalised, transliterated text), so
    this measures FTS5 alone doing exactly the indexing work an import with the index must do.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{catalogue / 'catalogue.sqlite'}?mode=ro", uri=True)
    create = src.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").fetchone()[0]
    rows = src.execute("SELECT rowid, title, body, person, org, place, tag, keys FROM search_fts"
                       f" ORDER BY rowid LIMIT {int(limit)}").fetchall()
    src.close()
    conn = sqlite3.connect(dest, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(create)
    t = time.perf_counter()
    conn.execute("BEGIN")
    for i in range(0, len(rows), 10_000):
        conn.executemany("INSERT INTO search_fts (rowid, title, body, person, org, place, tag, keys)"
                         " VALUES (?,?,?,?,?,?,?,?)", rows[i:i + 10_000])
    conn.execute("COMMIT")
    rate = len(rows) / (time.perf_counter() - t)
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    return rate


def fts5_queries(db: Path, manifest: dict, ctx=None) -> dict:
    """Latency of plain ranked FTS5 queries by class, in ms (p95 over repetitions)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    common_word = conn.execute("SELECT title FROM t WHERE rowid = (SELECT max(rowid) FROM t)"
                               ).fetchone()[0].split()[0]
    classes = {
        "common": ("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 50", "qxhalf"),
        "rare": ("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 50", "qxhundred"),
        "prefix": ("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10",
                   common_word[:3] + "*"),
        "count_common": ("SELECT count(*) FROM t WHERE t MATCH ?", "qxhalf"),
    }
    out, every = {}, []
    for name, (sql, term) in classes.items():
        times = []
        for _ in range(15):
            t = time.perf_counter()
            result = conn.execute(sql, (term,)).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        if ctx is not None and name == "count_common":
            ctx.check("raw FTS5 finds qxhalf in its planted records",
                      result[0][0] == manifest["markers"]["qxhalf"],
                      f"{result[0][0]} != {manifest['markers']['qxhalf']}")
        out[f"fts5_{name}_p95_ms"] = percentile(times, 95)
        if name != "count_common":
            every += times
    out["fts5_query_p95_ms"] = percentile(every, 95)
    conn.close()
    return out


@case(repeat=1, needs_catalogue=True)
def case_limits(ctx) -> list[Figure]:
    """Every limit, as figures named by their keys (the harness turns them into ``ctx.limits``)."""
    work, data = Path(ctx.workdir), Path(ctx.data_dir)
    figures = [Figure("cores", usable_cores(), "cores")]
    for key, value in jpeg_decode(_sample_jpeg(data, ctx.smoke)).items():
        unit = "MP" if key == "jpeg_file_mpx" else ("MP/s" if "mpx_s" in key else "files/s")
        figures.append(Figure(key, value, unit))
    figures.append(Figure("sha256_mb_s_core", sha256_rate(32 if ctx.smoke else 128), "MB/s"))
    rate, dropped = disk_read_rate(work, 64 if ctx.smoke else 1024)
    figures.append(Figure("disk_read_mb_s", rate, "MB/s",
                          note="" if dropped else "page cache not dropped: cache speed"))
    figures.append(Figure("sqlite_insert_rows_s",
                          sqlite_insert_rate(work, 20_000 if ctx.smoke else 100_000), "rows/s"))
    if ctx.catalogue:
        catalogue = Path(ctx.catalogue)
        rate, built = fts5_build(catalogue, work / "limits-fts-sample.sqlite", limit=100_000)
        figures.append(Figure("fts5_build_rows_s", rate, "rows/s"))
        figures.append(Figure("fts5_own_index_rows_s", fts5_own_index(
            catalogue, work / "limits-own-index.sqlite", 20_000 if ctx.smoke else 100_000),
            "rows/s"))
        full = work / "limits-fts-sample.sqlite"
        if built < ctx.n:
            full = catalogue.parent / "raw-fts5.sqlite"
            if not full.exists():
                fts5_build(catalogue, full.with_suffix(".tmp"))
                full.with_suffix(".tmp").rename(full)
        for key, value in fts5_queries(full, ctx.manifest, ctx).items():
            figures.append(Figure(key, value, "ms"))
    return figures
