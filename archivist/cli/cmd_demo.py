"""``archivist demo``: build the sample catalogue and open it (or print where it is)."""

from __future__ import annotations

from pathlib import Path

from archivist.cli.common import emit
from archivist.ops.demo import build_demo_with_report, default_demo_dir


def register(sub, common) -> None:
    """Add the ``demo`` subcommand."""
    p = sub.add_parser(
        "demo", parents=[common], help="build the sample catalogue and open it",
        description="Build a fresh catalogue from the sample archive (the evidence cited in "
                    "'Mujahideen Against Armenia In The Artsakh War') and open it in the window. "
                    "An earlier demo is never overwritten: without --dir each run makes a new "
                    "folder in your data folder.")
    p.add_argument("--dir", type=Path, metavar="DIR",
                   help="the new catalogue folder (must not exist or be empty; default: a new "
                        "'Karabakh demo' folder in your data folder)")
    p.add_argument("--no-gui", action="store_true",
                   help="only build the catalogue and print its path")
    p.set_defaults(func=run)


def run(args) -> int:
    """Build the demo; print its path with ``--no-gui``, else open it in the window."""
    target = args.dir or getattr(args, "catalogue", None) or default_demo_dir()
    report = build_demo_with_report(target, user=getattr(args, "user", None))
    path = Path(target).resolve()
    if args.no_gui:
        emit(args, {"path": str(path), "records": report.created_records,
                    "authorities": report.created_authorities, "pages": report.pages}, str(path))
        return 0
    from archivist.cli.main import open_gui  # the same entry as ``archivist -c PATH``
    return open_gui(path)
