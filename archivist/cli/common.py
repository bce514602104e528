"""Helpers shared by the subcommands: opening the catalogue, printing, parsing NAME=VALUE."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from archivist.core.errors import ArchivistError, InvalidValue
from archivist.store.catalogue import Catalogue, open_catalogue


def catalogue_path(args) -> Path:
    """The ``-c`` path, required for subcommands."""
    path = getattr(args, "catalogue", None)
    if path is None:
        raise ArchivistError("give the catalogue with -c PATH")
    return Path(path)


def open_from_args(args) -> Catalogue:
    """Open the catalogue named by ``-c`` as the user named by ``--user``."""
    return open_catalogue(catalogue_path(args), user=getattr(args, "user", None))


def wants_json(args) -> bool:
    """Whether ``--json`` was given."""
    return bool(getattr(args, "json", False))


def emit(args, data, text: str | None = None) -> None:
    """Print ``data`` as JSON with ``--json``, else ``text`` (or ``data`` itself)."""
    if wants_json(args):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text if text is not None else data)


def parse_assignments(items: list[str] | None) -> dict:
    """``NAME=VALUE`` pairs; a name given twice collects a list (repeatable fields)."""
    out: dict = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidValue(f"--field needs NAME=VALUE, got {item!r}")
        if name in out:
            prev = out[name]
            out[name] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            out[name] = value
    return out
