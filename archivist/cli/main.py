"""The ``archivist`` command: a headless front door to the store and the ops.

Every subcommand lives in its own ``cmd_*.py`` module exposing ``register(subparsers, common)``.
None of them imports PySide6; only opening the GUI does, lazily.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from archivist import __version__
from archivist.core.errors import ArchivistError

#: Subcommand modules, in the order ``--help`` lists them. Add yours here.
COMMANDS = [
    "cmd_init", "cmd_records", "cmd_authority", "cmd_links", "cmd_history",
    "cmd_import", "cmd_export", "cmd_demo", "cmd_ingest", "cmd_verify", "cmd_search",
]


def common_parser() -> argparse.ArgumentParser:
    """Options every subcommand takes: the catalogue, JSON output and the cataloguer's name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-c", "--catalogue", metavar="PATH", type=Path, default=argparse.SUPPRESS,
                        help="the catalogue folder (e.g. Karabakh.archivist)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                        help="the cataloguer's name for the audit log (default: your OS user name)")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="archivist",
        description="Catalogue archival evidence. With no command, opens the desktop window.")
    parser.add_argument("--version", action="version", version=f"archivist {__version__}")
    parser.add_argument("-c", "--catalogue", metavar="PATH", type=Path, default=None,
                        help="the catalogue to open (default: the last one used)")
    parser.add_argument("--json", action="store_true", default=False, help=argparse.SUPPRESS)
    parser.add_argument("--user", metavar="NAME", default=None, help=argparse.SUPPRESS)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_parser()
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"archivist.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"archivist.cli.{name}":
                continue  # a command not built yet
            raise
        module.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(name)s: %(message)s")
    try:
        if args.command is None:
            return open_gui(args.catalogue)
        return args.func(args) or 0
    except ArchivistError as exc:
        print(f"archivist: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("archivist: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def open_gui(catalogue: Path | None) -> int:
    """Open the desktop window on ``catalogue`` (None: the last one used)."""
    from archivist.gui.app import run
    return run(catalogue)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
