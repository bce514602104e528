"""A second, read-only connection for reads that run beside the main connection's.

SQLite runs one statement at a time per connection, but in WAL mode several connections read at
once, and Python's sqlite3 releases the GIL while a statement steps. A search that must both rank
its first matches and count all of them (two passes over the same long posting list) does the
count here, on the other core, while the main connection ranks.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, TypeVar

__all__ = ["SideReader"]

T = TypeVar("T")
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="archivist-side-read")


class SideReader:
    """A lazily opened read-only connection to a catalogue, used by one job at a time.

    Args:
        connect: opens the connection (read only) when it is first needed.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect = connect
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> "Future[T] | None":
        """Run ``fn(connection)`` in a worker thread.

        Returns:
            Its future, or None when the reader is busy with another job, closed, or cannot be
            opened: the caller then does the work itself.
        """
        if self._closed or not self._lock.acquire(blocking=False):
            return None
        try:
            if self._conn is None:
                self._conn = self._connect()
        except (sqlite3.Error, OSError):
            self._lock.release()
            return None

        def run() -> T:
            try:
                return fn(self._conn)
            finally:
                self._lock.release()

        return _POOL.submit(run)

    def close(self) -> None:
        """Wait for a running job, then close the connection."""
        with self._lock:
            self._closed = True
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None


def db_reader(db_path: Path, connect: Callable[..., sqlite3.Connection]) -> SideReader:
    """A side reader on the catalogue database at ``db_path`` (``connect(path, readonly=True)``)."""
    return SideReader(lambda: connect(db_path, readonly=True))
