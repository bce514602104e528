"""``archivist verify``: re-hash every stored original and report missing or changed files."""

from __future__ import annotations

import sys

from archivist.cli.cmd_ingest import Interrupt, ProgressBar
from archivist.cli.common import emit, open_from_args
from archivist.ops.verify import verify


def register(sub, common) -> None:
    """Add the ``verify`` subcommand."""
    p = sub.add_parser(
        "verify", parents=[common], help="check the fixity of every stored scan",
        description="Re-hash every original in the catalogue's store and compare it with its"
                    " SHA-256. Each missing or changed file is reported by name; a fixity-check"
                    " event is logged. Exits 1 if any file is missing or changed.")
    p.add_argument("--workers", type=int, metavar="N", help="hashing threads (default: one per CPU)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Verify; print each problem and a summary; exit 1 on any problem."""
    with open_from_args(args) as cat:
        bar = ProgressBar("verify")
        with Interrupt() as interrupt:
            try:
                report = verify(cat, progress=bar, cancelled=interrupt, workers=args.workers)
            finally:
                bar.close()
        data = {
            "checked": report.checked, "total": report.total, "cancelled": report.cancelled,
            "problems": [{"status": p.status, "original_name": p.original_name,
                          "sha256": p.sha256, "ext": p.ext, "records": list(p.records)}
                         for p in report.problems],
        }
        emit(args, data, "\n".join([p.describe() for p in report.problems] + [report.summary()]))
    if report.problems:
        return 1
    if report.cancelled:
        print("archivist: verification cancelled", file=sys.stderr)
        return 130
    return 0
