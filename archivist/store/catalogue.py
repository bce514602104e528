"""A catalogue on disk: a folder with ``catalogue.sqlite``, ``media/`` and ``cache/``.

:class:`Catalogue` owns one SQLite connection (WAL, foreign keys, busy timeout) and the unit of
work: :meth:`Catalogue.atomic` opens a write transaction (nested calls become savepoints), groups
the audit rows it writes into one batch, and after commit tells subscribers what changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import importlib
import logging
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from archivist.core.changes import Changes
from archivist.core.errors import (ArchivistError, CatalogueLocked, DiskFull, NewerSchema,
                                   NotACatalogue, ReadOnly)
from archivist.store import migrations
from archivist.store.side_reader import SideReader, db_reader

log = logging.getLogger("archivist.store")

DB_NAME = "catalogue.sqlite"
APPLICATION_ID = 0x41524356  # "ARCV"
BUSY_TIMEOUT_MS = 10_000


def default_user() -> str:
    """The operating system's user name, the default cataloguer."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises many kinds when there is no user
        return os.environ.get("USER") or "unknown"


def now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def translate_error(exc: Exception, path: Path | None = None) -> Exception:
    """Map an sqlite3 or OS error to an expected error where it is one.

    Returns the exception to raise: an :class:`ArchivistError` subclass for known conditions,
    else ``exc`` itself (a bug).
    """
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if isinstance(exc, ArchivistError):
        return exc
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in text or "busy" in text:
            return CatalogueLocked(f"the catalogue is busy: another program is writing to it{where};"
                                   " try again when it has finished")
        if "readonly" in text or "read-only" in text:
            return ReadOnly(f"the catalogue cannot be written{where}: the folder or file is read-only")
        if "disk is full" in text or "database or disk is full" in text:
            return DiskFull(f"the disk is full{where}; nothing was saved. Free some space and try again")
        if "unable to open" in text:
            return ReadOnly(f"cannot open the catalogue database{where}: check that the folder exists"
                            " and can be written")
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return NotACatalogue(f"{path or 'the file'} is not a valid catalogue database ({exc})")
    if isinstance(exc, OSError):
        import errno
        if exc.errno == errno.ENOSPC:
            return DiskFull(f"the disk is full{where}; nothing was saved")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnly(f"cannot write {exc.filename or path}: permission denied or read-only disk")
    return exc


class Catalogue:
    """An open catalogue.

    Args:
        path: the catalogue folder.
        conn: its open connection.
        user: the cataloguer's name, written into the audit log.

    Attributes:
        db: a ``sqlite_utils.Database`` over the connection.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, user: str):
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.user = user
        self._depth = 0
        self._batch: int | None = None
        self._pending = Changes()
        self._subscribers: list[Callable[[Changes], None]] = []
        self._index_hook = _load_index_hook()
        self._side: SideReader | None = None

    @property
    def side(self) -> "SideReader":
        """A second, read-only connection for reads run beside the main one (opened on use)."""
        if self._side is None:
            self._side = db_reader(self.path / DB_NAME, _connect)
        return self._side

    # -- folders --------------------------------------------------------------------------
    @property
    def media_dir(self) -> Path:
        """Where originals are stored, content-addressed."""
        return self.path / "media"

    @property
    def cache_dir(self) -> Path:
        """Where thumbnails and previews are kept (safe to delete)."""
        return self.path / "cache"

    # -- transactions ---------------------------------------------------------------------
    @contextlib.contextmanager
    def atomic(self) -> Iterator["Catalogue"]:
        """A write transaction; nested uses are savepoints.

        Everything written inside is committed together or not at all. sqlite and OS errors
        become expected errors (busy, disk full, read-only) where they are.
        """
        if self._depth == 0:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate_error(exc, self.path) from exc
            self._batch = None
            self._pending = Changes()
        else:
            self.conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self
            if self._depth == 1:
                self._before_commit(self._pending)
        except BaseException as exc:
            self._depth -= 1
            if self._depth == 0:
                if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    self.conn.execute("ROLLBACK")
                self._pending = Changes()
            elif self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                self.conn.execute(f"RELEASE sp{self._depth}")
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise translate_error(exc, self.path) from exc
            raise
        self._depth -= 1
        if self._depth > 0:
            self.conn.execute(f"RELEASE sp{self._depth}")
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise translate_error(exc, self.path) from exc
        changes, self._pending = self._pending, Changes()
        if changes:
            for fn in list(self._subscribers):
                fn(changes)

    @property
    def in_transaction(self) -> bool:
        """Whether an :meth:`atomic` block is open."""
        return self._depth > 0

    def batch_id(self) -> int:
        """The audit batch of the current transaction (one per outermost :meth:`atomic`)."""
        if self._depth == 0:
            raise RuntimeError("audit rows must be written inside Catalogue.atomic()")
        if self._batch is None:
            row = self.conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM changes").fetchone()
            self._batch = row[0]
        return self._batch

    def note(self, changes: Changes) -> Changes:
        """Record what the current transaction changed; returns ``changes``."""
        self._pending.merge(changes)
        return changes

    def subscribe(self, fn: Callable[[Changes], None]) -> None:
        """Call ``fn(changes)`` after every committed transaction that changed something."""
        self._subscribers.append(fn)

    def unsubscribe(self, fn: Callable[[Changes], None]) -> None:
        """Stop calling ``fn``."""
        with contextlib.suppress(ValueError):
            self._subscribers.remove(fn)

    def _before_commit(self, changes: Changes) -> None:
        if self._index_hook is not None and (changes.records or changes.structure
                                             or changes.authorities or changes.media):
            self._index_hook(self, changes)

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A catalogue setting (travels with the catalogue)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        """Store a catalogue setting."""
        with self.atomic():
            self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
            self.note(Changes(settings=True))

    def schema_version(self) -> int:
        """The catalogue's schema version (``PRAGMA user_version``)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        if self._side is not None:
            self._side.close()
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA optimize")
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> "Catalogue":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _load_index_hook():
    """The search index's hook, if the search module is present.

    ``archivist.store.search_index.on_commit(catalogue, changes)`` keeps the full-text index in
    step inside the same transaction.
    """
    try:
        module = importlib.import_module("archivist.store.search_index")
    except ModuleNotFoundError:
        return None
    return getattr(module, "on_commit", None)


