"""The content-addressed store of originals: ``media/ab/cd/<sha256>.<ext>`` inside a catalogue.

An original is copied in once, hashed while it is copied, flushed to disk and only then given its
final name by an atomic rename, so a crash leaves either the whole file under its checksum or a
temporary file in ``media/.incoming/`` that :func:`list_stray_files` reports. Stored files are made
read-only and are never modified; the same content is stored once.
"""

from __future__ import annotations

import enum
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from archivist.core.errors import DiskFull, NotFound, ReadOnly
from archivist.media.hashing import copy_and_hash, hash_file, is_sha256

MEDIA_DIR = "media"
INCOMING_DIR = ".incoming"
#: The advisory lock file of running ingests (see ``archivist.media.locks``); never a stray.
LOCK_NAME = "ingest.lock"
_TMP_SUFFIX = ".part"
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


@dataclass(frozen=True)
class StoredFile:
    """The outcome of putting a file into the store.

    Attributes:
        sha256: the checksum of the content, 64 lowercase hex.
        ext: the extension it is stored under (lowercase, no dot).
        size: its size in bytes.
        path: where it lives now.
        duplicate: True when identical content was already stored (nothing was added).
    """

    sha256: str
    ext: str
    size: int
    path: Path
    duplicate: bool


class Fixity(enum.Enum):
    """The result of re-hashing one stored original."""

    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"


def media_root(catalogue_dir: str | os.PathLike[str]) -> Path:
    """The ``media/`` folder of a catalogue folder."""
    return Path(catalogue_dir) / MEDIA_DIR


def normalise_ext(ext: str) -> str:
    """Canonical extension for the store: lowercase, no dot, ``jpeg`` → ``jpg``, ``tiff`` → ``tif``.

    Args:
        ext: an extension with or without its dot.

    Returns:
        The extension to store under (may be empty when none was given).

    Raises:
        ValueError: the extension contains a path separator or other unsafe character.
    """
    ext = ext.lower().lstrip(".")
    ext = {"jpeg": "jpg", "jpe": "jpg", "tiff": "tif"}.get(ext, ext)
    if ext and not (ext.isascii() and ext.isalnum() and len(ext) <= 8):
        raise ValueError(f"unsafe file extension {ext!r}")
    return ext


