"""The demo catalogue: a fresh catalogue built from ``sample_archive/`` by the native importer.

``archivist demo`` and the tests use the same function, so what a new user sees is what the tests
check. Building is all or nothing: if the import fails, the half-made folder is removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from archivist.core import paths
from archivist.core.errors import ArchivistError
from archivist.ops.native_json import ImportReport, import_native
from archivist.ops.records_stream import Progress
from archivist.store.catalogue import DB_NAME, create_catalogue

#: Folder name of the demo catalogue inside the user's data folder.
DEMO_NAME = "Karabakh demo"
COLLECTION = "collection.json"


def sample_collection(source: Path | None = None) -> Path:
    """The native JSON file of the sample archive.

    Args:
        source: the sample archive folder; defaults to the one shipped with Archivist.

    Raises:
        ArchivistError: the folder has no ``collection.json``.
    """
    folder = Path(source) if source is not None else paths.sample_archive()
    path = folder / COLLECTION
    if not path.is_file():
        raise ArchivistError(f"the sample archive is missing: {path} does not exist")
    return path


def default_demo_dir() -> Path:
    """A new catalogue folder for the demo in the user's data folder.

    The first is ``<data>/Karabakh demo.archivist``; if it is taken, ``Karabakh demo 2.archivist``
    and so on, so an earlier demo (perhaps edited by the user) is never overwritten.
    """
    base = paths.user_data()
    candidate = base / f"{DEMO_NAME}.archivist"
    n = 2
    while candidate.exists() and any(candidate.iterdir()):
        candidate = base / f"{DEMO_NAME} {n}.archivist"
        n += 1
    return candidate


def build_demo(target_dir: str | os.PathLike, *, source: Path | None = None, user: str | None = None,
               progress: Progress | None = None) -> Path:
    """Create a fresh catalogue at ``target_dir`` from the sample archive.

    Args:
        target_dir: the new catalogue folder; it must not exist or be empty.
        source: the sample archive folder (default: the shipped ``sample_archive/``).
        user: the cataloguer's name for the audit log (default: the OS user).
        progress: optional ``progress(done, total)`` callback, passed to the importer.

    Returns:
        The catalogue folder, resolved.

    Raises:
        ArchivistError: the folder is taken, cannot be written, or the sample does not import
            (``ImportRefused`` lists the problems). Nothing is left behind on failure.
    """
    build_demo_with_report(target_dir, source=source, user=user, progress=progress)
    return Path(target_dir).resolve()


def build_demo_with_report(target_dir: str | os.PathLike, *, source: Path | None = None,
                           user: str | None = None,
                           progress: Progress | None = None) -> ImportReport:
    """Like :func:`build_demo`, but return the importer's report (counts of what was made)."""
    collection = sample_collection(source)
    target = Path(target_dir)
    existed = target.exists()
    made_here = not existed or not any(target.iterdir())
    try:
        with create_catalogue(target, user=user) as cat:
            return import_native(cat, collection, progress=progress)
    except BaseException:
        if made_here and (target / DB_NAME).exists():
            _remove(target, keep_folder=existed)
        raise


def _remove(target: Path, *, keep_folder: bool) -> None:
    """Remove a half-built catalogue; keep the (then empty) folder if the user had made it."""
    if not keep_folder:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
