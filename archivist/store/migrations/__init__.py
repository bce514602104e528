"""Numbered schema migrations.

Each module ``mNNNN_name.py`` has ``VERSION = NNNN`` and ``up(conn)``; they run in order inside
one transaction, and the catalogue's ``PRAGMA user_version`` records the last one applied.
Modules are never renamed or edited after release: a change is a new module.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def all_migrations() -> list[ModuleType]:
    """Every migration module, sorted by version."""
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    mods.sort(key=lambda m: m.VERSION)
    versions = [m.VERSION for m in mods]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version: {versions}")
    return mods


def latest_version() -> int:
    """The schema version this build of Archivist writes."""
    mods = all_migrations()
    return mods[-1].VERSION if mods else 0