def _connect(db_path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{db_path}?mode={'ro' if readonly else 'rw'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def create_catalogue(path: str | os.PathLike, user: str | None = None) -> Catalogue:
    """Create a new catalogue folder and open it.

    Raises:
        ArchivistError: the folder exists and is not empty, or cannot be written.
    """
    path = Path(path)
    if (path / DB_NAME).exists():
        raise ArchivistError(f"{path} is already a catalogue")
    if path.exists() and any(path.iterdir()):
        raise ArchivistError(f"{path} exists and is not empty; choose a new folder for the catalogue")
    try:
        path.mkdir(parents=True, exist_ok=True)
        (path / "media").mkdir(exist_ok=True)
        (path / "cache").mkdir(exist_ok=True)
        conn = sqlite3.connect(path / DB_NAME, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.close()
    except (OSError, sqlite3.Error) as exc:
        raise translate_error(exc, path) from exc
    return open_catalogue(path, user=user)


def open_catalogue(path: str | os.PathLike, user: str | None = None,
                   *, create: bool = False) -> Catalogue:
    """Open a catalogue folder, migrating an older one after backing it up.

    Args:
        path: the catalogue folder (or its ``catalogue.sqlite``).
        user: the cataloguer's name for the audit log; defaults to the OS user.
        create: create the catalogue if the folder does not exist or is empty.

    Raises:
        NotACatalogue: the folder holds no catalogue.
        NewerSchema: the catalogue was made by a newer Archivist.
        CatalogueLocked, ReadOnly: it cannot be opened for writing now.
    """
    path = Path(path)
    if path.name == DB_NAME:
        path = path.parent
    db_path = path / DB_NAME
    if not db_path.exists():
        if create and (not path.exists() or not any(path.iterdir())):
            return create_catalogue(path, user)
        if not path.exists():
            raise NotACatalogue(f"{path} does not exist; create it with: archivist init -c {path}")
        raise NotACatalogue(f"{path} is not an Archivist catalogue (it has no {DB_NAME})")
    try:
        conn = _connect(db_path)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error as exc:
        raise translate_error(exc, db_path) from exc
    if app_id != APPLICATION_ID:
        conn.close()
        raise NotACatalogue(f"{db_path} is an SQLite database but not an Archivist catalogue")
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc, db_path) from exc
    cat = Catalogue(path, conn, user or default_user())
    try:
        _migrate(cat)
        for sub in ("media", "cache"):
            (path / sub).mkdir(exist_ok=True)
        from archivist.store import media  # late: media imports this module
        media.reconcile(cat)  # a crash mid-ingest leaves no stray file behind
    except BaseException:
        cat.close()
        raise
    return cat


def _migrate(cat: Catalogue) -> None:
    current = cat.schema_version()
    mods = migrations.all_migrations()
    latest = mods[-1].VERSION
    if current > latest:
        raise NewerSchema(f"{cat.path} was made by a newer version of Archivist (schema {current};"
                          f" this version knows up to {latest}). Update Archivist to open it.")
    pending = [m for m in mods if m.VERSION > current]
    if not pending:
        return
    if current > 0:
        backup = cat.path / f"catalogue.backup-v{current}-{now().replace(':', '')}.sqlite"
        log.info("backing up %s before migrating from schema %d to %d", cat.path, current, latest)
        try:
            dest = sqlite3.connect(backup)
            with dest:
                cat.conn.backup(dest)
            dest.close()
        except (sqlite3.Error, OSError) as exc:
            raise translate_error(exc, backup) from exc
    try:
        cat.conn.execute("BEGIN IMMEDIATE")
        for mod in pending:
            mod.up(cat.conn)
            cat.conn.execute(f"PRAGMA user_version = {mod.VERSION}")
        cat.conn.execute("COMMIT")
    except BaseException as exc:
        if cat.conn.in_transaction:
            cat.conn.execute("ROLLBACK")
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise translate_error(exc, cat.path) from exc
        raise


def copy_catalogue(src: Path, dest: Path) -> None:
    """Copy a closed catalogue folder (used by tests and the demo)."""
    shutil.copytree(src, dest)
