"""An advisory lock that tells a running ingest from the leftovers of a crashed one.

Every ingest holds a *shared* lock on ``media/.incoming/ingest.lock`` while it writes. Clean-up of
stray files takes the lock *exclusively* without waiting: if it cannot, some ingest (in this or
another process) is running, and its half-written files are not strays yet. The operating system
drops the locks of a process that dies, so a crash never leaves the catalogue locked.

On platforms without ``fcntl`` (Windows) the lock is a no-op and clean-up relies on file age
(see :data:`STRAY_GRACE_SECONDS`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from archivist.media.filestore import INCOMING_DIR, LOCK_NAME, media_root

#: Without OS locks, only files older than this count as strays of a crashed ingest.
STRAY_GRACE_SECONDS = 24 * 3600

HAS_LOCKS = fcntl is not None


def lock_path(catalogue_dir: str | os.PathLike[str]) -> Path:
    """The lock file of a catalogue's media store."""
    return media_root(catalogue_dir) / INCOMING_DIR / LOCK_NAME


def _open_lock(catalogue_dir: str | os.PathLike[str]) -> int:
    path = lock_path(catalogue_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


@contextlib.contextmanager
def ingesting(catalogue_dir: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the shared ingest lock for the duration of the block (waits for a running clean-up)."""
    if fcntl is None:
        yield
        return
    fd = _open_lock(catalogue_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def exclusive_if_idle(catalogue_dir: str | os.PathLike[str]) -> Iterator[bool]:
    """Try to take the lock exclusively without waiting.

    Yields:
        True when no ingest is running (the lock is held until the block ends), False otherwise.
        Without OS locks it yields True.
    """
    if fcntl is None:
        yield True
        return
    fd = _open_lock(catalogue_dir)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