def path_for(catalogue_dir: str | os.PathLike[str], sha256: str, ext: str) -> Path:
    """Where the original with this checksum is (or would be) stored.

    Args:
        catalogue_dir: the catalogue folder.
        sha256: the checksum, 64 lowercase hex.
        ext: its extension (normalised here).

    Returns:
        ``<catalogue>/media/ab/cd/<sha256>.<ext>``.

    Raises:
        ValueError: ``sha256`` is not a canonical SHA-256 checksum.
    """
    if not is_sha256(sha256):
        raise ValueError(f"not a SHA-256 checksum: {sha256!r}")
    ext = normalise_ext(ext)
    name = f"{sha256}.{ext}" if ext else sha256
    return media_root(catalogue_dir) / sha256[:2] / sha256[2:4] / name


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk where the platform allows it (not on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _raise_mapped(exc: OSError, src: Path) -> NoReturn:
    """Re-raise an OS error from storing ``src``: disk full and unwritable store become expected errors.

    Errors about reading the source itself stay ``OSError`` for the caller to report as a bad file.
    """
    if exc.filename is not None and Path(exc.filename) == src:
        raise exc
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise DiskFull(f"The disk is full: could not store {src.name}. Nothing was added.") from exc
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        raise ReadOnly(f"The catalogue's media folder cannot be written ({exc.strerror}).") from exc
    raise exc


def put_file(
    catalogue_dir: str | os.PathLike[str], src: str | os.PathLike[str], ext: str | None = None,
    *, sync: bool = True,
) -> StoredFile:
    """Copy a file into the store, reading it once and hashing it while it is copied.

    The copy goes to a temporary file in ``media/.incoming/`` (same file system), is fsynced, and
    is then renamed to its content address. If that content is already stored, the copy is
    discarded and the result says it was a duplicate. The source file is only read.

    With ``sync=False`` the flushes are left to the caller, who must call :func:`sync_stored`
    on the new files before any row refers to them (ingest does so for a whole batch at once,
    which costs far fewer disk flushes). A crash before that leaves at worst a file without a
    row, which :func:`list_stray_files` reports.

    Args:
        catalogue_dir: the catalogue folder.
        src: the original to store.
        ext: the extension to store under; defaults to the source's own suffix.
        sync: flush the copy and its folder to disk before returning.

    Returns:
        What was stored and where.

    Raises:
        OSError: the source cannot be read (the caller reports it as a bad file).
        DiskFull: the disk filled up; no partial file is left behind.
        ReadOnly: the media folder cannot be written.
    """
    src = Path(src)
    ext = normalise_ext(src.suffix if ext is None else ext)
    incoming = media_root(catalogue_dir) / INCOMING_DIR
    try:
        incoming.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(suffix=_TMP_SUFFIX, dir=incoming)
    except OSError as exc:
        _raise_mapped(exc, src)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                sha256, size = copy_and_hash(src, out)
                out.flush()
                if sync:
                    os.fsync(out.fileno())
            except OSError as exc:
                _raise_mapped(exc, src)
        dest = path_for(catalogue_dir, sha256, ext)
        if _existing_is_intact(dest, size):
            tmp.unlink()
            return StoredFile(sha256, ext, size, dest, duplicate=True)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, _READ_ONLY)
            os.replace(tmp, dest)
            if sync:
                _fsync_dir(dest.parent)
        except OSError as exc:
            _raise_mapped(exc, src)
        return StoredFile(sha256, ext, size, dest, duplicate=False)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sync_stored(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Flush stored files and then their folders to disk (after ``put_file(..., sync=False)``).

    Each file is flushed once and each distinct folder once, so a batch of files costs one
    folder flush per folder rather than one per file.

    Args:
        paths: stored originals (as :attr:`StoredFile.path`).

    Raises:
        DiskFull, ReadOnly: the flush failed for lack of space or permission.
        OSError: another failure to flush (the files must not be given rows).
    """
    folders: dict[Path, None] = {}
    for path in dict.fromkeys(Path(p) for p in paths):
        flush_file(path)
        folders[path.parent] = None
    for folder in folders:
        try:
            _fsync_dir(folder)
        except OSError as exc:
            _raise_flush_error(exc)


def flush_file(path: str | os.PathLike[str]) -> None:
    """Flush one stored file's data to disk (not its folder: see :func:`sync_stored`).

    Ingest calls it on a flushing thread as soon as a copy is stored, so the disk writes the copy
    while the worker decodes it; :func:`sync_stored` then finds the data already written. Its
    errors must reach the caller: after a failed flush, a later flush of the same file through
    another descriptor may report success although the data never reached the disk.

    Raises:
        DiskFull, ReadOnly: the flush failed for lack of space or permission.
        OSError: another failure to flush.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        _raise_flush_error(exc)


def _raise_flush_error(exc: OSError) -> NoReturn:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise DiskFull("The disk is full: the new files could not be saved. Nothing was added.") from exc
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        raise ReadOnly(f"The catalogue's media folder cannot be written ({exc.strerror}).") from exc
    raise exc


def _existing_is_intact(dest: Path, size: int) -> bool:
    """True when ``dest`` exists with the expected size (a damaged copy is replaced by the new one)."""
    try:
        return dest.stat().st_size == size
    except FileNotFoundError:
        return False


def verify_file(catalogue_dir: str | os.PathLike[str], sha256: str, ext: str) -> Fixity:
    """Re-hash one stored original and compare it with its checksum.

    Args:
        catalogue_dir: the catalogue folder.
        sha256: the checksum it was stored under.
        ext: its extension.

    Returns:
        :attr:`Fixity.OK`, :attr:`Fixity.MISSING` (no file, or unreadable) or :attr:`Fixity.CHANGED`.
    """
    path = path_for(catalogue_dir, sha256, ext)
    try:
        actual, _size = hash_file(path)
    except FileNotFoundError:
        return Fixity.MISSING
    except OSError:
        return Fixity.MISSING
    return Fixity.OK if actual == sha256 else Fixity.CHANGED


def remove_file(catalogue_dir: str | os.PathLike[str], sha256: str, ext: str) -> bool:
    """Delete a stored original (purge, or undoing an ingest that failed half-way).

    Args:
        catalogue_dir: the catalogue folder.
        sha256: its checksum.
        ext: its extension.

    Returns:
        True if a file was deleted, False if there was none.
    """
    path = path_for(catalogue_dir, sha256, ext)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    for folder in (path.parent, path.parent.parent):
        try:
            folder.rmdir()
        except OSError:
            break
    return True


def iter_stored(catalogue_dir: str | os.PathLike[str]) -> Iterable[tuple[str, str, Path]]:
    """Every file under ``media/`` that sits at a well-formed content address.

    Yields:
        ``(sha256, ext, path)`` for each such file.
    """
    root = media_root(catalogue_dir)
    if not root.is_dir():
        return
    for path in sorted(root.glob("??/??/*")):
        sha, _, ext = path.name.partition(".")
        if (
            path.is_file()
            and is_sha256(sha)
            and path.parent.name == sha[2:4]
            and path.parent.parent.name == sha[:2]
        ):
            yield sha, ext, path


def list_stray_files(
    catalogue_dir: str | os.PathLike[str], known: Iterable[tuple[str, str]]
) -> list[Path]:
    """Files under ``media/`` that no row accounts for.

    Strays are leftovers of an interrupted ingest: temporary ``.part`` files in ``media/.incoming/``,
    stored originals whose checksum is not in ``known``, and anything not at a content address.

    Args:
        catalogue_dir: the catalogue folder.
        known: ``(sha256, ext)`` pairs of the files the catalogue's rows refer to.

    Returns:
        Paths of stray files, sorted.
    """
    root = media_root(catalogue_dir)
    if not root.is_dir():
        return []
    wanted = {path_for(catalogue_dir, sha, ext) for sha, ext in known}
    wanted.add(root / INCOMING_DIR / LOCK_NAME)
    return sorted(p for p in root.rglob("*") if p.is_file() and p not in wanted)


def remove_stray(path: str | os.PathLike[str]) -> None:
    """Delete one stray file found by :func:`list_stray_files`.

    Raises:
        NotFound: the path is not inside a catalogue's ``media/`` folder.
    """
    path = Path(path)
    if MEDIA_DIR not in path.parts:
        raise NotFound(f"{path} is not in a catalogue's media folder")
    path.unlink(missing_ok=True)
