"""``archivist init``: create a catalogue."""

from __future__ import annotations

from archivist.cli.common import catalogue_path, emit
from archivist.store.catalogue import create_catalogue


def register(sub, common) -> None:
    """Add the ``init`` subcommand."""
    p = sub.add_parser("init", parents=[common], help="create a new catalogue",
                       description="Create a new, empty catalogue folder.")
    p.add_argument("--name", help="the catalogue's name (default: the folder's name)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Create the catalogue and print its path."""
    path = catalogue_path(args)
    with create_catalogue(path, user=getattr(args, "user", None)) as cat:
        if args.name:
            cat.set_setting("name", args.name)
        emit(args, {"path": str(cat.path.resolve()), "schema_version": cat.schema_version()},
             f"created catalogue {cat.path}")
    return 0
