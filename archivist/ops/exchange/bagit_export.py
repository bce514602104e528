"""BagIt 1.0 packages (RFC 8493; STANDARDS.md §6.1) made with the Library of Congress ``bagit``.

Payload: ``data/catalogue.json`` (native JSON, page ``file`` paths pointing into the bag),
``data/finding-aid.xml`` (EAD3) and the original files under ``data/``. The SHA-256 manifest is
checked against the checksums stored with the pages: a stored file that no longer matches stops
the export. ``bagit`` 1.9 writes ``BagIt-Version: 0.97``; we rewrite it to 1.0 and regenerate the
tag manifests, as the standards notes describe.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

import bagit

from archivist.ops.exchange.common import (ExportError, ExportOptions, ReferenceCodes,
                                           public_records, reiterable, safe_relative_path)
from archivist.ops.exchange.ead3 import write_ead3
from archivist.ops.exchange.json_stream import write_native_json


def _bag_path(page: dict) -> str:
    """Where a page's file goes inside ``data/`` (NFC, safe, else by checksum)."""
    path = safe_relative_path(unicodedata.normalize("NFC", page.get("file") or ""))
    if path is None or path in ("catalogue.json", "finding-aid.xml"):
        suffix = PurePosixPath(page.get("file") or "").suffix.lower()
        path = f"media/{page['sha256']}{suffix}"
    return path


def write_bagit(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                options: ExportOptions | None = None) -> bagit.Bag:
    """Write a BagIt 1.0 bag into the new or empty folder ``out``.

    Args:
        records: RECORD dicts, depth-first.
        authorities: uuid → AUTHORITY dict.
        out: the bag folder (created; must be empty if it exists).
        options: ``public``, ``catalogue``, and how to find page files.

    Returns:
        The validated :class:`bagit.Bag`.

    Raises:
        ExportError: the folder is not empty, a page file is missing, or a file's checksum no
            longer equals the stored one (the bag is not left behind).
    """
    options = options or ExportOptions()
    folder = Path(out)
    if folder.exists() and any(folder.iterdir()):
        raise ExportError(f"{folder} is not empty; choose a new folder for the bag")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return _make(records, authorities, folder, options)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _make(records, authorities, folder: Path, options: ExportOptions) -> bagit.Bag:
    with reiterable(public_records(records, options)) as again:
        expected, first_code = _payload(again, authorities, folder, options)
    return _bag(folder, options, expected, first_code)


def _payload(again, authorities, folder: Path,
             options: ExportOptions) -> tuple[dict[str, str], str | None]:
    """Copy the files and write catalogue.json and finding-aid.xml into ``folder``.

    Returns:
        The stored checksum of each copied file (by its path under ``data/``), and the
        reference code of the first record.
    """
    expected: dict[str, str] = {}
    roots, seen = 0, set()
    codes = ReferenceCodes()
    first_code = None
    for rec in again():
        seen.add(rec["uuid"])
        code = codes.code(rec)
        if rec.get("parent") not in seen:
            roots += 1
            first_code = first_code or code
        for page in rec.get("media") or []:
            path = _bag_path(page)
            if path in expected:
                continue
            src = options.file_of(page)
            if src is None or not Path(src).is_file():
                raise ExportError(f"the file of page {page.get('file')!r} is missing")
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            expected[path] = page["sha256"]
    plain = ExportOptions(catalogue=options.catalogue)
    write_native_json(again(), authorities, folder / "catalogue.json", options=plain,
                      page_file=_bag_path)
    ead_options = ExportOptions(catalogue=options.catalogue, collection_wrapper=roots != 1)
    write_ead3(again(), authorities, folder / "finding-aid.xml", options=ead_options)
    return expected, first_code


def _bag(folder: Path, options: ExportOptions, expected: dict[str, str],
         first_code: str | None) -> bagit.Bag:
    """Make the bag of the payload in ``folder``, set BagIt 1.0, check checksums, validate."""
    catalogue = options.catalogue or {}
    info = {"Source-Organization": catalogue.get("name") or "Archivist catalogue",
            "External-Identifier": first_code or catalogue.get("repository_code") or "catalogue",
            "External-Description": "Catalogue records (native JSON and EAD3) and original files"
                                    + (", public export" if options.public else ""),
            "Bag-Software-Agent": "Archivist with bagit-python"}
    bag = bagit.make_bag(str(folder), info, processes=1, checksums=["sha256"])
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                                      encoding="utf-8")
    bag = bagit.Bag(str(folder))
    bag.save()
    bag = bagit.Bag(str(folder))
    mismatched = [path for path, sha in expected.items()
                  if bag.entries.get(f"data/{path}", {}).get("sha256") != sha]
    if mismatched:
        raise ExportError("stored checksum differs from the file for: " + ", ".join(mismatched)
                          + "; run a fixity check")
    bag.validate()
    return bag
