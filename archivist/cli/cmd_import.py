"""``archivist import``: bring records in from native JSON or CSV, AtoM CSV or EAD3."""

from __future__ import annotations

import sys
from pathlib import Path

from archivist.cli.cmd_ingest import ProgressBar
from archivist.cli.common import emit, open_from_args
from archivist.core.errors import ImportRefused
from archivist.ops.import_formats import IMPORT_FORMATS, import_file


def register(sub, common) -> None:
    """Add the ``import`` subcommand."""
    p = sub.add_parser(
        "import", parents=[common], help="import records from an exchange file",
        description="Import a file into the catalogue, all or nothing: native JSON or CSV, AtoM"
                    " ISAD(G) CSV (atom-csv), AtoM authority-record CSV (atom-authority-csv) or"
                    " EAD3 written by Archivist. Records already in the catalogue (same UUID or"
                    " AtoM legacyId) are updated, not duplicated. Every refused row or element is"
                    " listed with its line; then nothing is imported and the exit status is 1.")
    p.add_argument("file", type=Path, metavar="FILE", help="the file to import")
    p.add_argument("--format", choices=IMPORT_FORMATS, metavar="FORMAT",
                   help=f"one of: {', '.join(IMPORT_FORMATS)} (default: guessed from the file)")
    p.add_argument("--dry-run", action="store_true",
                   help="check everything and report what would be created and updated;"
                        " write nothing")
    p.set_defaults(func=run)


def run(args) -> int:
    """Import (or preview); print the counts, or every problem."""
    with open_from_args(args) as cat:
        bar = ProgressBar("import")
        try:
            outcome = import_file(cat, args.file, args.format, dry_run=args.dry_run, progress=bar)
        except ImportRefused as exc:
            bar.close()
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            raise
        bar.close()
    r = outcome.report
    data = dict(r.as_dict(), notes=outcome.notes)
    verb = "would create" if args.dry_run else "created"
    text = (f"{verb} {r.created_records} records and {r.created_authorities} authorities; "
            f"{'would update' if args.dry_run else 'updated'} {r.updated_records} records and "
            f"{r.updated_authorities} authorities; {r.unchanged_records} unchanged"
            + ("".join(f"\n  note: {n}" for n in outcome.notes)))
    emit(args, data, text)
    return 0
